//! `gamehost session` and `gamehost player-session`: GameLift's game and
//! player sessions.

use super::client::{
    Client, ClientArgs, Table, age_of, cell, key_value, print_json, print_log_lines,
};
use reqwest::Method;
use serde_json::{Value, json};

/// `gamehost session`'s arguments.
#[derive(Debug, clap::Args)]
pub struct SessionArgs {
    #[command(flatten)]
    client: ClientArgs,
    #[command(subcommand)]
    command: SessionCommand,
}

#[derive(Debug, clap::Subcommand)]
enum SessionCommand {
    /// Places a game session on a Ready game server of a fleet.
    Create {
        /// The fleet.
        #[arg(long)]
        fleet: String,
        /// Player slots (1 to 1000).
        #[arg(long)]
        max_players: u32,
        /// A descriptive name.
        #[arg(long)]
        name: Option<String>,
        /// A game property, as key=value (repeatable).
        #[arg(long = "property", value_parser = key_value)]
        properties: Vec<(String, String)>,
    },
    /// Lists game sessions.
    List {
        /// Only this fleet's.
        #[arg(long)]
        fleet: Option<String>,
        /// Only in this status (ACTIVE, TERMINATED, …).
        #[arg(long)]
        status: Option<String>,
    },
    /// Shows one game session.
    Get {
        /// The game session's id.
        id: String,
    },
    /// Terminates a game session: asks its game server to end it, or with
    /// --force ends the game server at once.
    Terminate {
        /// The game session's id.
        id: String,
        /// Ends the game server at once (FORCE_TERMINATE).
        #[arg(long)]
        force: bool,
    },
    /// Prints what was logged during a game session.
    Logs {
        /// The game session's id.
        id: String,
    },
}

/// Runs `gamehost session`.
pub async fn run(args: SessionArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.client)?;
    let answer = match args.command {
        SessionCommand::Create {
            fleet,
            max_players,
            name,
            properties,
        } => {
            let body = json!({
                "name": name.unwrap_or_default(),
                "maximumPlayerSessionCount": max_players,
                "gameProperties": properties
                    .iter()
                    .map(|(key, value)| json!({"key": key, "value": value}))
                    .collect::<Vec<_>>(),
            });
            let path = ["v1", "fleets", fleet.as_str(), "gamesessions"];
            client.call(Method::POST, &path, &[], Some(&body)).await?
        }
        SessionCommand::List { fleet, status } => {
            let mut query = Vec::new();
            query.extend(fleet.as_deref().map(|f| ("fleet", f)));
            query.extend(status.as_deref().map(|s| ("status", s)));
            let list = client.get(&["v1", "gamesessions"], &query).await?;
            if args.client.json {
                print_json(&list);
            } else {
                print_game_sessions(list["gameSessions"].as_array().map_or(&[], Vec::as_slice));
            }
            return Ok(());
        }
        SessionCommand::Get { id } => client.get(&["v1", "gamesessions", &id], &[]).await?,
        SessionCommand::Terminate { id, force } => {
            let mode = if force {
                "FORCE_TERMINATE"
            } else {
                "TRIGGER_ON_PROCESS_TERMINATE"
            };
            let body = json!({ "terminationMode": mode });
            let path = ["v1", "gamesessions", id.as_str(), "terminate"];
            client.call(Method::POST, &path, &[], Some(&body)).await?
        }
        SessionCommand::Logs { id } => {
            let log = client
                .get(&["v1", "gamesessions", &id, "logs"], &[])
                .await?;
            if args.client.json {
                print_json(&log);
            } else {
                print_log_lines(log["lines"].as_array().map_or(&[], Vec::as_slice));
            }
            return Ok(());
        }
    };
    if args.client.json {
        print_json(&answer);
    } else {
        print_game_sessions(std::slice::from_ref(&answer));
    }
    Ok(())
}

