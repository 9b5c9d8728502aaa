"""A FleetIQ game server's and backend's calls, made with boto3 unchanged and
pointed at a Gamehost host: registering game servers into a group,
claiming, reporting utilization and health, listing, describing and
deregistering, each error boto3 raises for its cause, every answer checked
against GameLift's model (model_check.py), and claiming a game
server of a fleet's group.

Usage: fleetiq.py ENDPOINT SECRET FLEET

FLEET has two idle Ready game servers. Prints one line per check and exits
non-zero at the first that fails.
"""

import sys

from checks import check, client, done, raises

endpoint, secret, fleet = sys.argv[1:4]
gamelift = client(endpoint, secret)
GROUP = "lobby"
INSTANCE = "i-0123456789abcdef0"


for n in (1, 2):
    server = gamelift.register_game_server(
        GameServerGroupName=GROUP, GameServerId=f"server-{n}", InstanceId=INSTANCE,
        ConnectionInfo=f"10.0.0.{n}:7777", GameServerData=f"map={n}",
    )["GameServer"]
    check(f"server-{n} registers AVAILABLE", server["UtilizationStatus"] == "AVAILABLE"
          and "ClaimStatus" not in server and server["ConnectionInfo"] == f"10.0.0.{n}:7777"
          and server["RegistrationTime"].year >= 2024
          and server["LastHealthCheckTime"] == server["RegistrationTime"], server)
raises("registering an id again raises ConflictException",
       gamelift.exceptions.ConflictException,
       gamelift.register_game_server, GameServerGroupName=GROUP, GameServerId="server-1",
       InstanceId=INSTANCE)

claimed = gamelift.claim_game_server(GameServerGroupName=GROUP, GameServerData="mode=duel")["GameServer"]
check("a claim takes the oldest available", claimed["GameServerId"] == "server-1"
      and claimed["ClaimStatus"] == "CLAIMED" and claimed["GameServerData"] == "mode=duel"
      and "LastClaimTime" in claimed, claimed)
second = gamelift.claim_game_server(
    GameServerGroupName=f"arn:aws:gamelift:us-east-1:123456789012:gameservergroup/{GROUP}",
    GameServerId="server-2",
)["GameServer"]
check("a claim by id, the group by ARN", second["GameServerId"] == "server-2"
      and second["ClaimStatus"] == "CLAIMED", second)
raises("nothing left to claim raises OutOfCapacityException",
       gamelift.exceptions.OutOfCapacityException,
       gamelift.claim_game_server, GameServerGroupName=GROUP)

updated = gamelift.update_game_server(
    GameServerGroupName=GROUP, GameServerId="server-1",
    UtilizationStatus="UTILIZED", HealthCheck="HEALTHY",
)["GameServer"]
check("utilization and health are reported", updated["UtilizationStatus"] == "UTILIZED"
      and "LastHealthCheckTime" in updated, updated)
described = gamelift.describe_game_server(GameServerGroupName=GROUP, GameServerId="server-1")
check("a game server is described",
      described["GameServer"]["UtilizationStatus"] == "UTILIZED", described)

first = gamelift.list_game_servers(GameServerGroupName=GROUP, SortOrder="DESCENDING", Limit=1)
check("a group lists newest first, in pages",
      [g["GameServerId"] for g in first["GameServers"]] == ["server-2"] and "NextToken" in first, first)
rest = gamelift.list_game_servers(
    GameServerGroupName=GROUP, SortOrder="DESCENDING", Limit=1, NextToken=first["NextToken"]
)
check("the next page follows", [g["GameServerId"] for g in rest["GameServers"]] == ["server-1"], rest)

gamelift.deregister_game_server(GameServerGroupName=GROUP, GameServerId="server-1")
raises("a deregistered game server raises NotFoundException",
       gamelift.exceptions.NotFoundException,
       gamelift.describe_game_server, GameServerGroupName=GROUP, GameServerId="server-1")

# A fleet's group, while its two game servers stand still.
listed = gamelift.list_game_servers(GameServerGroupName=fleet)["GameServers"]
oldest_first = [g["GameServerId"] for g in listed]
check("a fleet's group lists its game servers", len(oldest_first) == 2, listed)
newest = gamelift.list_game_servers(GameServerGroupName=fleet, SortOrder="DESCENDING", Limit=1)
check("a fleet's group pages newest first",
      [g["GameServerId"] for g in newest["GameServers"]] == oldest_first[-1:]
      and "NextToken" in newest, newest)
following = gamelift.list_game_servers(
    GameServerGroupName=fleet, SortOrder="DESCENDING", Limit=1, NextToken=newest["NextToken"]
)
check("and its next page follows",
      [g["GameServerId"] for g in following["GameServers"]] == oldest_first[:1]
      and "NextToken" not in following, following)

wasm = gamelift.claim_game_server(GameServerGroupName=fleet)["GameServer"]
check("claiming in a fleet's group allocates its game server, AVAILABLE until a game starts",
      wasm["GameServerGroupName"] == fleet and wasm["ClaimStatus"] == "CLAIMED"
      and wasm["UtilizationStatus"] == "AVAILABLE" and wasm["GameServerId"] in oldest_first, wasm)
described = gamelift.describe_game_server(GameServerGroupName=fleet, GameServerId=wasm["GameServerId"])
check("the claimed game server is described as claimed",
      described["GameServer"]["ClaimStatus"] == "CLAIMED", described)
done("FleetIQ")
