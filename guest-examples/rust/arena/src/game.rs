//! The rules of the match, free of any SDK call.

use std::collections::BTreeMap;
use std::fmt::Write;

/// How long a round lasts once its first throw is made, in microseconds:
/// when it runs out, every player who threw scores and the others forfeit.
pub const ROUND_MICROS: u64 = 10_000_000;

/// A throw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Rock,
    Paper,
    Scissors,
}

impl Shape {
    /// The shape a message names.
    pub fn parse(message: &[u8]) -> Option<Shape> {
        match message.trim_ascii() {
            b"rock" => Some(Shape::Rock),
            b"paper" => Some(Shape::Paper),
            b"scissors" => Some(Shape::Scissors),
            _ => None,
        }
    }

    fn beats(self, other: Shape) -> bool {
        matches!(
            (self, other),
            (Shape::Rock, Shape::Scissors)
                | (Shape::Paper, Shape::Rock)
                | (Shape::Scissors, Shape::Paper)
        )
    }
}

struct Player {
    id: String,
    score: u32,
    throw: Option<Shape>,
}

/// What a throw led to.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A round was scored; the standings follow.
    Round { scoreboard: String },
    /// Someone reached the target score.
    Won { winner: String, scoreboard: String },
}

/// A match in progress.
pub struct Match {
    target: u32,
    players: BTreeMap<String, Player>,
    rounds: u32,
    round_left: Option<u64>,
}

impl Match {
    /// A match to `target` points.
    pub fn new(target: u32) -> Self {
        Self {
            target,
            players: BTreeMap::new(),
            rounds: 0,
            round_left: None,
        }
    }

    /// A player joins under their player session id.
    pub fn join(&mut self, player_session_id: String, player_id: String) {
        self.players.insert(
            player_session_id,
            Player {
                id: player_id,
                score: 0,
                throw: None,
            },
        );
    }

    /// A player leaves.
    pub fn leave(&mut self, player_session_id: &str) {
        self.players.remove(player_session_id);
    }

    /// A player throws; once everyone has, the round is scored.
    pub fn throw(&mut self, player_session_id: &str, shape: Shape) -> Option<Outcome> {
        self.players.get_mut(player_session_id)?.throw = Some(shape);
        self.round_left.get_or_insert(ROUND_MICROS);
        if self.players.len() < 2 || self.players.values().any(|p| p.throw.is_none()) {
            return None;
        }
        let mut thrown: Vec<Shape> = self.players.values().filter_map(|p| p.throw).collect();
        thrown.sort_by_key(|s| *s as u8);
        thrown.dedup();
        let winning = match thrown[..] {
            [a, b] => Some(if a.beats(b) { a } else { b }),
            _ => None,
        };
        for player in self.players.values_mut() {
            if player.throw.take() == winning && winning.is_some() {
                player.score += 1;
            }
        }
        Some(self.end_round())
    }

    /// Runs the round clock for `elapsed_micros`; when it runs out, the
    /// players who threw score a point each and the round ends.
    pub fn tick(&mut self, elapsed_micros: u64) -> Option<Outcome> {
        let left = self.round_left?;
        if elapsed_micros < left {
            self.round_left = Some(left - elapsed_micros);
            return None;
        }
        for player in self.players.values_mut() {
            if player.throw.take().is_some() {
                player.score += 1;
            }
        }
        Some(self.end_round())
    }

    /// Whole seconds left in the round, rounded up; `None` before its first
    /// throw.
    pub fn seconds_left(&self) -> Option<u64> {
        self.round_left.map(|micros| micros.div_ceil(1_000_000))
    }

    /// The match as JSON, for the players: each player's id, score and
    /// whether they have thrown this round, the target, the rounds played,
    /// the seconds left in the round and the winner, if any.
    pub fn state_json(&self, winner: Option<&str>) -> String {
        let mut json = String::from("{\"players\":[");
        for (i, (session, player)) in self.players.iter().enumerate() {
            let comma = if i == 0 { "" } else { "," };
            let _ = write!(
                json,
                "{comma}{{\"session\":{},\"id\":{},\"score\":{},\"thrown\":{}}}",
                quote(session),
                quote(&player.id),
                player.score,
                player.throw.is_some()
            );
        }
        let left = self
            .seconds_left()
            .map_or("null".to_owned(), |s| s.to_string());
        let winner = winner.map_or("null".to_owned(), quote);
        let _ = write!(
            json,
            "],\"target\":{},\"rounds\":{},\"secondsLeft\":{left},\"winner\":{winner}}}",
            self.target, self.rounds
        );
        json
    }

