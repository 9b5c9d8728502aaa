//! How long calls into guests take, by export, for the host's metrics.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use std::time::Duration;

/// The label of a guest call's histogram.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ExportLabel {
    /// The export's WIT name.
    pub export: &'static str,
}

/// Guest call durations in seconds, by export: from 1 µs to about 0.26 s.
#[derive(Clone)]
pub struct CallTimes(Family<ExportLabel, Histogram, fn() -> Histogram>);

fn histogram() -> Histogram {
    Histogram::new(exponential_buckets(1e-6, 4.0, 10))
}

impl Default for CallTimes {
    fn default() -> Self {
        Self(Family::new_with_constructor(histogram))
    }
}

impl CallTimes {
    /// Records one call.
    pub fn record(&self, export: &'static str, took: Duration) {
        self.0
            .get_or_create(&ExportLabel { export })
            .observe(took.as_secs_f64());
    }

    /// The histogram family, to register with a metrics registry.
    pub fn family(&self) -> Family<ExportLabel, Histogram, fn() -> Histogram> {
        self.0.clone()
    }
}
