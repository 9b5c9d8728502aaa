// The Arena browser client: joins a match of the fleet (`?fleet=`, default
// `arena`) — the one in `?match=` or a new one — with a player session of its
// own, then plays over the gateway's WebSocket. `?token=` is the control
// plane's bearer token, when the host has one.
import { fleet, join, name } from "/play/join.js";

const $ = (id) => document.getElementById(id);
const buttons = [...document.querySelectorAll("[data-shape]")];

function status(text) {
  $("status").textContent = text;
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
  const { seat, socket } = await join(fleet("arena"), 2, $("invite"), status);
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
