//! HMAC-SHA256 with the host's token: the building block of AWS Signature
//! Version 4, and the signed links to a game session's log that
//! `GetGameSessionLogUrl` hands out, which the control plane admits without
//! a token until they expire.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use subtle::ConstantTimeEq;

/// How long a link to a game session's log works (as GameLift's).
pub const LOG_LINK_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Bytes in lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The control plane's path of a game session's log.
pub fn log_path(game_session_id: &str) -> String {
    format!("/v1/gamesessions/{game_session_id}/logs")
}

fn log_signature(secret: &[u8], path: &str, expires: u64) -> String {
    hex(&hmac_sha256(
        secret,
        format!("GET\n{path}\n{expires}").as_bytes(),
    ))
}

/// The path and query of a link to a game session's log made at `now`:
/// signed with `secret` and working for [`LOG_LINK_LIFETIME`], or plain
/// when the host has no token.
pub fn log_link(secret: Option<&[u8]>, game_session_id: &str, now: SystemTime) -> String {
    let path = log_path(game_session_id);
    let Some(secret) = secret else {
        return path;
    };
    let expires = (now + LOG_LINK_LIFETIME)
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let signature = log_signature(secret, &path, expires);
    format!("{path}?expires={expires}&signature={signature}")
}

/// Whether a request for `path` with `query` is a log link signed with
/// `secret` that has not expired at `now`.
pub fn admits_log_link(secret: &[u8], path: &str, query: &str, now: SystemTime) -> bool {
    if !(path.starts_with("/v1/gamesessions/") && path.ends_with("/logs")) {
        return false;
    }
    let (mut expires, mut signature) = (None, None);
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("expires", v)) => expires = v.parse::<u64>().ok(),
            Some(("signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    let (Some(expires), Some(signature)) = (expires, signature) else {
        return false;
    };
    let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let expected = log_signature(secret, path, expires);
    now <= expires && bool::from(expected.as_bytes().ct_eq(signature.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_link_works_for_its_game_session_until_it_expires() {
        let made = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let link = log_link(Some(b"secret"), "gsess-1", made);
        let (path, query) = link.split_once('?').expect("a signed link");
        assert_eq!(path, "/v1/gamesessions/gsess-1/logs");
        let later = |secs| made + Duration::from_secs(secs);
        // (case, secret, path, query, when, admitted)
        let tampered = query.replace("signature=", "signature=0");
        let cases = [
            ("as made", b"secret".as_slice(), path, query, later(0), true),
            (
                "at its expiry",
                b"secret",
                path,
                query,
                later(15 * 60),
                true,
            ),
            (
                "after it",
                b"secret",
                path,
                query,
                later(15 * 60 + 1),
                false,
            ),
            ("another secret", b"other", path, query, later(0), false),
            (
                "another game session",
                b"secret",
                "/v1/gamesessions/gsess-2/logs",
                query,
                later(0),
                false,
            ),
            (
                "another route",
                b"secret",
                "/v1/fleets",
                query,
                later(0),
                false,
            ),
            (
                "a tampered signature",
                b"secret",
                path,
                &tampered,
                later(0),
                false,
            ),
            ("no query", b"secret", path, "", later(0), false),
        ];
        for (case, secret, path, query, now, admitted) in cases {
            assert_eq!(
                admits_log_link(secret, path, query, now),
                admitted,
                "{case}"
            );
        }
        assert_eq!(
            log_link(None, "gsess-1", made),
            "/v1/gamesessions/gsess-1/logs"
        );
    }
}
