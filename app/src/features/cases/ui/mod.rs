//! The counselor's caseload and the couple form (the case page is a composition:
//! `compositions::case_page`).

mod caseload;
mod form;

pub use caseload::{CaseloadView, elapsed};
pub use form::{EditCouplePage, NewCouplePage};
