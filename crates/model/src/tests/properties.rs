//! Property tests: random sequences of SDK calls, control-plane requests and
//! clock advances on one game server, checking after every step the
//! invariants bad input must never break: counts within capacity, list
//! values unique and within capacity, player sessions never over the game
//! session's maximum, a failed call changes nothing, and states move only
//! along the allowed edges.

use super::super::*;
use super::fixture::*;
use GameServerState::*;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;

/// One step: a guest's SDK call, a control-plane request, or time passing.
#[derive(Clone, Debug)]
enum Op {
    Ready,
    ConfirmReady,
    Reserve(u32),
    Allocate,
    Shutdown,
    Health,
    Advance(u64),
    RunTimers,
    HealthCheckAnswer(bool),
    RequestTermination,
    ProcessEnding,
    Fault,
    Stop,
    InitSdk,
    ProcessReady,
    StartGameSession(u32),
    Activate,
    TerminateGameSession,
    UpdateMaximum(u32),
    DenyAll(bool),
    CreatePlayerSessions(usize),
    Accept(usize),
    Remove(usize),
    SetCount(i64),
    Increment(i64),
    Decrement(i64),
    SetCounterCapacity(i64),
    UpdateCounter(Option<i64>, Option<i64>, i64),
    Append(u8),
    Delete(u8),
    SetListCapacity(i64),
    UpdateList(Option<i64>, Option<Vec<u8>>),
    Connect(u8),
    Disconnect(u8),
    SetPlayerCapacity(i64),
}

/// Mostly small numbers around the template's capacities, sometimes any.
fn amount() -> impl Strategy<Value = i64> {
    prop_oneof![4 => -3i64..14, 1 => any::<i64>(), 1 => 990i64..1010]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Ready),
        Just(Op::ConfirmReady),
        (0u32..3).prop_map(Op::Reserve),
        Just(Op::Allocate),
        Just(Op::Shutdown),
        Just(Op::Health),
        prop_oneof![0u64..2_000, 0u64..400_000].prop_map(Op::Advance),
        Just(Op::RunTimers),
        any::<bool>().prop_map(Op::HealthCheckAnswer),
        Just(Op::RequestTermination),
        Just(Op::ProcessEnding),
        Just(Op::Fault),
        Just(Op::Stop),
        Just(Op::InitSdk),
        Just(Op::ProcessReady),
        (0u32..5).prop_map(Op::StartGameSession),
        Just(Op::Activate),
        Just(Op::TerminateGameSession),
        (0u32..5).prop_map(Op::UpdateMaximum),
        any::<bool>().prop_map(Op::DenyAll),
        (1usize..4).prop_map(Op::CreatePlayerSessions),
        (0usize..8).prop_map(Op::Accept),
        (0usize..8).prop_map(Op::Remove),
        amount().prop_map(Op::SetCount),
        amount().prop_map(Op::Increment),
        amount().prop_map(Op::Decrement),
        amount().prop_map(Op::SetCounterCapacity),
        (
            proptest::option::of(amount()),
            proptest::option::of(amount()),
            amount()
        )
            .prop_map(|(cap, count, diff)| Op::UpdateCounter(cap, count, diff)),
        (0u8..5).prop_map(Op::Append),
        (0u8..5).prop_map(Op::Delete),
        amount().prop_map(Op::SetListCapacity),
        (
            proptest::option::of(amount()),
            proptest::option::of(proptest::collection::vec(0u8..5, 0..5))
        )
            .prop_map(|(cap, values)| Op::UpdateList(cap, values)),
        (0u8..4).prop_map(Op::Connect),
        (0u8..4).prop_map(Op::Disconnect),
        amount().prop_map(Op::SetPlayerCapacity),
    ]
}

/// Whether a game server may go from `from` to `to` in one step (staying put
/// is always allowed).
fn allowed(from: GameServerState, to: GameServerState) -> bool {
    match from {
        Shutdown | Unhealthy | Error => false,
        Scheduled => matches!(
            to,
            RequestReady | Reserved | Allocated | Shutdown | Unhealthy | Error
        ),
        RequestReady | Ready | Reserved | Allocated => matches!(
            to,
            RequestReady | Ready | Reserved | Allocated | Shutdown | Unhealthy
        ),
    }
}

/// Whether a game session may go from `from` to `to` in one step.
fn session_allowed(from: GameSessionStatus, to: GameSessionStatus) -> bool {
    use GameSessionStatus::*;
    match from {
        Activating => true,
        Active => matches!(to, Terminating | Terminated | Error),
        Terminating => matches!(to, Terminated | Error),
        Terminated | Error => false,
    }
}

/// Whether a player session may go from `from` to `to` in one step.
fn player_session_allowed(from: PlayerSessionStatus, to: PlayerSessionStatus) -> bool {
    use PlayerSessionStatus::*;
    match from {
        Reserved => true,
        Active => to == Completed,
        Completed | Timedout => false,
    }
}

