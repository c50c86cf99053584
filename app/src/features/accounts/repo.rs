//! SQL and rules for creating and listing accounts.

use super::AccountSummary;
use crate::audit::AuditAction;
use crate::audit::repo::{AuditEntry, record};
use crate::auth::repo::{NewUser, count_users, delete_sessions_of, insert_user, set_status};
use crate::auth::{Role, password};
use crate::db::Db;
use crate::error::AppError;
use crate::valid::{check_display_name, check_email};

/// An account to create, as entered.
pub struct NewAccount<'a> {
    pub role: Role,
    pub display_name: &'a str,
    pub email: &'a str,
    pub password: String,
}

/// What the first-run form answers once any account exists.
pub const ALREADY_SET_UP: &str = "Trellis already has an administrator. Please sign in instead.";

/// Validates and creates an account with a password. With `only_if_empty`, refuses when any
/// account already exists (the first-run page), checked inside the write transaction so two
/// racing first-run submissions cannot both succeed.
pub async fn create_with_password(
    db: &Db,
    account: NewAccount<'_>,
    only_if_empty: bool,
    actor: Option<&str>,
    ip: Option<&str>,
) -> Result<String, AppError> {
    let role = account.role;
    let display_name = check_display_name(account.display_name)?;
    let email = check_email(account.email)?;
    password::check_new_password(&account.password, &email)?;
    let hash = password::hash(account.password).await?;
    let mut tx = db.begin_write().await?;
    if only_if_empty && count_users(&mut *tx).await? > 0 {
        return Err(AppError::Conflict(ALREADY_SET_UP.into()));
    }
    let user_id = match insert_user(
        &mut *tx,
        NewUser {
            email: &email,
            display_name: &display_name,
            role,
            password_hash: Some(&hash),
        },
    )
    .await
    {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::validation(
                "email",
                "An account with this email address already exists.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    record(
        &mut *tx,
        AuditAction::AccountCreated,
        AuditEntry {
            actor_user_id: actor,
            subject_user_id: Some(&user_id),
            ip,
            detail: Some(role.as_str()),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(user_id)
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    app_user_id: String,
    display_name: String,
    email: String,
    role: String,
    status: String,
    created_at: i64,
    two_factor: i64,
}

pub async fn list(db: &Db) -> Result<Vec<AccountSummary>, AppError> {
    let rows: Vec<AccountRow> = sqlx::query_as(
        "select u.app_user_id, u.display_name, u.email, u.role, u.status, u.created_at, \
         (select count(*) from user_mfa m where m.app_user_id = u.app_user_id \
          and m.enabled_at is not null) as two_factor \
         from app_user u order by u.role, u.display_name",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AccountSummary {
            role: Role::parse(&r.role).unwrap_or(Role::Partner),
            user_id: r.app_user_id,
            display_name: r.display_name,
            email: r.email,
            status: r.status,
            created_at: chrono::DateTime::from_timestamp_millis(r.created_at).unwrap_or_default(),
            two_factor: r.two_factor > 0,
        })
        .collect())
}

/// Deactivates (ending every session) or reactivates an account.
pub async fn set_active(
    db: &Db,
    user_id: &str,
    active: bool,
    actor: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let status: Option<String> =
        sqlx::query_scalar("select status from app_user where app_user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    let status = status.ok_or(AppError::NotFound)?;
    let wanted = if active { "active" } else { "deactivated" };
    if status == wanted {
        return Err(AppError::Conflict(format!(
            "This account is already {}.",
            if active { "active" } else { "deactivated" }
        )));
    }
    set_status(&mut *tx, user_id, wanted).await?;
    if !active {
        delete_sessions_of(&mut *tx, user_id).await?;
        crate::auth::held::repo::delete_of(&mut *tx, user_id).await?;
    }
    record(
        &mut *tx,
        if active {
            AuditAction::AccountReactivated
        } else {
            AuditAction::AccountDeactivated
        },
        AuditEntry {
            actor_user_id: Some(actor),
            subject_user_id: Some(user_id),
            ip,
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
