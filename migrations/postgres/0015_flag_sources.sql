-- Safety flags come from more than check-ins: a homework item marked as a safety item, and
-- the intake's safety screen. Each flag names its source (and the id of what raised it);
-- `check_in_id` stays for flags a check-in raised.
alter table safety_flag alter column check_in_id drop not null;
alter table safety_flag add column source text not null default 'check_in'
    check (source in ('check_in', 'homework', 'intake'));
-- The check-in, assignment or intake that raised the flag.
alter table safety_flag add column source_id text;
-- What the counselor reads as the source (the homework's title), never partner words.
alter table safety_flag add column source_title text not null default '';
update safety_flag set source_id = check_in_id;
create index safety_flag_source on safety_flag (source_id);
