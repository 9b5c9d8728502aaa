//! Every request traced at debug level: a span with its method, path and
//! route (the route's pattern, as `/v1/fleets/{fleet}`), and an event when
//! it is answered, with its status and latency. With the level off, a
//! request pays for a disabled span.

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::LatencyUnit;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};

/// `router` with every request traced; routes added before this record
/// their pattern in the span.
pub(super) fn traced<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .route_layer(axum::middleware::from_fn(record_route))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span as fn(&Request) -> Span)
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::DEBUG)
                        .latency_unit(LatencyUnit::Micros),
                ),
        )
}

/// A request's span; its route is recorded once routing has found it.
fn span(request: &Request) -> Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        path = request.uri().path(),
        route = tracing::field::Empty,
    )
}

/// Records the matched route's pattern in the request's span.
async fn record_route(request: Request, next: Next) -> Response {
    if let Some(route) = request.extensions().get::<MatchedPath>() {
        Span::current().record("route", route.as_str());
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use gamehost_runtime::captured::Captured;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_request_is_traced_with_its_method_route_status_and_latency() {
        let log = Captured::default();
        let _default = tracing::subscriber::set_default(log.subscriber(Level::DEBUG));
        let app = traced(Router::new().route("/items/{id}", get(|| async { "an item" })));
        let request = Request::get("/items/42")
            .body(Body::empty())
            .expect("a request");
        let response = app.oneshot(request).await.expect("an answer");
        assert_eq!(response.status(), 200);
        let logged = log.text();
        let answered = logged
            .lines()
            .find(|l| l.contains("finished processing request"))
            .unwrap_or_else(|| panic!("no answer traced in {logged}"));
        for part in [
            "method=GET",
            "path=\"/items/42\"",
            "route=\"/items/{id}\"",
            "status=200",
            "latency=",
        ] {
            assert!(answered.contains(part), "{part} missing from {answered}");
        }
    }
}
