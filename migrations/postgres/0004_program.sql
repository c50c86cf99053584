-- The program library: programs of steps, exercise templates per step (versioned), and
-- where each couple stands in their program.
-- Types mirror migrations/sqlite so one query text serves both engines.

create table program (
    program_id text primary key,
    -- Set for a program shipped with Trellis ('ten-steps'); null for a practice's own.
    builtin_key text unique,
    content_version bigint not null default 1,
    title text not null,
    summary text not null default '',
    -- The program this one was duplicated from, if any.
    based_on text references program (program_id),
    created_by text references app_user (app_user_id),
    created_at bigint not null,
    updated_at bigint not null
);

create table program_step (
    program_step_id text primary key,
    program_id text not null references program (program_id),
    number bigint not null,
    title text not null,
    purpose text not null,
    guidance text not null,
    unique (program_id, number)
);

-- A template's identity; its content lives in versions, so editing one never rewrites
-- homework already assigned from an earlier version.
create table exercise_template (
    exercise_template_id text primary key,
    program_step_id text not null references program_step (program_step_id),
    builtin_key text,
    position bigint not null,
    current_version bigint not null,
    created_by text references app_user (app_user_id),
    created_at bigint not null,
    archived_at bigint
);
create index exercise_template_step on exercise_template (program_step_id, position);

create table template_version (
    template_version_id text primary key,
    exercise_template_id text not null references exercise_template (exercise_template_id),
    version bigint not null,
    title text not null,
    instructions text not null,
    audience text not null check (audience in ('both', 'broke_trust', 'hurt')),
    cadence text not null check (cadence in ('once', 'daily', 'weekly')),
    -- The response fields as JSON: [{"kind": "text"|"rating"|"checklist", "key", "label", ...}].
    fields text not null,
    created_by text references app_user (app_user_id),
    created_at bigint not null,
    unique (exercise_template_id, version)
);

-- Where a couple is in their program. Null until the counselor starts them on one.
alter table couple add column program_id text references program (program_id);
alter table couple add column current_step bigint;

-- Every move between steps, with the counselor's short reason.
create table step_move (
    step_move_id text primary key,
    couple_id text not null references couple (couple_id),
    from_step bigint,
    to_step bigint not null,
    reason text not null,
    moved_by text not null references app_user (app_user_id),
    moved_at bigint not null
);
create index step_move_couple on step_move (couple_id, moved_at);
