-- Words a person sent from a form after their sign-in had ended (a browser without
-- JavaScript cannot save drafts as they type). They are kept, sealed, until the same person
-- signs in again in that browser, and then sent as if the form had just been posted.
-- `token_hash` is the keyed hash of the token in the browser's cookie (one token per
-- browser, several forms under it, each for its own author); the words are sealed under a
-- key derived from that token, so the database alone cannot open them.
create table held_form (
    held_form_id text primary key,
    token_hash text not null,
    app_user_id text not null references app_user (app_user_id) on delete cascade,
    -- The server function the form was posted to (one of a fixed list).
    endpoint text not null,
    sealed text not null,
    created_at bigint not null,
    expires_at bigint not null
);
create index held_form_token on held_form (token_hash);
create index held_form_app_user on held_form (app_user_id);

-- When a session lapsed (idle, or past its limit). A lapsed session signs no one in; its row
-- is kept a day after, only so a form posted from a page left open still names its author.
alter table user_session add column lapsed_at bigint;
