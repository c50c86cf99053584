//! Lists of homework: the counselor's board for a couple, a partner's own list with what the
//! other partner shared, and the review queue across a caseload.

use super::{parse_answers, parse_fields};
use crate::db::{Db, now_ms};
use crate::error::AppError;
use crate::features::homework::{
    HomeworkItem, HomeworkState, PartnerHomework, QueueItem, SharedAnswer,
};
use crate::time::utc as time;

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
    missed_at: Option<i64>,
    /// What the row is: 0 for the partner's own homework, `JOINT` for work the partners do
    /// together (`joint::LIST_SELECT`), `SHARED` for the other partner's shared answer (with
    /// `fields` and `answers`, and its time in `assigned_at`).
    kind: i64,
    assigned_at: i64,
    fields: Option<String>,
    answers: Option<String>,
}

const JOINT: i64 = 1;
const SHARED: i64 = 2;

const ITEM_SELECT: &str = "select a.assignment_id, a.title, a.position, p.display_name as partner_name, \
    a.step_number, a.due_on, a.cancelled_at, \
    (select max(s.version) from submission s where s.assignment_id = a.assignment_id) as latest_version, \
    (select max(r.submission_version) from review r where r.assignment_id = a.assignment_id) as reviewed_version, \
    (select count(*) from homework_draft d where d.assignment_id = a.assignment_id) as has_draft, \
    a.repeat_days, a.missed_at, 0 as kind, a.assigned_at, null as fields, null as answers \
    from assignment a join partner p on p.couple_id = a.couple_id and p.position = a.position";

