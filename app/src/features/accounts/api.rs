//! Server functions for administering accounts.

use super::AccountSummary;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{auth::Role, auth::guard, state::app_state};

/// Every account in the practice. Administrators only.
#[server(prefix = "/api", endpoint = "list_accounts")]
pub async fn list_accounts() -> Result<Vec<AccountSummary>, AppError> {
    let _admin = guard::require_role(&[Role::Admin])?;
    let state = app_state()?;
    super::repo::list(&state.db).await
}

/// Deactivates an account (ending its sessions at once) or reactivates it. Administrators
/// only, and never their own account.
#[server(prefix = "/api", endpoint = "set_account_active")]
pub async fn set_account_active(user_id: String, active: bool) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        if admin.user.user_id == user_id {
            return Err(AppError::Conflict(
                "You cannot deactivate your own account. Ask another administrator.".into(),
            ));
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        super::repo::set_active(
            &state.db,
            &user_id,
            active,
            &admin.user.user_id,
            ip.as_deref(),
        )
        .await
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect("/#accounts"),
        Err(err) => crate::error::report_status(err),
    }
    result
}
