//! Reading work done together: the page a partner or the counselor opens, the lists beside
//! homework, and what the exports hold.

use super::super::{parse_answers, parse_fields};
use crate::db::Db;
use crate::error::AppError;
use crate::features::homework::joint::{
    AgreementCandidate, JointPage, JointState, JointVersionView, answer_text, changed_fields,
    since_last_saved,
};
use crate::features::homework::{Answers, HomeworkItem, HomeworkState};
use crate::features::program::ResponseField;
use chrono_tz::Tz;

#[derive(sqlx::FromRow)]
struct WorkRow {
    couple_id: String,
    step_number: Option<i64>,
    title: String,
    instructions: String,
    fields: String,
    due_on: Option<String>,
    cancelled_at: Option<i64>,
    current_version: i64,
    sent_version: Option<i64>,
    sent_at: Option<i64>,
    agreements_version: Option<i64>,
    status: String,
}

/// The page for a partner (`viewer` = their position) or the counselor (`None`), with times
/// in `tz`. The caller has checked access.
pub async fn page(
    db: &Db,
    joint_id: &str,
    viewer: Option<i64>,
    tz: Tz,
) -> Result<JointPage, AppError> {
    let w: WorkRow = sqlx::query_as(
        "select j.couple_id, j.step_number, j.title, j.instructions, j.fields, j.due_on, j.cancelled_at, \
         j.current_version, j.sent_version, j.sent_at, j.agreements_version, c.status \
         from joint_work j join couple c on c.couple_id = j.couple_id \
         where j.joint_work_id = $1",
    )
    .bind(joint_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    let fields = parse_fields(&w.fields)?;
    let names: Vec<(i64, String)> = sqlx::query_as(
        "select position, display_name from partner where couple_id = $1 order by position",
    )
    .bind(&w.couple_id)
    .fetch_all(db.pool())
    .await?;
    let name = |p: i64| {
        names
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| format!("Partner {p}"))
    };
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "select version, answers, position, written_at from joint_version \
         where joint_work_id = $1 order by version",
    )
    .bind(joint_id)
    .fetch_all(db.pool())
    .await?;
    let mut versions = Vec::with_capacity(rows.len());
    let mut previous = Answers::new();
    for (version, answers, position, at) in rows {
        let answers = parse_answers(&answers)?;
        let changed = changed_fields(&fields, &previous, &answers)
            .into_iter()
            .map(|c| c.label)
            .collect();
        previous = answers.clone();
        versions.push(JointVersionView {
            version,
            position,
            author: name(position),
            when: crate::time::when(at, tz),
            answers,
            changed,
        });
    }
    versions.reverse();
    let crossed = match viewer {
        Some(position) => {
            let row: Option<(String, i64)> = sqlx::query_as(
                "select answers, base_version from joint_draft \
                 where joint_work_id = $1 and position = $2",
            )
            .bind(joint_id)
            .bind(position)
            .fetch_optional(db.pool())
            .await?;
            row.map(|(a, base)| Ok::<_, AppError>((parse_answers(&a)?, base)))
                .transpose()?
        }
        None => None,
    };
    let candidates = match (viewer, versions.first()) {
        (None, Some(current)) => fields
            .iter()
            .filter(|f| matches!(f, ResponseField::Text { .. }))
            .map(|f| AgreementCandidate {
                key: f.key().to_string(),
                label: f.label().to_string(),
                text: answer_text(f, &current.answers),
            })
            .filter(|c| !c.text.trim().is_empty())
            .collect(),
        _ => Vec::new(),
    };
    Ok(JointPage {
        joint_id: joint_id.to_string(),
        since_mine: viewer
            .map(|p| since_last_saved(&fields, &versions, p))
            .unwrap_or_default(),
        couple_id: w.couple_id,
        step_number: w.step_number,
        title: w.title,
        instructions: w.instructions,
        due_on: w.due_on.and_then(|d| d.parse().ok()),
        state: JointState::of(w.current_version, w.sent_version, w.cancelled_at.is_some()),
        closed: w.status == "closed",
        partner_names: [name(1), name(2)],
        viewer,
        fields,
        versions,
        crossed,
        sent: w
            .sent_version
            .zip(w.sent_at)
            .map(|(v, at)| (v, crate::time::when(at, tz))),
        step: None,
        agreements_version: if viewer.is_none() {
            w.agreements_version
        } else {
            None
        },
        candidates,
    })
}

