//! The API's one error type and the JSON extractors whose rejections use it,
//! so every error, malformed JSON included, has the same shape:
//! `{"error": {"code": "NOT_FOUND", "message": "…"}}`.

use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gamehost_daemon::DaemonError;
use gamehost_daemon::store::StoreError;
use gamehost_model::ErrorCode;
use gamehost_runtime::engine::LoadError;
use gamehost_runtime::supervisor::CommandError;
use serde::Serialize;

/// An error answered to a client.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable, machine-readable code.
    pub code: String,
    /// What was wrong, for people.
    pub message: String,
}

/// The body of every error response.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The error inside [`ErrorBody`].
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code, e.g. `NOT_FOUND`.
    pub code: String,
    /// What was wrong.
    pub message: String,
}

impl ApiError {
    /// An error with a status, a code and a message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// A failure of the host itself (500): its cause is logged at error
    /// level under a new id, and the client is told the id alone, so nothing
    /// internal (a file's path, the database's own message) reaches it.
    pub fn internal(code: &str, cause: &dyn std::fmt::Display) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        tracing::error!(error_id = %id, code, error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            code,
            format!("the host failed; its log has the cause under error id {id}"),
        )
    }
}

impl ApiError {
    /// A 503 for a failure that passes (`message` tells the client what to
    /// do); the cause is logged under an id the message ends with.
    fn unavailable(code: &str, message: &str, cause: &dyn std::fmt::Display) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        tracing::warn!(error_id = %id, code, error = %cause, "service unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            code,
            format!("{message} (error id {id})"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}

fn model_status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidArgument | ErrorCode::OutOfRange => StatusCode::BAD_REQUEST,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::AlreadyExists
        | ErrorCode::AtCapacity
        | ErrorCode::FailedPrecondition
        | ErrorCode::NotInitialized => StatusCode::CONFLICT,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

fn code_name(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl From<DaemonError> for ApiError {
    fn from(error: DaemonError) -> Self {
        let message = error.to_string();
        match error {
            DaemonError::Model(e) => Self::new(model_status(e.code), &code_name(e.code), e.message),
            DaemonError::Load(e) => {
                let (status, code) = match e {
                    LoadError::TooLarge { .. } => {
                        (StatusCode::PAYLOAD_TOO_LARGE, "MODULE_TOO_LARGE")
                    }
                    LoadError::NotWasm => (StatusCode::BAD_REQUEST, "NOT_WASM"),
                    LoadError::CoreModule => (StatusCode::BAD_REQUEST, "NOT_A_COMPONENT"),
                    LoadError::Invalid(_) => (StatusCode::BAD_REQUEST, "INVALID_COMPONENT"),
                    LoadError::TooComplex(_) => (StatusCode::BAD_REQUEST, "COMPONENT_TOO_COMPLEX"),
                    LoadError::UnknownImport(_) => (StatusCode::BAD_REQUEST, "UNKNOWN_IMPORT"),
                    LoadError::ImportMismatch(_) => (StatusCode::BAD_REQUEST, "IMPORT_MISMATCH"),
                    LoadError::MissingExport(_) => (StatusCode::BAD_REQUEST, "MISSING_EXPORT"),
                    LoadError::ExportMismatch(_) => (StatusCode::BAD_REQUEST, "EXPORT_MISMATCH"),
                };
                Self::new(status, code, message)
            }
            DaemonError::Command(e) => match e {
                CommandError::Rejected(e) => {
                    Self::new(model_status(e.code), &code_name(e.code), e.message)
                }
                CommandError::Ended(_) => {
                    Self::new(StatusCode::CONFLICT, "GAME_SERVER_ENDED", message)
                }
                CommandError::Refused(_) => Self::new(StatusCode::CONFLICT, "REFUSED", message),
                CommandError::Faulted(_) => {
                    Self::new(StatusCode::BAD_GATEWAY, "GAME_MODE_FAULT", message)
                }
            },
            DaemonError::NotFound { .. } => Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", message),
            DaemonError::Conflict(_) => Self::new(StatusCode::CONFLICT, "CONFLICT", message),
            DaemonError::NoCapacity(_) => Self::new(StatusCode::CONFLICT, "NO_CAPACITY", message),
            DaemonError::LimitExceeded(_) => {
                Self::new(StatusCode::TOO_MANY_REQUESTS, "LIMIT_EXCEEDED", message)
            }
            DaemonError::ShuttingDown => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, "SHUTTING_DOWN", message)
            }
            DaemonError::Store(cause @ StoreError::Unavailable(_)) => Self::unavailable(
                "DATABASE_UNAVAILABLE",
                "the database is unavailable; retry shortly",
                &cause,
            ),
            DaemonError::Store(cause @ StoreError::Fenced(_)) => Self::unavailable(
                "HOST_FENCED",
                "this host lost its lease and stops; retry on another host",
                &cause,
            ),
            DaemonError::Store(cause) => Self::internal("STORAGE", &cause),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        // Unknown fields and wrong types (axum's 422) are bad requests like
        // malformed JSON: one status for every invalid body.
        let (status, code) = match rejection.status() {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE")
            }
            StatusCode::PAYLOAD_TOO_LARGE => (StatusCode::PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE"),
            _ => (StatusCode::BAD_REQUEST, "INVALID_BODY"),
        };
        Self::new(status, code, rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_QUERY",
            rejection.body_text(),
        )
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_PATH",
            rejection.body_text(),
        )
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> Self {
        let code = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "BODY_TOO_LARGE"
        } else {
            "INVALID_BODY"
        };
        Self::new(rejection.status(), code, rejection.body_text())
    }
}

/// A JSON body or response whose rejection is an [`ApiError`].
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A query string whose rejection is an [`ApiError`].
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// Path parameters whose rejection is an [`ApiError`].
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// What handlers return.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;
    use gamehost_runtime::captured::Captured;

    #[test]
    fn an_internal_error_tells_the_client_an_id_and_logs_the_cause_under_it() {
        let log = Captured::default();
        let cause = "writing /var/lib/gamehost/secret.redb: disk full";
        let error = tracing::subscriber::with_default(log.subscriber(tracing::Level::INFO), || {
            ApiError::from(DaemonError::Store(StoreError::Failed(cause.to_owned())))
        });
        assert_eq!(error.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(error.code, "STORAGE");
        assert!(!error.message.contains("secret"), "{}", error.message);
        let id = error.message.rsplit(' ').next().expect("an id at the end");
        assert_eq!(id.len(), 32, "{}", error.message);
        let logged = log.text();
        let line = logged
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("no line with {id} in {logged}"));
        assert!(line.contains(cause), "{line}");
    }

    #[test]
    fn a_database_out_of_reach_or_a_lost_lease_is_a_503_naming_no_cause() {
        let cases = [
            (
                StoreError::Unavailable("connecting to 10.0.0.7:5432: refused".into()),
                "DATABASE_UNAVAILABLE",
            ),
            (
                StoreError::Fenced("host a at epoch 3".into()),
                "HOST_FENCED",
            ),
        ];
        for (cause, code) in cases {
            let error = ApiError::from(DaemonError::Store(cause));
            assert_eq!(error.status, StatusCode::SERVICE_UNAVAILABLE, "{code}");
            assert_eq!(error.code, code);
            assert!(!error.message.contains("10.0.0.7"), "{}", error.message);
            assert!(!error.message.contains("epoch"), "{}", error.message);
            assert!(error.message.contains("error id"), "{}", error.message);
        }
    }
}
