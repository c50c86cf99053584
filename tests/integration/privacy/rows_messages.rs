//! Rows for secure messages and the intake: partners reach their own threads and intake
//! only; the couple's counselor reaches all three threads and both intakes; a message is
//! retracted by its sender alone.

use super::{A_ONLY, ADMIN, Actor::PartnerB, CASE_COUNSELOR, PARTNERS, Row, row};

pub const ROWS: &[Row] = &[
    row("my_thread", &[("thread", "private")], PARTNERS),
    row(
        "case_thread",
        &[("couple_id", "{couple}"), ("thread", "1")],
        CASE_COUNSELOR,
    ),
    row("my_thread_messages", &[("thread", "private")], PARTNERS),
    row(
        "case_thread_messages",
        &[("couple_id", "{couple}"), ("thread", "1")],
        CASE_COUNSELOR,
    ),
    // Each partner in their own (default) couple's private thread.
    row("send_message", &[("body", "Hello")], PARTNERS),
    row(
        "reply_message",
        &[
            ("couple_id", "{couple}"),
            ("thread", "1"),
            ("body", "Hello"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "retract_message",
        &[("message_id", "{new_message}")],
        A_ONLY,
    ),
    row(
        "open_joint_thread",
        &[("couple_id", "{couple}")],
        CASE_COUNSELOR,
    ),
    row("practice_messaging", &[], ADMIN),
    row(
        "set_messaging",
        &[("partners_may_write", "on"), ("response", "")],
        ADMIN,
    ),
    // The intake questionnaire: each partner their own, in their own (default) couple.
    row("my_intake", &[], PARTNERS),
    row(
        "save_intake",
        &[("answers[hopes]", "To talk again"), ("intent", "draft")],
        PARTNERS,
    ),
    row("case_intake", &[("couple_id", "{couple}")], CASE_COUNSELOR),
    // Questionnaires: only what the counselor chose for the partner opens (Casey's PHQ-9).
    row("my_measures", &[], PARTNERS),
    row("my_measure", &[("key", "phq9")], &[PartnerB]),
    row(
        "answer_measure",
        &[
            ("key", "phq9"),
            ("item[1]", "0"),
            ("item[2]", "0"),
            ("item[3]", "0"),
            ("item[4]", "0"),
            ("item[5]", "0"),
            ("item[6]", "0"),
            ("item[7]", "0"),
            ("item[8]", "0"),
            ("item[9]", "0"),
        ],
        &[PartnerB],
    ),
    row(
        "set_wins_wall",
        &[("couple_id", "{couple}"), ("wall", "on")],
        CASE_COUNSELOR,
    ),
    row("set_wins_from_step", &[("step", "8")], ADMIN),
    row(
        "set_measures",
        &[
            ("couple_id", "{couple}"),
            ("position", "1"),
            ("every[gad7]", "7"),
        ],
        CASE_COUNSELOR,
    ),
];
