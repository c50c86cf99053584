//! Homework as the pages that gather several features read it: the pre-session brief (recent
//! submissions, overdue work), the progress report (completion) and the exports (every
//! version and all feedback, unsent drafts).

use crate::db::Db;
use crate::error::AppError;

/// Submissions of the couple's homework since `since_ms`, newest first (at most 100):
/// (assignment, title, partner's name, submitted at, visibility, reviewed since).
pub async fn submitted_since(
    db: &Db,
    couple_id: &str,
    since_ms: i64,
) -> Result<Vec<(String, String, String, i64, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select a.assignment_id, a.title, p.display_name, s.submitted_at, s.visibility, \
         (select count(*) from review r where r.assignment_id = a.assignment_id \
            and r.submission_version >= s.version) as reviewed \
         from submission s join assignment a on a.assignment_id = s.assignment_id \
         join partner p on p.couple_id = a.couple_id and p.position = a.position \
         where a.couple_id = $1 and s.submitted_at > $2 order by s.submitted_at desc limit 100",
    )
    .bind(couple_id)
    .bind(since_ms)
    .fetch_all(db.pool())
    .await?)
}

/// The couple's homework due before `today` with nothing sent: (assignment, title,
/// partner's name, due date).
pub async fn overdue(
    db: &Db,
    couple_id: &str,
    today: &str,
) -> Result<Vec<(String, String, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "select a.assignment_id, a.title, p.display_name, a.due_on from assignment a \
         join partner p on p.couple_id = a.couple_id and p.position = a.position \
         where a.couple_id = $1 and a.cancelled_at is null and a.due_on < $2 \
         and not exists (select 1 from submission s where s.assignment_id = a.assignment_id) \
         order by a.due_on",
    )
    .bind(couple_id)
    .bind(today)
    .fetch_all(db.pool())
    .await?)
}

/// Each partner's homework set between `start` and `end` (UTC milliseconds), and how much of
/// it they sent: (position, name, set, sent), partner 1 first.
pub async fn completion_between(
    db: &Db,
    couple_id: &str,
    start: i64,
    end: i64,
) -> Result<Vec<(i64, String, i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select p.position, p.display_name, \
         (select count(*) from assignment a where a.couple_id = p.couple_id and a.position = p.position \
            and a.cancelled_at is null and a.assigned_at >= $2 and a.assigned_at < $3), \
         (select count(*) from assignment a where a.couple_id = p.couple_id and a.position = p.position \
            and a.cancelled_at is null and a.assigned_at >= $2 and a.assigned_at < $3 \
            and exists (select 1 from submission s where s.assignment_id = a.assignment_id)) \
         from partner p where p.couple_id = $1 order by p.position",
    )
    .bind(couple_id)
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?)
}

/// An assignment with every submitted version and all feedback, as exports hold it.
pub struct HomeworkRecord {
    pub position: i64,
    pub title: String,
    pub instructions: String,
    pub due_on: Option<String>,
    pub cancelled: bool,
    /// (version, answers (JSON), visibility, submitted at).
    pub submissions: Vec<(i64, String, String, i64)>,
    /// (feedback, reviewed at).
    pub feedback: Vec<(String, i64)>,
}

/// The couple's homework (or, with `only`, one partner's), oldest first, in full.
pub async fn records(
    db: &Db,
    couple_id: &str,
    only: Option<i64>,
) -> Result<Vec<HomeworkRecord>, AppError> {
    type Row = (String, i64, String, String, Option<String>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "select assignment_id, position, title, instructions, due_on, cancelled_at from assignment \
         where couple_id = $1 and ($2 = 0 or position = $2) order by assigned_at",
    )
    .bind(couple_id)
    .bind(only.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, position, title, instructions, due_on, cancelled) in rows {
        let submissions = sqlx::query_as(
            "select version, answers, visibility, submitted_at from submission \
             where assignment_id = $1 order by version",
        )
        .bind(&id)
        .fetch_all(db.pool())
        .await?;
        let feedback = sqlx::query_as(
            "select feedback, reviewed_at from review where assignment_id = $1 \
             and feedback <> '' order by reviewed_at",
        )
        .bind(&id)
        .fetch_all(db.pool())
        .await?;
        out.push(HomeworkRecord {
            position,
            title,
            instructions,
            due_on,
            cancelled: cancelled.is_some(),
            submissions,
            feedback,
        });
    }
    Ok(out)
}

/// A partner's unsent drafts in the couple: (title, answers (JSON), saved at).
pub async fn drafts_of(
    db: &Db,
    couple_id: &str,
    position: i64,
) -> Result<Vec<(String, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select a.title, d.answers, d.saved_at from homework_draft d \
         join assignment a on a.assignment_id = d.assignment_id \
         where a.couple_id = $1 and a.position = $2 order by d.saved_at",
    )
    .bind(couple_id)
    .bind(position)
    .fetch_all(db.pool())
    .await?)
}
