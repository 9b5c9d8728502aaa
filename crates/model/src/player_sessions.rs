//! Player sessions (GameLift): RESERVED → ACTIVE → COMPLETED, or TIMEDOUT.

use super::clock::Timestamp;
use super::error::{Error, Result};
use super::game_session::{Endpoint, check_text};
use super::limits::{
    MAX_DESCRIBE_LIMIT, MAX_ID_BYTES, MAX_PLAYER_DATA_BYTES, MAX_PLAYER_SESSION_RECORDS,
};
use serde::{Deserialize, Serialize};

/// The status of a player session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlayerSessionStatus {
    /// A slot is held.
    Reserved,
    /// The guest accepted the player.
    Active,
    /// The player left or the game session ended.
    Completed,
    /// Not accepted in time.
    Timedout,
}

impl PlayerSessionStatus {
    /// Whether the player session holds a slot.
    pub fn holds_slot(self) -> bool {
        matches!(self, Self::Reserved | Self::Active)
    }

    /// The status as GameLift writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reserved => "RESERVED",
            Self::Active => "ACTIVE",
            Self::Completed => "COMPLETED",
            Self::Timedout => "TIMEDOUT",
        }
    }
}

/// A player session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlayerSession {
    /// Unique id.
    pub player_session_id: String,
    /// The player's id.
    pub player_id: String,
    /// The game session.
    pub game_session_id: String,
    /// The hosting fleet.
    pub fleet_id: String,
    /// Where the player connects.
    #[serde(flatten)]
    pub endpoint: Endpoint,
    /// Free-form player data.
    pub player_data: String,
    /// Status.
    pub status: PlayerSessionStatus,
    /// Creation time.
    pub creation_time: Timestamp,
    /// When it reached COMPLETED or TIMEDOUT.
    pub termination_time: Option<Timestamp>,
    /// When a RESERVED player session times out.
    #[serde(skip)]
    expires_at: Timestamp,
    #[serde(skip)]
    seq: u64,
}

/// What a client gives to create a player session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct NewPlayerSession {
    /// The player's id.
    pub player_id: String,
    /// Free-form player data.
    pub player_data: String,
}

impl DescribeRequest {
    /// Checks that exactly one of the ids is given, of at most 256 bytes,
    /// and returns the page size: the limit (1 to 50, 50 when absent),
    /// ignored for one player session, as in GameLift.
    pub fn page_size(&self) -> Result<u32> {
        let selectors = [
            ("gameSessionId", &self.game_session_id),
            ("playerSessionId", &self.player_session_id),
            ("playerId", &self.player_id),
        ];
        if selectors.iter().filter(|(_, s)| s.is_some()).count() != 1 {
            return Err(Error::invalid_argument(
                "give exactly one of gameSessionId, playerSessionId and playerId",
            ));
        }
        for (name, id) in selectors {
            if let Some(id) = id {
                check_text(name, id, 1, MAX_ID_BYTES)?;
            }
        }
        match (self.player_session_id.is_some(), self.limit) {
            (true, _) | (false, None) => Ok(MAX_DESCRIBE_LIMIT),
            (false, Some(limit)) if (1..=MAX_DESCRIBE_LIMIT).contains(&limit) => Ok(limit),
            (false, Some(limit)) => Err(Error::out_of_range(format!(
                "limit must be within [1, {MAX_DESCRIBE_LIMIT}], got {limit}"
            ))),
        }
    }
}

impl NewPlayerSession {
    /// Checks the bounds, naming the offending field.
    pub fn validate(&self) -> Result<()> {
        check_text("playerId", &self.player_id, 1, MAX_ID_BYTES)?;
        check_text("playerData", &self.player_data, 0, MAX_PLAYER_DATA_BYTES)
    }
}

/// Which player sessions to describe; exactly one id must be given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct DescribeRequest {
    /// All player sessions of a game session.
    pub game_session_id: Option<String>,
    /// One player session.
    pub player_session_id: Option<String>,
    /// All player sessions of a player.
    pub player_id: Option<String>,
    /// Only this status.
    pub player_session_status_filter: Option<PlayerSessionStatus>,
    /// Page size, 1 to 50; 50 when absent.
    pub limit: Option<u32>,
    /// Continue from a previous page.
    pub next_token: Option<String>,
}

/// A page of player sessions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DescribePage {
    /// The player sessions, oldest first.
    pub player_sessions: Vec<PlayerSession>,
    /// Where the next page starts.
    pub next_token: Option<String>,
}

/// The player sessions of one game session.
#[derive(Clone, Debug, Default)]
pub struct PlayerSessions {
    sessions: Vec<PlayerSession>,
    next_seq: u64,
}

