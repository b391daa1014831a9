// A resource: a case study, toolkit, guide or event, with where it came from.

import { gql } from "../api.js";
import { facts, h, tag, words } from "../dom.js";
import { href, link } from "../routes.js";
import { page, topicChips } from "./common.js";
import { calendarFileOf, when, where } from "./events.js";

export async function render(route) {
  const [{ resource: r }, { resource: e }] = await Promise.all([
    gql("ExplorerResource", { id: route.id }),
    gql("ExplorerResourceWhen", { id: route.id }),
  ]);
  if (!r) return page(h("h1", {}, "Resource not found"), h("p", {}, "No resource has this id."));
  return page(
    h("p", { class: "kicker" }, "Resource"),
    h("h1", {}, r.title),
    r.resourceType ? h("p", {}, tag(words(r.resourceType))) : null,
    r.summary ? h("p", { class: "lead" }, r.summary) : null,
    facts([
      ["Published by", r.publisher ? link("organisation", r.publisher.id, r.publisher.name) : null],
      ["From the project", r.project ? link("project", r.project.id, r.project.title) : null],
      ["Published", r.published],
      ["Open it", r.url ? h("a", { href: r.url, rel: "noopener" }, r.url) : null],
      ["Download", sharedFile(r)],
    ]),
    e ? eventFacts(e) : null,
    topicChips(r.topics),
  );
}

/** When and where an event or training is, how to book it; the programme it belongs to. */
function eventFacts(e) {
  const part = (kind, x) => (x ? h("a", { href: href("library", null, { part: `${kind}:${x.id}` }) }, x.name) : null);
  return [
    facts([
      ["When", e.startsAt ? when(e) : null],
      ["Where", e.startsAt ? where(e) : null],
      ["For", e.audience],
      ["Organised by", e.organiser],
      ["Places", e.places !== null && e.places !== undefined ? String(e.places) : null],
      ["Book", e.bookingUrl ? h("a", { href: e.bookingUrl, rel: "noopener" }, e.bookingUrl) : null],
      ["Programme", part("p", e.programme)],
      ["Module", part("m", e.module)],
      ["Mode of improvement", e.mode ? words(e.mode) : null],
    ]),
    e.startsAt ? h("p", {}, h("a", { class: "button secondary", href: calendarFileOf(e) }, "Add to calendar")) : null,
  ];
}

/**
 * A file a member shared, approved: the hub says where to download it (here, or at the hub it
 * was pulled from). Its title is the file's name, then the contribution's title in brackets.
 */
function sharedFile(r) {
  if (!r.download) return null;
  const name = r.title.replace(/ \(.*\)$/, "");
  return h("a", { href: r.download, download: name }, `Download ${name}`);
}
