// The console's shell: the token form, the navigation, and the view the
// address's hash names (#/fleets, #/fleets/NAME, #/gameservers?fleet=…, …).

import { api, token } from "./api.js";
import { sampler } from "./metrics.js";
import * as hosts from "./views/hosts.js";
import * as fleets from "./views/fleets.js";
import * as fleet from "./views/fleet.js";
import * as gameServers from "./views/game_servers.js";
import * as gameServer from "./views/game_server.js";
import * as sessions from "./views/sessions.js";
import * as charts from "./views/charts.js";

const main = document.getElementById("main");
let leave = null;

/** The view for a hash: its module, the name after the section, the query. */
function route(hash) {
  const [path, query = ""] = hash.replace(/^#\/?/, "").split("?");
  const [section, ...rest] = path.split("/");
  const name = rest.length ? decodeURIComponent(rest.join("/")) : null;
  const params = Object.fromEntries(new URLSearchParams(query));
  switch (section) {
    case "fleets":
      return { nav: "fleets", view: name ? fleet : fleets, name, params };
    case "gameservers":
      return { nav: "gameservers", view: name ? gameServer : gameServers, name, params };
    case "sessions":
      return { nav: "sessions", view: sessions, name, params };
    case "charts":
      return { nav: "charts", view: charts, name, params };
    default:
      return { nav: "hosts", view: hosts, name, params };
  }
}

function show() {
  if (leave) leave();
  leave = null;
  const { nav, view, name, params } = route(location.hash);
  for (const link of document.querySelectorAll("nav a[data-view]")) {
    link.classList.toggle("active", link.dataset.view === nav);
  }
  main.replaceChildren();
  main.scrollTop = 0;
  leave = view.render(main, { name, params }) || null;
}

async function describeHost() {
  const host = await api.get("/v1/host");
  document.getElementById("host-line").textContent = `${host.hostId} · v${host.version}`;
  return host;
}

function signOut(message) {
  token.clear();
  sampler.stop();
  if (leave) leave();
  leave = null;
  main.replaceChildren();
  document.getElementById("shell").hidden = true;
  document.getElementById("login").hidden = false;
  document.getElementById("login-error").textContent = message || "";
  document.getElementById("token").focus();
}

async function signIn() {
  try {
    await describeHost();
  } catch (error) {
    signOut(error.status === 401 ? "The control plane refused this token." : `The control plane did not answer: ${error.message}`);
    return;
  }
  document.getElementById("login").hidden = true;
  document.getElementById("shell").hidden = false;
  sampler.start();
  show();
}

document.getElementById("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  token.set(document.getElementById("token").value.trim());
  document.getElementById("token").value = "";
  signIn();
});
document.getElementById("sign-out").addEventListener("click", () => signOut());
window.addEventListener("console:unauthorized", () => signOut("The token was refused; enter it again."));
window.addEventListener("hashchange", () => {
  if (!document.getElementById("shell").hidden) show();
});

if (token.known()) signIn();
else signOut();

