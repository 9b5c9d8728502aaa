//! The game-server registry (GameLift FleetIQ): game servers register into
//! game server groups, report utilization and health, and are claimed for
//! new games by clients and matchmakers.
//!
//! A group exists while at least one game server is registered in it. A
//! claim lasts [`CLAIM_DURATION`]; the claim status is computed from the last
//! claim time whenever an entry is read, so no timer has to clear it.

use super::clock::{Clock, Timestamp};
use super::error::{Error, Result};
use super::limits::{MAX_GAME_SERVERS_PER_GROUP, MAX_REGISTERED_GAME_SERVERS};
use super::registry_requests::{
    ClaimGameServer, ClaimStatus, InstanceStatus, ListGameServers, RegisterGameServer, SortOrder,
    UpdateGameServer, UtilizationStatus, validate_game_server_id, validate_group_name,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound::{Excluded, Unbounded};
use std::sync::Arc;
use std::time::Duration;

/// How long a claimed game server stays CLAIMED (as in GameLift): the time
/// its players have to connect and the game to mark it UTILIZED.
pub const CLAIM_DURATION: Duration = Duration::from_secs(60);

/// A registered game server, as GameLift describes one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegisteredGameServer {
    /// The group it is registered in.
    pub game_server_group_name: String,
    /// The group's ARN, `arn:gamehost:gamelift:<host-id>:gameservergroup/<group>`.
    pub game_server_group_arn: String,
    /// Unique across the host's groups.
    pub game_server_id: String,
    /// The instance it reported running on.
    pub instance_id: String,
    /// How clients connect to it.
    pub connection_info: Option<String>,
    /// Its free-form properties.
    pub game_server_data: Option<String>,
    /// CLAIMED during [`CLAIM_DURATION`] after a claim, null otherwise.
    pub claim_status: Option<ClaimStatus>,
    /// Whether it hosts a game.
    pub utilization_status: UtilizationStatus,
    /// When it registered.
    pub registration_time: Timestamp,
    /// When it was last claimed.
    pub last_claim_time: Option<Timestamp>,
    /// When it last reported HEALTHY.
    pub last_health_check_time: Option<Timestamp>,
}

/// A page of a group's game servers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GameServerPage {
    /// The game servers, in the requested order.
    pub game_servers: Vec<RegisteredGameServer>,
    /// Where the next page starts, when there is one.
    pub next_token: Option<String>,
}

/// What the registry keeps of a game server; the ARN and the claim status
/// are derived when it is read.
#[derive(Debug)]
struct Entry {
    group: String,
    instance_id: String,
    connection_info: Option<String>,
    game_server_data: Option<String>,
    utilization_status: UtilizationStatus,
    registration_time: Timestamp,
    last_claim_time: Option<Timestamp>,
    last_health_check_time: Option<Timestamp>,
}

impl Entry {
    fn is_claimed(&self, now: Timestamp) -> bool {
        self.last_claim_time
            .is_some_and(|claimed| now < claimed + CLAIM_DURATION)
    }

    fn is_claimable(&self, now: Timestamp) -> bool {
        self.utilization_status == UtilizationStatus::Available && !self.is_claimed(now)
    }

    /// Where it sorts in its group: by registration time, then by id so that
    /// the order is total and survives a restart.
    fn key(&self, id: &str) -> Key {
        (self.registration_time, id.to_owned())
    }
}

type Key = (Timestamp, String);

/// The game servers registered on one host, by id and by group.
#[derive(Debug)]
pub struct Registry {
    clock: Arc<dyn Clock>,
    arn_prefix: String,
    instance_status: InstanceStatus,
    servers: HashMap<String, Entry>,
    groups: BTreeMap<String, BTreeSet<Key>>,
}

