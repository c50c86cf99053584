-- What each step is for, in words written to both partners (the counselor's `purpose` and
-- `guidance` stay the counselor's). Empty until the built-in content fills it on start-up;
-- a practice's own copy gets the built-in text where its step is the same step.
alter table program_step add column for_partners text not null default '';
