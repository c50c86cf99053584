//! Rows for signing in, accounts, practice administration, reminders and invitations.

use super::{
    ADMIN, CASE_COUNSELOR, EVERYONE, NOBODY, Row, SIGNED_IN, STAFF, closed, own_session,
    past_guard, row,
};
use crate::helpers::PASSWORD;

const A_AND_COUNSELOR: &[super::Actor] = &[super::Actor::PartnerA, super::Actor::Counselor];

pub const ROWS: &[Row] = &[
    // Signing in and out.
    row("current_user", &[], EVERYONE),
    row("sign_in_options", &[], EVERYONE),
    own_session(
        "sign_in",
        &[("email", "spare@example.org"), ("password", PASSWORD)],
        EVERYONE,
    ),
    own_session("sign_out", &[], SIGNED_IN),
    // Two-factor sign-in. Nobody here has a sign-in waiting for its second step, so the
    // code is refused as expired (401) for everyone.
    row("pending_sign_in", &[], EVERYONE),
    Row {
        refusal: &[401],
        ..row("verify_sign_in_code", &[("code", "000000")], NOBODY)
    },
    row("mfa_status", &[], STAFF),
    row("start_mfa_setup", &[], STAFF),
    // A code nobody knows: past the guard, refused as wrong (422) or as having nothing
    // waiting for it (409).
    past_guard(
        "confirm_mfa_setup",
        &[("code", "000000")],
        STAFF,
        &[409, 422],
    ),
    past_guard(
        "renew_recovery_codes",
        &[("code", "000000")],
        STAFF,
        &[409, 422],
    ),
    past_guard("turn_off_mfa", &[("proof", "000000")], STAFF, &[409, 422]),
    // A reset also ends the person's sessions: a fresh one each call, not an actor's.
    row("reset_mfa", &[("user_id", "{new_mfa_user}")], ADMIN),
    row("set_two_factor_required", &[("required", "off")], ADMIN),
    // Closed for good once any account exists.
    closed(
        "create_first_admin",
        &[
            ("display_name", "Intruder"),
            ("email", "{new_email}"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    ),
    // Practice administration.
    row("get_practice_settings", &[], ADMIN),
    row("set_retention_years", &[("retention_years", "7")], ADMIN),
    // Consent: anyone signed in reads it; partners sign it (each has signed this version
    // already, so past the guard it is refused as done: 409); only an administrator
    // publishes (the same text publishes nothing new).
    row("read_consent", &[], SIGNED_IN),
    past_guard(
        "sign_consent",
        &[
            ("version", "{consent_version}"),
            ("agree", "on"),
            ("full_name", "Someone Signing"),
        ],
        super::PARTNERS,
        &[409],
    ),
    row("consent_admin", &[], ADMIN),
    row(
        "publish_consent",
        &[("body", crate::privacy::world::PRACTICE_CONSENT)],
        ADMIN,
    ),
    row(
        "consent_record",
        &[("signature_id", "{consent_a}")],
        A_AND_COUNSELOR,
    ),
    // Crisis help: anyone reads it; only an administrator changes it.
    row("crisis_help", &[], EVERYONE),
    row("crisis_settings", &[], ADMIN),
    row(
        "add_crisis_resource",
        &[
            ("name", "Crisis line"),
            ("details", "Talk to someone now"),
            ("phone", "+1 555 010 0000"),
            ("text", "555 010"),
            ("link", "https://example.org/help"),
            ("hours", "At any time"),
        ],
        ADMIN,
    ),
    row(
        "set_crisis_response",
        &[("statement", "Within one working day.")],
        ADMIN,
    ),
    // Removes the second entry while it is still the one named (the tests in safety.rs
    // show a changed list answers 409 and removes nothing).
    row(
        "remove_crisis_resource",
        &[("position", "2"), ("name", "Find A Helpline")],
        ADMIN,
    ),
    row("list_couples", &[("page", "1")], ADMIN),
    row(
        "reassign_couple",
        &[("couple_id", "{new_couple}"), ("counselor_id", "{dana_id}")],
        ADMIN,
    ),
    row(
        "audit_log",
        &[
            ("person", ""),
            ("couple", ""),
            ("from", ""),
            ("to", ""),
            ("page", "1"),
        ],
        ADMIN,
    ),
    row("practice_overview", &[], ADMIN),
    row("list_accounts", &[], ADMIN),
    row(
        "set_account_active",
        &[("user_id", "{new_user}"), ("active", "false")],
        ADMIN,
    ),
    // Each person's own settings.
    row("my_reminder_settings", &[], SIGNED_IN),
    row(
        "set_email_reminders",
        &[("email_reminders", "on"), ("session_reminder_hours", "24")],
        SIGNED_IN,
    ),
    row("set_time_zone", &[("time_zone", "UTC")], SIGNED_IN),
    // Passwords. Changing one's own keeps the caller's session (the same password again);
    // asking for a link by email answers "this practice does not send email" (409) here,
    // to everyone alike; a reset link is the credential: whoever holds it may use it, in a
    // browser of their own since using it signs that browser out (`resets.rs` proves it
    // sets only its own account's password, and only once).
    // Calendar feeds: each person their own (an administrator's lists no sessions).
    row("my_calendar", &[], SIGNED_IN),
    row("make_calendar_link", &[], SIGNED_IN),
    row("stop_calendar_link", &[], SIGNED_IN),
    row(
        "set_calendar_names",
        &[("full_names", "on")],
        super::COUNSELORS,
    ),
    row("my_password_settings", &[], SIGNED_IN),
    row(
        "change_password",
        &[
            ("current_password", PASSWORD),
            ("new_password", PASSWORD),
            ("new_password_confirm", PASSWORD),
        ],
        SIGNED_IN,
    ),
    row("password_help", &[], EVERYONE),
    past_guard(
        "forgot_password",
        &[("email", "jordan@example.org")],
        EVERYONE,
        &[409],
    ),
    row(
        "get_password_reset",
        &[("token", "{new_reset_token}")],
        EVERYONE,
    ),
    own_session(
        "reset_password",
        &[
            ("token", "{new_reset_token}"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
        EVERYONE,
    ),
    row(
        "make_partner_reset_link",
        &[("couple_id", "{couple}"), ("position", "2")],
        CASE_COUNSELOR,
    ),
    row("make_reset_link", &[("user_id", "{new_user}")], ADMIN),
    row("fresh_reset_links", &[], ADMIN),
    // Invitations.
    row(
        "invite_partner",
        &[("couple_id", "{spare_couple}"), ("position", "1")],
        CASE_COUNSELOR,
    ),
    row(
        "revoke_partner_invitation",
        &[("couple_id", "{new_invited_couple}"), ("position", "2")],
        CASE_COUNSELOR,
    ),
    row(
        "invite_counselor",
        &[("display_name", "Lee"), ("email", "{new_email}")],
        ADMIN,
    ),
    row(
        "revoke_counselor_invitation",
        &[("invitation_id", "{new_counselor_invitation}")],
        ADMIN,
    ),
    row("list_counselor_invitations", &[], ADMIN),
    // An invitation link is the credential: whoever holds it may open and accept it.
    row(
        "get_invitation",
        &[("token", "{new_partner_token}")],
        EVERYONE,
    ),
    own_session(
        "accept_invitation",
        &[
            ("token", "{new_partner_token}"),
            ("display_name", "New Partner"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
        EVERYONE,
    ),
    // An address that already has an account: its owner accepts with that password.
    own_session(
        "accept_invitation_with_account",
        &[("token", "{new_member_token}"), ("password", PASSWORD)],
        EVERYONE,
    ),
];
