//! `gamehost run`: one game server, locally, for developing a game mode.

use anyhow::Context;
use clap::Args;
use gamehost_model::{
    Endpoint, GameProperty, GameServerSpec, GameServerState, Identity, NewGameSession,
    NewPlayerSession,
};
use gamehost_runtime::engine::{EngineSettings, GameEngine};
use gamehost_runtime::players::{PlayStats, PlayerLink};
use gamehost_runtime::supervisor::{GameServerHandle, Hosting, RuntimeClock, Watch, spawn};
use std::path::PathBuf;
use std::sync::Arc;

/// Options of `gamehost run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The component (.wasm).
    component: PathBuf,
    /// A game-server template as JSON (labels, annotations, counters, lists,
    /// playerCapacity, health, healthCheck, timeouts).
    #[arg(long)]
    template: Option<PathBuf>,
    /// Once Ready, place a game session with this many player slots.
    #[arg(long, value_name = "MAX_PLAYERS")]
    game_session: Option<u32>,
    /// Game properties of that game session, as KEY=VALUE.
    #[arg(long = "property", value_name = "KEY=VALUE", requires = "game_session")]
    properties: Vec<String>,
    /// Reserve a player session for each of these player ids and connect it.
    #[arg(long = "player", value_name = "PLAYER_ID", requires = "game_session")]
    players: Vec<String>,
}

/// Runs the game server until it ends; Ctrl-C requests its termination.
pub async fn run(args: RunArgs) -> anyhow::Result<()> {
    let spec = match &args.template {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid template", path.display()))?
        }
        None => GameServerSpec::default(),
    };
    spec.validate().context("the template is not valid")?;
    let bytes = std::fs::read(&args.component)
        .with_context(|| format!("reading {}", args.component.display()))?;
    let engine = GameEngine::new(EngineSettings::default(), None)?;
    let mode =
        tokio::task::spawn_blocking(move || engine.load(&bytes).map(|mode| (engine, mode))).await?;
    let (engine, mode) = mode.context("the component is not a usable game mode")?;
    let identity = Identity {
        name: "local".into(),
        fleet: "local".into(),
        uid: uuid::Uuid::new_v4().to_string(),
        host_id: "localhost".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7777,
        },
    };
    let (handle, from_start) = spawn(
        mode,
        identity,
        Arc::new(spec),
        Hosting {
            limits: engine.default_limits(),
            clock: RuntimeClock::new(),
            play: PlayStats::default(),
        },
    );
    let printer = tokio::spawn(print_changes(handle.name().to_owned(), from_start));
    if let Some(max_players) = args.game_session {
        host_game_session(&handle, max_players, &args.properties, &args.players).await?;
    }
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("Ctrl-C: asking the game server to terminate");
            handle.request_termination().await?;
        }
        _ = handle.wait_for(|r| r.process.ending.is_some()) => {}
    }
    let record = handle.wait_for(|r| r.process.ending.is_some()).await;
    printer.abort();
    let ending = record
        .process
        .ending
        .as_ref()
        .map(|e| format!("{}: {}", e.kind, e.reason))
        .unwrap_or_default();
    println!("ended {} ({ending})", record.status.state);
    Ok(())
}

async fn host_game_session(
    handle: &GameServerHandle,
    max_players: u32,
    properties: &[String],
    players: &[String],
) -> anyhow::Result<()> {
    let ready = handle
        .wait_for(|r| r.status.state == GameServerState::Ready)
        .await;
    anyhow::ensure!(
        ready.status.state == GameServerState::Ready,
        "the game server never became Ready"
    );
    let game_properties = properties
        .iter()
        .map(|p| p.split_once('=').map(|(k, v)| GameProperty::new(k, v)))
        .collect::<Option<Vec<_>>>()
        .context("game properties are KEY=VALUE")?;
    let new = NewGameSession {
        name: "local".into(),
        maximum_player_session_count: max_players,
        game_properties,
        ..Default::default()
    };
    let id = format!("gsess-{}", uuid::Uuid::new_v4().simple());
    let session = handle.start_game_session(id, new).await?;
    println!(
        "game session {} is {:?}",
        session.game_session_id, session.status
    );
    let reservations = players
        .iter()
        .map(|p| {
            (
                format!("psess-{}", uuid::Uuid::new_v4().simple()),
                NewPlayerSession {
                    player_id: p.clone(),
                    player_data: String::new(),
                },
            )
        })
        .collect();
    for player in handle.create_player_sessions(reservations).await? {
        // No socket: what the game mode sends these players goes nowhere.
        let (link, _) = PlayerLink::new(1);
        match handle
            .player_connect(player.player_session_id.clone(), link)
            .await
        {
            Ok(()) => println!(
                "player {} connected ({})",
                player.player_id, player.player_session_id
            ),
            Err(error) => println!("player {} was refused: {error}", player.player_id),
        }
    }
    Ok(())
}

async fn print_changes(name: String, mut watch: Watch) {
    let mut last = None;
    while let Some(record) = watch.next().await {
        let state = record.status.state;
        if last != Some(state) {
            println!("game server {name} is {state}");
            last = Some(state);
        }
    }
}
