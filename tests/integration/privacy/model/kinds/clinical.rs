//! Kinds of content in the clinical record and the case: notes and their addenda, the case
//! itself, sessions and where they happen, and who is in care at all.

use crate::privacy::model::Actor::{
    Admin, Counselor, DualPartner, FormerCounselor, OtherCounselor, OtherPartner,
};
use crate::privacy::model::{COUNSELOR, COUPLE, Kind, OTHER_COUPLE, WITH_SUPERVISOR, WRITER, kind};

pub const KINDS: &[Kind] = &[
    // Clinical records: never a partner, never an administrator.
    kind("progress note", "draft", "ZNOTEDRAFT9Q", COUNSELOR),
    kind("progress note", "signed", "ZNOTESIGNED9Q", WITH_SUPERVISOR),
    kind("note addendum", "signed", "ZADDENDUM9Q", WITH_SUPERVISOR),
    kind("psychotherapy note", "signed", "ZPSY9Q", COUNSELOR),
    kind(
        "treatment goal",
        "addressed in a signed note",
        "ZGOALNOTED9Q",
        WITH_SUPERVISOR,
    ),
    kind("treatment goal", "not in any note", "ZGOAL9Q", COUNSELOR),
    kind(
        "progress note",
        "signed by the former counselor",
        "ZNOTELEE9Q",
        &[Counselor, FormerCounselor],
    ),
    kind(
        "note addendum",
        "the former counselor's, on their own note",
        "ZADDLEE9Q",
        &[Counselor, FormerCounselor],
    ),
    kind(
        "note addendum",
        "the new counselor's, on the former counselor's note",
        "ZADDONLEE9Q",
        COUNSELOR,
    ),
    kind(
        "treatment goal",
        "addressed in the former counselor's note",
        "ZGOALLEE9Q",
        &[Counselor, FormerCounselor],
    ),
    kind(
        "psychotherapy note",
        "the former counselor's",
        "ZPSYLEE9Q",
        &[FormerCounselor],
    ),
    kind(
        "progress note",
        "the former counselor's unsigned draft",
        "ZDRAFTLEE9Q",
        &[FormerCounselor],
    ),
    kind(
        "progress note",
        "another couple's, signed",
        "ZNOTEDANA9Q",
        &[OtherCounselor],
    ),
    // The case itself.
    kind(
        "case details",
        "presenting concerns",
        "ZCONCERNS9Q",
        COUNSELOR,
    ),
    kind("case details", "intake notes", "ZINTAKE9Q", COUNSELOR),
    kind(
        "program step move",
        "the counselor's reason",
        "ZSTEPREASON9Q",
        COUNSELOR,
    ),
    kind("session", "agenda item", "ZAGENDA9Q", COUNSELOR),
    kind("session", "reason for cancelling", "ZCANCEL9Q", COUNSELOR),
    // A session is dates and times, not words: its marker is when it is, as pages and
    // exports show it (`world/content.rs`). Partner 2 must not learn partner 1 has one.
    kind(
        "session",
        "an individual session with partner 1 (when it is)",
        "ZSESSIONA9Q",
        WRITER,
    ),
    // Where a session happens: partners attending read its joining link or address.
    kind(
        "session place",
        "where partner 1's individual session happens",
        "ZPLACEA9Q",
        WRITER,
    ),
    kind(
        "session place",
        "the joining link of a joint video session",
        "ZPLACEJOINT9Q",
        COUPLE,
    ),
    // Another couple's session: their calendars (and a partner in two couples' one feed)
    // list it; the counselor of that partner's other couple never reads it.
    kind(
        "session place",
        "where another couple's joint session happens",
        "ZPLACEOTHER9Q",
        OTHER_COUPLE,
    ),
    // Who is in care at all.
    kind(
        "identity",
        "name of a partner in another couple",
        "ZNAMEPAT9Q",
        &[OtherPartner, DualPartner, OtherCounselor, Admin],
    ),
    kind(
        "identity",
        "another couple's case name",
        "ZCASEOTHER9Q",
        &[OtherPartner, DualPartner, OtherCounselor, Admin],
    ),
    kind(
        "audit entry",
        "the address someone signed in from",
        "203.0.113.77",
        &[Admin],
    ),
];
