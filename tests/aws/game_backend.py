"""A game backend's calls to GameLift, made with boto3 unchanged and pointed
at a Gamehost host: placing a game session (once per idempotency token),
reserving players, describing, updating and terminating, the fleet queries,
and each error boto3 raises for its cause, every answer checked
against GameLift's model (model_check.py).

Usage: game_backend.py ENDPOINT SECRET FLEET SMALL_FLEET LIMITED_FLEET

FLEET has at least two idle Ready game servers of the arena game mode;
SMALL_FLEET has none; LIMITED_FLEET has one, and lets a creator create one
game session in 15 minutes. SECRET is the host's token, the secret access
key requests are signed with. Prints one line per check and exits non-zero
at the first that fails.
"""

import json
import sys
import time
import urllib.error
import urllib.request

from checks import check, client, done, raises

endpoint, secret, fleet, small_fleet, limited_fleet = sys.argv[1:6]
gamelift = client(endpoint, secret)


# Placing, once per idempotency token.
created = gamelift.create_game_session(
    FleetId=fleet,
    MaximumPlayerSessionCount=2,
    Name="ranked match",
    GameProperties=[{"Key": "mode", "Value": "ranked"}],
    GameSessionData="map=dust",
    CreatorId="player-7",
    IdempotencyToken="match-0001",
)["GameSession"]
check("the game session is placed", created["GameSessionId"] == "match-0001", created)
check("its fields", created["Name"] == "ranked match"
      and created["GameProperties"] == [{"Key": "mode", "Value": "ranked"}]
      and created["GameSessionData"] == "map=dust"
      and created["CreatorId"] == "player-7"
      and created["MaximumPlayerSessionCount"] == 2
      and created["CurrentPlayerSessionCount"] == 0
      and created["FleetId"] == fleet
      and created["Status"] in ("ACTIVATING", "ACTIVE"), created)
check("its creation time is a datetime", created["CreationTime"].year >= 2024, created)
again = gamelift.create_game_session(
    FleetId=f"fleet-{fleet}", MaximumPlayerSessionCount=2, IdempotencyToken="match-0001"
)["GameSession"]
check("the same token gives the same game session back",
      again["GameSessionId"] == "match-0001" and again["Name"] == "ranked match", again)
other = gamelift.create_game_session(
    FleetId=f"arn:aws:gamelift:us-east-1::fleet/fleet-{fleet}", MaximumPlayerSessionCount=4
)["GameSession"]
check("an ARN names the fleet", other["FleetId"] == fleet, other)

# Waiting for the game mode to activate it.
for _ in range(200):
    session = gamelift.describe_game_sessions(GameSessionId="match-0001")["GameSessions"][0]
    if session["Status"] == "ACTIVE":
        break
    time.sleep(0.05)
check("the game session becomes ACTIVE", session["Status"] == "ACTIVE", session)

# Players.
alice = gamelift.create_player_session(
    GameSessionId="match-0001", PlayerId="alice", PlayerData="level 3"
)["PlayerSession"]
check("a player session is reserved", alice["Status"] == "RESERVED"
      and alice["PlayerSessionId"].startswith("psess-")
      and alice["PlayerData"] == "level 3"
      and alice["Port"] == session["Port"], alice)
raises("a full game session raises GameSessionFullException",
       gamelift.exceptions.GameSessionFullException,
       gamelift.create_player_sessions, GameSessionId="match-0001", PlayerIds=["bob", "carol"])
both = gamelift.create_player_sessions(
    GameSessionId="match-0001", PlayerIds=["bob"], PlayerDataMap={"bob": "level 9"}
)["PlayerSessions"]
check("a batch of player sessions is reserved", [p["PlayerId"] for p in both] == ["bob"], both)
session = gamelift.describe_game_sessions(GameSessionId="match-0001")["GameSessions"][0]
check("the game session counts its players", session["CurrentPlayerSessionCount"] == 2, session)
seats = gamelift.describe_player_sessions(GameSessionId="match-0001")["PlayerSessions"]
check("its player sessions are described", [p["PlayerId"] for p in seats] == ["alice", "bob"], seats)
first = gamelift.describe_player_sessions(GameSessionId="match-0001", Limit=1)
check("player sessions come in pages", len(first["PlayerSessions"]) == 1 and "NextToken" in first, first)
rest = gamelift.describe_player_sessions(
    GameSessionId="match-0001", Limit=1, NextToken=first["NextToken"]
)
check("the next page follows", [p["PlayerId"] for p in rest["PlayerSessions"]] == ["bob"], rest)
by_player = gamelift.describe_player_sessions(PlayerId="alice", PlayerSessionStatusFilter="RESERVED")
check("a player's sessions by status",
      [p["PlayerSessionId"] for p in by_player["PlayerSessions"]] == [alice["PlayerSessionId"]], by_player)

