"""The rules of the match, free of any SDK call."""

from dataclasses import dataclass, field
from enum import Enum
from typing import Optional, Union


class Shape(Enum):
    """A throw."""

    ROCK = "rock"
    PAPER = "paper"
    SCISSORS = "scissors"

    @staticmethod
    def parse(message: bytes) -> Optional["Shape"]:
        """The shape a message names, or None."""
        try:
            return Shape(message.strip().decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            return None

    def beats(self, other: "Shape") -> bool:
        return (self, other) in _BEATS


_BEATS = {
    (Shape.ROCK, Shape.SCISSORS),
    (Shape.PAPER, Shape.ROCK),
    (Shape.SCISSORS, Shape.PAPER),
}


@dataclass
class Round:
    """A round was scored; the standings follow."""

    scoreboard: str


@dataclass
class Won:
    """Someone reached the target score."""

    winner: str
    scoreboard: str


@dataclass
class _Player:
    id: str
    score: int = 0
    throw: Optional[Shape] = None


@dataclass
class Match:
    """A match to `target` points, its players keyed by player session id."""

    target: int
    _players: dict = field(default_factory=dict)

    def join(self, player_session_id: str, player_id: str) -> None:
        self._players[player_session_id] = _Player(player_id)

    def leave(self, player_session_id: str) -> None:
        self._players.pop(player_session_id, None)

    def throw(self, player_session_id: str, shape: Shape) -> Union[Round, Won, None]:
        """A player throws; once everyone has, the round is scored."""
        player = self._players.get(player_session_id)
        if player is None:
            return None
        player.throw = shape
        players = self._ordered()
        if len(players) < 2 or any(p.throw is None for p in players):
            return None
        thrown = {p.throw for p in players}
        winning = None
        if len(thrown) == 2:
            a, b = thrown
            winning = a if a.beats(b) else b
        for p in players:
            if p.throw == winning:
                p.score += 1
            p.throw = None
        scoreboard = ",".join(f"{p.id}={p.score}" for p in players)
        winner = next((p for p in players if p.score >= self.target), None)
        if winner is not None:
            return Won(winner.id, scoreboard)
        return Round(scoreboard)

    def _ordered(self) -> list:
        # Sorted by player session id, as the Rust game mode orders them, so
        # the scoreboard reads the same in every language.
        return [self._players[k] for k in sorted(self._players)]
