//! The in-place update over a fake fleet: what each game server runs after
//! it, and why it failed.

use super::*;
use std::collections::BTreeMap;
use std::sync::Mutex;

const FROM: &str = "module-v1";
const TO: &str = "module-v2";

/// A fleet of game servers by name, each running a module.
#[derive(Default)]
struct FakeFleet {
    runs: Mutex<BTreeMap<String, String>>,
    /// Game servers that refuse to switch to a module: (server, module).
    refusing: Vec<(&'static str, &'static str)>,
    /// A module that does not load: no game server switches to it.
    unloadable: Option<&'static str>,
    /// Game servers that end when asked to switch.
    ended: Vec<&'static str>,
    /// Whether the controller starts another game server of the old
    /// version each time the update looks for pending ones.
    keeps_starting_old: bool,
}

impl FakeFleet {
    fn of(names: &[&str]) -> Self {
        let runs = names.iter().map(|n| (n.to_string(), FROM.to_owned()));
        Self {
            runs: Mutex::new(runs.collect()),
            ..Self::default()
        }
    }

    fn running(&self) -> BTreeMap<String, String> {
        self.runs.lock().unwrap().clone()
    }
}

impl FleetServers for FakeFleet {
    type Server = String;

    fn name(server: &String) -> &str {
        server
    }

    fn not_on(&self, module: &str) -> Vec<String> {
        let mut runs = self.runs.lock().unwrap();
        if self.keeps_starting_old {
            let name = format!("gs-new-{}", runs.len());
            runs.insert(name, FROM.to_owned());
        }
        runs.iter()
            .filter(|(_, m)| *m != module)
            .map(|(n, _)| n.clone())
            .collect()
    }

    async fn switch(&self, server: &String, module: &str) -> Result<(), NotSwitched> {
        if self.ended.contains(&server.as_str()) {
            self.runs.lock().unwrap().remove(server);
            return Err(NotSwitched::Ended);
        }
        if self.unloadable == Some(module) {
            return Err(NotSwitched::Refused(format!(
                "module {module} does not load"
            )));
        }
        if self.refusing.contains(&(server.as_str(), module)) {
            return Err(NotSwitched::Refused("the hand-off was refused".into()));
        }
        self.runs
            .lock()
            .unwrap()
            .insert(server.clone(), module.to_owned());
        Ok(())
    }
}

fn all_on(fleet: &FakeFleet, module: &str) -> bool {
    fleet.running().values().all(|m| m == module)
}

#[tokio::test]
async fn every_game_server_switches_and_the_update_succeeds() {
    let fleet = FakeFleet::of(&["gs-a", "gs-b", "gs-c"]);
    assert_eq!(switch_in_place(&fleet, FROM, TO).await, None);
    assert!(all_on(&fleet, TO), "{:?}", fleet.running());
}

#[tokio::test]
async fn a_game_server_that_ended_meanwhile_does_not_fail_the_update() {
    let fleet = FakeFleet {
        ended: vec!["gs-b"],
        ..FakeFleet::of(&["gs-a", "gs-b"])
    };
    assert_eq!(switch_in_place(&fleet, FROM, TO).await, None);
    assert_eq!(fleet.running().keys().collect::<Vec<_>>(), ["gs-a"]);
    assert!(all_on(&fleet, TO));
}

#[tokio::test]
async fn a_refusal_switches_the_others_back_and_fails_the_update() {
    let fleet = FakeFleet {
        refusing: vec![("gs-c", TO)],
        ..FakeFleet::of(&["gs-a", "gs-b", "gs-c"])
    };
    let failure = switch_in_place(&fleet, FROM, TO).await.expect("a failure");
    assert_eq!(failure, "game server gs-c: the hand-off was refused");
    assert!(all_on(&fleet, FROM), "{:?}", fleet.running());
}

#[tokio::test]
async fn game_servers_still_on_the_old_version_after_the_last_pass_fail_the_update() {
    let fleet = FakeFleet {
        keeps_starting_old: true,
        ..FakeFleet::of(&["gs-a", "gs-b"])
    };
    let failure = switch_in_place(&fleet, FROM, TO).await.expect("a failure");
    assert!(
        failure.contains("still ran the old version after 3 passes"),
        "{failure}"
    );
    assert!(all_on(&fleet, FROM), "{:?}", fleet.running());
}

#[tokio::test]
async fn when_the_old_module_does_not_load_switched_game_servers_stay_on_the_new_one() {
    let fleet = FakeFleet {
        refusing: vec![("gs-c", TO)],
        unloadable: Some(FROM),
        ..FakeFleet::of(&["gs-a", "gs-b", "gs-c"])
    };
    let failure = switch_in_place(&fleet, FROM, TO).await.expect("a failure");
    assert!(
        failure.starts_with("game server gs-c: the hand-off was refused; could not switch back"),
        "{failure}"
    );
    assert!(
        failure.contains("gs-a (module module-v1 does not load)"),
        "{failure}"
    );
    let running = fleet.running();
    assert_eq!(
        running["gs-a"], TO,
        "gs-a runs the new version: {running:?}"
    );
    assert_eq!(running["gs-b"], TO);
    assert_eq!(running["gs-c"], FROM);
}