/// The test's driver: the game server, its clock, and what it has handed out.
struct Run {
    gs: GameServer,
    clock: std::sync::Arc<FakeClock>,
    sessions_started: u32,
    player_session_ids: Vec<String>,
}

impl Run {
    /// Applies `op`; returns whether a counter, list or player call failed.
    fn apply(&mut self, op: &Op) -> Option<bool> {
        let gs = &mut self.gs;
        let value = |v: &u8| format!("v{v}");
        let pick = |ids: &[String], i: usize| ids.get(i % ids.len().max(1)).cloned();
        match op {
            Op::Ready => {
                let _ = gs.ready();
            }
            Op::ConfirmReady => {
                let _ = gs.confirm_ready();
            }
            Op::Reserve(s) => {
                let _ = gs.reserve(*s);
            }
            Op::Allocate => {
                let _ = gs.allocate();
            }
            Op::Shutdown => {
                let _ = gs.shutdown();
            }
            Op::Health => {
                let _ = gs.health();
            }
            Op::Advance(ms) => self.clock.advance(Duration::from_millis(*ms)),
            Op::RunTimers => {
                gs.run_timers();
                gs.take_actions();
            }
            Op::HealthCheckAnswer(ok) => gs.record_health_check(*ok),
            Op::RequestTermination => {
                let _ = gs.request_termination();
            }
            Op::ProcessEnding => {
                let _ = gs.process_ending();
            }
            Op::Fault => {
                let kind = if gs.state() == Scheduled {
                    EndKind::StartFailed
                } else {
                    EndKind::Trap
                };
                gs.fail(kind, "fault");
            }
            Op::Stop => gs.stop("stopped"),
            Op::InitSdk => {
                let _ = gs.init_sdk();
            }
            Op::ProcessReady => {
                let _ = gs.process_ready(0);
            }
            Op::StartGameSession(max) => {
                self.sessions_started += 1;
                let new = NewGameSession {
                    maximum_player_session_count: *max,
                    ..Default::default()
                };
                let id = format!("placed-{}", self.sessions_started);
                if gs.start_game_session(id, new).is_ok() {
                    self.player_session_ids.clear();
                }
            }
            Op::Activate => {
                let _ = gs.activate_game_session();
            }
            Op::TerminateGameSession => {
                let _ = gs.terminate_game_session();
            }
            Op::UpdateMaximum(max) => {
                let _ = gs.update_game_session(GameSessionUpdate {
                    matchmaker_data: None,
                    maximum_player_session_count: Some(*max),
                    name: None,
                    player_session_creation_policy: None,
                    update_reason: UpdateReason::Unknown,
                    backfill_ticket_id: None,
                });
            }
            Op::DenyAll(deny) => {
                let policy = if *deny {
                    CreationPolicy::DenyAll
                } else {
                    CreationPolicy::AcceptAll
                };
                let _ = gs.set_creation_policy(policy);
            }
            Op::CreatePlayerSessions(n) => {
                let first = self.player_session_ids.len();
                let ids: Vec<String> = (first..first + n).map(|i| i.to_string()).collect();
                let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                if let Ok(created) = gs.create_player_sessions(new_players(&refs)) {
                    let held = gs.player_sessions().slots_held();
                    let max = gs.game_session().unwrap().maximum_player_session_count;
                    assert!(held <= max as usize, "{held} slots held of {max}");
                    self.player_session_ids
                        .extend(created.into_iter().map(|p| p.player_session_id));
                }
            }
            Op::Accept(i) => {
                if let Some(id) = pick(&self.player_session_ids, *i) {
                    let _ = gs.accept_player_session(&id);
                }
            }
            Op::Remove(i) => {
                if let Some(id) = pick(&self.player_session_ids, *i) {
                    let _ = gs.remove_player_session(&id);
                }
            }
            Op::SetCount(n) => {
                return Some(gs.update_counters(|c| c.set_count("rounds", *n)).is_err());
            }
            Op::Increment(n) => {
                return Some(gs.update_counters(|c| c.increment("rounds", *n)).is_err());
            }
            Op::Decrement(n) => {
                return Some(gs.update_counters(|c| c.decrement("rounds", *n)).is_err());
            }
            Op::SetCounterCapacity(n) => {
                return Some(
                    gs.update_counters(|c| c.set_capacity("rounds", *n))
                        .is_err(),
                );
            }
            Op::UpdateCounter(capacity, count, count_diff) => {
                let update = CounterUpdate {
                    capacity: *capacity,
                    count: *count,
                    count_diff: *count_diff,
                };
                return Some(gs.update_counters(|c| c.update("rounds", update)).is_err());
            }
            Op::Append(v) => {
                return Some(gs.update_lists(|l| l.append("players", &value(v))).is_err());
            }
            Op::Delete(v) => {
                return Some(gs.update_lists(|l| l.delete("players", &value(v))).is_err());
            }
            Op::SetListCapacity(n) => {
                return Some(gs.update_lists(|l| l.set_capacity("players", *n)).is_err());
            }
            Op::UpdateList(capacity, values) => {
                let update = ListUpdate {
                    capacity: *capacity,
                    values: values.as_ref().map(|vs| vs.iter().map(value).collect()),
                };
                return Some(gs.update_lists(|l| l.update("players", update)).is_err());
            }
            Op::Connect(p) => {
                let before = gs.players().count();
                let added = gs.player_connect(&format!("p{p}"));
                if added == Ok(true) {
                    assert!(before < gs.players().capacity(), "connected over capacity");
                }
                return Some(added.is_err());
            }
            Op::Disconnect(p) => {
                let _ = gs.player_disconnect(&format!("p{p}"));
            }
            Op::SetPlayerCapacity(n) => return Some(gs.set_player_capacity(*n).is_err()),
        }
        None
    }
}