fn item(row: ItemRow, today: chrono::NaiveDate, show_drafts: bool) -> HomeworkItem {
    if row.kind == JOINT {
        return super::joint::item(
            super::joint::ListedJoint {
                joint_work_id: row.assignment_id,
                title: row.title,
                step_number: row.step_number,
                due_on: row.due_on,
                cancelled_at: row.cancelled_at,
                current_version: row.latest_version.unwrap_or(0),
                sent_version: row.reviewed_version,
            },
            today,
        );
    }
    let state = if row.cancelled_at.is_some() {
        HomeworkState::Cancelled
    } else {
        match (row.latest_version, row.reviewed_version) {
            (None, _) if row.missed_at.is_some() => HomeworkState::Missed,
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
        joint: false,
    }
}

/// Sorts a list the way people read it: overdue, then due soonest, then the rest, and
/// finished or cancelled work last.
fn sort(items: &mut [HomeworkItem]) {
    items.sort_by_key(|i| {
        let done = matches!(
            i.state,
            HomeworkState::Submitted
                | HomeworkState::Reviewed
                | HomeworkState::Cancelled
                | HomeworkState::Missed
        );
        (
            done,
            i.state == HomeworkState::Cancelled,
            !i.overdue,
            i.due_on.unwrap_or(chrono::NaiveDate::MAX),
        )
    });
}

/// The counselor's board for a couple: every assignment of both partners, and the work they
/// do together, in one statement.
pub async fn board(db: &Db, couple_id: &str) -> Result<Vec<HomeworkItem>, AppError> {
    let joint = super::joint::LIST_SELECT;
    let rows: Vec<ItemRow> = sqlx::query_as(&format!(
        "{ITEM_SELECT} where a.couple_id = $1 \
         union all {joint} where j.couple_id = $1 \
         order by kind, assigned_at desc"
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

/// A partner's own homework, and what the other partner chose to share with them. A missed
/// copy of repeating homework is left off (the current copy is on the list), unless it was
/// submitted after all. With it, the joint work still standing in each of their couples. All
/// three in one statement.
pub async fn for_partner(
    db: &Db,
    user_id: &str,
    zone: chrono_tz::Tz,
) -> Result<PartnerHomework, AppError> {
    let joint = super::joint::LIST_SELECT;
    let rows: Vec<ItemRow> = sqlx::query_as(&format!(
        "{ITEM_SELECT} where p.app_user_id = $1 and a.cancelled_at is null \
         and (a.missed_at is null \
           or exists (select 1 from submission s where s.assignment_id = a.assignment_id)) \
         union all {joint} join partner p on p.couple_id = j.couple_id \
         where p.app_user_id = $1 and j.cancelled_at is null \
         union all select a.assignment_id, a.title, a.position, other.display_name, \
           a.step_number, a.due_on, a.cancelled_at, s.version, null, 0, null, null, {SHARED}, \
           s.submitted_at, a.fields, s.answers {SHARED_FROM} \
         order by kind, assigned_at desc"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    // Overdue from the partner's own midnight.
    let today = crate::time::at(now_ms(), zone).date_naive();
    let (shared, own): (Vec<ItemRow>, Vec<ItemRow>) =
        rows.into_iter().partition(|r| r.kind == SHARED);
    let mut items: Vec<HomeworkItem> = own.into_iter().map(|r| item(r, today, true)).collect();
    sort(&mut items);
    let mut shared_answers = Vec::with_capacity(shared.len());
    for row in shared {
        let mut answer = shared_answer(
            row.partner_name,
            row.title,
            &row.fields.unwrap_or_default(),
            &row.answers.unwrap_or_default(),
            row.assigned_at,
        )?;
        answer.day = super::pages::day(row.assigned_at, zone);
        shared_answers.push(answer);
    }
    Ok(PartnerHomework {
        items,
        shared: shared_answers,
    })
}

/// Where the other partner's shared answers come from, for the partner with account `$1`:
/// on each of the other partner's homework that still stands, the latest version, only when
/// that version is shared. A shared answer later replaced by a counselor-only version, or on
/// homework the counselor cancelled, is withdrawn. `for_partner` and `shared_with` both read
/// through it, so the homework list and the partner's data export can never disagree.
const SHARED_FROM: &str = "from partner me \
    join assignment a on a.couple_id = me.couple_id and a.position <> me.position \
    join partner other on other.couple_id = a.couple_id and other.position = a.position \
    join submission s on s.assignment_id = a.assignment_id \
    where me.app_user_id = $1 \
      and a.cancelled_at is null and s.visibility = 'shared' \
      and s.version = (select max(l.version) from submission l \
                       where l.assignment_id = a.assignment_id)";

fn shared_answer(
    partner_name: String,
    title: String,
    fields: &str,
    answers: &str,
    at: i64,
) -> Result<SharedAnswer, AppError> {
    Ok(SharedAnswer {
        partner_name,
        title,
        fields: parse_fields(fields)?,
        answers: parse_answers(answers)?,
        submitted_at: time(at),
        day: String::new(),
    })
}

/// What the other partner has shared with `user_id` (in `couple_id`, or in all their couples),
/// as `SHARED_FROM` selects it, newest first.
pub async fn shared_with(
    db: &Db,
    user_id: &str,
    couple_id: Option<&str>,
) -> Result<Vec<SharedAnswer>, AppError> {
    let shared: Vec<(String, String, String, String, i64)> = sqlx::query_as(&format!(
        "select other.display_name, a.title, a.fields, s.answers, s.submitted_at \
         {SHARED_FROM} and ($2 = '' or me.couple_id = $2) \
         order by s.submitted_at desc"
    ))
    .bind(user_id)
    .bind(couple_id.unwrap_or(""))
    .fetch_all(db.pool())
    .await?;
    shared
        .into_iter()
        .map(|(partner_name, title, fields, answers, at)| {
            shared_answer(partner_name, title, &fields, &answers, at)
        })
        .collect()
}

/// Every submission awaiting review across a counselor's caseload, oldest first.
pub async fn review_queue(db: &Db, counselor_id: &str) -> Result<Vec<QueueItem>, AppError> {
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
            |(assignment_id, title, case_name, partner_name, version, at)| QueueItem {
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
