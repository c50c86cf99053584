//! Each role's home page: what someone sees first after signing in.

pub mod api;
#[cfg(feature = "ssr")]
mod repo;
pub mod ui;

use crate::features::agreements::AgreementsCount;
use crate::features::intake::IntakeTask;
use crate::features::messages::ThreadLink;
use crate::features::progress::CheckInDue;
use serde::{Deserialize, Serialize};

/// The cards a partner's home shows for one of their couples that are read together: their
/// check-in, their agreements, their intake and their message threads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeCards {
    pub check_in: CheckInDue,
    pub agreements: AgreementsCount,
    /// `None` when the case is closed and nothing was sent.
    pub intake: Option<IntakeTask>,
    /// Their private thread with the counselor, and the joint one once it is open, each with
    /// its unread count.
    pub messages: Vec<ThreadLink>,
}
