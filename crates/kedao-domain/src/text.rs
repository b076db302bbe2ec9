//! Text fields people type: names, titles, notes. Lengths count characters, not bytes, so a
//! Chinese company name gets the same room as a Latin one.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {0} characters")]
    TooLong(usize),
    #[error("must not contain control characters")]
    ControlCharacters,
    #[error("is not a valid e-mail address")]
    InvalidEmail,
}

/// Trims and checks a required single-line text.
pub fn required_line(s: &str, max_chars: usize) -> Result<String, TextError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(TextError::Empty);
    }
    optional_line(t, max_chars).map(|v| v.unwrap_or_default())
}

/// Trims and checks an optional single-line text; blank becomes `None`.
pub fn optional_line(s: &str, max_chars: usize) -> Result<Option<String>, TextError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > max_chars {
        return Err(TextError::TooLong(max_chars));
    }
    if t.chars().any(char::is_control) {
        return Err(TextError::ControlCharacters);
    }
    Ok(Some(t.to_owned()))
}

/// Checks a multi-line text (notes, descriptions): newlines and tabs are fine.
pub fn optional_text(s: &str, max_chars: usize) -> Result<Option<String>, TextError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > max_chars {
        return Err(TextError::TooLong(max_chars));
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(TextError::ControlCharacters);
    }
    Ok(Some(t.to_owned()))
}

/// Normalizes and checks an e-mail address (lower-cased; one `@`, a dot in the domain).
pub fn email(s: &str) -> Result<String, TextError> {
    let t = required_line(s, 254)?.to_lowercase();
    let (local, domain) = t.split_once('@').ok_or(TextError::InvalidEmail)?;
    let valid = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !t.contains(char::is_whitespace);
    if valid {
        Ok(t)
    } else {
        Err(TextError::InvalidEmail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_characters_not_bytes() {
        let name = "华".repeat(10);
        assert_eq!(required_line(&name, 10), Ok(name.clone()));
        assert_eq!(
            required_line(&format!("{name}x"), 10),
            Err(TextError::TooLong(10))
        );
        assert_eq!(
            required_line("  深圳客道科技 🚀 ", 50),
            Ok("深圳客道科技 🚀".into())
        );
    }

    #[test]
    fn rejects_blank_and_control_characters() {
        assert_eq!(required_line("   ", 5), Err(TextError::Empty));
        assert_eq!(
            required_line("a\u{0}b", 5),
            Err(TextError::ControlCharacters)
        );
        assert_eq!(
            optional_text("line1\nline2", 50),
            Ok(Some("line1\nline2".into()))
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            email(" Li.Lei@Example.COM "),
            Ok("li.lei@example.com".into())
        );
        for bad in ["nope", "@x.cn", "a@b", "a@@b.cn", "a b@c.cn", "a@.cn"] {
            assert_eq!(email(bad), Err(TextError::InvalidEmail), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn accepted_lines_are_trimmed_and_bounded(s in "\\PC{0,40}", max in 1_usize..30) {
            if let Ok(v) = required_line(&s, max) {
                prop_assert_eq!(v.trim(), v.as_str());
                prop_assert!(v.chars().count() <= max);
                prop_assert!(!v.is_empty());
            }
        }
    }
}
