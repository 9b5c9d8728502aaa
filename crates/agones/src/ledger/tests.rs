use super::*;

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

fn start(id: &str) -> Step {
    Step::Start(id.into())
}

fn down(id: &str) -> Step {
    Step::CountDown(id.into())
}

/// What the list shows, the count, the matches running, whether draining,
/// and the steps planned.
type Case = (
    &'static [&'static str],
    i64,
    &'static [&'static str],
    bool,
    Vec<Step>,
);

#[test]
fn each_view_plans_its_steps() {
    let cases: [Case; 8] = [
        (&[], 0, &[], false, vec![]),
        // An allocation without an id is named.
        (&[], 1, &[], false, vec![Step::Name(1)]),
        (&[], 3, &[], false, vec![Step::Name(3)]),
        // An allocation with an id starts it.
        (&["m-1"], 1, &[], false, vec![start("m-1")]),
        // While draining, it is given back instead.
        (&["m-1"], 1, &[], true, vec![down("m-1")]),
        // A match the host runs that the list lacks is listed.
        (&[], 0, &["own"], false, vec![Step::List("own".into())]),
        // A count below the list (a count-down shown before its removal)
        // names nothing.
        (&["m-1", "m-2"], 1, &["m-1", "m-2"], false, vec![]),
        // A listed id the host runs is the host's.
        (&["m-1"], 1, &["m-1"], false, vec![]),
    ];
    for (values, count, live, draining, expected) in cases {
        let values = set(values);
        let mut ledger = Ledger::default();
        let shown = Shown {
            count,
            values: &values,
        };
        let steps = ledger.plan(shown, &set(live), draining, Instant::now());
        assert_eq!(steps, expected, "{values:?} count {count} live {live:?}");
    }
}

#[test]
fn an_ended_match_is_counted_down_then_removed() {
    let values = set(&["m-1"]);
    let shown = Shown {
        count: 1,
        values: &values,
    };
    let now = Instant::now();
    let mut ledger = Ledger::default();
    assert_eq!(
        ledger.plan(shown, &set(&[]), false, now),
        vec![start("m-1")]
    );
    ledger.started("m-1");
    assert_eq!(ledger.plan(shown, &set(&["m-1"]), false, now), vec![]);
    assert!(!ledger.is_settled());
    // The match ended.
    assert_eq!(ledger.plan(shown, &set(&[]), false, now), vec![down("m-1")]);
    ledger.counted_down("m-1");
    // The count-down is not shown yet: the id is only to be removed.
    assert_eq!(
        ledger.plan(shown, &set(&[]), false, now),
        vec![Step::Remove("m-1".into())]
    );
    ledger.removed("m-1");
    // Still shown with the old count: nothing, not a new allocation.
    assert_eq!(ledger.plan(shown, &set(&[]), false, now), vec![]);
    let none = set(&[]);
    let gone = Shown {
        count: 0,
        values: &none,
    };
    assert_eq!(ledger.plan(gone, &set(&[]), false, now), vec![]);
    assert!(ledger.is_settled());
}

#[test]
fn a_match_that_cannot_start_is_given_back_after_the_deadline() {
    let values = set(&["m-1", "bad id"]);
    let shown = Shown {
        count: 2,
        values: &values,
    };
    let t0 = Instant::now();
    let mut ledger = Ledger::default();
    let steps = ledger.plan(shown, &set(&[]), false, t0);
    assert_eq!(steps, vec![start("bad id"), start("m-1")]);
    ledger.start_failed("bad id", t0, true);
    ledger.start_failed("m-1", t0, false);
    let later = t0 + START_DEADLINE / 2;
    ledger.start_failed("m-1", later, false);
    assert_eq!(
        ledger.plan(shown, &set(&[]), false, later),
        vec![down("bad id"), start("m-1")]
    );
    let past = t0 + START_DEADLINE;
    assert_eq!(
        ledger.plan(shown, &set(&[]), false, past),
        vec![down("bad id"), down("m-1")]
    );
}

#[test]
fn a_match_of_the_hosts_own_is_listed_then_counted_up() {
    let none = set(&[]);
    let live = set(&["own"]);
    let now = Instant::now();
    let mut ledger = Ledger::default();
    let empty = Shown {
        count: 0,
        values: &none,
    };
    assert_eq!(
        ledger.plan(empty, &live, false, now),
        vec![Step::List("own".into())]
    );
    ledger.listed_own("own");
    // Not shown yet, then shown without the count: counted up either way,
    // and never taken for an allocation.
    assert_eq!(
        ledger.plan(empty, &live, false, now),
        vec![Step::CountUp("own".into())]
    );
    let values = set(&["own"]);
    let listed = Shown {
        count: 0,
        values: &values,
    };
    assert_eq!(
        ledger.plan(listed, &live, false, now),
        vec![Step::CountUp("own".into())]
    );
    ledger.counted_up("own");
    assert_eq!(ledger.plan(listed, &live, false, now), vec![]);
}

#[test]
fn a_resumed_ledger_gives_back_a_previous_runs_matches() {
    let values = set(&["old"]);
    let shown = Shown {
        count: 1,
        values: &values,
    };
    let mut ledger = Ledger::resume(shown);
    assert_eq!(
        ledger.plan(shown, &set(&[]), false, Instant::now()),
        vec![down("old")]
    );
}

