//! Time-based one-time passwords (RFC 6238, computed by `totp-lite`: HMAC-SHA1, 6 digits, 30 s),
//! the window and "each code works once" around them, base32 for the shared secret, and the
//! recovery codes' format.

use data_encoding::BASE32_NOPAD;
use rand::RngCore;
use subtle::ConstantTimeEq;
use totp_lite::{Sha1, totp_custom};

/// Seconds per time step.
pub const PERIOD: u64 = 30;
/// Digits in a code.
pub const DIGITS: u32 = 6;
/// Bytes of secret: 160 bits, the length RFC 4226 recommends for HMAC-SHA1.
pub const SECRET_BYTES: usize = 20;

/// RFC 4648 base32 without padding (what authenticator apps expect in `secret=`).
pub fn base32_encode(bytes: &[u8]) -> String {
    BASE32_NOPAD.encode(bytes)
}

/// Decodes base32, ignoring case, spaces and padding; `None` on anything else.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let plain: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    BASE32_NOPAD.decode(plain.as_bytes()).ok()
}

/// A fresh random secret.
pub fn new_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The time step a moment (unix seconds) falls in.
pub fn step_at(unix_secs: u64) -> u64 {
    unix_secs / PERIOD
}

/// The code of a time step with `digits` digits, as typed (leading zeros kept).
fn code(secret: &[u8], step: u64, digits: u32) -> String {
    // totp-lite takes a moment, not a step: the step's first second lands in that step.
    totp_custom::<Sha1>(PERIOD, digits, secret, step.saturating_mul(PERIOD))
}

/// The six-digit code of a time step.
pub fn code_for_step(secret: &[u8], step: u64) -> String {
    code(secret, step, DIGITS)
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Wrong,
    Reused,
}

/// Checks a typed code against the steps around `now_step` (one either side, for clocks
/// that drift and for codes typed as they change). Returns the step it matched, which must
/// be later than `last_used_step`: a code, once accepted, never works again.
pub fn verify(
    secret: &[u8],
    typed: &str,
    now_step: u64,
    last_used_step: Option<i64>,
) -> Result<u64, Refusal> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Refusal::Wrong);
    }
    let matched = [now_step.saturating_sub(1), now_step, now_step + 1]
        .into_iter()
        .filter(|step| {
            bool::from(
                code_for_step(secret, *step)
                    .as_bytes()
                    .ct_eq(typed.as_bytes()),
            )
        })
        .max()
        .ok_or(Refusal::Wrong)?;
    match last_used_step {
        Some(last) if last >= 0 && matched <= last as u64 => Err(Refusal::Reused),
        _ => Ok(matched),
    }
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(email: &str, secret_base32: &str) -> String {
    format!(
        "otpauth://totp/Trellis:{}?secret={secret_base32}&issuer=Trellis&algorithm=SHA1&digits={DIGITS}&period={PERIOD}",
        // Apps show the label as typed; '@' is allowed in the path, other specials are not.
        crate::valid::urlencode(email).replace("%40", "@")
    )
}

/// The QR code of `text` as an inline SVG element (no XML prolog).
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(220, 220)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let start = svg.find("<svg")?;
    Some(svg[start..].to_string())
}

/// Recovery codes: 16 base32 characters (80 random bits) in four groups, lower case.
pub fn new_recovery_code() -> String {
    let mut bytes = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let plain = base32_encode(&bytes).to_lowercase();
    plain
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A recovery code as typed, reduced to what identifies it (case, spaces and dashes do not
/// matter), or `None` if it cannot be one.
pub fn normalize_recovery_code(typed: &str) -> Option<String> {
    let plain: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (plain.len() == 16 && base32_decode(&plain).is_some()).then_some(plain)
}

/// The stored form of a recovery code (hex SHA-256 of its normalized text). 80 random bits
/// make a plain hash enough: there is no dictionary to try.
pub fn recovery_code_hash(normalized: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(normalized.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows: the ASCII secret "12345678901234567890", 8 digits.
    #[test]
    fn matches_the_rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, expected) in [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(
                code(secret, step_at(time), 8),
                format!("{expected:08}"),
                "T = {time}"
            );
        }
        // The six-digit code is the last six digits of the same truncation.
        assert_eq!(code_for_step(secret, step_at(59)), "287082");
        assert_eq!(code_for_step(secret, step_at(1111111109)), "081804");
    }

    /// RFC 4226 appendix D: HOTP is TOTP with the counter as the time step.
    #[test]
    fn rfc_4226_hotp_vectors() {
        let secret = b"12345678901234567890";
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, code) in expected.into_iter().enumerate() {
            assert_eq!(super::code(secret, counter as u64, 6), format!("{code:06}"));
        }
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(
            base32_encode(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        assert_eq!(base32_decode("mzxw 6ytb oi======").unwrap(), b"foobar");
        let secret = new_secret();
        let text = base32_encode(&secret);
        assert_eq!(text.len(), 32);
        assert_eq!(base32_decode(&text).unwrap(), secret);
        assert!(base32_decode("not base32!").is_none());
    }

    #[test]
    fn accepts_one_step_either_side_and_refuses_reuse() {
        let secret = b"12345678901234567890";
        let now = 1_000_000;
        for step in [now - 1, now, now + 1] {
            let code = code_for_step(secret, step);
            assert_eq!(verify(secret, &code, now, None), Ok(step));
        }
        assert_eq!(
            verify(secret, &code_for_step(secret, now - 2), now, None),
            Err(Refusal::Wrong)
        );
        assert_eq!(
            verify(secret, &code_for_step(secret, now + 2), now, None),
            Err(Refusal::Wrong)
        );
        let code = code_for_step(secret, now);
        assert_eq!(
            verify(secret, &code, now, Some(now as i64)),
            Err(Refusal::Reused)
        );
        assert_eq!(
            verify(secret, &code, now, Some(now as i64 + 1)),
            Err(Refusal::Reused)
        );
        assert_eq!(verify(secret, &code, now, Some(now as i64 - 1)), Ok(now));
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(verify(secret, &spaced, now, None), Ok(now));
        assert_eq!(verify(secret, "12345", now, None), Err(Refusal::Wrong));
        assert_eq!(verify(secret, "abcdef", now, None), Err(Refusal::Wrong));
    }

    #[test]
    fn recovery_codes_normalize_and_hash() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 19);
        let norm = normalize_recovery_code(&code.to_uppercase().replace('-', " ")).unwrap();
        assert_eq!(norm, code.replace('-', ""));
        assert_eq!(recovery_code_hash(&norm).len(), 64);
        assert!(normalize_recovery_code("123456").is_none());
        assert_ne!(new_recovery_code(), new_recovery_code());
    }

    #[test]
    fn the_qr_code_is_an_inline_svg() {
        let uri = otpauth_uri("robin@example.org", "JBSWY3DPEHPK3PXP");
        assert!(uri.starts_with(
            "otpauth://totp/Trellis:robin@example.org?secret=JBSWY3DPEHPK3PXP&issuer=Trellis"
        ));
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
