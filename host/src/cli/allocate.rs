//! `gamehost allocate`: allocates a game server, as Agones'
//! GameServerAllocation.

use super::client::{Client, ClientArgs, Table, cell, key_value, print_json};
use reqwest::Method;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// `gamehost allocate`'s arguments.
#[derive(Debug, clap::Args)]
pub struct AllocateArgs {
    #[command(flatten)]
    client: ClientArgs,
    /// Only this fleet's game servers.
    #[arg(long)]
    fleet: Option<String>,
    /// A label the game server must carry, as key=value (repeatable).
    #[arg(long = "label", value_parser = key_value)]
    labels: Vec<(String, String)>,
    /// Ready (default) or Allocated, to share an allocated game server by
    /// capacity.
    #[arg(long, value_parser = ["Ready", "Allocated"])]
    state: Option<String>,
    /// A label to set on the allocated game server, as key=value
    /// (repeatable).
    #[arg(long = "set-label", value_parser = key_value)]
    set_labels: Vec<(String, String)>,
    /// Fills game servers up (the default).
    #[arg(long, conflicts_with = "distributed")]
    packed: bool,
    /// Spreads players over game servers.
    #[arg(long)]
    distributed: bool,
}

/// Runs `gamehost allocate`.
pub async fn run(args: AllocateArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.client)?;
    let body = request(&args);
    let allocation = client
        .call(Method::POST, &["v1", "allocations"], &[], Some(&body))
        .await?;
    if args.client.json {
        print_json(&allocation);
        return Ok(());
    }
    let ports: Vec<String> = allocation["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| format!("{}:{}", cell(&p["name"]), cell(&p["port"])))
        .collect();
    let mut table = Table::new(&["NAME", "FLEET", "STATE", "ADDRESS", "PORTS"]);
    table.row(vec![
        cell(&allocation["gameServerName"]),
        cell(&allocation["fleet"]),
        cell(&allocation["state"]),
        cell(&allocation["address"]),
        ports.join(","),
    ]);
    table.print();
    Ok(())
}

/// The allocation request: one selector when any condition is given (no
/// selector means any Ready game server).
fn request(args: &AllocateArgs) -> Value {
    let mut selector = Map::new();
    if let Some(fleet) = &args.fleet {
        selector.insert("fleet".into(), json!(fleet));
    }
    if !args.labels.is_empty() {
        let labels: BTreeMap<_, _> = args.labels.iter().cloned().collect();
        selector.insert("matchLabels".into(), json!(labels));
    }
    if let Some(state) = &args.state {
        selector.insert("gameServerState".into(), json!(state));
    }
    let selectors: Vec<Value> = if selector.is_empty() {
        Vec::new()
    } else {
        vec![Value::Object(selector)]
    };
    let labels: BTreeMap<_, _> = args.set_labels.iter().cloned().collect();
    json!({
        "selectors": selectors,
        "scheduling": if args.distributed { "Distributed" } else { "Packed" },
        "metadata": { "labels": labels },
    })
}
