-- Cases: a couple is one case with two partners, each of whom will have their own login.

create table couple (
    couple_id text primary key,
    case_name text not null,
    counselor_id text not null references app_user (app_user_id),
    status text not null default 'intake' check (status in ('intake', 'active', 'paused', 'closed')),
    -- The date trust was broken or the betrayal disclosed (YYYY-MM-DD), when known.
    rupture_date text,
    presenting_concerns text,
    intake_notes text,
    created_at bigint not null,
    updated_at bigint not null,
    closed_at bigint
);
create index couple_counselor on couple (counselor_id, status);

-- Partner 1 and partner 2 of a couple. The account is bound when the partner accepts their
-- invitation; until then only the details the counselor entered exist.
create table partner (
    partner_id text primary key,
    couple_id text not null references couple (couple_id),
    position bigint not null check (position in (1, 2)),
    display_name text not null,
    email text not null,
    pronouns text,
    rupture_role text not null default 'unspecified'
        check (rupture_role in ('broke_trust', 'hurt', 'unspecified')),
    app_user_id text references app_user (app_user_id),
    created_at bigint not null,
    unique (couple_id, position)
);
create index partner_app_user on partner (app_user_id);