impl Registry {
    /// An empty registry of the host `host_id`, whose instance is ACTIVE.
    pub fn new(host_id: &str, clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            arn_prefix: format!("arn:gamehost:gamelift:{host_id}:gameservergroup/"),
            instance_status: InstanceStatus::Active,
            servers: HashMap::new(),
            groups: BTreeMap::new(),
        }
    }

    /// Rebuilds the registry from stored [`Self::entries`]. Their ARNs and
    /// claim statuses are derived, so the stored ones are ignored; the
    /// capacity bounds are not applied, so that a restart keeps every
    /// acknowledged registration.
    pub fn restore(
        host_id: &str,
        clock: Arc<dyn Clock>,
        entries: impl IntoIterator<Item = RegisteredGameServer>,
    ) -> Result<Self> {
        let mut registry = Self::new(host_id, clock);
        for stored in entries {
            let id = stored.game_server_id;
            let request = RegisterGameServer {
                game_server_id: id.clone(),
                instance_id: stored.instance_id,
                connection_info: stored.connection_info,
                game_server_data: stored.game_server_data,
            };
            validate_group_name(&stored.game_server_group_name)
                .and_then(|()| request.validate())
                .and_then(|()| registry.check_unused(&id))
                .map_err(|e| Error {
                    message: format!("stored game server {id:?}: {}", e.message),
                    ..e
                })?;
            let entry = Entry {
                group: stored.game_server_group_name,
                instance_id: request.instance_id,
                connection_info: request.connection_info,
                game_server_data: request.game_server_data,
                utilization_status: stored.utilization_status,
                registration_time: stored.registration_time,
                last_claim_time: stored.last_claim_time,
                last_health_check_time: stored.last_health_check_time,
            };
            registry.insert(id, entry);
        }
        Ok(registry)
    }

    /// Every registered game server, group by group, oldest first: what the
    /// daemon stores to [`Self::restore`] after a restart.
    pub fn entries(&self) -> impl Iterator<Item = RegisteredGameServer> + '_ {
        let now = self.clock.now();
        self.groups
            .values()
            .flatten()
            .filter_map(move |(_, id)| self.servers.get(id).map(|e| self.view(id, e, now)))
    }

    /// Marks the host's instance ACTIVE or DRAINING; a draining host takes
    /// no new registrations and keeps its game servers from claims that do
    /// not accept DRAINING instances.
    pub fn set_instance_status(&mut self, status: InstanceStatus) {
        self.instance_status = status;
    }

    /// Registers a game server into `group` (a name or this host's ARN of
    /// it): AVAILABLE, unclaimed, registered now. A taken id is
    /// `already-exists` (GameLift's ConflictException), a full group or host
    /// `at-capacity` (its LimitExceededException).
    pub fn register(
        &mut self,
        group: &str,
        request: RegisterGameServer,
    ) -> Result<RegisteredGameServer> {
        let group = self.resolve_group(group)?;
        request.validate()?;
        if self.instance_status == InstanceStatus::Draining {
            return Err(Error::failed_precondition(
                "this host's instance is DRAINING and takes no new game servers",
            ));
        }
        self.check_unused(&request.game_server_id)?;
        if self.servers.len() >= MAX_REGISTERED_GAME_SERVERS {
            return Err(Error::at_capacity(format!(
                "this host already has {MAX_REGISTERED_GAME_SERVERS} registered game servers"
            )));
        }
        if self.groups.get(group).map_or(0, BTreeSet::len) >= MAX_GAME_SERVERS_PER_GROUP {
            return Err(Error::at_capacity(format!(
                "game server group {group:?} already has {MAX_GAME_SERVERS_PER_GROUP} game servers"
            )));
        }
        let now = self.clock.now();
        let entry = Entry {
            group: group.to_owned(),
            instance_id: request.instance_id,
            connection_info: request.connection_info,
            game_server_data: request.game_server_data,
            utilization_status: UtilizationStatus::Available,
            registration_time: now,
            last_claim_time: None,
            // Registering is the game server's first report of its health.
            last_health_check_time: Some(now),
        };
        let view = self.view(&request.game_server_id, &entry, now);
        self.insert(request.game_server_id, entry);
        Ok(view)
    }

    /// Claims a game server of `group` for a new game: the one named, or the
    /// oldest registered one that is AVAILABLE and not CLAIMED. A named one
    /// that cannot be claimed is a `failed-precondition` (GameLift's
    /// ConflictException); none left to pick is `at-capacity` (GameLift's
    /// OutOfCapacityException), which a client may retry.
    pub fn claim(&mut self, group: &str, request: ClaimGameServer) -> Result<RegisteredGameServer> {
        let group = self.resolve_group(group)?;
        request.validate()?;
        let now = self.clock.now();
        let instance_qualifies =
            self.instance_status == InstanceStatus::Active || request.accepts_draining();
        let id = match request.game_server_id {
            Some(id) => {
                let entry = self.entry(group, &id)?;
                if !instance_qualifies {
                    return Err(Error::failed_precondition(format!(
                        "game server {id:?} runs on a DRAINING instance, which the filter option excludes"
                    )));
                }
                if entry.utilization_status == UtilizationStatus::Utilized {
                    return Err(Error::failed_precondition(format!(
                        "game server {id:?} is UTILIZED"
                    )));
                }
                if entry.is_claimed(now) {
                    return Err(Error::failed_precondition(format!(
                        "game server {id:?} is already CLAIMED"
                    )));
                }
                id
            }
            None => {
                let members = self.members(group)?;
                if !instance_qualifies {
                    return Err(Error::at_capacity(format!(
                        "no game server of group {group:?} can be claimed: this host's instance is DRAINING"
                    )));
                }
                let found = members.iter().map(|(_, id)| id).find(|id| {
                    self.servers
                        .get(id.as_str())
                        .is_some_and(|e| e.is_claimable(now))
                });
                match found {
                    Some(id) => id.clone(),
                    None => {
                        return Err(Error::at_capacity(format!(
                            "game server group {group:?} has no AVAILABLE, unclaimed game server"
                        )));
                    }
                }
            }
        };
        let entry = self.entry_mut(group, &id)?;
        entry.last_claim_time = Some(now);
        if let Some(data) = request.game_server_data {
            entry.game_server_data = Some(data);
        }
        Ok(self.view(&id, self.entry(group, &id)?, now))
    }

    /// Applies a game server's report: its utilization, its health (which
    /// sets the last health check time) and its data, all or nothing.
    pub fn update(
        &mut self,
        group: &str,
        id: &str,
        request: UpdateGameServer,
    ) -> Result<RegisteredGameServer> {
        let group = self.resolve_group(group)?;
        validate_game_server_id(id)?;
        request.validate()?;
        let now = self.clock.now();
        let entry = self.entry_mut(group, id)?;
        // As in GameLift: a game server that has hosted a game is
        // deregistered when it ends, not offered again.
        if entry.utilization_status == UtilizationStatus::Utilized
            && request.utilization_status == Some(UtilizationStatus::Available)
        {
            return Err(Error::failed_precondition(format!(
                "game server {id:?} is UTILIZED and cannot become AVAILABLE again; deregister it and register a new one"
            )));
        }
        if let Some(status) = request.utilization_status {
            entry.utilization_status = status;
        }
        if request.health_check.is_some() {
            entry.last_health_check_time = Some(now);
        }
        if let Some(data) = request.game_server_data {
            entry.game_server_data = Some(data);
        }
        Ok(self.view(id, self.entry(group, id)?, now))
    }

    /// Removes a game server from its group, whatever its status.
    pub fn deregister(&mut self, group: &str, id: &str) -> Result<()> {
        let group = self.resolve_group(group)?;
        validate_game_server_id(id)?;
        let key = self.entry(group, id)?.key(id);
        self.servers.remove(id);
        if let Some(members) = self.groups.get_mut(group) {
            members.remove(&key);
            if members.is_empty() {
                self.groups.remove(group);
            }
        }
        Ok(())
    }

    /// One game server of `group`.
    pub fn describe(&self, group: &str, id: &str) -> Result<RegisteredGameServer> {
        let group = self.resolve_group(group)?;
        validate_game_server_id(id)?;
        let entry = self.entry(group, id)?;
        Ok(self.view(id, entry, self.clock.now()))
    }

    /// One page of the game servers of `group` by registration time. The
    /// next token names the last game server returned rather than an offset,
    /// so registrations and deregistrations between pages never make a page
    /// repeat a game server or skip one that stays registered.
    pub fn list(&self, group: &str, request: &ListGameServers) -> Result<GameServerPage> {
        let group = self.resolve_group(group)?;
        request.validate()?;
        let members = self.members(group)?;
        let after = request.next_token.as_deref().map(parse_token).transpose()?;
        let take = request.page_size() + 1;
        let keys: Vec<&Key> = match (request.sort_order, after) {
            (SortOrder::Ascending, None) => members.iter().take(take).collect(),
            (SortOrder::Ascending, Some(key)) => members
                .range((Excluded(key), Unbounded))
                .take(take)
                .collect(),
            (SortOrder::Descending, None) => members.iter().rev().take(take).collect(),
            (SortOrder::Descending, Some(key)) => members
                .range((Unbounded, Excluded(key)))
                .rev()
                .take(take)
                .collect(),
        };
        let more = keys.len() > request.page_size();
        let now = self.clock.now();
        let game_servers: Vec<RegisteredGameServer> = keys
            .iter()
            .take(request.page_size())
            .filter_map(|(_, id)| self.servers.get(id).map(|e| self.view(id, e, now)))
            .collect();
        let next_token = game_servers.last().filter(|_| more).map(token_of);
        Ok(GameServerPage {
            game_servers,
            next_token,
        })
    }

    /// The group name of `group`, given as a name or as this host's ARN of it.
    fn resolve_group<'a>(&self, group: &'a str) -> Result<&'a str> {
        let name = if group.starts_with("arn:") {
            group.strip_prefix(&self.arn_prefix).ok_or_else(|| {
                Error::not_found(format!(
                    "game server group {group:?} is not on this host (its ARNs start with {:?})",
                    self.arn_prefix
                ))
            })?
        } else {
            group
        };
        validate_group_name(name)?;
        Ok(name)
    }

    fn check_unused(&self, id: &str) -> Result<()> {
        match self.servers.get(id) {
            Some(entry) => Err(Error::already_exists(format!(
                "game server {id:?} is already registered (in group {:?})",
                entry.group
            ))),
            None => Ok(()),
        }
    }

    fn insert(&mut self, id: String, entry: Entry) {
        self.groups
            .entry(entry.group.clone())
            .or_default()
            .insert(entry.key(&id));
        self.servers.insert(id, entry);
    }

    fn members(&self, group: &str) -> Result<&BTreeSet<Key>> {
        self.groups.get(group).ok_or_else(|| {
            Error::not_found(format!(
                "game server group {group:?} has no registered game servers"
            ))
        })
    }

    fn entry(&self, group: &str, id: &str) -> Result<&Entry> {
        self.members(group)?;
        self.servers
            .get(id)
            .filter(|e| e.group == group)
            .ok_or_else(|| not_in_group(group, id))
    }

    fn entry_mut(&mut self, group: &str, id: &str) -> Result<&mut Entry> {
        self.members(group)?;
        self.servers
            .get_mut(id)
            .filter(|e| e.group == group)
            .ok_or_else(|| not_in_group(group, id))
    }

    fn view(&self, id: &str, entry: &Entry, now: Timestamp) -> RegisteredGameServer {
        RegisteredGameServer {
            game_server_group_name: entry.group.clone(),
            game_server_group_arn: format!("{}{}", self.arn_prefix, entry.group),
            game_server_id: id.to_owned(),
            instance_id: entry.instance_id.clone(),
            connection_info: entry.connection_info.clone(),
            game_server_data: entry.game_server_data.clone(),
            claim_status: entry.is_claimed(now).then_some(ClaimStatus::Claimed),
            utilization_status: entry.utilization_status,
            registration_time: entry.registration_time,
            last_claim_time: entry.last_claim_time,
            last_health_check_time: entry.last_health_check_time,
        }
    }
}

