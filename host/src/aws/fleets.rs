//! GameLift's fleet operations over Gamehost's fleets: a fleet's id is its
//! name, and an instance is a game server. In a cluster, the counts are the
//! whole cluster's, as every host answers them.

use super::error::{AwsError, Doing};
use super::game_sessions::resolve_fleet;
use super::paging::page;
use super::shapes::{FleetAttributes, FleetCapacity, FleetUtilization};
use gamehost_daemon::{Daemon, DaemonError, FleetView, GameSessionFilter};
use serde::{Deserialize, Serialize};

/// `ListFleets`' input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ListFleetsInput {
    build_id: Option<String>,
    script_id: Option<String>,
    limit: Option<i64>,
    next_token: Option<String>,
}

/// A page of fleet ids.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListFleetsOutput {
    fleet_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// The ids (names) of the fleets, in name order.
pub fn list(daemon: &Daemon, input: ListFleetsInput) -> Result<ListFleetsOutput, AwsError> {
    if input.build_id.is_some() || input.script_id.is_some() {
        return Err(AwsError::invalid(
            "BuildId and ScriptId: Gamehost fleets run modules, not builds or scripts; leave them out",
        ));
    }
    let mut names: Vec<String> = daemon.fleets().into_iter().map(|f| f.fleet.name).collect();
    names.sort();
    let page = page(
        names,
        Clone::clone,
        input.limit,
        input.next_token.as_deref(),
    )?;
    Ok(ListFleetsOutput {
        fleet_ids: page.items,
        next_token: page.next_token,
    })
}

/// The input of the `DescribeFleet…` operations.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribeFleetsInput {
    fleet_ids: Option<Vec<String>>,
    limit: Option<i64>,
    next_token: Option<String>,
}

/// The fleets asked for (every fleet when none is named), in name order, a
/// page of them when none is named, and the token of the next page.
async fn selected(
    daemon: &Daemon,
    input: DescribeFleetsInput,
) -> Result<(Vec<FleetView>, Option<String>), AwsError> {
    match input.fleet_ids {
        Some(ids) => {
            if ids.is_empty() {
                return Err(AwsError::invalid("FleetIds holds at least one id"));
            }
            let mut views = Vec::with_capacity(ids.len());
            for id in &ids {
                let name = resolve_fleet(daemon, Some(id), None)?;
                let view = daemon.cluster_fleet(&name).await.map_err(|e| match e {
                    DaemonError::NotFound { .. } => {
                        AwsError::not_found(format!("fleet {id:?} does not exist"))
                    }
                    other => AwsError::from_daemon(other, Doing::Other),
                })?;
                views.push(view);
            }
            Ok((views, None))
        }
        None => {
            let mut views = daemon
                .cluster_fleets()
                .await
                .map_err(|e| AwsError::from_daemon(e, Doing::Other))?;
            views.sort_by(|a, b| a.fleet.name.cmp(&b.fleet.name));
            let key = |v: &FleetView| v.fleet.name.clone();
            let page = page(views, key, input.limit, input.next_token.as_deref())?;
            Ok((page.items, page.next_token))
        }
    }
}

/// Fleets' attributes.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeFleetAttributesOutput {
    fleet_attributes: Vec<FleetAttributes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// Describes fleets.
pub async fn attributes(
    daemon: &Daemon,
    input: DescribeFleetsInput,
) -> Result<DescribeFleetAttributesOutput, AwsError> {
    let (views, next_token) = selected(daemon, input).await?;
    Ok(DescribeFleetAttributesOutput {
        fleet_attributes: views.iter().map(Into::into).collect(),
        next_token,
    })
}

/// Fleets' capacity.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeFleetCapacityOutput {
    fleet_capacity: Vec<FleetCapacity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// How many game servers each fleet has, by state; the most it can have is
/// every live host's `--max-game-servers`.
pub async fn capacity(
    daemon: &Daemon,
    input: DescribeFleetsInput,
) -> Result<DescribeFleetCapacityOutput, AwsError> {
    let peers = daemon.live_peers();
    let maximum = peers.iter().map(|h| h.max_game_servers).sum::<u32>()
        + daemon.config().engine.max_instances;
    let (views, next_token) = selected(daemon, input).await?;
    Ok(DescribeFleetCapacityOutput {
        fleet_capacity: views
            .iter()
            .map(|v| FleetCapacity::new(v, maximum))
            .collect(),
        next_token,
    })
}

/// Fleets' utilization.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeFleetUtilizationOutput {
    fleet_utilization: Vec<FleetUtilization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// Each fleet's game servers, game sessions in progress and players.
pub async fn utilization(
    daemon: &Daemon,
    input: DescribeFleetsInput,
) -> Result<DescribeFleetUtilizationOutput, AwsError> {
    let (views, next_token) = selected(daemon, input).await?;
    let mut fleet_utilization = Vec::with_capacity(views.len());
    for view in &views {
        let filter = GameSessionFilter {
            fleet: Some(view.fleet.name.clone()),
            status: None,
        };
        let mut sessions = daemon
            .cluster_game_sessions(&filter)
            .await
            .map_err(|e| AwsError::from_daemon(e, Doing::Other))?;
        sessions.retain(|s| !s.game_session.status.is_ended());
        fleet_utilization.push(FleetUtilization::new(view, &sessions));
    }
    Ok(DescribeFleetUtilizationOutput {
        fleet_utilization,
        next_token,
    })
}
