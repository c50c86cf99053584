-- Relationship agreements (steps 4, 8 and 10 of the program). The counselor writes one, or a
-- partner proposes one for the counselor to approve; every change is a new version that both
-- partners acknowledge again; check-ins record how each partner kept each active agreement.
create table agreement (
    agreement_id text primary key,
    couple_id text not null references couple (couple_id),
    created_at bigint not null,
    -- Set when the counselor ends the agreement; its versions and history stay.
    retired_at bigint,
    retired_by text references app_user (app_user_id)
);
create index agreement_couple on agreement (couple_id, created_at);

-- One wording of an agreement. A partner's proposal waits (approved_at and declined_at null)
-- until the counselor approves it, which gives it the next version number, or declines it.
create table agreement_version (
    agreement_version_id text primary key,
    agreement_id text not null references agreement (agreement_id),
    version bigint,
    body text not null,
    written_by text not null references app_user (app_user_id),
    written_at bigint not null,
    approved_by text references app_user (app_user_id),
    approved_at bigint,
    declined_at bigint,
    decline_reason text,
    unique (agreement_id, version)
);
create index agreement_version_agreement on agreement_version (agreement_id, written_at);

-- A partner's acknowledgement of one version.
create table agreement_ack (
    agreement_version_id text not null references agreement_version (agreement_version_id),
    position bigint not null check (position in (1, 2)),
    app_user_id text not null references app_user (app_user_id),
    acknowledged_at bigint not null,
    primary key (agreement_version_id, position)
);

-- How a partner kept an agreement, asked in their check-in.
create table agreement_keeping (
    check_in_id text not null references check_in (check_in_id),
    agreement_id text not null references agreement (agreement_id),
    agreement_version_id text not null references agreement_version (agreement_version_id),
    kept text not null check (kept in ('kept', 'partly', 'not')),
    primary key (check_in_id, agreement_id)
);
create index agreement_keeping_agreement on agreement_keeping (agreement_id);
