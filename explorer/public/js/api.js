// The explorer's only way to the hub: the public GraphQL API, POST JSON to /graphql.
// The explorer sends no GraphQL text: each operation is on the hub's allowlist
// (schema/persisted/explorer.graphql) and is asked for by its name (`id`), so the explorer
// works for anonymous visitors of a hub that runs only persisted queries for them.

import { saveBlob } from "./csv.js";

export class ApiError extends Error {
  /** `errors`: the GraphQL errors as the hub sent them (their `extensions` name bad fields). */
  constructor(message, errors = []) {
    super(message);
    this.errors = errors;
  }

  /** The first error's code (`BAD_USER_INPUT`, `FORBIDDEN`...), or null. */
  get code() {
    return this.errors[0]?.extensions?.code ?? null;
  }
}

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
    throw new ApiError(body.errors.map((error) => error.message).join(" "), body.errors);
  }
  if (!response.ok || !body.data) {
    throw new ApiError(`The hub answered ${response.status}.`);
  }
  return body.data;
}

/**
 * Uploads one file for a contribution (`POST /files`, signed-in) and returns what the hub
 * kept: its id, name, content type and size. The hub checks the type by content; its refusal
 * (too big, not a PDF, Word, PowerPoint or image file) comes back as an ApiError in its words.
 */
export async function upload(file) {
  const key = storedKey();
  const body = new FormData();
  body.append("file", file, file.name);
  let response;
  try {
    response = await fetch("/files", {
      method: "POST",
      headers: key ? { authorization: `Bearer ${key}`, accept: "application/json" } : { accept: "application/json" },
      body,
    });
  } catch {
    throw new ApiError("The hub could not be reached. Check your connection and try again.");
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    /* no JSON: said below */
  }
  if (!response.ok) {
    const said = answer?.errors?.map((error) => error.message).join(" ");
    throw new ApiError(said || `The hub answered ${response.status} to the upload.`);
  }
  return answer;
}

/**
 * Downloads a contribution's file with this tab's sign-in (a pending submission's files are for
 * its submitter and moderators only, so a plain link would not do) and saves it as `name`.
 */
export async function download(url, name) {
  const key = storedKey();
  let response;
  try {
    response = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  } catch {
    throw new ApiError("The hub could not be reached. Check your connection and try again.");
  }
  if (!response.ok) throw new ApiError(`The hub answered ${response.status} for ${name}.`);
  saveBlob(await response.blob(), name);
}
