-- Accounts, server-side sessions, sign-in throttling, OIDC links and the append-only audit log.
-- Times are unix epoch milliseconds (UTC); ids are UUIDv7 text, never sequential in URLs.

create table app_user (
    app_user_id text primary key,
    email text not null unique,
    display_name text not null,
    role text not null check (role in ('admin', 'counselor', 'partner')),
    password_hash text,
    status text not null default 'active' check (status in ('invited', 'active', 'deactivated')),
    created_at bigint not null,
    updated_at bigint not null
);

-- The primary key is a keyed hash of the cookie token: the token itself is never stored.
create table user_session (
    user_session_id text primary key,
    app_user_id text not null references app_user (app_user_id) on delete cascade,
    created_at bigint not null,
    last_seen_at bigint not null,
    expires_at bigint not null,
    ip text
);
create index user_session_app_user on user_session (app_user_id);

-- Failed sign-ins, keyed by account ('email:...') and by address ('ip:...').
create table sign_in_failure (
    sign_in_failure_id integer primary key autoincrement,
    throttle_key text not null,
    at bigint not null
);
create index sign_in_failure_key_at on sign_in_failure (throttle_key, at);

create table oidc_identity (
    issuer text not null,
    subject text not null,
    app_user_id text not null references app_user (app_user_id) on delete cascade,
    created_at bigint not null,
    primary key (issuer, subject)
);

-- An OIDC sign-in in flight: keyed by a hash of its state, holding the PKCE verifier and nonce.
create table oidc_login (
    oidc_login_id text primary key,
    pkce_verifier text not null,
    nonce text not null,
    created_at bigint not null
);

create table audit_event (
    audit_event_id integer primary key autoincrement,
    at bigint not null,
    actor_user_id text,
    action text not null,
    subject_user_id text,
    couple_id text,
    ip text,
    detail text
);
create index audit_event_at on audit_event (at);
create index audit_event_actor on audit_event (actor_user_id, at);

create trigger audit_event_no_update before update on audit_event
begin
    select raise(abort, 'audit_event is append-only');
end;

create trigger audit_event_no_delete before delete on audit_event
begin
    select raise(abort, 'audit_event is append-only');
end;

create table app_setting (
    app_setting_id text primary key,
    value text not null
);
