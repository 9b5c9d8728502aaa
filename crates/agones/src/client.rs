//! A client of the Agones SDK sidecar's REST API on loopback (reference/003):
//! the calls the host makes, each bounded in time, and the watch stream.

use crate::wire::{GameServer, StreamItem};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

/// How long one call may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest line the watch stream may send: a GameServer with a full
/// list of 1,000 values fits many times over.
pub const MAX_WATCH_LINE_BYTES: usize = 4 * 1024 * 1024;

/// A failed call to the sidecar.
#[derive(Debug, thiserror::Error)]
pub enum SdkError {
    /// The sidecar could not be reached, or the call timed out.
    #[error("the Agones SDK sidecar is unreachable: {0}")]
    Unreachable(#[from] reqwest::Error),
    /// The sidecar refused the call.
    #[error("the Agones SDK sidecar answered {status}: {message}")]
    Refused {
        /// The HTTP status.
        status: StatusCode,
        /// The sidecar's message.
        message: String,
    },
    /// The answer or the stream was not what the REST SDK sends.
    #[error("the Agones SDK sidecar sent something unreadable: {0}")]
    Unreadable(String),
}

/// The sidecar's REST API.
#[derive(Clone, Debug)]
pub struct SdkClient {
    base: String,
    http: reqwest::Client,
}

impl SdkClient {
    /// A client of the sidecar listening on `localhost:port`.
    pub fn new(port: u16) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(CALL_TIMEOUT)
            .tcp_nodelay(true)
            .build()
            .expect("a client with no TLS always builds");
        Self {
            base: format!("http://localhost:{port}"),
            http,
        }
    }

    /// `POST /ready`.
    pub async fn ready(&self) -> Result<(), SdkError> {
        self.call(Method::POST, "/ready", json!({})).await.map(drop)
    }

    /// `POST /health`.
    pub async fn health(&self) -> Result<(), SdkError> {
        self.call(Method::POST, "/health", json!({}))
            .await
            .map(drop)
    }

    /// `POST /shutdown`.
    pub async fn shutdown(&self) -> Result<(), SdkError> {
        self.call(Method::POST, "/shutdown", json!({}))
            .await
            .map(drop)
    }

    /// `GET /gameserver`.
    pub async fn game_server(&self) -> Result<GameServer, SdkError> {
        let answer = self.call(Method::GET, "/gameserver", Value::Null).await?;
        serde_json::from_value(answer).map_err(|e| SdkError::Unreadable(e.to_string()))
    }

    /// Adds `diff` to counter `key`'s count.
    pub async fn add_to_counter(&self, key: &str, diff: i64) -> Result<(), SdkError> {
        let body = json!({"name": key, "countDiff": diff.to_string()});
        self.call(Method::PATCH, &format!("/v1beta1/counters/{key}"), body)
            .await
            .map(drop)
    }

    /// Sets counter `key`'s capacity.
    pub async fn set_counter_capacity(&self, key: &str, capacity: i64) -> Result<(), SdkError> {
        let body = json!({"name": key, "capacity": capacity.to_string()});
        self.call(Method::PATCH, &format!("/v1beta1/counters/{key}"), body)
            .await
            .map(drop)
    }

    /// Sets list `key`'s capacity.
    pub async fn set_list_capacity(&self, key: &str, capacity: i64) -> Result<(), SdkError> {
        let body = json!({"name": key, "capacity": capacity.to_string()});
        let path = format!("/v1beta1/lists/{key}?updateMask=capacity");
        self.call(Method::PATCH, &path, body).await.map(drop)
    }

    /// Adds `value` to list `key`; a value already there is no error.
    pub async fn add_list_value(&self, key: &str, value: &str) -> Result<(), SdkError> {
        let path = format!("/v1beta1/lists/{key}:addValue");
        match self
            .call(Method::POST, &path, json!({"value": value}))
            .await
        {
            Err(SdkError::Refused { status, .. }) if status == StatusCode::CONFLICT => Ok(()),
            other => other.map(drop),
        }
    }

    /// Removes `value` from list `key`; a value not there is no error.
    pub async fn remove_list_value(&self, key: &str, value: &str) -> Result<(), SdkError> {
        let path = format!("/v1beta1/lists/{key}:removeValue");
        match self
            .call(Method::POST, &path, json!({"value": value}))
            .await
        {
            Err(SdkError::Refused { status, .. }) if status == StatusCode::NOT_FOUND => Ok(()),
            other => other.map(drop),
        }
    }

    /// `GET /watch/gameserver`: the GameServer now, then after each change.
    pub async fn watch(&self) -> Result<WatchStream, SdkError> {
        let response = self
            .http
            .get(format!("{}/watch/gameserver", self.base))
            .send()
            .await?;
        let response = refused(response).await?;
        Ok(WatchStream {
            response,
            buffer: Vec::new(),
        })
    }

    async fn call(&self, method: Method, path: &str, body: Value) -> Result<Value, SdkError> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .timeout(CALL_TIMEOUT);
        if !body.is_null() {
            request = request.json(&body);
        }
        let response = refused(request.send().await?).await?;
        let bytes = response.bytes().await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|e| SdkError::Unreadable(e.to_string()))
    }
}

/// The response itself when it succeeded, else what the sidecar said.
async fn refused(response: reqwest::Response) -> Result<reqwest::Response, SdkError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let text = response.text().await.unwrap_or_default();
    let message = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or(text);
    Err(SdkError::Refused { status, message })
}

/// `/watch/gameserver`'s stream, one GameServer per line.
pub struct WatchStream {
    response: reqwest::Response,
    buffer: Vec<u8>,
}

impl WatchStream {
    /// The next GameServer, or `None` when the stream ended.
    pub async fn next(&mut self) -> Result<Option<GameServer>, SdkError> {
        loop {
            if let Some(at) = self.buffer.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=at).collect();
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let item: StreamItem = serde_json::from_slice(&line)
                    .map_err(|e| SdkError::Unreadable(e.to_string()))?;
                return match (item.result, item.error) {
                    (Some(game_server), _) => Ok(Some(game_server)),
                    (None, error) => Err(SdkError::Unreadable(format!(
                        "the watch ended with {}",
                        error.unwrap_or(Value::Null)
                    ))),
                };
            }
            if self.buffer.len() > MAX_WATCH_LINE_BYTES {
                return Err(SdkError::Unreadable(format!(
                    "a watch line longer than {MAX_WATCH_LINE_BYTES} bytes"
                )));
            }
            match self.response.chunk().await? {
                Some(chunk) => self.buffer.extend_from_slice(&chunk),
                None => return Ok(None),
            }
        }
    }
}
