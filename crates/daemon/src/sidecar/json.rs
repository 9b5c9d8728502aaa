//! The REST SDK's bodies: protobuf JSON, as Agones' gateway speaks it —
//! 64-bit integers are written as strings and read as strings or numbers;
//! errors are `{"code", "message", "details"}` with the gRPC status code.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gamehost_model::{self as model, ErrorCode};
use gamehost_runtime::supervisor::CommandError;
use serde::{Deserialize, Deserializer, Serialize};

/// A 64-bit integer as protobuf JSON writes it: a string, or a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Int64 {
    Number(i64),
    Text(String),
}

fn int64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Int64>::deserialize(d)? {
        None => Ok(None),
        Some(Int64::Number(n)) => Ok(Some(n)),
        Some(Int64::Text(s)) => s.trim().parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// `{}`: the empty request and answer.
#[derive(Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Empty {}

/// `/reserve`'s body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Duration {
    #[serde(default, deserialize_with = "int64")]
    pub(super) seconds: Option<i64>,
}

/// `/metadata/label` and `/metadata/annotation`'s body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KeyValue {
    pub(super) key: String,
    pub(super) value: String,
}

/// `PATCH /v1beta1/counters/{name}`'s body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct CounterUpdate {
    #[serde(default)]
    pub(super) name: Option<String>,
    #[serde(default, deserialize_with = "int64")]
    pub(super) count: Option<i64>,
    #[serde(default, deserialize_with = "int64")]
    pub(super) capacity: Option<i64>,
    #[serde(default, deserialize_with = "int64")]
    pub(super) count_diff: Option<i64>,
}

/// A counter as the REST SDK answers it.
#[derive(Serialize)]
pub(super) struct Counter {
    name: String,
    count: String,
    capacity: String,
}

impl Counter {
    pub(super) fn new(name: &str, counter: model::Counter) -> Self {
        Self {
            name: name.to_owned(),
            count: counter.count.to_string(),
            capacity: counter.capacity.to_string(),
        }
    }
}

/// `PATCH /v1beta1/lists/{name}`'s body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ListUpdate {
    #[serde(default)]
    pub(super) name: Option<String>,
    #[serde(default, deserialize_with = "int64")]
    pub(super) capacity: Option<i64>,
    #[serde(default)]
    pub(super) values: Option<Vec<String>>,
}

/// `:addValue` and `:removeValue`'s body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ListValue {
    #[serde(default)]
    pub(super) name: Option<String>,
    pub(super) value: String,
}

/// A list as the REST SDK answers it.
#[derive(Serialize)]
pub(super) struct List {
    name: String,
    capacity: String,
    values: Vec<String>,
}

impl List {
    pub(super) fn new(name: &str, list: &model::List) -> Self {
        Self {
            name: name.to_owned(),
            capacity: list.capacity.to_string(),
            values: list.values.clone(),
        }
    }
}

/// `/alpha/player/connect` and `disconnect`'s body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlayerId {
    #[serde(rename = "playerID")]
    pub(super) player_id: String,
}

/// A count: `/alpha/player/capacity`'s body, and its and
/// `/alpha/player/count`'s answer.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Count {
    #[serde(deserialize_with = "int64", serialize_with = "as_text")]
    pub(super) count: Option<i64>,
}

fn as_text<S: serde::Serializer>(value: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&value.unwrap_or_default().to_string())
}

/// `{"bool": …}`.
#[derive(Serialize)]
pub(super) struct Bool {
    pub(super) bool: bool,
}

/// `{"list": […]}`.
#[derive(Serialize)]
pub(super) struct PlayerList {
    pub(super) list: Vec<String>,
}

/// An error answer: the gRPC status code and its HTTP status, as Agones'
/// gateway maps them.
pub(super) struct Failure {
    status: StatusCode,
    code: u8,
    message: String,
}

impl Failure {
    /// A malformed request (gRPC INVALID_ARGUMENT).
    pub(super) fn invalid(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: 3,
            message: message.into(),
        }
    }

    /// Too many open watches (gRPC RESOURCE_EXHAUSTED).
    pub(super) fn exhausted(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: 8,
            message: message.into(),
        }
    }
}

impl From<CommandError> for Failure {
    fn from(error: CommandError) -> Self {
        let message = error.to_string();
        let (status, code) = match &error {
            CommandError::Rejected(e) => match e.code {
                ErrorCode::InvalidArgument => (StatusCode::BAD_REQUEST, 3),
                ErrorCode::OutOfRange => (StatusCode::BAD_REQUEST, 11),
                ErrorCode::NotFound => (StatusCode::NOT_FOUND, 5),
                ErrorCode::AlreadyExists => (StatusCode::CONFLICT, 6),
                ErrorCode::AtCapacity => (StatusCode::TOO_MANY_REQUESTS, 8),
                ErrorCode::FailedPrecondition | ErrorCode::NotInitialized => {
                    (StatusCode::BAD_REQUEST, 9)
                }
                ErrorCode::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, 14),
            },
            CommandError::Ended(_) | CommandError::Refused(_) => (StatusCode::BAD_REQUEST, 9),
            CommandError::Faulted(_) => (StatusCode::INTERNAL_SERVER_ERROR, 13),
        };
        Self {
            status,
            code,
            message,
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "code": self.code,
            "message": self.message,
            "details": [],
        });
        (self.status, Json(body)).into_response()
    }
}
