//! The rules of the match, free of any SDK call, and the match as bytes for
//! the hot-swap hand-off.

use std::collections::BTreeMap;
use std::fmt::Write;

/// How long a round lasts once its first throw is made, in microseconds:
/// when it runs out, every player who threw scores and the others forfeit.
pub const ROUND_MICROS: u64 = 10_000_000;

/// Points for winning a round: version 2 of Arena doubles them, a rule
/// change players notice on the scoreboard.
pub const POINTS_PER_ROUND: u32 = if cfg!(feature = "v2") { 2 } else { 1 };

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

    fn code(self) -> u8 {
        self as u8 + 1
    }

    fn from_code(code: u8) -> Result<Option<Shape>, String> {
        match code {
            0 => Ok(None),
            1 => Ok(Some(Shape::Rock)),
            2 => Ok(Some(Shape::Paper)),
            3 => Ok(Some(Shape::Scissors)),
            other => Err(format!("unknown shape code {other}")),
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

    /// A player leaves; returns its id if it was in the match.
    pub fn leave(&mut self, player_session_id: &str) -> Option<String> {
        self.players.remove(player_session_id).map(|p| p.id)
    }

    /// The ids of the players in the match.
    pub fn player_ids(&self) -> impl Iterator<Item = &str> {
        self.players.values().map(|p| p.id.as_str())
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
                player.score += POINTS_PER_ROUND;
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
        // Written straight into one string sized for the usual match: the
        // game's state goes out on every message, so it skips `format!`'s
        // machinery and a string per field.
        let mut json = String::with_capacity(128 + 96 * self.players.len());
        json.push_str("{\"players\":[");
        for (i, (session, player)) in self.players.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str("{\"session\":");
            push_quoted(&mut json, session);
            json.push_str(",\"id\":");
            push_quoted(&mut json, &player.id);
            json.push_str(",\"score\":");
            push_number(&mut json, player.score.into());
            json.push_str(if player.throw.is_some() {
                ",\"thrown\":true}"
            } else {
                ",\"thrown\":false}"
            });
        }
        json.push_str("],\"target\":");
        push_number(&mut json, self.target.into());
        json.push_str(",\"rounds\":");
        push_number(&mut json, self.rounds.into());
        json.push_str(",\"secondsLeft\":");
        match self.seconds_left() {
            Some(seconds) => push_number(&mut json, seconds),
            None => json.push_str("null"),
        }
        json.push_str(",\"winner\":");
        match winner {
            Some(winner) => push_quoted(&mut json, winner),
            None => json.push_str("null"),
        }
        json.push('}');
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

    /// The match as bytes: the target, the rounds played, the round clock
    /// (a flag, then the microseconds left), then each player's session id,
    /// id, score and pending throw. Strings are length-prefixed, numbers
    /// little-endian.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&self.target.to_le_bytes());
        out.extend_from_slice(&self.rounds.to_le_bytes());
        out.push(u8::from(self.round_left.is_some()));
        out.extend_from_slice(&self.round_left.unwrap_or(0).to_le_bytes());
        out.extend_from_slice(&(self.players.len() as u32).to_le_bytes());
        for (session, player) in &self.players {
            for text in [session, &player.id] {
                out.extend_from_slice(&(text.len() as u32).to_le_bytes());
                out.extend_from_slice(text.as_bytes());
            }
            out.extend_from_slice(&player.score.to_le_bytes());
            out.push(player.throw.map_or(0, Shape::code));
        }
        out
    }

    /// A match from [`Match::encode`]'s bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        let mut input = Reader(bytes);
        let target = input.u32()?;
        let rounds = input.u32()?;
        let round_left = match (input.take(1)?[0], input.u64()?) {
            (0, 0) => None,
            (1, left) if left <= ROUND_MICROS => Some(left),
            (flag, left) => return Err(format!("no round clock {flag}/{left}")),
        };
        let count = input.u32()?;
        let mut players = BTreeMap::new();
        for _ in 0..count {
            let session = input.text()?;
            let id = input.text()?;
            let score = input.u32()?;
            let throw = Shape::from_code(input.take(1)?[0])?;
            players.insert(session, Player { id, score, throw });
        }
        if !input.0.is_empty() {
            return Err(format!("{} bytes left over", input.0.len()));
        }
        Ok(Self {
            target,
            players,
            rounds,
            round_left,
        })
    }

    fn scoreboard(&self) -> String {
        let mut scoreboard = String::with_capacity(32 * self.players.len());
        for (i, player) in self.players.values().enumerate() {
            if i > 0 {
                scoreboard.push(',');
            }
            scoreboard.push_str(&player.id);
            scoreboard.push('=');
            push_number(&mut scoreboard, player.score.into());
        }
        scoreboard
    }
}

