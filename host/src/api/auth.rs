//! The bearer token: when the daemon has one, every request but `/healthz`
//! must carry it; it is compared in constant time.

use super::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::SystemTime;
use subtle::ConstantTimeEq;

/// The token requests must carry, if any.
#[derive(Clone, Default)]
pub struct Auth(Option<Arc<[u8]>>);

impl Auth {
    /// No token: only for a loopback listener.
    pub fn open() -> Self {
        Self(None)
    }

    /// Requests must carry `Authorization: Bearer <token>`.
    pub fn bearer(token: &str) -> Self {
        Self(Some(token.as_bytes().into()))
    }

    /// The token, if requests need one.
    pub fn token(&self) -> Option<Arc<[u8]>> {
        self.0.clone()
    }

    fn admits(&self, header: Option<&HeaderValue>) -> bool {
        let Some(expected) = &self.0 else {
            return true;
        };
        let given = header
            .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
            .unwrap_or_default();
        bool::from(given.ct_eq(expected))
    }
}

/// Refuses requests without the token, except the health check and the
/// signed links to a game session's log (`GetGameSessionLogUrl`).
pub async fn require_token(State(auth): State<Auth>, request: Request, next: Next) -> Response {
    let uri = request.uri();
    let linked = auth.0.as_deref().is_some_and(|secret| {
        let query = uri.query().unwrap_or_default();
        crate::signing::admits_log_link(secret, uri.path(), query, SystemTime::now())
    });
    if uri.path() == "/healthz"
        || linked
        || auth.admits(request.headers().get(header::AUTHORIZATION))
    {
        return next.run(request).await;
    }
    let mut response = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
        "a valid bearer token is required (Authorization: Bearer …)",
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}
