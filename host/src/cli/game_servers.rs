//! `gamehost gs`: list, inspect, watch, end and read the log of game
//! servers.

use super::client::{
    ApiFailure, Client, ClientArgs, POLL_INTERVAL, Table, age_of, cell, now_text, print_json,
    print_log_lines,
};
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// `gamehost gs`'s arguments.
#[derive(Debug, clap::Args)]
pub struct GameServerArgs {
    #[command(flatten)]
    client: ClientArgs,
    #[command(subcommand)]
    command: GameServerCommand,
}

#[derive(Debug, clap::Subcommand)]
enum GameServerCommand {
    /// Lists game servers.
    List {
        /// Only this fleet's.
        #[arg(long)]
        fleet: Option<String>,
        /// Only in this state (Ready, Allocated, Shutdown, …).
        #[arg(long)]
        state: Option<String>,
        /// Only those carrying this label, as key=value.
        #[arg(long, value_parser = super::client::key_value)]
        label: Option<(String, String)>,
    },
    /// Shows one game server.
    Get {
        /// The game server.
        name: String,
    },
    /// Prints a line per change of a game server until it ends.
    Watch {
        /// The game server.
        name: String,
    },
    /// Asks a game server to terminate (its game mode's on-process-terminate).
    Terminate {
        /// The game server.
        name: String,
    },
    /// Shuts a game server down at once, as the Agones SDK's Shutdown.
    Shutdown {
        /// The game server.
        name: String,
    },
    /// Prints what a game server logged.
    Logs {
        /// The game server.
        name: String,
        /// Keeps printing new lines until the game server ends.
        #[arg(short, long)]
        follow: bool,
    },
}

/// Runs `gamehost gs`.
pub async fn run(args: GameServerArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.client)?;
    let json = args.client.json;
    match args.command {
        GameServerCommand::List {
            fleet,
            state,
            label,
        } => {
            let label = label.map(|(k, v)| format!("{k}={v}"));
            let mut query = Vec::new();
            query.extend(fleet.as_deref().map(|f| ("fleet", f)));
            query.extend(state.as_deref().map(|s| ("state", s)));
            query.extend(label.as_deref().map(|l| ("label", l)));
            let list = client.get(&["v1", "gameservers"], &query).await?;
            if json {
                print_json(&list);
            } else {
                print_game_servers(list["gameServers"].as_array().map_or(&[], Vec::as_slice));
            }
        }
        GameServerCommand::Get { name } => {
            let record = client.get(&["v1", "gameservers", &name], &[]).await?;
            if json {
                print_json(&record);
            } else {
                print_game_servers(std::slice::from_ref(&record));
            }
        }
        GameServerCommand::Watch { name } => watch(&client, &name, json).await?,
        GameServerCommand::Terminate { name } => {
            let path = ["v1", "gameservers", name.as_str(), "terminate"];
            let answer = client.call(Method::POST, &path, &[], None).await?;
            if json {
                print_json(&answer);
            } else {
                println!("game server {name} terminating");
            }
        }
        GameServerCommand::Shutdown { name } => {
            let path = ["v1", "gameservers", name.as_str(), "shutdown"];
            client.call(Method::POST, &path, &[], None).await?;
            if !json {
                println!("game server {name} shutting down");
            }
        }
        GameServerCommand::Logs { name, follow } => logs(&client, &name, follow, json).await?,
    }
    Ok(())
}

/// Prints game servers as NAME FLEET STATE PLAYERS GAME-SESSION AGE.
fn print_game_servers(records: &[Value]) {
    let mut table = Table::new(&["NAME", "FLEET", "STATE", "PLAYERS", "GAME-SESSION", "AGE"]);
    for record in records {
        let meta = &record["objectMeta"];
        let players = &record["status"]["players"];
        let created_millis = meta["creationTimestamp"].as_u64().map(|s| s * 1000);
        table.row(vec![
            cell(&meta["name"]),
            cell(&meta["labels"]["agones.dev/fleet"]),
            cell(&record["status"]["state"]),
            format!("{}/{}", cell(&players["count"]), cell(&players["capacity"])),
            cell(&record["process"]["gameSession"]["gameSessionId"]),
            age_of(&created_millis.into()),
        ]);
    }
    table.print();
}

/// One line of `gs watch`: state, players and game session status, without
/// the time, so unchanged summaries are printed once.
fn summary(record: &Value) -> String {
    let players = &record["status"]["players"];
    let session = &record["process"]["gameSession"];
    let session = if session.is_null() {
        "-".to_owned()
    } else {
        format!(
            "{} {}",
            cell(&session["gameSessionId"]),
            cell(&session["status"])
        )
    };
    format!(
        "{:<10} players {}/{}   game session {session}",
        cell(&record["status"]["state"]),
        cell(&players["count"]),
        cell(&players["capacity"]),
    )
}

async fn watch(client: &Client, name: &str, json: bool) -> anyhow::Result<()> {
    let url = client.url(&["v1", "gameservers", name, "watch"], &[]);
    let response = client.send(client.request(Method::GET, url)).await?;
    let mut body = response.bytes_stream();
    let mut pending = Vec::new();
    let mut last = String::new();
    while let Some(chunk) = body.next().await {
        pending.extend_from_slice(&chunk?);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let event: Value = serde_json::from_slice(&line)?;
            if json {
                println!("{}", event);
                continue;
            }
            let now = summary(&event["result"]);
            if now != last {
                println!("{} {now}", now_text());
                last = now;
            }
        }
    }
    Ok(())
}

async fn logs(client: &Client, name: &str, follow: bool, json: bool) -> anyhow::Result<()> {
    let mut since = 0;
    loop {
        // Checked before reading, so the read after the end gets its last
        // lines.
        let finished = follow && ended(client, name).await?;
        let since_text = since.to_string();
        let page = client
            .get(
                &["v1", "gameservers", name, "logs"],
                &[("since", &since_text)],
            )
            .await?;
        let lines = page["lines"].as_array().map_or(&[][..], Vec::as_slice);
        if json {
            lines.iter().for_each(|line| println!("{line}"));
        } else {
            print_log_lines(lines);
        }
        if let Some(seq) = lines.iter().filter_map(|l| l["seq"].as_u64()).max() {
            since = seq + 1;
        }
        if !follow || finished {
            return Ok(());
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// Whether a game server has ended (or is gone), so it logs no more.
async fn ended(client: &Client, name: &str) -> anyhow::Result<bool> {
    match client.get(&["v1", "gameservers", name], &[]).await {
        Ok(record) => Ok(matches!(
            record["status"]["state"].as_str(),
            Some("Shutdown" | "Unhealthy" | "Error")
        )),
        Err(error) => match error.downcast_ref::<ApiFailure>() {
            Some(failure) if failure.status == StatusCode::NOT_FOUND => Ok(true),
            _ => Err(error),
        },
    }
}
