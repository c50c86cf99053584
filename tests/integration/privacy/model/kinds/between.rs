//! Kinds of content the couple keeps between sessions: check-ins, agreements, small wins
//! and the counselor's reactions to them.

use crate::privacy::model::Actor::{Counselor, DualPartner};
use crate::privacy::model::{B_ONLY, COUNSELOR, COUPLE, Kind, OTHER_COUPLE, WRITER, kind};

pub const KINDS: &[Kind] = &[
    // Check-ins.
    kind(
        "check-in text",
        "partner 1's, kept private",
        "ZCIPRIV9Q",
        WRITER,
    ),
    kind(
        "check-in text",
        "partner 2's, shared with partner 1",
        "ZCISHARED9Q",
        COUPLE,
    ),
    kind(
        "check-in safety answer",
        "partner 1's \"not safe\" (raises a flag)",
        "ZSAFETY9Q",
        WRITER,
    ),
    kind(
        "check-in text",
        "shared by a partner in two couples (in their couple with the counselor)",
        "ZCIDUAL9Q",
        &[DualPartner, Counselor],
    ),
    kind(
        "check-in text",
        "another couple's, shared",
        "ZCIPAT9Q",
        OTHER_COUPLE,
    ),
    kind(
        "safety flag acknowledgement",
        "the counselor's note",
        "ZFLAGACK9Q",
        COUNSELOR,
    ),
    kind(
        "homework answer",
        "partner 1's on a counselor-only exercise (a forged \"shared\" refused)",
        "ZHWONLY9Q",
        WRITER,
    ),
    kind(
        "homework safety item",
        "partner 2 ticks \"Feeling unsafe\" in step 7 (raises a flag)",
        "ZHWSAFETY9Q",
        B_ONLY,
    ),
    // Agreements.
    kind(
        "agreement",
        "written by the counselor",
        "ZAGRCOUNSELOR9Q",
        COUPLE,
    ),
    kind(
        "agreement",
        "partner 1's proposal, pending",
        "ZAGRPENDING9Q",
        WRITER,
    ),
    kind(
        "agreement",
        "partner 1's proposal, approved",
        "ZAGRAPPROVED9Q",
        COUPLE,
    ),
    kind(
        "agreement",
        "partner 1's proposal, declined",
        "ZAGRDECLINED9Q",
        WRITER,
    ),
    kind(
        "agreement",
        "the counselor's reason for declining partner 1's proposal",
        "ZAGRREASON9Q",
        WRITER,
    ),
    kind("agreement", "ended by the counselor", "ZAGRENDED9Q", COUPLE),
    kind("agreement", "another couple's", "ZAGROTHER9Q", OTHER_COUPLE),
    // Small wins are for the couple and their counselor.
    kind("small win", "posted by partner 1", "ZWIN9Q", COUPLE),
    // The counselor's reaction to a win is for the partner who posted it.
    kind(
        "small win",
        "the counselor's reaction to partner 1's win",
        "ZWINREACT9Q",
        WRITER,
    ),
    kind("small win", "another couple's", "ZWINPAT9Q", OTHER_COUPLE),
];
