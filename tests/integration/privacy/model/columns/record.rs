//! Columns of the case and its clinical record: the couple and its partners, consent and
//! intake, sessions, notes and their signatures, goals, supervision and safety flags.

use super::Holds::*;

pub const COLUMNS: super::Family = &[
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
        "supervision",
        &[
            ("supervisor_id", Structure),
            ("supervisee_id", Structure),
            ("created_at", Structure),
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
];
