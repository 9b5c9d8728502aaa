//! Group commit in front of a [`Store`]: writes that arrive while a
//! transaction commits go into the next one together, so many concurrent
//! acknowledgements cost one disk flush.

use super::{Store, StoreError, Write};
use std::sync::Arc;
use std::sync::mpsc;
use tokio::sync::oneshot;

/// Most jobs folded into one transaction.
const MAX_JOBS_PER_COMMIT: usize = 4096;

struct Job {
    writes: Vec<Write>,
    done: Option<oneshot::Sender<Result<(), String>>>,
}

/// Writes to a [`Store`] from one thread, in order, grouping what arrives
/// together into one transaction.
#[derive(Clone)]
pub struct Persister {
    jobs: mpsc::Sender<Job>,
    store: Arc<dyn Store>,
}

impl Persister {
    /// Starts the writer thread for `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        let (jobs, queue) = mpsc::channel();
        let writer = store.clone();
        std::thread::Builder::new()
            .name("gamehost-store".into())
            .spawn(move || commit_loop(&*writer, &queue))
            .expect("spawning the store's writer thread");
        Self { jobs, store }
    }

    /// The store, for reads.
    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// Applies `writes` and returns once they, and every write queued
    /// before them, are durable.
    pub async fn write(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        let (done, committed) = oneshot::channel();
        let job = Job {
            writes,
            done: Some(done),
        };
        self.jobs
            .send(job)
            .map_err(|_| StoreError("the store's writer has stopped".into()))?;
        match committed.await {
            Ok(result) => result.map_err(StoreError),
            Err(_) => Err(StoreError("the store's writer has stopped".into())),
        }
    }

    /// Queues `writes` for the next transaction without waiting for it.
    pub fn write_later(&self, writes: Vec<Write>) {
        if writes.is_empty() {
            return;
        }
        let _ = self.jobs.send(Job { writes, done: None });
    }

    /// Returns once every write queued so far is durable.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.write(Vec::new()).await
    }
}

fn commit_loop(store: &dyn Store, queue: &mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_JOBS_PER_COMMIT {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let writes: Vec<Write> = jobs.iter_mut().flat_map(|j| j.writes.drain(..)).collect();
        let result = if writes.is_empty() {
            Ok(())
        } else {
            store.apply(&writes).map_err(|e| e.to_string())
        };
        if let Err(error) = &result {
            tracing::error!(%error, writes = writes.len(), "a store transaction failed");
        }
        for job in jobs {
            if let Some(done) = job.done {
                let _ = done.send(result.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Collection;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Memory {
        commits: Mutex<Vec<Vec<Write>>>,
    }

    impl Store for Memory {
        fn apply(&self, writes: &[Write]) -> Result<(), StoreError> {
            self.commits.lock().unwrap().push(writes.to_vec());
            Ok(())
        }
        fn get(&self, _: Collection, _: &str) -> Result<Option<Vec<u8>>, StoreError> {
            Ok(None)
        }
        fn scan(&self, _: Collection) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
            Ok(Vec::new())
        }
    }

    #[tokio::test]
    async fn later_writes_are_committed_in_order_before_a_flush_returns() {
        let memory = Arc::new(Memory::default());
        let persister = Persister::new(memory.clone());
        for i in 0..100 {
            persister.write_later(vec![Write::json(Collection::Fleets, "k", &i)]);
        }
        persister.flush().await.unwrap();
        let commits = memory.commits.lock().unwrap();
        let values: Vec<Write> = commits.iter().flatten().cloned().collect();
        let expected: Vec<Write> = (0..100)
            .map(|i| Write::json(Collection::Fleets, "k", &i))
            .collect();
        assert_eq!(values, expected);
        assert!(
            commits.len() <= 100,
            "writes were grouped into {} commits",
            commits.len()
        );
    }
}
