//! `/v1/hosts`: the hosts sharing this host's store, with their leases: on
//! PostgreSQL every host the database knows, on the embedded store this one.

use super::error::{ApiResult, Json};
use axum::extract::State;
use gamehost_daemon::Daemon;
use gamehost_model::HostRecord;
use serde::Serialize;

/// The hosts sharing the store.
#[derive(Serialize, utoipa::ToSchema)]
pub struct HostList {
    /// Every host, by id.
    hosts: Vec<HostRecord>,
}

/// The hosts sharing the store: state (`alive`, `lost`), lease age, epoch,
/// address, version, capacity and game servers by state.
#[utoipa::path(get, path = "/v1/hosts", tag = "system",
    responses((status = 200, body = HostList), (status = 503, body = super::ErrorBody)))]
pub async fn list(State(daemon): State<Daemon>) -> ApiResult<Json<HostList>> {
    Ok(Json(HostList {
        hosts: daemon.hosts().await?,
    }))
}
