//! The REST SDK's routes (reference/003): lifecycle, configuration,
//! metadata, counters and lists (under `v1alpha1` and `v1beta1`), and
//! player tracking.

use super::game_server::GameServer as SdkGameServer;
use super::json::{self, Failure, parse};
use super::watch::watch;
use super::{MAX_BODY_BYTES, MAX_IN_FLIGHT, Sidecar};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::routing::{get, post, put};
use gamehost_model::{self as model, GameServer};
use tower::limit::GlobalConcurrencyLimitLayer;

type Answer<T> = Result<Json<T>, Failure>;

/// The router of one game server's REST SDK.
pub(super) fn router(sidecar: Sidecar) -> Router {
    Router::new()
        .route("/ready", post(ready))
        .route("/health", post(health))
        .route("/reserve", post(reserve))
        .route("/allocate", post(allocate))
        .route("/shutdown", post(shutdown))
        .route("/gameserver", get(game_server))
        .route("/watch/gameserver", get(watch))
        .route("/metadata/label", put(set_label))
        .route("/metadata/annotation", put(set_annotation))
        .route(
            "/v1alpha1/counters/{name}",
            get(get_counter).patch(update_counter),
        )
        .route(
            "/v1beta1/counters/{name}",
            get(get_counter).patch(update_counter),
        )
        .route(
            "/v1alpha1/lists/{name}",
            get(get_list).patch(update_list).post(list_value),
        )
        .route(
            "/v1beta1/lists/{name}",
            get(get_list).patch(update_list).post(list_value),
        )
        .route("/alpha/player/connect", post(player_connect))
        .route("/alpha/player/disconnect", post(player_disconnect))
        .route(
            "/alpha/player/capacity",
            get(get_player_capacity).put(set_player_capacity),
        )
        .route("/alpha/player/count", get(player_count))
        .route("/alpha/player/connected", get(connected_players))
        .route("/alpha/player/connected/{id}", get(is_player_connected))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(GlobalConcurrencyLimitLayer::new(MAX_IN_FLIGHT))
        .with_state(sidecar)
}

/// Runs `change` on the game server's state and answers its result.
async fn apply<T: Send + 'static>(
    sidecar: &Sidecar,
    change: impl FnOnce(&mut GameServer) -> model::Result<T> + Send + 'static,
) -> Answer<T> {
    Ok(Json(sidecar.handle.apply(change).await?))
}

async fn ready(State(s): State<Sidecar>, body: Bytes) -> Answer<json::Empty> {
    parse::<json::Empty>(&body)?;
    apply(&s, |m| m.ready().map(|()| json::Empty {})).await
}

async fn health(State(s): State<Sidecar>, body: Bytes) -> Answer<json::Empty> {
    parse::<json::Empty>(&body)?;
    apply(&s, |m| m.health().map(|()| json::Empty {})).await
}

async fn reserve(State(s): State<Sidecar>, body: Bytes) -> Answer<json::Empty> {
    let seconds = parse::<json::Duration>(&body)?.seconds.unwrap_or(0);
    let seconds = u32::try_from(seconds).map_err(|_| {
        Failure::invalid(format!("seconds must be within [0, 2^32), got {seconds}"))
    })?;
    apply(&s, move |m| m.reserve(seconds).map(|()| json::Empty {})).await
}

async fn allocate(State(s): State<Sidecar>, body: Bytes) -> Answer<json::Empty> {
    parse::<json::Empty>(&body)?;
    apply(&s, |m| m.allocate().map(|()| json::Empty {})).await
}

async fn shutdown(State(s): State<Sidecar>, body: Bytes) -> Answer<json::Empty> {
    parse::<json::Empty>(&body)?;
    apply(&s, |m| m.shutdown().map(|()| json::Empty {})).await
}

async fn game_server(State(s): State<Sidecar>) -> Json<SdkGameServer> {
    Json(SdkGameServer::from(&*s.handle.record()))
}

async fn set_label(State(s): State<Sidecar>, body: Bytes) -> Answer<json::Empty> {
    let kv = parse::<json::KeyValue>(&body)?;
    apply(&s, move |m| {
        m.set_label(&kv.key, &kv.value).map(|()| json::Empty {})
    })
    .await
}

async fn set_annotation(State(s): State<Sidecar>, body: Bytes) -> Answer<json::Empty> {
    let kv = parse::<json::KeyValue>(&body)?;
    apply(&s, move |m| {
        m.set_annotation(&kv.key, &kv.value)
            .map(|()| json::Empty {})
    })
    .await
}

