//! Taking a check-in (and the safety flag a concerning answer raises), and the partner's
//! check-in page with what the other partner shared.

use super::{CHECK_IN_SELECT, CheckInRow, DAY_MS, csi_enabled, scores};
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;
use crate::features::progress::{CheckInPage, OwnCheckIn, SafetyAnswer, SharedText};
use crate::time as tz;
use chrono_tz::Tz;

/// A check-in, already checked.
pub struct NewCheckIn {
    pub csi: Option<[i64; 4]>,
    pub trust: i64,
    pub hope: i64,
    pub went_well: String,
    pub was_hard: String,
    pub share_text: bool,
    pub safety: SafetyAnswer,
    /// How each active agreement was kept: (agreement, its current version, answer).
    pub kept: Vec<(String, String, crate::features::agreements::Kept)>,
}

/// Records a check-in (and the flag a concerning safety answer raises) in one transaction.
/// Returns the flag's id when one was raised.
pub async fn submit(
    db: &Db,
    couple_id: &str,
    position: i64,
    user_id: &str,
    input: &NewCheckIn,
    ip: Option<&str>,
) -> Result<Option<String>, AppError> {
    let now = now_ms();
    let id = new_id();
    let mut tx = db.begin_write().await?;
    let csi = input.csi;
    sqlx::query(
        "insert into check_in (check_in_id, couple_id, position, app_user_id, submitted_at, \
         csi1, csi2, csi3, csi4, csi_total, trust, hope, went_well, was_hard, share_text, safety) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(&id)
    .bind(couple_id)
    .bind(position)
    .bind(user_id)
    .bind(now)
    .bind(csi.map(|c| c[0]))
    .bind(csi.map(|c| c[1]))
    .bind(csi.map(|c| c[2]))
    .bind(csi.map(|c| c[3]))
    .bind(csi.map(|c| c.iter().sum::<i64>()))
    .bind(input.trust)
    .bind(input.hope)
    .bind(&input.went_well)
    .bind(&input.was_hard)
    .bind(if input.share_text { 1_i64 } else { 0 })
    .bind(input.safety.as_str())
    .execute(&mut *tx)
    .await?;
    crate::features::agreements::repo::record_keeping(&mut tx, &id, &input.kept).await?;
    let detail = format!("partner_{position}");
    let entry = || AuditEntry {
        actor_user_id: Some(user_id),
        couple_id: Some(couple_id),
        ip,
        detail: Some(&detail),
        ..Default::default()
    };
    record(&mut *tx, AuditAction::CheckInSubmitted, entry()).await?;
    let flag = if input.safety.concerning() {
        use crate::features::safety::repo::flags::{FlagSource, NewFlag, raise};
        raise(
            &mut tx,
            NewFlag {
                couple_id,
                position,
                source: FlagSource::CheckIn,
                source_id: &id,
                source_title: "",
                answer: input.safety.as_str(),
                raised_at: now,
                actor: user_id,
                ip,
            },
        )
        .await?
    } else {
        None
    };
    sqlx::query("update couple set updated_at = $1 where couple_id = $2")
        .bind(now)
        .bind(couple_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(flag)
}

/// What the other partner of `couple_id` shared with the partner at `position` from their
/// check-ins (name, time, the two texts), newest first, at most `limit`. The check-in page and
/// the partner's data export both read it here.
pub async fn shared_texts(
    db: &Db,
    couple_id: &str,
    position: i64,
    limit: i64,
) -> Result<Vec<(String, i64, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "select p.display_name, k.submitted_at, k.went_well, k.was_hard from check_in k \
         join partner p on p.couple_id = k.couple_id and p.position = k.position \
         where k.couple_id = $1 and k.position <> $2 and k.share_text = 1 \
         and (k.went_well <> '' or k.was_hard <> '') order by k.submitted_at desc limit $3",
    )
    .bind(couple_id)
    .bind(position)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// Whether the partner's next check-in is due, in words ("Your check-in is due.", or when
/// it will be), from when they last checked in (`latest`, UTC milliseconds) and the couple's
/// rhythm of `days`.
pub fn due_words(latest: Option<i64>, days: i64, zone: Tz) -> (String, bool) {
    let next = latest.map(|at| at + days * DAY_MS);
    let is_due = next.is_none_or(|n| n <= now_ms());
    let due = match next {
        None => "Your first check-in is waiting for you.".to_string(),
        Some(_) if is_due => "Your check-in is due.".to_string(),
        Some(n) => format!(
            "Next check-in due {}. You can also check in any time.",
            tz::at(n, zone).format("%A %-d %B")
        ),
    };
    (due, is_due)
}

/// The partner's check-in page: whether one is due, their own history, and what the other
/// partner shared.
pub async fn page_for_partner(
    db: &Db,
    user_id: &str,
    couple_id: &str,
    position: i64,
    zone: Tz,
) -> Result<CheckInPage, AppError> {
    let days = crate::couple::load(db, &couple_id.into())
        .await?
        .ok_or(AppError::NotFound)?
        .check_in_days;
    let mine: Vec<CheckInRow> = sqlx::query_as(&format!(
        "{CHECK_IN_SELECT} where couple_id = $1 and position = $2 and app_user_id = $3 \
         order by submitted_at desc limit 20"
    ))
    .bind(couple_id)
    .bind(position)
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let other = shared_texts(db, couple_id, position, 10).await?;
    let (due, is_due) = due_words(mine.first().map(|r| r.submitted_at), days, zone);
    let agreements = crate::features::agreements::repo::questions(db, couple_id)
        .await?
        .into_iter()
        .map(
            |(agreement_id, _, body)| crate::features::agreements::AgreementQuestion {
                agreement_id,
                body,
            },
        )
        .collect();
    Ok(CheckInPage {
        help: None,
        seen: None,
        offer_private_thread: false,
        trust_question: {
            let couple = crate::couple::load(db, &couple_id.into())
                .await?
                .ok_or(AppError::NotFound)?;
            let role = couple.partners[(position as usize).clamp(1, 2) - 1].rupture_role;
            super::super::divergence::trust_question(role).to_string()
        },
        couple_id: crate::couple::couple_param(db, user_id, couple_id).await?,
        agreements,
        csi_enabled: csi_enabled(db).await?,
        due,
        is_due,
        history: mine
            .iter()
            .map(|r| OwnCheckIn {
                when: tz::when(r.submitted_at, zone),
                scores: scores(r),
                went_well: r.went_well.clone(),
                was_hard: r.was_hard.clone(),
                shared: r.share_text == 1,
            })
            .collect(),
        shared: other
            .into_iter()
            .map(|(partner_name, at, went_well, was_hard)| SharedText {
                partner_name,
                when: tz::when(at, zone),
                went_well,
                was_hard,
            })
            .collect(),
    })
}
