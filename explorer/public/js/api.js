// The explorer's only way to the hub: the public GraphQL API, POST JSON to /graphql.
// The explorer sends no GraphQL text: each operation is on the hub's allowlist
// (schema/persisted/explorer.graphql) and is asked for by its name (`id`), so the explorer
// works for anonymous visitors of a hub that runs only persisted queries for them.

export class ApiError extends Error {}

// An API key the person typed in, kept for this tab only (sessionStorage, never localStorage)
// and sent as `Authorization: Bearer <key>`. The key is never shown back.
const KEY = "convener.apiKey";
export const SIGNIN_EVENT = "convener-signin";

function storedKey() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage switched off: stay anonymous
  }
}

export function signedIn() {
  return Boolean(storedKey());
}

/** Keeps `key` for this tab (or forgets it with null) and, unless `quiet`, tells the page. */
export function setApiKey(key, { reason = null, quiet = false } = {}) {
  try {
    if (key) sessionStorage.setItem(KEY, key);
    else sessionStorage.removeItem(KEY);
  } catch {
    /* storage switched off: nothing to keep */
  }
  if (!quiet) announce(reason);
}

/** Tells the page the sign-in changed, so the header and the page show it. */
export function announce(reason = null) {
  window.dispatchEvent(new CustomEvent(SIGNIN_EVENT, { detail: { signedIn: signedIn(), reason } }));
}

export const REFUSED = "The hub refused that API key, so you are signed out. Check the key, or ask the hub admin for a new one.";

/** Runs one persisted operation by name and returns its data; throws ApiError with people's words. */
export async function gql(operation, variables = {}) {
  const key = storedKey();
  const headers = { "content-type": "application/json", accept: "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  let response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ id: operation, variables }) });
  } catch {
    throw new ApiError("The hub could not be reached. Check your connection and try again.");
  }
  if (response.status === 401 && key) {
    if (storedKey() === key) setApiKey(null, { reason: "refused" });
    throw new ApiError(REFUSED);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The hub answered ${response.status} without data.`);
  }
  if (body.errors && body.errors.length) {
    throw new ApiError(body.errors.map((error) => error.message).join(" "));
  }
  if (!response.ok || !body.data) {
    throw new ApiError(`The hub answered ${response.status}.`);
  }
  return body.data;
}
