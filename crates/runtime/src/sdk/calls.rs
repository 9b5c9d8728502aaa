//! Counts of SDK calls per function: the conformance record and a metric.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

macro_rules! sdk_functions {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// Every function of the SDK (the interfaces the `game-server` world
        /// imports), as named in WIT; a test checks the list against the WIT.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum SdkFunction {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl SdkFunction {
            /// Every SDK function.
            pub const ALL: &'static [SdkFunction] = &[$(SdkFunction::$variant),*];

            /// The function's WIT name, `interface.function`.
            pub fn name(self) -> &'static str {
                match self {
                    $(SdkFunction::$variant => $name,)*
                }
            }
        }
    };
}

sdk_functions! {
    Ready => "lifecycle.ready",
    Health => "lifecycle.health",
    Reserve => "lifecycle.reserve",
    Allocate => "lifecycle.allocate",
    Shutdown => "lifecycle.shutdown",
    GetGameServer => "configuration.get-game-server",
    WatchGameServer => "configuration.watch-game-server",
    SetLabel => "metadata.set-label",
    SetAnnotation => "metadata.set-annotation",
    GetCounterCount => "counters.get-counter-count",
    SetCounterCount => "counters.set-counter-count",
    IncrementCounter => "counters.increment-counter",
    DecrementCounter => "counters.decrement-counter",
    GetCounterCapacity => "counters.get-counter-capacity",
    SetCounterCapacity => "counters.set-counter-capacity",
    GetCounter => "counters.get-counter",
    UpdateCounter => "counters.update-counter",
    AppendListValue => "lists.append-list-value",
    DeleteListValue => "lists.delete-list-value",
    GetListValues => "lists.get-list-values",
    ListContains => "lists.list-contains",
    GetListLength => "lists.get-list-length",
    GetListCapacity => "lists.get-list-capacity",
    SetListCapacity => "lists.set-list-capacity",
    GetList => "lists.get-list",
    UpdateList => "lists.update-list",
    PlayerConnect => "players.player-connect",
    PlayerDisconnect => "players.player-disconnect",
    SetPlayerCapacity => "players.set-player-capacity",
    GetPlayerCapacity => "players.get-player-capacity",
    GetPlayerCount => "players.get-player-count",
    IsPlayerConnected => "players.is-player-connected",
    GetConnectedPlayers => "players.get-connected-players",
    InitSdk => "process.init-sdk",
    ProcessReady => "process.process-ready",
    ProcessEnding => "process.process-ending",
    GetTerminationTime => "process.get-termination-time",
    GetSdkVersion => "process.get-sdk-version",
    GetComputeCertificate => "process.get-compute-certificate",
    GetFleetRoleCredentials => "process.get-fleet-role-credentials",
    Destroy => "process.destroy",
    ActivateGameSession => "sessions.activate-game-session",
    TerminateGameSession => "sessions.terminate-game-session",
    GetGameSessionId => "sessions.get-game-session-id",
    UpdatePlayerSessionCreationPolicy => "sessions.update-player-session-creation-policy",
    AcceptPlayerSession => "sessions.accept-player-session",
    RemovePlayerSession => "sessions.remove-player-session",
    DescribePlayerSessions => "sessions.describe-player-sessions",
    StartMatchBackfill => "sessions.start-match-backfill",
    StopMatchBackfill => "sessions.stop-match-backfill",
    Log => "logging.log",
    Send => "gateway.send",
    SendMany => "gateway.send-many",
    Broadcast => "gateway.broadcast",
    Disconnect => "gateway.disconnect",
    Connected => "gateway.connected",
}

/// How many times each SDK function of one game server was called: shared
/// between the game server's store and everyone reading it, and readable
/// after it ended.
#[derive(Clone, Debug)]
pub struct SdkCalls(Arc<Counts>);

#[derive(Debug)]
struct Counts {
    game_server: Arc<str>,
    counts: [AtomicU64; SdkFunction::ALL.len()],
}

impl SdkCalls {
    /// No calls yet of game server `game_server`'s SDK.
    pub fn new(game_server: Arc<str>) -> Self {
        Self(Arc::new(Counts {
            game_server,
            counts: [const { AtomicU64::new(0) }; SdkFunction::ALL.len()],
        }))
    }

    /// Counts one call, and traces it at debug level (target `gamehost::sdk`)
    /// with the game server and the function.
    #[inline]
    pub fn count(&self, function: SdkFunction) {
        self.0.counts[function as usize].fetch_add(1, Ordering::Relaxed);
        tracing::debug!(
            game_server = &*self.0.game_server,
            function = function.name(),
            "sdk call"
        );
    }

    /// How many times `function` was called.
    pub fn of(&self, function: SdkFunction) -> u64 {
        self.0.counts[function as usize].load(Ordering::Relaxed)
    }

    /// Calls of every function.
    pub fn iter(&self) -> impl Iterator<Item = (SdkFunction, u64)> + '_ {
        SdkFunction::ALL.iter().map(|f| (*f, self.of(*f)))
    }

    /// All calls.
    pub fn total(&self) -> u64 {
        self.iter().map(|(_, n)| n).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::captured::Captured;

    #[test]
    fn a_call_is_counted_and_traced_at_debug_with_its_game_server_and_function() {
        let calls = SdkCalls::new("arena-1".into());
        for (level, traced) in [(tracing::Level::INFO, false), (tracing::Level::DEBUG, true)] {
            let log = Captured::default();
            tracing::subscriber::with_default(log.subscriber(level), || {
                calls.count(SdkFunction::IncrementCounter);
            });
            let text = log.text();
            let line = text.lines().find(|l| l.contains("sdk call"));
            assert_eq!(line.is_some(), traced, "at {level}: {text}");
            if let Some(line) = line {
                assert!(line.contains("game_server=\"arena-1\""), "{line}");
                assert!(
                    line.contains("function=\"counters.increment-counter\""),
                    "{line}"
                );
            }
        }
        assert_eq!(calls.of(SdkFunction::IncrementCounter), 2);
        assert_eq!(calls.total(), 2);
    }

    /// The functions of the interfaces the `game-server` world imports, as
    /// `interface.function`, read from the WIT files.
    fn functions_in_wit() -> Vec<String> {
        let wit = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../wit");
        let mut text = String::new();
        for entry in std::fs::read_dir(&wit).expect("reading wit/") {
            let path = entry.expect("a wit/ entry").path();
            if path.extension().is_some_and(|e| e == "wit") {
                text += &std::fs::read_to_string(&path).expect("reading a WIT file");
            }
        }
        let mut imports = Vec::new();
        let mut functions = Vec::new();
        let mut block = "";
        for line in text.lines().map(str::trim) {
            if let Some(name) = line
                .strip_prefix("interface ")
                .or(line.strip_prefix("world "))
            {
                block = name.trim_end_matches(" {").trim();
            } else if block == "game-server"
                && let Some(import) = line.strip_prefix("import ")
            {
                imports.push(import.trim_end_matches(';').to_owned());
            } else if let Some((name, _)) = line.split_once(": func(") {
                functions.push(format!("{block}.{name}"));
            }
        }
        functions.retain(|f| imports.iter().any(|i| f.starts_with(&format!("{i}."))));
        functions.sort();
        functions
    }

    #[test]
    fn the_list_is_every_function_the_world_imports() {
        let mut listed: Vec<String> = SdkFunction::ALL
            .iter()
            .map(|f| f.name().to_owned())
            .collect();
        listed.sort();
        let in_wit = functions_in_wit();
        assert!(in_wit.len() > 50, "the WIT was read: {in_wit:?}");
        assert_eq!(listed, in_wit);
    }
}
