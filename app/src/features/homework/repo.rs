//! SQL for homework: assignments, drafts, submissions and reviews.

use super::{
    AnswerValue, Answers, AssignmentReview, FeedbackView, HomeworkItem, HomeworkPage,
    HomeworkState, MAX_ANSWER_CHARS, PartnerHomework, SharedAnswer, SubmissionView, Visibility,
};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::program::ResponseField;
use std::collections::HashMap;

use crate::time::utc as time;

fn json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::internal("encoding", e))
}

fn parse_fields(text: &str) -> Result<Vec<ResponseField>, AppError> {
    serde_json::from_str(text).map_err(|e| AppError::internal("assignment fields", e))
}

fn parse_answers(text: &str) -> Result<Answers, AppError> {
    serde_json::from_str(text).map_err(|e| AppError::internal("answers", e))
}

/// What to assign, already checked.
pub struct NewAssignment {
    pub template_version_id: Option<String>,
    pub step_number: Option<i64>,
    pub title: String,
    pub instructions: String,
    pub fields: Vec<ResponseField>,
    pub due_on: Option<chrono::NaiveDate>,
    pub positions: Vec<i64>,
    /// Repeat every this many days (with a due date) while the couple stays on their step.
    pub repeat_days: Option<i64>,
}

/// A template's current version, to assign from.
pub struct TemplateSource {
    pub template_version_id: String,
    pub step_number: i64,
    pub title: String,
    pub instructions: String,
    pub audience: String,
    pub cadence: String,
    pub fields: Vec<ResponseField>,
}