/// The fixed parts of player sessions created for one game session.
pub struct SessionContext<'a> {
    /// The game session's id.
    pub game_session_id: &'a str,
    /// The fleet's id.
    pub fleet_id: &'a str,
    /// Where players connect.
    pub endpoint: &'a Endpoint,
    /// The time of creation.
    pub now: Timestamp,
    /// When the new sessions time out if not accepted.
    pub expires_at: Timestamp,
}

/// One page of the `candidates` that match `request`'s player session,
/// player and status filters, as `describe-player-sessions` and GameLift's
/// DescribePlayerSessions answer. Each candidate comes with its position in
/// the sequence paged, increasing and stable while pages are read; a next
/// token is the position of the first player session of the next page.
pub fn page_player_sessions<'a>(
    candidates: impl IntoIterator<Item = (u64, &'a PlayerSession)>,
    request: &DescribeRequest,
) -> Result<DescribePage> {
    let limit = request.page_size()?;
    let start = match &request.next_token {
        Some(token) => token.parse::<u64>().map_err(|_| {
            Error::invalid_argument(format!("next token {token:?} is not one this host issued"))
        })?,
        None => 0,
    };
    let mut matching = candidates.into_iter().filter(|(position, s)| {
        *position >= start
            && request
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
    let player_sessions: Vec<PlayerSession> = matching
        .by_ref()
        .take(limit as usize)
        .map(|(_, s)| s.clone())
        .collect();
    let next_token = matching.next().map(|(position, _)| position.to_string());
    Ok(DescribePage {
        player_sessions,
        next_token,
    })
}

impl PlayerSessions {
    /// All player sessions, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &PlayerSession> {
        self.sessions.iter()
    }

    /// How many player sessions hold a slot.
    pub fn slots_held(&self) -> usize {
        self.sessions
            .iter()
            .filter(|s| s.status.holds_slot())
            .count()
    }

    /// The player session `id`.
    pub fn get(&self, id: &str) -> Option<&PlayerSession> {
        self.sessions.iter().find(|s| s.player_session_id == id)
    }

    /// Adds RESERVED player sessions with the given ids.
    pub fn reserve(&mut self, ctx: &SessionContext<'_>, new: Vec<(String, NewPlayerSession)>) {
        // Room for just these: a game session's seats are few and are kept
        // for its life, so the usual doubling would mostly hold empty slots.
        self.sessions.reserve_exact(new.len());
        for (id, player) in new {
            self.sessions.push(PlayerSession {
                player_session_id: id,
                player_id: player.player_id,
                game_session_id: ctx.game_session_id.to_owned(),
                fleet_id: ctx.fleet_id.to_owned(),
                endpoint: ctx.endpoint.clone(),
                player_data: player.player_data,
                status: PlayerSessionStatus::Reserved,
                creation_time: ctx.now,
                termination_time: None,
                expires_at: ctx.expires_at,
                seq: self.next_seq,
            });
            self.next_seq += 1;
        }
        self.forget_oldest_ended();
    }

    /// RESERVED → ACTIVE.
    pub fn accept(&mut self, id: &str) -> Result<()> {
        let session = self.find_mut(id)?;
        if session.status != PlayerSessionStatus::Reserved {
            return Err(Error::failed_precondition(format!(
                "player session {id:?} is {}, not RESERVED",
                session.status.as_str()
            )));
        }
        session.status = PlayerSessionStatus::Active;
        Ok(())
    }

    /// RESERVED or ACTIVE → COMPLETED.
    pub fn remove(&mut self, id: &str, now: Timestamp) -> Result<()> {
        let session = self.find_mut(id)?;
        if !session.status.holds_slot() {
            return Err(Error::failed_precondition(format!(
                "player session {id:?} has already ended ({})",
                session.status.as_str()
            )));
        }
        session.status = PlayerSessionStatus::Completed;
        session.termination_time = Some(now);
        Ok(())
    }

    /// Completes every player session that holds a slot.
    pub fn complete_all(&mut self, now: Timestamp) {
        for session in self.sessions.iter_mut().filter(|s| s.status.holds_slot()) {
            session.status = PlayerSessionStatus::Completed;
            session.termination_time = Some(now);
        }
    }

    /// Times out RESERVED player sessions whose time is up; returns how many.
    pub fn expire(&mut self, now: Timestamp) -> usize {
        let mut expired = 0;
        for session in &mut self.sessions {
            if session.status == PlayerSessionStatus::Reserved && session.expires_at <= now {
                session.status = PlayerSessionStatus::Timedout;
                session.termination_time = Some(now);
                expired += 1;
            }
        }
        expired
    }

    /// Times out player session `id` alone, if it is RESERVED and its time
    /// is up; returns whether it did. Cheaper than [`Self::expire`] when
    /// only one player session's status matters.
    pub fn expire_one(&mut self, id: &str, now: Timestamp) -> bool {
        self.status_at(id, now).is_some_and(|(_, expired)| expired)
    }

    /// The status of player session `id` at `now`, after timing it out if
    /// it is RESERVED and its time is up (then the flag is true); `None`
    /// when there is no such player session. One look-up, for the status a
    /// player's every message is checked against.
    pub fn status_at(&mut self, id: &str, now: Timestamp) -> Option<(PlayerSessionStatus, bool)> {
        let session = self
            .sessions
            .iter_mut()
            .find(|s| s.player_session_id == id)?;
        let expired = session.status == PlayerSessionStatus::Reserved && session.expires_at <= now;
        if expired {
            session.status = PlayerSessionStatus::Timedout;
            session.termination_time = Some(now);
        }
        Some((session.status, expired))
    }

    /// When the next RESERVED player session times out.
    pub fn next_expiry(&self) -> Option<Timestamp> {
        self.sessions
            .iter()
            .filter(|s| s.status == PlayerSessionStatus::Reserved)
            .map(|s| s.expires_at)
            .min()
    }

    /// One page of the player sessions matching `request`, whose
    /// `game_session_id` (if given) has already been matched by the caller.
    pub fn describe(&self, request: &DescribeRequest) -> Result<DescribePage> {
        page_player_sessions(self.sessions.iter().map(|s| (s.seq, s)), request)
    }

    fn find_mut(&mut self, id: &str) -> Result<&mut PlayerSession> {
        self.sessions
            .iter_mut()
            .find(|s| s.player_session_id == id)
            .ok_or_else(|| {
                Error::not_found(format!(
                    "player session {id:?} is not one of this game session's"
                ))
            })
    }

    fn forget_oldest_ended(&mut self) {
        while self.sessions.len() > MAX_PLAYER_SESSION_RECORDS {
            match self.sessions.iter().position(|s| !s.status.holds_slot()) {
                Some(index) => {
                    self.sessions.remove(index);
                }
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode::*;

    fn sessions(n: usize) -> PlayerSessions {
        let endpoint = Endpoint::default();
        let ctx = SessionContext {
            game_session_id: "gs",
            fleet_id: "fleet",
            endpoint: &endpoint,
            now: Timestamp::from_millis(0),
            expires_at: Timestamp::from_millis(60_000),
        };
        let mut all = PlayerSessions::default();
        let new = (0..n)
            .map(|i| {
                (
                    format!("ps-{i}"),
                    NewPlayerSession {
                        player_id: format!("player-{}", i % 2),
                        player_data: String::new(),
                    },
                )
            })
            .collect();
        all.reserve(&ctx, new);
        all
    }

    #[test]
    fn status_at_times_out_a_reserved_player_session_once() {
        use PlayerSessionStatus::{Active, Reserved, Timedout};
        let mut s = sessions(2);
        s.accept("ps-0").unwrap();
        // (id, at) → (status, timed out now)
        let cases = [
            ("ps-1", 59_999, Some((Reserved, false))),
            ("ps-0", 60_000, Some((Active, false))),
            ("ps-1", 60_000, Some((Timedout, true))),
            ("ps-1", 60_001, Some((Timedout, false))),
            ("nope", 60_001, None),
        ];
        for (id, at, expected) in cases {
            assert_eq!(
                s.status_at(id, Timestamp::from_millis(at)),
                expected,
                "{id} at {at}"
            );
        }
    }

    #[test]
    fn transitions() {
        let now = Timestamp::from_millis(1);
        let mut s = sessions(3);
        s.accept("ps-0").unwrap();
        assert_eq!(s.accept("ps-0").unwrap_err().code, FailedPrecondition);
        assert_eq!(s.accept("nope").unwrap_err().code, NotFound);
        s.remove("ps-0", now).unwrap();
        assert_eq!(s.remove("ps-0", now).unwrap_err().code, FailedPrecondition);
        s.remove("ps-1", now).unwrap();
        assert_eq!(
            s.get("ps-1").unwrap().status,
            PlayerSessionStatus::Completed
        );
        assert_eq!(s.slots_held(), 1);
        assert_eq!(s.next_expiry(), Some(Timestamp::from_millis(60_000)));
        assert!(!s.expire_one("ps-2", Timestamp::from_millis(59_999)));
        assert!(
            !s.expire_one("ps-0", Timestamp::from_millis(60_000)),
            "only RESERVED ones time out"
        );
        assert_eq!(s.expire(Timestamp::from_millis(59_999)), 0);
        assert_eq!(s.expire(Timestamp::from_millis(60_000)), 1);
        assert_eq!(s.get("ps-2").unwrap().status, PlayerSessionStatus::Timedout);
        assert_eq!(s.accept("ps-2").unwrap_err().code, FailedPrecondition);
        assert_eq!(s.slots_held(), 0);
        assert_eq!(s.next_expiry(), None);
    }

    #[test]
    fn describe_filters_and_pages() {
        let mut s = sessions(5);
        s.accept("ps-1").unwrap();
        let by_game = |limit, token: Option<String>| DescribeRequest {
            game_session_id: Some("gs".into()),
            limit,
            next_token: token,
            ..DescribeRequest::default()
        };
        let page = s.describe(&by_game(Some(2), None)).unwrap();
        assert_eq!(ids(&page), ["ps-0", "ps-1"]);
        let page = s.describe(&by_game(Some(2), page.next_token)).unwrap();
        assert_eq!(ids(&page), ["ps-2", "ps-3"]);
        let page = s.describe(&by_game(Some(2), page.next_token)).unwrap();
        assert_eq!(ids(&page), ["ps-4"]);
        assert_eq!(page.next_token, None);

        let by_player = DescribeRequest {
            player_id: Some("player-1".into()),
            ..DescribeRequest::default()
        };
        assert_eq!(ids(&s.describe(&by_player).unwrap()), ["ps-1", "ps-3"]);
        let active = DescribeRequest {
            player_session_status_filter: Some(PlayerSessionStatus::Active),
            ..by_player
        };
        assert_eq!(ids(&s.describe(&active).unwrap()), ["ps-1"]);
        let one = DescribeRequest {
            player_session_id: Some("ps-4".into()),
            limit: Some(0),
            ..DescribeRequest::default()
        };
        assert_eq!(ids(&s.describe(&one).unwrap()), ["ps-4"]);
    }

    #[test]
    fn describe_refuses_bad_requests() {
        let s = sessions(1);
        let cases = [
            (DescribeRequest::default(), InvalidArgument),
            (
                DescribeRequest {
                    game_session_id: Some("gs".into()),
                    player_id: Some("p".into()),
                    ..DescribeRequest::default()
                },
                InvalidArgument,
            ),
            (
                DescribeRequest {
                    game_session_id: Some("gs".into()),
                    limit: Some(0),
                    ..DescribeRequest::default()
                },
                OutOfRange,
            ),
            (
                DescribeRequest {
                    game_session_id: Some("gs".into()),
                    limit: Some(51),
                    ..DescribeRequest::default()
                },
                OutOfRange,
            ),
            (
                DescribeRequest {
                    game_session_id: Some("gs".into()),
                    next_token: Some("x".into()),
                    ..DescribeRequest::default()
                },
                InvalidArgument,
            ),
            (
                DescribeRequest {
                    player_id: Some("p".repeat(MAX_ID_BYTES + 1)),
                    ..DescribeRequest::default()
                },
                InvalidArgument,
            ),
            (
                DescribeRequest {
                    player_session_id: Some(String::new()),
                    ..DescribeRequest::default()
                },
                InvalidArgument,
            ),
        ];
        for (request, code) in cases {
            assert_eq!(s.describe(&request).unwrap_err().code, code, "{request:?}");
        }
    }

    #[test]
    fn records_are_bounded_by_dropping_ended_ones() {
        let mut s = sessions(MAX_PLAYER_SESSION_RECORDS);
        s.remove("ps-0", Timestamp::from_millis(1)).unwrap();
        let endpoint = Endpoint::default();
        let ctx = SessionContext {
            game_session_id: "gs",
            fleet_id: "fleet",
            endpoint: &endpoint,
            now: Timestamp::from_millis(2),
            expires_at: Timestamp::from_millis(60_000),
        };
        s.reserve(
            &ctx,
            vec![(
                "late".into(),
                NewPlayerSession {
                    player_id: "p".into(),
                    player_data: String::new(),
                },
            )],
        );
        assert!(s.get("ps-0").is_none());
        assert!(s.get("late").is_some());
        assert_eq!(s.iter().count(), MAX_PLAYER_SESSION_RECORDS);
    }

    fn ids(page: &DescribePage) -> Vec<&str> {
        page.player_sessions
            .iter()
            .map(|s| s.player_session_id.as_str())
            .collect()
    }
}
