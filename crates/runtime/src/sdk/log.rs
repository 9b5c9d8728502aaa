//! A game server's log: lines from the `logging` interface and from the
//! guest's stdout and stderr, tagged with the game server and game session,
//! printed through `tracing` and kept in a bounded buffer.

use gamehost_model::{Clock, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

/// Longest message kept, in bytes; longer ones are cut.
pub const MAX_MESSAGE_BYTES: usize = 8 * 1024;
/// Most structured fields kept per line.
pub const MAX_FIELDS: usize = 32;
/// Longest field key or value kept, in bytes.
pub const MAX_FIELD_BYTES: usize = 1024;
/// Most bytes of lines kept per game server; the oldest go first.
pub const MAX_BUFFER_BYTES: usize = 256 * 1024;

/// How important a line is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Very detailed tracing.
    Trace,
    /// Debugging detail.
    Debug,
    /// Normal operation.
    Info,
    /// Something unexpected that was handled.
    Warn,
    /// Something failed.
    Error,
}

/// Where a line came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogSource {
    /// The `logging` interface.
    Sdk,
    /// The guest's stdout.
    Stdout,
    /// The guest's stderr.
    Stderr,
    /// The host, about the guest (faults, endings).
    Host,
}

/// One log line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LogLine {
    /// Position in this game server's log, from 0.
    pub seq: u64,
    /// When it was written.
    pub at: Timestamp,
    /// Level.
    pub level: LogLevel,
    /// Source.
    pub source: LogSource,
    /// The game session in progress when it was written.
    pub game_session_id: Option<String>,
    /// The message.
    pub message: String,
    /// Structured fields.
    pub fields: Vec<(String, String)>,
}

/// A game server's log, shared by the SDK and the guest's stdio streams.
#[derive(Clone)]
pub struct GuestLog(Arc<Mutex<Buffer>>);

struct Buffer {
    game_server: String,
    clock: Arc<dyn Clock>,
    game_session_id: Option<String>,
    lines: VecDeque<LogLine>,
    bytes: usize,
    next_seq: u64,
    partial: [Vec<u8>; 2],
}

impl fmt::Debug for GuestLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let buffer = self.lock();
        f.debug_struct("GuestLog")
            .field("game_server", &buffer.game_server)
            .field("lines", &buffer.lines.len())
            .finish()
    }
}

impl GuestLog {
    /// An empty log for `game_server`.
    pub fn new(game_server: &str, clock: Arc<dyn Clock>) -> Self {
        Self(Arc::new(Mutex::new(Buffer {
            game_server: game_server.to_owned(),
            clock,
            game_session_id: None,
            lines: VecDeque::new(),
            bytes: 0,
            next_seq: 0,
            partial: [Vec::new(), Vec::new()],
        })))
    }

    fn lock(&self) -> MutexGuard<'_, Buffer> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Tags the following lines with `game_session_id`.
    pub fn set_game_session(&self, game_session_id: Option<&str>) {
        let mut log = self.lock();
        if log.game_session_id.as_deref() != game_session_id {
            log.game_session_id = game_session_id.map(str::to_owned);
        }
    }

    /// Writes a line; the message and fields are cut to their bounds, in
    /// place: what is within them is kept without a copy.
    pub fn write(
        &self,
        level: LogLevel,
        source: LogSource,
        message: impl Into<String>,
        fields: Vec<(String, String)>,
    ) {
        let fields = fields
            .into_iter()
            .take(MAX_FIELDS)
            .map(|(mut key, mut value)| {
                cut(&mut key, MAX_FIELD_BYTES);
                cut(&mut value, MAX_FIELD_BYTES);
                (key, value)
            })
            .collect();
        let mut message = message.into();
        cut(&mut message, MAX_MESSAGE_BYTES);
        self.lock().push(level, source, message, fields);
    }

    /// Writes bytes from the guest's stdout or stderr: one line per newline;
    /// a line longer than the message bound is cut into several.
    pub fn write_stream(&self, source: LogSource, bytes: &[u8]) {
        let (slot, level) = match source {
            LogSource::Stderr => (1, LogLevel::Warn),
            _ => (0, LogLevel::Info),
        };
        let mut buffer = self.lock();
        for &byte in bytes {
            if byte != b'\n' {
                buffer.partial[slot].push(byte);
            }
            if byte == b'\n' || buffer.partial[slot].len() >= MAX_MESSAGE_BYTES {
                let line = std::mem::take(&mut buffer.partial[slot]);
                let message = String::from_utf8_lossy(&line).into_owned();
                buffer.push(level, source, message, Vec::new());
            }
        }
    }

