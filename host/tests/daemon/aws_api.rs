//! GameLift's service API for the AWS SDKs (`POST /`, AWS JSON 1.1): the
//! protocol's own answers over HTTP, and (in the full tier) boto3 and the
//! AWS CLI, unchanged, pointed at the daemon.

use gamehost::aws::OPERATIONS;
use gamehost_tests::daemon::Daemon;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Sends `body` to GameLift's `operation`, unsigned; returns the status and
/// the JSON answer.
async fn call(daemon: &Daemon, operation: &str, body: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(daemon.url("/"))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", format!("GameLift.{operation}"))
        .body(body.to_owned())
        .send()
        .await
        .expect("POST /");
    let status = response.status();
    let content_type = response.headers()["content-type"].clone();
    assert_eq!(content_type, "application/x-amz-json-1.1", "{operation}");
    (status, response.json().await.expect("a JSON answer"))
}

#[tokio::test]
async fn the_protocol_names_what_it_cannot_serve() {
    let daemon = crate::daemon().await;
    // (case, operation, body, status, exception, words of the message)
    let cases = [
        (
            "an operation not served",
            "CreateBuild",
            "{}",
            400,
            "UnknownOperationException",
            "GameLift.CreateBuild",
        ),
        (
            "a body that is not JSON",
            "ListFleets",
            "{",
            400,
            "SerializationException",
            "EOF",
        ),
        (
            "a wrong member type",
            "ListFleets",
            r#"{"Limit": "ten"}"#,
            400,
            "SerializationException",
            "Limit",
        ),
        (
            "neither fleet nor alias",
            "CreateGameSession",
            r#"{"MaximumPlayerSessionCount": 2}"#,
            400,
            "InvalidRequestException",
            "FleetId",
        ),
        (
            "an unknown fleet",
            "DescribeGameSessions",
            r#"{"FleetId": "fleet-nowhere"}"#,
            400,
            "NotFoundException",
            "fleet-nowhere",
        ),
        (
            "an unknown status",
            "DescribePlayerSessions",
            r#"{"PlayerId": "p", "PlayerSessionStatusFilter": "DONE"}"#,
            400,
            "InvalidRequestException",
            "DONE",
        ),
        (
            "a location",
            "DescribeGameSessions",
            r#"{"GameSessionId": "x", "Location": "us-west-2"}"#,
            400,
            "InvalidRequestException",
            "Location",
        ),
        (
            "a game session that does not exist",
            "DescribeGameSessions",
            r#"{"GameSessionId": "gsess-none"}"#,
            400,
            "NotFoundException",
            "gsess-none",
        ),
    ];
    for (case, operation, body, status, exception, words) in cases {
        let (got, answer) = call(&daemon, operation, body).await;
        assert_eq!(got.as_u16(), status, "{case}: {answer}");
        assert_eq!(answer["__type"], exception, "{case}: {answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(words),
            "{case}: {message:?} names {words:?}"
        );
    }
    let (_, empty) = call(&daemon, "ListFleets", "").await;
    assert_eq!(
        empty,
        json!({"FleetIds": []}),
        "an empty body reads as {{}}"
    );
}

#[tokio::test]
async fn every_operation_listed_is_served() {
    let daemon = crate::daemon().await;
    for operation in OPERATIONS {
        let (_, answer) = call(&daemon, operation, "{}").await;
        assert_ne!(
            answer["__type"], "UnknownOperationException",
            "{operation}: {answer}"
        );
    }
}

#[tokio::test]
async fn with_a_token_requests_must_be_signed_and_the_bearer_token_is_not_enough() {
    let daemon = crate::daemon_with(Some("s3cret"), &[]).await;
    let (status, answer) = call(&daemon, "ListFleets", "{}").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(answer["__type"], "UnauthorizedException", "{answer}");
    let bearer = daemon
        .request(reqwest::Method::POST, "/")
        .header("x-amz-target", "GameLift.ListFleets")
        .body("{}")
        .send()
        .await
        .expect("POST /");
    assert_eq!(bearer.status(), StatusCode::FORBIDDEN);
}

/// boto3 and the AWS CLI, as installed by `./scripts/setup`.
#[cfg(feature = "full")]
pub(crate) mod clients {
    use gamehost_tests::aws;
    use gamehost_tests::daemon::{Daemon, arena_template};
    use serde_json::{Value, json};
    use std::process::Command;

    /// The secret requests are signed with.
    pub(crate) const SECRET: &str = "s3cret-for-sigv4";

