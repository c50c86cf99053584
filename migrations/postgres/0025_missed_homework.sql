-- When a copy of repeating homework was left unsubmitted as its next copy went out (UTC
-- milliseconds): the counselor sees it as missed, the partner only sees the current copy.
alter table assignment add column missed_at bigint;
