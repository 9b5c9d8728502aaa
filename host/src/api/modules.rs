//! `/v1/modules`: upload, list, get and delete game-mode components.

use super::error::{ApiResult, Json, Path, Query};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use gamehost_daemon::{Daemon, Module};
use serde::{Deserialize, Serialize};

/// Who a module is.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadParams {
    /// The game mode's name.
    name: String,
    /// Its version.
    version: String,
}

/// Every module.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ModuleList {
    /// The modules, by id.
    modules: Vec<Module>,
}

/// Uploads a component: validated against the game-server world and
/// compiled before it is stored. The same bytes again answer 200 with the
/// existing module.
#[utoipa::path(post, path = "/v1/modules", tag = "modules", params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/wasm"),
    responses((status = 201, body = Module), (status = 200, body = Module),
        (status = 400, body = super::ErrorBody), (status = 413, body = super::ErrorBody)))]
pub async fn upload(
    State(daemon): State<Daemon>,
    Query(params): Query<UploadParams>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<(StatusCode, Json<Module>)> {
    let bytes = body?;
    let (module, created) = daemon
        .upload_module(params.name, params.version, bytes.to_vec())
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(module)))
}

/// Lists modules.
#[utoipa::path(get, path = "/v1/modules", tag = "modules",
    responses((status = 200, body = ModuleList)))]
pub async fn list(State(daemon): State<Daemon>) -> Json<ModuleList> {
    Json(ModuleList {
        modules: daemon.modules(),
    })
}

/// One module, by id or `name@version`.
#[utoipa::path(get, path = "/v1/modules/{module}", tag = "modules",
    params(("module" = String, Path, description = "id or name@version")),
    responses((status = 200, body = Module), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(daemon): State<Daemon>,
    Path(module): Path<String>,
) -> ApiResult<Json<Module>> {
    Ok(Json(daemon.module(&module)?))
}

/// Deletes a module no fleet uses.
#[utoipa::path(delete, path = "/v1/modules/{module}", tag = "modules",
    params(("module" = String, Path, description = "id or name@version")),
    responses((status = 204), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn delete(
    State(daemon): State<Daemon>,
    Path(module): Path<String>,
) -> ApiResult<StatusCode> {
    daemon.delete_module(&module).await?;
    Ok(StatusCode::NO_CONTENT)
}
