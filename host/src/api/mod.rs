//! The HTTP control plane: JSON over HTTP, documented by the OpenAPI
//! document it serves at `/openapi.json`.
//!
//! Every route is declared with its OpenAPI description next to it, so the
//! document cannot drift from the router. Around the routes: the bearer
//! token, body limits, a request timeout and load shedding, all answering
//! with the one error shape of [`ApiError`].

mod allocations;
mod audit;
mod auth;
mod error;
mod fleets;
mod forward;
mod game_servers;
mod game_sessions;
mod host;
mod hosts;
mod log_follow;
mod modules;
mod placement;
mod registry;
mod system;
mod trace;

use crate::gateway::{self, GatewayLimits};
use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get;
use gamehost_daemon::Daemon;
use gamehost_runtime::engine::MAX_MODULE_BYTES;
use std::time::Duration;
use tower::ServiceBuilder;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use auth::{ADMIN_TOKEN_NAME, ANONYMOUS, Auth, Caller};
pub use error::{ApiError, ErrorBody, ErrorDetail};

/// Largest JSON request body.
pub const MAX_JSON_BODY_BYTES: usize = 1 << 20;

/// Limits on the control plane's requests.
#[derive(Clone, Copy, Debug)]
pub struct ApiLimits {
    /// How long a request may take before 408 (watches stream past it).
    pub request_timeout: Duration,
    /// Requests in progress at once; more get 503.
    pub max_in_flight: usize,
    /// Bounds on the players' gateway.
    pub gateway: GatewayLimits,
}

impl Default for ApiLimits {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            max_in_flight: 1024,
            gateway: GatewayLimits::default(),
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Gamehost control plane", description = "Modules, fleets, game servers, allocation, game sessions, player sessions and the game-server registry."),
    // SortOrder is referenced by a query parameter, which does not collect it.
    components(schemas(ErrorBody, ErrorDetail, gamehost_model::SortOrder)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The routes and their OpenAPI document.
fn routes() -> (Router<Daemon>, utoipa::openapi::OpenApi) {
    let (router, document) = api_routes();
    let mut document = document;
    document_common_answers(&mut document);
    (router, document)
}

/// The routes with the document their declarations make.
fn api_routes() -> (Router<Daemon>, utoipa::openapi::OpenApi) {
    let upload = OpenApiRouter::new()
        .routes(routes!(modules::upload, modules::list))
        .layer(DefaultBodyLimit::max(MAX_MODULE_BYTES + 1));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(upload)
        .routes(routes!(modules::get, modules::delete))
        .routes(routes!(fleets::create, fleets::list))
        .routes(routes!(fleets::get, fleets::update, fleets::delete))
        .routes(routes!(fleets::rollback))
        .routes(routes!(game_servers::list))
        .routes(routes!(game_servers::get))
        .routes(routes!(game_servers::watch))
        .routes(routes!(game_servers::logs))
        .routes(routes!(log_follow::follow))
        .routes(routes!(game_servers::terminate))
        .routes(routes!(game_servers::shutdown))
        .routes(routes!(allocations::allocate))
        .routes(routes!(game_sessions::create))
        .routes(routes!(game_sessions::list))
        .routes(routes!(game_sessions::get, game_sessions::update))
        .routes(routes!(game_sessions::terminate))
        .routes(routes!(game_sessions::logs))
        .routes(routes!(game_sessions::create_player_sessions))
        .routes(routes!(game_sessions::describe_player_sessions))
        .routes(routes!(registry::register, registry::list))
        .routes(routes!(registry::claim))
        .routes(routes!(
            registry::describe,
            registry::update,
            registry::deregister
        ))
        .routes(routes!(audit::page))
        .routes(routes!(system::healthz))
        .routes(routes!(system::metrics))
        .routes(routes!(host::get))
        .routes(routes!(hosts::list))
        .split_for_parts()
}

/// Adds to every operation the error answers any route can give, which the
/// routes' own declarations leave out: 400 (a malformed path or query), 401
/// and 403 (no or a wrong token, or one without the scope; not `/healthz`),
/// 408 and 503 (slow or excessive clients), and for those with a body 413
/// (too large) and 415 (not JSON).
fn document_common_answers(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let answer = |description: &str| {
        let content = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ErrorBody")))
            .build();
        ResponseBuilder::new()
            .description(description)
            .content("application/json", content)
            .build()
    };
    for (path, item) in document.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            let mut codes = vec![
                ("400", "A malformed path or query"),
                ("408", "The request took too long"),
                ("503", "Too many requests in flight"),
            ];
            if path != "/healthz" {
                codes.push(("401", "No token or a wrong one"));
                codes.push(("403", "The token lacks the scope the route needs"));
            }
            if operation.request_body.is_some() {
                codes.push(("413", "The body is too large"));
                codes.push(("415", "The body is not of the declared type"));
            }
            for (code, description) in codes {
                let responses = &mut operation.responses.responses;
                if !responses.contains_key(code) {
                    responses.insert(code.to_owned(), answer(description).into());
                }
            }
        }
    }
}

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().1
}

/// The control plane's router over `daemon`, with GameLift's API for the
/// AWS SDKs (`POST /`, see [`crate::aws`]), the players' gateway and the
/// operator console ([`crate::console`]) beside it: the gateway's routes
/// take no bearer token (a player session id is the player's credential),
/// nor do the console's pages (the calls they make do), and neither is
/// under the request timeout.
pub fn app(daemon: Daemon, auth: Auth, limits: ApiLimits) -> Router {
    let play = gateway::router(daemon.clone(), limits.gateway);
    // GameLift's API checks signatures made with the token instead of the
    // token itself.
    let gamelift = crate::aws::router(daemon.clone(), auth.signing())
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY_BYTES));
    let (router, document) = routes();
    let document = std::sync::Arc::new(document);
    let guard = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(overloaded_or_slow))
        .load_shed()
        .concurrency_limit(limits.max_in_flight)
        .timeout(limits.request_timeout);
    let router = router
        .route(
            "/openapi.json",
            get(move || {
                let document = document.clone();
                async move { axum::Json(document) }
            }),
        )
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "the route does not take this method",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY_BYTES))
        .layer(axum::Extension(host::Started::now()))
        .layer(axum::middleware::from_fn_with_state(
            daemon.clone(),
            forward::to_holder,
        ))
        .layer(axum::middleware::from_fn_with_state(
            auth,
            auth::require_token,
        ))
        .layer(axum::middleware::from_fn_with_state(
            daemon.clone(),
            audit::record,
        ))
        .layer(guard)
        .with_state(daemon)
        .merge(gamelift)
        .merge(play)
        .merge(crate::console::router());
    trace::traced(router)
}

async fn overloaded_or_slow(error: tower::BoxError) -> ApiError {
    if error.is::<tower::timeout::error::Elapsed>() {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "TIMEOUT",
            "the request took too long",
        )
    } else if error.is::<tower::load_shed::error::Overloaded>() {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "OVERLOADED",
            "the host has too many requests in progress; retry shortly",
        )
    } else {
        ApiError::internal("INTERNAL", &error)
    }
}