async fn get_counter(State(s): State<Sidecar>, Path(name): Path<String>) -> Answer<json::Counter> {
    apply(&s, move |m| {
        let counter = m.counters().get(&name)?;
        Ok(json::Counter::new(&name, counter))
    })
    .await
}

async fn update_counter(
    State(s): State<Sidecar>,
    Path(name): Path<String>,
    body: Bytes,
) -> Answer<json::Counter> {
    let update = parse::<json::CounterUpdate>(&body)?;
    let update = model::CounterUpdate {
        capacity: update.capacity,
        count: update.count,
        count_diff: update.count_diff.unwrap_or(0),
    };
    apply(&s, move |m| {
        let counter = m.update_counters(|c| c.update(&name, update))?;
        Ok(json::Counter::new(&name, counter))
    })
    .await
}

async fn get_list(State(s): State<Sidecar>, Path(name): Path<String>) -> Answer<json::List> {
    apply(&s, move |m| {
        Ok(json::List::new(&name, m.lists().get(&name)?))
    })
    .await
}

/// `PATCH /v1beta1/lists/{name}`: sets the fields its update mask names
/// (the `updateMask` query, or else the fields the body sets); a field
/// named but not set is set to its zero value, as in Agones.
async fn update_list(
    State(s): State<Sidecar>,
    Path(name): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    body: Bytes,
) -> Answer<json::List> {
    let body = json::object(&body)?;
    let mask = json::update_mask(&query, &body)?;
    let request: json::ListUpdate = json::from_object(body)?;
    let mut update = model::ListUpdate::default();
    for path in mask {
        match path.as_str() {
            "capacity" => update.capacity = Some(request.capacity.unwrap_or(0)),
            "values" => update.values = Some(request.values.clone().unwrap_or_default()),
            _ => {}
        }
    }
    apply(&s, move |m| {
        let list = m.update_lists(|l| l.update(&name, update))?;
        Ok(json::List::new(&name, &list))
    })
    .await
}

/// `POST /v1beta1/lists/{name}:addValue` and `…:removeValue`.
async fn list_value(
    State(s): State<Sidecar>,
    Path(target): Path<String>,
    body: Bytes,
) -> Answer<json::List> {
    let (name, add) = if let Some(name) = target.strip_suffix(":addValue") {
        (name.to_owned(), true)
    } else if let Some(name) = target.strip_suffix(":removeValue") {
        (name.to_owned(), false)
    } else {
        return Err(Failure::invalid(format!(
            "POST {target:?}: expected {target}:addValue or {target}:removeValue"
        )));
    };
    let request = parse::<json::ListValue>(&body)?;
    apply(&s, move |m| {
        m.update_lists(|l| {
            if add {
                l.append(&name, &request.value)
            } else {
                l.delete(&name, &request.value)
            }
        })?;
        Ok(json::List::new(&name, m.lists().get(&name)?))
    })
    .await
}

async fn player_connect(State(s): State<Sidecar>, body: Bytes) -> Answer<json::Bool> {
    let id = parse::<json::PlayerId>(&body)?.player_id;
    apply(&s, move |m| {
        m.player_connect(&id)
            .map(|added| json::Bool { bool: added })
    })
    .await
}

async fn player_disconnect(State(s): State<Sidecar>, body: Bytes) -> Answer<json::Bool> {
    let id = parse::<json::PlayerId>(&body)?.player_id;
    apply(&s, move |m| {
        Ok(json::Bool {
            bool: m.player_disconnect(&id),
        })
    })
    .await
}

async fn get_player_capacity(State(s): State<Sidecar>) -> Json<json::Count> {
    Json(json::Count {
        count: Some(s.handle.record().status.players.capacity),
    })
}

async fn set_player_capacity(State(s): State<Sidecar>, body: Bytes) -> Answer<json::Empty> {
    let count = parse::<json::Count>(&body)?.count.unwrap_or(0);
    apply(&s, move |m| {
        m.set_player_capacity(count).map(|()| json::Empty {})
    })
    .await
}

async fn player_count(State(s): State<Sidecar>) -> Json<json::Count> {
    Json(json::Count {
        count: Some(s.handle.record().status.players.count),
    })
}

async fn connected_players(State(s): State<Sidecar>) -> Json<json::PlayerList> {
    Json(json::PlayerList {
        list: s.handle.record().status.players.ids.clone(),
    })
}

async fn is_player_connected(State(s): State<Sidecar>, Path(id): Path<String>) -> Json<json::Bool> {
    let record = s.handle.record();
    Json(json::Bool {
        bool: record.status.players.ids.contains(&id),
    })
}