/// Joint work in the shape of the homework lists' rows (`lists.rs` reads both kinds in one
/// statement): its versions stand in the submitted and reviewed columns, and `kind` is 1.
pub(in crate::features::homework::repo) const LIST_SELECT: &str = "select \
    j.joint_work_id as assignment_id, j.title, 0 as position, '' as partner_name, \
    j.step_number, j.due_on, j.cancelled_at, j.current_version as latest_version, \
    j.sent_version as reviewed_version, 0 as has_draft, null as repeat_days, null as missed_at, \
    1 as kind, j.assigned_at, null as fields, null as answers from joint_work j";

/// One piece of joint work on a list, from the version it has reached
/// (`current_version`) and the one sent to the counselor.
pub(in crate::features::homework::repo) struct ListedJoint {
    pub joint_work_id: String,
    pub title: String,
    pub step_number: Option<i64>,
    pub due_on: Option<String>,
    pub cancelled_at: Option<i64>,
    pub current_version: i64,
    pub sent_version: Option<i64>,
}

pub(in crate::features::homework::repo) fn item(
    row: ListedJoint,
    today: chrono::NaiveDate,
) -> HomeworkItem {
    let state = match JointState::of(
        row.current_version,
        row.sent_version,
        row.cancelled_at.is_some(),
    ) {
        JointState::Cancelled => HomeworkState::Cancelled,
        JointState::Sent => HomeworkState::Submitted,
        _ => HomeworkState::NotSubmitted,
    };
    let due_on: Option<chrono::NaiveDate> = row.due_on.and_then(|d| d.parse().ok());
    HomeworkItem {
        overdue: state == HomeworkState::NotSubmitted && due_on.is_some_and(|d| d < today),
        assignment_id: row.joint_work_id,
        title: row.title,
        position: 0,
        partner_name: "Both, together".into(),
        step_number: row.step_number,
        due_on,
        state,
        has_draft: row.current_version > 0,
        repeat_days: None,
        joint: true,
    }
}

/// Every version of a couple's joint work, for the exports: (title, version, author
/// position, written at, answers as question and text).
pub type JointRecord = (String, i64, i64, i64, Vec<(String, String)>);

pub async fn records(db: &Db, couple_id: &str) -> Result<Vec<JointRecord>, AppError> {
    let rows: Vec<(String, String, i64, i64, i64, String)> = sqlx::query_as(
        "select j.title, j.fields, v.version, v.position, v.written_at, v.answers \
         from joint_work j join joint_version v on v.joint_work_id = j.joint_work_id \
         where j.couple_id = $1 order by j.assigned_at, j.joint_work_id, v.version",
    )
    .bind(couple_id)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (title, fields, version, position, at, answers) in rows {
        let fields = parse_fields(&fields)?;
        let answers = parse_answers(&answers)?;
        let pairs = fields
            .iter()
            .map(|f| (f.label().to_string(), answer_text(f, &answers)))
            .filter(|(_, a)| !a.is_empty())
            .collect();
        out.push((title, version, position, at, pairs));
    }
    Ok(out)
}

/// A partner's own crossed words (not saved over the newer version), for their export:
/// (title, answers as question and text).
pub async fn crossed_of(
    db: &Db,
    couple_id: &str,
    position: i64,
) -> Result<Vec<(String, Vec<(String, String)>)>, AppError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "select j.title, j.fields, d.answers from joint_draft d \
         join joint_work j on j.joint_work_id = d.joint_work_id \
         where j.couple_id = $1 and d.position = $2 order by d.saved_at",
    )
    .bind(couple_id)
    .bind(position)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (title, fields, answers) in rows {
        let fields = parse_fields(&fields)?;
        let answers = parse_answers(&answers)?;
        let pairs = fields
            .iter()
            .map(|f| (f.label().to_string(), answer_text(f, &answers)))
            .filter(|(_, a)| !a.is_empty())
            .collect();
        out.push((title, pairs));
    }
    Ok(out)
}
