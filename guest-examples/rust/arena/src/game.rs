//! The rules of the match, free of any SDK call.

use std::collections::BTreeMap;

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
}

impl Match {
    /// A match to `target` points.
    pub fn new(target: u32) -> Self {
        Self {
            target,
            players: BTreeMap::new(),
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
        let scoreboard = self.scoreboard();
        match self.players.values().find(|p| p.score >= self.target) {
            Some(winner) => Some(Outcome::Won {
                winner: winner.id.clone(),
                scoreboard,
            }),
            None => Some(Outcome::Round { scoreboard }),
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