pub async fn template_source(
    db: &Db,
    template_id: &str,
) -> Result<Option<TemplateSource>, AppError> {
    let row: Option<(String, i64, String, String, String, String, String)> = sqlx::query_as(
        "select v.template_version_id, s.number, v.title, v.instructions, v.audience, v.cadence, v.fields \
         from exercise_template t \
         join template_version v on v.exercise_template_id = t.exercise_template_id \
           and v.version = t.current_version \
         join program_step s on s.program_step_id = t.program_step_id \
         where t.exercise_template_id = $1 and t.archived_at is null",
    )
    .bind(template_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(
        |(id, step, title, instructions, audience, cadence, fields)| {
            Ok(TemplateSource {
                template_version_id: id,
                step_number: step,
                title,
                instructions,
                audience,
                cadence,
                fields: parse_fields(&fields)?,
            })
        },
    )
    .transpose()
}

/// Sends homework: one copy per partner, all or nothing. Returns the copies' ids.
pub async fn assign(
    db: &Db,
    couple_id: &str,
    new: &NewAssignment,
    actor: &str,
    ip: Option<&str>,
) -> Result<Vec<String>, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let couple: Option<(String, Option<i64>)> =
        sqlx::query_as("select status, current_step from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut *tx)
            .await?;
    let current_step = couple.as_ref().and_then(|c| c.1);
    match couple.as_ref().map(|c| c.0.as_str()) {
        None => return Err(AppError::NotFound),
        Some("closed") => {
            return Err(AppError::Conflict(
                "This case is closed and read-only. Reopen it to assign homework.".into(),
            ));
        }
        _ => {}
    }
    let group = new_id();
    let fields = json(&new.fields)?;
    let mut ids = Vec::new();
    for position in &new.positions {
        let id = new_id();
        sqlx::query(
            "insert into assignment (assignment_id, couple_id, assignment_group, position, \
             template_version_id, step_number, title, instructions, fields, due_on, \
             assigned_by, assigned_at, repeat_days, repeat_step, series_id) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&id)
        .bind(couple_id)
        .bind(&group)
        .bind(position)
        .bind(new.template_version_id.as_deref())
        .bind(new.step_number)
        .bind(&new.title)
        .bind(&new.instructions)
        .bind(&fields)
        .bind(new.due_on.map(|d| d.to_string()))
        .bind(actor)
        .bind(now)
        .bind(new.repeat_days)
        .bind(new.repeat_days.and(current_step))
        .bind(new.repeat_days.map(|_| id.clone()))
        .execute(&mut *tx)
        .await?;
        record(
            &mut *tx,
            AuditAction::HomeworkAssigned,
            AuditEntry {
                actor_user_id: Some(actor),
                couple_id: Some(couple_id),
                ip,
                detail: Some(&format!("partner_{position}")),
                ..Default::default()
            },
        )
        .await?;
        ids.push(id);
    }
    sqlx::query("update couple set updated_at = $1 where couple_id = $2")
        .bind(now)
        .bind(couple_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids)
}

/// The couple and partner position an assignment belongs to.
pub async fn locate(
    db: &Db,
    assignment_id: &str,
) -> Result<Option<(crate::ids::CoupleId, i64)>, AppError> {
    Ok(
        sqlx::query_as("select couple_id, position from assignment where assignment_id = $1")
            .bind(assignment_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn cancel(
    db: &Db,
    assignment_id: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, i64, Option<i64>, Option<String>)> = sqlx::query_as(
        "select couple_id, position, cancelled_at, series_id from assignment \
         where assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (couple_id, position, cancelled, series) = row.ok_or(AppError::NotFound)?;
    if cancelled.is_some() {
        return Err(AppError::Conflict(
            "This homework is already cancelled.".into(),
        ));
    }
    sqlx::query("update assignment set cancelled_at = $1 where assignment_id = $2")
        .bind(now_ms())
        .bind(assignment_id)
        .execute(&mut *tx)
        .await?;
    // Cancelling any occurrence of repeating homework ends the repeats.
    if let Some(series) = series {
        sqlx::query("update assignment set repeat_days = null where series_id = $1")
            .bind(series)
            .execute(&mut *tx)
            .await?;
    }
    record(
        &mut *tx,
        AuditAction::HomeworkCancelled,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(&couple_id),
            ip,
            detail: Some(&format!("partner_{position}")),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    assignment_id: String,
    title: String,
    position: i64,
    partner_name: String,
    step_number: Option<i64>,
    due_on: Option<String>,
    cancelled_at: Option<i64>,
    latest_version: Option<i64>,
    reviewed_version: Option<i64>,
    has_draft: i64,
    repeat_days: Option<i64>,
}

const ITEM_SELECT: &str = "select a.assignment_id, a.title, a.position, p.display_name as partner_name, \
    a.step_number, a.due_on, a.cancelled_at, \
    (select max(s.version) from submission s where s.assignment_id = a.assignment_id) as latest_version, \
    (select max(r.submission_version) from review r where r.assignment_id = a.assignment_id) as reviewed_version, \
    (select count(*) from homework_draft d where d.assignment_id = a.assignment_id) as has_draft, \
    a.repeat_days \
    from assignment a join partner p on p.couple_id = a.couple_id and p.position = a.position";

fn item(row: ItemRow, today: chrono::NaiveDate, show_drafts: bool) -> HomeworkItem {
    let state = if row.cancelled_at.is_some() {
        HomeworkState::Cancelled
    } else {
        match (row.latest_version, row.reviewed_version) {
            (None, _) => HomeworkState::NotSubmitted,
            (Some(latest), Some(reviewed)) if reviewed >= latest => HomeworkState::Reviewed,
            (Some(_), _) => HomeworkState::Submitted,
        }
    };
    let due_on: Option<chrono::NaiveDate> = row.due_on.and_then(|d| d.parse().ok());
    HomeworkItem {
        overdue: state == HomeworkState::NotSubmitted && due_on.is_some_and(|d| d < today),
        assignment_id: row.assignment_id,
        title: row.title,
        position: row.position,
        partner_name: row.partner_name,
        step_number: row.step_number,
        due_on,
        state,
        has_draft: show_drafts && row.has_draft > 0,
        repeat_days: row.repeat_days,
    }
}

/// Sorts a list the way people read it: overdue, then due soonest, then the rest, and
/// finished or cancelled work last.
fn sort(items: &mut [HomeworkItem]) {
    items.sort_by_key(|i| {
        let done = matches!(
            i.state,
            HomeworkState::Submitted | HomeworkState::Reviewed | HomeworkState::Cancelled
        );
        (
            done,
            i.state == HomeworkState::Cancelled,
            !i.overdue,
            i.due_on.unwrap_or(chrono::NaiveDate::MAX),
        )
    });
}

/// The counselor's board for a couple: every assignment of both partners.
pub async fn board(db: &Db, couple_id: &str) -> Result<Vec<HomeworkItem>, AppError> {
    let rows: Vec<ItemRow> = sqlx::query_as(&format!(
        "{ITEM_SELECT} where a.couple_id = $1 order by a.assigned_at desc"
    ))
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    let today = chrono::DateTime::from_timestamp_millis(now_ms())
        .unwrap_or_default()
        .date_naive();
    let mut items: Vec<HomeworkItem> = rows.into_iter().map(|r| item(r, today, false)).collect();
    sort(&mut items);
    Ok(items)
}

/// A partner's own homework, and what the other partner chose to share with them.
pub async fn for_partner(db: &Db, user_id: &str) -> Result<PartnerHomework, AppError> {
    let rows: Vec<ItemRow> = sqlx::query_as(&format!(
        "{ITEM_SELECT} where p.app_user_id = $1 and a.cancelled_at is null \
         order by a.assigned_at desc"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let today = chrono::DateTime::from_timestamp_millis(now_ms())
        .unwrap_or_default()
        .date_naive();
    let mut items: Vec<HomeworkItem> = rows.into_iter().map(|r| item(r, today, true)).collect();
    sort(&mut items);
    let shared_answers = shared_with(db, user_id, None).await?;
    Ok(PartnerHomework {
        items,
        shared: shared_answers,
    })
}

/// What the other partner has shared with `user_id` (in `couple_id`, or in all their couples):
/// on each of the other partner's homework that still stands, the latest version, only when
/// that version is shared. A shared answer later replaced by a counselor-only version, or on
/// homework the counselor cancelled, is withdrawn. The homework list and the partner's data
/// export both read it here, so they can never disagree.
pub async fn shared_with(
    db: &Db,
    user_id: &str,
    couple_id: Option<&str>,
) -> Result<Vec<SharedAnswer>, AppError> {
    let shared: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "select other.display_name, a.title, a.fields, s.answers, s.submitted_at \
         from partner me \
         join assignment a on a.couple_id = me.couple_id and a.position <> me.position \
         join partner other on other.couple_id = a.couple_id and other.position = a.position \
         join submission s on s.assignment_id = a.assignment_id \
         where me.app_user_id = $1 and ($2 = '' or me.couple_id = $2) \
           and a.cancelled_at is null and s.visibility = 'shared' \
           and s.version = (select max(l.version) from submission l \
                            where l.assignment_id = a.assignment_id) \
         order by s.submitted_at desc",
    )
    .bind(user_id)
    .bind(couple_id.unwrap_or(""))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(shared.len());
    for (partner_name, title, fields, answers, at) in shared {
        out.push(SharedAnswer {
            partner_name,
            title,
            fields: parse_fields(&fields)?,
            answers: parse_answers(&answers)?,
            submitted_at: time(at),
        });
    }
    Ok(out)
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
}

async fn assignment_row(db: &Db, assignment_id: &str) -> Result<AssignmentRow, AppError> {
    let row: Option<AssignmentRow> = sqlx::query_as(
        "select a.couple_id, c.case_name, p.display_name as partner_name, a.title, \
         a.instructions, a.fields, a.due_on, a.cancelled_at from assignment a \
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
            })
        })
        .collect()
}

async fn feedback(db: &Db, assignment_id: &str) -> Result<Vec<FeedbackView>, AppError> {
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
            version,
        })
        .collect())
}

/// The questions an assignment asks: all a save needs to read the posted answers.
pub async fn fields(db: &Db, assignment_id: &str) -> Result<Vec<ResponseField>, AppError> {
    let fields: Option<String> =
        sqlx::query_scalar("select fields from assignment where assignment_id = $1")
            .bind(assignment_id)
            .fetch_optional(db.pool())
            .await?;
    parse_fields(&fields.ok_or(AppError::NotFound)?)
}

/// The partner's own homework page. The caller has checked it is theirs.
pub async fn page(db: &Db, assignment_id: &str) -> Result<HomeworkPage, AppError> {
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
                time(at),
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
        draft,
        latest: submissions(db, assignment_id, 1).await?.into_iter().next(),
        feedback: feedback(db, assignment_id).await?,
    })
}

