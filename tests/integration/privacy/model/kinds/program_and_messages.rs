//! Kinds of content in the practice's program, and secure messages.

use crate::privacy::model::Actor::{
    Counselor, DualPartner, FormerCounselor, OtherCounselor, Supervisor,
};
use crate::privacy::model::{B_ONLY, COUPLE, Kind, OTHER_COUPLE, WRITER, kind};

pub const KINDS: &[Kind] = &[
    // The practice's own program, edited by a counselor: for every counselor.
    kind(
        "program exercise",
        "edited in the practice's copy",
        "ZTEMPLATE9Q",
        &[Counselor, FormerCounselor, OtherCounselor, Supervisor],
    ),
    kind(
        "two-factor secret",
        "set-up started, not finished",
        "ZTOTPSECRET9Q",
        &[OtherCounselor],
    ),
    // Secure messages: a partner's private thread is that partner and the counselor; the
    // joint thread is the couple and the counselor; a retracted message's words are gone.
    kind(
        "message",
        "partner 1's, in their private thread with the counselor",
        "ZMSGA9Q",
        WRITER,
    ),
    kind(
        "message",
        "the counselor's reply in partner 1's private thread",
        "ZMSGREPLYA9Q",
        WRITER,
    ),
    kind(
        "message",
        "partner 2's, in their private thread with the counselor",
        "ZMSGB9Q",
        B_ONLY,
    ),
    kind(
        "message",
        "partner 2's, in the couple's joint thread",
        "ZMSGJOINT9Q",
        COUPLE,
    ),
    kind(
        "message",
        "the counselor's, in the couple's joint thread",
        "ZMSGJOINTC9Q",
        COUPLE,
    ),
    kind(
        "message",
        "partner 1's, retracted by them (its words are deleted)",
        "ZMSGRETRACTED9Q",
        &[],
    ),
    kind(
        "message",
        "a partner in two couples', in their private thread with the counselor",
        "ZMSGDUAL9Q",
        &[DualPartner, Counselor],
    ),
    kind(
        "message",
        "another couple's joint thread",
        "ZMSGPAT9Q",
        OTHER_COUPLE,
    ),
];
