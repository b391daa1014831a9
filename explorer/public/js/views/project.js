// A project: details, people, organisations, and similar work elsewhere with its evidence.

import { apiFields, gql } from "../api.js";
import { facts, h, listed, section, tag, words } from "../dom.js";
import { link } from "../routes.js";
import { offers, organisationLinks, page, sectorTag, topicChips } from "./common.js";

const PROJECT = `query ExplorerProject($id: ID!) {
  project(id: $id) {
    id title summary aim status startDate endDate methods mode url updatedAt
    organisations { lead organisation { id name sector systems { id name } } }
    topics { id label }
    people(first: 50) { role person { id name role offersMentoring offersCoaching } }
    resources(first: 50) { id title resourceType url }
  }
  whoElse(projectId: $id, first: 20) {
    inOtherOrganisation
    person { id name }
    organisations { id name }
    projects { id title }
  }
}`;

const SIMILAR = `query ExplorerSimilar($id: ID!) {
  project(id: $id) {
    similar(first: 10) {
      pair { score explanation kind }
      project { id title organisations { organisation { id name } } }
    }
  }
}`;

export async function render(route) {
  const data = await gql(PROJECT, { id: route.id });
  const p = data.project;
  if (!p) return page(h("h1", {}, "Project not found"), h("p", {}, `No project has the id “${route.id}”.`));
  const fields = await apiFields();
  const similar = fields.project.has("similar") ? await similarProjects(p.id) : null;
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
    similar ?? similarWork(p, data.whoElse),
    listed(
      "Resources from this project",
      p.resources,
      (r) => [link("resource", r.id, r.title), r.resourceType ? [" ", tag(words(r.resourceType))] : null],
      "No resources yet.",
    ),
  );
}

async function similarProjects(id) {
  const data = await gql(SIMILAR, { id });
  const pairs = data.project?.similar ?? [];
  return similarSection(
    "Similar projects elsewhere",
    null,
    pairs.map((s) => ({
      project: s.project,
      organisations: s.project.organisations.map((o) => o.organisation),
      meta: ` · score ${s.pair.score.toFixed(2)}${s.pair.kind === "COLLABORATION" ? " · already working together" : ""}`,
      evidence: ["Why: ", s.pair.explanation],
    })),
    "No similar projects found.",
  );
}

/** Until the API says which projects are similar: work by people elsewhere on the same topics. */
function similarWork(project, matches) {
  const own = new Set(project.organisations.map((o) => o.organisation.id));
  const seen = new Map();
  for (const match of matches.filter((m) => m.inOtherOrganisation)) {
    for (const p of match.projects) {
      if (p.id === project.id) continue;
      const entry = seen.get(p.id) ?? { project: p, people: [], organisations: new Map() };
      entry.people.push(match.person);
      for (const o of match.organisations) if (!own.has(o.id)) entry.organisations.set(o.id, o);
      seen.set(p.id, entry);
    }
  }
  return similarSection(
    "Similar work elsewhere",
    "Projects on the same topics, by people in other organisations.",
    [...seen.values()].slice(0, 12).map((e) => ({
      project: e.project,
      organisations: [...e.organisations.values()],
      meta: "",
      evidence: [
        "Evidence: ",
        e.people.map((p, i) => [i ? ", " : "", link("person", p.id, p.name)]),
        e.people.length === 1 ? " works on it." : " work on it.",
      ],
    })),
    "No similar work elsewhere yet.",
  );
}

function similarSection(title, note, items, none) {
  const cards = items.map((item) =>
    h(
      "li",
      { class: "card" },
      h("h3", {}, link("project", item.project.id, item.project.title)),
      h("p", { class: "meta" }, organisationLinks(item.organisations), item.meta),
      h("p", { class: "evidence" }, h("span", { class: "why" }, item.evidence[0]), item.evidence.slice(1)),
    ),
  );
  const body = cards.length ? [note ? h("p", { class: "meta" }, note) : null, h("ul", { class: "cards", id: "similar" }, cards)] : [];
  return section(title, body, none);
}
