//! `gamehost deploy`: uploads a component and creates its fleet, or updates
//! the fleet's replicas and template when it already runs that module.

use super::client::{ApiFailure, Client, ClientArgs, cell, print_json};
use super::fleets::print_fleets;
use super::modules::upload;
use anyhow::{Context, bail};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};
use std::path::PathBuf;

/// `gamehost deploy`'s arguments.
#[derive(Debug, clap::Args)]
pub struct DeployArgs {
    #[command(flatten)]
    client: ClientArgs,
    /// The component (.wasm).
    component: PathBuf,
    /// The fleet to create or update.
    #[arg(long)]
    fleet: String,
    /// The module's name (default: the file's stem).
    #[arg(long)]
    name: Option<String>,
    /// The module's version (default: `sha-` and the start of its SHA-256).
    #[arg(long)]
    version: Option<String>,
    /// Warm replicas (default: 1 for a new fleet, unchanged for an existing
    /// one).
    #[arg(long)]
    replicas: Option<u32>,
    /// The game servers' template (JSON), e.g. `template.json` next to the
    /// game mode.
    #[arg(long)]
    template: Option<PathBuf>,
}

/// Runs `gamehost deploy`.
pub async fn run(args: DeployArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.client)?;
    let template: Option<Value> = match &args.template {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Some(
                serde_json::from_str(&text)
                    .with_context(|| format!("{} is not JSON", path.display()))?,
            )
        }
        None => None,
    };
    let module = upload(&client, &args.component, args.name, args.version).await?;
    let module_id = cell(&module["id"]);
    let fleet_path = ["v1", "fleets", args.fleet.as_str()];
    let existing = match client.get(&fleet_path, &[]).await {
        Ok(fleet) => Some(fleet),
        Err(error) => match error.downcast_ref::<ApiFailure>() {
            Some(failure) if failure.status == StatusCode::NOT_FOUND => None,
            _ => return Err(error),
        },
    };
    let fleet = match existing {
        None => {
            let mut body = json!({ "name": args.fleet, "module": module_id });
            if let Some(replicas) = args.replicas {
                body["replicas"] = json!(replicas);
            }
            if let Some(template) = template {
                body["template"] = template;
            }
            let fleet = client
                .call(Method::POST, &["v1", "fleets"], &[], Some(&body))
                .await?;
            eprintln!("fleet {} created", args.fleet);
            fleet
        }
        Some(fleet) if cell(&fleet["module"]) != module_id => bail!(
            "fleet {} runs another module ({}); changing a fleet's module is not supported yet: \
             delete the fleet or deploy to a new one",
            args.fleet,
            cell(&fleet["module"])
        ),
        Some(fleet) => {
            let mut update = Map::new();
            if let Some(replicas) = args.replicas {
                update.insert("replicas".into(), json!(replicas));
            }
            if let Some(template) = template {
                update.insert("template".into(), template);
            }
            if update.is_empty() {
                eprintln!("fleet {} already runs this module", args.fleet);
                fleet
            } else {
                let body = Value::Object(update);
                let fleet = client
                    .call(Method::PATCH, &fleet_path, &[], Some(&body))
                    .await?;
                eprintln!("fleet {} updated", args.fleet);
                fleet
            }
        }
    };
    if args.client.json {
        print_json(&fleet);
    } else {
        print_fleets(&client, std::slice::from_ref(&fleet)).await;
    }
    Ok(())
}
