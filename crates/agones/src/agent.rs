//! The loop that keeps the GameServer true: it calls Ready once the fleets
//! are warm, starts the matches Agones allocates, and keeps the counter,
//! the list and the capacity in line with the matches the host runs.

use crate::AgonesSettings;
use crate::backoff::Backoff;
use crate::client::{SdkClient, SdkError};
use crate::ledger::{Ledger, Shown, Step};
use crate::properties::game_properties;
use crate::wire::GameServer;
use gamehost_daemon::{Daemon, DaemonError};
use gamehost_model::{ErrorCode, NewGameSession};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, watch};

/// How often the host looks at its matches without a GameServer change.
pub const SYNC_PERIOD: Duration = Duration::from_millis(250);
/// The most values an Agones list holds, and so the most matches one host
/// takes through Agones at once.
pub const LIST_LIMIT: i64 = 1000;
/// How long a capacity the GameServer does not show yet is left before it
/// is sent again.
const RESEND_AFTER: Duration = Duration::from_secs(2);

/// What the agent shares with the host's shutdown.
#[derive(Default)]
pub(crate) struct Shared {
    /// Nothing new lands and nothing new starts.
    pub(crate) draining: AtomicBool,
    /// The ledger holds no match: every one was counted down and removed.
    pub(crate) settled: AtomicBool,
    /// Look now rather than at the next period.
    pub(crate) wake: Notify,
}

/// The agent's state: one owner, the loop.
pub(crate) struct Agent {
    pub(crate) daemon: Daemon,
    pub(crate) client: SdkClient,
    pub(crate) settings: AgonesSettings,
    pub(crate) shared: Arc<Shared>,
    pub(crate) latest: watch::Receiver<Option<GameServer>>,
    ledger: Option<Ledger>,
    ready: bool,
    capacity_sent: Option<(i64, Instant)>,
    list_capacity_sent: bool,
    backoff: Backoff,
    complained: BTreeSet<String>,
}

impl Agent {
    pub(crate) fn new(
        daemon: Daemon,
        client: SdkClient,
        settings: AgonesSettings,
        shared: Arc<Shared>,
        latest: watch::Receiver<Option<GameServer>>,
    ) -> Self {
        Self {
            daemon,
            client,
            settings,
            shared,
            latest,
            ledger: None,
            ready: false,
            capacity_sent: None,
            list_capacity_sent: false,
            backoff: Backoff::default(),
            complained: BTreeSet::new(),
        }
    }

