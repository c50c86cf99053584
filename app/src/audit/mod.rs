//! The audit trail: who did what, to which account or case, when and from where.
//! Append-only (the database refuses UPDATE and DELETE); it holds ids, never clinical text.

#[cfg(feature = "ssr")]
pub mod repo;

/// Every kind of event the trail records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    SignInThrottled,
    SignOut,
    SessionExpired,
    OidcSignIn,
    OidcSignInRefused,
    AccountCreated,
    DemoPracticeSeeded,
    CaseCreated,
    CaseViewed,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignInThrottled => "sign_in_throttled",
            AuditAction::SignOut => "sign_out",
            AuditAction::SessionExpired => "session_expired",
            AuditAction::OidcSignIn => "oidc_sign_in",
            AuditAction::OidcSignInRefused => "oidc_sign_in_refused",
            AuditAction::AccountCreated => "account_created",
            AuditAction::DemoPracticeSeeded => "demo_practice_seeded",
            AuditAction::CaseCreated => "case_created",
            AuditAction::CaseViewed => "case_viewed",
        }
    }

    /// How a stored action reads on a case timeline.
    pub fn describe(action: &str) -> &str {
        match action {
            "case_created" => "Case opened",
            other => other,
        }
    }
}
