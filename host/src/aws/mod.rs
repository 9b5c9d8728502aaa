//! GameLift's service API as the AWS SDKs call it (boto3, the AWS CLI, the
//! JavaScript and Go SDKs), pointed at this host: the AWS JSON 1.1 protocol,
//! `POST /` with `X-Amz-Target: GameLift.<Operation>`, shapes as in AWS's
//! model, and errors the SDKs raise as GameLift's exceptions. Requests are
//! signed with AWS Signature Version 4: with the admin token as the secret
//! access key (any access key id), or with a token of the tokens file made
//! to sign (its name as the access key id), for the operations its scopes
//! admit ([`signers`]). Without tokens (loopback only) no signature is
//! needed. In a cluster, a request another host must carry out is relayed
//! to it ([`forward`]).

mod audit;
mod error;
mod fleets;
mod forward;
mod game_sessions;
mod paging;
mod registry;
mod search;
mod shapes;
mod signers;
mod sigv4;

pub use signers::Signers;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use error::{AwsError, CONTENT_TYPE};
use gamehost_daemon::Daemon;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::SystemTime;

/// The operations Gamehost serves, as `X-Amz-Target` names them after
/// `GameLift.`.
pub const OPERATIONS: [&str; 20] = [
    "CreateGameSession",
    "DescribeGameSessions",
    "DescribeGameSessionDetails",
    "SearchGameSessions",
    "UpdateGameSession",
    "TerminateGameSession",
    "GetGameSessionLogUrl",
    "CreatePlayerSession",
    "CreatePlayerSessions",
    "DescribePlayerSessions",
    "ListFleets",
    "DescribeFleetAttributes",
    "DescribeFleetCapacity",
    "DescribeFleetUtilization",
    "RegisterGameServer",
    "ClaimGameServer",
    "DescribeGameServer",
    "ListGameServers",
    "UpdateGameServer",
    "DeregisterGameServer",
];

/// How requests are checked.
#[derive(Clone)]
pub enum Signing {
    /// Not at all: a loopback control plane with no token. The audit log
    /// names the caller `caller`.
    Open {
        /// The name the audit log gives callers.
        caller: Arc<str>,
    },
    /// Signed by one of `signers`.
    Signed {
        /// Who may sign.
        signers: Arc<Signers>,
        /// The admin token, which signs the links to game sessions' logs.
        log_secret: Option<Arc<[u8]>>,
    },
}

/// What the operations need: the daemon and how requests are checked.
#[derive(Clone)]
struct Service {
    daemon: Daemon,
    signing: Signing,
}

impl Service {
    /// The secret links to game sessions' logs are signed with, if any.
    fn log_secret(&self) -> Option<&[u8]> {
        match &self.signing {
            Signing::Open { .. } => None,
            Signing::Signed { log_secret, .. } => log_secret.as_deref(),
        }
    }
}

/// `POST /` for the AWS SDKs over `daemon`, its requests checked as
/// `signing` says.
pub fn router(daemon: Daemon, signing: Signing) -> Router {
    Router::new()
        .route(
            "/",
            post(serve).fallback(|| async {
                AwsError::method_not_allowed("GameLift's API takes POST with X-Amz-Target")
            }),
        )
        .with_state(Service { daemon, signing })
}

async fn serve(
    State(service): State<Service>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let operation = operation(&headers).ok();
    let (caller, answered) = match caller(&service, &method, &uri, &headers, &body) {
        Ok(caller) => {
            let received = forward::Received {
                uri: &uri,
                headers: &headers,
                body: &body,
            };
            match carry_out(&service, operation, &received).await {
                Carried::Here(answered) => (caller, answered),
                // The host that carried it out recorded it.
                Carried::There(answer) => return answer,
            }
        }
        Err((caller, error)) => (caller, Err(error)),
    };
    let response = match answered {
        Ok(json) => {
            let mut response = json.into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
            response
        }
        Err(error) => error.into_response(),
    };
    if let Some(operation) = operation.filter(|op| audit::CHANGES.contains(op)) {
        audit::record(&service.daemon, &caller, operation, &body, &response);
    }
    response
}

/// Where a request was carried out.
enum Carried {
    /// On this host, which answered this.
    Here(Result<Vec<u8>, AwsError>),
    /// On another host of the cluster, which answered this.
    There(Response),
}

/// Carries out a signed request: on the host holding the game session it
/// is about, and a game session this host has no room for on another host
/// ([`forward`]); anything else here.
async fn carry_out(
    service: &Service,
    operation: Option<&str>,
    received: &forward::Received<'_>,
) -> Carried {
    let daemon = &service.daemon;
    if let Some(operation) = operation
        && let Some(answer) = forward::to_holder(daemon, operation, received).await
    {
        return Carried::There(answer);
    }
    let answered = answer(service, received.headers, received.body).await;
    if operation == Some("CreateGameSession")
        && let Err(error) = &answered
        && error.is(forward::NO_ROOM)
        && let Some(answer) = forward::place_elsewhere(daemon, received).await
    {
        return Carried::There(answer);
    }
    Carried::Here(answered)
}

/// The GameLift operation `headers` name.
fn operation(headers: &HeaderMap) -> Result<&str, AwsError> {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AwsError::unknown_operation("no X-Amz-Target header"))?;
    target
        .strip_prefix("GameLift.")
        .ok_or_else(|| AwsError::unknown_operation(format!("{target} is not a GameLift operation")))
}

