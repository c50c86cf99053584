//! Each role's home page: what someone sees first after signing in.

pub mod api;
#[cfg(feature = "ssr")]
mod repo;
pub mod ui;

use crate::features::agreements::AgreementsCount;
use crate::features::intake::IntakeTask;
use crate::features::progress::CheckInDue;
use serde::{Deserialize, Serialize};

/// The cards a partner's home shows for one of their couples that are read together: their
/// check-in, their agreements and their intake.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeCards {
    pub check_in: CheckInDue,
    pub agreements: AgreementsCount,
    /// `None` when the case is closed and nothing was sent.
    pub intake: Option<IntakeTask>,
}
