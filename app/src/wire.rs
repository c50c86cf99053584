//! Plain text as the answer of a server function the browser calls itself (an autosave's
//! time, a thread's new messages as HTML). The browser then needs no JSON reader at all:
//! serde_json's was a third of its WASM. Everything else answers in JSON as before.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};

/// UTF-8 text, sent as `text/plain` (so a response opened on its own is never run as HTML).
pub struct TextEncoding;

/// `#[server(output = PlainText)]`: the answer is a `String`, in the body of the response.
pub type PlainText = Post<TextEncoding>;

impl ContentType for TextEncoding {
    const CONTENT_TYPE: &'static str = "text/plain; charset=utf-8";
}

impl FormatType for TextEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl Encodes<String> for TextEncoding {
    type Error = std::convert::Infallible;

    fn encode(text: &String) -> Result<Bytes, Self::Error> {
        Ok(Bytes::copy_from_slice(text.as_bytes()))
    }
}

impl Decodes<String> for TextEncoding {
    type Error = std::string::FromUtf8Error;

    fn decode(bytes: Bytes) -> Result<String, Self::Error> {
        String::from_utf8(bytes.to_vec())
    }
}
