//! The case page: everything a counselor knows about one couple, gathered from each feature
//! (the case itself, the program, homework, sessions, goals, check-ins, wins, agreements).
//! A composition: it calls the features' own functions and no feature imports it.

pub mod api;
pub mod ui;

use serde::{Deserialize, Serialize};

/// The case page, as the assigned counselor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    /// The case itself: details, partners, invitations, timeline.
    pub case: crate::features::cases::CaseOverview,
    /// Where the couple stands in their program.
    pub progress: crate::features::program::CoupleProgress,
    /// Both partners' homework, most pressing first.
    pub homework: Vec<crate::features::homework::HomeworkItem>,
    /// The exercises of the couple's program, the current step first.
    pub exercises: Vec<crate::features::homework::ExerciseChoices>,
    /// Sessions, the soonest upcoming first, then the past; times in the counselor's zone.
    pub sessions: Vec<crate::features::sessions::SessionSummary>,
    pub time_zone: String,
    pub goals: Vec<crate::features::notes::GoalView>,
    pub check_ins: crate::features::progress::CouplePanel,
    pub wins: Vec<crate::features::progress::wins::WinView>,
    /// Whether the partners see the wins wall, and why.
    pub wins_state: crate::features::progress::wins::WallState,
    pub agreements: crate::features::agreements::AgreementsPanel,
    /// Each partner's homework completion over recent weeks.
    pub completion: Vec<crate::features::progress::trends::CompletionWeek>,
    /// The couple's message threads, with the counselor's unread counts.
    pub messages: crate::features::messages::CaseMessages,
    /// Each partner's consent: who signed which version, and when.
    pub consent: Vec<crate::features::consent::ConsentStatus>,
    /// Each partner's intake questionnaire: whether and when they sent it.
    pub intake: Vec<crate::features::intake::IntakeStatus>,
    /// The questionnaires chosen for each partner, and their scores over time.
    pub measures: crate::features::measures::MeasuresPanel,
    /// Each partner's password reset link: whether they can have one (they have joined),
    /// and the link this browser just made.
    pub resets: Vec<crate::features::passwords::PartnerReset>,
}
