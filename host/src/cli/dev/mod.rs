//! `gamehost dev [DIR]`: the development loop. It builds the project in
//! DIR, reaches the daemon at `--url` or starts one there on the embedded
//! store (data in `DIR/.gamehost/data`), deploys the game mode as a fleet
//! named after the project, prints where to watch and play, streams the
//! fleet's logs, and on every save rebuilds, uploads (the host checks and
//! compiles the component) and hot-swaps the fleet in place, so a match in
//! progress carries on with the new code. A failed build or a refused swap
//! is shown and the running version keeps running.

mod logs;
mod project;
mod swap;
mod watch;

use super::client::{Client, ClientArgs};
use super::serve::{ServeArgs, Serving};
use crate::api::Auth;
use anyhow::{Context, bail};
use project::{MANIFEST, Project};
use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use swap::{Deployer, Outcome};
use watch::SourceWatch;

/// `gamehost dev`'s arguments.
#[derive(Debug, clap::Args)]
pub struct DevArgs {
    #[command(flatten)]
    client: ClientArgs,
    /// The project's folder, with its `gamehost.toml`.
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// How long a daemon `gamehost dev` started gives its game servers to end
/// when it stops.
const SHUTDOWN_GRACE: &str = "5s";

/// Runs the loop until Ctrl-C.
pub async fn run(args: DevArgs) -> anyhow::Result<()> {
    let dir = std::fs::canonicalize(&args.dir)
        .with_context(|| format!("the project folder {}", args.dir.display()))?;
    let mut project = Project::load(&dir)?;
    let client = Client::new(&args.client)?;
    let serving = reach_or_start(&client, &project).await?;
    let base = client.base().clone();
    let mut deployer = Deployer::new(client);
    let mut watch = SourceWatch::start(&watched(&project))?;
    let logs = tokio::spawn(logs::follow(
        Client::new(&args.client)?,
        project.name.clone(),
    ));
    print_banner(&project, &base, serving.is_some());
    let mut running = None;
    let looped = async {
        turn(&mut deployer, &project, &mut running).await;
        loop {
            let path = watch.changed().await;
            println!("\n{} changed", shown(&project.dir, &path));
            match reload(&project) {
                Ok(reloaded) => {
                    if reloaded.watch != project.watch || reloaded.template != project.template {
                        watch = SourceWatch::start(&watched(&reloaded))?;
                    }
                    project = reloaded;
                }
                Err(error) => {
                    eprintln!("✗ {error:#}");
                    keeps(&running);
                    continue;
                }
            }
            turn(&mut deployer, &project, &mut running).await;
        }
    };
    let outcome: anyhow::Result<()> = tokio::select! {
        result = looped => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    };
    logs.abort();
    if let Some(serving) = serving {
        println!("stopping the daemon gamehost dev started");
        serving.stop().await;
    }
    outcome
}

/// Builds and deploys once, saying what happened.
async fn turn(deployer: &mut Deployer, project: &Project, running: &mut Option<String>) {
    println!("building: {}", project.build);
    match swap::build(project).await {
        Ok(took) => println!("built in {:.1} s", took.as_secs_f64()),
        Err(error) => {
            eprintln!("✗ {error:#}");
            keeps(running);
            return;
        }
    }
    match deployer.deploy(project).await {
        Ok(Outcome::Created(module)) => {
            println!("✓ fleet {} created, running {module}", project.name);
            *running = Some(module);
        }
        Ok(Outcome::Unchanged(module)) => {
            println!("= the fleet already runs {module}");
            *running = Some(module);
        }
        Ok(Outcome::Swapped { module, switched }) => {
            println!(
                "✓ hot-swapped in place to {module}: {switched} game server(s) switched, their matches carried on"
            );
            *running = Some(module);
        }
        Err(error) => {
            eprintln!("✗ {error:#}");
            keeps(running);
        }
    }
}

/// Says which version keeps running after a failure.
fn keeps(running: &Option<String>) {
    if let Some(module) = running {
        eprintln!("  {module} keeps running; fix it and save again");
    }
}

/// Reads the manifest again; its name may not change under a running loop.
fn reload(project: &Project) -> anyhow::Result<Project> {
    let reloaded = Project::load(&project.dir)?;
    if reloaded.name != project.name {
        bail!(
            "{MANIFEST}'s name changed from {} to {}: restart gamehost dev to serve another fleet",
            project.name,
            reloaded.name
        );
    }
    Ok(reloaded)
}

/// What the loop watches: the manifest, the template and the build's
/// inputs.
fn watched(project: &Project) -> Vec<PathBuf> {
    let mut paths = project.watch.clone();
    paths.push(project.dir.join(MANIFEST));
    paths.extend(project.template.clone());
    paths
}

/// Uses the daemon answering at the client's URL, or starts one there when
/// it is a loopback http address nothing answers at.
async fn reach_or_start(client: &Client, project: &Project) -> anyhow::Result<Option<Serving>> {
    if client.get(&["healthz"], &[]).await.is_ok() {
        return Ok(None);
    }
    let base = client.base();
    let listen = loopback_address(base).with_context(|| {
        format!(
            "no daemon answers at {base}, and gamehost dev starts one only on a loopback http address"
        )
    })?;
    let data_dir = project.data_dir();
    let listen_text = listen.to_string();
    let data_text = data_dir.to_string_lossy();
    let args = ServeArgs::from_words([
        "--listen",
        &listen_text,
        "--data-dir",
        &data_text,
        "--shutdown-grace",
        SHUTDOWN_GRACE,
    ])?;
    let token = std::env::var("GAMEHOST_TOKEN")
        .ok()
        .filter(|token| !token.is_empty());
    Ok(Some(
        Serving::start(args, Auth::new(token.as_deref(), Vec::new())).await?,
    ))
}

/// The socket address of an `http://` URL on loopback (`localhost` is
/// 127.0.0.1).
fn loopback_address(url: &Url) -> Option<SocketAddr> {
    if url.scheme() != "http" {
        return None;
    }
    let ip = match url.host_str()? {
        "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
        host => host.trim_matches(['[', ']']).parse().ok()?,
    };
    ip.is_loopback()
        .then(|| SocketAddr::new(ip, url.port_or_known_default().unwrap_or(80)))
}

/// Prints where the game mode is served and how the loop goes on.
fn print_banner(project: &Project, base: &Url, started: bool) {
    let root = base.as_str().trim_end_matches('/');
    let players = format!(
        "{}:{}/v1/play/PLAYER_SESSION_ID",
        if base.scheme() == "https" {
            "wss"
        } else {
            "ws"
        },
        root.split_once(':').map_or("", |(_, rest)| rest)
    );
    let daemon = if started {
        format!(
            "started here, data in {}",
            shown(&project.dir, &project.data_dir())
        )
    } else {
        "already running".to_owned()
    };
    let watched: Vec<String> = project
        .watch
        .iter()
        .map(|path| shown(&project.dir, path))
        .collect();
    println!("gamehost dev: {}", project.name);
    println!("  control plane  {root} ({daemon})");
    println!("  console        {root}/console");
    println!(
        "  play           {root}/play/messages?fleet={}",
        project.name
    );
    println!("  players        {players}");
    println!(
        "watching {}: save to rebuild and hot-swap; Ctrl-C stops",
        watched.join(", ")
    );
}

/// `path` as the project sees it.
fn shown(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_addresses_get_a_daemon_started() {
        let cases = [
            ("http://127.0.0.1:7070", Some("127.0.0.1:7070")),
            ("http://localhost:8080/", Some("127.0.0.1:8080")),
            ("http://[::1]:7070", Some("[::1]:7070")),
            ("http://127.0.0.1", Some("127.0.0.1:80")),
            ("https://127.0.0.1:7070", None),
            ("http://10.0.0.5:7070", None),
            ("http://example.com:7070", None),
        ];
        for (url, expected) in cases {
            let address = loopback_address(&Url::parse(url).unwrap()).map(|a| a.to_string());
            assert_eq!(address.as_deref(), expected, "{url}");
        }
    }
}
