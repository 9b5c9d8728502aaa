//! Every game session the host placed, with its player sessions, kept after
//! the game server that hosted it has gone: the index behind the game-session
//! and player-session queries.

use crate::model::{
    DescribePage, DescribeRequest, Error, GameSession, GameSessionStatus, PlayerSession,
    PlayerSessionStatus, Timestamp, reasons,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// A game session and its player sessions, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StoredGameSession {
    pub(super) game_session: GameSession,
    pub(super) player_sessions: Vec<PlayerSession>,
}

impl StoredGameSession {
    /// Closes a game session whose game server did not survive a restart:
    /// TERMINATED with reason INTERRUPTED, its seats COMPLETED.
    pub(super) fn interrupt(&mut self, now: Timestamp) -> bool {
        let ended = self
            .game_session
            .end(GameSessionStatus::Terminated, reasons::INTERRUPTED, now);
        let mut changed = ended;
        for seat in &mut self.player_sessions {
            if seat.status.holds_slot() {
                seat.status = PlayerSessionStatus::Completed;
                seat.termination_time = Some(now);
                changed = true;
            }
        }
        changed
    }
}

/// What [`Sessions::observe`] found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Observed {
    /// The stored game session changed.
    pub(super) changed: bool,
    /// It ended just now.
    pub(super) ended: bool,
}

/// Which game sessions to list.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GameSessionFilter {
    /// Only this fleet's.
    pub fleet: Option<String>,
    /// Only in this status.
    pub status: Option<GameSessionStatus>,
}

/// The index of game sessions, by id, in creation order.
#[derive(Default)]
pub(super) struct Sessions {
    by_id: HashMap<String, StoredGameSession>,
    order: BTreeMap<(Timestamp, String), ()>,
    ended: VecDeque<String>,
}

impl Sessions {
    /// Adds a stored game session (at startup).
    pub(super) fn insert(&mut self, stored: StoredGameSession) {
        let id = stored.game_session.game_session_id.clone();
        self.order
            .insert((stored.game_session.creation_time, id.clone()), ());
        if stored.game_session.status.is_ended() {
            self.ended.push_back(id.clone());
        }
        self.by_id.insert(id, stored);
    }

    /// Records the latest state of a game session and the player sessions
    /// that belong to it.
    pub(super) fn observe(
        &mut self,
        session: &GameSession,
        player_sessions: &[PlayerSession],
    ) -> Observed {
        let id = &session.game_session_id;
        let seats: Vec<PlayerSession> = player_sessions
            .iter()
            .filter(|s| &s.game_session_id == id)
            .cloned()
            .collect();
        let next = StoredGameSession {
            game_session: session.clone(),
            player_sessions: seats,
        };
        match self.by_id.get_mut(id) {
            Some(stored) if *stored == next => Observed::default(),
            Some(stored) => {
                let ended = !stored.game_session.status.is_ended() && session.status.is_ended();
                // Player sessions from before the last change the game
                // server published stay when it no longer lists them.
                if next.player_sessions.is_empty() && !stored.player_sessions.is_empty() {
                    stored.game_session = next.game_session;
                } else {
                    *stored = next;
                }
                if ended {
                    self.ended.push_back(id.clone());
                }
                Observed {
                    changed: true,
                    ended,
                }
            }
            None => {
                let ended = session.status.is_ended();
                self.insert(next);
                Observed {
                    changed: true,
                    ended,
                }
            }
        }
    }

    /// One game session.
    pub(super) fn get(&self, id: &str) -> Option<&StoredGameSession> {
        self.by_id.get(id)
    }

    /// Game sessions in creation order.
    pub(super) fn list(&self, filter: &GameSessionFilter) -> Vec<GameSession> {
        self.order
            .keys()
            .filter_map(|(_, id)| self.by_id.get(id))
            .map(|s| &s.game_session)
            .filter(|s| filter.fleet.as_ref().is_none_or(|f| &s.fleet_id == f))
            .filter(|s| filter.status.is_none_or(|status| s.status == status))
            .cloned()
            .collect()
    }

    /// How many game sessions are in each status.
    pub(super) fn count_by_status(&self) -> BTreeMap<GameSessionStatus, u64> {
        let mut counts = BTreeMap::new();
        for stored in self.by_id.values() {
            *counts.entry(stored.game_session.status).or_insert(0) += 1;
        }
        counts
    }

    /// Forgets the oldest ended game sessions beyond `keep`; returns their ids.
    pub(super) fn evict(&mut self, keep: usize) -> Vec<String> {
        let mut evicted = Vec::new();
        while self.ended.len() > keep {
            let Some(id) = self.ended.pop_front() else {
                break;
            };
            if let Some(stored) = self.by_id.remove(&id) {
                self.order
                    .remove(&(stored.game_session.creation_time, id.clone()));
            }
            evicted.push(id);
        }
        evicted
    }

    /// One page of player sessions across game sessions, as GameLift's
    /// DescribePlayerSessions: exactly one of game session, player session
    /// or player id; a status filter; pages of at most 50.
    pub(super) fn describe(&self, request: &DescribeRequest) -> Result<DescribePage, Error> {
        let limit = request.page_size()?;
        let start = match &request.next_token {
            Some(token) => token.parse::<usize>().map_err(|_| {
                Error::invalid_argument(format!("next token {token:?} is not one this host issued"))
            })?,
            None => 0,
        };
        if let Some(id) = &request.game_session_id
            && !self.by_id.contains_key(id)
        {
            return Err(Error::not_found(format!(
                "game session {id:?} does not exist"
            )));
        }
        let matching = self
            .order
            .keys()
            .filter(|(_, id)| request.game_session_id.as_ref().is_none_or(|g| g == id))
            .filter_map(|(_, id)| self.by_id.get(id))
            .flat_map(|s| s.player_sessions.iter())
            .filter(|s| {
                request
                    .player_session_id
                    .as_ref()
                    .is_none_or(|id| &s.player_session_id == id)
                    && request
                        .player_id
                        .as_ref()
                        .is_none_or(|id| &s.player_id == id)
                    && request
                        .player_session_status_filter
                        .is_none_or(|status| s.status == status)
            });
        let mut page = matching.skip(start);
        let player_sessions: Vec<PlayerSession> =
            page.by_ref().take(limit as usize).cloned().collect();
        let next_token = page
            .next()
            .map(|_| (start + player_sessions.len()).to_string());
        Ok(DescribePage {
            player_sessions,
            next_token,
        })
    }
}