    /// Runs until the task is aborted.
    pub(crate) async fn run(mut self) {
        loop {
            let wait = if self.backoff.is_failing() {
                self.backoff.fail()
            } else {
                SYNC_PERIOD
            };
            tokio::select! {
                _ = self.latest.changed() => {}
                () = self.shared.wake.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
            let Some(game_server) = self.latest.borrow_and_update().clone() else {
                continue;
            };
            match self.sync(&game_server).await {
                Ok(()) if self.backoff.is_failing() => {
                    tracing::info!("the Agones SDK sidecar answers again");
                    self.backoff.reset();
                }
                Ok(()) => {}
                Err(error) => {
                    if !self.backoff.is_failing() {
                        tracing::warn!(%error, "the Agones SDK sidecar failed; matches keep running, retrying");
                    }
                    self.backoff.fail();
                }
            }
        }
    }

    /// One look: the ledger's steps, the capacity, and Ready.
    async fn sync(&mut self, game_server: &GameServer) -> Result<(), SdkError> {
        let key = &self.settings.counter;
        let Some(counter) = game_server.status.counters.get(key).copied() else {
            self.complain_once(format!(
                "the GameServer has no counter {key:?}: declare it in the Fleet's template"
            ));
            return Ok(());
        };
        let key = &self.settings.list;
        let Some(list) = game_server.status.lists.get(key) else {
            self.complain_once(format!(
                "the GameServer has no list {key:?}: declare it in the Fleet's template"
            ));
            return Ok(());
        };
        let shown = Shown {
            count: counter.count,
            values: &list.values,
        };
        let draining = self.shared.draining.load(Ordering::Acquire);
        let live = self.daemon.game_sessions_in_progress();
        let ledger = self.ledger.get_or_insert_with(|| Ledger::resume(shown));
        let steps = ledger.plan(shown, &live, draining, Instant::now());
        for step in steps {
            self.take(step, game_server).await?;
        }
        let ledger = self.ledger.as_ref().expect("made above");
        self.shared
            .settled
            .store(ledger.is_settled(), Ordering::Release);
        if !self.list_capacity_sent && list.capacity != LIST_LIMIT {
            self.client
                .set_list_capacity(&self.settings.list, LIST_LIMIT)
                .await?;
            self.list_capacity_sent = true;
        }
        let room = self
            .fleet()
            .map_or(0, |fleet| self.daemon.room(&fleet).game_sessions());
        let capacity = Ledger::capacity(counter.count, live.len(), room, draining, LIST_LIMIT);
        let stale = self
            .capacity_sent
            .is_none_or(|(sent, at)| sent != capacity || at.elapsed() >= RESEND_AFTER);
        if capacity != counter.capacity && stale {
            self.client
                .set_counter_capacity(&self.settings.counter, capacity)
                .await?;
            self.capacity_sent = Some((capacity, Instant::now()));
        }
        if !self.ready && !draining && self.fleets_are_warm() {
            self.client.ready().await?;
            self.ready = true;
            tracing::info!(
                capacity,
                "the fleets are warm: told Agones the host is Ready"
            );
        }
        Ok(())
    }

    async fn take(&mut self, step: Step, game_server: &GameServer) -> Result<(), SdkError> {
        let ledger = self.ledger.as_mut().expect("made before planning");
        let (counter, list) = (&self.settings.counter, &self.settings.list);
        match step {
            Step::Name(n) => {
                for _ in 0..n {
                    let id = format!("agones-{}", uuid::Uuid::new_v4().simple());
                    self.client.add_list_value(list, &id).await?;
                    ledger.listed(&id);
                }
            }
            Step::Start(id) => self.start(&id, game_server).await,
            Step::CountDown(id) => {
                self.client.add_to_counter(counter, -1).await?;
                ledger.counted_down(&id);
            }
            Step::Remove(id) => {
                self.client.remove_list_value(list, &id).await?;
                ledger.removed(&id);
            }
            Step::List(id) => {
                self.client.add_list_value(list, &id).await?;
                ledger.listed_own(&id);
            }
            Step::CountUp(id) => {
                self.client.add_to_counter(counter, 1).await?;
                ledger.counted_up(&id);
            }
        }
        Ok(())
    }

    /// Places match `id` for an allocation.
    async fn start(&mut self, id: &str, game_server: &GameServer) {
        let now = Instant::now();
        let properties = game_properties(&game_server.object_meta.annotations, id);
        let (fleet, properties) = match (self.fleet(), properties) {
            (Some(fleet), Ok(properties)) => (fleet, properties),
            (None, _) => {
                self.complain_once(
                    "more than one fleet and no --agones-fleet: allocations cannot start".into(),
                );
                self.ledger_mut().start_failed(id, now, false);
                return;
            }
            (_, Err(reason)) => {
                tracing::warn!(game_session = id, %reason, "an allocation's match cannot start; giving it back");
                self.ledger_mut().start_failed(id, now, true);
                return;
            }
        };
        let new = NewGameSession {
            name: id.to_owned(),
            maximum_player_session_count: self.settings.max_players,
            game_properties: properties,
            creator_id: "agones".to_owned(),
            ..NewGameSession::default()
        };
        match self
            .daemon
            .create_game_session_with_id(&fleet, id, new)
            .await
        {
            Ok(_) => {
                tracing::info!(game_session = id, %fleet, "started a match for an allocation");
                self.ledger_mut().started(id);
            }
            Err(error) => {
                let permanent = is_permanent(&error);
                tracing::warn!(game_session = id, %error, permanent, "an allocation's match did not start");
                self.ledger_mut().start_failed(id, now, permanent);
            }
        }
    }

    fn ledger_mut(&mut self) -> &mut Ledger {
        self.ledger.as_mut().expect("made before planning")
    }

    /// The fleet allocations start matches in: the one named, or the only
    /// one.
    fn fleet(&self) -> Option<String> {
        if let Some(fleet) = &self.settings.fleet {
            return Some(fleet.clone());
        }
        match self.daemon.fleets().as_slice() {
            [only] => Some(only.fleet.name.clone()),
            _ => None,
        }
    }

    /// Every fleet has Ready game servers for all its replicas.
    fn fleets_are_warm(&self) -> bool {
        let fleets = self.daemon.fleets();
        !fleets.is_empty()
            && fleets
                .iter()
                .all(|f| f.status.ready + f.status.allocated >= f.fleet.replicas)
    }

    fn complain_once(&mut self, complaint: String) {
        if self.complained.insert(complaint.clone()) {
            tracing::error!("{complaint}");
        }
    }
}

/// Whether a match that failed to start never will: its id or properties
/// are invalid, or its id is taken.
fn is_permanent(error: &DaemonError) -> bool {
    match error {
        DaemonError::Model(e) => matches!(
            e.code,
            ErrorCode::InvalidArgument | ErrorCode::OutOfRange | ErrorCode::AlreadyExists
        ),
        DaemonError::Conflict(_) => true,
        _ => false,
    }
}
