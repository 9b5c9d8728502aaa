// Game sessions and player sessions: game sessions filtered by fleet and
// status and searched by id, name, game server or creator, terminated
// gracefully or at once; a game session's player sessions; player
// sessions found by player or player session id.

import { api, every, withQuery } from "../api.js";
import { badge, fmt, h, panel, refill, replace, showError, table } from "../dom.js";

const STATUSES = ["ACTIVATING", "ACTIVE", "TERMINATING", "TERMINATED", "ERROR"];
const PLAYER_STATUSES = ["RESERVED", "ACTIVE", "COMPLETED", "TIMEDOUT"];
/** Most game sessions shown at once. */
const MAX_ROWS = 200;

function playerTable(sessions, empty) {
  return table(
    [
      { title: "Player session", cell: (p) => p.playerSessionId },
      { title: "Player", cell: (p) => p.playerId },
      { title: "Game session", cell: (p) => fmt.short(p.gameSessionId, 18) },
      { title: "Fleet", cell: (p) => p.fleetId },
      { title: "Status", cell: (p) => badge(p.status) },
      { title: "Created", cell: (p) => fmt.time(p.creationTime) },
      { title: "Ended", cell: (p) => fmt.time(p.terminationTime) },
    ],
    sessions,
    { key: (p) => p.playerSessionId, empty },
  );
}

/** Renders the view into `root`; returns what stops it. */
export function render(root, { params }) {
  const error = h("p", { class: "error", hidden: true });
  const message = h("p", { class: "message", role: "status" });
  const fleet = h("select", { id: "session-fleet" }, h("option", { value: "" }, "every fleet"));
  const status = h("select", { id: "session-status" }, h("option", { value: "" }, "every status"), STATUSES.map((s) => h("option", { value: s }, s)));
  const search = h("input", { id: "session-search", type: "search", placeholder: "id, name, game server or creator", maxlength: 100 });
  const count = h("span", { class: "muted" });
  const list = h("div", { id: "session-list" });
  const seatsTitle = h("span", {}, "Player sessions");
  const seats = h("div", { id: "player-sessions" }, h("p", { class: "muted" }, "Choose a game session above, or search by player."));
  const player = h("input", { id: "player-search", type: "search", placeholder: "player id or player session id", maxlength: 100 });
  const playerStatus = h("select", {}, h("option", { value: "" }, "every status"), PLAYER_STATUSES.map((s) => h("option", { value: s }, s)));
  status.value = STATUSES.includes(params.status) ? params.status : "";
  let wantedFleet = params.fleet ?? "";
  let chosen = null;
  let query = null;

  const terminate = (session, mode) => async () => {
    message.textContent = `Terminating ${session.gameSessionId}…`;
    try {
      await api.post(`/v1/gamesessions/${encodeURIComponent(session.gameSessionId)}/terminate`, { terminationMode: mode });
      message.textContent = `${session.gameSessionId}: termination asked (${mode}).`;
      await refresh();
    } catch (e) {
      message.textContent = `Terminating ${session.gameSessionId} failed: ${e.message}`;
    }
  };

  const refresh = async () => {
    const [{ fleets }, { gameSessions }] = await Promise.all([
      api.get("/v1/fleets"),
      api.get(withQuery("/v1/gamesessions", { fleet: fleet.value || wantedFleet, status: status.value })),
    ]);
    const names = fleets.map((f) => f.name).join();
    if (fleet.dataset.names !== names) {
      replace(fleet, h("option", { value: "" }, "every fleet"), fleets.map((f) => h("option", { value: f.name }, f.name)));
      fleet.dataset.names = names;
      fleet.value = wantedFleet;
    }
    wantedFleet = fleet.value;
    const needle = search.value.trim().toLowerCase();
    const shown = gameSessions
      .filter((s) => [s.gameSessionId, s.name, s.gameServerName, s.creatorId].some((v) => (v ?? "").toLowerCase().includes(needle)))
      .sort((a, b) => b.creationTime - a.creationTime);
    count.textContent = shown.length > MAX_ROWS ? `${MAX_ROWS} of ${shown.length} shown` : `${shown.length} game sessions`;
    refill(list, [shown.slice(0, MAX_ROWS), chosen], () => table(
      [
        { title: "Game session", cell: (s) => s.gameSessionId },
        { title: "Fleet", cell: (s) => s.fleetId },
        { title: "Game server", cell: (s) => h("a", { href: `#/gameservers/${encodeURIComponent(s.gameServerName)}` }, s.gameServerName) },
        { title: "Status", cell: (s) => h("span", {}, badge(s.status), s.statusReason ? ` ${s.statusReason}` : "") },
        { title: "Max players", cell: (s) => fmt.number(s.maximumPlayerSessionCount), class: "num" },
        { title: "Created", cell: (s) => fmt.time(s.creationTime) },
        { title: "", cell: (s) => (["TERMINATED", "ERROR"].includes(s.status) ? "" : h("span", { class: "buttons" },
          h("button", { type: "button", class: "small", onclick: terminate(s, "TRIGGER_ON_PROCESS_TERMINATE") }, "Terminate"),
          h("button", { type: "button", class: "small danger", onclick: terminate(s, "FORCE_TERMINATE") }, "Force"))) },
      ],
      shown.slice(0, MAX_ROWS),
      { key: (s) => s.gameSessionId, selected: chosen, onRow: (s) => { chosen = s.gameSessionId; query = null; player.value = ""; refresh(); }, empty: "no game sessions match" },
    ));
    await refreshSeats();
  };

  const refreshSeats = async () => {
    let filter = null;
    if (query) {
      filter = query.startsWith("psess-") ? { playerSessionId: query } : { playerId: query };
      replace(seatsTitle, "Player sessions of ", h("span", { class: "id" }, query));
    } else if (chosen) {
      filter = { gameSessionId: chosen };
      replace(seatsTitle, "Player sessions of ", h("span", { class: "id" }, chosen));
    }
    if (!filter) return;
    const page = await api.get(withQuery("/v1/playersessions", { ...filter, playerSessionStatusFilter: playerStatus.value, limit: 50 }));
    refill(seats, page, () => [playerTable(page.playerSessions, "no player sessions"), page.nextToken ? h("p", { class: "muted" }, "The first 50 are shown.") : null]);
  };

  for (const control of [fleet, status]) control.addEventListener("change", () => { wantedFleet = fleet.value; refresh().catch((e) => showError(error, e)); });
  search.addEventListener("input", () => refresh().catch((e) => showError(error, e)));
  const findPlayer = h("form", { class: "filters", onsubmit: (event) => {
    event.preventDefault();
    query = player.value.trim() || null;
    refreshSeats().catch((e) => showError(error, e));
  } }, h("label", {}, "Find ", player), h("label", {}, "Status ", playerStatus), h("button", { type: "submit" }, "Search"));

  root.append(
    h("header", { class: "view-head" }, h("h1", {}, "Sessions"), count),
    h("div", { class: "filters" }, h("label", {}, "Fleet ", fleet), h("label", {}, "Status ", status), h("label", {}, "Search ", search)),
    error,
    message,
    h("div", { class: "scroll-box" }, list),
    panel(seatsTitle, findPlayer, seats),
  );
  return every(2000, refresh, (e) => showError(error, e));
}
