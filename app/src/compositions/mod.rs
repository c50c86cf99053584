//! Pages and documents that gather several features: the case page, the session page with its
//! pre-session brief, the progress report, the exports and the partner's home. Each calls the
//! features' own functions; no feature imports a composition.

pub mod case_page;
#[cfg(feature = "ssr")]
pub mod exports;
pub mod home;
pub mod report;
pub mod session_page;
