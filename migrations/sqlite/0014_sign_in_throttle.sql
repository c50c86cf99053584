-- Sign-in throttling keeps one row of counts per key ('email:...', 'ip:...', 'setup:...').
-- An attempt is counted as under way in one statement (insert ... on conflict ...
-- returning) before its password or code is checked, and settled as a failure or not
-- once it is. The log of failures this replaces was counted and written in separate
-- statements, so simultaneous attempts all passed the count before any was recorded.
drop table sign_in_failure;

create table sign_in_throttle (
    throttle_key text primary key,
    -- Failed attempts in the window that began at window_started_at.
    failures bigint not null,
    -- Attempts whose password or code is being checked right now.
    in_flight bigint not null,
    window_started_at bigint not null
);