# Describing.
listed = gamelift.describe_game_sessions(FleetId=fleet)["GameSessions"]
check("a fleet's game sessions, oldest first",
      [s["GameSessionId"] for s in listed] == ["match-0001", other["GameSessionId"]], listed)
page = gamelift.describe_game_sessions(FleetId=fleet, Limit=1)
check("game sessions come in pages", len(page["GameSessions"]) == 1 and "NextToken" in page, page)
page = gamelift.describe_game_sessions(FleetId=fleet, Limit=1, NextToken=page["NextToken"])
check("the next page follows",
      [s["GameSessionId"] for s in page["GameSessions"]] == [other["GameSessionId"]], page)
details = gamelift.describe_game_session_details(FleetId=fleet, StatusFilter="ACTIVE")
check("details by status",
      [d["GameSession"]["GameSessionId"] for d in details["GameSessionDetails"]]
      == ["match-0001", other["GameSessionId"]]
      and details["GameSessionDetails"][0]["ProtectionPolicy"] == "FullProtection", details)
none = gamelift.describe_game_session_details(FleetId=fleet, StatusFilter="TERMINATED")
check("none ended yet", none["GameSessionDetails"] == [], none)

# Searching.
def searched(**kwargs):
    found = gamelift.search_game_sessions(FleetId=fleet, **kwargs)
    return [s["GameSessionId"] for s in found["GameSessions"]], found.get("NextToken")


found, _ = searched(FilterExpression="hasAvailablePlayerSessions=true AND maximumSessions>=4")
check("a search by free slots and size", found == [other["GameSessionId"]], found)
found, _ = searched(FilterExpression="gameSessionProperties.mode = 'ranked'")
check("a search by game property", found == ["match-0001"], found)
found, _ = searched(SortExpression="playerSessionCount DESC")
check("a search sorted", found == ["match-0001", other["GameSessionId"]], found)
found, token = searched(SortExpression="creationTimeMillis DESC", Limit=1)
check("a search's first page", found == [other["GameSessionId"]] and token, found)
found, token = searched(SortExpression="creationTimeMillis DESC", Limit=1, NextToken=token)
check("a search's next page", found == ["match-0001"] and token is None, found)
error = raises("a malformed filter raises InvalidRequestException",
               gamelift.exceptions.InvalidRequestException,
               gamelift.search_game_sessions, FleetId=fleet, FilterExpression="maximumSessions >")
check("the error names the position", "position 18" in str(error), error)

# Updating.
updated = gamelift.update_game_session(
    GameSessionId="match-0001", Name="ranked final", MaximumPlayerSessionCount=3,
    PlayerSessionCreationPolicy="DENY_ALL",
)["GameSession"]
check("the game session is updated", updated["Name"] == "ranked final"
      and updated["MaximumPlayerSessionCount"] == 3
      and updated["PlayerSessionCreationPolicy"] == "DENY_ALL", updated)

# Fleets.
fleets = gamelift.list_fleets()["FleetIds"]
check("the fleets are listed", fleets == sorted([fleet, small_fleet, limited_fleet]), fleets)
attributes = gamelift.describe_fleet_attributes(FleetIds=[fleet])["FleetAttributes"]
check("a fleet's attributes", attributes[0]["FleetId"] == fleet
      and attributes[0]["Status"] == "ACTIVE", attributes)
capacity = gamelift.describe_fleet_capacity(FleetIds=[small_fleet])["FleetCapacity"][0]
check("a fleet's capacity", capacity["InstanceCounts"]["ACTIVE"] == 0
      and capacity["InstanceCounts"]["DESIRED"] == 0, capacity)
