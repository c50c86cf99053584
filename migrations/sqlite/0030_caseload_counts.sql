-- What the counselor's caseload sorts by, kept on each couple's row so the dashboard reads
-- one row per couple however large the practice grows: submissions awaiting review, safety
-- flags not yet looked at, and messages the couple's counselor has not read. Triggers keep
-- them current on every write that can change them, each recounting its one couple exactly
-- as the dashboard used to count, and only when the change moves a count (a partner
-- submitting again while their last answer still awaits review changes nothing here).
-- What depends on today's date, overdue homework and the next session, is still counted
-- when the page is read, from two partial indexes that hold only homework not yet submitted
-- and sessions still planned: on 100,000 couples the dashboard otherwise read each couple's
-- every assignment, through more pages than SQLite's page cache keeps.
-- A migration that rebuilds assignment, safety_flag, message, message_read or couple
-- (create a new table, copy, rename) drops these triggers and must create them again; the
-- integration tests compare the kept counts with fresh ones.
alter table couple add column awaiting_review bigint not null default 0;
alter table couple add column open_flags bigint not null default 0;
alter table couple add column counselor_unread bigint not null default 0;

create index assignment_unsubmitted on assignment (couple_id, due_on)
    where cancelled_at is null and submitted_version = 0;
create index counseling_session_planned on counseling_session (couple_id, starts_at)
    where status = 'scheduled';

-- Each couple's counts, counted afresh; the triggers below copy one of them onto the
-- couple's row. (SQLite evaluates only the column a trigger asks for.)
create view couple_fresh_counts as
select c.couple_id,
    (select count(*) from assignment a where a.couple_id = c.couple_id
        and a.cancelled_at is null and a.submitted_version > a.reviewed_version)
        as awaiting_review,
    (select count(*) from safety_flag f where f.couple_id = c.couple_id
        and f.acknowledged_at is null) as open_flags,
    (select count(*) from message m join message_thread t
        on t.message_thread_id = m.message_thread_id left join message_read r
        on r.message_thread_id = t.message_thread_id and r.app_user_id = c.counselor_id
        where t.couple_id = c.couple_id and m.author_user_id <> c.counselor_id
        and m.retracted_at is null and m.sent_at > coalesce(r.read_up_to, 0))
        as counselor_unread
from couple c;

update couple set
    awaiting_review = (select f.awaiting_review from couple_fresh_counts f
        where f.couple_id = couple.couple_id),
    open_flags = (select f.open_flags from couple_fresh_counts f
        where f.couple_id = couple.couple_id),
    counselor_unread = (select f.counselor_unread from couple_fresh_counts f
        where f.couple_id = couple.couple_id);

-- Submissions awaiting review.
create trigger assignment_awaiting_insert after insert on assignment
when new.cancelled_at is null and new.submitted_version > new.reviewed_version
begin
    update couple set awaiting_review = (select f.awaiting_review from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where couple_id = new.couple_id;
end;
create trigger assignment_awaiting_update
after update of couple_id, cancelled_at, submitted_version, reviewed_version on assignment
when (old.cancelled_at is null and old.submitted_version > old.reviewed_version)
    <> (new.cancelled_at is null and new.submitted_version > new.reviewed_version)
    or old.couple_id <> new.couple_id
begin
    update couple set awaiting_review = (select f.awaiting_review from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where couple_id in (old.couple_id, new.couple_id);
end;
create trigger assignment_awaiting_delete after delete on assignment
when old.cancelled_at is null and old.submitted_version > old.reviewed_version
begin
    update couple set awaiting_review = (select f.awaiting_review from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where couple_id = old.couple_id;
end;

-- Safety flags not yet looked at.
create trigger safety_flag_open_insert after insert on safety_flag
when new.acknowledged_at is null
begin
    update couple set open_flags = (select f.open_flags from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where couple_id = new.couple_id;
end;
create trigger safety_flag_open_update after update of couple_id, acknowledged_at on safety_flag
when (old.acknowledged_at is null) <> (new.acknowledged_at is null)
    or old.couple_id <> new.couple_id
begin
    update couple set open_flags = (select f.open_flags from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where couple_id in (old.couple_id, new.couple_id);
end;
create trigger safety_flag_open_delete after delete on safety_flag
when old.acknowledged_at is null
begin
    update couple set open_flags = (select f.open_flags from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where couple_id = old.couple_id;
end;

-- Messages the couple's counselor has not read: a message sent, retracted or removed; the
-- counselor reading a thread (a partner's reading changes nothing here); a new counselor.
create trigger message_unread_insert after insert on message
when new.retracted_at is null
begin
    update couple set counselor_unread = (select f.counselor_unread from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where couple_id = (select couple_id from message_thread
        where message_thread_id = new.message_thread_id);
end;
create trigger message_unread_update
after update of message_thread_id, author_user_id, sent_at, retracted_at on message
when (old.retracted_at is null) <> (new.retracted_at is null) or old.sent_at <> new.sent_at
    or old.message_thread_id <> new.message_thread_id
    or old.author_user_id <> new.author_user_id
begin
    update couple set counselor_unread = (select f.counselor_unread from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where couple_id in (select couple_id from message_thread
        where message_thread_id in (old.message_thread_id, new.message_thread_id));
end;
create trigger message_unread_delete after delete on message
when old.retracted_at is null
begin
    update couple set counselor_unread = (select f.counselor_unread from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where couple_id = (select couple_id from message_thread
        where message_thread_id = old.message_thread_id);
end;
create trigger message_read_unread_insert after insert on message_read
begin
    update couple set counselor_unread = (select f.counselor_unread from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where counselor_id = new.app_user_id and couple_id = (select couple_id from message_thread
        where message_thread_id = new.message_thread_id);
end;
create trigger message_read_unread_update after update on message_read
begin
    update couple set counselor_unread = (select f.counselor_unread from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where counselor_id in (old.app_user_id, new.app_user_id)
    and couple_id in (select couple_id from message_thread
        where message_thread_id in (old.message_thread_id, new.message_thread_id));
end;
create trigger message_read_unread_delete after delete on message_read
begin
    update couple set counselor_unread = (select f.counselor_unread from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where counselor_id = old.app_user_id and couple_id = (select couple_id from message_thread
        where message_thread_id = old.message_thread_id);
end;
create trigger couple_unread_counselor after update of counselor_id on couple
begin
    update couple set counselor_unread = (select f.counselor_unread from couple_fresh_counts f
        where f.couple_id = couple.couple_id)
    where couple_id = new.couple_id;
end;
