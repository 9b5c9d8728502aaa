//! Every game session the host placed, with its player sessions, kept after
//! the game server that hosted it has gone: the index behind the game-session
//! and player-session queries.

use gamehost_model::{
    DescribePage, DescribeRequest, Error, GameSession, GameSessionStatus, PlayerSession,
    PlayerSessionStatus, Timestamp, page_player_sessions, reasons,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

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

/// The ids of a game session's player sessions and their players, in order:
/// what the indexes of [`Sessions`] hold of it.
fn seat_ids(stored: &StoredGameSession) -> impl Iterator<Item = (&str, &str)> {
    stored
        .player_sessions
        .iter()
        .map(|seat| (seat.player_session_id.as_str(), seat.player_id.as_str()))
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

impl GameSessionFilter {
    /// Whether `session` is of the fleet and in the status asked for.
    pub(super) fn admits(&self, session: &GameSession) -> bool {
        self.fleet.as_ref().is_none_or(|f| &session.fleet_id == f)
            && self.status.is_none_or(|status| session.status == status)
    }
}

/// A game session with how many of its slots player sessions hold
/// (RESERVED or ACTIVE): GameLift's `CurrentPlayerSessionCount`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatedGameSession {
    /// The game session.
    pub game_session: GameSession,
    /// Its player sessions that hold a slot.
    pub player_sessions_held: u32,
}

impl StoredGameSession {
    pub(super) fn seated(&self) -> SeatedGameSession {
        let held = self
            .player_sessions
            .iter()
            .filter(|seat| seat.status.holds_slot())
            .count();
        SeatedGameSession {
            game_session: self.game_session.clone(),
            player_sessions_held: u32::try_from(held).unwrap_or(u32::MAX),
        }
    }
}

/// The index of game sessions, by id, in creation order, with the player
/// sessions of each indexed by their own id and by player: a look-up by any
/// id costs the same however many game sessions the host keeps.
#[derive(Default)]
pub(super) struct Sessions {
    by_id: HashMap<String, StoredGameSession>,
    order: BTreeMap<(Timestamp, String), ()>,
    ended: VecDeque<String>,
    /// Player session id → its game session's id.
    seats: HashMap<String, String>,
    /// (player id, creation time, game session id) of each player session:
    /// a player's game sessions, oldest first. One set for all players, not
    /// a set per player: most players hold one seat, and a set of one entry
    /// would cost a whole tree node.
    by_player: BTreeSet<(String, Timestamp, String)>,
    /// Game session id → the generation of the newest game server record it
    /// was observed in: an older record observed later changes nothing.
    generations: HashMap<String, i64>,
    /// Game server name → the changes observed in its game sessions that
    /// were not yet queued for the store ([`Sessions::hold`]).
    held: HashMap<String, Vec<(String, Observed)>>,
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
        self.index_seats(&stored);
        self.by_id.insert(id, stored);
    }

    /// Records the state of a game session in a game server's record of
    /// `generation`, and the player sessions that belong to it; a record
    /// older than one already observed changes nothing. `player_sessions`
    /// must be no older than those of any earlier observation.
    pub(super) fn observe(
        &mut self,
        session: &GameSession,
        generation: i64,
        player_sessions: &[PlayerSession],
    ) -> Observed {
        let id = &session.game_session_id;
        match self.generations.get_mut(id) {
            Some(newest) if *newest > generation => return Observed::default(),
            Some(newest) => *newest = generation,
            None => {
                self.generations.insert(id.clone(), generation);
            }
        }
        let of_session = || player_sessions.iter().filter(|s| &s.game_session_id == id);
        // Most records a game server publishes leave its game session as it
        // was: found out without copying anything. Seats it no longer lists
        // stay (below), so a record listing none changes none.
        if let Some(stored) = self.by_id.get(id)
            && stored.game_session == *session
            && (of_session().next().is_none() || stored.player_sessions.iter().eq(of_session()))
        {
            return Observed::default();
        }
        // Sized exactly: the index keeps it for the game session's life.
        let mut seats = Vec::with_capacity(of_session().count());
        seats.extend(of_session().cloned());
        let next = StoredGameSession {
            game_session: session.clone(),
            player_sessions: seats,
        };
        let Some(stored) = self.by_id.remove(id) else {
            let ended = session.status.is_ended();
            self.insert(next);
            return Observed {
                changed: true,
                ended,
            };
        };
        if stored == next {
            self.by_id.insert(id.clone(), stored);
            return Observed::default();
        }
        let ended = !stored.game_session.status.is_ended() && session.status.is_ended();
        // Player sessions from before the last change the game server
        // published stay when it no longer lists them.
        let updated = if next.player_sessions.is_empty() && !stored.player_sessions.is_empty() {
            StoredGameSession {
                game_session: next.game_session,
                player_sessions: stored.player_sessions,
            }
        } else {
            // Most changes are of a status; the index changes only with the
            // seats themselves.
            if !seat_ids(&stored).eq(seat_ids(&next)) {
                self.unindex_seats(&stored);
                self.index_seats(&next);
            }
            next
        };
        self.by_id.insert(id.clone(), updated);
        if ended {
            self.ended.push_back(id.clone());
        }
        Observed {
            changed: true,
            ended,
        }
    }

    /// Keeps what [`Sessions::observe`] found in a game session of
    /// `game_server` until [`Sessions::take_held`] hands it to whoever queues
    /// that game server's writes.
    pub(super) fn hold(&mut self, game_server: &str, game_session_id: &str, observed: Observed) {
        if observed == Observed::default() {
            return;
        }
        let held = self.held.entry(game_server.to_owned()).or_default();
        match held.iter_mut().find(|(id, _)| id == game_session_id) {
            Some((_, kept)) => {
                kept.changed |= observed.changed;
                kept.ended |= observed.ended;
            }
            None => held.push((game_session_id.to_owned(), observed)),
        }
    }

    /// What was held for `game_server`'s game sessions, by game session;
    /// nothing is held for it afterwards.
    pub(super) fn take_held(&mut self, game_server: &str) -> Vec<(String, Observed)> {
        self.held.remove(game_server).unwrap_or_default()
    }

    fn index_seats(&mut self, stored: &StoredGameSession) {
        let created = stored.game_session.creation_time;
        let id = &stored.game_session.game_session_id;
        for seat in &stored.player_sessions {
            self.seats
                .insert(seat.player_session_id.clone(), seat.game_session_id.clone());
            self.by_player
                .insert((seat.player_id.clone(), created, id.clone()));
        }
    }

    fn unindex_seats(&mut self, stored: &StoredGameSession) {
        let created = stored.game_session.creation_time;
        let id = &stored.game_session.game_session_id;
        for seat in &stored.player_sessions {
            self.seats.remove(&seat.player_session_id);
            self.by_player
                .remove(&(seat.player_id.clone(), created, id.clone()));
        }
    }

    /// One game session.
    pub(super) fn get(&self, id: &str) -> Option<&StoredGameSession> {
        self.by_id.get(id)
    }

    /// Game sessions in creation order, with the slots held in each.
    pub(super) fn list_seated(&self, filter: &GameSessionFilter) -> Vec<SeatedGameSession> {
        self.matching(filter)
            .map(StoredGameSession::seated)
            .collect()
    }

    /// One game session with the slots held in it.
    pub(super) fn seated(&self, id: &str) -> Option<SeatedGameSession> {
        self.by_id.get(id).map(StoredGameSession::seated)
    }

    fn matching<'a>(
        &'a self,
        filter: &'a GameSessionFilter,
    ) -> impl Iterator<Item = &'a StoredGameSession> + 'a {
        self.order
            .keys()
            .filter_map(|(_, id)| self.by_id.get(id))
            .filter(|s| filter.admits(&s.game_session))
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
                self.unindex_seats(&stored);
            }
            self.generations.remove(&id);
            evicted.push(id);
        }
        evicted
    }

    /// The player session `id`, found through the index.
    pub(super) fn seat(&self, id: &str) -> Option<&PlayerSession> {
        let game_session = self.seats.get(id)?;
        self.by_id
            .get(game_session)?
            .player_sessions
            .iter()
            .find(|s| s.player_session_id == id)
    }

    /// One page of player sessions across game sessions, as GameLift's
    /// DescribePlayerSessions: exactly one of game session, player session
    /// or player id; a status filter; pages of at most 50.
    pub(super) fn describe(&self, request: &DescribeRequest) -> Result<DescribePage, Error> {
        let selected: Box<dyn Iterator<Item = &PlayerSession>> =
            match (&request.game_session_id, &request.player_session_id) {
                (Some(id), _) => {
                    let stored = self.by_id.get(id).ok_or_else(|| {
                        Error::not_found(format!("game session {id:?} does not exist"))
                    })?;
                    Box::new(stored.player_sessions.iter())
                }
                (None, Some(id)) => Box::new(self.seat(id).into_iter()),
                (None, None) => {
                    let player = request.player_id.as_deref().unwrap_or_default();
                    let first = (
                        player.to_owned(),
                        Timestamp::from_millis(i64::MIN),
                        String::new(),
                    );
                    Box::new(
                        self.by_player
                            .range(first..)
                            .take_while(move |(of, _, _)| of == player)
                            .filter_map(|(_, _, id)| self.by_id.get(id))
                            .flat_map(|s| s.player_sessions.iter())
                            .filter(move |s| s.player_id == player),
                    )
                }
            };
        page_player_sessions(selected.zip(0..).map(|(s, n)| (n, s)), request)
    }
}

#[cfg(test)]
mod tests;
