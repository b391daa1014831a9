// A project: details, people, organisations, and similar projects elsewhere with the evidence.

import { gql } from "../api.js";
import { facts, h, listed, section, tag, words } from "../dom.js";
import { link } from "../routes.js";
import { offers, organisationLinks, page, sectorTag, topicChips } from "./common.js";
import { visitOffer } from "./events.js";

export async function render(route) {
  const [{ project: p }, visits] = await Promise.all([
    gql("ExplorerProject", { id: route.id }),
    gql("ExplorerProjectVisits", { id: route.id }),
  ]);
  if (!p) return page(h("h1", {}, "Project not found"), h("p", {}, `No project has the id “${route.id}”.`));
  return page(
    h("p", { class: "kicker" }, "Project"),
    h("h1", {}, p.title),
    p.status ? h("p", {}, tag(words(p.status)), p.mode ? [" ", tag(words(p.mode))] : null) : null,
    p.summary ? h("p", { class: "lead" }, p.summary) : null,
    facts([
      ["Aim", p.aim],
      ["Started", p.startDate],
      ["Ends", p.endDate],
      ["Methods", p.methods.join(", ")],
      ["Source page", p.url ? h("a", { href: p.url, rel: "noopener" }, p.url) : null],
      ["Last updated", p.updatedAt ? p.updatedAt.slice(0, 10) : null],
    ]),
    topicChips(p.topics),
    goAndSee(visits.project?.visits),
    h(
      "div",
      { class: "columns" },
      listed(
        "Organisations",
        p.organisations,
        (o) => [
          link("organisation", o.organisation.id, o.organisation.name),
          " ",
          sectorTag(o.organisation.sector),
          o.lead ? [" ", tag("lead")] : null,
        ],
        "No organisation is named.",
      ),
      listed(
        "People",
        p.people,
        (m) => [link("person", m.person.id, m.person.name), m.role ? `, ${m.role}` : "", " ", offers(m.person)],
        "No listed people.",
      ),
    ),
    similarProjects(p.similar),
    listed(
      "Resources from this project",
      p.resources,
      (r) => [link("resource", r.id, r.title), r.resourceType ? [" ", tag(words(r.resourceType))] : null],
      "No resources yet.",
    ),
  );
}

/** "Go and see": the visits the team offers, when it offers any. */
function goAndSee(offer) {
  if (!offer) return null;
  return h("section", { class: "panel", id: "go-and-see" }, h("h2", {}, "Go and see"), h("p", {}, "The team welcomes visitors to see this work."), visitOffer(offer));
}

function similarProjects(pairs) {
  return similarSection(
    "Similar projects elsewhere",
    pairs.map((s) => ({
      project: s.project,
      organisations: s.project.organisations.map((o) => o.organisation),
      meta: ` · score ${s.pair.score.toFixed(2)}${s.pair.kind === "COLLABORATION" ? " · already working together" : ""}`,
      explanation: s.pair.explanation,
    })),
    "No similar projects found.",
  );
}

function similarSection(title, items, none) {
  const cards = items.map((item) =>
    h(
      "li",
      { class: "card" },
      h("h3", {}, link("project", item.project.id, item.project.title)),
      h("p", { class: "meta" }, organisationLinks(item.organisations), item.meta),
      h("p", { class: "evidence" }, h("span", { class: "why" }, "Why: "), item.explanation),
    ),
  );
  const body = cards.length ? [h("ul", { class: "cards", id: "similar" }, cards)] : [];
  return section(title, body, none);
}
