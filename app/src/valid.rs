//! What people type, checked and normalised once at the edge (email addresses and display
//! names, wherever they are entered: accounts, cases, invitations), and text carried in an
//! address.

/// A display name: trimmed, 1 to 100 characters.
pub fn check_display_name(name: &str) -> Result<String, crate::error::AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::error::AppError::validation(
            "display_name",
            "Enter a name.",
        ));
    }
    if name.chars().count() > 100 {
        return Err(crate::error::AppError::validation(
            "display_name",
            "Use at most 100 characters for the name.",
        ));
    }
    Ok(name.to_string())
}

/// An email address: trimmed, lower-cased, one `@` with text on both sides, no spaces.
pub fn check_email(email: &str) -> Result<String, crate::error::AppError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && matches!(email.split_once('@'), Some((local, domain))
            if !local.is_empty() && domain.contains('.') && !domain.contains('@')
                && !domain.starts_with('.') && !domain.ends_with('.'));
    if valid {
        Ok(email)
    } else {
        Err(crate::error::AppError::validation(
            "email",
            "Enter an email address like name@example.org.",
        ))
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_names_are_checked_and_normalised() {
        assert_eq!(
            check_email("  Robin@Example.ORG ").unwrap(),
            "robin@example.org"
        );
        for bad in [
            "",
            "robin",
            "robin@",
            "@example.org",
            "ro bin@example.org",
            "a@b",
            "a@b.c@d.e",
        ] {
            assert!(check_email(bad).is_err(), "{bad} should be refused");
        }
        assert_eq!(check_display_name("  Robin Hale ").unwrap(), "Robin Hale");
        assert!(check_display_name("   ").is_err());
        assert!(check_display_name(&"x".repeat(101)).is_err());
    }
}
