-- Safety flags come from more than check-ins: a homework item marked as a safety item, and
-- the intake's safety screen. Each flag names its source (and the id of what raised it);
-- `check_in_id` stays for flags a check-in raised. SQLite cannot relax a NOT NULL column in
-- place, so the table is rebuilt with its rows.
create table safety_flag_next (
    safety_flag_id text primary key,
    check_in_id text unique references check_in (check_in_id),
    couple_id text not null references couple (couple_id),
    position bigint not null,
    -- For a check-in: the safety answer; for homework: the safety items ticked.
    answer text not null,
    raised_at bigint not null,
    acknowledged_at bigint,
    acknowledged_by text references app_user (app_user_id),
    acknowledgement text,
    source text not null default 'check_in' check (source in ('check_in', 'homework', 'intake')),
    -- The check-in, assignment or intake that raised the flag.
    source_id text,
    -- What the counselor reads as the source (the homework's title), never partner words.
    source_title text not null default ''
);
insert into safety_flag_next (safety_flag_id, check_in_id, couple_id, position, answer, raised_at,
    acknowledged_at, acknowledged_by, acknowledgement, source, source_id, source_title)
select safety_flag_id, check_in_id, couple_id, position, answer, raised_at,
    acknowledged_at, acknowledged_by, acknowledgement, 'check_in', check_in_id, ''
from safety_flag;
drop table safety_flag;
alter table safety_flag_next rename to safety_flag;
create index safety_flag_couple on safety_flag (couple_id, acknowledged_at);
create index safety_flag_source on safety_flag (source_id);
