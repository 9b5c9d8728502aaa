use super::*;
use gamehost_model::{Endpoint, GameSession, GameSessionStatus, Timestamp};

fn session(
    id: &str,
    name: &str,
    max: u32,
    held: u32,
    created: i64,
    mode: Option<&str>,
) -> SeatedGameSession {
    SeatedGameSession {
        game_session: GameSession {
            game_session_id: id.into(),
            name: name.into(),
            fleet_id: "arena".into(),
            game_server_name: "gs".into(),
            maximum_player_session_count: max,
            status: GameSessionStatus::Active,
            status_reason: None,
            game_properties: mode
                .map(|m| vec![gamehost_model::GameProperty::new("mode", m)])
                .unwrap_or_default(),
            game_session_data: String::new(),
            matchmaker_data: String::new(),
            player_session_creation_policy: CreationPolicy::AcceptAll,
            endpoint: Endpoint::default(),
            creation_time: Timestamp::from_millis(created),
            termination_time: None,
            backfill: None,
            creator_id: String::new(),
        },
        player_sessions_held: held,
    }
}

fn sessions() -> Vec<SeatedGameSession> {
    vec![
        session("a", "Matt's game", 10, 10, 3_000, Some("brawl")),
        session("b", "casual", 4, 1, 1_000, Some("ranked")),
        session("c", "ranked 2", 12, 0, 2_000, None),
    ]
}

fn ids(sessions: &[SeatedGameSession]) -> Vec<&str> {
    sessions
        .iter()
        .map(|s| s.game_session.game_session_id.as_str())
        .collect()
}

#[test]
fn filters_select_as_gamelift_documents() {
    let cases = [
        (
            "maximumSessions>=10 AND hasAvailablePlayerSessions=true",
            vec!["c"],
        ),
        ("gameSessionName = 'Matt\\'s game'", vec!["a"]),
        (
            "gameSessionProperties.mode = 'brawl' OR gameSessionProperties.mode = \"ranked\"",
            vec!["a", "b"],
        ),
        ("gameSessionProperties.mode <> 'brawl'", vec!["b"]),
        ("NOT gameSessionProperties.mode = 'brawl'", vec!["b", "c"]),
        (
            "playerSessionCount > 0 and (maximumSessions < 5 or gameSessionId = 'a')",
            vec!["a", "b"],
        ),
        ("creationTimeMillis <= 2000", vec!["b", "c"]),
        ("hasAvailablePlayerSessions = false", vec!["a"]),
        (
            "NOT (gameSessionId = 'a' OR gameSessionId = 'b')",
            vec!["c"],
        ),
        (
            "gameSessionId != 'c' AND NOT NOT maximumSessions > 4",
            vec!["a"],
        ),
    ];
    for (expression, expected) in cases {
        let filter = parse_filter(expression).unwrap_or_else(|e| panic!("{expression}: {e}"));
        let matched: Vec<SeatedGameSession> = sessions()
            .into_iter()
            .filter(|s| filter.matches(s))
            .collect();
        assert_eq!(ids(&matched), expected, "{expression}");
    }
}

#[test]
fn a_malformed_filter_is_refused_at_its_position() {
    let cases = [
        ("", 1, "expected an operand"),
        ("maximumSessions", 16, "expected a comparison"),
        ("maximumSessions >", 18, "expected a value"),
        ("players = 2", 1, "\"players\" is not an operand"),
        ("gameSessionName = 'open", 19, "a string is not closed"),
        ("(maximumSessions = 2", 21, "expected ')'"),
        (
            "maximumSessions = 2 maximumSessions = 3",
            21,
            "expected AND, OR or the end",
        ),
        ("maximumSessions ! 2", 17, "'!' must be followed by '='"),
        ("maximumSessions = 2 # 3", 21, "unexpected '#'"),
        ("maximumSessions = 1.2.3", 19, "\"1.2.3\" is not a number"),
    ];
    for (expression, position, words) in cases {
        let error = parse_filter(expression).expect_err(expression);
        assert_eq!(error.position, position, "{expression}: {error}");
        assert!(error.to_string().contains(words), "{expression}: {error}");
    }
    let long = "x".repeat(MAX_EXPRESSION_BYTES + 1);
    assert!(parse_filter(&long).is_err());
}

#[test]
fn sorts_order_and_put_sessions_without_the_value_last() {
    let cases = [
        ("creationTimeMillis ASC", vec!["b", "c", "a"]),
        ("creationTimeMillis desc", vec!["a", "c", "b"]),
        ("playerSessionCount DESC", vec!["a", "b", "c"]),
        ("gameSessionProperties.mode ASC", vec!["a", "b", "c"]),
        ("gameSessionProperties.mode DESC", vec!["b", "a", "c"]),
        ("gameSessionName ASC", vec!["a", "b", "c"]),
    ];
    for (expression, expected) in cases {
        let sort = parse_sort(expression).unwrap_or_else(|e| panic!("{expression}: {e}"));
        let mut sorted = sessions();
        sort.apply(&mut sorted);
        assert_eq!(ids(&sorted), expected, "{expression}");
    }
    let refused = [
        ("", 1),
        ("creationTimeMillis", 19),
        ("creationTimeMillis UP", 20),
        ("creationTimeMillis ASC extra", 24),
        ("colour ASC", 1),
    ];
    for (expression, position) in refused {
        let error = parse_sort(expression).expect_err(expression);
        assert_eq!(error.position, position, "{expression}: {error}");
    }
}
