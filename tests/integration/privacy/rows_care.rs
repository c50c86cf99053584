//! Rows for sessions, clinical notes, check-ins, small wins and agreements.

use super::{
    ADMIN, CASE_COUNSELOR, COUNSELORS, COUPLE, NOTE_READERS, PARTNERS, Row, STAFF, SUPERVISOR, row,
};
use crate::helpers::PASSWORD;

pub const ROWS: &[Row] = &[
    // Sessions.
    row(
        "schedule_session",
        &[
            ("couple_id", "{couple}"),
            ("starts_at", "{new_slot}"),
            ("duration_minutes", "50"),
            ("format", "phone"),
            ("attendees", "both"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "reschedule_session",
        &[
            ("session_id", "{session}"),
            ("starts_at", "{new_slot}"),
            ("duration_minutes", "50"),
            ("format", "video"),
            ("attendees", "both"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "set_session_status",
        &[
            ("session_id", "{new_session}"),
            ("status", "cancelled"),
            ("reason", "Ill"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "add_agenda_item",
        &[("session_id", "{session}"), ("body", "Talk")],
        CASE_COUNSELOR,
    ),
    row(
        "get_session",
        &[("session_id", "{session}")],
        CASE_COUNSELOR,
    ),
    row("my_agenda", &[], COUNSELORS),
    row("my_sessions", &[], PARTNERS),
    row("session_places", &[], STAFF),
    row(
        "set_meeting_link",
        &[("meeting_link", "https://meet.example.org/room")],
        COUNSELORS,
    ),
    row(
        "set_practice_address",
        &[("practice_address", "14 Harbour Street")],
        ADMIN,
    ),
    // Clinical notes: the couple's counselor writes; their supervisor reads and co-signs.
    row(
        "start_note",
        &[
            ("session_id", "{new_session}"),
            ("kind", "progress"),
            ("template", "soap"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "save_note",
        &[
            ("note_id", "{new_draft_note}"),
            ("sections[subjective]", "words"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "autosave_note",
        &[
            ("note_id", "{new_draft_note}"),
            ("sections[subjective]", "words"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "add_addendum",
        &[
            ("note_id", "{note}"),
            ("body", "Addendum"),
            ("password", PASSWORD),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "cosign_note",
        &[("note_id", "{new_signed_note}"), ("password", PASSWORD)],
        SUPERVISOR,
    ),
    row("get_note", &[("note_id", "{note}")], NOTE_READERS),
    row(
        "add_goal",
        &[
            ("couple_id", "{couple}"),
            ("title", "Goal"),
            ("objective", "Objective"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "set_goal_status",
        &[("goal_id", "{goal}"), ("status", "met")],
        CASE_COUNSELOR,
    ),
    row("list_supervision", &[], ADMIN),
    row(
        "set_supervision",
        &[
            // A counselor with no couples: supervising them shows nothing new to anyone.
            ("supervisor_id", "{sky_id}"),
            ("supervisee_id", "{new_counselor}"),
            ("on", "on"),
        ],
        ADMIN,
    ),
    row("my_supervised_notes", &[], COUNSELORS),
    // Small wins.
    row("my_wins", &[], PARTNERS),
    row("post_win", &[("body", "A good day")], PARTNERS),
    row(
        "react_to_win",
        &[("win_id", "{win}"), ("reaction", "celebrate")],
        CASE_COUNSELOR,
    ),
    // Check-ins and the report.
    row("my_check_in", &[], PARTNERS),
    // A partner's home: their check-in, agreements and intake cards.
    row("my_home_cards", &[], PARTNERS),
    row(
        "submit_check_in",
        &[
            ("csi[1]", "3"),
            ("csi[2]", "3"),
            ("csi[3]", "3"),
            ("csi[4]", "3"),
            ("trust", "6"),
            ("hope", "6"),
            ("safety", "safe"),
            // Every active agreement of each partner's couple (a partner's check-in answers
            // those of their own couple and ignores the rest).
            ("kept[agreement-{agreement}]", "kept"),
            ("kept[agreement-{agreement_counselor}]", "kept"),
            ("kept[agreement-{agreement_other}]", "kept"),
        ],
        PARTNERS,
    ),
    row(
        "acknowledge_flag",
        &[("flag_id", "{new_flag}"), ("note", "Called them")],
        CASE_COUNSELOR,
    ),
    row(
        "set_check_in_days",
        &[("couple_id", "{couple}"), ("days", "7")],
        CASE_COUNSELOR,
    ),
    row("set_csi_enabled", &[("on", "on")], ADMIN),
    row("get_report", &[("couple_id", "{couple}")], CASE_COUNSELOR),
    // Agreements.
    row("my_agreements", &[], PARTNERS),
    // Where the couple is in their program, in words for partners.
    row("my_step", &[], PARTNERS),
    row(
        "write_agreement",
        &[("couple_id", "{couple}"), ("body", "We talk")],
        CASE_COUNSELOR,
    ),
    row("propose_agreement", &[("body", "Walks")], PARTNERS),
    row(
        "decide_agreement",
        &[("version_id", "{new_proposal}"), ("decision", "decline")],
        CASE_COUNSELOR,
    ),
    row(
        "acknowledge_agreement",
        &[("version_id", "{agreement_version}")],
        COUPLE,
    ),
    row(
        "end_agreement",
        &[("agreement_id", "{new_agreement}")],
        CASE_COUNSELOR,
    ),
];