/// Appends `text` as a JSON string: plain runs are copied whole. What
/// needs escaping is ASCII, so the bytes are scanned, not the characters.
fn push_quoted(out: &mut String, text: &str) {
    out.push('"');
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&text[plain..at]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escaped);
        }
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
    out.push('"');
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: u64) {
    let _ = write!(out, "{n}");
}

/// Reads [`Match::encode`]'s format.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err("the state is cut short".to_owned());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn u64(&mut self) -> Result<u64, String> {
        let bytes = self.take(8)?;
        let mut word = [0; 8];
        word.copy_from_slice(bytes);
        Ok(u64::from_le_bytes(word))
    }

    fn text(&mut self) -> Result<String, String> {
        let len = self.u32()? as usize;
        String::from_utf8(self.take(len)?.to_vec()).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_numbers_are_written_as_json() {
        let cases: [(&str, &str); 5] = [
            ("alice", r#""alice""#),
            ("", r#""""#),
            (r#"say "hi"\now"#, r#""say \"hi\"\\now""#),
            ("tab\tand\u{1}", r#""tab\u0009and\u0001""#),
            ("é—✓", r#""é—✓""#),
        ];
        for (text, json) in cases {
            let mut out = String::new();
            push_quoted(&mut out, text);
            assert_eq!(out, json, "{text:?}");
        }
        for n in [0, 7, 10, 1_234_567, u64::MAX] {
            let mut out = String::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn rounds_score_the_winning_shape() {
        let mut m = Match::new(2 * POINTS_PER_ROUND);
        m.join("s1".into(), "alice".into());
        m.join("s2".into(), "bob".into());
        assert_eq!(m.throw("s1", Shape::Rock), None);
        let one = format!("alice={POINTS_PER_ROUND},bob=0");
        assert_eq!(
            m.throw("s2", Shape::Scissors),
            Some(Outcome::Round {
                scoreboard: one.clone()
            })
        );
        m.throw("s1", Shape::Paper);
        assert_eq!(
            m.throw("s2", Shape::Paper),
            Some(Outcome::Round { scoreboard: one })
        );
        m.throw("s1", Shape::Paper);
        assert_eq!(
            m.throw("s2", Shape::Rock),
            Some(Outcome::Won {
                winner: "alice".into(),
                scoreboard: format!("alice={},bob=0", 2 * POINTS_PER_ROUND),
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
    fn a_match_survives_encoding() {
        let mut m = Match::new(5);
        m.join("s1".into(), "alice\twith tabs".into());
        m.join("s2".into(), "bob".into());
        m.throw("s1", Shape::Rock);
        m.throw("s2", Shape::Scissors);
        m.throw("s1", Shape::Paper);
        m.tick(2_500_000);
        let mut copy = Match::decode(&m.encode()).expect("decodes");
        assert_eq!(copy.encode(), m.encode());
        assert_eq!(copy.seconds_left(), Some(8));
        assert_eq!(copy.state_json(None), m.state_json(None));
        assert!(
            copy.state_json(None)
                .contains("\"rounds\":1,\"secondsLeft\":8")
        );
        assert_eq!(
            copy.throw("s2", Shape::Rock),
            Some(Outcome::Round {
                scoreboard: format!("alice\twith tabs={},bob=0", 2 * POINTS_PER_ROUND)
            })
        );
        assert!(Match::decode(&m.encode()[..7]).is_err());
        assert!(Match::decode(&[0; 3]).is_err());
        let mut extra = m.encode();
        extra.push(0);
        assert!(Match::decode(&extra).is_err());
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
