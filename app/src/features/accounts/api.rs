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
