//! Widgets shared by every feature: the signed-in layout, its header, form messages.

mod copy;
mod layout;
mod messages;
mod return_to;

pub use copy::CopyButton;
pub use layout::SignedIn;
pub use messages::{ActionError, HydrationMarker, Notice, error_of, load_error, not_found};
pub use return_to::{RETURN_FIELD, ReturnTo};

/// Percent-encodes a query-string value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
