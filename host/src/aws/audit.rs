//! GameLift's API in the audit log: each operation that changes something,
//! with who signed it, the id it names and the status answered.

use super::Service;
use axum::http::StatusCode;
use axum::response::Response;
use gamehost_daemon::UNAUTHENTICATED;

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

/// Records a change made through GameLift's API: who (the admin token whose
/// secret signed it, or no one on an open host), the operation, the id it
/// names and the status answered.
pub(super) fn record(service: &Service, operation: &str, body: &[u8], response: &Response) {
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
    let who = match response.status() {
        StatusCode::FORBIDDEN => UNAUTHENTICATED,
        _ => &service.caller,
    };
    service.daemon.audit(gamehost_daemon::AuditRecord {
        who: who.to_owned(),
        action: format!("GameLift.{operation}"),
        resource,
        status: response.status().as_u16(),
    });
}
