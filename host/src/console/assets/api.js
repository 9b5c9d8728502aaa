// The control plane's API, called with the operator's token. The token is
// kept in the tab's session storage and sent only as a header, never in a URL.

const KEY = "gamehost.console.token";

/** The operator's token. */
export const token = {
  get: () => sessionStorage.getItem(KEY) ?? "",
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
  known: () => sessionStorage.getItem(KEY) !== null,
};

/** An error answer of the control plane: its status, code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function headers(extra = {}) {
  const value = token.get();
  return value ? { ...extra, authorization: `Bearer ${value}` } : { ...extra };
}

async function failure(response) {
  let code = String(response.status);
  let message = response.statusText || "request failed";
  try {
    const body = await response.json();
    code = body.error.code;
    message = body.error.message;
  } catch {
    // Not the control plane's error shape: the status says enough.
  }
  if (response.status === 401) window.dispatchEvent(new CustomEvent("console:unauthorized"));
  return new ApiError(response.status, code, message);
}

async function call(method, path, { json, body, type, signal } = {}) {
  const init = { method, headers: headers(), signal, cache: "no-store" };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["content-type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
    init.headers["content-type"] = type;
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return null;
  const kind = response.headers.get("content-type") || "";
  return kind.includes("json") ? response.json() : response.text();
}

/** Calls to the control plane. */
export const api = {
  get: (path, signal) => call("GET", path, { signal }),
  post: (path, json = {}) => call("POST", path, { json }),
  patch: (path, json) => call("PATCH", path, { json }),
  upload: (path, bytes) => call("POST", path, { body: bytes, type: "application/wasm" }),
};

/** `path` with the query `params` (absent and empty values left out). */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(key, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Reads the newline-delimited JSON stream at `path`, calling `onItem` with
 * each value, until it ends or `signal` aborts it.
 */
export async function stream(path, onItem, signal) {
  const response = await fetch(path, { headers: headers(), signal, cache: "no-store" });
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) onItem(JSON.parse(line));
      newline = buffered.indexOf("\n");
    }
  }
}

/**
 * Runs `task` now and `millis` after each run ends, until the returned
 * function is called; a failed run goes to `onError`.
 */
export function every(millis, task, onError) {
  let stopped = false;
  let timer = null;
  const run = async () => {
    try {
      await task();
      onError?.(null);
    } catch (error) {
      if (onError) onError(error);
      else console.warn(error);
    } finally {
      if (!stopped) timer = setTimeout(run, millis);
    }
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
