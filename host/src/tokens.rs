//! Named tokens with scopes, kept only as SHA-256 hashes: the tokens file
//! (`gamehost serve --tokens FILE`) and `GAMEHOST_TOKEN`, the admin token.
//!
//! A file line is `NAME SCOPE[,SCOPE…] sha256:HEX [aws4:HEX]`; blank lines
//! and lines starting with `#` are skipped. Tokens are 256 random bits, so
//! one round of SHA-256 is a sound hash for them (no password stretching is
//! needed).
//!
//! A line with `aws4:` also lets its token sign GameLift requests (AWS
//! Signature Version 4, the token's name as the access key id and the token
//! as the secret access key). Checking an HMAC signature needs a key the
//! signer's secret gives, not just its hash: SigV4's first key is
//! `"AWS4" + token`, longer than SHA-256's block for a generated token, and
//! HMAC hashes a key that long before using it, so `aws4:` holds
//! `SHA-256("AWS4" + token)`, which checks signatures exactly as the token
//! would. It cannot be used as a bearer token, but anyone who reads it can
//! sign GameLift requests as the token: a file with `aws4:` lines is a
//! secret.

use sha2::{Digest, Sha256};
use std::fmt;
use subtle::{Choice, ConstantTimeEq};

/// The most tokens a file may hold.
pub const MAX_TOKENS: usize = 1000;
/// The longest token name.
pub const MAX_NAME_BYTES: usize = 63;

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Every GET: reading anything, watching, logs, metrics.
    Read,
    /// What a game backend or matchmaker needs: game sessions and player
    /// sessions, allocation and the game-server registry.
    Sessions,
    /// Modules, fleets, module updates and rollbacks.
    Deploy,
    /// Everything, including ending game servers.
    Admin,
}

impl Scope {
    /// Every scope, by name.
    pub const ALL: [Scope; 4] = [Scope::Read, Scope::Sessions, Scope::Deploy, Scope::Admin];

    /// Its name in the tokens file and in errors.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Sessions => "sessions",
            Scope::Deploy => "deploy",
            Scope::Admin => "admin",
        }
    }

    /// The scope named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// SHA-256's block: an HMAC key longer than this is hashed first.
const HMAC_BLOCK_BYTES: usize = 64;
/// What SigV4 puts before the secret access key to make its first key.
const SIGV4_PREFIX: &str = "AWS4";

/// A named token: its hash, its scopes, and the key its AWS signatures are
/// checked with, if it may sign them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    name: String,
    hash: [u8; 32],
    scopes: Vec<Scope>,
    signing_key: Option<[u8; 32]>,
}

impl Credential {
    /// The credential of `token`, named `name`, with `scopes`.
    pub fn new(name: &str, token: &str, scopes: Vec<Scope>) -> Self {
        Self {
            name: name.to_owned(),
            hash: hash(token),
            scopes,
            signing_key: None,
        }
    }

    /// The same credential, also signing GameLift requests with `token`
    /// (its own); an error when the token is too short for its signing key
    /// to be kept as a hash (generated tokens never are).
    pub fn signing_aws(mut self, token: &str) -> Result<Self, String> {
        if hash(token) != self.hash {
            return Err(format!("that is not the token of {:?}", self.name));
        }
        if SIGV4_PREFIX.len() + token.len() <= HMAC_BLOCK_BYTES {
            return Err(format!(
                "a token that signs AWS requests is at least {} bytes long",
                HMAC_BLOCK_BYTES + 1 - SIGV4_PREFIX.len()
            ));
        }
        self.signing_key = Some(Sha256::digest(format!("{SIGV4_PREFIX}{token}")).into());
        Ok(self)
    }

    /// The first key of the AWS signatures it makes (SigV4's
    /// `"AWS4" + secret`, in the form HMAC uses it), if it may sign.
    pub fn signing_key(&self) -> Option<&[u8]> {
        self.signing_key.as_ref().map(<[u8; 32]>::as_slice)
    }

    /// Its name, which the audit log records.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether it grants `scope`: `admin` grants every scope.
    pub fn grants(&self, scope: Scope) -> bool {
        self.scopes
            .iter()
            .any(|s| *s == scope || *s == Scope::Admin)
    }

    /// Its line in a tokens file.
    pub fn line(&self) -> String {
        let scopes: Vec<&str> = self.scopes.iter().map(|s| s.name()).collect();
        let mut line = format!(
            "{} {} sha256:{}",
            self.name,
            scopes.join(","),
            hex(&self.hash)
        );
        if let Some(key) = &self.signing_key {
            line.push_str(&format!(" aws4:{}", hex(key)));
        }
        line
    }
}

/// The credential named `name`.
pub fn named<'a>(credentials: &'a [Credential], name: &str) -> Option<&'a Credential> {
    credentials.iter().find(|c| c.name == name)
}

/// The credential `token` is, comparing its hash with every credential's in
/// constant time.
pub fn find<'a>(credentials: &'a [Credential], token: &str) -> Option<&'a Credential> {
    let given = hash(token);
    let mut found = None;
    for credential in credentials {
        let equal: Choice = credential.hash.ct_eq(&given);
        if bool::from(equal) {
            found = Some(credential);
        }
    }
    found
}