/// What the invariants compare between two steps.
#[derive(Clone, Debug, PartialEq)]
struct Snapshot {
    state: GameServerState,
    generation: i64,
    counters: Counters,
    lists: Lists,
    players: Players,
    session: Option<(String, GameSessionStatus)>,
    player_sessions: BTreeMap<String, PlayerSessionStatus>,
}

fn snapshot(gs: &GameServer) -> Snapshot {
    Snapshot {
        state: gs.state(),
        generation: gs.generation(),
        counters: gs.counters().clone(),
        lists: gs.lists().clone(),
        players: gs.players().clone(),
        session: gs
            .game_session()
            .map(|s| (s.game_session_id.clone(), s.status)),
        player_sessions: gs
            .player_sessions()
            .iter()
            .map(|p| (p.player_session_id.clone(), p.status))
            .collect(),
    }
}

fn check_invariants(gs: &GameServer, before: &Snapshot, after: &Snapshot, failed: Option<bool>) {
    for (key, counter) in gs.counters().iter() {
        assert!(
            counter.validate(key).is_ok(),
            "counter {key} out of range: {counter:?}"
        );
    }
    for (key, list) in gs.lists().iter() {
        assert!(
            (0..=limits::MAX_LIST_CAPACITY).contains(&list.capacity),
            "{key}: {list:?}"
        );
        assert!(
            list.values.len() as i64 <= list.capacity,
            "{key} over capacity: {list:?}"
        );
        let unique: std::collections::BTreeSet<_> = list.values.iter().collect();
        assert_eq!(unique.len(), list.values.len(), "{key} holds duplicates");
    }
    if let Some(session) = gs.game_session() {
        let held = gs.player_sessions().slots_held();
        assert!(held <= session.maximum_player_session_count as usize);
        if session.status.is_ended() {
            assert_eq!(held, 0, "an ended game session holds slots");
        }
    }
    if gs.ending().is_some() {
        assert!(gs.state().is_terminal(), "ended but {}", gs.state());
    }
    assert!(after.generation >= before.generation);
    assert!(
        before.state == after.state || allowed(before.state, after.state),
        "{} -> {}",
        before.state,
        after.state
    );
    if let (Some((was_id, was)), Some((id, now))) = (&before.session, &after.session)
        && was_id == id
    {
        assert!(
            was == now || session_allowed(*was, *now),
            "{was:?} -> {now:?}"
        );
    }
    if before.session.as_ref().map(|s| &s.0) == after.session.as_ref().map(|s| &s.0) {
        for (id, now) in &after.player_sessions {
            if let Some(was) = before.player_sessions.get(id) {
                assert!(
                    was == now || player_session_allowed(*was, *now),
                    "{id}: {was:?} -> {now:?}"
                );
            }
        }
    }
    if failed == Some(true) {
        assert_eq!(
            before.counters, after.counters,
            "a failed call changed counters"
        );
        assert_eq!(before.lists, after.lists, "a failed call changed lists");
        assert_eq!(
            before.players, after.players,
            "a failed call changed players"
        );
    }
}

/// A starting point: a new game server (with or without health pings), or
/// one hosting an ACTIVE game session.
fn start(kind: u8) -> (GameServer, std::sync::Arc<FakeClock>) {
    match kind {
        0 => server_with(spec()),
        1 => server_with(with_pings()),
        _ => {
            let (mut gs, clock) = hosting();
            gs.activate_game_session().unwrap();
            (gs, clock)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn invariants_hold_for_any_sequence(
        kind in 0u8..3,
        ops in proptest::collection::vec(op(), 1..80),
    ) {
        let (gs, clock) = start(kind);
        let mut run = Run { gs, clock, sessions_started: 0, player_session_ids: Vec::new() };
        let mut before = snapshot(&run.gs);
        for op in &ops {
            let failed = run.apply(op);
            let after = snapshot(&run.gs);
            check_invariants(&run.gs, &before, &after, failed);
            before = after;
        }
    }
}
