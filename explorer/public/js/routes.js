// Hash routes: every page has a real, linkable, reloadable address.
//   #/search?q=falls            #/project/<id>   #/person/<id>   #/organisation/<id>
//   #/topic/<id>   #/system/<id>   #/duplicates?system=<id>   #/network?system=<id>&topic=<id>
//   #/whats-on?topic=<id>&system=<id>&online=true   #/library?kind=guide&part=m:<module id>
//   #/impact?system=<id>&interval=MONTH&from=<day>&to=<day>
//   #/projects?topic=<id>&organisation=<id>&system=<id>&status=active&method=PDSA&mode=<mode>
//   #/people?topic=<id>&organisation=<id>&system=<id>
//   #/mentors?topic=<id>&system=<id>&offer=mentoring   (signed-in callers)
//   #/share   #/share/<submission id> (edit)   #/my-submissions?sent=<id>   #/moderate

import { h } from "./dom.js";

export const PAGES = ["project", "person", "organisation", "topic", "system", "resource"];

/** The address of a page about one thing, or of a view with query parameters. */
export function href(page, id = null, params = {}) {
  const path = id === null ? `#/${page}` : `#/${page}/${encodeURIComponent(id)}`;
  const query = new URLSearchParams(
    Object.entries(params).filter(([, value]) => value !== null && value !== undefined && value !== ""),
  ).toString();
  return query ? `${path}?${query}` : path;
}

/** A link to the page of a thing (project, person...) named by its text. */
export function link(page, id, text, attrs = {}) {
  return h("a", { href: href(page, id), ...attrs }, text);
}

/** The current route: { page, id, params } read from location.hash. */
export function current(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, "");
  const [path, query = ""] = splitOnce(raw, "?");
  const [page, id] = splitOnce(path, "/");
  return {
    page: page || "search",
    id: id ? decodeURIComponent(id) : null,
    params: new URLSearchParams(query),
  };
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
