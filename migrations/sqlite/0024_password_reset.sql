-- Password reset links: single-use, expiring links with which someone sets a new password.
-- Only a keyed hash of the link's token is stored; the link itself is emailed or shown once.

create table password_reset (
    password_reset_id text primary key,
    token_hash text not null unique,
    app_user_id text not null references app_user (app_user_id),
    -- Who made the link (a counselor or an administrator); null when the person asked for
    -- it themselves from the sign-in page.
    made_by text references app_user (app_user_id),
    created_at bigint not null,
    expires_at bigint not null,
    used_at bigint
);
create index password_reset_user on password_reset (app_user_id, created_at);
