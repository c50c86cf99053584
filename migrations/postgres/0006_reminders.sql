-- Email reminders and repeating homework.

-- Each person can turn reminder emails off (1 = on, 0 = off).
alter table app_user add column email_reminders bigint not null default 1;

-- Email waiting to be sent: an outbox that survives restarts. Planners (any number of server
-- processes) queue an email at most once per dedupe key; a sender claims a row for a while
-- before sending it, so two processes never send the same row.
create table email_outbox (
    email_id text primary key,
    -- What the email is about, e.g. 'due:<assignment>' or 'digest:<account>:<date>'.
    dedupe_key text not null unique,
    kind text not null,
    app_user_id text references app_user (app_user_id),
    to_address text not null,
    subject text not null,
    -- Cleared once sent or dropped: the outbox is not an archive of what was said.
    body text not null,
    created_at bigint not null,
    claimed_by text,
    claimed_until bigint,
    attempts bigint not null default 0,
    sent_at bigint,
    -- Set when the email will never be sent (reminders turned off, account deactivated,
    -- the mail server refused it for good, or too many failed attempts).
    dropped_at bigint,
    last_error text
);
create index email_outbox_pending on email_outbox (sent_at, dropped_at, created_at);

-- Repeating homework: each partner's copy repeats every `repeat_days` days while the couple
-- stays on `repeat_step` (the step they were on when it was assigned). Occurrences of one
-- copy share a series; one occurrence per due date.
alter table assignment add column repeat_days bigint;
alter table assignment add column repeat_step bigint;
alter table assignment add column series_id text;
create unique index assignment_series_due on assignment (series_id, due_on);
