//! The administrator's pages: accounts and counselor invitations with practice settings
//! (home), couples and their counselors, the audit log, and the practice overview; one
//! submodule per page.

mod audit;
mod couples;
mod home;
mod overview;

pub use audit::AuditLogPage;
pub use couples::CouplesAdminPage;
pub use home::AdminHome;
pub use overview::OverviewPage;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn page_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1)
    }
}