    fn end_round(&mut self) -> Outcome {
        self.round_left = None;
        self.rounds += 1;
        let scoreboard = self.scoreboard();
        match self.players.values().find(|p| p.score >= self.target) {
            Some(winner) => Outcome::Won {
                winner: winner.id.clone(),
                scoreboard,
            },
            None => Outcome::Round { scoreboard },
        }
    }

    fn scoreboard(&self) -> String {
        let entries: Vec<String> = self
            .players
            .values()
            .map(|p| format!("{}={}", p.id, p.score))
            .collect();
        entries.join(",")
    }
}

/// `text` as a JSON string.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_score_the_winning_shape() {
        let mut m = Match::new(2);
        m.join("s1".into(), "alice".into());
        m.join("s2".into(), "bob".into());
        assert_eq!(m.throw("s1", Shape::Rock), None);
        assert_eq!(
            m.throw("s2", Shape::Scissors),
            Some(Outcome::Round {
                scoreboard: "alice=1,bob=0".into()
            })
        );
        m.throw("s1", Shape::Paper);
        assert_eq!(
            m.throw("s2", Shape::Paper),
            Some(Outcome::Round {
                scoreboard: "alice=1,bob=0".into()
            })
        );
        m.throw("s1", Shape::Paper);
        assert_eq!(
            m.throw("s2", Shape::Rock),
            Some(Outcome::Won {
                winner: "alice".into(),
                scoreboard: "alice=2,bob=0".into()
            })
        );
    }

    #[test]
    fn the_round_clock_scores_those_who_threw() {
        let mut m = Match::new(2);
        m.join("s1".into(), "alice".into());
        m.join("s2".into(), "bob \"b\"".into());
        assert_eq!(m.tick(ROUND_MICROS), None, "no clock before a throw");
        assert_eq!(m.throw("s1", Shape::Rock), None);
        assert_eq!(m.seconds_left(), Some(10));
        assert_eq!(m.tick(ROUND_MICROS - 1_500_000), None);
        assert_eq!(m.seconds_left(), Some(2));
        assert_eq!(
            m.state_json(None),
            "{\"players\":[{\"session\":\"s1\",\"id\":\"alice\",\"score\":0,\"thrown\":true},\
             {\"session\":\"s2\",\"id\":\"bob \\\"b\\\"\",\"score\":0,\"thrown\":false}],\
             \"target\":2,\"rounds\":0,\"secondsLeft\":2,\"winner\":null}"
        );
        assert_eq!(
            m.tick(1_500_000),
            Some(Outcome::Round {
                scoreboard: "alice=1,bob \"b\"=0".into()
            })
        );
        assert_eq!(m.seconds_left(), None);
        assert!(
            m.state_json(Some("alice"))
                .ends_with("\"rounds\":1,\"secondsLeft\":null,\"winner\":\"alice\"}")
        );
    }

    #[test]
    fn three_shapes_are_a_draw_and_strangers_are_ignored() {
        let mut m = Match::new(1);
        for (s, p) in [("s1", "a"), ("s2", "b"), ("s3", "c")] {
            m.join(s.into(), p.into());
        }
        assert_eq!(m.throw("nobody", Shape::Rock), None);
        m.throw("s1", Shape::Rock);
        m.throw("s2", Shape::Paper);
        assert_eq!(
            m.throw("s3", Shape::Scissors),
            Some(Outcome::Round {
                scoreboard: "a=0,b=0,c=0".into()
            })
        );
        assert_eq!(Shape::parse(b" rock\n"), Some(Shape::Rock));
        assert_eq!(Shape::parse(b"lizard"), None);
    }
}
