//! The case page: everything a counselor knows about one couple, gathered from each feature
//! (the case itself, the program, homework, sessions, goals, check-ins, wins, agreements),
//! cut into sections (`CaseSection`), each at its own address and loading only what it
//! shows. Every section opens with the same head: the couple, their status, the section
//! links, and any open safety flag.
//! A composition: it calls the features' own functions and no feature imports it.

pub mod api;
pub mod ui;

use serde::{Deserialize, Serialize};

/// One section of the case page, as the assigned counselor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSectionPage {
    pub head: CaseHead,
    pub body: SectionBody,
}

/// What every section shows first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHead {
    pub couple_id: String,
    pub case_name: String,
    pub status: crate::couple::CaseStatus,
    /// Safety flags not yet acknowledged, newest first.
    pub open_flags: Vec<crate::features::progress::FlagView>,
}

/// What one section shows below the head.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SectionBody {
    Overview(Box<Overview>),
    Homework(Box<HomeworkSection>),
    Progress(Box<ProgressSection>),
    Agreements(Box<AgreementsSection>),
    Sessions(Box<SessionsSection>),
    Partners(Box<PartnersSection>),
    Timeline(Box<TimelineSection>),
}

/// What a counselor needs to know before the couple walks in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub counselor_name: String,
    pub rupture_date: Option<chrono::NaiveDate>,
    /// For a closed case: the date until which the practice keeps its records.
    pub kept_until: Option<chrono::NaiveDate>,
    /// (number, title, steps in the program), when the couple is on a program.
    pub step: Option<(i64, String, i64)>,
    /// The soonest planned session still to come, in the counselor's zone.
    pub next_session: Option<crate::features::sessions::SessionSummary>,
    /// Answers sent and waiting for the counselor's review.
    pub to_review: Vec<crate::features::homework::HomeworkItem>,
    /// Homework past its due date and not sent.
    pub overdue: Vec<crate::features::homework::HomeworkItem>,
    pub partner_names: [String; 2],
    /// Each partner's latest check-in in the charted weeks: (week, scores).
    pub latest_check_ins: [Option<(String, crate::features::progress::Scores)>; 2],
    /// Where the partners' reads of trust, or their trends, diverge, in words.
    pub divergence: Vec<String>,
    /// The couple's message threads, with the counselor's unread counts.
    pub messages: crate::features::messages::CaseMessages,
}

/// The couple's program and their homework.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeworkSection {
    /// Where the couple stands in their program.
    pub progress: crate::features::program::CoupleProgress,
    /// Both partners' homework, most pressing first.
    pub homework: Vec<crate::features::homework::HomeworkItem>,
    /// The exercises of the couple's program, the current step first.
    pub exercises: Vec<crate::features::homework::ExerciseChoices>,
}

/// Check-ins, questionnaires, trends and the wins wall.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressSection {
    pub progress: crate::features::program::CoupleProgress,
    pub check_ins: crate::features::progress::CouplePanel,
    /// Each partner's homework completion over recent weeks.
    pub completion: Vec<crate::features::progress::trends::CompletionWeek>,
    /// The questionnaires chosen for each partner, and their scores over time.
    pub measures: crate::features::measures::MeasuresPanel,
    pub wins: Vec<crate::features::progress::wins::WinView>,
    /// Whether the partners see the wins wall, and why.
    pub wins_state: crate::features::progress::wins::WallState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementsSection {
    pub agreements: crate::features::agreements::AgreementsPanel,
}

/// Sessions, the soonest upcoming first, then the past; and treatment goals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionsSection {
    /// Times in the counselor's zone.
    pub sessions: Vec<crate::features::sessions::SessionSummary>,
    pub time_zone: String,
    /// (position, name) of each partner.
    pub partners: Vec<(i64, String)>,
    pub goals: Vec<crate::features::notes::GoalView>,
}

/// The case's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineSection {
    /// The newest changes, oldest first (at most `TIMELINE_LENGTH`).
    pub entries: Vec<crate::features::cases::TimelineEntry>,
    /// True when earlier changes were left out.
    pub truncated: bool,
}

/// The partners, their invitations, consent and intake; the case's details and status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnersSection {
    /// The case without its timeline.
    pub case: crate::features::cases::CaseOverview,
    /// Each partner's consent: who signed which version, and when.
    pub consent: Vec<crate::features::consent::ConsentStatus>,
    /// Each partner's intake questionnaire: whether and when they sent it.
    pub intake: Vec<crate::features::intake::IntakeStatus>,
    /// Each partner's password reset link: whether they can have one (they have joined),
    /// and the link this browser just made.
    pub resets: Vec<crate::features::passwords::PartnerReset>,
}
