// What the browser clients share: joining a match of a fleet from the page's
// address — `?fleet=`, `?match=` (else a new match), `?name=` (else a random
// player id) and `?token=` (the control plane's bearer token, when the host
// has one) — and opening the player's WebSocket.
const params = new URLSearchParams(location.search);
const token = params.get("token");

// The player's id on this page.
export const name = params.get("name") || `player-${Math.random().toString(36).slice(2, 8)}`;

// Calls the control plane; throws its error message.
async function api(method, path, body) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error?.message || response.statusText);
  return answer;
}

// The match in the address, or a new one of `fleet` with `seats` player
// slots, then put in the address so the invite link names it.
async function matchId(fleet, seats) {
  const existing = params.get("match");
  if (existing) return existing;
  const session = await api("POST", `/v1/fleets/${encodeURIComponent(fleet)}/gamesessions`, {
    name: "browser match",
    maximumPlayerSessionCount: seats,
  });
  params.set("match", session.gameSessionId);
  history.replaceState(null, "", `?${params}`);
  return session.gameSessionId;
}

// Joins a match of `fleet` (made with `seats` slots if new): reserves a
// player session, shows the invite link in `invite`, and returns
// `{ id, seat, socket }` with the player's WebSocket opening.
export async function join(fleet, seats, invite, status) {
  const id = await matchId(fleet, seats);
  const link = new URL(location.href);
  link.searchParams.delete("name");
  invite.href = link.href;
  invite.textContent = link.href;
  status(`joining match ${id} as ${name}…`);
  const seatsTaken = await api("POST", `/v1/gamesessions/${id}/playersessions`, { playerId: name });
  const seat = seatsTaken.playerSessions[0].playerSessionId;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/v1/play/${seat}?gameSessionId=${id}`);
  return { id, seat, socket };
}

// The page's `?fleet=`, or `fallback`.
export function fleet(fallback) {
  return params.get("fleet") || fallback;
}
