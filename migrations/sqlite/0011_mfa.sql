-- Two-factor sign-in (TOTP, RFC 6238) for counselors and administrators: the shared secret,
-- one-time recovery codes (hashed), and password sign-ins waiting for their second step.
-- Whether the practice requires two-factor lives in app_setting ('require_two_factor').

-- One row per account that has started or finished setting up two-factor. The secret is
-- needed to compute codes, so it is kept as is; it never leaves the server after enrolment.
create table user_mfa (
    app_user_id text primary key references app_user (app_user_id) on delete cascade,
    secret text not null,
    created_at bigint not null,
    -- Null while the person has not yet confirmed a code from their app.
    enabled_at bigint,
    -- The 30-second time step of the last code accepted: a code works only once.
    last_used_step bigint
);

-- Recovery codes, stored as SHA-256 hashes; each works once.
create table mfa_recovery_code (
    mfa_recovery_code_id text primary key,
    app_user_id text not null references app_user (app_user_id) on delete cascade,
    code_hash text not null,
    created_at bigint not null,
    used_at bigint
);
create index mfa_recovery_code_app_user on mfa_recovery_code (app_user_id);

-- A sign-in whose first step (password or single sign-on) succeeded and whose code is still
-- to come. Keyed by a keyed hash of the cookie token; single use and short-lived.
create table mfa_pending_login (
    mfa_pending_login_id text primary key,
    app_user_id text not null references app_user (app_user_id) on delete cascade,
    first_step text not null check (first_step in ('password', 'oidc')),
    created_at bigint not null,
    expires_at bigint not null
);
create index mfa_pending_login_app_user on mfa_pending_login (app_user_id);
