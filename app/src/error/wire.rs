//! How an `AppError` crosses the wire: as the JSON serde writes for the enum (`"NotFound"`,
//! `{"Validation":{"field":"body","message":"…"}}`), which scripts and other non-browser
//! callers read too. It is read back with the small reader below, on both sides, instead of
//! serde_json: in the browser, serde_json's reader (with the float formatting its error
//! messages bring) was a third of the WASM every phone downloads.

use super::AppError;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use std::fmt;

/// The `Encoder` of `AppError` (see `FromServerFnError`).
pub struct ErrorJson;

impl ContentType for ErrorJson {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for ErrorJson {
    const FORMAT_TYPE: Format = Format::Text;
}

impl Encodes<AppError> for ErrorJson {
    type Error = leptos::serde_json::Error;

    fn encode(err: &AppError) -> Result<Bytes, Self::Error> {
        leptos::serde_json::to_vec(err).map(Bytes::from)
    }
}

impl Decodes<AppError> for ErrorJson {
    type Error = NotAnError;

    fn decode(bytes: Bytes) -> Result<AppError, NotAnError> {
        read(&bytes).ok_or(NotAnError)
    }
}

/// The bytes were not an `AppError` as `ErrorJson` writes it.
#[derive(Debug)]
pub struct NotAnError;

impl fmt::Display for NotAnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an error this version of Trellis knows")
    }
}

/// The error `bytes` hold, if they hold one.
pub fn read(bytes: &[u8]) -> Option<AppError> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut reader = Reader {
        s: text.as_bytes(),
        i: 0,
    };
    let value = reader.value()?;
    reader.space();
    if reader.i != reader.s.len() {
        return None;
    }
    error_of(value)
}