/// Who made the request, once its signature is checked and the signer's
/// scopes admit its operation; or who it was (as far as known) and why it
/// is refused.
fn caller(
    service: &Service,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Arc<str>, (Arc<str>, AwsError)> {
    let signers = match &service.signing {
        Signing::Open { caller } => return Ok(caller.clone()),
        Signing::Signed { signers, .. } => signers,
    };
    let unknown = |error: AwsError| (Arc::from(gamehost_daemon::UNAUTHENTICATED), error);
    let received = sigv4::Received {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or_default(),
        headers,
        body,
    };
    let mut claimed = None;
    sigv4::verify(&received, SystemTime::now(), |access_key_id| {
        let signer = signers
            .claimed(access_key_id)
            .map_err(sigv4::SignatureError::NoSigner)?;
        let key = signer.key().to_vec();
        claimed = Some(signer);
        Ok(key)
    })
    .map_err(|e| unknown(e.into()))?;
    let signer = claimed.expect("a verified signature has a signer");
    let Ok(operation) = operation(headers) else {
        // Unknown operations are answered as such, to any signer.
        return Ok(signer.name().clone());
    };
    signer.admits(operation).map_err(|needed| {
        let names: Vec<String> = needed.iter().map(|s| format!("`{s}`")).collect();
        let needed = if names.is_empty() {
            "`admin`".to_owned()
        } else {
            names.join(" or ")
        };
        let message = format!(
            "the token {:?} is not authorized to perform gamelift:{operation}: it lacks the scope {needed}",
            signer.name()
        );
        (signer.name().clone(), AwsError::access_denied(message))
    })?;
    Ok(signer.name().clone())
}

async fn answer(service: &Service, headers: &HeaderMap, body: &[u8]) -> Result<Vec<u8>, AwsError> {
    let operation = operation(headers)?;
    let daemon = &service.daemon;
    match operation {
        "CreateGameSession" => run(body, |i| game_sessions::create(daemon, i)).await,
        "DescribeGameSessions" => run(body, |i| game_sessions::describe(daemon, i)).await,
        "DescribeGameSessionDetails" => {
            run(body, |i| game_sessions::describe_details(daemon, i)).await
        }
        "SearchGameSessions" => run(body, |i| game_sessions::search(daemon, i)).await,
        "UpdateGameSession" => run(body, |i| game_sessions::update(daemon, i)).await,
        "TerminateGameSession" => run(body, |i| game_sessions::terminate(daemon, i)).await,
        "GetGameSessionLogUrl" => {
            let base = base_url(headers, daemon);
            let secret = service.log_secret();
            now(body, |i| game_sessions::log_url(daemon, i, &base, secret))
        }
        "CreatePlayerSession" => {
            run(body, |i| game_sessions::create_player_session(daemon, i)).await
        }
        "CreatePlayerSessions" => {
            run(body, |i| game_sessions::create_player_sessions(daemon, i)).await
        }
        "DescribePlayerSessions" => {
            now(body, |i| game_sessions::describe_player_sessions(daemon, i))
        }
        "ListFleets" => now(body, |i| fleets::list(daemon, i)),
        "DescribeFleetAttributes" => run(body, |i| fleets::attributes(daemon, i)).await,
        "DescribeFleetCapacity" => run(body, |i| fleets::capacity(daemon, i)).await,
        "DescribeFleetUtilization" => run(body, |i| fleets::utilization(daemon, i)).await,
        "RegisterGameServer" => run(body, |i| registry::register(daemon, i)).await,
        "ClaimGameServer" => run(body, |i| registry::claim(daemon, i)).await,
        "DescribeGameServer" => now(body, |i| registry::describe(daemon, i)),
        "ListGameServers" => now(body, |i| registry::list(daemon, i)),
        "UpdateGameServer" => run(body, |i| registry::update(daemon, i)).await,
        "DeregisterGameServer" => run(body, |i| registry::deregister(daemon, i)).await,
        other => Err(AwsError::unknown_operation(format!(
            "Gamehost does not serve GameLift.{other}; it serves {}",
            OPERATIONS.join(", ")
        ))),
    }
}

/// This host as the client reached it (its `Host` header), or as it
/// advertises itself.
fn base_url(headers: &HeaderMap, daemon: &Daemon) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let endpoint = &daemon.config().endpoint;
            format!("{}:{}", endpoint.ip_address, endpoint.port)
        });
    let scheme = if daemon.config().tls { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// The operation's input read from `body` (an empty body is `{}`).
fn input<I: DeserializeOwned>(body: &[u8]) -> Result<I, AwsError> {
    let body = if body.is_empty() {
        b"{}".as_slice()
    } else {
        body
    };
    let mut reader = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match path.as_str() {
            "." => AwsError::serialization(inner.to_string()),
            member => AwsError::serialization(format!("{member}: {inner}")),
        }
    })
}

fn output<O: Serialize>(output: O) -> Result<Vec<u8>, AwsError> {
    serde_json::to_vec(&output).map_err(|e| AwsError::internal(&e))
}

/// Runs an operation that answers at once.
fn now<I: DeserializeOwned, O: Serialize>(
    body: &[u8],
    operation: impl FnOnce(I) -> Result<O, AwsError>,
) -> Result<Vec<u8>, AwsError> {
    output(operation(input(body)?)?)
}

/// Runs an operation that waits on game servers or the store.
async fn run<I: DeserializeOwned, O: Serialize, F>(
    body: &[u8],
    operation: impl FnOnce(I) -> F,
) -> Result<Vec<u8>, AwsError>
where
    F: Future<Output = Result<O, AwsError>>,
{
    output(operation(input(body)?).await?)
}
