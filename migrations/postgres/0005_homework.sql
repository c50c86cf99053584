-- Homework: exercises assigned to a partner (each partner answers their own copy), their
-- drafts, their submitted versions with the partner's chosen visibility, and reviews.
-- Types mirror migrations/sqlite so one query text serves both engines.

create table assignment (
    assignment_id text primary key,
    couple_id text not null references couple (couple_id),
    -- Both partners' copies of one assignment share a group.
    assignment_group text not null,
    position bigint not null check (position in (1, 2)),
    -- The template version it came from; null when written from scratch.
    template_version_id text references template_version (template_version_id),
    step_number bigint,
    -- A copy of what was sent, so later edits to the template never change it.
    title text not null,
    instructions text not null,
    fields text not null,
    due_on text,
    assigned_by text not null references app_user (app_user_id),
    assigned_at bigint not null,
    cancelled_at bigint
);
create index assignment_couple on assignment (couple_id, assigned_at);

-- A partner's work in progress: one per assignment, replaced on every save.
create table homework_draft (
    assignment_id text primary key references assignment (assignment_id),
    answers text not null,
    visibility text not null check (visibility in ('counselor', 'shared')),
    saved_at bigint not null
);

-- Every submitted version is kept; the latest is the answer.
create table submission (
    submission_id text primary key,
    assignment_id text not null references assignment (assignment_id),
    version bigint not null,
    answers text not null,
    visibility text not null check (visibility in ('counselor', 'shared')),
    submitted_at bigint not null,
    unique (assignment_id, version)
);

create table review (
    review_id text primary key,
    assignment_id text not null references assignment (assignment_id),
    submission_version bigint not null,
    feedback text not null,
    reviewed_by text not null references app_user (app_user_id),
    reviewed_at bigint not null
);
create index review_assignment on review (assignment_id, reviewed_at);
