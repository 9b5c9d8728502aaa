//! The scope each control-plane route needs, by method and route pattern.

use crate::tokens::Scope;
use axum::http::Method;

/// The scopes any one of which admits `method` on the route `pattern` (as
/// axum matched it; `None` when no route matched). `admin` admits
/// everything, so it is not listed.
pub fn needed(method: &Method, pattern: Option<&str>) -> &'static [Scope] {
    const READ: &[Scope] = &[Scope::Read];
    const SESSIONS_OR_READ: &[Scope] = &[Scope::Sessions, Scope::Read];
    const SESSIONS: &[Scope] = &[Scope::Sessions];
    const DEPLOY: &[Scope] = &[Scope::Deploy];
    const ADMIN: &[Scope] = &[];
    let pattern = pattern.unwrap_or_default();
    if pattern == "/v1/audit" {
        return ADMIN;
    }
    let sessions_route = pattern.starts_with("/v1/gamesessions")
        || pattern.starts_with("/v1/playersessions")
        || pattern.starts_with("/v1/registry")
        || pattern.starts_with("/v1/allocations")
        || pattern == "/v1/fleets/{fleet}/gamesessions";
    if *method == Method::GET || *method == Method::HEAD {
        return if sessions_route {
            SESSIONS_OR_READ
        } else {
            READ
        };
    }
    if sessions_route {
        SESSIONS
    } else if pattern.starts_with("/v1/modules") || pattern.starts_with("/v1/fleets") {
        DEPLOY
    } else {
        ADMIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_needs_its_scope() {
        use Scope::*;
        let cases: [(Method, &str, &[Scope]); 17] = [
            (Method::GET, "/v1/fleets", &[Read]),
            (Method::GET, "/v1/gameservers/{name}/watch", &[Read]),
            (Method::GET, "/metrics", &[Read]),
            (Method::GET, "/v1/gamesessions/{id}", &[Sessions, Read]),
            (Method::GET, "/v1/playersessions", &[Sessions, Read]),
            (
                Method::GET,
                "/v1/registry/{group}/gameservers",
                &[Sessions, Read],
            ),
            (Method::POST, "/v1/modules", &[Deploy]),
            (Method::DELETE, "/v1/modules/{module}", &[Deploy]),
            (Method::PATCH, "/v1/fleets/{fleet}", &[Deploy]),
            (Method::POST, "/v1/fleets/{fleet}/rollback", &[Deploy]),
            (Method::POST, "/v1/fleets/{fleet}/gamesessions", &[Sessions]),
            (
                Method::POST,
                "/v1/gamesessions/{id}/playersessions",
                &[Sessions],
            ),
            (Method::POST, "/v1/allocations", &[Sessions]),
            (Method::POST, "/v1/registry/{group}/claim", &[Sessions]),
            (Method::POST, "/v1/gameservers/{name}/terminate", &[]),
            (Method::POST, "/nowhere", &[]),
            (Method::GET, "/v1/audit", &[]),
        ];
        for (method, pattern, scopes) in cases {
            assert_eq!(needed(&method, Some(pattern)), scopes, "{method} {pattern}");
        }
    }
}
