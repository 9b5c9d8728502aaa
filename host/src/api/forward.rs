//! Requests one host cannot answer itself, forwarded to another host of
//! the cluster:
//! - a game session or an allocation may be placed on another host (see
//!   `placement.rs`); the answer, and the address players connect to, are
//!   that host's;
//! - a request about a game session or game server (`/v1/gamesessions/ID…`,
//!   `/v1/gameservers/NAME…`: get, watch, logs, update, terminate, shutdown,
//!   player sessions, and `/v1/playersessions?gameSessionId=ID`) this host
//!   does not hold goes to the live host that
//!   does, and its answer comes back as it is (streamed).
//!
//! How forwarded requests are authenticated and marked: see
//! [`crate::peers`].

use crate::peers::{FORWARDED_BY, Relayed, client, may_forward};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, header};
use axum::middleware::Next;
use axum::response::Response;
use gamehost_daemon::Daemon;
use gamehost_daemon::store::Collection;

/// The request headers a forwarded request carries on.
const CARRIED: [HeaderName; 3] = [header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT];

/// The game session or game server a request is about, by its path (or,
/// for player sessions, its `gameSessionId`), if any.
fn about(path: &str, query: Option<&str>) -> Option<(Collection, String)> {
    if path == "/v1/playersessions" {
        let id = query?
            .split('&')
            .find_map(|pair| pair.strip_prefix("gameSessionId="))?;
        return Some((Collection::GameSessions, decode(&id.replace('+', " "))?));
    }
    let (collection, rest) = if let Some(rest) = path.strip_prefix("/v1/gamesessions/") {
        (Collection::GameSessions, rest)
    } else {
        (
            Collection::GameServers,
            path.strip_prefix("/v1/gameservers/")?,
        )
    };
    let segment = rest.split('/').next().filter(|s| !s.is_empty())?;
    Some((collection, decode(segment)?))
}

/// A percent-encoded part of a path or query, decoded.
fn decode(encoded: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .ok()?;
    Some(decoded.into_owned()).filter(|d| !d.is_empty())
}

/// Middleware: sends a request about a game session or game server this
/// host does not hold to the live host that does; everything else, and
/// what no other host holds, goes on to this host's routes.
pub async fn to_holder(State(daemon): State<Daemon>, request: Request, next: Next) -> Response {
    let Some((collection, key)) = about(request.uri().path(), request.uri().query()) else {
        return next.run(request).await;
    };
    if !may_forward(&daemon, request.headers()) || daemon.holds(collection, &key) {
        return next.run(request).await;
    }
    let holder = match daemon.holder(collection, &key).await {
        Ok(Some(holder)) => holder,
        _ => return next.run(request).await,
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, super::MAX_JSON_BODY_BYTES).await else {
        return next.run(Request::from_parts(parts, Body::empty())).await;
    };
    let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let url = format!("http://{}{target}", holder.address);
    let mut forwarded = client()
        .request(parts.method.clone(), url)
        .header(FORWARDED_BY, &daemon.config().host_id)
        .body(bytes.clone());
    for name in CARRIED {
        if let Some(value) = parts.headers.get(&name) {
            forwarded = forwarded.header(name, value);
        }
    }
    match forwarded.send().await {
        Ok(answer) => {
            daemon.count_forwarded("answered");
            let mut response = Response::builder().status(answer.status().as_u16());
            if let Some(kind) = answer.headers().get(header::CONTENT_TYPE) {
                response = response.header(header::CONTENT_TYPE, kind);
            }
            response
                .extension(Relayed)
                .body(Body::from_stream(answer.bytes_stream()))
                .unwrap_or_else(|_| Response::new(Body::empty()))
        }
        Err(error) => {
            tracing::warn!(host = %holder.host_id, %error, "could not forward a request to the host holding it");
            daemon.count_forwarded("unreachable");
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_about_the_game_session_or_game_server_its_path_names() {
        let cases = [
            (
                "/v1/gamesessions/gsess-1",
                Some((Collection::GameSessions, "gsess-1")),
            ),
            (
                "/v1/gamesessions/gsess-1/playersessions",
                Some((Collection::GameSessions, "gsess-1")),
            ),
            (
                "/v1/gamesessions/a%20b/logs",
                Some((Collection::GameSessions, "a b")),
            ),
            (
                "/v1/gameservers/arena-x2k/watch",
                Some((Collection::GameServers, "arena-x2k")),
            ),
            (
                "/v1/playersessions?gameSessionId=gsess-2",
                Some((Collection::GameSessions, "gsess-2")),
            ),
            ("/v1/playersessions?playerId=ada", None),
            ("/v1/gamesessions", None),
            ("/v1/gamesessions/", None),
            ("/v1/gameservers", None),
            ("/v1/fleets/arena/gamesessions", None),
        ];
        for (target, expected) in cases {
            let (path, query) = match target.split_once('?') {
                Some((path, query)) => (path, Some(query)),
                None => (target, None),
            };
            let found = about(path, query);
            let found = found.as_ref().map(|(c, k)| (*c, k.as_str()));
            assert_eq!(found, expected, "{target}");
        }
    }
}
