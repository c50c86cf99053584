//! Password policy and hashing. Argon2 (via `password-auth`) runs on the blocking pool so a
//! hash never stalls the async workers serving other people.

use super::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use crate::error::AppError;
use std::sync::OnceLock;

/// Passwords that appear at the top of breach corpora and meet the length rule anyway.
/// Compared case-insensitively; shorter common passwords already fail the length rule.
const COMMON: &str = include_str!("common_passwords.txt");

/// Checks a new password against the policy; `email` is the account's own address.
pub fn check_new_password(password: &str, email: &str) -> Result<(), AppError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            format!(
                "Use at least {MIN_PASSWORD_CHARS} characters. A few unrelated words make a strong, memorable password."
            ),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            format!("Use at most {MAX_PASSWORD_CHARS} characters."),
        ));
    }
    let lowered = password.to_lowercase();
    let local_part = email.split('@').next().unwrap_or("").to_lowercase();
    let distinct: std::collections::BTreeSet<char> = lowered.chars().collect();
    let common = COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l.eq_ignore_ascii_case(&lowered));
    if common || distinct.len() < 4 || (local_part.len() >= 4 && lowered.contains(&local_part)) {
        return Err(AppError::validation(
            "password",
            "That password is too easy to guess. Choose something less common that does not contain your email address.",
        ));
    }
    Ok(())
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| AppError::internal("password hashing task", e))
}

/// Verifies a password against a stored hash. With no hash (unknown account, or an account
/// that signs in only through OIDC) it still does the same work, so timing tells nothing.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let stored_hash = stored.as_deref().unwrap_or_else(|| decoy_hash());
        let ok = password_auth::verify_password(password, stored_hash).is_ok();
        ok && stored.is_some()
    })
    .await
    .map_err(|e| AppError::internal("password verification task", e))
}

fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| password_auth::generate_hash(crate::crypto::token::new_token()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_refuses_short_common_and_self_referential_passwords() {
        let email = "jordan.lee@example.org";
        assert!(check_new_password("short-pass", email).is_err());
        assert!(check_new_password("Password1234", email).is_err());
        assert!(check_new_password("aaaaaaaaaaaaaaaa", email).is_err());
        assert!(check_new_password("my jordan.lee secret", email).is_err());
        assert!(check_new_password(&"x".repeat(300), email).is_err());
        assert!(check_new_password("copper kettle on a windy hill", email).is_ok());
        assert!(check_new_password("trellis-demo", email).is_ok());
    }

    #[tokio::test]
    async fn hashes_verify_and_missing_hashes_never_do() {
        let h = hash("copper kettle on a windy hill".into()).await.unwrap();
        assert!(
            verify("copper kettle on a windy hill".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify("copper kettle on a windy hilL".into(), Some(h))
                .await
                .unwrap()
        );
        assert!(!verify("anything at all here".into(), None).await.unwrap());
    }
}
