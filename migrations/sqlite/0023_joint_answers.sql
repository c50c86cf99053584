-- Exercises the partners do together ("How we'll handle hard feelings", "Our transparency
-- plan", "Drafting our agreements") get one shared answer that either partner may change.
-- Every save is a new version, kept for good: both partners and their counselor can see who
-- changed what and when.
alter table template_version add column joint bigint not null default 0;

create table joint_work (
    joint_work_id text primary key,
    couple_id text not null references couple (couple_id),
    template_version_id text references template_version (template_version_id),
    step_number bigint,
    title text not null,
    instructions text not null,
    fields text not null,
    due_on text,
    assigned_by text not null references app_user (app_user_id),
    assigned_at bigint not null,
    cancelled_at bigint,
    -- The newest version's number (0 before anyone has written).
    current_version bigint not null default 0,
    -- The version either partner sent to the counselor as finished, and when.
    sent_version bigint,
    sent_at bigint,
    -- The version the counselor last turned into draft agreements.
    agreements_version bigint
);
create index joint_work_couple on joint_work (couple_id, assigned_at);

create table joint_version (
    joint_work_id text not null references joint_work (joint_work_id),
    version bigint not null,
    answers text not null,
    position bigint not null check (position in (1, 2)),
    app_user_id text not null references app_user (app_user_id),
    written_at bigint not null,
    primary key (joint_work_id, version)
);

-- What a partner wrote while the other saved a newer version: theirs alone until they save
-- it over the newer one, so neither loses a word and neither overwrites the other unseen.
create table joint_draft (
    joint_work_id text not null references joint_work (joint_work_id),
    position bigint not null check (position in (1, 2)),
    answers text not null,
    base_version bigint not null,
    saved_at bigint not null,
    primary key (joint_work_id, position)
);

create trigger joint_version_no_update before update on joint_version
begin
    select raise(abort, 'a saved version of a joint answer cannot be changed');
end;

create trigger joint_version_no_delete before delete on joint_version
begin
    select raise(abort, 'a saved version of a joint answer cannot be deleted');
end;
