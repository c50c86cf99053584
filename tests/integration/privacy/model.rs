//! The privacy model: who may see what. Every kind of content Trellis stores, in every state
//! it can be in, with the exact set of people allowed to read it. The world (`world/`) writes
//! each one through the product with a marker of its own; the oracle (`mod.rs`) then looks
//! for every marker everywhere as everyone, and the set of people who saw it must EQUAL the set
//! written here. `docs/privacy.md` is this table in words (a test keeps the two the same).
//!
//! Adding a feature that stores something: give its columns a line in `COLUMNS` (the test
//! fails naming any column without one) and its content a row in `KINDS`, then write it in
//! the world. Write the row first, then the feature.

use Actor::*;

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
];

pub fn readers(marker: &str) -> &'static [Actor] {
    KINDS
        .iter()
        .find(|k| k.marker == marker)
        .map(|k| k.readers)
        .unwrap_or_else(|| panic!("no kind with marker {marker}"))
}

/// What a stored column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// Words or answers people wrote: the kind (in `KINDS`) whose readers apply.
    Content(&'static str),
    /// A secret no response may ever carry, to anyone (hashes, keys, tokens).
    Secret,
    /// Ids, times, numbers, fixed choices and names of things (not what someone wrote).
    Structure,
}
use Holds::*;

