//! The audit log: every change made through the control plane — who (the
//! token's name), what, on which resource, and the result — as a
//! structured log line (target `gamehost::audit`) and an entry kept in the
//! store, the latest [`MAX_AUDIT_ENTRIES`] of them, read back in pages.
//!
//! Entries are gathered and handed to the store every
//! [`AUDIT_WRITE_PERIOD`] as one write, which rides its next commit: an
//! answer never waits for its entry (the change itself was made durable
//! before it was answered), and a burst of changes costs one write.

use super::Daemon;
use super::error::DaemonResult;
use crate::store::{Collection, Write};
use gamehost_model::{Clock, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// The entries kept; older ones are deleted as new ones come.
pub const MAX_AUDIT_ENTRIES: usize = 10_000;
/// How often the entries gathered since the last time are handed to the
/// store.
pub const AUDIT_WRITE_PERIOD: std::time::Duration = std::time::Duration::from_millis(250);
/// The most entries one page holds.
pub const MAX_AUDIT_PAGE: usize = 500;
/// Who a change was made by when no credential it carried was accepted.
pub const UNAUTHENTICATED: &str = "unauthenticated";

/// One change, as the audit log records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Its place in the log: one more than the entry before it.
    pub seq: u64,
    /// When it was answered.
    pub at: Timestamp,
    /// Who: the name of the caller's token (`anonymous` with none).
    pub who: String,
    /// What: the method and route (`POST /v1/fleets/{fleet}`) or the
    /// GameLift operation (`GameLift.CreateGameSession`).
    pub action: String,
    /// On which resource: the request's path, or the operation's id.
    pub resource: String,
    /// The result: the HTTP status answered.
    pub status: u16,
}

/// A change to record; the log gives it its number and time.
#[derive(Clone, Debug)]
pub struct AuditRecord {
    /// Who.
    pub who: String,
    /// What.
    pub action: String,
    /// On which resource.
    pub resource: String,
    /// The HTTP status answered.
    pub status: u16,
}

/// A page of the audit log.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    /// The entries, oldest first.
    pub entries: Vec<AuditEntry>,
    /// The `after` of the next page, if there is more.
    pub next: Option<u64>,
}

/// The latest entries, in order.
#[derive(Debug)]
pub(crate) struct AuditLog {
    entries: VecDeque<AuditEntry>,
    next_seq: u64,
    /// The store writes not handed to the store yet.
    unwritten: Vec<Write>,
}

impl Default for AuditLog {
    fn default() -> Self {
        Self::restore(Vec::new())
    }
}

impl AuditLog {
    /// The log as the store holds it.
    pub(crate) fn restore(mut entries: Vec<AuditEntry>) -> Self {
        entries.sort_by_key(|e| e.seq);
        let keep = entries.len().saturating_sub(MAX_AUDIT_ENTRIES);
        let entries: VecDeque<AuditEntry> = entries.into_iter().skip(keep).collect();
        let next_seq = entries.back().map_or(1, |e| e.seq + 1);
        Self {
            entries,
            next_seq,
            unwritten: Vec::new(),
        }
    }

    /// Appends `record` at `at`; returns the entry and the store's writes.
    fn append(&mut self, record: AuditRecord, at: Timestamp) -> (AuditEntry, Vec<Write>) {
        let entry = AuditEntry {
            seq: self.next_seq,
            at,
            who: record.who,
            action: record.action,
            resource: record.resource,
            status: record.status,
        };
        self.next_seq += 1;
        let mut writes = vec![Write::json(Collection::Audit, key(entry.seq), &entry)];
        self.entries.push_back(entry.clone());
        while self.entries.len() > MAX_AUDIT_ENTRIES {
            if let Some(old) = self.entries.pop_front() {
                writes.push(Write::delete(Collection::Audit, key(old.seq)));
            }
        }
        (entry, writes)
    }

    /// Up to `limit` entries after `after` (from the oldest kept when 0).
    fn page(&self, after: u64, limit: usize) -> AuditPage {
        let limit = limit.clamp(1, MAX_AUDIT_PAGE);
        let start = self.entries.partition_point(|e| e.seq <= after);
        let entries: Vec<AuditEntry> = self.entries.range(start..).take(limit).cloned().collect();
        let more = start + entries.len() < self.entries.len();
        let next = entries.last().filter(|_| more).map(|e| e.seq);
        AuditPage { entries, next }
    }
}