fn error_of(value: Value) -> Option<AppError> {
    use AppError::*;
    match value {
        Value::Str(name) => Some(match name.as_str() {
            "NotSignedIn" => NotSignedIn,
            "Forbidden" => Forbidden,
            "NotFound" => NotFound,
            "InvalidCredentials" => InvalidCredentials,
            "AccountDeactivated" => AccountDeactivated,
            "SignInExpired" => SignInExpired,
            "TwoFactorRequired" => TwoFactorRequired,
            "BadRequest" => BadRequest,
            "Unavailable" => Unavailable,
            "ConsentRequired" => ConsentRequired,
            _ => return None,
        }),
        Value::Obj(mut outer) if outer.len() == 1 => {
            let (name, inner) = outer.pop()?;
            match (name.as_str(), inner) {
                ("Throttled", Value::Obj(fields)) => Some(Throttled {
                    retry_after_secs: int(&fields, "retry_after_secs")?,
                }),
                ("Validation", Value::Obj(fields)) => Some(Validation {
                    field: text(&fields, "field")?,
                    message: text(&fields, "message")?,
                }),
                ("Internal", Value::Obj(fields)) => Some(Internal {
                    request_id: text(&fields, "request_id")?,
                }),
                ("Conflict", Value::Str(message)) => Some(Conflict(message)),
                ("Config", Value::Str(message)) => Some(Config(message)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn text(fields: &[(String, Value)], name: &str) -> Option<String> {
    match fields.iter().find(|(k, _)| k == name)? {
        (_, Value::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

fn int(fields: &[(String, Value)], name: &str) -> Option<i64> {
    match fields.iter().find(|(k, _)| k == name)? {
        (_, Value::Int(n)) => Some(*n),
        _ => None,
    }
}

/// A JSON value, as much of it as an error needs: what else is valid JSON is `Other`.
enum Value {
    Str(String),
    Int(i64),
    Obj(Vec<(String, Value)>),
    Other,
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn space(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b" \t\r\n".contains(b)) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        self.space();
        let here = self.s.get(self.i) == Some(&b);
        if here {
            self.i += 1;
        }
        here
    }

    fn value(&mut self) -> Option<Value> {
        self.space();
        match *self.s.get(self.i)? {
            b'"' => self.string().map(Value::Str),
            b'{' => self.object(),
            b'[' => self.array(),
            b'-' | b'0'..=b'9' => self.number(),
            _ => ["true", "false", "null"].iter().find_map(|word| {
                self.s[self.i..].starts_with(word.as_bytes()).then(|| {
                    self.i += word.len();
                    Value::Other
                })
            }),
        }
    }

    fn object(&mut self) -> Option<Value> {
        self.i += 1;
        let mut fields = Vec::new();
        if self.eat(b'}') {
            return Some(Value::Obj(fields));
        }
        loop {
            self.space();
            let key = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            fields.push((key, self.value()?));
            if self.eat(b'}') {
                return Some(Value::Obj(fields));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn array(&mut self) -> Option<Value> {
        self.i += 1;
        if self.eat(b']') {
            return Some(Value::Other);
        }
        loop {
            self.value()?;
            if self.eat(b']') {
                return Some(Value::Other);
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// An integer is `Int`; a fraction or exponent (no error has one) is `Other`.
    fn number(&mut self) -> Option<Value> {
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|b| b.is_ascii_digit() || b"-+.eE".contains(b))
        {
            self.i += 1;
        }
        let digits = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        Some(match digits.parse::<i64>() {
            Ok(n) => Value::Int(n),
            Err(_) if digits.bytes().any(|b| b.is_ascii_digit()) => Value::Other,
            Err(_) => return None,
        })
    }

    fn string(&mut self) -> Option<String> {
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let b = *self.s.get(self.i)?;
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escaped = *self.s.get(self.i)?;
                    self.i += 1;
                    let c = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => return None,
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                0..=0x1f => return None,
                _ => out.push(b),
            }
        }
    }

    /// The character of a `\u` escape (after the `u`), joining a surrogate pair.
    fn unicode(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xd800..0xdc00).contains(&first) {
            if !self.s[self.i..].starts_with(b"\\u") {
                return None;
            }
            self.i += 2;
            let second = self.hex4()?;
            if !(0xdc00..0xe000).contains(&second) {
                return None;
            }
            char::from_u32(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))
        } else {
            char::from_u32(first)
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.s.get(self.i..self.i + 4)?;
        self.i += 4;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of every variant. The match fails to compile when a variant is added, so the
    /// new one cannot be left out of the reader and of this list.
    fn every_variant(words: &str) -> Vec<AppError> {
        use AppError::*;
        let all = vec![
            NotSignedIn,
            Forbidden,
            NotFound,
            InvalidCredentials,
            AccountDeactivated,
            Throttled {
                retry_after_secs: -7,
            },
            Throttled {
                retry_after_secs: i64::MAX,
            },
            SignInExpired,
            TwoFactorRequired,
            Validation {
                field: "answers[q1]".into(),
                message: words.into(),
            },
            Conflict(words.into()),
            Internal {
                request_id: "ab12-CD".into(),
            },
            BadRequest,
            Unavailable,
            Config(words.into()),
            ConsentRequired,
        ];
        for e in &all {
            match e {
                NotSignedIn
                | Forbidden
                | NotFound
                | InvalidCredentials
                | AccountDeactivated
                | Throttled { .. }
                | SignInExpired
                | TwoFactorRequired
                | Validation { .. }
                | Conflict(_)
                | Internal { .. }
                | BadRequest
                | Unavailable
                | Config(_)
                | ConsentRequired => {}
            }
        }
        all
    }

    #[test]
    fn reads_every_error_serde_writes() {
        let words = [
            "",
            "Write a message before sending it.",
            "quotes \" and \\ backslashes / and \u{1} \u{1f} controls\n\t\r\u{8}\u{c}",
            "letters beyond ASCII: é, ß, 漢字, and an emoji 🌱 (a surrogate pair in JSON)",
            "\u{2028}\u{2029}\u{7f}\u{feff}",
        ];
        for w in words {
            for err in every_variant(w) {
                let compact = leptos::serde_json::to_vec(&err).unwrap();
                assert_eq!(read(&compact), Some(err.clone()), "{}", w);
                let pretty = leptos::serde_json::to_vec_pretty(&err).unwrap();
                assert_eq!(read(&pretty), Some(err.clone()), "{}", w);
                assert_eq!(
                    <ErrorJson as Decodes<AppError>>::decode(
                        <ErrorJson as Encodes<AppError>>::encode(&err).unwrap()
                    )
                    .ok(),
                    Some(err)
                );
            }
        }
    }

    #[test]
    fn reads_escapes_serde_does_not_write() {
        let json = br#"{"Conflict":"\u00e9\ud83c\udf31\/\u0041"}"#;
        assert_eq!(read(json), Some(AppError::Conflict("é🌱/A".into())));
        let extra = br#"{"Validation":{"message":"m","extra":[1,2.5,{"x":null}],"field":"f"}}"#;
        assert_eq!(read(extra), Some(AppError::validation("f", "m")));
    }

    #[test]
    fn refuses_what_is_not_an_error() {
        for bad in [
            &b""[..],
            b"\"NoSuchError\"",
            b"{\"Conflict\":1}",
            b"{\"Throttled\":{\"retry_after_secs\":1.5}}",
            b"{\"Validation\":{\"field\":\"f\"}}",
            b"{\"NotFound\":null,\"Forbidden\":null}",
            b"\"NotFound\" trailing",
            b"\"Not\\qFound\"",
            b"\"\\ud83c\"",
            b"\"unterminated",
            b"\"raw\ncontrol\"",
            b"{\"Conflict\" \"no colon\"}",
            b"\xff\xfe",
            b"<html>Bad gateway</html>",
        ] {
            assert_eq!(read(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }
}