    /// The lines kept, oldest first.
    pub fn lines(&self) -> Vec<LogLine> {
        self.lock().lines.iter().cloned().collect()
    }

    /// The lines kept that were written during game session
    /// `game_session_id`, oldest first.
    ///
    /// A game server hosts one game session at a time, so a game session's
    /// lines are one run: it is found from the newest line back, and what
    /// came before it is not read.
    pub fn session_lines(&self, game_session_id: &str) -> Vec<LogLine> {
        let buffer = self.lock();
        let of_session = |l: &&LogLine| l.game_session_id.as_deref() == Some(game_session_id);
        let mut lines: Vec<LogLine> = buffer
            .lines
            .iter()
            .rev()
            .skip_while(|l| !of_session(l))
            .take_while(of_session)
            .cloned()
            .collect();
        lines.reverse();
        lines
    }

    /// The position the next line will take: it changes whenever a line is
    /// written.
    pub fn next_seq(&self) -> u64 {
        self.lock().next_seq
    }

    /// The lines kept from position `seq` on.
    pub fn lines_since(&self, seq: u64) -> Vec<LogLine> {
        self.lock().since(seq).cloned().collect()
    }

    /// The lines kept from position `seq` on as a JSON array (a list of
    /// [`LogLine`]), with the position of the first of them; `None` when
    /// there are none. Written straight from the buffer, without copying the
    /// lines first.
    pub fn json_since(&self, seq: u64) -> Option<(u64, Vec<u8>)> {
        let buffer = self.lock();
        let lines = buffer.since(seq);
        let first = lines.clone().next()?.seq;
        let json = serde_json::to_vec(&Lines(lines)).expect("log lines serialize to JSON");
        Some((first, json))
    }
}

/// Lines of a log, serialized as a JSON array.
struct Lines<'a>(std::iter::Skip<std::collections::vec_deque::Iter<'a, LogLine>>);

impl Serialize for Lines<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

impl Buffer {
    /// The lines kept from position `seq` on. Positions are consecutive:
    /// the line at `seq` is found by counting.
    fn since(&self, seq: u64) -> std::iter::Skip<std::collections::vec_deque::Iter<'_, LogLine>> {
        let first = self.lines.front().map_or(seq, |l| l.seq);
        let skip = usize::try_from(seq.saturating_sub(first)).unwrap_or(usize::MAX);
        self.lines.iter().skip(skip)
    }

    fn push(
        &mut self,
        level: LogLevel,
        source: LogSource,
        message: String,
        fields: Vec<(String, String)>,
    ) {
        emit(
            &self.game_server,
            self.game_session_id.as_deref(),
            level,
            source,
            &message,
            &fields,
        );
        let line = LogLine {
            seq: self.next_seq,
            at: self.clock.now(),
            level,
            source,
            game_session_id: self.game_session_id.clone(),
            message,
            fields,
        };
        self.next_seq += 1;
        self.bytes += size(&line);
        self.lines.push_back(line);
        while self.bytes > MAX_BUFFER_BYTES {
            match self.lines.pop_front() {
                Some(old) => self.bytes -= size(&old),
                None => break,
            }
        }
    }
}

fn size(line: &LogLine) -> usize {
    line.message.len()
        + line
            .fields
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>()
        + 64
}

/// Shortens `text` to at most `max` bytes, at a character boundary.
fn cut(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
}

struct Fields<'a>(&'a [(String, String)]);

impl fmt::Display for Fields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (key, value)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{key}={value:?}")?;
        }
        Ok(())
    }
}

