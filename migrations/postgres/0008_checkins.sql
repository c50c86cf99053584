-- Progress check-ins (each partner alone) and the safety flags they raise.
-- Types mirror migrations/sqlite so one query text serves both engines.

-- Days between the check-ins the counselor asks of this couple.
alter table couple add column check_in_days bigint not null default 7;

create table check_in (
    check_in_id text primary key,
    couple_id text not null references couple (couple_id),
    position bigint not null check (position in (1, 2)),
    app_user_id text not null references app_user (app_user_id),
    submitted_at bigint not null,
    -- CSI-4 item answers and total; null when the practice has the measure switched off.
    csi1 bigint check (csi1 between 0 and 6),
    csi2 bigint check (csi2 between 0 and 5),
    csi3 bigint check (csi3 between 0 and 5),
    csi4 bigint check (csi4 between 0 and 5),
    csi_total bigint check (csi_total between 0 and 21),
    trust bigint not null check (trust between 0 and 10),
    hope bigint not null check (hope between 0 and 10),
    went_well text not null default '',
    was_hard text not null default '',
    -- 1 when the partner chose to share the two free-text answers with the other partner.
    share_text bigint not null default 0,
    -- The private safety question: never shown to the other partner.
    safety text not null check (safety in ('safe', 'unsure', 'unsafe', 'private_talk'))
);
create index check_in_couple on check_in (couple_id, submitted_at);

-- A concerning safety answer, until the counselor acknowledges it with a note.
create table safety_flag (
    safety_flag_id text primary key,
    check_in_id text not null unique references check_in (check_in_id),
    couple_id text not null references couple (couple_id),
    position bigint not null,
    answer text not null,
    raised_at bigint not null,
    acknowledged_at bigint,
    acknowledged_by text references app_user (app_user_id),
    acknowledgement text
);
create index safety_flag_couple on safety_flag (couple_id, acknowledged_at);