/// The assignment as its counselor reviews it. The caller has checked access.
pub async fn review_page(db: &Db, assignment_id: &str) -> Result<AssignmentReview, AppError> {
    let a = assignment_row(db, assignment_id).await?;
    let subs = submissions(db, assignment_id, i64::MAX).await?;
    let fb = feedback(db, assignment_id).await?;
    let state = if a.cancelled_at.is_some() {
        HomeworkState::Cancelled
    } else {
        match (subs.first(), fb.iter().map(|f| f.version).max()) {
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

/// Reads a posted homework form into answers, checking each against its field. Drafts may
/// hold more than a submission allows, so an over-long answer is never lost.
pub fn read_answers(
    fields: &[ResponseField],
    form: &HashMap<String, String>,
    submitting: bool,
) -> Result<Answers, AppError> {
    let mut answers = Answers::new();
    for field in fields {
        match field {
            ResponseField::Text { key, label, .. } => {
                let text = form.get(key).map(|t| t.trim_end()).unwrap_or("");
                let chars = text.chars().count();
                let limit = if submitting {
                    MAX_ANSWER_CHARS
                } else {
                    MAX_ANSWER_CHARS * 10
                };
                if chars > limit {
                    return Err(AppError::validation(
                        key,
                        format!(
                            "Your answer to \u{201c}{label}\u{201d} is {chars} characters long; \
                             the most one answer can hold is {MAX_ANSWER_CHARS}."
                        ),
                    ));
                }
                if !text.trim().is_empty() {
                    answers.insert(key.clone(), AnswerValue::Text(text.to_string()));
                }
            }
            ResponseField::Rating { key, label, .. } => {
                let raw = form.get(key).map(|r| r.trim()).unwrap_or("");
                if raw.is_empty() {
                    continue;
                }
                let value = raw.parse::<u8>().ok().filter(|v| *v <= 10).ok_or_else(|| {
                    AppError::validation(
                        key,
                        format!("Choose a number from 0 to 10 for \u{201c}{label}\u{201d}."),
                    )
                })?;
                answers.insert(key.clone(), AnswerValue::Rating(value));
            }
            ResponseField::Checklist { key, items, .. } => {
                let checked: Vec<usize> = (0..items.len())
                    .filter(|i| form.contains_key(&format!("{key}-{i}")))
                    .collect();
                if !checked.is_empty() {
                    answers.insert(key.clone(), AnswerValue::Checked(checked));
                }
            }
        }
    }
    Ok(answers)
}

/// Saves a partner's draft, or submits a new version (which clears the draft). Committed
/// before the caller answers, so an acknowledged save is durable.
pub async fn save(
    db: &Db,
    assignment_id: &str,
    answers: &Answers,
    visibility: Visibility,
    submit: bool,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row: Option<(String, i64, Option<i64>, String)> = sqlx::query_as(
        "select a.couple_id, a.position, a.cancelled_at, c.status from assignment a \
         join couple c on c.couple_id = a.couple_id where a.assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (couple_id, position, cancelled, status) = row.ok_or(AppError::NotFound)?;
    if cancelled.is_some() || status == "closed" {
        return Err(AppError::Conflict(
            "This homework is no longer open, so it cannot be changed.".into(),
        ));
    }
    let encoded = json(answers)?;
    if submit {
        // The new version is numbered on the assignment row itself. On PostgreSQL the
        // update locks that row, so two submissions of the same homework at once (two
        // tabs, a double tap) take turns instead of both claiming one number; on SQLite
        // the transaction already holds the write lock.
        sqlx::query(
            "update assignment set submitted_version = submitted_version + 1 \
             where assignment_id = $1",
        )
        .bind(assignment_id)
        .execute(&mut *tx)
        .await?;
        let next: i64 =
            sqlx::query_scalar("select submitted_version from assignment where assignment_id = $1")
                .bind(assignment_id)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query(
            "insert into submission (submission_id, assignment_id, version, answers, visibility, \
             submitted_at) values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(assignment_id)
        .bind(next)
        .bind(&encoded)
        .bind(visibility.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("delete from homework_draft where assignment_id = $1")
            .bind(assignment_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("update couple set updated_at = $1 where couple_id = $2")
            .bind(now)
            .bind(&couple_id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut *tx,
            AuditAction::HomeworkSubmitted,
            AuditEntry {
                actor_user_id: Some(actor),
                couple_id: Some(&couple_id),
                ip,
                detail: Some(&format!("partner_{position}")),
                ..Default::default()
            },
        )
        .await?;
    } else {
        sqlx::query(
            "insert into homework_draft (assignment_id, answers, visibility, saved_at) \
             values ($1, $2, $3, $4) on conflict (assignment_id) do update \
             set answers = excluded.answers, visibility = excluded.visibility, \
                 saved_at = excluded.saved_at",
        )
        .bind(assignment_id)
        .bind(&encoded)
        .bind(visibility.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records the counselor's review (with feedback) of the latest submission.
pub async fn review(
    db: &Db,
    assignment_id: &str,
    feedback: &str,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, i64, Option<i64>)> = sqlx::query_as(
        "select a.couple_id, a.position, (select max(s.version) from submission s \
           where s.assignment_id = a.assignment_id) from assignment a where a.assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (couple_id, position, latest) = row.ok_or(AppError::NotFound)?;
    let latest =
        latest.ok_or_else(|| AppError::Conflict("There is no submission to review yet.".into()))?;
    sqlx::query(
        "insert into review (review_id, assignment_id, submission_version, feedback, \
         reviewed_by, reviewed_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(assignment_id)
    .bind(latest)
    .bind(feedback)
    .bind(actor)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    sqlx::query("update assignment set reviewed_version = $1 where assignment_id = $2")
        .bind(latest)
        .bind(assignment_id)
        .execute(&mut *tx)
        .await?;
    record(
        &mut *tx,
        AuditAction::HomeworkReviewed,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(&couple_id),
            ip,
            detail: Some(&format!("partner_{position}")),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every submission awaiting review across a counselor's caseload, oldest first.
pub async fn review_queue(db: &Db, counselor_id: &str) -> Result<Vec<super::QueueItem>, AppError> {
    let rows: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "select a.assignment_id, a.title, c.case_name, p.display_name, s.version, s.submitted_at \
         from assignment a \
         join couple c on c.couple_id = a.couple_id \
         join partner p on p.couple_id = a.couple_id and p.position = a.position \
         join submission s on s.assignment_id = a.assignment_id \
         where c.counselor_id = $1 and a.cancelled_at is null and c.status <> 'closed' \
           and s.version = (select max(l.version) from submission l \
                            where l.assignment_id = a.assignment_id) \
           and s.version > coalesce((select max(r.submission_version) from review r \
                            where r.assignment_id = a.assignment_id), 0) \
         order by s.submitted_at, a.assignment_id",
    )
    .bind(counselor_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(assignment_id, title, case_name, partner_name, version, at)| super::QueueItem {
                assignment_id,
                title,
                case_name,
                partner_name,
                version,
                submitted_at: time(at),
            },
        )
        .collect())
}

#[derive(sqlx::FromRow)]
struct RepeatRow {
    assignment_id: String,
    couple_id: String,
    assignment_group: String,
    position: i64,
    template_version_id: Option<String>,
    step_number: Option<i64>,
    title: String,
    instructions: String,
    fields: String,
    due_on: String,
    assigned_by: String,
    repeat_days: i64,
    repeat_step: Option<i64>,
    series_id: String,
}

/// The first date of the cadence after `last` that is today or later.
fn next_due(
    last: chrono::NaiveDate,
    every_days: i64,
    today: chrono::NaiveDate,
) -> chrono::NaiveDate {
    let every = every_days.max(1);
    let behind = (today - last).num_days().max(0);
    let steps = (behind + every - 1) / every;
    last + chrono::Duration::days(every * steps.max(1))
}

/// Sends the next occurrence of repeating homework whose latest due date has passed, while
/// the couple is still on the step it was set for and the case is open. Safe to run from
/// several processes at once: one occurrence per series and due date. Returns how many
/// were sent.
pub async fn roll_repeats(db: &Db, today: chrono::NaiveDate) -> Result<usize, AppError> {
    let rows: Vec<RepeatRow> = sqlx::query_as(
        "select a.assignment_id, a.couple_id, a.assignment_group, a.position, \
         a.template_version_id, a.step_number, a.title, a.instructions, a.fields, a.due_on, \
         a.assigned_by, a.repeat_days, a.repeat_step, a.series_id \
         from assignment a join couple c on c.couple_id = a.couple_id \
         where a.series_id is not null and a.repeat_days is not null and a.cancelled_at is null \
         and a.due_on < $1 and c.status in ('intake', 'active') \
         and (a.repeat_step is null or c.current_step = a.repeat_step) \
         and not exists (select 1 from assignment b where b.series_id = a.series_id \
           and b.due_on > a.due_on)",
    )
    .bind(today.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut sent = 0;
    for row in rows {
        let Ok(last) = row.due_on.parse::<chrono::NaiveDate>() else {
            continue;
        };
        let due = next_due(last, row.repeat_days, today);
        let base_group = row.assignment_group.split(':').next().unwrap_or_default();
        let mut tx = db.begin_write().await?;
        let done = sqlx::query(
            "insert into assignment (assignment_id, couple_id, assignment_group, position, \
             template_version_id, step_number, title, instructions, fields, due_on, \
             assigned_by, assigned_at, repeat_days, repeat_step, series_id) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             on conflict (series_id, due_on) do nothing",
        )
        .bind(new_id())
        .bind(&row.couple_id)
        .bind(format!("{base_group}:{due}"))
        .bind(row.position)
        .bind(row.template_version_id.as_deref())
        .bind(row.step_number)
        .bind(&row.title)
        .bind(&row.instructions)
        .bind(&row.fields)
        .bind(due.to_string())
        .bind(&row.assigned_by)
        .bind(now_ms())
        .bind(row.repeat_days)
        .bind(row.repeat_step)
        .bind(&row.series_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            record(
                &mut *tx,
                AuditAction::HomeworkAssigned,
                AuditEntry {
                    couple_id: Some(&row.couple_id),
                    detail: Some(&format!("partner_{}", row.position)),
                    ..Default::default()
                },
            )
            .await?;
            sent += 1;
        }
        tx.commit().await?;
        tracing::debug!(after = %row.assignment_id, "repeating homework sent");
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::next_due;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_next_occurrence_keeps_the_cadence_and_is_never_in_the_past() {
        assert_eq!(
            next_due(d("2026-11-01"), 7, d("2026-11-02")),
            d("2026-11-08")
        );
        assert_eq!(
            next_due(d("2026-11-01"), 7, d("2026-11-08")),
            d("2026-11-08")
        );
        // A server that was off for weeks skips the missed dates.
        assert_eq!(
            next_due(d("2026-11-01"), 7, d("2026-11-20")),
            d("2026-11-22")
        );
        assert_eq!(
            next_due(d("2026-11-01"), 1, d("2026-11-02")),
            d("2026-11-02")
        );
    }
}

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