fn print_game_sessions(sessions: &[Value]) {
    let mut table = Table::new(&[
        "ID",
        "NAME",
        "FLEET",
        "GAME-SERVER",
        "STATUS",
        "MAX-PLAYERS",
        "ADDRESS",
        "AGE",
    ]);
    for session in sessions {
        table.row(vec![
            cell(&session["gameSessionId"]),
            cell(&session["name"]),
            cell(&session["fleetId"]),
            cell(&session["gameServerName"]),
            cell(&session["status"]),
            cell(&session["maximumPlayerSessionCount"]),
            format!("{}:{}", cell(&session["ipAddress"]), cell(&session["port"])),
            age_of(&session["creationTime"]),
        ]);
    }
    table.print();
}

/// `gamehost player-session`'s arguments.
#[derive(Debug, clap::Args)]
pub struct PlayerSessionArgs {
    #[command(flatten)]
    client: ClientArgs,
    #[command(subcommand)]
    command: PlayerSessionCommand,
}

#[derive(Debug, clap::Subcommand)]
enum PlayerSessionCommand {
    /// Reserves player sessions in an ACTIVE game session.
    Create {
        /// The game session's id.
        game_session: String,
        /// The players (at most 25).
        #[arg(required = true)]
        players: Vec<String>,
    },
    /// Lists the player sessions of a game session, of a player, or one.
    #[command(group = clap::ArgGroup::new("by").required(true))]
    List {
        /// All of this game session's.
        #[arg(long, group = "by")]
        game_session: Option<String>,
        /// All of this player's.
        #[arg(long, group = "by")]
        player: Option<String>,
        /// This one.
        #[arg(long, group = "by")]
        player_session: Option<String>,
        /// Only in this status (RESERVED, ACTIVE, COMPLETED, TIMEDOUT).
        #[arg(long)]
        status: Option<String>,
    },
}

/// Runs `gamehost player-session`.
pub async fn run_player_sessions(args: PlayerSessionArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.client)?;
    let sessions = match args.command {
        PlayerSessionCommand::Create {
            game_session,
            mut players,
        } => {
            // One player goes as `playerId`, several as `playerIds`, as
            // GameLift's CreatePlayerSession and CreatePlayerSessions.
            let body = match players.len() {
                1 => json!({ "playerId": players.remove(0) }),
                _ => json!({ "playerIds": players }),
            };
            let path = [
                "v1",
                "gamesessions",
                game_session.as_str(),
                "playersessions",
            ];
            let created = client.call(Method::POST, &path, &[], Some(&body)).await?;
            if args.client.json {
                print_json(&created);
                return Ok(());
            }
            created["playerSessions"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        }
        PlayerSessionCommand::List {
            game_session,
            player,
            player_session,
            status,
        } => {
            let mut filter = Vec::new();
            filter.extend(game_session.as_deref().map(|g| ("gameSessionId", g)));
            filter.extend(player.as_deref().map(|p| ("playerId", p)));
            filter.extend(player_session.as_deref().map(|p| ("playerSessionId", p)));
            filter.extend(status.as_deref().map(|s| ("playerSessionStatusFilter", s)));
            let all = describe_all(&client, &filter).await?;
            if args.client.json {
                print_json(&json!({ "playerSessions": all }));
                return Ok(());
            }
            all
        }
    };
    print_player_sessions(&sessions);
    Ok(())
}

/// Every page of a player-session description, following `nextToken`.
async fn describe_all(client: &Client, filter: &[(&str, &str)]) -> anyhow::Result<Vec<Value>> {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut query = filter.to_vec();
        query.extend(token.as_deref().map(|t| ("nextToken", t)));
        let mut page = client.get(&["v1", "playersessions"], &query).await?;
        if let Value::Array(sessions) = page["playerSessions"].take() {
            all.extend(sessions);
        }
        match page["nextToken"].as_str() {
            Some(next) if !next.is_empty() => token = Some(next.to_owned()),
            _ => return Ok(all),
        }
    }
}

fn print_player_sessions(sessions: &[Value]) {
    let mut table = Table::new(&["ID", "PLAYER", "GAME-SESSION", "STATUS", "ADDRESS", "AGE"]);
    for session in sessions {
        table.row(vec![
            cell(&session["playerSessionId"]),
            cell(&session["playerId"]),
            cell(&session["gameSessionId"]),
            cell(&session["status"]),
            format!("{}:{}", cell(&session["ipAddress"]), cell(&session["port"])),
            age_of(&session["creationTime"]),
        ]);
    }
    table.print();
}
