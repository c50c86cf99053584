//! Kinds of content in homework: answers in each state, drafts and reviews.

use crate::privacy::model::Actor::{
    Counselor, DualPartner, OtherCounselor, OtherPartner, PartnerA,
};
use crate::privacy::model::{B_ONLY, COUPLE, Kind, OTHER_COUPLE, WRITER, kind};

pub const KINDS: &[Kind] = &[
    // Homework answers. The partner who wrote them always sees their own words; the
    // counselor reads every submitted version; the other partner reads only the latest
    // version, only when it is shared, only while the homework stands.
    kind(
        "homework answer",
        "partner 1's draft, not yet sent",
        "ZHWDRAFT9Q",
        &[PartnerA],
    ),
    kind(
        "homework answer",
        "partner 1's, sent to the counselor only",
        "ZHWPRIV9Q",
        WRITER,
    ),
    kind(
        "homework answer",
        "partner 1's, shared with partner 2",
        "ZHWSHARED9Q",
        COUPLE,
    ),
    kind(
        "homework answer",
        "partner 1's, shared, then replaced by a counselor-only version (withdrawn)",
        "ZHWWITHDRAWN9Q",
        WRITER,
    ),
    kind(
        "homework answer",
        "partner 1's counselor-only version that replaced a shared one",
        "ZHWREPLACED9Q",
        WRITER,
    ),
    kind(
        "homework answer",
        "partner 1's, shared, on homework the counselor then cancelled",
        "ZHWCANCELLED9Q",
        WRITER,
    ),
    kind(
        "homework answer",
        "partner 1's, sent while the case was with the former counselor",
        "ZHWBEFORE9Q",
        WRITER,
    ),
    kind(
        "homework answer",
        "partner 2's, sent to the counselor only",
        "ZHWBPRIV9Q",
        B_ONLY,
    ),
    kind(
        "homework answer",
        "shared by a partner in two couples, in their couple with the counselor",
        "ZHWDUALS9Q",
        &[DualPartner, Counselor],
    ),
    kind(
        "homework answer",
        "shared by a partner in two couples, in their couple with another counselor",
        "ZHWDUALO9Q",
        OTHER_COUPLE,
    ),
    kind(
        "homework answer",
        "another couple's, sent to their counselor only",
        "ZHWPAT9Q",
        &[OtherPartner, OtherCounselor],
    ),
    kind(
        "homework wording",
        "title of homework set for partner 1",
        "ZHWTITLE9Q",
        WRITER,
    ),
    kind("homework feedback", "to partner 1", "ZFEEDA9Q", WRITER),
    kind("homework feedback", "to partner 2", "ZFEEDB9Q", B_ONLY),
];