fn emit(
    game_server: &str,
    session: Option<&str>,
    level: LogLevel,
    source: LogSource,
    message: &str,
    fields: &[(String, String)],
) {
    let session = session.unwrap_or("");
    let fields = Fields(fields);
    macro_rules! at {
        ($level:ident) => {
            tracing::$level!(target: "guest", game_server, game_session = session, source = ?source, fields = %fields, "{message}")
        };
    }
    match level {
        LogLevel::Trace => at!(trace),
        LogLevel::Debug => at!(debug),
        LogLevel::Info => at!(info),
        LogLevel::Warn => at!(warn),
        LogLevel::Error => at!(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gamehost_model::FakeClock;

    fn log() -> GuestLog {
        GuestLog::new("gs-1", Arc::new(FakeClock::new(Timestamp::from_millis(0))))
    }

    #[test]
    fn streams_split_into_lines_tagged_with_the_game_session() {
        let log = log();
        log.write_stream(LogSource::Stdout, b"hello ");
        log.set_game_session(Some("gsess-1"));
        log.write_stream(LogSource::Stdout, b"world\nsecond\n");
        log.write_stream(LogSource::Stderr, b"oops\n");
        let lines = log.lines();
        let got: Vec<_> = lines
            .iter()
            .map(|l| (l.message.as_str(), l.level, l.game_session_id.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("hello world", LogLevel::Info, Some("gsess-1")),
                ("second", LogLevel::Info, Some("gsess-1")),
                ("oops", LogLevel::Warn, Some("gsess-1")),
            ]
        );
        assert_eq!(log.lines_since(2).len(), 1);
    }

    fn say(log: &GuestLog, message: &str) {
        log.write(LogLevel::Info, LogSource::Sdk, message, Vec::new());
    }

    fn messages(lines: &[LogLine]) -> Vec<&str> {
        lines.iter().map(|l| l.message.as_str()).collect()
    }

    #[test]
    fn a_game_sessions_lines_are_its_run_whatever_came_before_or_after() {
        let log = log();
        for (session, message) in [
            (None, "idle"),
            (Some("gsess-1"), "a"),
            (Some("gsess-1"), "b"),
            (None, "between"),
            (Some("gsess-2"), "c"),
            (None, "after"),
        ] {
            log.set_game_session(session);
            say(&log, message);
        }
        let cases = [
            ("gsess-1", vec!["a", "b"]),
            ("gsess-2", vec!["c"]),
            ("gsess-3", vec![]),
        ];
        for (session, expected) in cases {
            assert_eq!(messages(&log.session_lines(session)), expected, "{session}");
        }
    }

    #[test]
    fn lines_since_a_position_count_from_the_oldest_kept() {
        let log = log();
        let big = "m".repeat(1000);
        for _ in 0..300 {
            say(&log, &big);
        }
        let first = log.lines()[0].seq;
        assert!(first > 0, "the oldest lines were dropped");
        // (position asked) → lines returned
        let cases = [
            (0, 300 - first),
            (first, 300 - first),
            (299, 1),
            (300, 0),
            (9_999, 0),
        ];
        for (seq, expected) in cases {
            let lines = log.lines_since(seq);
            assert_eq!(lines.len() as u64, expected, "since {seq}");
            assert!(lines.iter().all(|l| l.seq >= seq), "since {seq}");
            // The same lines as JSON, with the first one's position.
            let json = log.json_since(seq);
            assert_eq!(
                json.as_ref().map(|(first, _)| *first),
                lines.first().map(|l| l.seq)
            );
            let parsed: Vec<LogLine> = json.map_or(Vec::new(), |(_, bytes)| {
                serde_json::from_slice(&bytes).expect("a JSON list of lines")
            });
            assert_eq!(parsed, lines, "since {seq}");
        }
    }

    #[test]
    fn everything_is_bounded() {
        let log = log();
        log.write(
            LogLevel::Info,
            LogSource::Sdk,
            "é".repeat(MAX_MESSAGE_BYTES),
            vec![("k".into(), "v".into()); 40],
        );
        let line = &log.lines()[0];
        assert!(line.message.len() <= MAX_MESSAGE_BYTES);
        assert_eq!(line.fields.len(), MAX_FIELDS);
        log.write_stream(LogSource::Stdout, &vec![b'x'; MAX_MESSAGE_BYTES * 2 + 5]);
        assert_eq!(log.lines().len(), 3);
        for _ in 0..1000 {
            log.write(LogLevel::Info, LogSource::Sdk, "m".repeat(1000), Vec::new());
        }
        let kept = log.lines();
        assert!(kept.iter().map(size).sum::<usize>() <= MAX_BUFFER_BYTES);
        assert_eq!(kept.last().unwrap().seq, 1002);
    }
}
