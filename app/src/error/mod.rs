//! The one error type both sides share. Users see a clear message; internal failures are
//! logged with context on the server and shown only as a generic message with a reference.

use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

pub mod wire;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    NotSignedIn,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("Email or password is incorrect.")]
    InvalidCredentials,
    #[error("This account has been deactivated. Please contact your practice administrator.")]
    AccountDeactivated,
    #[error(
        "Too many failed sign-in attempts. Please wait {} and try again.",
        wait_phrase(*retry_after_secs)
    )]
    Throttled { retry_after_secs: i64 },
    #[error(
        "Your sign-in has expired: the code must be entered within five minutes of your password. Please sign in again."
    )]
    SignInExpired,
    #[error(
        "Your practice requires two-factor sign-in. Set it up on your two-factor page to continue."
    )]
    TwoFactorRequired,
    #[error("{message}")]
    Validation { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("Something went wrong on our side and nothing was changed. Reference: {request_id}.")]
    Internal { request_id: String },
    #[error("The request could not be understood. Please reload the page and try again.")]
    BadRequest,
    #[error("Trellis could not be reached. Check your connection and try again.")]
    Unavailable,
    #[error("Configuration error: {0}")]
    Config(String),
    #[error(
        "Please read and sign your practice's consent first: it opens at /consent. Everything else opens once you have signed."
    )]
    ConsentRequired,
}

fn wait_phrase(secs: i64) -> String {
    let minutes = (secs.max(1) + 59) / 60;
    if minutes <= 1 {
        "a minute".to_string()
    } else {
        format!("{minutes} minutes")
    }
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The field a validation error belongs to, for showing the message beside it.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The HTTP status a non-browser client receives for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotSignedIn | AppError::InvalidCredentials | AppError::SignInExpired => 401,
            AppError::Forbidden
            | AppError::AccountDeactivated
            | AppError::TwoFactorRequired
            | AppError::ConsentRequired => 403,
            AppError::NotFound => 404,
            AppError::Throttled { .. } => 429,
            AppError::Validation { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::BadRequest => 400,
            AppError::Internal { .. } | AppError::Config(_) => 500,
            AppError::Unavailable => 503,
        }
    }

    /// Logs an unexpected failure with its context and returns the generic error users see.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        let request_id = crate::crypto::token::short_reference();
        tracing::error!(%request_id, context, error = %err, "internal error");
        AppError::Internal { request_id }
    }
}

impl FromServerFnError for AppError {
    type Encoder = wire::ErrorJson;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::BadRequest,
            _ => AppError::Unavailable,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        AppError::internal("database", err)
    }
}

/// Tells a non-browser caller the real status of a failed server function. Browsers posting a
/// plain form get leptos' redirect back to the form (with the message) instead, because a
/// browser does not follow a `Location` on a 4xx response.
#[cfg(feature = "ssr")]
pub fn report_status(err: &AppError) {
    use leptos::prelude::use_context;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return;
    };
    let accepts_html = parts
        .headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if accepts_html {
        return;
    }
    if let (Some(res), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(err.status_code()),
    ) {
        res.set_status(status);
        if let AppError::Throttled { retry_after_secs } = err
            && let Ok(v) = http::HeaderValue::from_str(&retry_after_secs.to_string())
        {
            res.insert_header(http::header::RETRY_AFTER, v);
        }
    }
}

/// Ends a form's server function: on success, sends the browser to `to`; on failure,
/// reports the error's status to non-browser callers (see `report_status`).
#[cfg(feature = "ssr")]
pub fn finish<T>(result: &Result<T, AppError>, to: &str) {
    match result {
        Ok(_) => leptos_axum::redirect(to),
        Err(err) => report_status(err),
    }
}

/// "Not found", reported with its status: what anyone gets for what is not theirs.
#[cfg(feature = "ssr")]
pub fn not_found<T>() -> Result<T, AppError> {
    let err = AppError::NotFound;
    report_status(&err);
    Err(err)
}
