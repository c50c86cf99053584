//! One assignment read in full: the partner's own page and the page the counselor reviews.

use super::{parse_answers, parse_fields};
use crate::db::Db;
use crate::error::AppError;
use crate::features::homework::{
    AssignmentReview, FeedbackView, HomeworkPage, HomeworkState, SubmissionView, Visibility,
};
use crate::time::utc as time;
use chrono_tz::Tz;

/// "3 Dec 2026, 14:02" in the reader's time zone.
fn when(ms: i64, zone: Tz) -> String {
    crate::time::at(ms, zone)
        .format("%-d %b %Y, %H:%M")
        .to_string()
}

/// "3 Dec 2026" in the reader's time zone.
pub(crate) fn day(ms: i64, zone: Tz) -> String {
    crate::time::at(ms, zone).format("%-d %b %Y").to_string()
}

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    couple_id: String,
    case_name: String,
    partner_name: String,
    title: String,
    instructions: String,
    fields: String,
    due_on: Option<String>,
    cancelled_at: Option<i64>,
    counselor_only: i64,
    missed_at: Option<i64>,
}

async fn assignment_row(db: &Db, assignment_id: &str) -> Result<AssignmentRow, AppError> {
    let row: Option<AssignmentRow> = sqlx::query_as(
        "select a.couple_id, c.case_name, p.display_name as partner_name, a.title, \
         a.instructions, a.fields, a.due_on, a.cancelled_at, a.counselor_only, a.missed_at from assignment a \
         join couple c on c.couple_id = a.couple_id \
         join partner p on p.couple_id = a.couple_id and p.position = a.position \
         where a.assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(db.pool())
    .await?;
    row.ok_or(AppError::NotFound)
}

/// The assignment's submitted versions, newest first; at most `limit` of them.
async fn submissions(
    db: &Db,
    assignment_id: &str,
    limit: i64,
    zone: Tz,
) -> Result<Vec<SubmissionView>, AppError> {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "select version, answers, visibility, submitted_at from submission \
         where assignment_id = $1 order by version desc limit $2",
    )
    .bind(assignment_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(version, answers, visibility, at)| {
            Ok(SubmissionView {
                version,
                answers: parse_answers(&answers)?,
                visibility: Visibility::parse(&visibility).unwrap_or(Visibility::Counselor),
                submitted_at: time(at),
                when: when(at, zone),
            })
        })
        .collect()
}

async fn feedback(db: &Db, assignment_id: &str, zone: Tz) -> Result<Vec<FeedbackView>, AppError> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "select r.feedback, u.display_name, r.reviewed_at, r.submission_version from review r \
         join app_user u on u.app_user_id = r.reviewed_by where r.assignment_id = $1 \
         order by r.reviewed_at, r.review_id",
    )
    .bind(assignment_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(feedback, by, at, version)| FeedbackView {
            feedback,
            by,
            at: time(at),
            day: day(at, zone),
            version,
        })
        .collect())
}

/// The partner's own homework page, its times in `zone` (theirs). The caller has checked
/// it is theirs.
pub async fn page(db: &Db, assignment_id: &str, zone: Tz) -> Result<HomeworkPage, AppError> {
    let a = assignment_row(db, assignment_id).await?;
    let draft: Option<(String, String, i64)> = sqlx::query_as(
        "select answers, visibility, saved_at from homework_draft where assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(db.pool())
    .await?;
    let draft = draft
        .map(|(answers, visibility, at)| {
            Ok::<_, AppError>((
                parse_answers(&answers)?,
                Visibility::parse(&visibility).unwrap_or(Visibility::Counselor),
                crate::time::at(at, zone).format("%-d %b %H:%M").to_string(),
            ))
        })
        .transpose()?;
    Ok(HomeworkPage {
        assignment_id: assignment_id.to_string(),
        fields: parse_fields(&a.fields)?,
        title: a.title,
        instructions: a.instructions,
        due_on: a.due_on.and_then(|d| d.parse().ok()),
        cancelled: a.cancelled_at.is_some(),
        counselor_only: a.counselor_only != 0,
        draft,
        missed: a.missed_at.is_some(),
        latest: submissions(db, assignment_id, 1, zone)
            .await?
            .into_iter()
            .next(),
        feedback: feedback(db, assignment_id, zone).await?,
        help: None,
        step: None,
    })
}

/// The assignment as its counselor reviews it, its times in `zone` (the counselor's). The
/// caller has checked access.
pub async fn review_page(
    db: &Db,
    assignment_id: &str,
    zone: Tz,
) -> Result<AssignmentReview, AppError> {
    let a = assignment_row(db, assignment_id).await?;
    let subs = submissions(db, assignment_id, i64::MAX, zone).await?;
    let fb = feedback(db, assignment_id, zone).await?;
    let state = if a.cancelled_at.is_some() {
        HomeworkState::Cancelled
    } else {
        match (subs.first(), fb.iter().map(|f| f.version).max()) {
            (None, _) if a.missed_at.is_some() => HomeworkState::Missed,
            (None, _) => HomeworkState::NotSubmitted,
            (Some(s), Some(r)) if r >= s.version => HomeworkState::Reviewed,
            _ => HomeworkState::Submitted,
        }
    };
    Ok(AssignmentReview {
        assignment_id: assignment_id.to_string(),
        couple_id: a.couple_id,
        case_name: a.case_name,
        partner_name: a.partner_name,
        fields: parse_fields(&a.fields)?,
        title: a.title,
        instructions: a.instructions,
        due_on: a.due_on.and_then(|d| d.parse().ok()),
        state,
        submissions: subs,
        feedback: fb,
    })
}