#[test]
fn capacity_is_room_within_the_limit_and_never_below_the_count() {
    // (count, live, room, draining, limit, capacity)
    let cases = [
        (0, 0, 10, false, 1000, 10),
        (2, 2, 10, false, 1000, 12),
        (2, 2, 5000, false, 1000, 1000),
        (5, 2, 0, false, 1000, 5),
        (3, 3, 10, true, 1000, 3),
        (0, 0, 0, false, 1000, 0),
    ];
    for (count, live, room, draining, limit, capacity) in cases {
        assert_eq!(
            Ledger::capacity(count, live, room, draining, limit),
            capacity,
            "count {count} live {live} room {room} draining {draining}"
        );
    }
}

/// Agones' side: what the GameServer shows, and the host's acknowledged
/// changes not shown yet.
#[derive(Default)]
struct Sidecar {
    count: i64,
    values: BTreeSet<String>,
    pending: Vec<Change>,
}

enum Change {
    Diff(i64),
    Add(String),
    Remove(String),
}

impl Sidecar {
    /// Shows some of the pending changes, in order.
    fn show(&mut self, how_many: usize) {
        let shown: Vec<Change> = self
            .pending
            .drain(..how_many.min(self.pending.len()))
            .collect();
        for change in shown {
            match change {
                Change::Diff(d) => self.count += d,
                Change::Add(id) => {
                    self.values.insert(id);
                }
                Change::Remove(id) => {
                    self.values.remove(&id);
                }
            }
        }
    }
}

/// A small deterministic generator.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The host: its ledger and the matches it runs.
struct Host {
    ledger: Ledger,
    live: BTreeSet<String>,
    ever_started: usize,
    named: usize,
    own: usize,
}

impl Host {
    fn sync(&mut self, sidecar: &mut Sidecar, draining: bool) {
        let values = sidecar.values.clone();
        let shown = Shown {
            count: sidecar.count,
            values: &values,
        };
        for step in self
            .ledger
            .plan(shown, &self.live, draining, Instant::now())
        {
            match step {
                Step::Name(n) => {
                    for _ in 0..n {
                        self.named += 1;
                        let id = format!("named-{}", self.named);
                        sidecar.pending.push(Change::Add(id.clone()));
                        self.ledger.listed(&id);
                    }
                }
                Step::Start(id) => {
                    self.ever_started += 1;
                    self.live.insert(id.clone());
                    self.ledger.started(&id);
                }
                Step::CountDown(id) => {
                    sidecar.pending.push(Change::Diff(-1));
                    self.ledger.counted_down(&id);
                }
                Step::Remove(id) => {
                    sidecar.pending.push(Change::Remove(id.clone()));
                    self.ledger.removed(&id);
                }
                Step::List(id) => {
                    sidecar.pending.push(Change::Add(id.clone()));
                    self.ledger.listed_own(&id);
                }
                Step::CountUp(id) => {
                    sidecar.pending.push(Change::Diff(1));
                    self.ledger.counted_up(&id);
                }
            }
        }
    }
}

#[test]
fn under_late_views_every_allocation_starts_once_and_the_books_balance() {
    for seed in 1..=200u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut sidecar = Sidecar::default();
        let mut host = Host {
            ledger: Ledger::default(),
            live: BTreeSet::new(),
            ever_started: 0,
            named: 0,
            own: 0,
        };
        let mut allocations = 0;
        for round in 0..300 {
            match rng.below(6) {
                // Agones allocates, with or without an id, shown at once.
                0 => {
                    allocations += 1;
                    sidecar.count += 1;
                    if rng.below(2) == 0 {
                        sidecar.values.insert(format!("alloc-{seed}-{round}"));
                    }
                }
                // A match ends.
                1 => {
                    if let Some(id) = host.live.iter().nth(rng.below(8) as usize).cloned() {
                        host.live.remove(&id);
                    }
                }
                // A match starts through the host's own API.
                2 if rng.below(4) == 0 => {
                    host.own += 1;
                    host.live.insert(format!("own-{}", host.own));
                }
                3 => sidecar.show(rng.below(3) as usize),
                _ => host.sync(&mut sidecar, false),
            }
            assert!(
                host.ever_started <= allocations,
                "seed {seed}: more matches started than allocated"
            );
        }
        for _ in 0..10 {
            host.sync(&mut sidecar, false);
            sidecar.show(usize::MAX);
        }
        assert_eq!(host.ever_started, allocations, "seed {seed}");
        assert_eq!(sidecar.values, host.live, "seed {seed}");
        assert_eq!(sidecar.count, host.live.len() as i64, "seed {seed}");
        // Draining: every match ends and the books come to zero.
        host.live.clear();
        for _ in 0..4 {
            host.sync(&mut sidecar, true);
            sidecar.show(usize::MAX);
        }
        assert_eq!((sidecar.count, sidecar.values.len()), (0, 0), "seed {seed}");
        assert!(host.ledger.is_settled(), "seed {seed}");
    }
}
