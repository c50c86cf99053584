-- Secure messages between partners and their counselor. Each partner has a private thread
-- with the counselor (position 1 or 2); the counselor may open one joint thread for the
-- couple (position 0). A thread row exists once it is used (private) or opened (joint).
-- Types mirror migrations/sqlite so one query text serves both engines.
create table message_thread (
    message_thread_id text primary key,
    couple_id text not null references couple (couple_id),
    position bigint not null check (position in (0, 1, 2)),
    opened_at bigint not null,
    opened_by text references app_user (app_user_id),
    unique (couple_id, position)
);

-- One message. Never edited: the only change is a retraction by its sender within minutes
-- of sending, which deletes the words (body becomes null) and keeps when it happened.
create table message (
    message_id text primary key,
    message_thread_id text not null references message_thread (message_thread_id),
    author_user_id text not null references app_user (app_user_id),
    author text not null check (author in ('counselor', 'partner_1', 'partner_2')),
    body text,
    sent_at bigint not null,
    retracted_at bigint,
    check ((body is null) = (retracted_at is not null))
);
create index message_thread_sent on message (message_thread_id, sent_at);

-- How far each reader has read each thread: messages sent after read_up_to are unread.
create table message_read (
    message_thread_id text not null references message_thread (message_thread_id),
    app_user_id text not null references app_user (app_user_id),
    read_up_to bigint not null,
    primary key (message_thread_id, app_user_id)
);

-- Reading a thread is audited, but is not the case's history: the case page's timeline
-- leaves it out like the other reads, so its index leaves it out too.
drop index audit_event_case_timeline;
create index audit_event_case_timeline on audit_event (couple_id, at)
    where action not in ('case_viewed', 'submission_viewed', 'note_viewed', 'note_change_refused',
        'message_thread_read');
