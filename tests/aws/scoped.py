"""Tokens of the tokens file signing GameLift requests, with boto3 unchanged:
each token's name is its access key id and the token its secret access
key, and each may call the operations its scopes admit; what it may not
raises AccessDeniedException naming the scope, a token not made to sign and
a wrong secret raise UnauthorizedException. Every answer is checked against
GameLift's model (model_check.py).

Usage: scoped.py ENDPOINT FLEET SESSIONS_NAME SESSIONS_TOKEN READ_NAME READ_TOKEN PLAIN_NAME

SESSIONS_NAME has the scope `sessions` and READ_NAME `read`, both made to
sign; PLAIN_NAME is a token of the file not made to sign. FLEET has an idle
Ready game server. Prints one line per check and exits non-zero at the
first that fails.
"""

import sys

import botocore.exceptions

from checks import check, client, done, raises

endpoint, fleet, sessions_name, sessions_token, read_name, read_token, plain_name = sys.argv[1:8]
backend = client(endpoint, sessions_token, access_key_id=sessions_name)
dashboard = client(endpoint, read_token, access_key_id=read_name)


def denied(what, call, scope, **kwargs):
    """Checks that `call(**kwargs)` is refused as AWS refuses a caller its
    policy does not allow, naming `scope`."""
    error = raises(what, botocore.exceptions.ClientError, call, **kwargs)
    code = error.response["Error"]["Code"]
    message = error.response["Error"]["Message"]
    check(f"{what}: AccessDeniedException naming `{scope}`",
          code == "AccessDeniedException" and f"`{scope}`" in message, error.response)


created = backend.create_game_session(FleetId=fleet, MaximumPlayerSessionCount=2)["GameSession"]
check("a sessions token places a game session", created["FleetId"] == fleet, created)
session_id = created["GameSessionId"]
seat = backend.create_player_session(GameSessionId=session_id, PlayerId="player-1")["PlayerSession"]
check("… and reserves a player", seat["PlayerId"] == "player-1", seat)
listed = backend.describe_game_sessions(GameSessionId=session_id)["GameSessions"]
check("… and reads game sessions", [s["GameSessionId"] for s in listed] == [session_id], listed)
denied("a sessions token reading the fleets", backend.list_fleets, "read")

fleets = dashboard.list_fleets()["FleetIds"]
check("a read token lists the fleets", fleet in fleets, fleets)
seats = dashboard.describe_player_sessions(GameSessionId=session_id)["PlayerSessions"]
check("… and reads player sessions", [s["PlayerId"] for s in seats] == ["player-1"], seats)
denied("a read token placing a game session", dashboard.create_game_session, "sessions",
       FleetId=fleet, MaximumPlayerSessionCount=2)
denied("a read token changing a game session", dashboard.update_game_session, "sessions",
       GameSessionId=session_id, PlayerSessionCreationPolicy="DENY_ALL")

plain = client(endpoint, sessions_token, access_key_id=plain_name)
error = raises("a token not made to sign", plain.exceptions.UnauthorizedException,
               plain.list_fleets)
check("… is told how to make one that does", "--aws" in str(error), error)
forged = client(endpoint, read_token, access_key_id=sessions_name)
raises("another token's secret under a token's name", forged.exceptions.UnauthorizedException,
       forged.create_game_session, FleetId=fleet, MaximumPlayerSessionCount=2)

done("scoped.py")
