-- Where each piece of homework stands, kept on the assignment itself: the latest submitted
-- version and the latest reviewed one (0 for none). The caseload dashboard orders a
-- counselor's couples by work awaiting review and overdue; with these it reads one index
-- per couple instead of every submission and review.
alter table assignment add column submitted_version bigint not null default 0;
alter table assignment add column reviewed_version bigint not null default 0;

update assignment set
    submitted_version = coalesce(
        (select max(s.version) from submission s where s.assignment_id = assignment.assignment_id), 0),
    reviewed_version = coalesce(
        (select max(r.submission_version) from review r where r.assignment_id = assignment.assignment_id), 0);

create index assignment_couple_progress
    on assignment (couple_id, cancelled_at, submitted_version, reviewed_version, due_on);
