//! Where a game server's log is stored. While it runs, each flush stores
//! only the lines written since the one before, as a chunk of its own, so a
//! flush costs what was written rather than the whole log; once there are
//! [`MAX_CHUNKS`] chunks the next flush stores the whole log as one and
//! drops the rest. When the game server ends, its whole log goes under one
//! key and its chunks are dropped. A game server that did not end (the host
//! was killed) is read back from its chunks.

use crate::store::{Collection, Store, StoreError, Write};
use gamehost_runtime::sdk::{GuestLog, LogLine};

/// How many chunks a running game server's log is stored in at most before
/// they are compacted into one.
const MAX_CHUNKS: usize = 16;

/// The store key of an ended game server's whole log.
pub(super) fn log_key(name: &str) -> String {
    format!("gameserver/{name}")
}

/// What every chunk key of a game server's log starts with.
fn chunk_prefix(name: &str) -> String {
    format!("gameserver/{name}/")
}

/// The key of the chunk whose first line is `seq`: fixed-width, so the keys
/// sort in the order of the lines.
fn chunk_key(name: &str, seq: u64) -> String {
    format!("{}{seq:016x}", chunk_prefix(name))
}

/// The chunks of a running game server's log stored so far; the tracker
/// holds one per game server.
#[derive(Debug, Default)]
pub(super) struct LogChunks {
    keys: Vec<String>,
    flushed: u64,
}

impl LogChunks {
    /// The writes that store what `log` gained since the last flush: none
    /// when it gained nothing.
    pub(super) fn flush(&mut self, name: &str, log: &GuestLog) -> Vec<Write> {
        let next = log.next_seq();
        if next == self.flushed {
            return Vec::new();
        }
        let mut writes = Vec::new();
        let since = if self.keys.len() >= MAX_CHUNKS {
            writes.extend(
                self.keys
                    .drain(..)
                    .map(|key| Write::delete(Collection::Logs, key)),
            );
            0
        } else {
            self.flushed
        };
        self.flushed = next;
        let Some((first, value)) = log.json_since(since) else {
            return writes;
        };
        let key = chunk_key(name, first);
        writes.push(Write::put(Collection::Logs, &key, value));
        self.keys.push(key);
        writes
    }

    /// The writes that store an ended game server's whole log under one key
    /// and drop its chunks.
    pub(super) fn finish(self, name: &str, log: &GuestLog) -> Vec<Write> {
        let mut writes: Vec<Write> = self
            .keys
            .into_iter()
            .map(|key| Write::delete(Collection::Logs, key))
            .collect();
        let value = log
            .json_since(0)
            .map_or_else(|| b"[]".to_vec(), |(_, json)| json);
        writes.push(Write::put(Collection::Logs, log_key(name), value));
        writes
    }
}

/// A stored game server's log: its whole log once it ended, otherwise its
/// chunks in order.
pub(super) fn read(store: &dyn Store, name: &str) -> Result<Vec<LogLine>, StoreError> {
    if let Some(bytes) = store.get(Collection::Logs, &log_key(name))? {
        return Ok(serde_json::from_slice(&bytes).unwrap_or_default());
    }
    let mut lines: Vec<LogLine> = Vec::new();
    for (_, bytes) in store.scan_prefix(Collection::Logs, &chunk_prefix(name))? {
        let chunk: Vec<LogLine> = serde_json::from_slice(&bytes).unwrap_or_default();
        let after = lines.last().map(|l| l.seq);
        lines.extend(
            chunk
                .into_iter()
                .filter(|l| after.is_none_or(|a| l.seq > a)),
        );
    }
    Ok(lines)
}

/// The writes that forget everything stored of a game server's log.
pub(super) fn forget(store: &dyn Store, name: &str) -> Result<Vec<Write>, StoreError> {
    let mut writes = vec![Write::delete(Collection::Logs, log_key(name))];
    for (key, _) in store.scan_prefix(Collection::Logs, &chunk_prefix(name))? {
        writes.push(Write::delete(Collection::Logs, key));
    }
    Ok(writes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Durability, RedbStore};
    use gamehost_model::{FakeClock, Timestamp};
    use gamehost_runtime::sdk::{LogLevel, LogSource};
    use std::sync::Arc;

    fn write_lines(log: &GuestLog, count: usize) {
        for n in 0..count {
            log.write(
                LogLevel::Info,
                LogSource::Sdk,
                format!("line {n}"),
                Vec::new(),
            );
        }
    }

    #[test]
    fn a_running_log_is_stored_in_chunks_and_read_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let store = RedbStore::open(&dir.path().join("state.redb")).unwrap();
        let log = GuestLog::new("gs", Arc::new(FakeClock::new(Timestamp::from_millis(0))));
        let mut chunks = LogChunks::default();
        let apply = |writes: Vec<Write>| store.apply(&writes, Durability::Immediate).unwrap();
        // Flushes past the chunk bound: compacted once, every line kept.
        for _ in 0..MAX_CHUNKS + 3 {
            write_lines(&log, 2);
            let writes = chunks.flush("gs", &log);
            assert!(!writes.is_empty());
            apply(writes);
            assert!(chunks.flush("gs", &log).is_empty(), "nothing new to flush");
            assert_eq!(read(&store, "gs").unwrap(), log.lines());
        }
        assert!(chunks.keys.len() <= MAX_CHUNKS);
        let stored = store
            .scan_prefix(Collection::Logs, "gameserver/gs/")
            .unwrap();
        assert_eq!(stored.len(), chunks.keys.len());
        // Ended: one key, no chunks.
        write_lines(&log, 1);
        apply(chunks.finish("gs", &log));
        assert!(
            store
                .scan_prefix(Collection::Logs, "gameserver/gs/")
                .unwrap()
                .is_empty()
        );
        assert_eq!(read(&store, "gs").unwrap(), log.lines());
        // Forgotten: nothing left.
        apply(forget(&store, "gs").unwrap());
        assert!(read(&store, "gs").unwrap().is_empty());
    }
}
