//! The REST SDK's bodies: protobuf JSON, as Agones' gateway speaks it.
//!
//! Requests are read as protojson reads them: an object whose fields may use
//! the proto name or the JSON name (`count_diff` or `countDiff`), unknown
//! fields ignored, a missing field or `null` read as unset, 64-bit integers
//! as strings or numbers, and an empty body as `{}`. Answers use proto
//! names and write 64-bit integers as strings; errors are
//! `{"code", "message", "details"}` with the gRPC status code.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gamehost_model::{self as model, ErrorCode};
use gamehost_runtime::supervisor::CommandError;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// Reads a request body: a JSON object, or nothing (which reads as `{}`).
pub(super) fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Failure> {
    from_object(object(body)?)
}

/// A request body as a JSON object; nothing reads as `{}`.
pub(super) fn object(body: &[u8]) -> Result<Map<String, Value>, Failure> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    serde_json::from_slice(body)
        .map_err(|e| Failure::invalid(format!("the body is not a JSON object: {e}")))
}

/// A request read from a body's object.
pub(super) fn from_object<T: for<'de> Deserialize<'de>>(
    object: Map<String, Value>,
) -> Result<T, Failure> {
    T::deserialize(Value::Object(object))
        .map_err(|e| Failure::invalid(format!("invalid body: {e}")))
}

/// The names of the fields a body sets, as proto names: what grpc-gateway
/// takes as the update mask of a PATCH that names none.
pub(super) fn fields_set(body: &Map<String, Value>) -> Vec<String> {
    body.keys().map(|key| proto_name(key)).collect()
}

/// The fields a list's update mask names, as proto names: the `updateMask`
/// (or `update_mask`) query, comma-separated and possibly repeated, or else
/// the fields the body sets. A name that is not a field of a List is
/// refused.
pub(super) fn update_mask(
    query: &[(String, String)],
    body: &Map<String, Value>,
) -> Result<Vec<String>, Failure> {
    const FIELDS: [&str; 3] = ["name", "capacity", "values"];
    let mut paths: Vec<String> = query
        .iter()
        .filter(|(key, _)| {
            matches!(
                key.as_str(),
                "updateMask" | "update_mask" | "update_mask.paths"
            )
        })
        .flat_map(|(_, value)| value.split(','))
        .map(str::trim)
        .filter(|path| !path.is_empty())
        .map(proto_name)
        .collect();
    if paths.is_empty() {
        paths = fields_set(body);
    }
    match paths.iter().find(|path| !FIELDS.contains(&path.as_str())) {
        Some(path) => Err(Failure::invalid(format!(
            "the update mask names {path:?}, which is not a field of a List; its fields are {FIELDS:?}"
        ))),
        None => Ok(paths),
    }
}

/// A lowerCamelCase JSON name as its snake_case proto name.
pub(super) fn proto_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A 64-bit integer as protojson reads it: a string or a number, integral.
fn int64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let parsed = match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
                .map(|f| f as i64)
        }),
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    };
    parsed.map(Some).ok_or_else(|| {
        serde::de::Error::custom("expected a 64-bit integer, as a string or a number")
    })
}

/// `{}`: the empty request and answer. A request may carry any fields; they
/// are ignored.
#[derive(Default, Deserialize, Serialize)]
pub(super) struct Empty {}

/// `/reserve`'s body.
#[derive(Deserialize)]
pub(super) struct Duration {
    #[serde(default, deserialize_with = "int64")]
    pub(super) seconds: Option<i64>,
}

/// `/metadata/label` and `/metadata/annotation`'s body.
#[derive(Deserialize)]
pub(super) struct KeyValue {
    #[serde(default)]
    pub(super) key: String,
    #[serde(default)]
    pub(super) value: String,
}

