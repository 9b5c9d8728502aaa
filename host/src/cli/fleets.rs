//! `gamehost fleet`: list, get, scale, update (hot swap), roll back and
//! delete fleets.

use super::client::{Client, ClientArgs, Table, age_of, cell, print_json};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;

/// `gamehost fleet`'s arguments.
#[derive(Debug, clap::Args)]
pub struct FleetArgs {
    #[command(flatten)]
    client: ClientArgs,
    #[command(subcommand)]
    command: FleetCommand,
}

#[derive(Debug, clap::Subcommand)]
enum FleetCommand {
    /// Lists the fleets and their game servers by state.
    List,
    /// Shows one fleet.
    Get {
        /// The fleet.
        name: String,
    },
    /// Sets how many warm (Ready) game servers a fleet keeps.
    Scale {
        /// The fleet.
        name: String,
        /// The number of replicas.
        replicas: u32,
    },
    /// Moves a fleet to another module: a hot swap of its game servers.
    Update {
        /// The fleet.
        name: String,
        /// The module: its id or `name@version`.
        #[arg(long)]
        module: String,
        /// How: `rolling` (new game servers, idle ones replaced) or
        /// `in-place` (every game server switched between two calls).
        #[arg(long, value_enum, default_value_t = Strategy::Rolling)]
        strategy: Strategy,
    },
    /// Moves a fleet back to the module it ran before its last update.
    Rollback {
        /// The fleet.
        name: String,
        /// How (by default as the last update went).
        #[arg(long, value_enum)]
        strategy: Option<Strategy>,
    },
    /// Deletes a fleet; its game servers are shut down.
    Delete {
        /// The fleet.
        name: String,
    },
}

/// How a fleet moves to another module.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Strategy {
    /// New game servers run the new version; idle ones are replaced.
    Rolling,
    /// Every game server switches between two calls.
    InPlace,
}

impl Strategy {
    fn wire(self) -> &'static str {
        match self {
            Strategy::Rolling => "rolling",
            Strategy::InPlace => "inPlace",
        }
    }
}

/// Runs `gamehost fleet`.
pub async fn run(args: FleetArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.client)?;
    let json = args.client.json;
    let fleets = match args.command {
        FleetCommand::List => {
            let list = client.get(&["v1", "fleets"], &[]).await?;
            if json {
                print_json(&list);
                return Ok(());
            }
            list["fleets"].as_array().cloned().unwrap_or_default()
        }
        FleetCommand::Get { name } => vec![client.get(&["v1", "fleets", &name], &[]).await?],
        FleetCommand::Scale { name, replicas } => {
            let body = json!({ "replicas": replicas });
            let path = ["v1", "fleets", name.as_str()];
            vec![client.call(Method::PATCH, &path, &[], Some(&body)).await?]
        }
        FleetCommand::Update {
            name,
            module,
            strategy,
        } => {
            let body = json!({ "module": module, "strategy": strategy.wire() });
            let path = ["v1", "fleets", name.as_str()];
            vec![client.call(Method::PATCH, &path, &[], Some(&body)).await?]
        }
        FleetCommand::Rollback { name, strategy } => {
            let body = json!({ "strategy": strategy.map(Strategy::wire) });
            let path = ["v1", "fleets", name.as_str(), "rollback"];
            vec![client.call(Method::POST, &path, &[], Some(&body)).await?]
        }
        FleetCommand::Delete { name } => {
            client
                .call(Method::DELETE, &["v1", "fleets", &name], &[], None)
                .await?;
            if !json {
                println!("fleet {name} deleted");
            }
            return Ok(());
        }
    };
    if json {
        fleets.iter().for_each(print_json);
    } else {
        print_fleets(&client, &fleets).await;
    }
    Ok(())
}

/// Prints fleets as a table, naming their modules `name@version` when the
/// module list can be read (else by short id).
pub async fn print_fleets(client: &Client, fleets: &[Value]) {
    let modules: HashMap<String, String> = match client.get(&["v1", "modules"], &[]).await {
        Ok(list) => list["modules"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| {
                let label = format!("{}@{}", cell(&m["name"]), cell(&m["version"]));
                (cell(&m["id"]), label)
            })
            .collect(),
        Err(_) => HashMap::new(),
    };
    let mut table = Table::new(&[
        "NAME",
        "MODULE",
        "REPLICAS",
        "READY",
        "ALLOCATED",
        "RESERVED",
        "STARTING",
        "UPDATE",
        "AGE",
    ]);
    for fleet in fleets {
        let id = cell(&fleet["module"]);
        let status = &fleet["status"];
        table.row(vec![
            cell(&fleet["name"]),
            modules
                .get(&id)
                .cloned()
                .unwrap_or_else(|| id.chars().take(12).collect()),
            format!("{}/{}", cell(&status["replicas"]), cell(&fleet["replicas"])),
            cell(&status["ready"]),
            cell(&status["allocated"]),
            cell(&status["reserved"]),
            cell(&status["starting"]),
            update_of(&fleet["update"]),
            age_of(&fleet["createdAt"]),
        ]);
    }
    table.print();
}

/// A fleet's update for a table: strategy, state and progress, and why it
/// failed; `-` without one.
fn update_of(update: &Value) -> String {
    if update.is_null() {
        return "-".to_owned();
    }
    let mut text = format!(
        "{} {} {}/{}",
        cell(&update["strategy"]),
        cell(&update["state"]),
        cell(&update["updated"]),
        cell(&update["total"])
    );
    if let Some(reason) = update["reason"].as_str() {
        text.push_str(&format!(" ({reason})"));
    }
    text
}
