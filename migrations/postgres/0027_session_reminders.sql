-- How long before a session each person wants its reminder email: 2, 24 or 48 hours. A
-- person's own choice (in Settings), since one partner plans a day ahead and the other on
-- the morning itself; 24 hours unless they change it.
alter table app_user add column session_reminder_hours bigint not null default 24
    check (session_reminder_hours in (2, 24, 48));
