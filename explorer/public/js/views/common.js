// Pieces several pages share: organisation names with sectors, topic chips, project lines,
// and the hint shown where signed-in roles see more.

import { ApiError, signedIn } from "../api.js";
import { count, h, list, tag, words } from "../dom.js";
import { current, href, link } from "../routes.js";

export function page(...children) {
  return h("div", { class: "page" }, ...children);
}

export function organisationLinks(organisations) {
  return organisations.map((o, i) => [i ? ", " : "", link("organisation", o.id, o.name)]);
}

export function topicChips(topics) {
  if (!topics.length) return null;
  return h(
    "ul",
    { class: "chips", "aria-label": "Topics" },
    topics.map((t) => h("li", {}, link("topic", t.id, t.label))),
  );
}

export function sectorTag(sector) {
  return sector ? tag(words(sector), `sector sector-${sector.toLowerCase()}`) : null;
}

export function offers(person) {
  const offered = [];
  if (person.offersMentoring) offered.push(tag("offers mentoring", "offer"));
  if (person.offersCoaching) offered.push(" ", tag("offers coaching", "offer"));
  return offered;
}

/** A person as a card: name, role, organisations, what they offer, what interests them. */
export function personCard(person) {
  return h(
    "li",
    { class: "card" },
    h("h2", { class: "card-title" }, link("person", person.id, person.name)),
    person.role || person.kind ? h("p", { class: "meta" }, person.role ?? "", person.role ? " " : "", kindTag(person.kind)) : null,
    person.organisations.length ? h("p", {}, organisationLinks(person.organisations)) : null,
    h("p", {}, offers(person)),
    person.interests.length ? [h("p", { class: "meta" }, "Interested in:"), topicChips(person.interests)] : null,
  );
}

export function projectList(projects) {
  return list(
    projects.map((p) => [link("project", p.id, p.title), p.status ? [" ", tag(words(p.status))] : null]),
  );
}

/** A select with a label; options are [value, text] pairs, the first often the "any" choice. */
export function select(label, name, options, chosen) {
  const id = `choose-${name}`;
  return h(
    "span",
    { class: "field" },
    h("label", { for: id }, label),
    h(
      "select",
      { id, name },
      options.map(([value, text]) => h("option", { value, selected: value === (chosen ?? "") }, text)),
    ),
  );
}

/**
 * "Sign in to <what>.", with "Sign in" a button that takes the keyboard to the header's API key
 * field; nothing once signed in. Every page where signing in shows more uses this one hint.
 */
export function signInHint(id, what) {
  if (signedIn()) return null;
  const focusKey = () => document.getElementById("signin-key")?.focus();
  return h(
    "p",
    { class: "signin-hint", id },
    h("button", { type: "button", class: "link", onclick: focusKey }, "Sign in"),
    ` ${what} (with an API key, at the top of the page).`,
  );
}

/** "2 shared projects, 1 person": a link's strength in words (network picture, system page). */
export function linkCounts(link) {
  return `${count(link.sharedProjectCount, "shared project")}, ${count(link.personCount, "person", "people")}`;
}

// The API's largest page: a list restored from its address starts with at most this many.
const MAX_PAGE = 100;

/** The address parameter keeping how many items the list `id` showed. */
function shownParam(id) {
  return `shown-${id}`;
}

/**
 * How many items the list `id` (a `moreList`) asks for first: as many as it showed when the
 * address was last kept, so the back button and a shared address keep a longer list, or `size`;
 * never more than MAX_PAGE.
 */
export function firstPage(route, id, size) {
  const shown = Number.parseInt(route.params.get(shownParam(id)) ?? "", 10);
  return Number.isInteger(shown) && shown > size ? Math.min(shown, MAX_PAGE) : size;
}

/**
 * A list shown a page at a time with keyset cursors: the first page's items, and a "More…"
 * button that asks `next(cursor)` for the page after the last one shown and adds it. The
 * keyboard moves to the first link of what was added. `item` makes each item's `li`. How many
 * are shown is kept in the address, without a new history entry (`firstPage` reads it).
 */
export function moreList({ id, connection, item, next, more, attrs = {} }) {
  const list = h("ul", { id, ...attrs }, connection.nodes.map(item));
  const status = h("p", { class: "message", role: "status", id: `${id}-status` });
  let cursor = connection.pageInfo.endCursor;
  const button = h("button", { type: "button", class: "secondary", id: `${id}-more`, hidden: !connection.pageInfo.hasNextPage }, more);
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = "Loading…";
    try {
      const page = await next(cursor);
      const added = page.nodes.map(item);
      list.append(...added);
      keepShown(id, list.children.length);
      cursor = page.pageInfo.endCursor;
      button.hidden = !page.pageInfo.hasNextPage;
      status.textContent = `Showing ${list.children.length} of ${page.totalCount}.`;
      added[0]?.querySelector("a")?.focus();
    } catch (error) {
      status.textContent = error instanceof ApiError ? error.message : "More could not be loaded.";
    } finally {
      button.disabled = false;
    }
  });
  return [list, h("div", { class: "toolbar" }, button, status)];
}

function keepShown(id, shown) {
  const route = current();
  const params = { ...Object.fromEntries(route.params), [shownParam(id)]: String(shown) };
  history.replaceState(history.state, "", href(route.page, route.id, params));
}

// A person's kind, as the API gives it only where the person agreed to show it.
export const PERSON_KINDS = [
  ["STAFF", "staff"],
  ["PATIENT_OR_CARER", "patient or carer"],
  ["LIVED_EXPERIENCE_PARTNER", "lived-experience partner"],
  ["VOLUNTEER", "volunteer"],
  ["STUDENT", "student"],
];

/**
 * The kind of person the address narrows to (`who`), or "": a kind is personal, so only
 * signed-in people filter by it, and only a kind the API knows is asked for.
 */
export function chosenKind(route) {
  const who = route.params.get("who") ?? "";
  return signedIn() && PERSON_KINDS.some(([value]) => value === who) ? who : "";
}

/** The "Who" choice of a kind of person, for signed-in people only (null otherwise). */
export function kindSelect(who) {
  return signedIn() ? select("Who", "who", [["", "(anyone)"], ...PERSON_KINDS], who) : null;
}

/** A tag naming a person's kind (null when the API gave none). */
export function kindTag(kind) {
  const known = PERSON_KINDS.find(([value]) => value === kind);
  return known ? tag(known[1], "kind") : null;
}
