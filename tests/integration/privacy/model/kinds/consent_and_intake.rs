//! Kinds of content in consent and intake, standard questionnaires, and work done together.

use crate::privacy::model::Actor::{Counselor, DualPartner, PartnerA};
use crate::privacy::model::{B_ONLY, COUPLE, Kind, OTHER_COUPLE, WRITER, kind};

pub const KINDS: &[Kind] = &[
    // Consent and intake (issue 15, part 2). The name a partner typed to sign the consent
    // is on their signature's printable record: theirs, and their counselor's.
    kind(
        "consent signature",
        "the name partner 1 typed to sign",
        "ZCONSENTSIG9Q",
        WRITER,
    ),
    // The intake questionnaire: a partner's draft is theirs alone; what they send, their
    // counselor reads (every copy); the other partner never sees any of it.
    kind(
        "intake answer",
        "partner 1's draft, not yet sent",
        "ZINTAKEDRAFT9Q",
        &[PartnerA],
    ),
    kind(
        "intake answer",
        "partner 1's, sent to the counselor",
        "ZINTAKEA9Q",
        WRITER,
    ),
    kind(
        "intake answer",
        "partner 1's earlier copy, since updated",
        "ZINTAKEOLD9Q",
        WRITER,
    ),
    kind(
        "intake answer",
        "partner 2's, sent to the counselor",
        "ZINTAKEB9Q",
        B_ONLY,
    ),
    kind(
        "intake answer",
        "partner 2's safety screen answer that raised a flag",
        "ZINTAKESAFETY9Q",
        B_ONLY,
    ),
    kind(
        "intake answer",
        "a partner in two couples', in their case with the counselor",
        "ZINTAKEDUAL9Q",
        &[DualPartner, Counselor],
    ),
    // Standard questionnaires (PHQ-9, GAD-7, PCL-5): numbers, not words, so the world
    // looks for how the product shows them (`world/measures.rs`).
    kind(
        "questionnaire answer",
        "partner 1's GAD-7",
        "ZGAD7A9Q",
        WRITER,
    ),
    kind(
        "questionnaire answer",
        "partner 2's PHQ-9, whose item 9 raised a flag",
        "ZPHQ9B9Q",
        B_ONLY,
    ),
    // Work done together (issue 16): one shared answer both partners write. Every saved
    // version is the couple's and their counselor's; words one partner wrote while the other
    // saved a newer version stay that partner's alone until they save them.
    kind(
        "joint answer",
        "a version partner 1 saved, since changed by partner 2",
        "ZJOINTV1A9Q",
        COUPLE,
    ),
    kind(
        "joint answer",
        "the newest version, saved by partner 2",
        "ZJOINTV2B9Q",
        COUPLE,
    ),
    kind(
        "joint answer",
        "partner 1's words that crossed a newer save, not saved over it",
        "ZJOINTCROSS9Q",
        &[PartnerA],
    ),
    kind(
        "joint answer",
        "on work done together that the counselor then cancelled",
        "ZJOINTCANCEL9Q",
        COUPLE,
    ),
    kind(
        "joint answer",
        "another couple's, written together",
        "ZJOINTPAT9Q",
        OTHER_COUPLE,
    ),
];
