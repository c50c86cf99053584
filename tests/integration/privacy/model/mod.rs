//! The privacy model: who may see what. Every kind of content Trellis stores, in every state
//! it can be in, with the exact set of people allowed to read it. The world (`world/`) writes
//! each one through the product with a marker of its own; the oracle (`mod.rs`) then looks
//! for every marker everywhere as everyone, and the set of people who saw it must EQUAL the set
//! written here. `docs/privacy.md` is this table in words (a test keeps the two the same).
//!
//! Adding a feature that stores something: give its columns a line in `COLUMNS` (in its
//! family's file under `columns/`; the test fails naming any column without one) and its
//! content a row in `KINDS`, then write it in the world. Write the row first, then the
//! feature.

mod columns;

use Actor::*;
pub use columns::{check_columns, secret_values};

/// Everyone who may try to read something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    Anonymous,
    /// Jordan, partner 1 of the couple under test ("the couple").
    PartnerA,
    /// Casey, partner 2 of the couple.
    PartnerB,
    /// Pat, partner in another couple (Dana's case), with Riley.
    OtherPartner,
    /// Riley, a partner in two couples: with Pat (Dana's case) and with Quinn (Robin's case).
    DualPartner,
    /// Robin, the couple's counselor now (and Riley & Quinn's).
    Counselor,
    /// Lee, the couple's counselor until an administrator moved the case to Robin.
    FormerCounselor,
    /// Dana, counselor of Pat & Riley.
    OtherCounselor,
    /// Sky, who supervises Robin.
    Supervisor,
    /// The practice administrator.
    Admin,
}

pub const ALL: [Actor; 10] = [
    Anonymous,
    PartnerA,
    PartnerB,
    OtherPartner,
    DualPartner,
    Counselor,
    FormerCounselor,
    OtherCounselor,
    Supervisor,
    Admin,
];

impl Actor {
    pub fn email(self) -> Option<&'static str> {
        match self {
            Anonymous => None,
            PartnerA => Some("jordan@example.org"),
            PartnerB => Some("casey@example.org"),
            OtherPartner => Some("pat@example.org"),
            DualPartner => Some("riley@example.org"),
            Counselor => Some("robin@example.org"),
            FormerCounselor => Some("lee@example.org"),
            OtherCounselor => Some("dana@example.org"),
            Supervisor => Some("sky@example.org"),
            Admin => Some("admin@example.org"),
        }
    }

    /// How the table in docs/privacy.md names them.
    pub fn title(self) -> &'static str {
        match self {
            Anonymous => "Not signed in",
            PartnerA => "Partner 1",
            PartnerB => "Partner 2",
            OtherPartner => "Partner in another couple",
            DualPartner => "Partner in two couples",
            Counselor => "Counselor",
            FormerCounselor => "Former counselor",
            OtherCounselor => "Another counselor",
            Supervisor => "Supervisor",
            Admin => "Administrator",
        }
    }

    pub fn by_email(email: &str) -> Option<Actor> {
        ALL.into_iter().find(|a| a.email() == Some(email))
    }
}

/// One kind of content in one state, and who may read it.
pub struct Kind {
    pub kind: &'static str,
    pub state: &'static str,
    /// Written into the content through the product; unique to this row.
    pub marker: &'static str,
    pub readers: &'static [Actor],
}

const fn kind(
    kind: &'static str,
    state: &'static str,
    marker: &'static str,
    readers: &'static [Actor],
) -> Kind {
    Kind {
        kind,
        state,
        marker,
        readers,
    }
}

// Reader sets, named by who they are for content of the couple (Jordan & Casey).
const WRITER: &[Actor] = &[PartnerA, Counselor];
const COUPLE: &[Actor] = &[PartnerA, PartnerB, Counselor];
const B_ONLY: &[Actor] = &[PartnerB, Counselor];
const COUNSELOR: &[Actor] = &[Counselor];
const WITH_SUPERVISOR: &[Actor] = &[Counselor, Supervisor];
/// Pat & Riley's shared things: both of them and Dana.
const OTHER_COUPLE: &[Actor] = &[OtherPartner, DualPartner, OtherCounselor];

/// Every kind of content in every state. Markers name themselves `Z…9Q` so no marker is a
/// part of another.
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

pub fn readers(marker: &str) -> &'static [Actor] {
    KINDS
        .iter()
        .find(|k| k.marker == marker)
        .map(|k| k.readers)
        .unwrap_or_else(|| panic!("no kind with marker {marker}"))
}

