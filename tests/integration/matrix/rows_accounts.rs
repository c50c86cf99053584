//! Rows for signing in, accounts, practice administration, reminders and invitations.

use super::{ADMIN, CASE_COUNSELOR, EVERYONE, Row, SIGNED_IN, closed, own_session, row};
use crate::helpers::PASSWORD;

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
        &[("email_reminders", "on")],
        SIGNED_IN,
    ),
    row("set_time_zone", &[("time_zone", "UTC")], SIGNED_IN),
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
];
