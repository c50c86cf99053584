-- Where a session happens, as partners read it: for an online session its joining link, for
-- one in person where to come. Empty: the counselor's own joining link (online) or the
-- practice's address (in person, the `practice_address` setting).
alter table counseling_session add column place text;
-- A counselor's joining link for online sessions that have none of their own.
alter table app_user add column meeting_link text;
