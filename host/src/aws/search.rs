//! GameLift's game-session search: a filter expression
//! (`maximumSessions>=10 AND hasAvailablePlayerSessions=true`) and a sort
//! expression (`creationTimeMillis DESC`), parsed into rules and evaluated
//! against game sessions. A malformed expression is refused with the
//! position (counted from 1) where it went wrong.

use gamehost_daemon::SeatedGameSession;
use gamehost_model::CreationPolicy;
use std::cmp::Ordering;

/// Longest filter or sort expression, in bytes (as in GameLift).
pub const MAX_EXPRESSION_BYTES: usize = 1024;

/// Why an expression was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{expression} at position {position}: {what}")]
pub struct ExpressionError {
    /// `FilterExpression` or `SortExpression`.
    expression: &'static str,
    position: usize,
    what: String,
}

/// What a game session is searched by.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Operand {
    Id,
    Name,
    Property(String),
    MaximumSessions,
    CreationTimeMillis,
    PlayerSessionCount,
    HasAvailablePlayerSessions,
}

/// An operand's value in one game session; `None` when it has none.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comparator {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

/// A parsed filter expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter(Rule);

#[derive(Clone, Debug, PartialEq)]
enum Rule {
    /// `operand comparator value`.
    Compare(Operand, Comparator, Value),
    And(Box<Rule>, Box<Rule>),
    Or(Box<Rule>, Box<Rule>),
    Not(Box<Rule>),
}

/// A parsed sort expression: the operand and whether it ascends.
#[derive(Clone, Debug, PartialEq)]
pub struct Sort {
    operand: Operand,
    ascending: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Number(f64),
    Compare(Comparator),
    Open,
    Close,
}

/// Splits an expression into tokens, each with its position (from 1).
fn tokens(input: &str, expression: &'static str) -> Result<Vec<(usize, Token)>, ExpressionError> {
    let error = |position: usize, what: &str| ExpressionError {
        expression,
        position,
        what: what.to_owned(),
    };
    if input.len() > MAX_EXPRESSION_BYTES {
        return Err(error(
            MAX_EXPRESSION_BYTES + 1,
            "the expression is over 1024 bytes",
        ));
    }
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let position = at + 1;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | ')' => {
                out.push((position, if c == '(' { Token::Open } else { Token::Close }));
                i += 1;
            }
            '=' | '<' | '>' | '!' => {
                let next = chars.get(i + 1).map(|&(_, n)| n);
                let (comparator, width) = match (c, next) {
                    ('<', Some('>')) | ('!', Some('=')) => (Comparator::Ne, 2),
                    ('<', Some('=')) => (Comparator::Le, 2),
                    ('>', Some('=')) => (Comparator::Ge, 2),
                    ('<', _) => (Comparator::Lt, 1),
                    ('>', _) => (Comparator::Gt, 1),
                    ('=', _) => (Comparator::Eq, 1),
                    _ => return Err(error(position, "'!' must be followed by '='")),
                };
                out.push((position, Token::Compare(comparator)));
                i += width;
            }
            '\'' | '"' => {
                let mut text = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => return Err(error(position, "a string is not closed")),
                        Some(&(_, '\\')) => {
                            let escaped = chars
                                .get(j + 1)
                                .ok_or_else(|| error(position, "a string is not closed"))?;
                            text.push(escaped.1);
                            j += 2;
                        }
                        Some(&(_, q)) if q == c => break,
                        Some(&(_, other)) => {
                            text.push(other);
                            j += 1;
                        }
                    }
                }
                out.push((position, Token::Text(text)));
                i = j + 1;
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let mut j = i;
                while chars
                    .get(j)
                    .is_some_and(|&(_, d)| d.is_ascii_digit() || d == '.' || (j == i && d == '-'))
                {
                    j += 1;
                }
                let text: String = chars[i..j].iter().map(|&(_, d)| d).collect();
                let number = text
                    .parse()
                    .map_err(|_| error(position, &format!("{text:?} is not a number")))?;
                out.push((position, Token::Number(number)));
                i = j;
            }
            c if c.is_ascii_alphanumeric() || c == '_' => {
                let mut j = i;
                while chars.get(j).is_some_and(|&(_, d)| {
                    d.is_ascii_alphanumeric() || matches!(d, '_' | '.' | '-')
                }) {
                    j += 1;
                }
                out.push((
                    position,
                    Token::Word(chars[i..j].iter().map(|&(_, d)| d).collect()),
                ));
                i = j;
            }
            other => return Err(error(position, &format!("unexpected {other:?}"))),
        }
    }
    Ok(out)
}

