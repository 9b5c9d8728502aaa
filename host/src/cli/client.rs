//! The operator commands' HTTP client over the control plane, and the
//! helpers they share to print its answers: aligned tables, ages, `k=v`.

use anyhow::{Context, anyhow};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, RequestBuilder, Response, StatusCode, Url};
use serde_json::Value;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The options every client command takes: where the daemon is and how to
/// print. They are global so they go before or after the subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientArgs {
    /// The daemon's control plane.
    #[arg(
        long,
        global = true,
        env = "GAMEHOST_URL",
        default_value = "http://127.0.0.1:7070"
    )]
    url: String,
    /// Prints the raw JSON response instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
}

/// An error answered by the control plane, printed as
/// `<message> (<code>, HTTP <status>)`.
#[derive(Debug)]
pub struct ApiFailure {
    /// The HTTP status.
    pub status: StatusCode,
    /// The API's machine-readable code, e.g. `NOT_FOUND`.
    pub code: String,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}, HTTP {})",
            self.message,
            self.code,
            self.status.as_u16()
        )
    }
}

impl std::error::Error for ApiFailure {}

/// A client of one daemon, with the token from `GAMEHOST_TOKEN`.
pub struct Client {
    http: reqwest::Client,
    base: Url,
    token: Option<String>,
}

impl Client {
    /// A client for the daemon at `args.url`.
    pub fn new(args: &ClientArgs) -> anyhow::Result<Self> {
        let base = Url::parse(&args.url).with_context(|| format!("invalid --url {}", args.url))?;
        let token = std::env::var("GAMEHOST_TOKEN")
            .ok()
            .filter(|token| !token.is_empty());
        Ok(Self {
            http: reqwest::Client::new(),
            base,
            token,
        })
    }

    /// The daemon's URL.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The URL of the path made of `segments` (each percent-encoded), with
    /// `query`'s pairs.
    pub fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .expect("an http URL has a path")
            .pop_if_empty()
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// A request to `url` carrying the token.
    pub fn request(&self, method: Method, url: Url) -> RequestBuilder {
        let request = self.http.request(method, url);
        match &self.token {
            Some(token) => request.header(AUTHORIZATION, format!("Bearer {token}")),
            None => request,
        }
    }

    /// Sends `request`, turning an API error into [`ApiFailure`] and a
    /// refused connection into a hint that the daemon is not running.
    pub async fn send(&self, request: RequestBuilder) -> anyhow::Result<Response> {
        let response = request.send().await.map_err(|error| {
            if error.is_connect() {
                anyhow!(
                    "cannot reach the daemon at {}: is `gamehost serve` running there? (set --url or GAMEHOST_URL)",
                    self.base
                )
            } else {
                anyhow!(error).context(format!("requesting {}", self.base))
            }
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let text = |key: &str| body["error"][key].as_str().map(str::to_owned);
        Err(ApiFailure {
            status,
            code: text("code").unwrap_or_else(|| "UNKNOWN".to_owned()),
            message: text("message")
                .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned()),
        }
        .into())
    }

    /// Sends `method` to the path `segments` with an optional JSON body and
    /// returns the JSON answer (`null` for an empty one).
    pub async fn call(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let mut request = self.request(method, self.url(segments, query));
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(serde_json::to_vec(body)?);
        }
        let bytes = self.send(request).await?.bytes().await?;
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).context("the daemon answered invalid JSON")
    }

    /// GETs the path `segments` with `query`.
    pub async fn get(&self, segments: &[&str], query: &[(&str, &str)]) -> anyhow::Result<Value> {
        self.call(Method::GET, segments, query, None).await
    }
}

/// Prints `value` as indented JSON.
pub fn print_json(value: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
    );
}

