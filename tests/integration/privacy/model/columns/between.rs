//! Columns of what the couple keeps between sessions: agreements and how they were kept,
//! check-ins, measures, and secure messages.

use super::Holds::*;

pub const COLUMNS: super::Family = &[
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
];
