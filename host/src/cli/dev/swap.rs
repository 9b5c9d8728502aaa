//! One turn of the development loop: build the component, upload it (the
//! host checks and compiles it), and put it in the project's fleet: the
//! first time by creating the fleet, afterwards by a hot swap in place, so
//! matches in progress carry on with the new code.

use super::super::client::{ApiFailure, Client, cell};
use super::super::modules::upload;
use super::project::Project;
use anyhow::{Context, bail};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The longest a hot swap may take before the loop stops waiting for it.
const SWAP_WAIT: Duration = Duration::from_secs(120);

/// How often a swap in progress is looked at.
const SWAP_POLL: Duration = Duration::from_millis(100);

/// What a turn did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The fleet was made, running this module.
    Created(String),
    /// The fleet already ran this very component.
    Unchanged(String),
    /// Every running game server switched to this module in place.
    Swapped {
        /// The module, `name@version`.
        module: String,
        /// The game servers switched.
        switched: u64,
    },
}

/// Runs the project's build command in its folder, its output going to
/// the terminal; an error says how it failed.
pub async fn build(project: &Project) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(&project.build)
        .current_dir(&project.dir)
        .kill_on_drop(true)
        .status()
        .await
        .with_context(|| format!("starting the build `{}`", project.build))?;
    if !status.success() {
        bail!("the build `{}` failed ({status})", project.build);
    }
    if !project.component.is_file() {
        bail!(
            "the build succeeded but made no {} (gamehost.toml's `component`)",
            project.component.display()
        );
    }
    Ok(started.elapsed())
}

/// Puts built components in the fleet named after the project, through
/// one daemon's control plane.
pub struct Deployer {
    client: Client,
    /// The template last given to the fleet, so an unchanged one is not
    /// sent again.
    template: Option<Value>,
}

impl Deployer {
    /// A deployer through `client`.
    pub fn new(client: Client) -> Self {
        Self {
            client,
            template: None,
        }
    }

    /// Uploads the built component and puts it in the fleet: creates the
    /// fleet, or hot-swaps it in place to the component when it runs
    /// another; a changed template goes with it.
    pub async fn deploy(&mut self, project: &Project) -> anyhow::Result<Outcome> {
        let client = &self.client;
        let template = match &project.template {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                Some(
                    serde_json::from_str::<Value>(&text)
                        .with_context(|| format!("{} is not JSON", path.display()))?,
                )
            }
            None => None,
        };
        let module = upload(client, &project.component, Some(project.name.clone()), None).await?;
        let id = cell(&module["id"]);
        let label = format!("{}@{}", cell(&module["name"]), cell(&module["version"]));
        let fleet_path = ["v1", "fleets", project.name.as_str()];
        let fleet = match client.get(&fleet_path, &[]).await {
            Ok(fleet) => fleet,
            Err(error) => match error.downcast_ref::<ApiFailure>() {
                Some(failure) if failure.status == StatusCode::NOT_FOUND => {
                    let mut body = json!({ "name": project.name, "module": id, "replicas": 1 });
                    if let Some(template) = &template {
                        body["template"] = template.clone();
                    }
                    client
                        .call(Method::POST, &["v1", "fleets"], &[], Some(&body))
                        .await?;
                    self.template = template;
                    return Ok(Outcome::Created(label));
                }
                _ => return Err(error),
            },
        };
        let mut change = json!({});
        if let Some(template) = template
            .as_ref()
            .filter(|t| Some(*t) != self.template.as_ref())
        {
            change["template"] = template.clone();
        }
        let unchanged = cell(&fleet["module"]) == id;
        if !unchanged {
            change["module"] = json!(id);
            change["strategy"] = json!("inPlace");
        }
        if change != json!({}) {
            client
                .call(Method::PATCH, &fleet_path, &[], Some(&change))
                .await?;
            self.template = template;
        }
        if unchanged {
            return Ok(Outcome::Unchanged(label));
        }
        let fleet = swapped(client, &fleet_path, &id).await?;
        forget_old_versions(client, project, &fleet).await;
        let switched = fleet["update"]["updated"].as_u64().unwrap_or(0);
        Ok(Outcome::Swapped {
            module: label,
            switched,
        })
    }
}

/// Waits for the fleet's update to module `id` to end; answers the fleet
/// once it succeeded, or why it failed.
async fn swapped(client: &Client, fleet_path: &[&str], id: &str) -> anyhow::Result<Value> {
    let deadline = Instant::now() + SWAP_WAIT;
    loop {
        let fleet = client.get(fleet_path, &[]).await?;
        let update = &fleet["update"];
        if cell(&update["to"]) == id {
            match update["state"].as_str() {
                Some("succeeded") => return Ok(fleet),
                Some("failed") => bail!("the hot swap was refused: {}", cell(&update["reason"])),
                _ => {}
            }
        }
        if Instant::now() > deadline {
            bail!(
                "the hot swap has not finished after {} s; see `gamehost fleet get {}`",
                SWAP_WAIT.as_secs(),
                cell(&fleet["name"])
            );
        }
        tokio::time::sleep(SWAP_POLL).await;
    }
}

/// Deletes the project's modules that `fleet` neither runs nor could roll
/// back to, so saves do not pile versions up on the host. A module the
/// host will not delete yet is left for a later turn.
async fn forget_old_versions(client: &Client, project: &Project, fleet: &Value) {
    let Ok(modules) = client.get(&["v1", "modules"], &[]).await else {
        return;
    };
    let kept = [cell(&fleet["module"]), cell(&fleet["previousModule"])];
    for module in modules["modules"].as_array().into_iter().flatten() {
        let id = cell(&module["id"]);
        if cell(&module["name"]) == project.name && !kept.contains(&id) {
            let _ = client
                .call(Method::DELETE, &["v1", "modules", &id], &[], None)
                .await;
        }
    }
}
