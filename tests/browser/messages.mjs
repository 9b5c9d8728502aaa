// A headless Chromium opens a game mode's message client (the play address
// `gamehost dev` prints), waits until it is connected, sends a message and
// waits for a line received that equals the expected answer:
// `node messages.mjs PLAY_URL MESSAGE EXPECTED`.
// The system's Chromium is used (CHROMIUM, or /usr/bin/chromium).
import { chromium } from "playwright-core";

const [url, message, expected] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const timeout = 20_000;

try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector("#status")?.textContent.startsWith("connected as"), null, { timeout })
    .catch(async (error) => {
      throw new Error(`never connected; the page says ${JSON.stringify(await page.textContent("#status"))}: ${error.message}`);
    });
  await page.fill("#text", message);
  await page.click("#button");
  await page.waitForFunction(
    (expected) => [...document.querySelectorAll("#log .received")].some((line) => line.textContent === expected),
    expected,
    { timeout },
  ).catch(async (error) => {
    throw new Error(`no message ${JSON.stringify(expected)}; the log shows ${JSON.stringify(await page.textContent("#log"))}: ${error.message}`);
  });
  console.log(`received ${expected}`);
} finally {
  await browser.close();
}