    /// Runs `command` to its end off the runtime's workers; returns its
    /// stdout, failing the test with its output when it fails.
    pub(crate) async fn run(mut command: Command) -> String {
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .expect("the client's run")
            .expect("starting the client");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "the client failed:\n{stdout}\n{stderr}"
        );
        stdout
    }

    /// A daemon requiring [`SECRET`] with the example game mode deployed
    /// as the fleet `arena`, two game servers Ready.
    async fn arena() -> Daemon {
        let daemon = crate::daemon_with(Some(SECRET), &[]).await;
        daemon.deploy_arena(2).await;
        daemon
    }

    /// Runs the boto3 script `script` of `tests/aws/` against `daemon` with
    /// `args` after the endpoint and the secret; it must pass every check,
    /// every answer matching GameLift's model.
    async fn run_script(daemon: &Daemon, script: &str, args: &[&str]) {
        let mut command = Command::new(aws::python());
        command
            .arg(aws::script(script))
            .args([daemon.url("").as_str(), SECRET])
            .args(args);
        let printed = run(command).await;
        assert!(
            printed.contains("answers match GameLift's model"),
            "{printed}"
        );
        assert!(printed.contains("every check passed"), "{printed}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_game_backend_with_boto3() {
        let daemon = arena().await;
        for (fleet, replicas) in [("practice", 0), ("limited", 1)] {
            let template = arena_template(json!({}));
            daemon
                .deploy(fleet, gamehost_guests::ARENA, replicas, template)
                .await;
        }
        let policy = json!({"resourceCreationLimitPolicy":
            {"newGameSessionsPerCreator": 1, "policyPeriodInMinutes": 15}});
        let (status, body) = daemon.patch("/v1/fleets/limited", &policy).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        daemon.ready_game_servers("limited", 1).await;
        run_script(
            &daemon,
            "game_backend.py",
            &["arena", "practice", "limited"],
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn fleetiq_with_boto3() {
        let daemon = arena().await;
        run_script(&daemon, "fleetiq.py", &["arena"]).await;
    }

    /// Tokens of the tokens file signing with boto3: a `sessions` token and
    /// a `read` token made to sign, under their names, each within its
    /// scopes; a token not made to sign refused; the audit log naming the
    /// token that signed each change.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn scoped_tokens_sign_with_boto3() {
        use gamehost::tokens::{self, Credential, Scope};
        let backend = tokens::generate().expect("a token");
        let dash = tokens::generate().expect("a token");
        let signing = |name: &str, token: &str, scope: Scope| {
            Credential::new(name, token, vec![scope])
                .signing_aws(token)
                .expect("a generated token signs")
        };
        let credentials = vec![
            signing("backend", &backend, Scope::Sessions),
            signing("dash", &dash, Scope::Read),
            Credential::new("ci", "ci-token", vec![Scope::Deploy]),
        ];
        let auth = gamehost::api::Auth::new(Some(SECRET), credentials);
        let daemon = crate::daemon_with_auth(auth, Some(SECRET), &[]).await;
        daemon.deploy_arena(1).await;
        let mut command = Command::new(aws::python());
        command.arg(aws::script("scoped.py")).args([
            daemon.url("").as_str(),
            "arena",
            "backend",
            &backend,
            "dash",
            &dash,
            "ci",
        ]);
        let printed = run(command).await;
        assert!(printed.contains("every check passed"), "{printed}");
        let page = daemon.get_ok("/v1/audit").await;
        let changes: Vec<(String, String, u64)> = page["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| {
                e["action"]
                    .as_str()
                    .is_some_and(|a| a.starts_with("GameLift."))
            })
            .map(|e| {
                (
                    e["who"].as_str().unwrap_or_default().to_owned(),
                    e["action"].as_str().unwrap_or_default().to_owned(),
                    e["status"].as_u64().unwrap_or_default(),
                )
            })
            .collect();
        let expected = [
            ("backend", "GameLift.CreateGameSession", 200),
            ("backend", "GameLift.CreatePlayerSession", 200),
            ("dash", "GameLift.CreateGameSession", 400),
            ("dash", "GameLift.UpdateGameSession", 400),
            ("unauthenticated", "GameLift.CreateGameSession", 403),
        ];
        let expected: Vec<(String, String, u64)> = expected
            .iter()
            .map(|(w, a, s)| ((*w).into(), (*a).into(), *s))
            .collect();
        assert_eq!(changes, expected, "{page}");
    }

    /// Runs `aws gamelift ARGS` against the daemon; returns its JSON output.
    async fn aws_cli(url: &str, args: &[&str]) -> Value {
        let mut command = Command::new(aws::cli());
        command
            .args([
                "gamelift",
                "--endpoint-url",
                url,
                "--region",
                "us-east-1",
                "--output",
                "json",
            ])
            .args(args)
            .env("AWS_ACCESS_KEY_ID", "gamehost")
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        let printed = run(command).await;
        serde_json::from_str(&printed).unwrap_or_else(|e| panic!("{e}: {printed}"))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_operator_with_the_aws_cli() {
        let daemon = arena().await;
        let url = daemon.url("");
        let created = aws_cli(
            &url,
            &[
                "create-game-session",
                "--fleet-id",
                "fleet-arena",
                "--maximum-player-session-count",
                "2",
                "--game-properties",
                "Key=mode,Value=casual",
            ],
        )
        .await;
        let session = &created["GameSession"];
        assert_eq!(session["FleetId"], "arena", "{created}");
        assert_eq!(
            session["GameProperties"],
            json!([{"Key": "mode", "Value": "casual"}])
        );
        let id = session["GameSessionId"].as_str().expect("an id");
        let listed = aws_cli(&url, &["describe-game-sessions", "--fleet-id", "arena"]).await;
        assert_eq!(listed["GameSessions"][0]["GameSessionId"], id, "{listed}");
        let fleets = aws_cli(&url, &["list-fleets"]).await;
        assert_eq!(fleets["FleetIds"], json!(["arena"]), "{fleets}");
    }
}
