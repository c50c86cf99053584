//! The counselor's caseload, the couple form and the case page.

mod case_page;
mod caseload;
mod form;

pub use case_page::CasePage;
pub use caseload::{CaseloadView, elapsed};
pub use form::{EditCouplePage, NewCouplePage};
