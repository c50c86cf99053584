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

create function measure_answer_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'a measure answer cannot be changed or deleted';
end;
$$;

create trigger measure_answer_append_only before update or delete on measure_answer
for each row execute function measure_answer_append_only();

-- A measure's safety item (PHQ-9 item 9) raises a flag: one more source.
alter table safety_flag drop constraint safety_flag_source_check;
alter table safety_flag add constraint safety_flag_source_check
    check (source in ('check_in', 'homework', 'intake', 'measure'));
