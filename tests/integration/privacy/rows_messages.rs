//! Rows for secure messages: partners reach their own threads only; the couple's counselor
//! reaches all three; a message is retracted by its sender alone.

use super::{A_ONLY, ADMIN, CASE_COUNSELOR, PARTNERS, Row, row};

pub const ROWS: &[Row] = &[
    row("my_thread", &[("thread", "private")], PARTNERS),
    row(
        "case_thread",
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
    row("my_messages", &[], PARTNERS),
    row("practice_messaging", &[], ADMIN),
    row(
        "set_messaging",
        &[("partners_may_write", "on"), ("response", "")],
        ADMIN,
    ),
];
