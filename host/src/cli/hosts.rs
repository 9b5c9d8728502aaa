//! `gamehost host list`: the hosts sharing the store, with their leases.

use super::client::{Client, ClientArgs, Table, age_of, cell, print_json};
use serde_json::Value;

/// `gamehost host`'s arguments.
#[derive(Debug, clap::Args)]
pub struct HostArgs {
    #[command(flatten)]
    client: ClientArgs,
    #[command(subcommand)]
    command: HostCommand,
}

#[derive(Debug, clap::Subcommand)]
enum HostCommand {
    /// Lists the hosts sharing the store: state, lease age, address,
    /// version, capacity and game servers by state.
    List,
}

/// Runs `gamehost host`.
pub async fn run(args: HostArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.client)?;
    match args.command {
        HostCommand::List => {
            let list = client.get(&["v1", "hosts"], &[]).await?;
            if args.client.json {
                print_json(&list);
            } else {
                print!("{}", table(&list));
            }
        }
    }
    Ok(())
}

/// The hosts of a `/v1/hosts` answer as a table.
fn table(list: &Value) -> String {
    let mut table = Table::new(&[
        "HOST",
        "STATE",
        "LEASE",
        "EPOCH",
        "ADDRESS",
        "VERSION",
        "RUNNING",
        "READY",
        "ALLOCATED",
        "AGE",
    ]);
    for host in list["hosts"].as_array().into_iter().flatten() {
        let servers = &host["gameServers"];
        let count = |state: &str| servers[state].as_u64().unwrap_or(0);
        let running: u64 = servers
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(_, n)| n.as_u64())
            .sum();
        table.row(vec![
            cell(&host["hostId"]),
            cell(&host["state"]),
            format!("{:.1}s", host["leaseAgeSeconds"].as_f64().unwrap_or(0.0)),
            cell(&host["epoch"]),
            cell(&host["address"]),
            cell(&host["version"]),
            format!("{running}/{}", cell(&host["maxGameServers"])),
            count("Ready").to_string(),
            count("Allocated").to_string(),
            age_of(&host["startedAt"]),
        ]);
    }
    table.render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_host_is_a_row_with_its_lease_and_game_servers() {
        let list = json!({ "hosts": [
            { "hostId": "a", "state": "alive", "leaseAgeSeconds": 0.43, "epoch": 3,
              "address": "10.0.0.1:7070", "version": "0.1.0", "maxGameServers": 100,
              "gameServers": { "Ready": 4, "Allocated": 2, "Scheduled": 1 }, "startedAt": 0 },
            { "hostId": "b", "state": "lost", "leaseAgeSeconds": 12.0, "epoch": 1,
              "address": "10.0.0.2:7070", "version": "0.1.0", "maxGameServers": 50,
              "gameServers": {}, "startedAt": 0 },
        ]});
        let lines: Vec<Vec<String>> = table(&list)
            .lines()
            .map(|l| l.split_whitespace().map(str::to_owned).collect())
            .collect();
        assert_eq!(lines[0][..4], ["HOST", "STATE", "LEASE", "EPOCH"]);
        assert_eq!(
            lines[1][..9],
            [
                "a",
                "alive",
                "0.4s",
                "3",
                "10.0.0.1:7070",
                "0.1.0",
                "7/100",
                "4",
                "2"
            ]
        );
        assert_eq!(
            lines[2][..9],
            [
                "b",
                "lost",
                "12.0s",
                "1",
                "10.0.0.2:7070",
                "0.1.0",
                "0/50",
                "0",
                "0"
            ]
        );
    }
}
