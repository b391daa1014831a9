// Systems (ICSs and regions): the list, and one system's organisations, work and links.

import { gql } from "../api.js";
import { h, list, section } from "../dom.js";
import { href, link } from "../routes.js";
import { firstPage, linkCounts, moreList, page, sectorTag } from "./common.js";

const PAGE = 20; // projects added by each "More projects", as many as the page starts with

export async function render(route) {
  return route.id ? one(route.id, firstPage(route, "system-projects", PAGE)) : all();
}

async function all() {
  const { systems } = await gql("ExplorerSystems");
  return page(
    h("h1", {}, "Systems"),
    h("p", { class: "lead" }, "Integrated care systems and regions, with the partners in each."),
    list(
      systems.map((s) => [
        link("system", s.id, s.name),
        ` — ${s.organisations.length} organisations · `,
        h("a", { href: href("network", null, { system: s.id }) }, "network"),
        " · ",
        h("a", { href: href("duplicates", null, { system: s.id }) }, "duplicates"),
      ]),
    ),
  );
}

async function one(id, first) {
  const data = await gql("ExplorerSystem", { id, first });
  const s = data.system;
  if (!s) return page(h("h1", {}, "System not found"), h("p", {}, `No system has the id “${id}”.`));
  return page(
    h("p", { class: "kicker" }, s.kind === "REGION" ? "Region" : "Integrated care system"),
    h("h1", {}, s.name),
    h(
      "p",
      { class: "toolbar" },
      h("a", { class: "button", href: href("network", null, { system: s.id }) }, "Network picture"),
      h("a", { class: "button secondary", href: href("duplicates", null, { system: s.id }) }, "Duplicated effort"),
      h("a", { class: "button secondary", href: href("impact", null, { system: s.id }) }, "Impact over time"),
    ),
    s.neighbours.length
      ? h("p", {}, "Neighbours: ", s.neighbours.map((n, i) => [i ? ", " : "", link("system", n.id, n.name)]))
      : null,
    section(
      `Organisations (${s.organisations.length})`,
      [list(s.organisations.map((o) => [link("organisation", o.id, o.name), " ", sectorTag(o.sector), o.orgType ? ` ${o.orgType}` : ""]))],
      "No organisations yet.",
    ),
    section(
      "Strongest links across boundaries",
      data.crossBoundaryLinks.length
        ? [
            list(
              data.crossBoundaryLinks.map((l) => [
                l.organisations.map((o, i) => [i ? " and " : "", link("organisation", o.id, o.name)]),
                `: ${linkCounts(l)}`,
                l.crossesSector ? " (across sectors)" : "",
              ]),
            ),
          ]
        : [],
      "No links yet.",
    ),
    section(
      `Projects (${data.projects.totalCount})`,
      data.projects.nodes.length
        ? [
            ...moreList({
              id: "system-projects",
              connection: data.projects,
              item: (p) => h("li", {}, link("project", p.id, p.title)),
              next: async (after) => (await gql("ExplorerProjects", { filter: { system: s.id }, first: PAGE, after })).projects,
              more: "More projects",
            }),
            h("p", {}, h("a", { href: href("projects", null, { system: s.id }) }, "Browse and filter these projects")),
          ]
        : [],
      "No projects yet.",
    ),
  );
}
