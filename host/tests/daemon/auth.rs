//! The bearer token: required on every route but `/healthz` when set, and
//! required to listen beyond loopback.

use crate::GAMEHOST;
use reqwest::StatusCode;

#[tokio::test]
async fn requests_need_the_token() {
    let daemon = crate::daemon_with(Some("s3cret-token"), &[]).await;
    let client = reqwest::Client::new();
    let url = daemon.url("/v1/fleets");

    let missing = client.get(&url).send().await.expect("GET");
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = missing.json().await.expect("a JSON error");
    assert_eq!(body["error"]["code"], "UNAUTHORIZED", "{body}");

    let wrong = client
        .get(&url)
        .bearer_auth("s3cret-tokem")
        .send()
        .await
        .expect("GET");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = wrong.json().await.expect("a JSON error");
    assert_eq!(body["error"]["code"], "UNAUTHORIZED", "{body}");

    let (status, body) = daemon.get("/v1/fleets").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let health = client
        .get(daemon.url("/healthz"))
        .send()
        .await
        .expect("GET");
    assert_eq!(health.status(), StatusCode::OK);
}

#[test]
fn listening_beyond_loopback_needs_a_token() {
    let dir = gamehost_tests::temp_dir("gamehost-e2e");
    let output = std::process::Command::new(GAMEHOST)
        .args(["serve", "--listen", "0.0.0.0:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .env_remove("GAMEHOST_TOKEN")
        .output()
        .expect("running gamehost serve");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "it started: {stderr}");
    assert!(stderr.contains("GAMEHOST_TOKEN"), "{stderr}");
}

/// A daemon with the admin token `root-token` and three scoped tokens:
/// `ci` (deploy), `matchmaker` (sessions) and `dash` (read).
async fn scoped() -> gamehost_tests::daemon::Daemon {
    use gamehost::tokens::{Credential, Scope};
    let credentials = vec![
        Credential::new("ci", "ci-token", vec![Scope::Deploy]),
        Credential::new("matchmaker", "mm-token", vec![Scope::Sessions]),
        Credential::new("dash", "dash-token", vec![Scope::Read]),
    ];
    let auth = gamehost::api::Auth::new(Some("root-token"), credentials);
    crate::daemon_with_auth(auth, Some("root-token"), &[]).await
}

#[tokio::test]
async fn each_token_may_do_what_its_scopes_allow() {
    let daemon = scoped().await;
    let client = reqwest::Client::new();
    let fleet = serde_json::json!({"name": "f", "module": "nowhere@1"});
    let session = serde_json::json!({"maximumPlayerSessionCount": 2});
    // (token, method, path, body, allowed, the scope named when refused)
    let cases = [
        ("dash-token", "GET", "/v1/fleets", None, true, ""),
        ("dash-token", "GET", "/v1/gamesessions", None, true, ""),
        (
            "dash-token",
            "POST",
            "/v1/fleets",
            Some(&fleet),
            false,
            "`deploy`",
        ),
        ("mm-token", "GET", "/v1/gamesessions", None, true, ""),
        (
            "mm-token",
            "POST",
            "/v1/fleets/f/gamesessions",
            Some(&session),
            true,
            "",
        ),
        ("mm-token", "GET", "/v1/fleets", None, false, "`read`"),
        (
            "mm-token",
            "POST",
            "/v1/fleets",
            Some(&fleet),
            false,
            "`deploy`",
        ),
        ("ci-token", "POST", "/v1/fleets", Some(&fleet), true, ""),
        (
            "ci-token",
            "POST",
            "/v1/fleets/f/gamesessions",
            Some(&session),
            false,
            "`sessions`",
        ),
        (
            "ci-token",
            "POST",
            "/v1/gameservers/g/terminate",
            None,
            false,
            "`admin`",
        ),
        (
            "root-token",
            "POST",
            "/v1/gameservers/g/terminate",
            None,
            true,
            "",
        ),
        ("root-token", "POST", "/v1/fleets", Some(&fleet), true, ""),
    ];
    for (token, method, path, body, allowed, scope) in cases {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = client
            .request(method.clone(), daemon.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let answer = request.send().await.expect("an answer");
        let status = answer.status();
        let body: serde_json::Value = answer.json().await.expect("JSON");
        if allowed {
            assert!(
                status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                "{token} {method} {path}: {status} {body}"
            );
        } else {
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{token} {method} {path}: {body}"
            );
            let message = body["error"]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains(scope),
                "{token} {method} {path}: {message}"
            );
        }
    }
    let unknown = client
        .get(daemon.url("/v1/fleets"))
        .bearer_auth("guess")
        .send()
        .await
        .expect("GET");
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
}

#[test]
fn a_token_from_gamehost_token_new_opens_the_control_plane_to_its_scopes() {
    let made = std::process::Command::new(GAMEHOST)
        .args(["token", "new", "dash", "--scope", "read"])
        .output()
        .expect("running gamehost token new");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let printed = String::from_utf8_lossy(&made.stdout).into_owned();
    let token = printed
        .lines()
        .find_map(|l| l.strip_prefix("token (shown once; give it to the client): "))
        .expect("the token")
        .to_owned();
    let line = printed.lines().last().expect("the file's line");
    assert!(line.starts_with("dash read sha256:"), "{printed}");
    assert!(!line.contains(&token), "the file holds only the hash");
    let dir = gamehost_tests::temp_dir("gamehost-tokens");
    let file = dir.path().join("tokens");
    std::fs::write(&file, format!("{line}\n")).expect("writing the tokens file");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let file = file.to_str().expect("a UTF-8 path");
        let daemon =
            gamehost_tests::process::DaemonProcess::start_with(GAMEHOST, None, &["--tokens", file])
                .await;
        let client = reqwest::Client::new();
        let read = client
            .get(daemon.url("/v1/fleets"))
            .bearer_auth(&token)
            .send()
            .await;
        assert_eq!(read.expect("GET").status(), StatusCode::OK);
        let write = client
            .post(daemon.url("/v1/modules"))
            .bearer_auth(&token)
            .send()
            .await;
        assert_eq!(write.expect("POST").status(), StatusCode::FORBIDDEN);
        let none = client.get(daemon.url("/v1/fleets")).send().await;
        assert_eq!(none.expect("GET").status(), StatusCode::UNAUTHORIZED);
    });
}

#[test]
fn gamehost_token_new_aws_prints_a_line_whose_key_checks_the_tokens_signatures() {
    use gamehost::tokens::{self, Credential, Scope};
    let made = std::process::Command::new(GAMEHOST)
        .args(["token", "new", "backend", "--scope", "sessions", "--aws"])
        .output()
        .expect("running gamehost token new");
    assert!(made.status.success(), "{made:?}");
    let printed = String::from_utf8_lossy(&made.stdout).into_owned();
    let token = printed
        .lines()
        .find_map(|l| l.strip_prefix("token (shown once; give it to the client): "))
        .expect("the token");
    assert!(printed.contains("access key id backend"), "{printed}");
    let line = printed.lines().last().expect("the file's line");
    assert!(!line.contains(token), "the file holds no token: {line}");
    let read = tokens::parse(line).expect("a valid line");
    let expected = Credential::new("backend", token, vec![Scope::Sessions])
        .signing_aws(token)
        .expect("a generated token signs");
    assert_eq!(read, [expected]);
    assert!(read[0].signing_key().is_some(), "{line}");
}
