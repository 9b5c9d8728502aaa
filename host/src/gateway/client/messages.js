// A player of any game mode: joins a match of the fleet (`?fleet=`) — the
// one in `?match=` or a new one — with a player session of its own, prints
// each message it receives as text and sends what is typed. `?token=` is the
// control plane's bearer token, when the host has one.
const params = new URLSearchParams(location.search);
const fleet = params.get("fleet");
const token = params.get("token");
const name = params.get("name") || `player-${Math.random().toString(36).slice(2, 8)}`;
const $ = (id) => document.getElementById(id);

function status(text) {
  $("status").textContent = text;
}

function show(text, kind) {
  const line = document.createElement("div");
  line.className = kind;
  line.textContent = text;
  $("log").append(line);
  $("log").scrollTop = $("log").scrollHeight;
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
    maximumPlayerSessionCount: 8,
  });
  params.set("match", session.gameSessionId);
  history.replaceState(null, "", `?${params}`);
  return session.gameSessionId;
}

async function play() {
  if (!fleet) throw new Error("name the fleet in the address: ?fleet=NAME");
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
  socket.binaryType = "arraybuffer";
  socket.onopen = () => {
    status(`connected as ${name} (${seat})`);
    $("text").disabled = false;
    $("button").disabled = false;
    $("text").focus();
  };
  socket.onmessage = (event) => {
    const data = event.data;
    show(typeof data === "string" ? data : new TextDecoder().decode(data), "received");
  };
  socket.onclose = (event) => {
    $("text").disabled = true;
    $("button").disabled = true;
    status(`disconnected: ${event.reason || "the connection closed"}`);
    show("— disconnected", "note");
  };
  $("send").onsubmit = (event) => {
    event.preventDefault();
    const text = $("text").value;
    if (!text) return;
    socket.send(text);
    show(`> ${text}`, "sent");
    $("text").value = "";
  };
}

play().catch((error) => status(`could not join: ${error.message}`));
