//! Errors as the AWS JSON protocol writes them: a status, and a body naming
//! the exception (`__type`) that the AWS SDKs raise, e.g. boto3's
//! `client.exceptions.NotFoundException`.

use super::sigv4::SignatureError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gamehost_daemon::DaemonError;
use gamehost_model::ErrorCode;
use gamehost_runtime::supervisor::CommandError;
use serde::Serialize;

/// The content type of every request and answer.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// An error answered to an AWS client.
#[derive(Debug, PartialEq, Eq)]
pub struct AwsError {
    status: StatusCode,
    kind: &'static str,
    message: String,
}

/// What the operation was doing, for the exception a refusal maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doing {
    /// Placing a new game session.
    Placing,
    /// Reserving player sessions.
    Seating,
    /// Registering a game server into a group.
    Registering,
    /// Claiming a game server of a group.
    Claiming,
    /// Anything else.
    Other,
}

impl AwsError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            kind,
            message: message.into(),
        }
    }

    /// Whether this is the exception `kind` (its `__type`).
    pub fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }

    /// `InvalidRequestException`: a parameter is missing or wrong.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidRequestException", message)
    }

    /// `NotFoundException`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "NotFoundException", message)
    }

    /// `IdempotentParameterMismatchException`: an idempotency token already
    /// used for another request.
    pub fn idempotency_mismatch(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "IdempotentParameterMismatchException",
            message,
        )
    }

    /// `UnknownOperationException`: an operation Gamehost does not serve.
    pub fn unknown_operation(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "UnknownOperationException",
            message,
        )
    }

    /// A method the endpoint does not take (405).
    pub fn method_not_allowed(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "UnknownOperationException",
            message,
        )
    }

    /// `SerializationException`: a body that is not the operation's JSON.
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "SerializationException", message)
    }

    /// The exception `error` maps to while the operation was `doing` that.
    pub fn from_daemon(error: DaemonError, doing: Doing) -> Self {
        let message = error.to_string();
        match error {
            DaemonError::Model(e) | DaemonError::Command(CommandError::Rejected(e)) => {
                Self::from_model(e.code, e.message, doing)
            }
            DaemonError::Command(CommandError::Ended(_)) => Self::new(
                StatusCode::BAD_REQUEST,
                "InvalidGameSessionStatusException",
                message,
            ),
            DaemonError::Command(CommandError::Refused(_)) | DaemonError::Conflict(_) => {
                Self::new(StatusCode::BAD_REQUEST, "ConflictException", message)
            }
            DaemonError::Command(CommandError::Faulted(_)) => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServiceException",
                message,
            ),
            DaemonError::NotFound { .. } => Self::not_found(message),
            DaemonError::NoCapacity(_) if doing == Doing::Claiming => {
                Self::new(StatusCode::BAD_REQUEST, "OutOfCapacityException", message)
            }
            DaemonError::NoCapacity(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "FleetCapacityExceededException",
                message,
            ),
            DaemonError::LimitExceeded(_) => {
                Self::new(StatusCode::BAD_REQUEST, "LimitExceededException", message)
            }
            DaemonError::ShuttingDown => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailableException",
                message,
            ),
            DaemonError::Load(e) => Self::invalid(e.to_string()),
            DaemonError::Store(cause) => Self::internal(&cause),
        }
    }

    fn from_model(code: ErrorCode, message: String, doing: Doing) -> Self {
        let kind = match (code, doing) {
            (ErrorCode::InvalidArgument | ErrorCode::OutOfRange, _) => "InvalidRequestException",
            (ErrorCode::NotFound, _) => "NotFoundException",
            (ErrorCode::AtCapacity, Doing::Seating) => "GameSessionFullException",
            (ErrorCode::AtCapacity, Doing::Placing) => "FleetCapacityExceededException",
            (ErrorCode::AtCapacity, Doing::Claiming) => "OutOfCapacityException",
            (ErrorCode::AtCapacity, Doing::Registering | Doing::Other) => "LimitExceededException",
            (ErrorCode::FailedPrecondition | ErrorCode::NotInitialized, _) => {
                "InvalidGameSessionStatusException"
            }
            (ErrorCode::AlreadyExists, _) => "ConflictException",
            (ErrorCode::Unavailable, _) => {
                return Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "ServiceUnavailableException",
                    message,
                );
            }
        };
        Self::new(StatusCode::BAD_REQUEST, kind, message)
    }

    /// `InternalServiceException`: the host failed. The cause is logged
    /// under a new id and only the id is answered.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        tracing::error!(error_id = %id, error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServiceException",
            format!("the host failed; its log has the cause under error id {id}"),
        )
    }
}

impl AwsError {
    /// `UnauthorizedException`: the request may not be made.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "UnauthorizedException", message)
    }
}

impl AwsError {
    /// `AccessDeniedException`, as AWS answers a caller its policy does not
    /// allow the operation: the token that signed lacks a scope.
    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "AccessDeniedException", message)
    }
}

impl From<SignatureError> for AwsError {
    fn from(error: SignatureError) -> Self {
        Self::unauthorized(error.to_string())
    }
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "__type")]
    kind: &'a str,
    message: &'a str,
}

impl IntoResponse for AwsError {
    fn into_response(self) -> Response {
        let body = Body {
            kind: self.kind,
            message: &self.message,
        };
        let json = serde_json::to_vec(&body).unwrap_or_default();
        let mut response = (self.status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        headers.insert("x-amzn-errortype", HeaderValue::from_static(self.kind));
        response
    }
}
