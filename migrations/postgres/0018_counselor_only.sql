-- An exercise can be for the counselor's eyes only (step 1's account letter, step 3's
-- "anything still unsaid"): a partner answering it has no "share with my partner" choice,
-- and the server refuses one. Homework keeps the setting it was sent with.
alter table template_version add column counselor_only bigint not null default 0;
alter table assignment add column counselor_only bigint not null default 0;
