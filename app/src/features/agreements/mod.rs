//! Relationship agreements (steps 4, 8 and 10 of the program): promises the couple make to
//! each other, written by the counselor or proposed by a partner and approved by the
//! counselor. Both partners acknowledge each wording; a change is a new version acknowledged
//! again. Check-ins ask each partner how each active agreement was kept, and the counselor
//! sees the follow-through week by week.

pub mod api;
pub mod chart;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

/// Longest agreement wording.
pub const MAX_AGREEMENT_CHARS: usize = 1_000;
/// Longest reason given for declining a proposal.
pub const MAX_DECLINE_CHARS: usize = 500;
/// Weeks of follow-through the case page shows.
pub const FOLLOW_WEEKS: usize = 12;

/// How a partner kept an agreement over the period of a check-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kept {
    Kept,
    Partly,
    Not,
}

impl Kept {
    pub const ALL: [Kept; 3] = [Kept::Kept, Kept::Partly, Kept::Not];
    pub fn as_str(self) -> &'static str {
        match self {
            Kept::Kept => "kept",
            Kept::Partly => "partly",
            Kept::Not => "not",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Kept::Kept => "Kept",
            Kept::Partly => "Partly kept",
            Kept::Not => "Not kept",
        }
    }
    /// A mark that reads without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            Kept::Kept => "\u{2713}",
            Kept::Partly => "~",
            Kept::Not => "\u{2717}",
        }
    }
}

/// One week of follow-through: each partner's latest answer that week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowWeek {
    /// The week's Monday, e.g. "16 Nov".
    pub label: String,
    pub kept: [Option<Kept>; 2],
}

/// An earlier wording of an agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastVersion {
    pub version: i64,
    pub body: String,
    pub since: String,
}

/// An agreement with an approved wording.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementView {
    pub agreement_id: String,
    /// The current wording's id: what partners acknowledge.
    pub version_id: String,
    pub version: i64,
    pub body: String,
    /// When the current wording was approved, in the viewer's time zone.
    pub since: String,
    /// Each partner's acknowledgement of the current wording (when), by position.
    pub acks: [Option<String>; 2],
    /// Earlier wordings, newest first.
    pub previous: Vec<PastVersion>,
    /// Week by week, oldest first (the counselor's view only; empty for partners).
    pub follow: Vec<FollowWeek>,
    /// When the counselor ended it.
    pub ended: Option<String>,
}

/// Where a partner's proposal stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalState {
    Waiting,
    /// Declined, with the counselor's reason (possibly empty).
    Declined(String),
}

/// A partner's proposal: a new agreement, or a new wording of an existing one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub version_id: String,
    pub body: String,
    /// The wording it would replace, for a proposed change.
    pub replaces: Option<String>,
    pub by: String,
    pub when: String,
    pub state: ProposalState,
}

/// A couple's agreements as the counselor sees them on the case page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementsPanel {
    pub partner_names: [String; 2],
    pub active: Vec<AgreementView>,
    /// Proposals waiting for the counselor, oldest first.
    pub proposals: Vec<Proposal>,
    pub ended: Vec<AgreementView>,
}

/// The partner's agreements page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyAgreementsPage {
    /// The couple these are, as links and forms name it: empty unless the person is a
    /// partner in more than one couple (`cases::repo::couple_param`).
    pub couple_id: String,
    /// The viewer's position in the couple (1 or 2).
    pub position: i64,
    pub partner_names: [String; 2],
    pub active: Vec<AgreementView>,
    /// The viewer's own proposals that are waiting or were declined (the other partner's
    /// stay between them and the counselor until approved).
    pub proposals: Vec<Proposal>,
    pub ended: Vec<AgreementView>,
    pub closed: bool,
}

/// What a partner's home says of their agreements: how many there are, and how many wait
/// for their acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementsCount {
    /// The couple, as links name it (`couple::couple_param`).
    pub couple_id: String,
    pub active: i64,
    pub waiting_for_me: i64,
}

/// An active agreement as a check-in asks about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementQuestion {
    pub agreement_id: String,
    pub body: String,
}

/// The key of an agreement's answer in a check-in's `kept` map. The form field is
/// `kept[<key>]`; a key starting with a letter keeps the form decoder from reading an id that
/// starts with digits as a list index.
pub fn kept_key(agreement_id: &str) -> String {
    format!("agreement-{agreement_id}")
}

/// Counts of answers per kind, for a chart's text summary.
pub fn tally(weeks: &[FollowWeek], who: usize) -> [usize; 3] {
    let mut counts = [0; 3];
    for w in weeks {
        if let Some(k) = w.kept.get(who).copied().flatten() {
            counts[Kept::ALL.iter().position(|x| *x == k).unwrap_or(0)] += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_each_partner_separately() {
        let w = |a: Option<Kept>, b: Option<Kept>| FollowWeek {
            label: String::new(),
            kept: [a, b],
        };
        let weeks = [
            w(Some(Kept::Kept), None),
            w(Some(Kept::Partly), Some(Kept::Not)),
            w(Some(Kept::Kept), Some(Kept::Not)),
        ];
        assert_eq!(tally(&weeks, 0), [2, 1, 0]);
        assert_eq!(tally(&weeks, 1), [0, 0, 2]);
        assert_eq!(Kept::parse("partly"), Some(Kept::Partly));
        assert_eq!(Kept::parse("maybe"), None);
    }
}
