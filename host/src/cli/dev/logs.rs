//! Streams the log of every game server of the project's fleet to the
//! terminal, each line led by its game server's name, as the lines come.

use super::super::client::{Client, POLL_INTERVAL, cell, log_line};
use serde_json::Value;
use std::collections::HashMap;

/// Where each game server's log has been read to.
#[derive(Default)]
struct Positions {
    /// The next line to read, by game server; `None` once it has ended and
    /// its log was read to the end.
    next: HashMap<String, Option<u64>>,
}

/// Follows the logs of fleet `fleet`'s game servers until dropped (run it
/// as a task and abort it). A failed poll is retried at the next one.
pub async fn follow(client: Client, fleet: String) {
    let mut positions = Positions::default();
    loop {
        if let Ok(list) = client
            .get(&["v1", "gameservers"], &[("fleet", fleet.as_str())])
            .await
        {
            let servers = list["gameServers"].as_array().cloned().unwrap_or_default();
            positions.retain_listed(&servers);
            for server in &servers {
                read_new_lines(&client, &mut positions, server).await;
            }
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

impl Positions {
    /// Forgets game servers the host no longer lists.
    fn retain_listed(&mut self, servers: &[Value]) {
        self.next.retain(|name, _| {
            servers
                .iter()
                .any(|server| server["objectMeta"]["name"].as_str() == Some(name))
        });
    }
}

/// Prints the lines `server` wrote since the last read.
async fn read_new_lines(client: &Client, positions: &mut Positions, server: &Value) {
    let name = cell(&server["objectMeta"]["name"]);
    let ended = !server["process"]["ending"].is_null();
    let Some(since) = *positions.next.entry(name.clone()).or_insert(Some(0)) else {
        return;
    };
    let since_text = since.to_string();
    let Ok(answer) = client
        .get(
            &["v1", "gameservers", &name, "logs"],
            &[("since", &since_text)],
        )
        .await
    else {
        return;
    };
    let lines = answer["lines"].as_array().cloned().unwrap_or_default();
    for line in &lines {
        println!("{name} | {}", log_line(line));
    }
    let next = lines
        .last()
        .and_then(|line| line["seq"].as_u64())
        .map_or(since, |seq| seq + 1);
    positions
        .next
        .insert(name, if ended { None } else { Some(next) });
}
