//! Kubernetes name rules for labels and annotations.

use super::error::{Error, Result};
use super::limits::SDK_METADATA_PREFIX;

const MAX_NAME_BYTES: usize = 63;
const MAX_PREFIX_BYTES: usize = 253;

/// Checks that `key` is a Kubernetes qualified name: an optional DNS-subdomain
/// prefix and a slash, then a name of at most 63 characters of
/// `[A-Za-z0-9._-]` that starts and ends with a letter or digit.
pub fn validate_qualified_name(key: &str) -> Result<()> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        validate_dns_subdomain(prefix)
            .map_err(|why| Error::invalid_argument(format!("key {key:?}: prefix {why}")))?;
    }
    validate_name(name).map_err(|why| Error::invalid_argument(format!("key {key:?}: name {why}")))
}

/// Checks that `value` is a Kubernetes label value: empty, or a name as in
/// [`validate_qualified_name`].
pub fn validate_label_value(value: &str) -> Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    validate_name(value)
        .map_err(|why| Error::invalid_argument(format!("label value {value:?} {why}")))
}

/// The stored key of a guest's label or annotation: its key under the SDK
/// prefix, checked as a qualified name.
pub fn sdk_key(key: &str) -> Result<String> {
    if key.is_empty() {
        return Err(Error::invalid_argument("key must not be empty"));
    }
    let full = format!("{SDK_METADATA_PREFIX}{key}");
    validate_qualified_name(&full)?;
    Ok(full)
}

fn validate_name(name: &str) -> std::result::Result<(), &'static str> {
    if name.is_empty() {
        return Err("must not be empty");
    }
    if name.len() > MAX_NAME_BYTES {
        return Err("must be at most 63 characters");
    }
    let bytes = name.as_bytes();
    if !bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err("may only contain letters, digits, '-', '_' and '.'");
    }
    if !bytes[0].is_ascii_alphanumeric() || !bytes[bytes.len() - 1].is_ascii_alphanumeric() {
        return Err("must start and end with a letter or digit");
    }
    Ok(())
}

fn validate_dns_subdomain(prefix: &str) -> std::result::Result<(), &'static str> {
    if prefix.is_empty() || prefix.len() > MAX_PREFIX_BYTES {
        return Err("must be 1 to 253 characters");
    }
    for part in prefix.split('.') {
        let bytes = part.as_bytes();
        let valid = !bytes.is_empty()
            && bytes
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
            && bytes[0] != b'-'
            && bytes[bytes.len() - 1] != b'-';
        if !valid {
            return Err("must be lowercase DNS labels of letters, digits and '-' joined by '.'");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names() {
        let cases: &[(&str, bool)] = &[
            ("mode", true),
            ("agones.dev/sdk-mode", true),
            ("a", true),
            ("A.b_c-9", true),
            (&"x".repeat(63), true),
            (&"x".repeat(64), false),
            ("", false),
            ("-mode", false),
            ("mode-", false),
            ("mo de", false),
            ("mode/", false),
            ("/mode", false),
            ("Agones.dev/x", false),
            ("a/b/c", false),
            ("example.com/ok", true),
            ("exa_mple.com/x", false),
        ];
        for (key, ok) in cases {
            assert_eq!(validate_qualified_name(key).is_ok(), *ok, "{key:?}");
        }
    }

    #[test]
    fn sdk_keys_are_prefixed_and_leave_59_characters() {
        assert_eq!(sdk_key("mode").unwrap(), "agones.dev/sdk-mode");
        assert!(sdk_key(&"k".repeat(59)).is_ok());
        assert!(sdk_key(&"k".repeat(60)).is_err());
        assert!(sdk_key("").is_err());
        assert!(sdk_key("a/b").is_err());
        assert!(sdk_key("ends-").is_err());
    }

    #[test]
    fn label_values() {
        for (value, ok) in [
            ("", true),
            ("ffa", true),
            ("1.0", true),
            ("bad value", false),
            ("-x", false),
        ] {
            assert_eq!(validate_label_value(value).is_ok(), ok, "{value:?}");
        }
        assert!(validate_label_value(&"v".repeat(64)).is_err());
    }
}
