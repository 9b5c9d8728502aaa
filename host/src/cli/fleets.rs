//! `gamehost fleet`: list, get, scale and delete fleets.

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
    /// Deletes a fleet; its game servers are shut down.
    Delete {
        /// The fleet.
        name: String,
    },
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
            age_of(&fleet["createdAt"]),
        ]);
    }
    table.print();
}