/// Every column of every table. A column the database has and this list lacks fails the
/// test: a new feature says what it stores before it stores it.
pub const COLUMNS: &[(&str, &[(&str, Holds)])] = &[
    (
        "agenda_item",
        &[
            ("agenda_item_id", Structure),
            ("counseling_session_id", Structure),
            ("body", Content("session")),
            ("created_by", Structure),
            ("created_at", Structure),
        ],
    ),
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
        "app_setting",
        &[("app_setting_id", Structure), ("value", Structure)],
    ),
    (
        "app_user",
        &[
            ("app_user_id", Structure),
            ("email", Content("identity")),
            ("display_name", Content("identity")),
            ("role", Structure),
            ("password_hash", Secret),
            ("status", Structure),
            ("created_at", Structure),
            ("updated_at", Structure),
            ("email_reminders", Structure),
            ("time_zone", Structure),
        ],
    ),
    (
        "assignment",
        &[
            ("assignment_id", Structure),
            ("couple_id", Structure),
            ("assignment_group", Structure),
            ("position", Structure),
            ("template_version_id", Structure),
            ("step_number", Structure),
            ("title", Content("homework wording")),
            ("instructions", Content("homework wording")),
            ("fields", Content("homework wording")),
            ("due_on", Structure),
            ("assigned_by", Structure),
            ("assigned_at", Structure),
            ("cancelled_at", Structure),
            ("repeat_days", Structure),
            ("repeat_step", Structure),
            ("series_id", Structure),
            ("submitted_version", Structure),
            ("reviewed_version", Structure),
        ],
    ),
    (
        "audit_event",
        &[
            ("audit_event_id", Structure),
            ("at", Structure),
            ("actor_user_id", Structure),
            ("action", Structure),
            ("subject_user_id", Structure),
            ("couple_id", Structure),
            ("ip", Content("audit entry")),
            ("detail", Structure),
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
        "clinical_note",
        &[
            ("clinical_note_id", Structure),
            ("counseling_session_id", Structure),
            ("couple_id", Structure),
            ("author_id", Structure),
            ("kind", Structure),
            ("template", Structure),
            ("sections", Content("progress note")),
            ("goal_ids", Structure),
            ("created_at", Structure),
            ("updated_at", Structure),
            ("signed_at", Structure),
            ("signed_by", Structure),
            ("content_hash", Structure),
        ],
    ),
    (
        "counseling_session",
        &[
            ("counseling_session_id", Structure),
            ("couple_id", Structure),
            ("counselor_id", Structure),
            ("starts_at", Structure),
            ("duration_minutes", Structure),
            ("format", Structure),
            ("attendees", Structure),
            ("status", Structure),
            ("cancel_reason", Content("session")),
            ("created_at", Structure),
            ("updated_at", Structure),
        ],
    ),
    (
        "couple",
        &[
            ("couple_id", Structure),
            ("case_name", Content("identity")),
            ("counselor_id", Structure),
            ("status", Structure),
            ("rupture_date", Structure),
            ("presenting_concerns", Content("case details")),
            ("intake_notes", Content("case details")),
            ("created_at", Structure),
            ("updated_at", Structure),
            ("closed_at", Structure),
            ("program_id", Structure),
            ("current_step", Structure),
            ("check_in_days", Structure),
        ],
    ),
    (
        "email_outbox",
        &[
            ("email_id", Structure),
            ("dedupe_key", Structure),
            ("kind", Structure),
            ("app_user_id", Structure),
            ("to_address", Content("identity")),
            ("subject", Structure),
            // Checked as the recipient receives it (every email is a place the oracle reads).
            ("body", Structure),
            ("created_at", Structure),
            ("claimed_by", Structure),
            ("claimed_until", Structure),
            ("attempts", Structure),
            ("sent_at", Structure),
            ("dropped_at", Structure),
            ("last_error", Structure),
        ],
    ),
    (
        "exercise_template",
        &[
            ("exercise_template_id", Structure),
            ("program_step_id", Structure),
            ("builtin_key", Structure),
            ("position", Structure),
            ("current_version", Structure),
            ("created_by", Structure),
            ("created_at", Structure),
            ("archived_at", Structure),
        ],
    ),
    (
        "homework_draft",
        &[
            ("assignment_id", Structure),
            ("answers", Content("homework answer")),
            ("visibility", Structure),
            ("saved_at", Structure),
        ],
    ),
    (
        "invitation",
        &[
            ("invitation_id", Structure),
            ("token_hash", Secret),
            ("role", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("email", Content("identity")),
            ("display_name", Content("identity")),
            ("created_by", Structure),
            ("created_at", Structure),
            ("expires_at", Structure),
            ("accepted_at", Structure),
            ("accepted_by", Structure),
            ("revoked_at", Structure),
        ],
    ),
    (
        "mfa_pending_login",
        &[
            ("mfa_pending_login_id", Secret),
            ("app_user_id", Structure),
            ("first_step", Structure),
            ("created_at", Structure),
            ("expires_at", Structure),
        ],
    ),
    (
        "mfa_recovery_code",
        &[
            ("mfa_recovery_code_id", Structure),
            ("app_user_id", Structure),
            ("code_hash", Secret),
            ("created_at", Structure),
            ("used_at", Structure),
        ],
    ),
    (
        "note_addendum",
        &[
            ("note_addendum_id", Structure),
            ("clinical_note_id", Structure),
            ("author_id", Structure),
            ("body", Content("note addendum")),
            ("signed_at", Structure),
            ("content_hash", Structure),
        ],
    ),
    (
        "note_cosignature",
        &[
            ("clinical_note_id", Structure),
            ("cosigner_id", Structure),
            ("cosigned_at", Structure),
        ],
    ),
    (
        "oidc_identity",
        &[
            ("issuer", Structure),
            ("subject", Structure),
            ("app_user_id", Structure),
            ("created_at", Structure),
        ],
    ),
    (
        "oidc_login",
        &[
            ("oidc_login_id", Secret),
            ("pkce_verifier", Secret),
            ("nonce", Secret),
            ("created_at", Structure),
            ("invitation_id", Structure),
        ],
    ),
    (
        "partner",
        &[
            ("partner_id", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("display_name", Content("identity")),
            ("email", Content("identity")),
            ("pronouns", Structure),
            ("rupture_role", Structure),
            ("app_user_id", Structure),
            ("created_at", Structure),
        ],
    ),
    (
        "program",
        &[
            ("program_id", Structure),
            ("builtin_key", Structure),
            ("content_version", Structure),
            ("title", Content("program exercise")),
            ("summary", Content("program exercise")),
            ("based_on", Structure),
            ("created_by", Structure),
            ("created_at", Structure),
            ("updated_at", Structure),
        ],
    ),
    (
        "program_step",
        &[
            ("program_step_id", Structure),
            ("program_id", Structure),
            ("number", Structure),
            ("title", Content("program exercise")),
            ("purpose", Content("program exercise")),
            ("guidance", Content("program exercise")),
        ],
    ),
    (
        "review",
        &[
            ("review_id", Structure),
            ("assignment_id", Structure),
            ("submission_version", Structure),
            ("feedback", Content("homework feedback")),
            ("reviewed_by", Structure),
            ("reviewed_at", Structure),
        ],
    ),
    (
        "safety_flag",
        &[
            ("safety_flag_id", Structure),
            ("check_in_id", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("answer", Content("check-in safety answer")),
            ("raised_at", Structure),
            ("acknowledged_at", Structure),
            ("acknowledged_by", Structure),
            ("acknowledgement", Content("safety flag acknowledgement")),
        ],
    ),
    (
        "sign_in_throttle",
        &[
            // "email:…" or "ip:…": counted, never shown.
            ("throttle_key", Structure),
            ("failures", Structure),
            ("in_flight", Structure),
            ("window_started_at", Structure),
        ],
    ),
    (
        "small_win",
        &[
            ("small_win_id", Structure),
            ("couple_id", Structure),
            ("position", Structure),
            ("app_user_id", Structure),
            ("body", Content("small win")),
            ("created_at", Structure),
            ("reaction", Structure),
            ("reacted_by", Structure),
            ("reacted_at", Structure),
        ],
    ),
    (
        "step_move",
        &[
            ("step_move_id", Structure),
            ("couple_id", Structure),
            ("from_step", Structure),
            ("to_step", Structure),
            ("reason", Content("program step move")),
            ("moved_by", Structure),
            ("moved_at", Structure),
        ],
    ),
    (
        "submission",
        &[
            ("submission_id", Structure),
            ("assignment_id", Structure),
            ("version", Structure),
            ("answers", Content("homework answer")),
            ("visibility", Structure),
            ("submitted_at", Structure),
        ],
    ),
    (
        "supervision",
        &[
            ("supervisor_id", Structure),
            ("supervisee_id", Structure),
            ("created_at", Structure),
        ],
    ),
    (
        "template_version",
        &[
            ("template_version_id", Structure),
            ("exercise_template_id", Structure),
            ("version", Structure),
            ("title", Content("program exercise")),
            ("instructions", Content("program exercise")),
            ("audience", Structure),
            ("cadence", Structure),
            ("fields", Content("program exercise")),
            ("created_by", Structure),
            ("created_at", Structure),
        ],
    ),
    (
        "treatment_goal",
        &[
            ("treatment_goal_id", Structure),
            ("couple_id", Structure),
            ("title", Content("treatment goal")),
            ("objective", Content("treatment goal")),
            ("status", Structure),
            ("target_date", Structure),
            ("created_by", Structure),
            ("created_at", Structure),
            ("updated_at", Structure),
        ],
    ),
    (
        "user_mfa",
        &[
            ("app_user_id", Structure),
            ("secret", Secret),
            ("created_at", Structure),
            ("enabled_at", Structure),
            ("last_used_step", Structure),
        ],
    ),
    (
        "user_session",
        &[
            ("user_session_id", Secret),
            ("app_user_id", Structure),
            ("created_at", Structure),
            ("last_seen_at", Structure),
            ("expires_at", Structure),
            ("ip", Content("audit entry")),
        ],
    ),
];

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
         - Secrets (passwords, sign-in and invitation tokens, two-factor keys and recovery \
           codes) are shown to no one once set up, and emails never carry what anyone wrote.\n\n",
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

/// Every column of every table has its line in `COLUMNS`, and every line names a column
/// that exists and a kind of content that is in `KINDS`.
pub async fn check_columns(app: &crate::helpers::TestApp, failures: &mut Vec<String>) {
    use super::tables::{column_names, table_names};
    let tables = table_names(app).await;
    for table in &tables {
        let listed = COLUMNS.iter().find(|(t, _)| t == table).map(|(_, c)| *c);
        let Some(listed) = listed else {
            failures.push(format!(
                "table {table} is not in the privacy model: say what each column holds"
            ));
            continue;
        };
        let actual = column_names(app, table).await;
        for column in &actual {
            if !listed.iter().any(|(c, _)| c == column) {
                failures.push(format!(
                    "column {table}.{column} is not in the privacy model: say what it holds"
                ));
            }
        }
        for (column, holds) in listed {
            if !actual.iter().any(|c| c == column) {
                failures.push(format!(
                    "the privacy model names {table}.{column}, which is gone"
                ));
            }
            if let Content(kind) = holds
                && !KINDS.iter().any(|k| k.kind == *kind)
            {
                failures.push(format!(
                    "{table}.{column} holds \"{kind}\", which has no row in KINDS"
                ));
            }
        }
    }
    for (table, _) in COLUMNS {
        if !tables.iter().any(|t| t == table) {
            failures.push(format!(
                "the privacy model names table {table}, which is gone"
            ));
        }
    }
    let mut markers: Vec<&str> = KINDS.iter().map(|k| k.marker).collect();
    markers.sort();
    markers.dedup();
    if markers.len() != KINDS.len() {
        failures.push("two kinds share a marker".into());
    }
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

/// The value of every secret the database holds, to be found in no response at all.
pub async fn secret_values(app: &crate::helpers::TestApp) -> Vec<String> {
    let mut out = Vec::new();
    for (table, columns) in COLUMNS {
        for (column, holds) in *columns {
            if *holds != Secret {
                continue;
            }
            let values: Vec<Option<String>> =
                sqlx::query_scalar(&format!("select cast({column} as text) from {table}"))
                    .fetch_all(app.state.db.pool())
                    .await
                    .unwrap_or_else(|e| panic!("{table}.{column}: {e}"));
            out.extend(values.into_iter().flatten().filter(|v| v.len() >= 8));
        }
    }
    out
}
