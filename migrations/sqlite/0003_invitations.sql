-- Invitations: single-use links that let a partner (or a counselor) create their account.
-- Only a keyed hash of the link's token is stored; the link itself is shown once.

create table invitation (
    invitation_id text primary key,
    token_hash text not null unique,
    role text not null check (role in ('counselor', 'partner')),
    -- For a partner: their place in the couple. Null for a counselor.
    couple_id text references couple (couple_id),
    position bigint check (position in (1, 2)),
    email text not null,
    display_name text not null,
    created_by text not null references app_user (app_user_id),
    created_at bigint not null,
    expires_at bigint not null,
    accepted_at bigint,
    accepted_by text references app_user (app_user_id),
    revoked_at bigint,
    check ((role = 'partner') = (couple_id is not null and position is not null))
);
create index invitation_couple on invitation (couple_id, position, created_at);
create index invitation_email on invitation (email, role, created_at);

-- An OIDC sign-in started from an invitation page accepts that invitation when it completes.
alter table oidc_login add column invitation_id text;

-- The case timeline and the audit viewer read events by case.
create index audit_event_couple on audit_event (couple_id, audit_event_id);
