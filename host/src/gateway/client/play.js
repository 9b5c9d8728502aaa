// The Arena browser client: joins a match of the fleet (`?fleet=`, default
// `arena`) — the one in `?match=` or a new one — with a player session of its
// own, then plays over the gateway's WebSocket. `?token=` is the control
// plane's bearer token, when the host has one.
const params = new URLSearchParams(location.search);
const fleet = params.get("fleet") || "arena";
const token = params.get("token");
const name = params.get("name") || `player-${Math.random().toString(36).slice(2, 8)}`;
const $ = (id) => document.getElementById(id);
const buttons = [...document.querySelectorAll("[data-shape]")];

function status(text) {
  $("status").textContent = text;
}

async function api(method, path, body) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error?.message || response.statusText);
  return answer;
}

async function matchId() {
  const existing = params.get("match");
  if (existing) return existing;
  const session = await api("POST", `/v1/fleets/${encodeURIComponent(fleet)}/gamesessions`, {
    name: "browser match",
    maximumPlayerSessionCount: 2,
  });
  params.set("match", session.gameSessionId);
  history.replaceState(null, "", `?${params}`);
  return session.gameSessionId;
}

function render(state, you) {
  const rows = state.players.map((p) => {
    const row = document.createElement("tr");
    if (p.session === you) row.className = "you";
    for (const text of [p.id + (p.session === you ? " (you)" : ""), p.score, p.thrown ? "thrown" : "…"]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  $("players").replaceChildren(...rows);
  const left = state.secondsLeft === null ? "" : ` — ${state.secondsLeft} s left`;
  $("round").textContent = `first to ${state.target}; rounds played: ${state.rounds}${left}`;
  if (state.winner) $("winner").textContent = `${state.winner} won!`;
}

async function play() {
  const id = await matchId();
  const invite = new URL(location.href);
  invite.searchParams.delete("name");
  $("invite").href = invite.href;
  $("invite").textContent = invite.href;
  status(`joining match ${id} as ${name}…`);
  const seats = await api("POST", `/v1/gamesessions/${id}/playersessions`, { playerId: name });
  const seat = seats.playerSessions[0].playerSessionId;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/v1/play/${seat}?gameSessionId=${id}`);
  socket.onopen = () => {
    status(`connected as ${name}`);
    for (const button of buttons) button.disabled = false;
  };
  socket.onmessage = (event) => render(JSON.parse(event.data), seat);
  socket.onclose = (event) => {
    for (const button of buttons) button.disabled = true;
    status(`disconnected: ${event.reason || "the connection closed"}`);
  };
  for (const button of buttons) {
    button.onclick = () => socket.send(button.dataset.shape);
  }
}

play().catch((error) => status(`could not join: ${error.message}`));