fn key(seq: u64) -> String {
    format!("{seq:020}")
}

impl Daemon {
    /// Loads the audit log the store holds.
    pub(super) fn recover_audit(&self) -> DaemonResult<()> {
        let entries = self
            .0
            .persister
            .store()
            .scan(Collection::Audit)?
            .into_iter()
            .filter_map(|(_, bytes)| serde_json::from_slice(&bytes).ok())
            .collect();
        *self.0.audit.lock().expect("lock") = AuditLog::restore(entries);
        Ok(())
    }

    /// Records a change made through the control plane: a log line now, an
    /// entry in the store within [`AUDIT_WRITE_PERIOD`] and its next commit.
    pub fn audit(&self, record: AuditRecord) {
        let now = self.0.clock.now();
        let entry = {
            let mut log = self.0.audit.lock().expect("lock");
            let (entry, writes) = log.append(record, now);
            log.unwritten.extend(writes);
            entry
        };
        tracing::info!(
            target: "gamehost::audit",
            seq = entry.seq,
            who = %entry.who,
            action = %entry.action,
            resource = %entry.resource,
            status = entry.status,
            "audit"
        );
    }

    /// Hands the entries gathered since the last time to the store, as one
    /// write for its next commit.
    pub(super) fn write_audit(&self) {
        let writes = std::mem::take(&mut self.0.audit.lock().expect("lock").unwritten);
        self.0.persister.write_later(writes);
    }

    /// Writes the gathered entries every [`AUDIT_WRITE_PERIOD`], for the
    /// daemon's life.
    pub(super) async fn write_audit_forever(self) {
        let mut tick = tokio::time::interval(AUDIT_WRITE_PERIOD);
        loop {
            tick.tick().await;
            self.write_audit();
        }
    }

    /// Up to `limit` audit entries after the entry `after` (0: from the
    /// oldest kept), oldest first.
    pub fn audit_page(&self, after: u64, limit: usize) -> AuditPage {
        self.0.audit.lock().expect("lock").page(after, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u16) -> AuditRecord {
        AuditRecord {
            who: "ci".into(),
            action: "POST /v1/fleets".into(),
            resource: format!("/v1/fleets/{n}"),
            status: n,
        }
    }

    #[test]
    fn entries_are_numbered_paged_and_bounded() {
        let mut log = AuditLog::default();
        let mut deleted = 0;
        for n in 0..(MAX_AUDIT_ENTRIES + 3) {
            let (entry, writes) = log.append(record(200), Timestamp::from_millis(n as i64));
            assert_eq!(entry.seq, n as u64 + 1);
            deleted += writes
                .iter()
                .filter(|w| matches!(w, Write::Delete { .. }))
                .count();
        }
        assert_eq!(deleted, 3, "the oldest are deleted from the store");
        let first = log.page(0, 2);
        assert_eq!(
            first.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [4, 5]
        );
        assert_eq!(first.next, Some(5));
        let last = log.page(MAX_AUDIT_ENTRIES as u64 + 1, 10);
        assert_eq!(
            last.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [10_002, 10_003]
        );
        assert_eq!(last.next, None);
        assert_eq!(log.page(0, 100_000).entries.len(), MAX_AUDIT_PAGE);
    }

    #[test]
    fn a_restored_log_goes_on_from_its_last_entry() {
        let mut log = AuditLog::default();
        let entries: Vec<AuditEntry> = (0..3)
            .map(|n| log.append(record(201), Timestamp::from_millis(n)).0)
            .rev()
            .collect();
        let mut restored = AuditLog::restore(entries);
        assert_eq!(restored.page(0, 10).entries.len(), 3);
        let (entry, _) = restored.append(record(204), Timestamp::from_millis(9));
        assert_eq!(entry.seq, 4);
        assert_eq!(AuditLog::restore(Vec::new()).next_seq, 1);
    }
}
