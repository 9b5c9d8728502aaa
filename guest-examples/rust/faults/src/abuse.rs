//! Misuse of the SDK that must be refused with an error, never a trap:
//! huge strings and lists passed to every SDK import that takes them,
//! GameLift calls before `init-sdk`, and reaching for another game server's
//! game session, player sessions and players.
//!
//! Each probe tallies the calls it made and names those that did not fail.

use gamehost_guest::counters::CounterUpdate;
use gamehost_guest::lists::ListUpdate;
use gamehost_guest::process::{FleetRoleCredentialsRequest, ProcessParameters};
use gamehost_guest::sessions::{
    DescribePlayerSessionsRequest, MatchmakingPlayer, StartMatchBackfillRequest,
    StopMatchBackfillRequest,
};
use gamehost_guest::types::{KeyValue, PlayerSessionCreationPolicy};
use gamehost_guest::{
    counters, info, kv, lifecycle, lists, logging, metadata, players, process, sessions,
};

/// The calls a probe made and the names of those that succeeded.
#[derive(Default)]
pub struct Tally {
    calls: u32,
    accepted: Vec<&'static str>,
}

impl Tally {
    fn call<T, E>(&mut self, name: &'static str, result: Result<T, E>) {
        self.calls += 1;
        if result.is_ok() {
            self.accepted.push(name);
        }
    }

    /// Logs the tally as `message` with the fields `calls` and `accepted`.
    pub fn log(&self, message: &str) {
        info(
            message,
            &[
                kv("calls", self.calls),
                kv("accepted", self.accepted.join(",")),
            ],
        );
    }
}

/// A describe request for one of the ids.
fn describe(
    game_session_id: Option<String>,
    player_session_id: Option<String>,
    player_id: Option<String>,
) -> DescribePlayerSessionsRequest {
    DescribePlayerSessionsRequest {
        game_session_id,
        player_session_id,
        player_id,
        player_session_status_filter: None,
        limit: None,
        next_token: None,
    }
}

/// Passes `size` bytes of text (and lists of `count` items) to every SDK
/// import that takes a string or a list.
pub fn huge_arguments(size: usize, count: usize) -> Tally {
    let big = "x".repeat(size);
    let many: Vec<String> = (0..count).map(|i| format!("v{i}")).collect();
    let mut t = Tally::default();
    t.call("set-label key", metadata::set_label(&big, "v"));
    t.call("set-label value", metadata::set_label("k", &big));
    t.call("set-annotation key", metadata::set_annotation(&big, "v"));
    t.call("set-annotation value", metadata::set_annotation("k", &big));
    t.call("get-counter-count", counters::get_counter_count(&big));
    t.call("set-counter-count", counters::set_counter_count(&big, 1));
    t.call("increment-counter", counters::increment_counter(&big, 1));
    t.call("decrement-counter", counters::decrement_counter(&big, 1));
    t.call("get-counter-capacity", counters::get_counter_capacity(&big));
    t.call(
        "set-counter-capacity",
        counters::set_counter_capacity(&big, 1),
    );
    t.call("get-counter", counters::get_counter(&big));
    let update = CounterUpdate {
        capacity: None,
        count: None,
        count_diff: 1,
    };
    t.call("update-counter", counters::update_counter(&big, update));
    t.call("append-list-value key", lists::append_list_value(&big, "v"));
    t.call(
        "append-list-value value",
        lists::append_list_value("players", &big),
    );
    t.call(
        "delete-list-value",
        lists::delete_list_value("players", &big),
    );
    t.call("get-list-values", lists::get_list_values(&big));
    t.call("list-contains", lists::list_contains("players", &big));
    t.call("get-list-length", lists::get_list_length(&big));
    t.call("get-list-capacity", lists::get_list_capacity(&big));
    t.call("set-list-capacity", lists::set_list_capacity(&big, 1));
    t.call("get-list", lists::get_list(&big));
    let update = ListUpdate {
        capacity: None,
        values: Some(many.clone()),
    };
    t.call("update-list values", lists::update_list("players", &update));
    let update = ListUpdate {
        capacity: None,
        values: Some(vec![big.clone()]),
    };
    t.call("update-list value", lists::update_list("players", &update));
    t.call("player-connect", players::player_connect(&big));
    let disconnected = players::player_disconnect(&big)
        .map_err(drop)
        .and_then(bool_result);
    t.call("player-disconnect", disconnected);
    t.call(
        "is-player-connected",
        bool_result(players::is_player_connected(&big)),
    );
    t.call(
        "accept-player-session",
        sessions::accept_player_session(&big),
    );
    t.call(
        "remove-player-session",
        sessions::remove_player_session(&big),
    );
    let request = describe(Some(big.clone()), None, None);
    t.call(
        "describe-player-sessions",
        sessions::describe_player_sessions(&request),
    );
    let request = describe(None, None, Some(big.clone()));
    t.call(
        "describe-player-sessions player",
        sessions::describe_player_sessions(&request),
    );
    let request = FleetRoleCredentialsRequest {
        role_arn: big.clone(),
        role_session_name: Some(big.clone()),
    };
    t.call(
        "get-fleet-role-credentials",
        process::get_fleet_role_credentials(&request),
    );
    let players: Vec<MatchmakingPlayer> = many
        .iter()
        .map(|id| MatchmakingPlayer {
            player_id: id.clone(),
            team: Some(big[..64].to_owned()),
            player_attributes: vec![(big[..64].to_owned(), big[..64].to_owned())],
            latency_in_ms: vec![(big[..64].to_owned(), 1)],
        })
        .collect();
    let request = StartMatchBackfillRequest {
        ticket_id: Some(big.clone()),
        matchmaking_configuration_arn: big.clone(),
        game_session_arn: big.clone(),
        players,
    };
    t.call(
        "start-match-backfill",
        sessions::start_match_backfill(&request),
    );
    let request = StopMatchBackfillRequest {
        ticket_id: big.clone(),
        matchmaking_configuration_arn: big.clone(),
        game_session_arn: big.clone(),
    };
    t.call(
        "stop-match-backfill",
        sessions::stop_match_backfill(&request),
    );
    let fields: Vec<KeyValue> = many.iter().map(|v| kv(v, &big[..1024])).collect();
    logging::log(logging::Level::Info, &big, &fields);
    t
}

