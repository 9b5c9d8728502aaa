//! Group commit in front of a [`Store`]: writes that arrive while a
//! transaction commits go into the next one together, so many concurrent
//! acknowledgements cost one disk flush. Writes nobody waits for (what
//! guests change on their own, logs) are committed without a flush; the next
//! acknowledged write flushes them too, and none waits longer than
//! [`MAX_DEFERRAL`]. When a transaction fails (a database out of reach), the
//! writes nobody waited for are kept and tried again with the next one, every
//! [`RETRY_EVERY`] until the store takes them; whoever waited is told it
//! failed.

use super::{Durability, Store, StoreError, Write};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Most jobs folded into one transaction.
const MAX_JOBS_PER_COMMIT: usize = 4096;
/// Longest a committed write nobody waits for stays off the disk. With the
/// daemon's wait for a burst of a guest's changes to end (100 ms), a change
/// a guest makes is on disk within half a second of its publication.
pub const MAX_DEFERRAL: Duration = Duration::from_millis(400);
/// How often writes kept from a failed transaction are tried again when
/// nothing else comes.
pub const RETRY_EVERY: Duration = Duration::from_secs(1);

struct Job {
    writes: Vec<Write>,
    done: Option<oneshot::Sender<Result<(), StoreError>>>,
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

    /// Queues `writes` at once, in order after every write queued before
    /// them; the future answers once they, and those, are durable.
    pub fn write(
        &self,
        writes: Vec<Write>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send + 'static {
        let (done, committed) = oneshot::channel();
        let job = Job {
            writes,
            done: Some(done),
        };
        let queued = self.jobs.send(job);
        async move {
            queued.map_err(|_| writer_stopped())?;
            committed.await.map_err(|_| writer_stopped())?
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

fn writer_stopped() -> StoreError {
    StoreError::Failed("the store's writer has stopped".into())
}

fn commit_loop(store: &dyn Store, queue: &mpsc::Receiver<Job>) {
    // Set while deferred transactions wait for a flush, or kept writes for
    // another try: by when it is due.
    let mut flush_by: Option<Instant> = None;
    // Writes nobody waited for, from transactions that failed: each key's
    // last, so they stay bounded by the documents there are.
    let mut kept: Vec<Write> = Vec::new();
    loop {
        let first = match flush_by {
            None => match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
            Some(due) => match queue.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(job) => job,
                Err(RecvTimeoutError::Timeout) => Job {
                    writes: Vec::new(),
                    done: None,
                },
                Err(RecvTimeoutError::Disconnected) => {
                    let _ = store.apply(&[], Durability::Immediate);
                    return;
                }
            },
        };
        let mut jobs = vec![first];
        while jobs.len() < MAX_JOBS_PER_COMMIT {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        // Each write, and whether nobody waits for it.
        let mut all: Vec<(Write, bool)> = kept.drain(..).map(|w| (w, true)).collect();
        for job in &mut jobs {
            let unawaited = job.done.is_none();
            all.extend(job.writes.drain(..).map(|w| (w, unawaited)));
        }
        let (writes, unawaited): (Vec<Write>, Vec<bool>) = last_per_key(all).into_iter().unzip();
        let awaited = jobs.iter().any(|j| j.done.is_some());
        let due = flush_by.is_some_and(|due| Instant::now() >= due);
        let durability = if awaited || due {
            Durability::Immediate
        } else {
            Durability::Deferred
        };
        // Nothing to write and nothing deferred to flush: nothing to do.
        let idle = writes.is_empty() && (durability == Durability::Deferred || flush_by.is_none());
        let result = if idle {
            Ok(())
        } else {
            store.apply(&writes, durability)
        };
        match &result {
            Err(error) => {
                tracing::error!(%error, writes = writes.len(), "a store transaction failed");
                kept = writes
                    .into_iter()
                    .zip(unawaited)
                    .filter_map(|(write, unawaited)| unawaited.then_some(write))
                    .collect();
                // Kept writes, or deferred ones still to flush: try again
                // in a while, not at once.
                if !kept.is_empty() || flush_by.is_some() {
                    flush_by = Some(Instant::now() + RETRY_EVERY);
                }
            }
            Ok(()) if idle => {}
            Ok(()) if durability == Durability::Immediate => flush_by = None,
            Ok(()) => {
                flush_by.get_or_insert_with(|| Instant::now() + MAX_DEFERRAL);
            }
        }
        for job in jobs {
            if let Some(done) = job.done {
                let _ = done.send(result.clone());
            }
        }
    }
}

/// Drops each write that a later one in the same transaction replaces. A
/// transaction applies its writes in order, all or none, so only the last
/// write of a key has an effect; a game server whose state changed several
/// times while a commit ran costs one write.
fn last_per_key<T>(writes: Vec<(Write, T)>) -> Vec<(Write, T)> {
    let mut seen = HashSet::with_capacity(writes.len());
    let last: Vec<bool> = writes
        .iter()
        .rev()
        .map(|(w, _)| seen.insert(w.target()))
        .collect();
    writes
        .into_iter()
        .zip(last.into_iter().rev())
        .filter_map(|(write, last)| last.then_some(write))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Collection;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Memory {
        commits: Mutex<Vec<(Vec<Write>, Durability)>>,
    }

    impl Memory {
        fn durabilities(&self) -> Vec<Durability> {
            self.commits.lock().unwrap().iter().map(|c| c.1).collect()
        }
    }

    impl Store for Memory {
        fn apply(&self, writes: &[Write], durability: Durability) -> Result<(), StoreError> {
            self.commits
                .lock()
                .unwrap()
                .push((writes.to_vec(), durability));
            Ok(())
        }
        fn get(&self, _: Collection, _: &str) -> Result<Option<Vec<u8>>, StoreError> {
            Ok(None)
        }
        fn scan(&self, _: Collection) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
            Ok(Vec::new())
        }
        fn scan_prefix(
            &self,
            _: Collection,
            _: &str,
        ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
            Ok(Vec::new())
        }
    }

    fn write(i: i32) -> Write {
        Write::json(Collection::Fleets, format!("k{i}"), &i)
    }

    #[test]
    fn only_the_last_write_of_a_key_is_kept_and_the_order_of_the_rest_stays() {
        let put = |key: &str, value: i32| Write::json(Collection::Fleets, key, &value);
        let cases = [
            (vec![], vec![]),
            (
                vec![put("a", 1), put("b", 1)],
                vec![put("a", 1), put("b", 1)],
            ),
            (vec![put("a", 1), put("a", 2)], vec![put("a", 2)]),
            (
                vec![
                    put("a", 1),
                    put("b", 1),
                    Write::delete(Collection::Fleets, "a"),
                ],
                vec![put("b", 1), Write::delete(Collection::Fleets, "a")],
            ),
            (
                vec![
                    Write::delete(Collection::Fleets, "a"),
                    put("b", 1),
                    put("a", 2),
                ],
                vec![put("b", 1), put("a", 2)],
            ),
            // The same key in two collections is two documents.
            (
                vec![
                    put("a", 1),
                    Write::json(Collection::Logs, "a", &1),
                    put("a", 2),
                ],
                vec![Write::json(Collection::Logs, "a", &1), put("a", 2)],
            ),
        ];
        for (writes, kept) in cases {
            let tagged = writes.iter().cloned().map(|w| (w, ())).collect();
            let found: Vec<Write> = last_per_key(tagged).into_iter().map(|(w, ())| w).collect();
            assert_eq!(found, kept, "from {writes:?}");
        }
    }

    #[tokio::test]
    async fn later_writes_are_committed_in_order_and_flushed_before_a_flush_returns() {
        let memory = Arc::new(Memory::default());
        let persister = Persister::new(memory.clone());
        for i in 0..100 {
            persister.write_later(vec![write(i)]);
        }
        persister.flush().await.unwrap();
        let commits = memory.commits.lock().unwrap();
        let values: Vec<Write> = commits.iter().flat_map(|c| c.0.clone()).collect();
        assert_eq!(values, (0..100).map(write).collect::<Vec<_>>());
        assert!(
            commits.len() <= 101,
            "writes were grouped into {} commits",
            commits.len()
        );
        assert_eq!(commits.last().map(|c| c.1), Some(Durability::Immediate));
        let deferred = &commits[..commits.len() - 1];
        assert!(deferred.iter().all(|c| c.1 == Durability::Deferred));
    }

    #[tokio::test]
    async fn an_awaited_write_is_immediate_and_an_empty_flush_writes_nothing() {
        let memory = Arc::new(Memory::default());
        let persister = Persister::new(memory.clone());
        persister.flush().await.unwrap();
        assert!(memory.durabilities().is_empty());
        persister.write(vec![write(1)]).await.unwrap();
        assert_eq!(memory.durabilities(), [Durability::Immediate]);
        persister.flush().await.unwrap();
        assert_eq!(memory.durabilities(), [Durability::Immediate]);
    }

    #[tokio::test]
    async fn a_deferred_write_reaches_the_disk_without_anyone_waiting() {
        let memory = Arc::new(Memory::default());
        let persister = Persister::new(memory.clone());
        persister.write_later(vec![write(1)]);
        let deadline = Instant::now() + MAX_DEFERRAL * 10;
        while memory.durabilities().len() < 2 && Instant::now() < deadline {
            tokio::time::sleep(MAX_DEFERRAL / 10).await;
        }
        assert_eq!(
            memory.durabilities(),
            [Durability::Deferred, Durability::Immediate],
            "the deferred write was not flushed on its own"
        );
    }

    /// A store that refuses every transaction while `down` is set.
    #[derive(Default)]
    struct Flaky {
        down: std::sync::atomic::AtomicBool,
        memory: Memory,
    }

    impl Store for Flaky {
        fn apply(&self, writes: &[Write], durability: Durability) -> Result<(), StoreError> {
            if self.down.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(StoreError::Unavailable("down".into()));
            }
            self.memory.apply(writes, durability)
        }
        fn get(&self, c: Collection, k: &str) -> Result<Option<Vec<u8>>, StoreError> {
            self.memory.get(c, k)
        }
        fn scan(&self, c: Collection) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
            self.memory.scan(c)
        }
        fn scan_prefix(
            &self,
            c: Collection,
            p: &str,
        ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
            self.memory.scan_prefix(c, p)
        }
    }

    #[tokio::test]
    async fn while_the_store_is_down_waiters_are_told_and_unawaited_writes_wait_for_it() {
        let flaky = Arc::new(Flaky::default());
        flaky.down.store(true, std::sync::atomic::Ordering::SeqCst);
        let persister = Persister::new(flaky.clone());
        persister.write_later(vec![write(1)]);
        persister.write_later(vec![write(2), write(1)]);
        let refused = persister.write(vec![write(3)]).await.unwrap_err();
        assert!(refused.is_unavailable(), "{refused}");
        assert!(flaky.memory.durabilities().is_empty());

        flaky.down.store(false, std::sync::atomic::Ordering::SeqCst);
        let deadline = Instant::now() + RETRY_EVERY * 5;
        while flaky.memory.durabilities().is_empty() && Instant::now() < deadline {
            tokio::time::sleep(RETRY_EVERY / 10).await;
        }
        let commits = flaky.memory.commits.lock().unwrap().clone();
        let written: Vec<Write> = commits.iter().flat_map(|c| c.0.clone()).collect();
        // The unawaited writes, each key's last, and not the refused one.
        assert_eq!(written, vec![write(2), write(1)]);
        assert_eq!(commits[0].1, Durability::Immediate);
    }
}
