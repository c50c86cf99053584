//! Each part of an export that features keep (homework, check-ins, intake, messages,
//! sessions), shaped as JSON the same way for the counselor's case export and a partner's own.

use super::iso;
use crate::db::Db;
use crate::error::AppError;
use crate::features::{homework, progress};
use serde_json::{Value, json};

/// Homework with every submitted version and all feedback: the counselor's record. A
/// partner's own copies (`only` = their position) are read the same way for their export.
pub(super) async fn homework(
    db: &Db,
    couple_id: &str,
    only: Option<i64>,
) -> Result<Vec<Value>, AppError> {
    let mut out = Vec::new();
    for a in homework::repo::records(db, couple_id, only).await? {
        out.push(json!({
            "partner_position": a.position,
            "title": a.title,
            "instructions": a.instructions,
            "due_on": a.due_on,
            "cancelled": a.cancelled,
            "submissions": a.submissions.into_iter().map(|(v, answers, vis, at)| json!({
                "version": v,
                "answers": serde_json::from_str::<Value>(&answers).unwrap_or(Value::Null),
                "visible_to": if vis == "shared" { "counselor and partner" } else { "counselor only" },
                "submitted_at": iso(at),
            })).collect::<Vec<_>>(),
            "feedback": a.feedback.into_iter().map(|(f, at)| json!({"feedback": f, "at": iso(at)})).collect::<Vec<_>>(),
        }));
    }
    Ok(out)
}

/// Work done together: every version of each shared answer, with who saved it. Both
/// partners wrote it, so the counselor's export and each partner's hold the same.
pub(super) async fn together(db: &Db, couple_id: &str) -> Result<Vec<Value>, AppError> {
    let rows = homework::repo::joint::records(db, couple_id).await?;
    Ok(rows
        .into_iter()
        .map(|(title, version, position, at, answers)| {
            json!({
                "title": title,
                "version": version,
                "saved_by_partner_position": position,
                "saved_at": iso(at),
                "answers": answers.into_iter().map(|(q, a)| json!({"question": q, "answer": a})).collect::<Vec<_>>(),
            })
        })
        .collect())
}

/// Every intake copy sent, with when: the counselor's record, or (`only` = a position) a
/// partner's own.
pub(super) async fn intake(
    db: &Db,
    couple_id: &str,
    only: Option<i64>,
) -> Result<Vec<Value>, AppError> {
    let rows = crate::features::intake::repo::records(db, couple_id, only).await?;
    Ok(rows
        .into_iter()
        .map(|(position, answers, at)| {
            json!({"partner_position": position, "sent_at": iso(at), "answers": answers})
        })
        .collect())
}

/// Check-ins in full: the counselor's record, or (`only` = a position) a partner's own.
pub(super) async fn check_ins(
    db: &Db,
    couple_id: &str,
    only: Option<i64>,
) -> Result<Vec<Value>, AppError> {
    let rows = progress::repo::check_in_records(db, couple_id, only).await?;
    Ok(rows
        .into_iter()
        .map(|(position, at, csi, trust, hope, well, hard, shared, safety)| {
            json!({
                "partner_position": position, "submitted_at": iso(at), "csi4_total": csi, "trust": trust,
                "hope": hope, "went_well": well, "was_hard": hard, "texts_shared": shared == 1, "safety_answer": safety,
            })
        })
        .collect())
}

/// The couple's threads at `positions` (0: joint, 1 and 2: each partner's private thread),
/// every message with who sent it and when; a retracted one keeps only when it was retracted.
pub(super) async fn messages(
    db: &Db,
    couple_id: &str,
    positions: &[i64],
) -> Result<Vec<Value>, AppError> {
    let rows = crate::features::messages::repo::record_of(db, couple_id, positions).await?;
    Ok(rows
        .into_iter()
        .map(|(position, author, body, sent, retracted)| {
            let thread = if position == 0 { "joint".to_string() } else { format!("private_partner_{position}") };
            json!({"thread": thread, "from": author, "sent_at": iso(sent), "body": body, "retracted_at": retracted.map(iso)})
        })
        .collect())
}

/// Sessions: date, time and format (and, for the counselor, status and attendees).
pub(super) async fn sessions(
    db: &Db,
    couple_id: &str,
    viewer: Option<i64>,
) -> Result<Vec<Value>, AppError> {
    let rows = crate::features::sessions::repo::records(db, couple_id).await?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, attendees, _)| viewer.is_none_or(|v| attendees == "both" || *attendees == format!("partner_{v}")))
        .map(|(at, minutes, format, attendees, status)| match viewer {
            Some(_) => json!({"starts_at": iso(at), "minutes": minutes, "format": format}),
            None => json!({"starts_at": iso(at), "minutes": minutes, "format": format, "attendees": attendees, "status": status}),
        })
        .collect())
}

/// Every questionnaire answer in full, with its total and band: the counselor's record, or
/// (`only` = a position) a partner's own.
pub(super) async fn measures(
    db: &Db,
    couple_id: &str,
    only: Option<i64>,
) -> Result<Vec<Value>, AppError> {
    use crate::features::measures::instruments::by_key;
    let rows = crate::features::measures::repo::records(db, couple_id, only).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(position, key, answers, follow_up, total, at)| {
            let i = by_key(&key)?;
            Some(json!({
                "partner_position": position, "measure": i.name, "answered_at": iso(at),
                "item_answers": answers, "follow_up": follow_up, "total": total,
                "band": i.band(total).map(|b| b.label),
            }))
        })
        .collect())
}