/// A call that cannot fail, counted as accepted only when it says yes.
fn bool_result(yes: bool) -> Result<(), ()> {
    if yes { Ok(()) } else { Err(()) }
}

/// GameLift calls that need `init-sdk` (made before it) or a game session
/// (there is none), and Agones calls with values out of range.
pub fn wrong_state() -> Tally {
    let mut t = Tally::default();
    t.call("activate-game-session", sessions::activate_game_session());
    t.call("terminate-game-session", sessions::terminate_game_session());
    t.call("get-game-session-id", sessions::get_game_session_id());
    let policy = PlayerSessionCreationPolicy::DenyAll;
    t.call(
        "update-player-session-creation-policy",
        sessions::update_player_session_creation_policy(policy),
    );
    t.call(
        "accept-player-session",
        sessions::accept_player_session("ps-1"),
    );
    t.call(
        "remove-player-session",
        sessions::remove_player_session("ps-1"),
    );
    let request = describe(None, Some("ps-1".into()), None);
    t.call(
        "describe-player-sessions",
        sessions::describe_player_sessions(&request),
    );
    t.call("get-termination-time", process::get_termination_time());
    t.call(
        "get-compute-certificate",
        process::get_compute_certificate(),
    );
    t.call("destroy", process::destroy());
    t.call("process-ending", process::process_ending());
    t.call(
        "set-counter-count",
        counters::set_counter_count("undeclared", 1),
    );
    t.call("set-player-capacity", players::set_player_capacity(-1));
    t.call(
        "set-list-capacity",
        lists::set_list_capacity("undeclared", 5000),
    );
    process::init_sdk().expect("init-sdk");
    let port = ProcessParameters { port: 0 };
    process::process_ready(port).expect("process-ready");
    t.call("activate-game-session", sessions::activate_game_session());
    t.call("terminate-game-session", sessions::terminate_game_session());
    t.call(
        "accept-player-session",
        sessions::accept_player_session("ps-1"),
    );
    let _ = lifecycle::health();
    t
}

/// Reaches for another game server's game session, player session and
/// player, named by the labels the test gives this one.
pub fn trespass(game_session_id: &str, player_session_id: &str, player_id: &str) -> Tally {
    let mut t = Tally::default();
    t.call(
        "accept-player-session",
        sessions::accept_player_session(player_session_id),
    );
    t.call(
        "remove-player-session",
        sessions::remove_player_session(player_session_id),
    );
    let by_session = describe(Some(game_session_id.into()), None, None);
    let found = sessions::describe_player_sessions(&by_session)
        .map_err(drop)
        .and_then(|page| non_empty(page.player_sessions.len()));
    t.call("describe its game session", found);
    let by_id = describe(None, Some(player_session_id.into()), None);
    let found = sessions::describe_player_sessions(&by_id)
        .map_err(drop)
        .and_then(|page| non_empty(page.player_sessions.len()));
    t.call("describe its player session", found);
    let by_player = describe(None, None, Some(player_id.into()));
    let found = sessions::describe_player_sessions(&by_player)
        .map_err(drop)
        .and_then(|page| non_empty(page.player_sessions.len()));
    t.call("describe its player", found);
    t.call(
        "is-player-connected",
        bool_result(players::is_player_connected(player_id)),
    );
    let disconnected = players::player_disconnect(player_id)
        .map_err(drop)
        .and_then(bool_result);
    t.call("player-disconnect", disconnected);
    t.call(
        "get-game-session-id is its",
        bool_result(sessions::get_game_session_id().is_ok_and(|id| id == game_session_id)),
    );
    t
}

fn non_empty(len: usize) -> Result<(), ()> {
    bool_result(len > 0)
}