/// The model as the table a practice owner reads (docs/privacy.md).
pub fn document() -> String {
    let mut out = String::from(
        "# Who can see what in Trellis\n\n\
         Everything Trellis stores, in every state it can be in, and who can read it. This \
         table is the privacy model the test suite enforces \
         (`tests/integration/privacy/`): the tests write each row's content through the \
         product, then open every page, call every server function, download every export \
         and read every email as each of these people. The people who saw it must be exactly \
         the ticked ones: nobody else, and nobody ticked left out. The table is generated \
         from the model; a test fails when the two differ.\n\n\
         The people: partner 1 and partner 2 are a couple whose case an administrator moved \
         from their former counselor to their counselor. The counselor's work is supervised \
         by the supervisor. A partner in another couple and a partner in two couples are a \
         couple with another counselor; the partner in two couples is also in a second \
         couple, with the counselor.\n\n\
         The rules behind the table:\n\n\
         - A partner always sees their own words. Their partner sees only what they chose to \
           share, only its latest version, and nothing on homework that was cancelled. The \
           download of a partner's own data holds exactly what they can see in Trellis.\n\
         - No partner ever sees clinical notes, treatment goals, the counselor's case \
           details, or the other partner's safety answers.\n\
         - A supervisor reads what their supervisee signed: the signed note, the goals it \
           addresses and its author's addenda. Nothing else about the couple.\n\
         - When a case moves to another counselor, the former counselor keeps read-only \
           access to the notes they wrote, as they wrote them: the goals those notes address \
           and their own addenda, never the couple's current goals, later addenda or anything \
           else about the couple. The new counselor reads the signed notes, not unsigned \
           drafts.\n\
         - The administrator sees who has an account, which cases exist and the audit log, \
           never what anyone wrote.\n\
         - A person in two couples sees each couple's shared things in that couple only.\n\
         - Intake answers: a partner's draft is theirs alone; what they send is read by \
           them and their counselor, never by the other partner.\n\
         - Questionnaire answers (PHQ-9, GAD-7, PCL-5) and their scores: the partner who \
           answered and the counselor.\n\
         - Small wins are the couple's; the counselor's reaction to one is for the partner \
           who posted it.\n\
         - Messages: a partner's private thread is read by that partner and the counselor \
           only; the joint thread by both partners and the counselor. A retracted message's \
           words are deleted, for everyone.\n\
         - Secrets (passwords, sign-in, invitation and password reset tokens, two-factor keys \
           and recovery codes) are shown to no one once set up, and emails never carry what \
           anyone wrote. A password reset link sets the password of the account it was made \
           for, once, whoever opens it, and signs nobody in.\n\
         - Calendar feeds: whoever holds a person's feed address reads it without signing \
           in, so it lists only what its owner may see of sessions (when, how long, joint or \
           individual, where or the joining link), never what anyone wrote. A partner's lists \
           the sessions they attend and names nobody; a counselor's lists their own caseload, \
           couples by initials unless they choose names. Only a hash of the address is kept; \
           its owner sees it once, and resetting it stops the old one at once.\n\n",
    );
    out.push_str("| What | State |");
    for a in ALL {
        out.push_str(&format!(" {} |", a.title()));
    }
    out.push_str("\n| --- | --- |");
    for _ in ALL {
        out.push_str(" :-: |");
    }
    out.push('\n');
    for k in KINDS {
        out.push_str(&format!("| {} | {} |", k.kind, k.state));
        for a in ALL {
            out.push_str(if k.readers.contains(&a) {
                " ✓ |"
            } else {
                " |"
            });
        }
        out.push('\n');
    }
    out.push_str(
        "\nScores (the CSI-4, trust and hope) and how each agreement was kept follow the \
         check-in they belong to: the partner who answered and the counselor.\n",
    );
    out
}

/// docs/privacy.md says what the model says. `TRELLIS_WRITE_PRIVACY_DOC=1` rewrites it.
pub fn check_document(failures: &mut Vec<String>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("docs/privacy.md");
    let want = document();
    if std::env::var("TRELLIS_WRITE_PRIVACY_DOC").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        failures.push(format!(
            "{} differs from the privacy model (tests/integration/privacy/model.rs); \
             run the test with TRELLIS_WRITE_PRIVACY_DOC=1 to rewrite it",
            path.display()
        ));
    }
}
