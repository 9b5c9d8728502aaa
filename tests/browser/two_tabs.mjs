// Two tabs of one headless Chromium play a match of Arena through the
// host's browser client: `node two_tabs.mjs http://HOST:PORT`.
// The system's Chromium is used (CHROMIUM, or /usr/bin/chromium); nothing is
// downloaded.
import { chromium } from "playwright-core";

const base = process.argv[2];
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const timeout = 20_000;

async function textOf(page, selector, wanted) {
  await page.waitForFunction(
    ([selector, wanted]) => document.querySelector(selector)?.textContent.includes(wanted),
    [selector, wanted],
    { timeout },
  ).catch(async (error) => {
    const text = await page.textContent(selector);
    throw new Error(`${selector} never showed ${JSON.stringify(wanted)}; it shows ${JSON.stringify(text)}: ${error.message}`);
  });
}

try {
  const tabs = await browser.newContext();
  const alice = await tabs.newPage();
  await alice.goto(`${base}/play?name=alice`);
  await textOf(alice, "#status", "connected as alice");
  const invite = await alice.getAttribute("#invite", "href");
  if (!invite.includes("match=")) throw new Error(`the invite ${invite} names no match`);

  const bob = await tabs.newPage();
  await bob.goto(`${invite}&name=bob`);
  await textOf(bob, "#status", "connected as bob");
  for (const tab of [alice, bob]) {
    await tab.waitForFunction(() => document.querySelectorAll("#players tr").length === 2, null, { timeout });
  }

  for (let round = 1; round <= 3; round++) {
    await alice.click("[data-shape=rock]");
    await textOf(bob, "#players", "thrown");
    await bob.click("[data-shape=scissors]");
    await textOf(alice, "#round", `rounds played: ${round}`);
  }
  for (const tab of [alice, bob]) {
    await textOf(tab, "#winner", "alice won!");
    await textOf(tab, "#status", "disconnected: the match is over: alice won");
  }
  const table = await alice.textContent("#players");
  if (!table.includes("alice (you)3")) throw new Error(`alice's tab shows ${table}`);
  console.log("two tabs played a match: alice won 3-0");
} finally {
  await browser.close();
}
