//! A case's details: creating a couple with its two partners, and correcting them later.

use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::couple::RuptureRole;
use crate::db::{Db, new_id, now_ms};
use crate::error::AppError;

/// A new couple's details, already checked (see `api::NewCouple::check`).
pub struct ValidCouple {
    pub case_name: String,
    pub partners: [ValidPartner; 2],
    pub rupture_date: Option<chrono::NaiveDate>,
    pub presenting_concerns: Option<String>,
    pub intake_notes: Option<String>,
}

pub struct ValidPartner {
    pub display_name: String,
    pub email: String,
    pub pronouns: Option<String>,
    pub rupture_role: RuptureRole,
}

/// Creates the couple, its two partners and the first timeline entry, all or nothing.
pub async fn create(
    db: &Db,
    counselor_id: &str,
    couple: &ValidCouple,
    ip: Option<&str>,
) -> Result<String, AppError> {
    let couple_id = new_id();
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "insert into couple (couple_id, case_name, counselor_id, status, rupture_date, \
         presenting_concerns, intake_notes, created_at, updated_at) \
         values ($1, $2, $3, 'intake', $4, $5, $6, $7, $7)",
    )
    .bind(&couple_id)
    .bind(&couple.case_name)
    .bind(counselor_id)
    .bind(couple.rupture_date.map(|d| d.to_string()))
    .bind(couple.presenting_concerns.as_deref())
    .bind(couple.intake_notes.as_deref())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for (i, p) in couple.partners.iter().enumerate() {
        sqlx::query(
            "insert into partner (partner_id, couple_id, position, display_name, email, \
             pronouns, rupture_role, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(&couple_id)
        .bind(i as i64 + 1)
        .bind(&p.display_name)
        .bind(&p.email)
        .bind(p.pronouns.as_deref())
        .bind(p.rupture_role.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    record(
        &mut *tx,
        AuditAction::CaseCreated,
        AuditEntry {
            actor_user_id: Some(counselor_id),
            couple_id: Some(&couple_id),
            ip,
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(couple_id)
}

/// Saves corrected details of an open case, all or nothing.
pub async fn update(
    db: &Db,
    couple_id: &str,
    couple: &ValidCouple,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    crate::couple::forget(couple_id);
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let status: Option<String> =
        sqlx::query_scalar("select status from couple where couple_id = $1")
            .bind(couple_id)
            .fetch_optional(&mut *tx)
            .await?;
    match status.as_deref() {
        None => return Err(AppError::NotFound),
        Some("closed") => {
            return Err(AppError::Conflict(
                "This case is closed and read-only. Reopen it to change its details.".into(),
            ));
        }
        Some(_) => {}
    }
    for (i, p) in couple.partners.iter().enumerate() {
        let position = i as i64 + 1;
        let (email, account): (String, Option<String>) = sqlx::query_as(
            "select email, app_user_id from partner where couple_id = $1 and position = $2",
        )
        .bind(couple_id)
        .bind(position)
        .fetch_one(&mut *tx)
        .await?;
        if email != p.email {
            if account.is_some() {
                return Err(AppError::validation(
                    "partner_email",
                    format!(
                        "{} has joined: their email is how they sign in, so it cannot be changed here.",
                        p.display_name
                    ),
                ));
            }
            sqlx::query(
                "update invitation set revoked_at = $1 where couple_id = $2 and position = $3 \
                 and accepted_at is null and revoked_at is null",
            )
            .bind(now)
            .bind(couple_id)
            .bind(position)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "update partner set display_name = $1, email = $2, pronouns = $3, rupture_role = $4 \
             where couple_id = $5 and position = $6",
        )
        .bind(&p.display_name)
        .bind(&p.email)
        .bind(p.pronouns.as_deref())
        .bind(p.rupture_role.as_str())
        .bind(couple_id)
        .bind(position)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "update couple set case_name = $1, rupture_date = $2, presenting_concerns = $3, \
         intake_notes = $4, updated_at = $5 where couple_id = $6",
    )
    .bind(&couple.case_name)
    .bind(couple.rupture_date.map(|d| d.to_string()))
    .bind(couple.presenting_concerns.as_deref())
    .bind(couple.intake_notes.as_deref())
    .bind(now)
    .bind(couple_id)
    .execute(&mut *tx)
    .await?;
    record(
        &mut *tx,
        AuditAction::CaseUpdated,
        AuditEntry {
            actor_user_id: Some(actor),
            couple_id: Some(couple_id),
            ip,
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
