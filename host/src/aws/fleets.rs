//! GameLift's fleet operations over Gamehost's fleets: a fleet's id is its
//! name, and an instance is a game server.

use super::error::AwsError;
use super::game_sessions::resolve_fleet;
use super::paging::page;
use super::shapes::{FleetAttributes, FleetCapacity, FleetUtilization};
use gamehost_daemon::{Daemon, FleetView, GameSessionFilter};
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
fn selected(
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
                views.push(
                    daemon
                        .fleet(&name)
                        .map_err(|_| AwsError::not_found(format!("fleet {id:?} does not exist")))?,
                );
            }
            Ok((views, None))
        }
        None => {
            let mut views = daemon.fleets();
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
pub fn attributes(
    daemon: &Daemon,
    input: DescribeFleetsInput,
) -> Result<DescribeFleetAttributesOutput, AwsError> {
    let (views, next_token) = selected(daemon, input)?;
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

/// How many game servers each fleet has, by state.
pub fn capacity(
    daemon: &Daemon,
    input: DescribeFleetsInput,
    maximum: u32,
) -> Result<DescribeFleetCapacityOutput, AwsError> {
    let (views, next_token) = selected(daemon, input)?;
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
pub fn utilization(
    daemon: &Daemon,
    input: DescribeFleetsInput,
) -> Result<DescribeFleetUtilizationOutput, AwsError> {
    let (views, next_token) = selected(daemon, input)?;
    let fleet_utilization = views
        .iter()
        .map(|view| {
            let filter = GameSessionFilter {
                fleet: Some(view.fleet.name.clone()),
                status: None,
            };
            let mut sessions = daemon.seated_game_sessions(&filter);
            sessions.retain(|s| !s.game_session.status.is_ended());
            FleetUtilization::new(view, &sessions)
        })
        .collect();
    Ok(DescribeFleetUtilizationOutput {
        fleet_utilization,
        next_token,
    })
}
