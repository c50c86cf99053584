//! Widgets shared by every feature: the signed-in layout, its header, form messages.

mod copy;
mod layout;
mod messages;
mod quick_exit;
mod return_to;

pub use copy::CopyButton;
pub use layout::SignedIn;
pub use messages::{ActionError, HydrationMarker, Notice, error_of, load_error, not_found};
pub use quick_exit::{NEUTRAL_PAGE, QuickExit};
pub use return_to::{RETURN_FIELD, ReturnTo};

pub use crate::valid::urlencode;

/// Text to put inside a `<textarea>`. Leptos writes a textarea's children unescaped (as it
/// does a script's), so typed words holding `</textarea>` would end the element and whatever
/// followed would be read as markup. The browser decodes these references back into exactly
/// the text typed. Textareas render on the server only; in the browser build it is a no-op.
pub fn textarea_text(text: impl Into<String>) -> String {
    let text = text.into();
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text
    }
}