/// Reads a tokens file's text, naming the line of the first problem.
pub fn parse(text: &str) -> Result<Vec<Credential>, String> {
    let mut credentials: Vec<Credential> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = |problem: String| format!("line {}: {problem}", number + 1);
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (name, scopes, digest, signing) = match fields[..] {
            [name, scopes, digest] => (name, scopes, digest, None),
            [name, scopes, digest, signing] => (name, scopes, digest, Some(signing)),
            _ => {
                return Err(at(
                    "expected NAME SCOPE[,SCOPE…] sha256:HEX [aws4:HEX]".into()
                ));
            }
        };
        check_name(name).map_err(at)?;
        if credentials.iter().any(|c| c.name == name) {
            return Err(at(format!("the name {name:?} is used twice")));
        }
        let scopes = scopes
            .split(',')
            .map(|s| {
                Scope::parse(s).ok_or_else(|| {
                    let known: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
                    at(format!(
                        "unknown scope {s:?}; scopes are {}",
                        known.join(", ")
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let hash = digest
            .strip_prefix("sha256:")
            .and_then(unhex)
            .ok_or_else(|| at("the hash is sha256: and 64 hex digits".into()))?;
        let signing_key = signing
            .map(|key| {
                key.strip_prefix("aws4:")
                    .and_then(unhex)
                    .ok_or_else(|| at("the signing key is aws4: and 64 hex digits".into()))
            })
            .transpose()?;
        if credentials.len() == MAX_TOKENS {
            return Err(at(format!(
                "a tokens file holds at most {MAX_TOKENS} tokens"
            )));
        }
        credentials.push(Credential {
            name: name.to_owned(),
            hash,
            scopes,
            signing_key,
        });
    }
    Ok(credentials)
}

/// Checks a token name: 1 to 63 letters, digits, `-`, `_` and `.`.
pub fn check_name(name: &str) -> Result<(), String> {
    let valid = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if name.is_empty() || name.len() > MAX_NAME_BYTES || !valid {
        return Err(format!(
            "a token name is 1 to {MAX_NAME_BYTES} letters, digits, '-', '_' or '.', got {name:?}"
        ));
    }
    Ok(())
}

/// A new token: 256 random bits, as 64 hex digits.
pub fn generate() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
    Ok(hex(&bytes))
}

fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reads_back_what_credentials_write() {
        let ci = Credential::new("ci", "t1", vec![Scope::Deploy, Scope::Read]);
        let backend = Credential::new("matchmaker", "t2", vec![Scope::Sessions]);
        let token = generate().unwrap();
        let signer = Credential::new("gamelift", &token, vec![Scope::Sessions])
            .signing_aws(&token)
            .unwrap();
        let text = format!(
            "# tokens\n\n{}\n  {}  \n{}\n",
            ci.line(),
            backend.line(),
            signer.line()
        );
        let read = parse(&text).unwrap();
        assert_eq!(read, [ci, backend, signer]);
        assert_eq!(find(&read, "t2").map(Credential::name), Some("matchmaker"));
        assert_eq!(find(&read, "t3"), None);
        assert_eq!(
            named(&read, "gamelift").map(Credential::name),
            Some("gamelift")
        );
        assert!(named(&read, "matchmaker").unwrap().signing_key().is_none());
        assert!(!text.contains("t1 "), "only hashes are written");
        assert!(!text.contains(&token), "only hashes are written");
    }

    #[test]
    fn a_signing_key_checks_what_the_token_signs() {
        use crate::signing::hmac_sha256;
        let token = generate().unwrap();
        let credential = Credential::new("gamelift", &token, vec![Scope::Read])
            .signing_aws(&token)
            .unwrap();
        let first = format!("AWS4{token}");
        assert_eq!(
            hmac_sha256(credential.signing_key().unwrap(), b"20261206"),
            hmac_sha256(first.as_bytes(), b"20261206")
        );
        let short = Credential::new("short", "t", vec![Scope::Read]);
        assert!(
            short
                .clone()
                .signing_aws("t")
                .unwrap_err()
                .contains("61 bytes")
        );
        assert!(
            short
                .signing_aws(&token)
                .unwrap_err()
                .contains("not the token")
        );
    }

    #[test]
    fn file_errors_name_the_line() {
        let good = Credential::new("a", "t", vec![Scope::Read]).line();
        let cases = [
            ("a read".to_owned(), "line 1: expected"),
            ("a! read sha256:00".to_owned(), "line 1: a token name"),
            (
                format!("{good}\n{good}"),
                "line 2: the name \"a\" is used twice",
            ),
            (
                good.replace("read", "write"),
                "line 1: unknown scope \"write\"",
            ),
            (good.replace("sha256:", "md5:"), "line 1: the hash"),
            (format!("{good} aws4:00"), "line 1: the signing key"),
            (
                format!("{good} aws4:{} x", "0".repeat(64)),
                "line 1: expected",
            ),
            (good[..good.len() - 1].to_owned(), "line 1: the hash"),
        ];
        for (text, expected) in cases {
            let error = parse(&text).unwrap_err();
            assert!(error.starts_with(expected), "{text:?}: {error}");
        }
    }

    #[test]
    fn admin_grants_every_scope() {
        let admin = Credential::new("root", "t", vec![Scope::Admin]);
        let reader = Credential::new("dash", "t", vec![Scope::Read]);
        for scope in Scope::ALL {
            assert!(admin.grants(scope), "{scope}");
            assert_eq!(reader.grants(scope), scope == Scope::Read, "{scope}");
        }
    }

    #[test]
    fn generated_tokens_are_new_each_time() {
        let (a, b) = (generate().unwrap(), generate().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
