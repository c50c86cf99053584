//! The privacy model: who may see what. Every kind of content Trellis stores, in every state
//! it can be in, with the exact set of people allowed to read it. The world (`world/`) writes
//! each one through the product with a marker of its own; the oracle (`mod.rs`) then looks
//! for every marker everywhere as everyone, and the set of people who saw it must EQUAL the set
//! written here. `docs/privacy.md` is this table in words (a test keeps the two the same).
//!
//! Adding a feature that stores something: give its columns a line in `COLUMNS` (in its
//! family's file under `columns/`; the test fails naming any column without one) and its
//! content a row in `KINDS` (in its family's file under `kinds/`), then write it in the
//! world. Write the row first, then the feature.

mod columns;
mod kinds;

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

pub(crate) const fn kind(
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
pub(crate) const WRITER: &[Actor] = &[PartnerA, Counselor];
pub(crate) const COUPLE: &[Actor] = &[PartnerA, PartnerB, Counselor];
pub(crate) const B_ONLY: &[Actor] = &[PartnerB, Counselor];
pub(crate) const COUNSELOR: &[Actor] = &[Counselor];
pub(crate) const WITH_SUPERVISOR: &[Actor] = &[Counselor, Supervisor];
/// Pat & Riley's shared things: both of them and Dana.
pub(crate) const OTHER_COUPLE: &[Actor] = &[OtherPartner, DualPartner, OtherCounselor];

/// Every kind of content in every state, family by family. Markers name themselves `Z…9Q`
/// so no marker is a part of another.
pub const KINDS: &[&[Kind]] = &[
    kinds::homework::KINDS,
    kinds::between::KINDS,
    kinds::clinical::KINDS,
    kinds::program_and_messages::KINDS,
    kinds::consent_and_intake::KINDS,
];

/// Every kind, in the order `KINDS` lists them (the order of docs/privacy.md).
pub fn kinds() -> impl Iterator<Item = &'static Kind> {
    KINDS.iter().flat_map(|family| family.iter())
}

pub fn readers(marker: &str) -> &'static [Actor] {
    kinds()
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
    for k in kinds() {
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
