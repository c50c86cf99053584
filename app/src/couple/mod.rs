//! The couple core: what a couple is (its status, the partners' roles in the rupture) and who
//! the caller is to it, below every feature. `auth`, `audit` and each feature read couples
//! through here: the couple's row and both partners are loaded once per request
//! (`CoupleContext`), however many guards and panels ask.

#[cfg(feature = "ssr")]
mod context;
#[cfg(feature = "ssr")]
mod repo;
mod sections;

pub use sections::CaseSection;

#[cfg(feature = "ssr")]
pub use context::{
    CaseRelation, CoupleContext, PartnerSeat, ProgramPlace, RequestCouples, Seat, forget,
    forget_time_zone, load, partner_contexts, partner_names,
};
#[cfg(feature = "ssr")]
pub use repo::{
    RETENTION_KEY, couple_param, partner_couple, remember_seats, retention_years, time_zone,
};

use serde::{Deserialize, Serialize};

/// How long closed cases are kept, unless the practice says otherwise.
pub const DEFAULT_RETENTION_YEARS: u32 = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseStatus {
    Intake,
    Active,
    Paused,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::Intake,
        CaseStatus::Active,
        CaseStatus::Paused,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Intake => "intake",
            CaseStatus::Active => "active",
            CaseStatus::Paused => "paused",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The statuses a case may move to from this one. Closing is always possible;
    /// a closed case can only be reopened.
    pub fn next(self) -> &'static [CaseStatus] {
        match self {
            CaseStatus::Intake => &[CaseStatus::Active, CaseStatus::Closed],
            CaseStatus::Active => &[CaseStatus::Paused, CaseStatus::Closed],
            CaseStatus::Paused => &[CaseStatus::Active, CaseStatus::Closed],
            CaseStatus::Closed => &[CaseStatus::Active],
        }
    }

    /// The button that moves a case to this status.
    pub fn verb(self) -> &'static str {
        match self {
            CaseStatus::Intake => "Back to intake",
            CaseStatus::Active => "Mark active",
            CaseStatus::Paused => "Pause the case",
            CaseStatus::Closed => "Close the case",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Intake => "Intake",
            CaseStatus::Active => "Active",
            CaseStatus::Paused => "Paused",
            CaseStatus::Closed => "Closed",
        }
    }
}

/// A partner's part in the rupture; homework can be aimed by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuptureRole {
    BrokeTrust,
    Hurt,
    Unspecified,
}

impl RuptureRole {
    pub fn as_str(self) -> &'static str {
        match self {
            RuptureRole::BrokeTrust => "broke_trust",
            RuptureRole::Hurt => "hurt",
            RuptureRole::Unspecified => "unspecified",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "broke_trust" => Some(RuptureRole::BrokeTrust),
            "hurt" => Some(RuptureRole::Hurt),
            "unspecified" | "" => Some(RuptureRole::Unspecified),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RuptureRole::BrokeTrust => "Broke trust",
            RuptureRole::Hurt => "Hurt partner",
            RuptureRole::Unspecified => "Not specified",
        }
    }
}

/// A partner page's address for one of their couples: `path` with `couple=<id>` added, so a
/// person in two couples comes back to the couple they were in (no change when `couple_id` is
/// empty, the couple their home opens with).
pub fn couple_page(path: &str, couple_id: &str) -> String {
    let couple_id = couple_id.trim();
    if couple_id.is_empty() {
        return path.to_string();
    }
    let (page, query) = path.split_once('?').unwrap_or((path, ""));
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("&{query}")
    };
    format!("{page}?couple={couple_id}{query}")
}
