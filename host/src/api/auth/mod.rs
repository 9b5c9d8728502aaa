//! Who may call the control plane: named tokens with scopes (see
//! [`crate::tokens`]), `GAMEHOST_TOKEN` as the admin token, or nothing at all on a
//! loopback listener with neither. Every request but `/healthz` (and a
//! signed link to a game session's log) must carry a token whose scopes
//! admit its route ([`scopes`]); the caller's name goes with the request
//! (for the audit log).

mod scopes;

use super::error::ApiError;
use crate::tokens::{self, Credential, Scope};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::SystemTime;

/// The name of the admin token `GAMEHOST_TOKEN` gives.
pub const ADMIN_TOKEN_NAME: &str = "admin";
/// The caller's name when the control plane needs no token.
pub const ANONYMOUS: &str = "anonymous";

/// Who may call, if anyone must prove it.
#[derive(Clone, Default)]
pub struct Auth(Option<Arc<Tokens>>);

struct Tokens {
    credentials: Vec<Credential>,
    /// `GAMEHOST_TOKEN` itself: the secret AWS signatures and log links are
    /// made with, which a hash cannot check.
    secret: Option<Arc<[u8]>>,
}

/// The caller of a request: its token's name.
#[derive(Clone, Debug)]
pub struct Caller(pub Arc<str>);

impl Auth {
    /// No token: only for a loopback listener.
    pub fn open() -> Self {
        Self(None)
    }

    /// One admin token, named [`ADMIN_TOKEN_NAME`].
    pub fn bearer(token: &str) -> Self {
        Self::new(Some(token), Vec::new())
    }

    /// The admin token `admin_token` (if any) beside `credentials`; open
    /// when there are neither.
    pub fn new(admin_token: Option<&str>, mut credentials: Vec<Credential>) -> Self {
        let secret = admin_token.map(|token| {
            credentials.push(Credential::new(ADMIN_TOKEN_NAME, token, vec![Scope::Admin]));
            Arc::from(token.as_bytes())
        });
        if credentials.is_empty() {
            return Self::open();
        }
        Self(Some(Arc::new(Tokens {
            credentials,
            secret,
        })))
    }

    /// Whether requests need no token.
    pub fn is_open(&self) -> bool {
        self.0.is_none()
    }

    /// The admin token's secret, if there is one.
    pub fn token(&self) -> Option<Arc<[u8]>> {
        self.0.as_ref().and_then(|t| t.secret.clone())
    }

    /// How GameLift's API checks its requests: the admin token and the
    /// tokens made to sign may sign them.
    pub fn signing(&self) -> crate::aws::Signing {
        let Some(tokens) = &self.0 else {
            return crate::aws::Signing::Open {
                caller: ANONYMOUS.into(),
            };
        };
        let admin = tokens
            .secret
            .as_deref()
            .map(|secret| (ADMIN_TOKEN_NAME, secret));
        crate::aws::Signing::Signed {
            signers: Arc::new(crate::aws::Signers::new(admin, &tokens.credentials)),
            log_secret: tokens.secret.clone(),
        }
    }
}

/// Admits a request whose token's scopes cover its route: 401 without a
/// known token, 403 naming the scope it lacks. The health check and signed
/// log links need no token.
pub async fn require_token(State(auth): State<Auth>, request: Request, next: Next) -> Response {
    let Some(tokens) = &auth.0 else {
        return with_caller(request, next, ANONYMOUS.into()).await;
    };
    let uri = request.uri();
    let linked = tokens.secret.as_deref().is_some_and(|secret| {
        let query = uri.query().unwrap_or_default();
        crate::signing::admits_log_link(secret, uri.path(), query, SystemTime::now())
    });
    if uri.path() == "/healthz" || linked {
        return with_caller(request, next, ANONYMOUS.into()).await;
    }
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let Some(credential) = tokens::find(&tokens.credentials, given) else {
        let mut response = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "a valid bearer token is required (Authorization: Bearer …)",
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    };
    let pattern = request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str);
    let needed = scopes::needed(request.method(), pattern);
    let admitted = credential.grants(Scope::Admin) || needed.iter().any(|s| credential.grants(*s));
    if !admitted {
        let names: Vec<String> = needed
            .iter()
            .chain(needed.is_empty().then_some(&Scope::Admin))
            .map(|s| format!("`{s}`"))
            .collect();
        let mut response = ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            format!(
                "the token {:?} lacks the scope {} {} needs",
                credential.name(),
                names.join(" or "),
                pattern.map_or_else(
                    || format!("{} {}", request.method(), uri.path()),
                    |p| format!("{} {p}", request.method())
                ),
            ),
        )
        .into_response();
        response
            .extensions_mut()
            .insert(Caller(credential.name().into()));
        return response;
    }
    with_caller(request, next, credential.name().into()).await
}

/// Runs the request as `caller`'s, who goes with the request and its
/// answer (for the audit log).
async fn with_caller(mut request: Request, next: Next, caller: Arc<str>) -> Response {
    request.extensions_mut().insert(Caller(caller.clone()));
    let mut response = next.run(request).await;
    response.extensions_mut().insert(Caller(caller));
    response
}
