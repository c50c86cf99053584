-- Small wins: either partner posts one, both partners see it, the counselor can react.
create table small_win (
    small_win_id text primary key,
    couple_id text not null references couple (couple_id),
    position bigint not null check (position in (1, 2)),
    app_user_id text not null references app_user (app_user_id),
    body text not null,
    created_at bigint not null,
    reaction text check (reaction in ('celebrate', 'noticed')),
    reacted_by text references app_user (app_user_id),
    reacted_at bigint
);
create index small_win_couple on small_win (couple_id, created_at);
