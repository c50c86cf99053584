//! What every column of every table holds: content of a kind in `KINDS` (whose readers
//! apply), a secret nobody may ever be shown, or structure (ids, times, numbers, choices).
//! A column the database has and this list lacks fails the test, so a feature says what it
//! stores before it stores it.

use super::KINDS;

/// What a stored column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// Words or answers people wrote: the kind (in `KINDS`) whose readers apply.
    Content(&'static str),
    /// A secret no response may ever carry, to anyone (hashes, keys, tokens).
    Secret,
    /// Ids, times, numbers, fixed choices and names of things (not what someone wrote).
    Structure,
}
use Holds::*;

/// Every column of every table. A column the database has and this list lacks fails the
/// test: a new feature says what it stores before it stores it.
pub const COLUMNS: &[(&str, &[(&str, Holds)])] = &[
    (
        "agenda_item",
        &[
            ("agenda_item_id", Structure),
            ("counseling_session_id", Structure),
            ("body", Content("session")),
            ("created_by", Structure),
            ("created_at", Structure),
        ],
    ),
    (
        "agreement",
        &[
            ("agreement_id", Structure),
            ("couple_id", Structure),
            ("created_at", Structure),
            ("retired_at", Structure),
            ("retired_by", Structure),
        ],
    ),
    (
        "agreement_ack",
        &[
            ("agreement_version_id", Structure),
            ("position", Structure),
            ("app_user_id", Structure),
            ("acknowledged_at", Structure),
        ],
    ),
    (
        "agreement_keeping",
        &[
            ("check_in_id", Structure),
            ("agreement_id", Structure),
            ("agreement_version_id", Structure),
            // kept / partly / not: a fixed choice, read by the counselor alone.
            ("kept", Structure),
        ],
    ),
    (
        "agreement_version",
        &[
            ("agreement_version_id", Structure),
            ("agreement_id", Structure),
            ("version", Structure),
            ("body", Content("agreement")),
            ("written_by", Structure),
            ("written_at", Structure),
            ("approved_by", Structure),
            ("approved_at", Structure),
            ("declined_at", Structure),
            ("decline_reason", Content("agreement")),
        ],
    ),
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
        "assignment",
        &[
            ("assignment_id", Structure),
            ("couple_id", Structure),
            ("assignment_group", Structure),
            ("position", Structure),
            ("template_version_id", Structure),
            ("step_number", Structure),
            ("title", Content("homework wording")),
            ("instructions", Content("homework wording")),
            ("fields", Content("homework wording")),
            ("due_on", Structure),
            ("assigned_by", Structure),
            ("assigned_at", Structure),
            ("cancelled_at", Structure),
            ("repeat_days", Structure),
            ("repeat_step", Structure),
            ("series_id", Structure),
            ("submitted_version", Structure),
            ("reviewed_version", Structure),
            // No "share with my partner" choice on this copy.
            ("counselor_only", Structure),
            // A repeating copy left unsubmitted when the next one went out.
            ("missed_at", Structure),
        ],
    ),
    // The practice's consent versions: a document the practice publishes for every partner
    // to read (like its crisis help), kept as published.
    (
        "consent_version",
        &[
            ("consent_version_id", Structure),
            ("version", Structure),
            ("body", Structure),
            ("body_sha256", Structure),
            ("published_by", Structure),
            ("published_at", Structure),
        ],
    ),
    (
        "consent_signature",
        &[
            ("consent_signature_id", Structure),
            ("app_user_id", Structure),
            ("consent_version_id", Structure),
            ("version", Structure),
            ("typed_name", Content("consent signature")),
            ("signed_at", Structure),
            ("ip", Content("consent signature")),
            ("body_sha256", Structure),
        ],
    ),
    (
        "joint_work",
        &[
            ("joint_work_id", Structure),
            ("couple_id", Structure),
            ("template_version_id", Structure),
            ("step_number", Structure),
            ("title", Content("homework wording")),
            ("instructions", Content("homework wording")),
            ("fields", Content("homework wording")),
            ("due_on", Structure),
            ("assigned_by", Structure),
            ("assigned_at", Structure),
            ("cancelled_at", Structure),
            ("current_version", Structure),
            ("sent_version", Structure),
            ("sent_at", Structure),
            ("agreements_version", Structure),
        ],
    ),
    (
        "joint_version",
        &[
            ("joint_work_id", Structure),
            ("version", Structure),
            ("answers", Content("joint answer")),
            ("position", Structure),
            ("app_user_id", Structure),
            ("written_at", Structure),
        ],
    ),
    (
        "joint_draft",
        &[
            ("joint_work_id", Structure),
            ("position", Structure),
            ("answers", Content("joint answer")),
            ("base_version", Structure),
            ("saved_at", Structure),
        ],
    ),
    (
        "intake",
        &[
            ("intake_id", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("app_user_id", Structure),
            ("draft", Content("intake answer")),
            ("draft_saved_at", Structure),
            ("submitted_at", Structure),
        ],
    ),
    (
        "intake_submission",
        &[
            ("intake_submission_id", Structure),
            ("intake_id", Structure),
            ("answers", Content("intake answer")),
            ("submitted_at", Structure),
        ],
    ),
    (
        "measure_plan",
        &[
            ("couple_id", Structure),
            ("position", Structure),
            ("measure", Structure),
            ("every_days", Structure),
            ("chosen_by", Structure),
            ("chosen_at", Structure),
        ],
    ),
    (
        "measure_answer",
        &[
            ("measure_answer_id", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("app_user_id", Structure),
            ("measure", Structure),
            ("answers", Content("questionnaire answer")),
            ("follow_up", Content("questionnaire answer")),
            ("total", Content("questionnaire answer")),
            ("answered_at", Structure),
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
        "check_in",
        &[
            ("check_in_id", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("app_user_id", Structure),
            ("submitted_at", Structure),
            // Scores: numbers read by the partner and the counselor, like the private text.
            ("csi1", Structure),
            ("csi2", Structure),
            ("csi3", Structure),
            ("csi4", Structure),
            ("csi_total", Structure),
            ("trust", Structure),
            ("hope", Structure),
            ("went_well", Content("check-in text")),
            ("was_hard", Content("check-in text")),
            ("share_text", Structure),
            ("safety", Content("check-in safety answer")),
        ],
    ),
    (
        "clinical_note",
        &[
            ("clinical_note_id", Structure),
            ("counseling_session_id", Structure),
            ("couple_id", Structure),
            ("author_id", Structure),
            ("kind", Structure),
            ("template", Structure),
            ("sections", Content("progress note")),
            ("goal_ids", Structure),
            ("created_at", Structure),
            ("updated_at", Structure),
            ("signed_at", Structure),
            ("signed_by", Structure),
            ("content_hash", Structure),
        ],
    ),
    (
        "counseling_session",
        &[
            ("counseling_session_id", Structure),
            ("couple_id", Structure),
            ("counselor_id", Structure),
            ("starts_at", Structure),
            ("duration_minutes", Structure),
            ("format", Structure),
            ("attendees", Structure),
            ("status", Structure),
            ("cancel_reason", Content("session")),
            ("created_at", Structure),
            ("updated_at", Structure),
            ("place", Content("session place")),
            // How often the session changed, for calendars (iCalendar SEQUENCE).
            ("calendar_sequence", Structure),
        ],
    ),
    (
        "couple",
        &[
            ("couple_id", Structure),
            ("case_name", Content("identity")),
            ("counselor_id", Structure),
            ("status", Structure),
            ("rupture_date", Structure),
            ("presenting_concerns", Content("case details")),
            ("intake_notes", Content("case details")),
            ("created_at", Structure),
            ("updated_at", Structure),
            ("closed_at", Structure),
            ("program_id", Structure),
            ("current_step", Structure),
            ("check_in_days", Structure),
            // Whether partners see the small wins wall: the counselor's switch.
            ("wins_wall", Structure),
            // Counts the counselor's caseload sorts by (kept by triggers): how many, never
            // what; read only by the caseload.
            ("awaiting_review", Structure),
            ("open_flags", Structure),
            ("counselor_unread", Structure),
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
        "exercise_template",
        &[
            ("exercise_template_id", Structure),
            ("program_step_id", Structure),
            ("builtin_key", Structure),
            ("position", Structure),
            ("current_version", Structure),
            ("created_by", Structure),
            ("created_at", Structure),
            ("archived_at", Structure),
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
        "homework_draft",
        &[
            ("assignment_id", Structure),
            ("answers", Content("homework answer")),
            ("visibility", Structure),
            ("saved_at", Structure),
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
        "note_addendum",
        &[
            ("note_addendum_id", Structure),
            ("clinical_note_id", Structure),
            ("author_id", Structure),
            ("body", Content("note addendum")),
            ("signed_at", Structure),
            ("content_hash", Structure),
        ],
    ),
    (
        "note_cosignature",
        &[
            ("clinical_note_id", Structure),
            ("cosigner_id", Structure),
            ("cosigned_at", Structure),
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
        "partner",
        &[
            ("partner_id", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("display_name", Content("identity")),
            ("email", Content("identity")),
            ("pronouns", Structure),
            ("rupture_role", Structure),
            ("app_user_id", Structure),
            ("created_at", Structure),
        ],
    ),
    (
        "program",
        &[
            ("program_id", Structure),
            ("builtin_key", Structure),
            ("content_version", Structure),
            ("title", Content("program exercise")),
            ("summary", Content("program exercise")),
            ("based_on", Structure),
            ("created_by", Structure),
            ("created_at", Structure),
            ("updated_at", Structure),
        ],
    ),
    (
        "program_step",
        &[
            ("program_step_id", Structure),
            ("program_id", Structure),
            ("number", Structure),
            ("title", Content("program exercise")),
            ("purpose", Content("program exercise")),
            ("guidance", Content("program exercise")),
            ("for_partners", Content("program exercise")),
        ],
    ),
    (
        "review",
        &[
            ("review_id", Structure),
            ("assignment_id", Structure),
            ("submission_version", Structure),
            ("feedback", Content("homework feedback")),
            ("reviewed_by", Structure),
            ("reviewed_at", Structure),
        ],
    ),
    (
        "safety_flag",
        &[
            ("safety_flag_id", Structure),
            ("check_in_id", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("answer", Content("check-in safety answer")),
            ("raised_at", Structure),
            ("acknowledged_at", Structure),
            ("acknowledged_by", Structure),
            ("acknowledgement", Content("safety flag acknowledgement")),
            // "check_in", "homework" or "intake", and the id of what raised it.
            ("source", Structure),
            ("source_id", Structure),
            // The homework's title (the counselor's words, not the partner's).
            ("source_title", Structure),
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
        "small_win",
        &[
            ("small_win_id", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("app_user_id", Structure),
            ("body", Content("small win")),
            ("created_at", Structure),
            ("reaction", Content("small win")),
            ("reacted_by", Structure),
            ("reacted_at", Structure),
        ],
    ),
    (
        "step_move",
        &[
            ("step_move_id", Structure),
            ("couple_id", Structure),
            ("from_step", Structure),
            ("to_step", Structure),
            ("reason", Content("program step move")),
            ("moved_by", Structure),
            ("moved_at", Structure),
        ],
    ),
    (
        "submission",
        &[
            ("submission_id", Structure),
            ("assignment_id", Structure),
            ("version", Structure),
            ("answers", Content("homework answer")),
            ("visibility", Structure),
            ("submitted_at", Structure),
        ],
    ),
    (
        "supervision",
        &[
            ("supervisor_id", Structure),
            ("supervisee_id", Structure),
            ("created_at", Structure),
        ],
    ),
    (
        "template_version",
        &[
            ("template_version_id", Structure),
            ("exercise_template_id", Structure),
            ("version", Structure),
            ("title", Content("program exercise")),
            ("instructions", Content("program exercise")),
            ("audience", Structure),
            ("cadence", Structure),
            ("fields", Content("program exercise")),
            ("created_by", Structure),
            ("created_at", Structure),
            ("counselor_only", Structure),
            // Done together: one shared answer.
            ("joint", Structure),
        ],
    ),
    (
        "treatment_goal",
        &[
            ("treatment_goal_id", Structure),
            ("couple_id", Structure),
            ("title", Content("treatment goal")),
            ("objective", Content("treatment goal")),
            ("status", Structure),
            ("target_date", Structure),
            ("created_by", Structure),
            ("created_at", Structure),
            ("updated_at", Structure),
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
    // Secure messages.
    (
        "message_thread",
        &[
            ("message_thread_id", Structure),
            ("couple_id", Structure),
            // 1 or 2: that partner's private thread with the counselor; 0: the joint thread.
            ("position", Structure),
            ("opened_at", Structure),
            ("opened_by", Structure),
        ],
    ),
    (
        "message",
        &[
            ("message_id", Structure),
            ("message_thread_id", Structure),
            ("author_user_id", Structure),
            // "counselor", "partner_1" or "partner_2".
            ("author", Structure),
            ("body", Content("message")),
            ("sent_at", Structure),
            ("retracted_at", Structure),
        ],
    ),
    (
        "message_read",
        &[
            ("message_thread_id", Structure),
            ("app_user_id", Structure),
            ("read_up_to", Structure),
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

/// Every column of every table has its line in `COLUMNS`, and every line names a column
/// that exists and a kind of content that is in `KINDS`.
pub async fn check_columns(app: &crate::helpers::TestApp, failures: &mut Vec<String>) {
    use crate::privacy::tables::{column_names, table_names};
    let tables = table_names(app).await;
    for table in &tables {
        let listed = COLUMNS.iter().find(|(t, _)| t == table).map(|(_, c)| *c);
        let Some(listed) = listed else {
            failures.push(format!(
                "table {table} is not in the privacy model: say what each column holds"
            ));
            continue;
        };
        let actual = column_names(app, table).await;
        for column in &actual {
            if !listed.iter().any(|(c, _)| c == column) {
                failures.push(format!(
                    "column {table}.{column} is not in the privacy model: say what it holds"
                ));
            }
        }
        for (column, holds) in listed {
            if !actual.iter().any(|c| c == column) {
                failures.push(format!(
                    "the privacy model names {table}.{column}, which is gone"
                ));
            }
            if let Content(kind) = holds
                && !KINDS.iter().any(|k| k.kind == *kind)
            {
                failures.push(format!(
                    "{table}.{column} holds \"{kind}\", which has no row in KINDS"
                ));
            }
        }
    }
    for (table, _) in COLUMNS {
        if !tables.iter().any(|t| t == table) {
            failures.push(format!(
                "the privacy model names table {table}, which is gone"
            ));
        }
    }
    let mut markers: Vec<&str> = KINDS.iter().map(|k| k.marker).collect();
    markers.sort();
    markers.dedup();
    if markers.len() != KINDS.len() {
        failures.push("two kinds share a marker".into());
    }
}

/// The value of every secret the database holds, to be found in no response at all.
pub async fn secret_values(app: &crate::helpers::TestApp) -> Vec<String> {
    let mut out = Vec::new();
    for (table, columns) in COLUMNS {
        for (column, holds) in *columns {
            if *holds != Secret {
                continue;
            }
            let values: Vec<Option<String>> =
                sqlx::query_scalar(&format!("select cast({column} as text) from {table}"))
                    .fetch_all(app.state.db.pool())
                    .await
                    .unwrap_or_else(|e| panic!("{table}.{column}: {e}"));
            out.extend(values.into_iter().flatten().filter(|v| v.len() >= 8));
        }
    }
    out
}
