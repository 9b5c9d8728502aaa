//! A Gamehost pod under Agones: how long from an allocation to its match
//! ACTIVE on the host. Another Gamehost plays Agones (its game server's
//! REST SDK is the pod's sidecar, its allocation API the allocator), as in
//! the tests; both serve in this process. What Kubernetes adds in a cluster
//! (the sidecar seeing the allocation through its informer, about a second
//! at worst by Agones' own account) is not in the figure.

use crate::stats::Spread;
use gamehost::api::Auth;
use gamehost::cli::{ServeArgs, Serving};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long one step may take before the measure fails.
const DEADLINE: Duration = Duration::from_secs(30);

/// Serves with `words` after `serve --listen 127.0.0.1:0 --data-dir DIR`.
async fn serve(dir: &Path, words: &[&str]) -> anyhow::Result<(Serving, String)> {
    let data = dir
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("a UTF-8 path"))?;
    let mut all = vec!["--listen", "127.0.0.1:0", "--data-dir", data];
    all.extend(words);
    let serving = Serving::start(ServeArgs::from_words(all)?, Auth::open()).await?;
    let url = format!("http://{}", serving.address());
    Ok((serving, url))
}

/// Polls `check` every 200 µs until it answers `Some`.
async fn until<T>(
    what: &str,
    mut check: impl AsyncFnMut() -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    let started = Instant::now();
    loop {
        if let Some(found) = check().await? {
            return Ok(found);
        }
        anyhow::ensure!(started.elapsed() < DEADLINE, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

fn write(path: &Path, value: &Value) -> anyhow::Result<PathBuf> {
    std::fs::write(path, value.to_string())?;
    Ok(path.to_owned())
}

/// Allocates `rounds` matches one at a time and times each from the
/// allocation request to its game session ACTIVE on the host; each match is
/// ended before the next.
pub async fn measure(rounds: usize) -> anyhow::Result<Spread> {
    let dir = std::env::temp_dir().join(format!("gamehost-bench-agones-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let pod = write(
        &dir.join("pod.json"),
        &json!({
            "labels": {"fault": "never-ready"},
            "counters": {"rooms": {"count": 0, "capacity": 0}},
            "lists": {"sessions": {"capacity": 1000}},
        }),
    )?;
    let arena = write(
        &dir.join("arena.json"),
        &json!({
            "counters": {"rounds": {"count": 0, "capacity": 0}},
            "lists": {"players": {"capacity": 100}},
            "playerCapacity": 100,
        }),
    )?;
    let faults = format!("gamehost={}", gamehost_guests::FAULTS);
    let (agones, agones_url) = serve(
        &dir.join("agones"),
        &[
            "--sdk-http",
            "--deploy",
            &faults,
            "--replicas",
            "1",
            "--template",
        ]
        .into_iter()
        .chain([pod.to_str().unwrap_or_default()])
        .collect::<Vec<_>>(),
    )
    .await?;
    let client = reqwest::Client::new();
    let get = async |url: String| -> anyhow::Result<Value> {
        Ok(client.get(url).send().await?.json().await?)
    };
    let pods_url = format!("{agones_url}/v1/gameservers?fleet=gamehost");
    let (name, port) = until("the pod's REST SDK", async || {
        let pods = get(pods_url.clone()).await?;
        let pod = &pods["gameServers"][0];
        let port = pod["objectMeta"]["annotations"]["gamehost.dev/sdk-http-port"].as_str();
        Ok(port.map(|p| (pod["objectMeta"]["name"].clone(), p.to_owned())))
    })
    .await?;
    let deploy = format!("arena={}", gamehost_guests::ARENA);
    let (host, host_url) = serve(
        &dir.join("host"),
        &[
            "--agones",
            "--agones-sdk-port",
            &port,
            "--deploy",
            &deploy,
            "--template",
            arena.to_str().unwrap_or_default(),
            "--replicas",
            "4",
            "--advertise",
            "127.0.0.1",
            "--shutdown-grace",
            "1s",
        ],
    )
    .await?;
    let pod_url = format!(
        "{agones_url}/v1/gameservers/{}",
        name.as_str().unwrap_or_default()
    );
    until("the pod Ready", async || {
        let pod = get(pod_url.clone()).await?;
        Ok((pod["status"]["state"] == "Ready").then_some(()))
    })
    .await?;
    let mut samples = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let id = format!("bench-{round}");
        let selector = |state: &str| json!({"fleet": "gamehost", "gameServerState": state, "counters": {"rooms": {"minAvailable": 1}}});
        let request = json!({
            "selectors": [selector("Allocated"), selector("Ready")],
            "counters": {"rooms": {"action": "Increment", "amount": 1}},
            "lists": {"sessions": {"addValues": [id]}},
        });
        let started = Instant::now();
        let answer = client
            .post(format!("{agones_url}/v1/allocations"))
            .json(&request)
            .send()
            .await?;
        anyhow::ensure!(
            answer.status().is_success(),
            "allocating: {}",
            answer.text().await?
        );
        let session_url = format!("{host_url}/v1/gamesessions/{id}");
        until("the match ACTIVE", async || {
            let session = get(session_url.clone()).await?;
            Ok((session["status"] == "ACTIVE").then_some(()))
        })
        .await?;
        samples.push(started.elapsed());
        client
            .post(format!("{session_url}/terminate"))
            .json(&json!({"terminationMode": "FORCE_TERMINATE"}))
            .send()
            .await?;
        until("the match off the books", async || {
            let pod = get(pod_url.clone()).await?;
            Ok((pod["status"]["counters"]["rooms"]["count"] == 0).then_some(()))
        })
        .await?;
    }
    host.stop().await;
    agones.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Spread::of(samples))
}
