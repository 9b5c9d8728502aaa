// The operator console in headless Chromium:
// `node console.mjs BASE TOKEN GAME_SERVER PLAYER_SESSION GAME_SESSION ARENA_V2_WASM SHOTS_DIR`.
// Signs in, finds the fleet `arena`, follows GAME_SERVER's log while the
// player of PLAYER_SESSION joins over the gateway, scales the fleet to 3,
// uploads ARENA_V2_WASM as arena@2 and hot swaps the fleet to it in place;
// each view is photographed into SHOTS_DIR (console-*.png). The system's
// Chromium is used (CHROMIUM, or /usr/bin/chromium); nothing is downloaded.
import { chromium } from "playwright-core";
import { join } from "node:path";

const [base, token, gameServer, playerSession, gameSession, arenaV2, shots] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const timeout = 30_000;

async function textOf(page, selector, wanted) {
  await page.waitForFunction(
    ([selector, wanted]) => document.querySelector(selector)?.textContent.includes(wanted),
    [selector, wanted],
    { timeout },
  ).catch(async (error) => {
    const text = await page.locator(selector).first().textContent().catch(() => null);
    throw new Error(`${selector} never showed ${JSON.stringify(wanted)}; it shows ${JSON.stringify(text)}: ${error.message}`);
  });
}

async function shoot(page, name) {
  const path = join(shots, `console-${name}.png`);
  await page.screenshot({ path });
  console.log(`console: screenshot ${path}`);
}

async function api(path) {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // A refused token is a 401 the browser reports; that is expected.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) problems.push(`console error: ${message.text()}`);
  });

  // Signing in: the page needs no token, the API does.
  await page.goto(`${base}/console`);
  await page.waitForSelector("#login-form", { state: "visible", timeout });
  await page.fill("#token", "not-the-token");
  await page.click("#sign-in");
  await textOf(page, "#login-error", "refused");
  await page.fill("#token", token);
  await page.click("#sign-in");
  await page.waitForSelector("#shell", { state: "visible", timeout });
  if (page.url().includes(token)) throw new Error("the token went into the address");
  const stored = await page.evaluate(() => [localStorage.length, sessionStorage.getItem("gamehost.console.token")]);
  if (stored[0] !== 0 || stored[1] !== token) throw new Error(`the token is stored as ${JSON.stringify(stored)}`);
  await textOf(page, "#host-running", "3");
  await shoot(page, "hosts");

  // The fleet.
  await page.click("nav a[data-view=fleets]");
  await page.waitForSelector("#fleet-list tr[data-key=arena]", { timeout });
  await textOf(page, "#fleet-list", "arena@1");
  await shoot(page, "fleets");

  // A game server, its log followed while a player joins.
  await page.click("nav a[data-view=gameservers]");
  await page.waitForSelector(`#game-server-list tr[data-key="${gameServer}"]`, { timeout });
  await shoot(page, "game-servers");
  await page.click(`#game-server-list tr[data-key="${gameServer}"]`);
  await textOf(page, "#log", "match started");
  await textOf(page, "#log-live", "live");
  const before = await page.locator("#log .log-line").count();
  if (await page.locator("#log").textContent().then((t) => t.includes("player joined"))) {
    throw new Error("a player joined before the test made one join");
  }
  const player = await context.newPage();
  await player.goto(`${base}/healthz`);
  await player.evaluate((url) => new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    window.player = socket;
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error("the player could not connect"));
  }), `${base.replace(/^http/, "ws")}/v1/play/${playerSession}`);
  await textOf(page, "#log", "player joined");
  await textOf(page, "#gs-players", "alice");
  const after = await page.locator("#log .log-line").count();
  if (after <= before) throw new Error(`the log did not grow: ${before} then ${after} lines`);
  await textOf(page, "#gs-cpu", "%");
  await shoot(page, "game-server");
  console.log("console: a log line appeared live");

  // Scaling from 2 to 3 Ready.
  await page.goto(`${base}/console#/fleets/arena`);
  await page.waitForFunction(() => document.querySelector("#scale-replicas")?.value === "2", null, { timeout });
  await page.fill("#scale-replicas", "3");
  await page.click("#scale-button");
  await textOf(page, "#fleet-desired", "3");
  await textOf(page, "#fleet-ready", "3");
  const scaled = await api("/v1/fleets/arena");
  if (scaled.replicas !== 3) throw new Error(`the API shows ${scaled.replicas} replicas`);
  await shoot(page, "fleet-scaled");
  console.log("console: scaled to 3");

  // Uploading arena@2 and hot swapping to it in place.
  await page.setInputFiles("#upload-file", arenaV2);
  await page.fill("#upload-name", "arena");
  await page.fill("#upload-version", "2");
  await page.click("#upload-button");
  await textOf(page, "#fleet-message", "done");
  await page.waitForFunction(() => {
    const select = document.querySelector("#swap-module");
    return select?.selectedOptions[0]?.textContent.startsWith("arena@2");
  }, null, { timeout });
  await page.selectOption("#swap-strategy", "inPlace");
  await page.click("#swap-button");
  await textOf(page, "#fleet-update-state", "succeeded");
  await textOf(page, "#fleet-module", "arena@2");
  const swapped = await api("/v1/fleets/arena");
  const v2 = await api("/v1/modules/arena@2");
  if (swapped.module !== v2.id) throw new Error(`the API shows module ${swapped.module}`);
  await shoot(page, "fleet-swapped");
  console.log("console: hot swap done");

  // Sessions: the match and its player sessions.
  await page.click("nav a[data-view=sessions]");
  await page.waitForSelector(`#session-list tr[data-key="${gameSession}"]`, { timeout });
  // Its first cell: the row's link to the game server would navigate.
  await page.click(`#session-list tr[data-key="${gameSession}"] td:first-child`);
  await textOf(page, "#player-sessions", "alice");
  await shoot(page, "sessions");

  // Charts, once a few samples of /metrics are in.
  await page.click("nav a[data-view=charts]");
  // A flat line has no height: attached, not visible.
  await page.waitForSelector("#chart-sessions svg polyline", { state: "attached", timeout });
  await page.waitForSelector("#chart-game-servers svg polyline", { state: "attached", timeout });
  await shoot(page, "charts");

  if (problems.length) throw new Error(problems.join("\n"));
} finally {
  await browser.close();
}
