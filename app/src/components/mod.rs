//! Widgets shared by every feature: the signed-in layout, its header, form messages.

mod layout;
mod messages;

pub use layout::SignedIn;
pub use messages::{ActionError, HydrationMarker, Notice, error_of};