fn operand(word: &str) -> Option<Operand> {
    Some(match word {
        "gameSessionId" => Operand::Id,
        "gameSessionName" => Operand::Name,
        "maximumSessions" => Operand::MaximumSessions,
        "creationTimeMillis" => Operand::CreationTimeMillis,
        "playerSessionCount" => Operand::PlayerSessionCount,
        "hasAvailablePlayerSessions" => Operand::HasAvailablePlayerSessions,
        _ => Operand::Property(word.strip_prefix("gameSessionProperties.")?.to_owned()),
    })
}

/// A recursive-descent parser: OR binds loosest, then AND, then NOT.
struct Parser {
    tokens: Vec<(usize, Token)>,
    next: usize,
    end: usize,
}

impl Parser {
    fn error(&self, what: impl Into<String>) -> ExpressionError {
        let position = self.tokens.get(self.next).map_or(self.end, |(p, _)| *p);
        ExpressionError {
            expression: "FilterExpression",
            position,
            what: what.into(),
        }
    }

    fn keyword(&mut self, keyword: &str) -> bool {
        let found = matches!(self.tokens.get(self.next),
            Some((_, Token::Word(w))) if w.eq_ignore_ascii_case(keyword));
        if found {
            self.next += 1;
        }
        found
    }

    fn or(&mut self) -> Result<Rule, ExpressionError> {
        let mut left = self.and()?;
        while self.keyword("OR") {
            left = Rule::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Rule, ExpressionError> {
        let mut left = self.not()?;
        while self.keyword("AND") {
            left = Rule::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Rule, ExpressionError> {
        if self.keyword("NOT") {
            return Ok(Rule::Not(Box::new(self.not()?)));
        }
        if matches!(self.tokens.get(self.next), Some((_, Token::Open))) {
            self.next += 1;
            let inner = self.or()?;
            if !matches!(self.tokens.get(self.next), Some((_, Token::Close))) {
                return Err(self.error("expected ')'"));
            }
            self.next += 1;
            return Ok(inner);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Rule, ExpressionError> {
        let Some((_, Token::Word(word))) = self.tokens.get(self.next).cloned() else {
            return Err(self.error("expected an operand, such as gameSessionName"));
        };
        let operand =
            operand(&word).ok_or_else(|| self.error(format!("{word:?} is not an operand")))?;
        self.next += 1;
        let Some((_, Token::Compare(comparator))) = self.tokens.get(self.next).cloned() else {
            return Err(self.error("expected a comparison: =, <>, <, >, <= or >="));
        };
        self.next += 1;
        let value = match self.tokens.get(self.next).cloned() {
            Some((_, Token::Text(text))) => Value::Text(text),
            Some((_, Token::Number(n))) => Value::Number(n),
            Some((_, Token::Word(w))) if w.eq_ignore_ascii_case("true") => Value::Bool(true),
            Some((_, Token::Word(w))) if w.eq_ignore_ascii_case("false") => Value::Bool(false),
            _ => {
                return Err(
                    self.error("expected a value: a quoted string, a number, true or false")
                );
            }
        };
        self.next += 1;
        Ok(Rule::Compare(operand, comparator, value))
    }
}

/// Parses a filter expression.
pub fn parse_filter(input: &str) -> Result<Filter, ExpressionError> {
    let tokens = tokens(input, "FilterExpression")?;
    let mut parser = Parser {
        tokens,
        next: 0,
        end: input.len() + 1,
    };
    let rule = parser.or()?;
    if parser.next < parser.tokens.len() {
        return Err(parser.error("expected AND, OR or the end"));
    }
    Ok(Filter(rule))
}

/// Parses a sort expression: an operand, then `ASC` or `DESC`.
pub fn parse_sort(input: &str) -> Result<Sort, ExpressionError> {
    let tokens = tokens(input, "SortExpression")?;
    let error = |position: usize, what: &str| ExpressionError {
        expression: "SortExpression",
        position,
        what: what.to_owned(),
    };
    let end = input.len() + 1;
    let operand = match tokens.first() {
        Some((p, Token::Word(w))) => {
            operand(w).ok_or_else(|| error(*p, &format!("{w:?} is not an operand")))?
        }
        Some((p, _)) => return Err(error(*p, "expected an operand")),
        None => return Err(error(end, "expected an operand")),
    };
    let ascending = match tokens.get(1) {
        Some((_, Token::Word(w))) if w.eq_ignore_ascii_case("ASC") => true,
        Some((_, Token::Word(w))) if w.eq_ignore_ascii_case("DESC") => false,
        Some((p, _)) => return Err(error(*p, "expected ASC or DESC")),
        None => return Err(error(end, "expected ASC or DESC")),
    };
    if let Some((p, _)) = tokens.get(2) {
        return Err(error(*p, "expected the end"));
    }
    Ok(Sort { operand, ascending })
}

fn value_of(operand: &Operand, seated: &SeatedGameSession) -> Option<Value> {
    let s = &seated.game_session;
    Some(match operand {
        Operand::Id => Value::Text(s.game_session_id.clone()),
        Operand::Name => Value::Text(s.name.clone()),
        Operand::Property(key) => Value::Text(
            s.game_properties
                .iter()
                .find(|p| &p.key == key)
                .map(|p| p.value.clone())?,
        ),
        Operand::MaximumSessions => Value::Number(f64::from(s.maximum_player_session_count)),
        Operand::CreationTimeMillis => Value::Number(s.creation_time.as_millis() as f64),
        Operand::PlayerSessionCount => Value::Number(f64::from(seated.player_sessions_held)),
        Operand::HasAvailablePlayerSessions => Value::Bool(
            s.player_session_creation_policy == CreationPolicy::AcceptAll
                && seated.player_sessions_held < s.maximum_player_session_count,
        ),
    })
}

/// How two values compare: numbers as numbers (text that reads as one
/// too), text as text, booleans only for (in)equality.
fn order(left: &Value, right: &Value) -> Option<Ordering> {
    let number = |v: &Value| match v {
        Value::Number(n) => Some(*n),
        Value::Text(t) => t.parse().ok(),
        Value::Bool(_) => None,
    };
    match (left, right) {
        (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => number(left)?.partial_cmp(&number(right)?),
    }
}

impl Filter {
    /// Whether `session` matches; a comparison of an operand it has no
    /// value for is false.
    pub fn matches(&self, session: &SeatedGameSession) -> bool {
        self.0.matches(session)
    }
}

impl Rule {
    fn matches(&self, session: &SeatedGameSession) -> bool {
        match self {
            Self::And(a, b) => a.matches(session) && b.matches(session),
            Self::Or(a, b) => a.matches(session) || b.matches(session),
            Self::Not(a) => !a.matches(session),
            Self::Compare(operand, comparator, value) => {
                let Some(ordering) = value_of(operand, session).and_then(|v| order(&v, value))
                else {
                    return false;
                };
                match comparator {
                    Comparator::Eq => ordering.is_eq(),
                    Comparator::Ne => ordering.is_ne(),
                    Comparator::Lt => ordering.is_lt(),
                    Comparator::Gt => ordering.is_gt(),
                    Comparator::Le => ordering.is_le(),
                    Comparator::Ge => ordering.is_ge(),
                }
            }
        }
    }
}

impl Sort {
    /// Sorts `sessions` (stably); those without a value go last.
    pub fn apply(&self, sessions: &mut [SeatedGameSession]) {
        sessions.sort_by(
            |a, b| match (value_of(&self.operand, a), value_of(&self.operand, b)) {
                (Some(x), Some(y)) => {
                    let ordering = order(&x, &y).unwrap_or(Ordering::Equal);
                    if self.ascending {
                        ordering
                    } else {
                        ordering.reverse()
                    }
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        );
    }
}

#[cfg(test)]
mod tests;
