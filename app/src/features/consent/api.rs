//! Server functions: reading and signing the consent (open to a partner who has not signed
//! yet), the administrator's edits, and a signature's printable record.

use super::{ConsentSettings, ConsentToSign, SignatureRecord};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{MAX_BODY, MAX_NAME, repo},
    crate::auth::{Role, guard},
    crate::error::{finish, not_found},
    crate::state::app_state,
};

/// The current consent and the reader's own signature. Anyone signed in may read it; only
/// partners sign.
#[server(prefix = "/api", endpoint = "read_consent")]
pub async fn read_consent() -> Result<ConsentToSign, AppError> {
    let me = guard::require_user_consenting()?;
    let db = &app_state()?.db;
    let tz = crate::couple::time_zone(db, &me.user.user_id).await?;
    let current = repo::current(db, tz).await?;
    let is_partner = me.user.role == Role::Partner;
    let signed = if is_partner {
        repo::latest_signature(db, &me.user.user_id, tz).await?
    } else {
        None
    };
    Ok(ConsentToSign {
        current,
        is_partner,
        signed,
    })
}

/// A partner signs `version`: they ticked that they have read and agree, and typed their
/// full name. Their address and the exact text's SHA-256 are kept with it.
#[server(prefix = "/api", endpoint = "sign_consent")]
pub async fn sign_consent(
    version: String,
    #[server(default)] agree: String,
    #[server(default)] full_name: String,
    #[server(default)] then: String,
) -> Result<(), AppError> {
    let me = guard::require_user_consenting()?;
    let result = async {
        if me.user.role != Role::Partner {
            return Err(AppError::Forbidden);
        }
        let version = version
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::BadRequest)?;
        if agree != "on" && agree != "yes" {
            return Err(AppError::validation(
                "agree",
                "Tick \u{201c}I have read and agree\u{201d} to sign.",
            ));
        }
        let name = full_name.trim();
        if name.is_empty() {
            return Err(AppError::validation(
                "full_name",
                "Type your full name to sign.",
            ));
        }
        if name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
            return Err(AppError::validation(
                "full_name",
                format!("Type your full name on one line, in up to {MAX_NAME} characters."),
            ));
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::sign(&state.db, &me.user.user_id, version, name, ip.as_deref()).await
    }
    .await;
    // Someone who has just joined goes on to their welcome.
    let to = if then == "welcome" {
        "/?welcome=1"
    } else {
        "/?consented=1"
    };
    finish(&result, to);
    result
}

/// The administrator's page: the current text and every version.
#[server(prefix = "/api", endpoint = "consent_admin")]
pub async fn consent_admin() -> Result<ConsentSettings, AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let db = &app_state()?.db;
    let tz = crate::couple::time_zone(db, &admin.user.user_id).await?;
    let current = repo::current(db, tz).await?;
    Ok(ConsentSettings {
        current,
        is_default: repo::is_default(db).await?,
        history: repo::history(db, tz).await?,
    })
}

/// Publishes an edited consent as a new version (earlier versions are kept as they were,
/// with their signatures). Every partner is asked to sign it at their next page.
#[server(prefix = "/api", endpoint = "publish_consent")]
pub async fn publish_consent(body: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        // Line endings as browsers send them vary; the text signed is the text stored.
        let body = body.replace("\r\n", "\n").trim().to_string();
        if body.is_empty() {
            return Err(AppError::validation(
                "body",
                "Write the consent text before publishing it.",
            ));
        }
        if body.chars().count() > MAX_BODY {
            return Err(AppError::validation(
                "body",
                format!(
                    "The consent text can be up to {MAX_BODY} characters; this one has {}. \
                     Please shorten it.",
                    body.chars().count()
                ),
            ));
        }
        if body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(AppError::validation(
                "body",
                "The text holds a control character that cannot be shown. Please remove it.",
            ));
        }
        let state = app_state()?;
        let ip = guard::request_context().ip;
        repo::publish(&state.db, &body, &admin.user.user_id, ip.as_deref()).await
    }
    .await;
    finish(&result, "/admin/consent?saved=1");
    result.map(|_| ())
}

/// A signature's printable record, for the partner who signed and for the counselor of a
/// couple they are in. Anyone else gets "not found".
#[server(prefix = "/api", endpoint = "consent_record")]
pub async fn consent_record(signature_id: String) -> Result<SignatureRecord, AppError> {
    let me = guard::require_user()?;
    let db = &app_state()?.db;
    let Some((signer, record)) = repo::signature(db, signature_id.trim()).await? else {
        return not_found();
    };
    let allowed = signer == me.user.user_id.as_str()
        || (me.user.role == Role::Counselor
            && repo::counsels(db, &me.user.user_id, &signer).await?);
    if !allowed {
        return not_found();
    }
    Ok(record)
}