/// A table whose columns are padded to their widest cell.
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with a header row.
    pub fn new(headers: &[&str]) -> Self {
        Self {
            rows: vec![headers.iter().map(|h| (*h).to_owned()).collect()],
        }
    }

    /// Appends a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as lines, columns separated by three spaces, no trailing
    /// blanks.
    pub fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(c))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (cell, width) in row.iter().zip(&widths) {
                line.push_str(&format!("{cell:<width$}   "));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Prints the table to stdout.
    pub fn print(&self) {
        print!("{}", self.render());
    }
}

/// Parses `key=value` (for `--label`, `--property` and the like).
pub fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("expected key=value, got {text:?}")),
    }
}

/// How long ago `millis` (Unix milliseconds) was, coarsely: `42s`, `5m`,
/// `3h`, `2d`, like kubectl's AGE.
pub fn age(millis: u64, now: SystemTime) -> String {
    let now = now
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    let seconds = (now.saturating_sub(u128::from(millis)) / 1000) as u64;
    match seconds {
        s if s < 120 => format!("{s}s"),
        s if s < 2 * 3600 => format!("{}m", s / 60),
        s if s < 2 * 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

/// The age of a timestamp field in Unix milliseconds, `-` when absent.
pub fn age_of(millis: &Value) -> String {
    millis
        .as_u64()
        .map_or_else(|| "-".to_owned(), |m| age(m, SystemTime::now()))
}

/// A JSON value as a table cell: strings bare, `null` as `-`.
pub fn cell(value: &Value) -> String {
    match value {
        Value::Null => "-".to_owned(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The current time, RFC 3339 to the second, for streamed lines.
pub fn now_text() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// How long to wait between polls of a log being followed.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Prints log lines (`{seq, at, level, source, game_session_id, message,
/// fields}`) one per line, as [`log_line`] writes them.
pub fn print_log_lines(lines: &[Value]) {
    for line in lines {
        println!("{}", log_line(line));
    }
}

/// A log line as text: time, level, source, message, then `k=v` fields.
pub fn log_line(line: &Value) -> String {
    let at = line["at"]
        .as_u64()
        .map(|ms| UNIX_EPOCH + Duration::from_millis(ms))
        .map_or_else(
            || "-".to_owned(),
            |t| humantime::format_rfc3339_millis(t).to_string(),
        );
    let mut text = format!(
        "{at} {:<5} {:<5} {}",
        cell(&line["level"]),
        cell(&line["source"]),
        cell(&line["message"])
    );
    for field in line["fields"].as_array().into_iter().flatten() {
        text.push_str(&format!(" {}={}", cell(&field[0]), cell(&field[1])));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_pad_columns_to_the_widest_cell() {
        let mut table = Table::new(&["NAME", "STATE"]);
        table.row(vec!["arena-1234".into(), "Ready".into()]);
        table.row(vec!["a".into(), "Allocated".into()]);
        assert_eq!(
            table.render(),
            "NAME         STATE\narena-1234   Ready\na            Allocated\n"
        );
    }

    #[test]
    fn key_value_splits_at_the_first_equals_sign() {
        assert_eq!(key_value("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert_eq!(key_value("mode="), Ok(("mode".into(), String::new())));
        assert!(key_value("novalue").is_err());
        assert!(key_value("=v").is_err());
    }

    #[test]
    fn ages_are_coarse() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let ago = |s: u64| (1_000_000 - s) * 1000;
        assert_eq!(age(ago(5), now), "5s");
        assert_eq!(age(ago(600), now), "10m");
        assert_eq!(age(ago(3 * 3600), now), "3h");
        assert_eq!(age(ago(3 * 86_400), now), "3d");
    }

    #[test]
    fn urls_encode_each_segment() {
        let client = Client::new(&ClientArgs {
            url: "http://127.0.0.1:7070/".into(),
            json: false,
        })
        .unwrap();
        let url = client.url(&["v1", "modules", "arena@1 0"], &[("since", "3")]);
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:7070/v1/modules/arena@1%200?since=3"
        );
    }
}
