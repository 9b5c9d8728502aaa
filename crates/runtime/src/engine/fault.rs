//! Classifying what went wrong when a call into a guest failed.

use super::budget::DeadlineExceeded;
use super::store::GuestLimits;
use gamehost_model::EndKind;
use std::time::Duration;
use wasmtime::Trap;

/// A guest fault: what happened, in which export, and the details.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} in {export}: {reason}")]
pub struct Fault {
    /// Trap, deadline, out of memory or failed start.
    pub kind: EndKind,
    /// The export that was running (or `instantiate`).
    pub export: &'static str,
    /// A one-line reason for people.
    pub reason: String,
    /// The full error with the guest's backtrace, for the log.
    pub detail: String,
}

impl Fault {
    /// Classifies the error of a call into `export`.
    pub(super) fn classify(
        error: wasmtime::Error,
        export: &'static str,
        limits: &GuestLimits,
        deadline: Duration,
    ) -> Self {
        let detail = format!("{error:?}");
        let (kind, reason) = if error.downcast_ref::<DeadlineExceeded>().is_some() {
            (
                EndKind::Deadline,
                format!("ran past its {} ms deadline", deadline.as_millis()),
            )
        } else if let Some(asked) = limits.refused {
            let reason = format!(
                "asked for {} of memory; the cap is {}",
                size(asked),
                size(limits.memory_bytes)
            );
            (EndKind::OutOfMemory, reason)
        } else if let Some(trap) = error.downcast_ref::<Trap>() {
            (EndKind::Trap, trap.to_string())
        } else {
            (EndKind::Trap, error.to_string())
        };
        Self {
            kind,
            export,
            reason,
            detail,
        }
    }

    /// A failure to start the instance.
    pub(super) fn start_failed(
        error: wasmtime::Error,
        limits: &GuestLimits,
        deadline: Duration,
    ) -> Self {
        let mut fault = Self::classify(error, "instantiate", limits, deadline);
        fault.kind = EndKind::StartFailed;
        fault
    }
}

/// A byte count for people: MiB when it is at least one, KiB otherwise.
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes.div_ceil(1 << 20))
    } else {
        format!("{} KiB", bytes.div_ceil(1 << 10))
    }
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(64 << 10), "64 KiB");
        assert_eq!(size(1 << 20), "1 MiB");
        assert_eq!(size((16 << 20) + 1), "17 MiB");
    }
}
