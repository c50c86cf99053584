//! Columns of accounts, sign-in and the practice's own machinery: people, sessions,
//! second factors, invitations and resets, the settings, the audit trail and the outbox.

use super::Holds::*;

pub const COLUMNS: super::Family = &[
    (
        "app_setting",
        &[("app_setting_id", Structure), ("value", Structure)],
    ),
    (
        "app_user",
        &[
            ("app_user_id", Structure),
            ("email", Content("identity")),
            ("display_name", Content("identity")),
            ("role", Structure),
            ("password_hash", Secret),
            ("status", Structure),
            ("created_at", Structure),
            ("updated_at", Structure),
            ("email_reminders", Structure),
            // How long before a session its reminder email comes (2, 24 or 48 hours).
            ("session_reminder_hours", Structure),
            ("time_zone", Structure),
            // A counselor's joining link for online sessions.
            ("meeting_link", Content("session place")),
        ],
    ),
    (
        "audit_event",
        &[
            ("audit_event_id", Structure),
            ("at", Structure),
            ("actor_user_id", Structure),
            ("action", Structure),
            ("subject_user_id", Structure),
            ("couple_id", Structure),
            ("ip", Content("audit entry")),
            ("detail", Structure),
        ],
    ),
    (
        "calendar_feed",
        &[
            ("app_user_id", Structure),
            // The keyed hash of the feed address's token (the token is never stored).
            ("token_hash", Secret),
            // A counselor's choice: names or initials in their feed.
            ("full_names", Structure),
            ("created_at", Structure),
            ("updated_at", Structure),
            ("last_read_at", Structure),
        ],
    ),
    (
        "email_outbox",
        &[
            ("email_id", Structure),
            ("dedupe_key", Structure),
            ("kind", Structure),
            ("app_user_id", Structure),
            ("to_address", Content("identity")),
            ("subject", Structure),
            // Checked as the recipient receives it (every email is a place the oracle reads).
            ("body", Structure),
            ("created_at", Structure),
            ("claimed_by", Structure),
            ("claimed_until", Structure),
            ("attempts", Structure),
            ("sent_at", Structure),
            ("dropped_at", Structure),
            ("last_error", Structure),
        ],
    ),
    (
        "held_form",
        &[
            ("held_form_id", Structure),
            ("token_hash", Secret),
            ("app_user_id", Structure),
            // A server function's name, from a fixed list.
            ("endpoint", Structure),
            // The form its author sent after their sign-in lapsed, sealed under a key only
            // their browser's cookie opens: no response ever carries it, to anyone; it is
            // sent once, for its author, as the form it was.
            ("sealed", Secret),
            ("created_at", Structure),
            ("expires_at", Structure),
        ],
    ),
    (
        "password_reset",
        &[
            ("password_reset_id", Structure),
            ("token_hash", Secret),
            ("app_user_id", Structure),
            ("made_by", Structure),
            ("created_at", Structure),
            ("expires_at", Structure),
            ("used_at", Structure),
        ],
    ),
    (
        "invitation",
        &[
            ("invitation_id", Structure),
            ("token_hash", Secret),
            ("role", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("email", Content("identity")),
            ("display_name", Content("identity")),
            ("created_by", Structure),
            ("created_at", Structure),
            ("expires_at", Structure),
            ("accepted_at", Structure),
            ("accepted_by", Structure),
            ("revoked_at", Structure),
        ],
    ),
    (
        "mfa_pending_login",
        &[
            ("mfa_pending_login_id", Secret),
            ("app_user_id", Structure),
            ("first_step", Structure),
            ("created_at", Structure),
            ("expires_at", Structure),
        ],
    ),
    (
        "mfa_recovery_code",
        &[
            ("mfa_recovery_code_id", Structure),
            ("app_user_id", Structure),
            ("code_hash", Secret),
            ("created_at", Structure),
            ("used_at", Structure),
        ],
    ),
    (
        "oidc_identity",
        &[
            ("issuer", Structure),
            ("subject", Structure),
            ("app_user_id", Structure),
            ("created_at", Structure),
        ],
    ),
    (
        "oidc_login",
        &[
            ("oidc_login_id", Secret),
            ("pkce_verifier", Secret),
            ("nonce", Secret),
            ("created_at", Structure),
            ("invitation_id", Structure),
        ],
    ),
    (
        "sign_in_throttle",
        &[
            // "email:…" or "ip:…": counted, never shown.
            ("throttle_key", Structure),
            ("failures", Structure),
            ("in_flight", Structure),
            ("window_started_at", Structure),
        ],
    ),
    (
        "user_mfa",
        &[
            ("app_user_id", Structure),
            ("secret", Secret),
            ("created_at", Structure),
            ("enabled_at", Structure),
            ("last_used_step", Structure),
        ],
    ),
    (
        "user_session",
        &[
            ("user_session_id", Secret),
            ("app_user_id", Structure),
            ("created_at", Structure),
            ("last_seen_at", Structure),
            ("expires_at", Structure),
            ("ip", Content("audit entry")),
            ("lapsed_at", Structure),
        ],
    ),
];
