-- The intake questionnaire each partner answers privately before the first session, one per
-- partner per couple. The draft is the partner's own until they send it; every copy they send
-- is kept as sent (the database refuses changes), and the couple's counselor reads the latest.
create table intake (
    intake_id text primary key,
    couple_id text not null references couple (couple_id),
    position bigint not null check (position in (1, 2)),
    app_user_id text not null references app_user (app_user_id),
    -- The answers being written (JSON), only ever shown to their writer; null when nothing
    -- has changed since the last copy sent.
    draft text,
    draft_saved_at bigint,
    -- When the latest copy was sent (null: never sent).
    submitted_at bigint,
    unique (couple_id, position)
);

create table intake_submission (
    intake_submission_id text primary key,
    intake_id text not null references intake (intake_id),
    answers text not null,
    submitted_at bigint not null
);
create index intake_submission_intake on intake_submission (intake_id, submitted_at);

create trigger intake_submission_no_update before update on intake_submission
begin
    select raise(abort, 'a sent intake cannot be changed');
end;

create trigger intake_submission_no_delete before delete on intake_submission
begin
    select raise(abort, 'a sent intake cannot be deleted');
end;
