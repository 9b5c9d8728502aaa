//! GameLift's API in the audit log: each operation that changes something,
//! with who signed it, the id it names and the status answered.

use axum::response::Response;
use gamehost_daemon::Daemon;

/// The operations that change something, which the audit log records.
pub(super) const CHANGES: [&str; 9] = [
    "CreateGameSession",
    "UpdateGameSession",
    "TerminateGameSession",
    "CreatePlayerSession",
    "CreatePlayerSessions",
    "RegisterGameServer",
    "ClaimGameServer",
    "UpdateGameServer",
    "DeregisterGameServer",
];

/// Records a change asked of GameLift's API: who (the token that signed
/// it, or whom an open host calls anyone), the operation, the id it names
/// and the status answered.
pub(super) fn record(
    daemon: &Daemon,
    who: &str,
    operation: &str,
    body: &[u8],
    response: &Response,
) {
    const IDS: [&str; 5] = [
        "GameSessionId",
        "GameServerId",
        "FleetId",
        "AliasId",
        "GameServerGroupName",
    ];
    let input: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let resource = IDS
        .iter()
        .find_map(|key| input.get(key).and_then(|v| v.as_str()))
        .unwrap_or_default()
        .chars()
        .take(256)
        .collect();
    daemon.audit(gamehost_daemon::AuditRecord {
        who: who.to_owned(),
        action: format!("GameLift.{operation}"),
        resource,
        status: response.status().as_u16(),
    });
}