/// `PATCH /v1beta1/counters/{name}`'s body: a `CounterUpdateRequest`.
#[derive(Deserialize)]
pub(super) struct CounterUpdate {
    #[serde(default, deserialize_with = "int64")]
    pub(super) count: Option<i64>,
    #[serde(default, deserialize_with = "int64")]
    pub(super) capacity: Option<i64>,
    #[serde(
        default,
        rename = "countDiff",
        alias = "count_diff",
        deserialize_with = "int64"
    )]
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

/// `PATCH /v1beta1/lists/{name}`'s body: a `List`.
#[derive(Deserialize)]
pub(super) struct ListUpdate {
    #[serde(default, deserialize_with = "int64")]
    pub(super) capacity: Option<i64>,
    #[serde(default)]
    pub(super) values: Option<Vec<String>>,
}

/// `:addValue` and `:removeValue`'s body.
#[derive(Deserialize)]
pub(super) struct ListValue {
    #[serde(default)]
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
pub(super) struct PlayerId {
    #[serde(default, rename = "playerID")]
    pub(super) player_id: String,
}

/// A count: `/alpha/player/capacity`'s body, and its and
/// `/alpha/player/count`'s answer.
#[derive(Deserialize, Serialize)]
pub(super) struct Count {
    #[serde(default, deserialize_with = "int64", serialize_with = "as_text")]
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
#[derive(Debug)]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_read_as_protojson_reads_them() {
        let read = |body: &str| {
            parse::<CounterUpdate>(body.as_bytes()).map(|u| (u.count, u.capacity, u.count_diff))
        };
        type Read = Option<(Option<i64>, Option<i64>, Option<i64>)>;
        let cases: [(&str, Read); 9] = [
            ("", Some((None, None, None))),
            ("  ", Some((None, None, None))),
            ("{}", Some((None, None, None))),
            (
                r#"{"countDiff": "-1", "capacity": "42"}"#,
                Some((None, Some(42), Some(-1))),
            ),
            (r#"{"count_diff": -1}"#, Some((None, None, Some(-1)))),
            (
                r#"{"count": 40.0, "unknown": [1]}"#,
                Some((Some(40), None, None)),
            ),
            (r#"{"count": null}"#, Some((None, None, None))),
            (r#"{"count": "x"}"#, None),
            ("[]", None),
        ];
        for (body, expected) in cases {
            assert_eq!(read(body).ok(), expected, "{body:?}");
        }
    }

    #[test]
    fn json_names_map_to_proto_names() {
        let cases = [
            ("capacity", "capacity"),
            ("countDiff", "count_diff"),
            ("updateMask", "update_mask"),
        ];
        for (json, proto) in cases {
            assert_eq!(proto_name(json), proto);
        }
        let set = |body: &[u8]| fields_set(&object(body).unwrap());
        assert_eq!(
            set(br#"{"capacity": "1", "values": []}"#),
            ["capacity", "values"]
        );
        assert!(set(b"").is_empty());
    }

    #[test]
    fn the_update_mask_comes_from_the_query_or_else_the_body() {
        let query = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let body = br#"{"capacity": "10", "values": ["a"]}"#;
        type Case<'a> = (Vec<(String, String)>, &'a [u8], Option<Vec<&'a str>>);
        let cases: [Case; 6] = [
            (query(&[]), body, Some(vec!["capacity", "values"])),
            (
                query(&[("updateMask", "capacity")]),
                body,
                Some(vec!["capacity"]),
            ),
            (
                query(&[("update_mask", "values,capacity")]),
                b"",
                Some(vec!["values", "capacity"]),
            ),
            (
                query(&[("updateMask", "values"), ("updateMask", "name")]),
                b"{}",
                Some(vec!["values", "name"]),
            ),
            (query(&[("updateMask", "size")]), body, None),
            (query(&[("other", "size")]), br#"{"sort": true}"#, None),
        ];
        for (query, body, expected) in cases {
            let got = update_mask(&query, &object(body).unwrap()).ok();
            let expected =
                expected.map(|paths| paths.into_iter().map(str::to_owned).collect::<Vec<_>>());
            assert_eq!(got, expected, "{query:?}");
        }
    }
}
