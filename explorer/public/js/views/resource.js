// A resource: a case study, toolkit, guide or event, with where it came from.

import { gql } from "../api.js";
import { facts, h, tag, words } from "../dom.js";
import { link } from "../routes.js";
import { page, topicChips } from "./common.js";

export async function render(route) {
  const { resource: r } = await gql("ExplorerResource", { id: route.id });
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
    ]),
    topicChips(r.topics),
  );
}
