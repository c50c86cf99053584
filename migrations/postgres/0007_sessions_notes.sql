-- Sessions, pre-session agenda items, treatment goals, clinical notes (signed and locked),
-- addenda, co-signatures and supervision.
-- Types mirror migrations/sqlite so one query text serves both engines.

-- Each person's time zone (IANA name), for showing session times.
alter table app_user add column time_zone text not null default 'UTC';

create table counseling_session (
    counseling_session_id text primary key,
    couple_id text not null references couple (couple_id),
    counselor_id text not null references app_user (app_user_id),
    starts_at bigint not null,
    duration_minutes bigint not null check (duration_minutes between 5 and 480),
    format text not null check (format in ('in_person', 'video', 'phone')),
    -- 'both', or an individual session with one partner.
    attendees text not null check (attendees in ('both', 'partner_1', 'partner_2')),
    status text not null default 'scheduled'
        check (status in ('scheduled', 'attended', 'no_show', 'cancelled')),
    cancel_reason text,
    created_at bigint not null,
    updated_at bigint not null
);
create index counseling_session_couple on counseling_session (couple_id, starts_at);
create index counseling_session_counselor on counseling_session (counselor_id, starts_at);

create table agenda_item (
    agenda_item_id text primary key,
    counseling_session_id text not null references counseling_session (counseling_session_id),
    body text not null,
    created_by text not null references app_user (app_user_id),
    created_at bigint not null
);
create index agenda_item_session on agenda_item (counseling_session_id, created_at);

create table treatment_goal (
    treatment_goal_id text primary key,
    couple_id text not null references couple (couple_id),
    title text not null,
    objective text not null,
    status text not null default 'active' check (status in ('active', 'met', 'paused', 'dropped')),
    target_date text,
    created_by text not null references app_user (app_user_id),
    created_at bigint not null,
    updated_at bigint not null
);
create index treatment_goal_couple on treatment_goal (couple_id, created_at);

-- A note about a session. 'progress' notes are the clinical record; 'psychotherapy' notes are
-- the counselor's private process notes, kept apart and left out of reports and exports.
-- Once signed (signed_at set) a note can never change or be deleted: see the triggers.
create table clinical_note (
    clinical_note_id text primary key,
    counseling_session_id text not null references counseling_session (counseling_session_id),
    couple_id text not null references couple (couple_id),
    author_id text not null references app_user (app_user_id),
    kind text not null check (kind in ('progress', 'psychotherapy')),
    template text not null check (template in ('soap', 'dap', 'birp', 'free')),
    -- JSON: the sections' texts by key, and the ids of the goals the note addresses.
    sections text not null,
    goal_ids text not null default '[]',
    created_at bigint not null,
    updated_at bigint not null,
    signed_at bigint,
    signed_by text references app_user (app_user_id),
    -- SHA-256 of what was signed.
    content_hash text
);
create index clinical_note_session on clinical_note (counseling_session_id, created_at);
create index clinical_note_couple on clinical_note (couple_id, created_at);

-- Addenda are signed as they are written, and are as unchangeable as the note.
create table note_addendum (
    note_addendum_id text primary key,
    clinical_note_id text not null references clinical_note (clinical_note_id),
    author_id text not null references app_user (app_user_id),
    body text not null,
    signed_at bigint not null,
    content_hash text not null
);
create index note_addendum_note on note_addendum (clinical_note_id, signed_at);

create table note_cosignature (
    clinical_note_id text not null references clinical_note (clinical_note_id),
    cosigner_id text not null references app_user (app_user_id),
    cosigned_at bigint not null,
    primary key (clinical_note_id, cosigner_id)
);

-- An administrator makes one counselor the supervisor of another.
create table supervision (
    supervisor_id text not null references app_user (app_user_id),
    supervisee_id text not null references app_user (app_user_id),
    created_at bigint not null,
    primary key (supervisor_id, supervisee_id)
);
create index supervision_supervisee on supervision (supervisee_id);

create function clinical_note_locked() returns trigger
language plpgsql as $$
begin
    if old.signed_at is not null then
        raise exception 'a signed note cannot be changed or deleted';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return new;
end;
$$;

create trigger clinical_note_signed_locked before update or delete on clinical_note
for each row execute function clinical_note_locked();

create function signed_record_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'signed records cannot be changed or deleted';
end;
$$;

create trigger note_addendum_append_only before update or delete on note_addendum
for each row execute function signed_record_append_only();

create trigger note_cosignature_append_only before update or delete on note_cosignature
for each row execute function signed_record_append_only();
