//! Raising a safety flag, whatever raised it (a check-in answer, a homework item marked as a
//! safety item, the intake's safety screen), and telling the counselor without a word of it.

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Tx, new_id};
use crate::error::AppError;
use crate::state::AppState;

/// What raised a flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagSource {
    CheckIn,
    Homework,
    Intake,
    /// A standard measure's safety item (PHQ-9 item 9 above "not at all").
    Measure,
}

impl FlagSource {
    pub fn as_str(self) -> &'static str {
        match self {
            FlagSource::CheckIn => "check_in",
            FlagSource::Homework => "homework",
            FlagSource::Intake => "intake",
            FlagSource::Measure => "measure",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "check_in" => Some(FlagSource::CheckIn),
            "homework" => Some(FlagSource::Homework),
            "intake" => Some(FlagSource::Intake),
            "measure" => Some(FlagSource::Measure),
            _ => None,
        }
    }
}

/// One flag to raise.
pub struct NewFlag<'a> {
    pub couple_id: &'a str,
    pub position: i64,
    pub source: FlagSource,
    /// The check-in, assignment or intake that raised it.
    pub source_id: &'a str,
    /// What the counselor reads as the source (a homework's title); empty for check-ins.
    pub source_title: &'a str,
    /// The check-in's safety answer, or the safety items ticked.
    pub answer: &'a str,
    pub raised_at: i64,
    /// Who raised it and from where, for the audit log.
    pub actor: &'a str,
    pub ip: Option<&'a str>,
}

/// Raises a flag inside the caller's transaction (so the answer and its flag are kept
/// together or not at all) and audits it. Returns the flag's id, or `None` when the same
/// source already has a flag the counselor has not acknowledged yet: a partner who sends
/// their homework again with the same item ticked is already on the counselor's list.
pub async fn raise(tx: &mut Tx, flag: NewFlag<'_>) -> Result<Option<String>, AppError> {
    if flag.source != FlagSource::CheckIn {
        let open: Option<i64> = sqlx::query_scalar(
            "select 1 from safety_flag where source_id = $1 and position = $2 \
             and acknowledged_at is null limit 1",
        )
        .bind(flag.source_id)
        .bind(flag.position)
        .fetch_optional(&mut **tx)
        .await?;
        if open.is_some() {
            return Ok(None);
        }
    }
    let flag_id = new_id();
    let check_in_id = (flag.source == FlagSource::CheckIn).then_some(flag.source_id);
    sqlx::query(
        "insert into safety_flag (safety_flag_id, check_in_id, couple_id, position, answer, \
         raised_at, source, source_id, source_title) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&flag_id)
    .bind(check_in_id)
    .bind(flag.couple_id)
    .bind(flag.position)
    .bind(flag.answer)
    .bind(flag.raised_at)
    .bind(flag.source.as_str())
    .bind(flag.source_id)
    .bind(flag.source_title)
    .execute(&mut **tx)
    .await?;
    // "partner_1" for a check-in (as before), "partner_1:homework" for the others.
    let detail = match flag.source {
        FlagSource::CheckIn => format!("partner_{}", flag.position),
        other => format!("partner_{}:{}", flag.position, other.as_str()),
    };
    record(
        &mut **tx,
        AuditAction::SafetyFlagRaised,
        AuditEntry {
            actor_user_id: Some(flag.actor),
            couple_id: Some(flag.couple_id),
            ip: flag.ip,
            detail: Some(&detail),
            ..Default::default()
        },
    )
    .await?;
    Ok(Some(flag_id))
}

/// Emails the couple's counselor that a flag needs them: no content, only a link. Sent once
/// per flag (the outbox keys it by the flag), and only when the practice sends email.
pub async fn alert_counselor(
    state: &AppState,
    couple_id: &str,
    flag_id: &str,
) -> Result<(), AppError> {
    use crate::outbox::{NewEmail, enqueue};
    if !state.mail_enabled {
        return Ok(());
    }
    let couple = crate::couple::load(&state.db, &couple_id.into())
        .await?
        .ok_or(AppError::NotFound)?;
    let counselor = crate::auth::repo::find_by_id(state.db.pool(), &couple.counselor_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let url = &state.auth.public_url;
    let body = format!(
        "Hello {name},\n\nA partner's answer raised a safety flag on your caseload. \
         Please look at it as soon as you can:\n{url}/cases/{couple_id}\n\n\
         This email contains nothing of what they wrote.\n",
        name = counselor.display_name
    );
    let key = format!("safety:{flag_id}");
    enqueue(
        state.db.writer(),
        NewEmail {
            dedupe_key: &key,
            kind: "safety_flag",
            app_user_id: Some(&counselor.app_user_id),
            to_address: &counselor.email,
            subject: "Trellis: a safety flag needs your attention",
            body: &body,
        },
        crate::db::now_ms(),
    )
    .await?;
    Ok(())
}

/// Whether the partner at `position` raised a flag from `source_id` (an assignment, say) at
/// or after `since`: the page it came from then shows crisis help first.
pub async fn raised_from_since(
    db: &crate::db::Db,
    source_id: &str,
    position: i64,
    since: i64,
) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "select 1 from safety_flag where source_id = $1 and position = $2 and raised_at >= $3 \
         limit 1",
    )
    .bind(source_id)
    .bind(position)
    .bind(since)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}
