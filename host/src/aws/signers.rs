//! Who may sign GameLift requests, and what each may call: the admin token
//! `GAMEHOST_TOKEN` (with any access key id), and each token of the tokens
//! file whose line holds a signing key (`gamehost token new --aws`), with
//! its name as the access key id, for the operations its scopes admit.

use crate::tokens::{self, Credential, Scope};
use std::sync::Arc;

/// The tokens that may sign GameLift requests.
pub struct Signers {
    admin: Option<Signer>,
    tokens: Vec<Credential>,
}

/// The token a request is signed with: who it is, the first key of its
/// signatures, and what it may do.
#[derive(Clone)]
pub struct Signer {
    name: Arc<str>,
    key: Vec<u8>,
    credential: Credential,
}

impl Signer {
    /// The token's name, which the audit log gives the caller.
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    /// The first key of its signatures, as [`super::sigv4::verify`] takes it.
    pub fn key(&self) -> &[u8] {
        &self.key
    }

    /// Whether it may call `operation`: `Ok`, or the scopes it lacks.
    pub fn admits(&self, operation: &str) -> Result<(), &'static [Scope]> {
        let needed = needed(operation);
        let admitted = self.credential.grants(Scope::Admin)
            || needed.iter().any(|s| self.credential.grants(*s));
        if admitted { Ok(()) } else { Err(needed) }
    }
}

impl Signers {
    /// The admin token `admin` (named `admin_name`), if there is one, and
    /// those of `credentials` that may sign.
    pub fn new(admin: Option<(&str, &[u8])>, credentials: &[Credential]) -> Self {
        let admin = admin.map(|(name, secret)| Signer {
            name: name.into(),
            key: [b"AWS4".as_slice(), secret].concat(),
            credential: Credential::new(name, "", vec![Scope::Admin]),
        });
        // The admin token's own entry has no signing key: it signs with
        // its secret, under any access key id, its name included.
        let tokens = credentials
            .iter()
            .filter(|c| {
                admin
                    .as_ref()
                    .is_none_or(|a| a.credential.name() != c.name())
            })
            .cloned()
            .collect();
        Self { admin, tokens }
    }

    /// The token a request signed with `access_key_id` claims: the token of
    /// that name, else the admin token; or why none may sign it.
    pub fn claimed(&self, access_key_id: &str) -> Result<Signer, String> {
        match tokens::named(&self.tokens, access_key_id) {
            Some(credential) => match credential.signing_key() {
                Some(key) => Ok(Signer {
                    name: credential.name().into(),
                    key: key.to_vec(),
                    credential: credential.clone(),
                }),
                None => Err(format!(
                    "the token {access_key_id:?} does not sign AWS requests: its line in the \
                     tokens file has no aws4: key (`gamehost token new --aws` makes one that does)"
                )),
            },
            None => self.admin.clone().ok_or_else(|| {
                format!(
                    "no token named {access_key_id:?} signs AWS requests, and this host has no \
                     admin token (GAMEHOST_TOKEN) to check other signatures with"
                )
            }),
        }
    }
}

/// The scopes any one of which admits a GameLift `operation`, as the
/// control plane's routes need them: reading game sessions, player
/// sessions and the game-server registry takes `sessions` or `read`;
/// changing them takes `sessions`; the fleets' figures take `read`. An
/// operation not served needs `admin`, so its error comes from the
/// operation's name, not from a scope.
pub fn needed(operation: &str) -> &'static [Scope] {
    const READ: &[Scope] = &[Scope::Read];
    const SESSIONS_OR_READ: &[Scope] = &[Scope::Sessions, Scope::Read];
    const SESSIONS: &[Scope] = &[Scope::Sessions];
    const ADMIN: &[Scope] = &[];
    match operation {
        "DescribeGameSessions"
        | "DescribeGameSessionDetails"
        | "SearchGameSessions"
        | "GetGameSessionLogUrl"
        | "DescribePlayerSessions"
        | "DescribeGameServer"
        | "ListGameServers" => SESSIONS_OR_READ,
        "CreateGameSession"
        | "UpdateGameSession"
        | "TerminateGameSession"
        | "CreatePlayerSession"
        | "CreatePlayerSessions"
        | "RegisterGameServer"
        | "ClaimGameServer"
        | "UpdateGameServer"
        | "DeregisterGameServer" => SESSIONS,
        "ListFleets"
        | "DescribeFleetAttributes"
        | "DescribeFleetCapacity"
        | "DescribeFleetUtilization" => READ,
        _ => ADMIN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::OPERATIONS;

    #[test]
    fn every_operation_served_needs_a_scope_short_of_admin() {
        for operation in OPERATIONS {
            assert!(!needed(operation).is_empty(), "{operation}");
        }
        assert!(needed("CreateBuild").is_empty());
    }

    #[test]
    fn a_token_signs_under_its_name_and_within_its_scopes() {
        let token = tokens::generate().unwrap();
        let reader = Credential::new("dash", &token, vec![Scope::Read])
            .signing_aws(&token)
            .unwrap();
        let backend = Credential::new("matchmaker", "t", vec![Scope::Sessions]);
        let signers = Signers::new(Some(("admin", b"s3cret")), &[reader, backend]);
        // (access key id, operation) → signer's name, admitted
        let cases = [
            ("dash", "DescribeGameSessions", "dash", true),
            ("dash", "ListFleets", "dash", true),
            ("dash", "CreateGameSession", "dash", false),
            ("AKIAANYTHING", "DeregisterGameServer", "admin", true),
        ];
        for (key_id, operation, name, admitted) in cases {
            let signer = signers.claimed(key_id).unwrap();
            assert_eq!(signer.name().as_ref(), name, "{key_id}");
            assert_eq!(
                signer.admits(operation).is_ok(),
                admitted,
                "{key_id} {operation}"
            );
        }
        let dash = signers.claimed("dash").unwrap();
        assert_eq!(
            dash.admits("CreateGameSession"),
            Err([Scope::Sessions].as_slice())
        );
        assert_eq!(
            dash.key(),
            Credential::new("dash", &token, vec![])
                .signing_aws(&token)
                .unwrap()
                .signing_key()
                .unwrap()
        );
        let refused = signers.claimed("matchmaker").err().unwrap();
        assert!(refused.contains("--aws"), "{refused}");
        let no_admin = Signers::new(None, &[]);
        let refused = no_admin.claimed("dash").err().unwrap();
        assert!(refused.contains("GAMEHOST_TOKEN"), "{refused}");
    }
}
