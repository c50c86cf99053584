-- Standard measures (PHQ-9, GAD-7, PCL-5): which ones each partner is asked to answer and
-- how often (their counselor chooses), and every answer kept as given (the database refuses
-- changes).
create table measure_plan (
    couple_id text not null references couple (couple_id),
    position bigint not null check (position in (1, 2)),
    measure text not null check (measure in ('phq9', 'gad7', 'pcl5')),
    -- Every this many days, or 0: before each session the partner attends.
    every_days bigint not null check (every_days >= 0),
    chosen_by text references app_user (app_user_id),
    chosen_at bigint not null,
    primary key (couple_id, position, measure)
);

create table measure_answer (
    measure_answer_id text primary key,
    couple_id text not null references couple (couple_id),
    position bigint not null check (position in (1, 2)),
    app_user_id text not null references app_user (app_user_id),
    measure text not null,
    -- Each item's answer in order (a JSON array of numbers), and the unscored follow-up.
    answers text not null,
    follow_up text,
    total bigint not null,
    answered_at bigint not null
);
create index measure_answer_couple on measure_answer (couple_id, measure, answered_at);

create trigger measure_answer_no_update before update on measure_answer
begin
    select raise(abort, 'a measure answer cannot be changed');
end;

create trigger measure_answer_no_delete before delete on measure_answer
begin
    select raise(abort, 'a measure answer cannot be deleted');
end;

-- A measure's safety item (PHQ-9 item 9) raises a flag: one more source. SQLite cannot change
-- a check constraint in place, so the table is rebuilt with its rows.
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
    source text not null default 'check_in'
        check (source in ('check_in', 'homework', 'intake', 'measure')),
    -- The check-in, assignment, intake or measure answer that raised the flag.
    source_id text,
    -- What the counselor reads as the source (the homework's title), never partner words.
    source_title text not null default ''
);
insert into safety_flag_next (safety_flag_id, check_in_id, couple_id, position, answer, raised_at,
    acknowledged_at, acknowledged_by, acknowledgement, source, source_id, source_title)
select safety_flag_id, check_in_id, couple_id, position, answer, raised_at,
    acknowledged_at, acknowledged_by, acknowledgement, source, source_id, source_title
from safety_flag;
drop table safety_flag;
alter table safety_flag_next rename to safety_flag;
create index safety_flag_couple on safety_flag (couple_id, acknowledged_at);
create index safety_flag_source on safety_flag (source_id);