capacity = gamelift.describe_fleet_capacity(FleetIds=[fleet])["FleetCapacity"][0]
check("a busy fleet's capacity", capacity["InstanceCounts"]["ACTIVE"] >= 2
      and capacity["InstanceCounts"]["IDLE"] == capacity["InstanceCounts"]["ACTIVE"] - 2, capacity)
usage = gamelift.describe_fleet_utilization(FleetIds=[fleet])["FleetUtilization"][0]
check("a fleet's utilization", usage["ActiveGameSessionCount"] == 2
      and usage["CurrentPlayerSessionCount"] == 2
      and usage["MaximumPlayerSessionCount"] == 7, usage)

# Errors, each for its cause.
raises("an unknown game session raises NotFoundException",
       gamelift.exceptions.NotFoundException,
       gamelift.describe_game_sessions, GameSessionId="no-such-session")
raises("an unknown fleet raises NotFoundException",
       gamelift.exceptions.NotFoundException,
       gamelift.create_game_session, FleetId="fleet-nowhere", MaximumPlayerSessionCount=2)
raises("a player limit out of range raises InvalidRequestException",
       gamelift.exceptions.InvalidRequestException,
       gamelift.create_game_session, FleetId=fleet, MaximumPlayerSessionCount=5000)
raises("a token used on another fleet raises IdempotentParameterMismatchException",
       gamelift.exceptions.IdempotentParameterMismatchException,
       gamelift.create_game_session, FleetId=small_fleet, MaximumPlayerSessionCount=2,
       IdempotencyToken="match-0001")
raises("a player session where new ones are denied raises InvalidGameSessionStatusException",
       gamelift.exceptions.InvalidGameSessionStatusException,
       gamelift.create_player_session, GameSessionId="match-0001", PlayerId="dave")
raises("a fleet with no idle game server raises FleetCapacityExceededException",
       gamelift.exceptions.FleetCapacityExceededException,
       gamelift.create_game_session, FleetId=small_fleet, MaximumPlayerSessionCount=2)
limited = gamelift.describe_fleet_attributes(FleetIds=[limited_fleet])["FleetAttributes"][0]
check("a fleet's creation limit", limited["ResourceCreationLimitPolicy"]
      == {"NewGameSessionsPerCreator": 1, "PolicyPeriodInMinutes": 15}, limited)
gamelift.create_game_session(FleetId=limited_fleet, MaximumPlayerSessionCount=2,
                             CreatorId="player-9")
raises("a creator past the fleet's limit raises LimitExceededException",
       gamelift.exceptions.LimitExceededException,
       gamelift.create_game_session, FleetId=limited_fleet, MaximumPlayerSessionCount=2,
       CreatorId="player-9")
raises("a wrong secret raises UnauthorizedException",
       gamelift.exceptions.UnauthorizedException,
       client(endpoint, "not-the-secret").list_fleets)
error = raises("an operation Gamehost does not serve is named",
               gamelift.exceptions.ClientError, gamelift.list_builds)
check("the error names it", "ListBuilds" in str(error), error)

# The game session's log, by a link that needs no credentials.
link = gamelift.get_game_session_log_url(GameSessionId="match-0001")["PreSignedUrl"]
check("the log link is on the host", link.startswith(endpoint), link)
with urllib.request.urlopen(link) as answer:
    lines = json.load(answer)["lines"]
check("the link serves the game session's log", len(lines) > 0, lines)
try:
    urllib.request.urlopen(link.replace("signature=", "signature=0"))
    check("a tampered link is refused", False)
except urllib.error.HTTPError as error:
    check("a tampered link is refused", error.code == 401, error)

# Terminating.
ended = gamelift.terminate_game_session(
    GameSessionId=other["GameSessionId"], TerminationMode="FORCE_TERMINATE"
)["GameSession"]
check("a game session is force-terminated",
      ended["Status"] in ("TERMINATED", "TERMINATING", "ERROR"), ended)
for _ in range(200):
    ended = gamelift.describe_game_sessions(GameSessionId=other["GameSessionId"])["GameSessions"][0]
    if ended["Status"] == "TERMINATED":
        break
    time.sleep(0.05)
check("it ends TERMINATED with a termination time",
      ended["Status"] == "TERMINATED" and "TerminationTime" in ended, ended)
done("game backend")
