//! SQL for cases: a case's details are created and corrected in `details`, listed in `lists`,
//! read as a whole in `view`, and moved between statuses and counselors in `status`. (What
//! every feature reads of a couple, its context, is read by the couple core: `couple::repo`.)

mod details;
mod lists;
mod status;
mod view;

pub use details::{ValidCouple, ValidPartner, create, update};
pub use lists::{all_couples, caseload, partner_couples};
pub use status::{change_status, reassign};
pub use view::{details as case_details, export_record, facts, timeline};
