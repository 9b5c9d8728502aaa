//! The blocking bridge: the store is called from threads that are not its
//! client's runtime (the daemon's commit thread, its request handlers), so
//! every query runs on a runtime of the store's own and the caller waits for
//! the answer, at most the store's timeout.

use gamehost_model::store::StoreError;
use std::time::Duration;
use tokio::runtime::{Builder, Handle, Runtime};

/// A runtime of one worker thread for the store's connections, and the
/// longest a caller waits for an answer.
pub(crate) struct Bridge {
    runtime: Option<Runtime>,
    timeout: Duration,
}

impl Bridge {
    /// Starts the store's runtime.
    pub(crate) fn new(timeout: Duration) -> Result<Self, StoreError> {
        let runtime = Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("gamehost-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Failed(format!("starting the store's runtime: {e}")))?;
        Ok(Self {
            runtime: Some(runtime),
            timeout,
        })
    }

    fn handle(&self) -> &Handle {
        self.runtime
            .as_ref()
            .expect("the runtime lives as long as the bridge")
            .handle()
    }

    /// Runs `operation` on the store's runtime and waits for its answer,
    /// blocking this thread; an operation that has not answered within the
    /// timeout is abandoned as [`StoreError::Unavailable`].
    pub(crate) fn block<T: Send + 'static>(
        &self,
        operation: impl Future<Output = Result<T, StoreError>> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (answer, answered) = std::sync::mpsc::sync_channel(1);
        let timeout = self.timeout;
        self.handle().spawn(async move {
            let _ = answer.send(within(timeout, operation).await);
        });
        answered.recv().unwrap_or_else(|_| Err(stopped()))
    }

    /// Runs `operation` on the store's runtime, for a caller on another
    /// runtime, with the same timeout.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        operation: impl Future<Output = Result<T, StoreError>> + Send + 'static,
    ) -> Result<T, StoreError> {
        let timeout = self.timeout;
        self.handle()
            .spawn(within(timeout, operation))
            .await
            .unwrap_or_else(|_| Err(stopped()))
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        // The store may be dropped on another runtime's thread, where
        // waiting for this runtime's tasks is not allowed.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn within<T>(
    timeout: Duration,
    operation: impl Future<Output = Result<T, StoreError>>,
) -> Result<T, StoreError> {
    tokio::time::timeout(timeout, operation)
        .await
        .unwrap_or_else(|_| {
            Err(StoreError::Unavailable(format!(
                "no answer within {timeout:?}"
            )))
        })
}

fn stopped() -> StoreError {
    StoreError::Failed("the store's runtime has stopped".into())
}
