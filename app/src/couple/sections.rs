//! The counselor's case page is cut into sections, each at its own address, so a counselor
//! can go straight to what they need and no page carries the whole case. Features send a
//! counselor back to the section their action belongs to (`CaseSection::Agreements.path`).

use serde::{Deserialize, Serialize};

/// One section of a couple's case page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseSection {
    /// What to know before the couple walks in: safety flags, the next session, what waits
    /// for review, how each partner's week went, and messages.
    Overview,
    /// Where the couple stands in their program, and their homework.
    Homework,
    /// Check-ins, questionnaires, trends and the wins wall.
    Progress,
    Agreements,
    /// Sessions and treatment goals.
    Sessions,
    /// The partners, their invitations, consent and intake, and the case's status.
    Partners,
    /// The case's history.
    Timeline,
}

impl CaseSection {
    /// In the order the section links show them.
    pub const ALL: [CaseSection; 7] = [
        CaseSection::Overview,
        CaseSection::Homework,
        CaseSection::Progress,
        CaseSection::Agreements,
        CaseSection::Sessions,
        CaseSection::Partners,
        CaseSection::Timeline,
    ];

    /// The section's last path segment (empty for the overview, which is `/cases/<id>`).
    pub fn slug(self) -> &'static str {
        match self {
            CaseSection::Overview => "",
            CaseSection::Homework => "homework",
            CaseSection::Progress => "progress",
            CaseSection::Agreements => "agreements",
            CaseSection::Sessions => "sessions",
            CaseSection::Partners => "partners",
            CaseSection::Timeline => "timeline",
        }
    }

    /// The section's name in its link and its page title.
    pub fn label(self) -> &'static str {
        match self {
            CaseSection::Overview => "Overview",
            CaseSection::Homework => "Program and homework",
            CaseSection::Progress => "Check-ins and progress",
            CaseSection::Agreements => "Agreements",
            CaseSection::Sessions => "Sessions and goals",
            CaseSection::Partners => "Partners and details",
            CaseSection::Timeline => "Timeline",
        }
    }

    /// The section by its path segment.
    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// The section's address for a couple: `/cases/<id>` or `/cases/<id>/<slug>`.
    pub fn path(self, couple_id: &str) -> String {
        match self {
            CaseSection::Overview => format!("/cases/{couple_id}"),
            s => format!("/cases/{couple_id}/{}", s.slug()),
        }
    }

    /// The section's address with `rest` after it (a query and/or a fragment).
    pub fn path_then(self, couple_id: &str, rest: &str) -> String {
        format!("{}{rest}", self.path(couple_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_has_its_own_address_and_comes_back_from_it() {
        let mut paths: Vec<String> = CaseSection::ALL.iter().map(|s| s.path("c1")).collect();
        assert_eq!(paths[0], "/cases/c1");
        assert_eq!(CaseSection::Agreements.path("c1"), "/cases/c1/agreements");
        assert_eq!(
            CaseSection::Homework.path_then("c1", "?assigned=1#homework"),
            "/cases/c1/homework?assigned=1#homework"
        );
        for s in CaseSection::ALL {
            assert_eq!(CaseSection::parse(s.slug()), Some(s));
        }
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), CaseSection::ALL.len());
        assert_eq!(CaseSection::parse("edit"), None);
    }
}
