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
alter table couple add column awaiting_review bigint not null default 0;
alter table couple add column open_flags bigint not null default 0;
alter table couple add column counselor_unread bigint not null default 0;

create index assignment_unsubmitted on assignment (couple_id, due_on)
    where cancelled_at is null and submitted_version = 0;
create index counseling_session_planned on counseling_session (couple_id, starts_at)
    where status = 'scheduled';

-- Each recount first locks the couple's row. Under read committed each statement of a
-- function reads with a fresh snapshot, so the count that follows the lock sees every change
-- committed by a transaction that held the row before; a transaction still open recounts
-- after this one commits. Without the lock, two submissions on one couple at once could
-- each count without the other's.
create function couple_recount_awaiting(target text) returns void
language plpgsql as $$
begin
    perform 1 from couple where couple_id = target for update;
    update couple set awaiting_review = (select count(*) from assignment a
        where a.couple_id = couple.couple_id and a.cancelled_at is null
        and a.submitted_version > a.reviewed_version)
    where couple_id = target;
end;
$$;

create function couple_recount_flags(target text) returns void
language plpgsql as $$
begin
    perform 1 from couple where couple_id = target for update;
    update couple set open_flags = (select count(*) from safety_flag f
        where f.couple_id = couple.couple_id and f.acknowledged_at is null)
    where couple_id = target;
end;
$$;

create function couple_recount_unread(target text) returns void
language plpgsql as $$
begin
    perform 1 from couple where couple_id = target for update;
    update couple set counselor_unread = (select count(*) from message m join message_thread t
        on t.message_thread_id = m.message_thread_id left join message_read r
        on r.message_thread_id = t.message_thread_id and r.app_user_id = couple.counselor_id
        where t.couple_id = couple.couple_id and m.author_user_id <> couple.counselor_id
        and m.retracted_at is null and m.sent_at > coalesce(r.read_up_to, 0))
    where couple_id = target;
end;
$$;

do $$
declare target text;
begin
    for target in select couple_id from couple loop
        perform couple_recount_awaiting(target);
        perform couple_recount_flags(target);
        perform couple_recount_unread(target);
    end loop;
end;
$$;

-- Submissions awaiting review.
create function assignment_awaiting_changed() returns trigger
language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform couple_recount_awaiting(old.couple_id);
    end if;
    if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.couple_id <> old.couple_id) then
        perform couple_recount_awaiting(new.couple_id);
    end if;
    return null;
end;
$$;
create trigger assignment_awaiting_insert after insert on assignment
for each row when (new.cancelled_at is null and new.submitted_version > new.reviewed_version)
execute function assignment_awaiting_changed();
create trigger assignment_awaiting_update
after update of couple_id, cancelled_at, submitted_version, reviewed_version on assignment
for each row when ((old.cancelled_at is null and old.submitted_version > old.reviewed_version)
    is distinct from (new.cancelled_at is null and new.submitted_version > new.reviewed_version)
    or old.couple_id <> new.couple_id)
execute function assignment_awaiting_changed();
create trigger assignment_awaiting_delete after delete on assignment
for each row when (old.cancelled_at is null and old.submitted_version > old.reviewed_version)
execute function assignment_awaiting_changed();

-- Safety flags not yet looked at.
create function safety_flag_open_changed() returns trigger
language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform couple_recount_flags(old.couple_id);
    end if;
    if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.couple_id <> old.couple_id) then
        perform couple_recount_flags(new.couple_id);
    end if;
    return null;
end;
$$;
create trigger safety_flag_open_insert after insert on safety_flag
for each row when (new.acknowledged_at is null)
execute function safety_flag_open_changed();
create trigger safety_flag_open_update after update of couple_id, acknowledged_at on safety_flag
for each row when ((old.acknowledged_at is null) <> (new.acknowledged_at is null)
    or old.couple_id <> new.couple_id)
execute function safety_flag_open_changed();
create trigger safety_flag_open_delete after delete on safety_flag
for each row when (old.acknowledged_at is null)
execute function safety_flag_open_changed();

-- Messages the couple's counselor has not read: a message sent, retracted or removed; the
-- counselor reading a thread (a partner's reading changes nothing here); a new counselor.
create function message_unread_changed() returns trigger
language plpgsql as $$
declare target text;
begin
    if tg_op <> 'INSERT' then
        select couple_id into target from message_thread
        where message_thread_id = old.message_thread_id;
        perform couple_recount_unread(target);
    end if;
    if tg_op = 'INSERT' or (tg_op = 'UPDATE'
            and new.message_thread_id <> old.message_thread_id) then
        select couple_id into target from message_thread
        where message_thread_id = new.message_thread_id;
        perform couple_recount_unread(target);
    end if;
    return null;
end;
$$;
create trigger message_unread_insert after insert on message
for each row when (new.retracted_at is null)
execute function message_unread_changed();
create trigger message_unread_update
after update of message_thread_id, author_user_id, sent_at, retracted_at on message
for each row when ((old.retracted_at is null) <> (new.retracted_at is null)
    or old.sent_at <> new.sent_at or old.message_thread_id <> new.message_thread_id
    or old.author_user_id <> new.author_user_id)
execute function message_unread_changed();
create trigger message_unread_delete after delete on message
for each row when (old.retracted_at is null)
execute function message_unread_changed();

create function message_read_unread_changed() returns trigger
language plpgsql as $$
declare target text;
begin
    if tg_op <> 'INSERT' then
        select t.couple_id into target from message_thread t join couple c
            on c.couple_id = t.couple_id and c.counselor_id = old.app_user_id
        where t.message_thread_id = old.message_thread_id;
        if target is not null then
            perform couple_recount_unread(target);
        end if;
    end if;
    if tg_op <> 'DELETE' then
        select t.couple_id into target from message_thread t join couple c
            on c.couple_id = t.couple_id and c.counselor_id = new.app_user_id
        where t.message_thread_id = new.message_thread_id;
        if target is not null then
            perform couple_recount_unread(target);
        end if;
    end if;
    return null;
end;
$$;
create trigger message_read_unread
after insert or delete or update on message_read
for each row execute function message_read_unread_changed();

create function couple_counselor_changed() returns trigger
language plpgsql as $$
begin
    perform couple_recount_unread(new.couple_id);
    return null;
end;
$$;
create trigger couple_unread_counselor
after update of counselor_id on couple
for each row execute function couple_counselor_changed();
