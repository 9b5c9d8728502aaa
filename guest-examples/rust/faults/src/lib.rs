//! A guest that misbehaves on purpose, for the fault-isolation tests.
//!
//! The template label `fault` picks the misbehaviour and `fault-in` the export
//! it happens in (by default `on-start-game-session`):
//!
//! | `fault` | what happens |
//! |---|---|
//! | `trap` | panics, which traps |
//! | `loop` | loops forever |
//! | `memory` | allocates until memory runs out |
//! | `stack` | recurses until the stack overflows |
//! | `unhealthy` | `on-health-check` answers false |
//! | `ignore-terminate` | `on-process-terminate` does nothing |
//! | `never-ready` | `on-process-start` never declares readiness |
//! | `huge` | passes 1 MiB strings and 10,000-item lists to every SDK import that takes them, logs `huge arguments` |
//! | `wrong-state` | makes GameLift calls before `init-sdk` and without a game session, logs `wrong state` |
//! | `trespass` | reaches for the game session, player session and player named by the labels `victim-session`, `victim-player-session` and `victim-player`, logs `trespass` |
//! | `escape` | tries the file system, environment, arguments and network, reads its clocks, and logs what it got as `sandbox probe` |
//! | `refuse-state` | `restore-state` refuses the state handed over |
//!
//! It exports the hot-swap hand-off, so a fault can also happen in
//! `restore-state` (`fault-in` = `restore-state`).
//!
//! Without a label it is a well-behaved game mode: ready at start, activates
//! game sessions, accepts players, ends on terminate. The probes log how
//! many calls they made (`calls`) and which of them succeeded (`accepted`).

mod abuse;

use gamehost_guest::types::{GameServer, GameSession, UpdateGameSession};
use gamehost_guest::{Guest, configuration, info, kv, lifecycle, process, sessions};
use std::hint::black_box;

struct Faults;

gamehost_guest::export!(Faults);

mod handoff {
    wit_bindgen::generate!({
        path: "../../../wit",
        world: "game-mode-handoff",
    });

    struct Handoff;

    export!(Handoff);

    impl exports::gamehost::sdk::handoff::Guest for Handoff {
        fn save_state() -> Vec<u8> {
            b"faults".to_vec()
        }

        fn restore_state(_state: Vec<u8>) -> Result<(), String> {
            super::maybe_fault("restore-state");
            match super::fault().as_deref() {
                Some("refuse-state") => Err("the state is not one this version reads".to_owned()),
                _ => Ok(()),
            }
        }
    }
}

fn label(key: &str) -> Option<String> {
    let gs = configuration::get_game_server();
    gs.object_meta
        .labels
        .into_iter()
        .find(|l| l.key == key)
        .map(|l| l.value)
}

fn fault() -> Option<String> {
    label("fault")
}

/// Misbehaves if the template asks for it in `export`.
fn maybe_fault(export: &str) {
    let Some(fault) = fault() else { return };
    if label("fault-in")
        .as_deref()
        .unwrap_or("on-start-game-session")
        != export
    {
        return;
    }
    match fault.as_str() {
        "trap" => panic!("a deliberate trap in {export}"),
        "loop" => loop {
            black_box(0);
        },
        "memory" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(black_box(vec![1; 1 << 20]));
            }
        }
        "stack" => {
            black_box(recurse(0));
        }
        "escape" => probe_the_sandbox(),
        "huge" => abuse::huge_arguments(1 << 20, 10_000).log("huge arguments"),
        "trespass" => abuse::trespass(
            &label("victim-session").unwrap_or_default(),
            &label("victim-player-session").unwrap_or_default(),
            &label("victim-player").unwrap_or_default(),
        )
        .log("trespass"),
        _ => {}
    }
}

#[allow(
    unconditional_recursion,
    reason = "the `stack` fault overflows the stack on purpose"
)]
/// Tries to leave the sandbox and logs each outcome: an error, or what it
/// reached.
fn probe_the_sandbox() {
    fn outcome<T>(result: std::io::Result<T>, reached: impl Fn(T) -> String) -> String {
        result
            .map(reached)
            .unwrap_or_else(|e| format!("error: {e}"))
    }
    let listing = outcome(std::fs::read_dir("/"), |d| format!("{} entries", d.count()));
    let file = outcome(std::fs::read("/etc/hostname"), |b| {
        format!("{} bytes", b.len())
    });
    let connect = outcome(std::net::TcpStream::connect("127.0.0.1:22"), |_| {
        "connected".to_owned()
    });
    let listen = outcome(std::net::TcpListener::bind("0.0.0.0:0"), |_| {
        "listening".to_owned()
    });
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    info(
        "sandbox probe",
        &[
            kv("read-dir", listing),
            kv("read-file", file),
            kv("env", std::env::vars().count()),
            kv("args", std::env::args().count()),
            kv("connect", connect),
            kv("listen", listen),
            kv("wall-clock-nanos", wall),
            kv("monotonic-step-nanos", monotonic_step()),
        ],
    );
}

/// The first step the monotonic clock takes, in nanoseconds: its
/// resolution as the guest sees it; 0 if it did not move within 100,000
/// reads (a few milliseconds, well inside a call's deadline).
fn monotonic_step() -> u128 {
    let start = std::time::Instant::now();
    for _ in 0..100_000 {
        let step = start.elapsed();
        if !step.is_zero() {
            return step.as_nanos();
        }
    }
    0
}

#[allow(
    unconditional_recursion,
    reason = "the `stack` fault overflows the stack on purpose"
)]
fn recurse(depth: u64) -> u64 {
    let frame = black_box([depth; 32]);
    recurse(depth + 1) + frame[7]
}

impl Guest for Faults {
    fn on_process_start() {
        maybe_fault("on-process-start");
        match fault().as_deref() {
            Some("never-ready") => return,
            Some("wrong-state") => return abuse::wrong_state().log("wrong state"),
            _ => {}
        }
        process::init_sdk().expect("init-sdk");
        lifecycle::ready().expect("ready");
    }

    fn on_start_game_session(_session: GameSession) {
        maybe_fault("on-start-game-session");
        sessions::activate_game_session().expect("activate-game-session");
    }

    fn on_update_game_session(_update: UpdateGameSession) {
        maybe_fault("on-update-game-session");
    }

    fn on_process_terminate(_termination_time: i64) {
        maybe_fault("on-process-terminate");
        if fault().as_deref() != Some("ignore-terminate") {
            process::process_ending().expect("process-ending");
        }
    }

    fn on_health_check() -> bool {
        maybe_fault("on-health-check");
        fault().as_deref() != Some("unhealthy")
    }

    fn on_game_server_update(_game_server: GameServer) {}

    fn on_player_connect(player_session_id: String) -> Result<(), String> {
        maybe_fault("on-player-connect");
        sessions::accept_player_session(&player_session_id).map_err(|e| e.message)
    }

    fn on_player_message(_player_session_id: String, _message: Vec<u8>) {
        maybe_fault("on-player-message");
    }

    fn on_player_disconnect(player_session_id: String) {
        maybe_fault("on-player-disconnect");
        let _ = sessions::remove_player_session(&player_session_id);
    }
}