fn not_in_group(group: &str, id: &str) -> Error {
    Error::not_found(format!(
        "game server {id:?} is not registered in group {group:?}"
    ))
}

/// The position a next token names: `<registration millis>:<game server id>`.
/// The next token after `last`: its registration time and id.
fn token_of(last: &RegisteredGameServer) -> String {
    format!(
        "{}:{}",
        last.registration_time.as_millis(),
        last.game_server_id
    )
}

/// One page of `game_servers` (any group's, such as a fleet's game servers
/// seen as a group) by registration time, as [`Registry::list`] pages a
/// registered group.
pub fn page_game_servers(
    mut game_servers: Vec<RegisteredGameServer>,
    request: &ListGameServers,
) -> Result<GameServerPage> {
    request.validate()?;
    let after = request.next_token.as_deref().map(parse_token).transpose()?;
    let key = |g: &RegisteredGameServer| (g.registration_time, g.game_server_id.clone());
    game_servers.sort_by_key(key);
    if request.sort_order == SortOrder::Descending {
        game_servers.reverse();
    }
    let mut page: Vec<RegisteredGameServer> = game_servers
        .into_iter()
        .filter(|g| match (&after, request.sort_order) {
            (None, _) => true,
            (Some(after), SortOrder::Ascending) => key(g) > *after,
            (Some(after), SortOrder::Descending) => key(g) < *after,
        })
        .take(request.page_size() + 1)
        .collect();
    let more = page.len() > request.page_size();
    page.truncate(request.page_size());
    let next_token = page.last().filter(|_| more).map(token_of);
    Ok(GameServerPage {
        game_servers: page,
        next_token,
    })
}

fn parse_token(token: &str) -> Result<Key> {
    token
        .split_once(':')
        .and_then(|(millis, id)| {
            let millis = millis.parse::<i64>().ok()?;
            validate_game_server_id(id).ok()?;
            Some((Timestamp::from_millis(millis), id.to_owned()))
        })
        .ok_or_else(|| {
            Error::invalid_argument(format!("nextToken {token:?} is not one this host issued"))
        })
}
