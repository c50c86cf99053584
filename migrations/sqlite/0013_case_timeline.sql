-- The case page's timeline: what happened to a case, without the reads (every view of a
-- case, a submission or a note is audited too, and those far outnumber the changes). The
-- page shows the newest changes from this index without stepping over the reads.
create index audit_event_case_timeline on audit_event (couple_id, at)
    where action not in ('case_viewed', 'submission_viewed', 'note_viewed', 'note_change_refused');
