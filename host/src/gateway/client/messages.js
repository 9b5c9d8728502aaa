// A player of any game mode: joins a match of the fleet (`?fleet=`) — the
// one in `?match=` or a new one — with a player session of its own, prints
// each message it receives as text and sends what is typed. `?token=` is the
// control plane's bearer token, when the host has one.
import { fleet, join, name } from "/play/join.js";

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

async function play() {
  const named = fleet(null);
  if (!named) throw new Error("name the fleet in the address: ?fleet=NAME");
  const { seat, socket } = await join(named, 8, $("invite"), status);
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
