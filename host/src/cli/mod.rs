//! The command line: `gamehost serve` runs the daemon, `gamehost new` makes a
//! game-mode project, `gamehost check` validates a game mode, `gamehost run`
//! runs one game server of it locally,
//! and the operator commands (`deploy`, `module`, `fleet`, `gs`, `session`,
//! `player-session`, `allocate`) drive a daemon over its control plane.

mod allocate;
mod check;
mod client;
mod deploy;
mod dev;
mod fleets;
mod game_servers;
mod hosts;
mod modules;
mod new;
mod progress;
mod run;
mod serve;

pub use serve::{ServeArgs, Serving};
mod sessions;
mod token;

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use tracing_subscriber::EnvFilter;

/// Gamehost: runs multiplayer game modes compiled to WebAssembly components.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validates a component against the gamehost:sdk/game-server world and
    /// compiles it.
    Check {
        /// The component (.wasm).
        component: PathBuf,
    },
    /// Runs one game server of a component locally, printing its state
    /// changes and log; Ctrl-C asks it to terminate.
    Run(run::RunArgs),
    /// Runs the daemon: the control plane on HTTP, the store (embedded, or
    /// PostgreSQL), and the fleets' game servers.
    Serve(Box<serve::ServeArgs>),
    /// Uploads a component and creates its fleet, or updates the fleet's
    /// replicas and template.
    Deploy(deploy::DeployArgs),
    /// Uploaded game-mode modules.
    Module(modules::ModuleArgs),
    /// Fleets: warm pools of game servers of one module.
    Fleet(fleets::FleetArgs),
    /// Game servers.
    Gs(game_servers::GameServerArgs),
    /// Game sessions.
    Session(sessions::SessionArgs),
    /// Player sessions.
    PlayerSession(sessions::PlayerSessionArgs),
    /// Allocates a game server.
    Allocate(allocate::AllocateArgs),
    /// The hosts sharing the store.
    Host(hosts::HostArgs),
    /// Tokens for the control plane's tokens file.
    Token(token::TokenArgs),
    /// Makes a game-mode project in a new folder: a small working game mode
    /// in Rust, C, JavaScript or Python, the SDK's WIT, a template and the
    /// recipe to build, check and serve it.
    New(new::NewArgs),
    /// The development loop: builds a project made by `gamehost new`,
    /// deploys it to a local daemon (started if none runs), streams its
    /// logs, and on every save rebuilds and hot-swaps it in place.
    Dev(dev::DevArgs),
}

impl Cli {
    /// Runs the command.
    pub async fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Check { component } => check::check(&component),
            Command::Run(args) => run::run(args).await,
            Command::Serve(args) => serve::serve(*args).await,
            Command::Token(args) => token::run(args),
            Command::New(args) => new::run(args),
            Command::Dev(args) => dev::run(args).await,
            Command::Deploy(args) => deploy::run(args).await,
            Command::Module(args) => modules::run(args).await,
            Command::Fleet(args) => fleets::run(args).await,
            Command::Gs(args) => game_servers::run(args).await,
            Command::Session(args) => sessions::run(args).await,
            Command::PlayerSession(args) => sessions::run_player_sessions(args).await,
            Command::Allocate(args) => allocate::run(args).await,
            Command::Host(args) => hosts::run(args).await,
        }
    }

    /// The async runtime's worker threads, when the command asks for a
    /// number (`serve --worker-threads`); one per core otherwise.
    pub fn worker_threads(&self) -> Option<usize> {
        match &self.command {
            Command::Serve(args) => args.worker_threads(),
            _ => None,
        }
    }

    /// The log filter when `RUST_LOG` sets none: the daemon `gamehost dev`
    /// starts speaks only of what went wrong, so the loop's own lines and
    /// the game mode's log stand out.
    pub fn default_log_filter(&self) -> &'static str {
        match self.command {
            Command::Dev(_) => "warn",
            _ => "info",
        }
    }
}

/// Prints log lines to stderr, filtered by `RUST_LOG` (default
/// `default_filter`).
pub fn init_tracing(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let ansi = std::io::stderr().is_terminal();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .init();
}
