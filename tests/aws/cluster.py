"""A game backend's calls to GameLift, made with boto3 unchanged, on a
cluster of three hosts: each call goes to one host, which carries it out
or relays it to the host that must. Game sessions asked of one host are
placed on every host once the host asked is full, and their idempotency
tokens retried through another host give them back; each is then updated,
seated, described and terminated through hosts that do not run it, and
its log is read through a link of the host asked. Every answer is checked
against GameLift's model (model_check.py).

Usage: cluster.py ENDPOINT_A ENDPOINT_B ENDPOINT_C SECRET FLEET

FLEET has exactly one idle Ready game server of the arena game mode on
each host. SECRET is the hosts' shared token. Prints one line per check and
exits non-zero at the first that fails.
"""

import json
import sys
import time
import urllib.request

from checks import check, client, done, raises

endpoints = sys.argv[1:4]
secret, fleet = sys.argv[4:6]
a, b, c = (client(endpoint, secret) for endpoint in endpoints)


def wait_for_status(gamelift, session_id, status):
    """The game session `session_id` as `gamelift` describes it, once it
    has `status` (or after ten seconds)."""
    for _ in range(200):
        session = gamelift.describe_game_sessions(GameSessionId=session_id)["GameSessions"][0]
        if session["Status"] == status:
            break
        time.sleep(0.05)
    return session


# Placing: three game sessions asked of a, one per host's game server.
sessions = [
    a.create_game_session(FleetId=fleet, MaximumPlayerSessionCount=2, Name=f"match {i}",
                          IdempotencyToken=f"cluster-match-{i}")["GameSession"]
    for i in range(3)
]
ports = {session["Port"] for session in sessions}
check("three game sessions asked of one host are placed on the three hosts",
      len(ports) == 3, sessions)
for i, session in enumerate(sessions):
    again = c.create_game_session(FleetId=fleet, MaximumPlayerSessionCount=2,
                                  IdempotencyToken=f"cluster-match-{i}")["GameSession"]
    check(f"game session {i}'s token, retried through c, gives it back",
          again["GameSessionId"] == session["GameSessionId"]
          and again["Port"] == session["Port"], again)
raises("a fourth, with no Ready game server left anywhere, raises FleetCapacityExceededException",
       b.exceptions.FleetCapacityExceededException,
       b.create_game_session, FleetId=fleet, MaximumPlayerSessionCount=2)

for i, session in enumerate(sessions):
    session_id = session["GameSessionId"]
    session = wait_for_status(c, session_id, "ACTIVE")
    check(f"game session {i} becomes ACTIVE, as another host describes it",
          session["Status"] == "ACTIVE", session)

    # Changed through a, whichever host runs it.
    renamed = a.update_game_session(GameSessionId=session_id, Name=f"final {i}")["GameSession"]
    check(f"game session {i} is renamed through a",
          renamed["Name"] == f"final {i}" and renamed["Port"] == session["Port"], renamed)

    # Seated through b: the player connects to the host running the match.
    alice = b.create_player_session(GameSessionId=session_id, PlayerId="alice")["PlayerSession"]
    check(f"a player is seated in game session {i} through b, at its host's address",
          alice["Status"] == "RESERVED" and alice["Port"] == session["Port"], alice)
    both = c.create_player_sessions(GameSessionId=session_id, PlayerIds=["bob"])
    check(f"another through c", len(both["PlayerSessions"]) == 1, both)
    raises(f"game session {i}'s limit holds through a",
           a.exceptions.GameSessionFullException,
           a.create_player_session, GameSessionId=session_id, PlayerId="carol")
    seats = a.describe_player_sessions(GameSessionId=session_id)["PlayerSessions"]
    check(f"game session {i}'s two player sessions are described through a",
          sorted(seat["PlayerId"] for seat in seats) == ["alice", "bob"], seats)

    # Its log, by a link of the host asked.
    link = b.get_game_session_log_url(GameSessionId=session_id)["PreSignedUrl"]
    check(f"game session {i}'s log link is on the host asked",
          link.startswith(endpoints[1]), link)
    with urllib.request.urlopen(link) as answer:
        lines = json.load(answer)["lines"]
    check(f"the link serves game session {i}'s log", len(lines) > 0, lines)

    # Terminated through c.
    ended = c.terminate_game_session(
        GameSessionId=session_id, TerminationMode="FORCE_TERMINATE"
    )["GameSession"]
    check(f"game session {i} is terminated through c",
          ended["Status"] in ("TERMINATED", "TERMINATING"), ended)
    ended = wait_for_status(a, session_id, "TERMINATED")
    check(f"game session {i} ends TERMINATED, as a describes it",
          ended["Status"] == "TERMINATED", ended)

raises("a game session no host holds is not found",
       a.exceptions.NotFoundException,
       a.update_game_session, GameSessionId="gsess-nowhere", Name="x")
done("cluster")
