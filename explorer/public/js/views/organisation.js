// An organisation: its projects, its people, and the organisations it works with.

import { ApiError, gql } from "../api.js";
import { facts, h, list, section, tag, words } from "../dom.js";
import { href, link } from "../routes.js";
import { offers, page, sectorTag } from "./common.js";
import { comingUp } from "./events.js";

const LISTED = 20; // projects of each kind and people the page asks for (ExplorerOrganisation's `first`)
const LINKS = 20; // links shown first (ExplorerOrganisation's); "Show all" asks ExplorerOrganisationLinks

export async function render(route) {
  const [data, coming] = await Promise.all([
    gql("ExplorerOrganisation", { id: route.id }),
    comingUp({ organisation: route.id }),
  ]);
  const o = data.organisation;
  if (!o) return page(h("h1", {}, "Organisation not found"), h("p", {}, `No organisation has the id “${route.id}”.`));
  const led = o.runs;
  const partnered = o.partnersIn;
  return page(
    h("p", { class: "kicker" }, "Organisation"),
    h("h1", {}, o.name),
    h("p", {}, sectorTag(o.sector), o.orgType ? ` ${o.orgType}` : ""),
    facts([
      ["ODS code", o.odsCode],
      ["Part of", o.systems.length ? o.systems.map((s, i) => [i ? "; " : "", link("system", s.id, s.name)]) : null],
      ["Website", o.website ? h("a", { href: o.website, rel: "noopener" }, o.website) : null],
      ["Also known as", o.aliases.join("; ")],
    ]),
    section(
      "Works with",
      data.crossBoundaryLinks.length ? [links(o, data.crossBoundaryLinks)] : [],
      "No links to other organisations yet.",
    ),
    h(
      "div",
      { class: "columns" },
      section("Projects it runs", led.length ? [projects(led)] : [], "None listed."),
      section("Projects it partners in", partnered.length ? [projects(partnered)] : [], "None listed."),
    ),
    // A column of the first LISTED may not be all of them: say so, and where the rest are.
    led.length >= LISTED || partnered.length >= LISTED
      ? h(
          "p",
          { id: "all-projects" },
          `Only the first ${LISTED} of each are listed here. `,
          h("a", { href: href("projects", null, { organisation: o.id }) }, "See all its projects, a page at a time"),
        )
      : null,
    section(
      "People",
      o.people.length
        ? [
            list(o.people.map((p) => [link("person", p.id, p.name), p.role ? `, ${p.role}` : "", " ", offers(p)])),
            o.people.length >= LISTED
              ? h(
                  "p",
                  { class: "meta", id: "more-people" },
                  `Only the first ${LISTED} people are listed. `,
                  h("a", { href: href("people", null, { organisation: o.id }) }, "See all its people, a page at a time"),
                )
              : null,
          ].filter(Boolean)
        : [],
      "No listed people.",
    ),
    coming,
  );
}

function projects(items) {
  return list(items.map((x) => [link("project", x.project.id, x.project.title), x.project.status ? [" ", tag(words(x.project.status))] : null]));
}

function links(self, pairs) {
  const row = (l) => {
    const other = l.organisations.find((x) => x.id !== self.id) ?? l.organisations[0];
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, link("organisation", other.id, other.name), " ", sectorTag(other.sector), l.crossesSector ? [" ", tag("crosses sectors")] : null),
      h("td", {}, String(l.sharedProjectCount)),
      h("td", {}, String(l.personCount)),
      h(
        "td",
        {},
        l.exampleProjects.map((p, i) => [i ? "; " : "", link("project", p.id, p.title)]),
        l.exampleTopics.length ? [h("br"), h("span", { class: "meta" }, "Topics: ", l.exampleTopics.map((t) => t.label).join(", "))] : null,
      ),
    );
  };
  const body = h("tbody", {}, pairs.map(row));
  // The first LINKS are the strongest; there may be more, asked for only when wanted.
  const all = h("button", { type: "button", class: "secondary", id: "all-links" }, "Show all the organisations it works with");
  const message = h("p", { class: "message", role: "status" });
  all.hidden = pairs.length < LINKS;
  all.addEventListener("click", async () => {
    all.disabled = true;
    try {
      const { crossBoundaryLinks } = await gql("ExplorerOrganisationLinks", { id: self.id });
      const before = body.children.length;
      body.replaceChildren(...crossBoundaryLinks.map(row));
      all.hidden = true;
      message.textContent = `Showing ${crossBoundaryLinks.length} organisations.`;
      body.children[before]?.querySelector("a")?.focus(); // the keyboard goes on at the first added
    } catch (error) {
      message.textContent = error instanceof ApiError ? error.message : "The other links could not be loaded.";
    } finally {
      all.disabled = false;
    }
  });
  return h(
    "div",
    {},
    h("p", {}, h("a", { href: href("network", null, { system: self.systems[0]?.id ?? "" }) }, "See these links in the network picture")),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        {},
        h("caption", { class: "meta" }, "Organisations linked by shared projects or people, strongest first"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Organisation"), h("th", { scope: "col" }, "Shared projects"), h("th", { scope: "col" }, "People"), h("th", { scope: "col" }, "Evidence"))),
        body,
      ),
    ),
    h("p", { class: "toolbar" }, all),
    message,
  );
}

