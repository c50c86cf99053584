-- A person's private calendar feed: an address calendar apps read without signing in. Only
-- the keyed hash of its token is kept; resetting replaces the hash, so the old address stops
-- working at once. `token_hash` is null while the person has no link (turned off).
create table calendar_feed (
    app_user_id text primary key references app_user (app_user_id),
    token_hash text unique,
    -- A counselor's choice: 1 names couples in full in their feed, 0 by initials only.
    full_names bigint not null default 0,
    created_at bigint not null,
    updated_at bigint not null,
    -- When a calendar app last read the feed (written at most every few minutes): the
    -- person sees it in Settings, so a link read by someone else can be noticed.
    last_read_at bigint
);

-- The iCalendar SEQUENCE of a session: it grows whenever the session's time, length, format,
-- attendees, place or status changes, so calendar apps replace their copy of the event.
alter table counseling_session add column calendar_sequence bigint not null default 0;

create trigger counseling_session_calendar_sequence
after update of starts_at, duration_minutes, format, attendees, place, status
on counseling_session
when old.starts_at is not new.starts_at
    or old.duration_minutes is not new.duration_minutes
    or old.format is not new.format
    or old.attendees is not new.attendees
    or old.place is not new.place
    or old.status is not new.status
begin
    update counseling_session set calendar_sequence = old.calendar_sequence + 1
    where counseling_session_id = new.counseling_session_id;
end;
