//! What the store measures of its database, for `/metrics`: how long each
//! operation took and how many failed, by kind.

use gamehost_model::store::StoreError;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use std::time::Duration;

/// The store's measures; clones share them.
#[derive(Clone, Debug)]
pub struct DatabaseStats {
    seconds: Histogram,
    errors: Family<Vec<(String, String)>, Counter>,
}

impl Default for DatabaseStats {
    fn default() -> Self {
        Self {
            // 100 µs to about 3.3 s.
            seconds: Histogram::new(exponential_buckets(0.000_1, 2.0, 16)),
            errors: Family::default(),
        }
    }
}

impl DatabaseStats {
    /// Records an operation's time and, if it failed, its error's kind.
    pub(crate) fn record<T>(&self, took: Duration, result: &Result<T, StoreError>) {
        self.seconds.observe(took.as_secs_f64());
        if let Err(error) = result {
            let kind = match error {
                StoreError::Unavailable(_) => "unavailable",
                StoreError::Fenced(_) => "fenced",
                StoreError::Failed(_) => "failed",
            };
            self.errors
                .get_or_create(&vec![("kind".into(), kind.into())])
                .inc();
        }
    }

    /// Each operation's time in the database, from asking to its answer: a
    /// transaction, a read, a lease renewal.
    pub fn seconds(&self) -> Histogram {
        self.seconds.clone()
    }

    /// Operations that failed, by kind (`unavailable`, `fenced`, `failed`).
    pub fn errors(&self) -> Family<Vec<(String, String)>, Counter> {
        self.errors.clone()
    }
}
