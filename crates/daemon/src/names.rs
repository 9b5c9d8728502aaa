//! Checks on the names clients give to modules and fleets.

use gamehost_model::Error;

/// Longest module name or version.
const MAX_MODULE_NAME: usize = 128;
/// Longest fleet name (a DNS label, as Agones fleet names are).
const MAX_FLEET_NAME: usize = 63;

/// A module name or version: 1 to 128 of `A-Z a-z 0-9 . _ -`.
pub(super) fn check_module_name(field: &str, value: &str) -> Result<(), Error> {
    let ok = !value.is_empty()
        && value.len() <= MAX_MODULE_NAME
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(format!(
            "{field} must be 1 to {MAX_MODULE_NAME} characters of A-Z, a-z, 0-9, '.', '_' and '-', got {value:?}"
        )))
    }
}

/// A fleet name: a DNS label of lower-case letters, digits and '-', 1 to 63
/// long, starting and ending with a letter or digit.
pub(super) fn check_fleet_name(value: &str) -> Result<(), Error> {
    let bytes = value.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let ok = !value.is_empty()
        && value.len() <= MAX_FLEET_NAME
        && edge(bytes.first())
        && edge(bytes.last())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(format!(
            "a fleet name is 1 to {MAX_FLEET_NAME} lower-case letters, digits and '-', starting and ending with a letter or digit; got {value:?}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        for (name, ok) in [
            ("arena", true),
            ("arena-2", true),
            ("-arena", false),
            ("arena-", false),
            ("Arena", false),
            ("", false),
            ("a.b", false),
        ] {
            assert_eq!(check_fleet_name(name).is_ok(), ok, "{name:?}");
        }
        for (name, ok) in [
            ("1.0.0", true),
            ("v1_rc-2", true),
            ("a b", false),
            ("", false),
        ] {
            assert_eq!(check_module_name("version", name).is_ok(), ok, "{name:?}");
        }
        assert!(check_module_name("name", &"x".repeat(129)).is_err());
    }
}
