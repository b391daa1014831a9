// Projects to browse, not only search: every project in the region, filtered by topic,
// organisation, system, status, method and mode, sorted, a page at a time (keyset cursors).
// The filters and the sort live in the address, so a list can be shared or bookmarked.
//   #/projects?topic=falls&organisation=<id>&system=<id>&status=active&method=PDSA&mode=iterative_qi&sort=newest

import { gql } from "../api.js";
import { count, h, tag, words } from "../dom.js";
import { href, link } from "../routes.js";
import { firstPage, moreList, organisationLinks, page, select, topicChips } from "./common.js";

const PAGE = 20;
const FILTERS = ["topic", "organisation", "system", "status", "method", "mode"];
// Each sort the page offers: its word in the address, its words on screen, the API's orderBy.
const SORTS = [
  ["title", "Title, A to Z", { field: "TITLE", direction: "ASC" }],
  ["title-desc", "Title, Z to A", { field: "TITLE", direction: "DESC" }],
  ["newest", "Started most recently", { field: "START_DATE", direction: "DESC" }],
  ["oldest", "Started longest ago", { field: "START_DATE", direction: "ASC" }],
  ["updated", "Updated most recently", { field: "LAST_UPDATED", direction: "DESC" }],
];
const STATUSES = ["PROPOSED", "ACTIVE", "PAUSED", "COMPLETED", "STOPPED"];
const MODES = ["ITERATIVE_QI", "PATHWAY_TRANSFORMATION", "OPERATING_MODEL_CHANGE", "SPREAD_INNOVATION"];

export async function render(route) {
  const chosen = Object.fromEntries(FILTERS.map((name) => [name, route.params.get(name)?.trim() ?? ""]));
  const filter = apiFilter(chosen);
  const sort = SORTS.find(([name]) => name === route.params.get("sort")) ?? SORTS[0];
  const asked = { filter, first: firstPage(route, "projects", PAGE), orderBy: sort[2] };
  const [choices, { organisations }, { projects }] = await Promise.all([
    gql("ExplorerNetworkChoices"),
    gql("ExplorerOrganisationChoices"),
    gql("ExplorerProjects", asked),
  ]);
  const filtered = FILTERS.some((name) => chosen[name]);
  return page(
    h("h1", {}, "Projects"),
    h("p", { class: "lead" }, "Improvement work across the region. Narrow it down, then share the address: it keeps the filters."),
    form(chosen, sort[0], { ...choices, organisations }),
    h(
      "p",
      { class: "summary", id: "projects-summary" },
      count(projects.totalCount, "project"),
      filtered ? [" with these filters · ", h("a", { href: href("projects") }, "Clear the filters")] : null,
      ".",
    ),
    projects.nodes.length
      ? moreList({
          id: "projects",
          connection: projects,
          item: card,
          next: async (after) => (await gql("ExplorerProjects", { ...asked, first: PAGE, after })).projects,
          more: "More projects",
          attrs: { class: "cards" },
        })
      : h("p", { class: "none" }, "No projects with these filters."),
  );
}

/** The API's filter for what the address chose; enum values go upper case. */
function apiFilter(chosen) {
  return {
    topic: chosen.topic || null,
    organisation: chosen.organisation || null,
    system: chosen.system || null,
    status: STATUSES.includes(chosen.status.toUpperCase()) ? chosen.status.toUpperCase() : null,
    method: chosen.method || null,
    mode: MODES.includes(chosen.mode.toUpperCase()) ? chosen.mode.toUpperCase() : null,
  };
}

function form(chosen, sort, choices) {
  const submit = (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    const sorted = fields.sort.value === SORTS[0][0] ? "" : fields.sort.value; // the default stays out of the address
    location.hash = href("projects", null, {
      ...Object.fromEntries(FILTERS.map((name) => [name, fields[name].value.trim()])),
      sort: sorted,
    });
  };
  const topics = choices.topics.nodes.filter((t) => t.usage.projects > 0 || t.id === chosen.topic);
  return h(
    "form",
    { class: "filters", onsubmit: submit, "aria-label": "Choose projects" },
    select("Topic", "topic", [["", "Any topic"], ...topics.map((t) => [t.id, t.label])], chosen.topic),
    select("Organisation", "organisation", [["", "Any organisation"], ...choices.organisations.nodes.map((o) => [o.id, o.name])], chosen.organisation),
    select("System", "system", [["", "Any system"], ...choices.systems.map((s) => [s.id, s.name])], chosen.system),
    select("Status", "status", [["", "Any status"], ...STATUSES.map((s) => [s.toLowerCase(), words(s)])], chosen.status.toLowerCase()),
    select("Mode of improvement", "mode", [["", "Any mode"], ...MODES.map((m) => [m.toLowerCase(), words(m)])], chosen.mode.toLowerCase()),
    h(
      "span",
      { class: "field" },
      h("label", { for: "choose-method" }, "Method"),
      h("input", { id: "choose-method", name: "method", type: "text", value: chosen.method, placeholder: "e.g. PDSA", autocomplete: "off" }),
    ),
    select("Sort by", "sort", SORTS.map(([name, text]) => [name, text]), sort),
    h("button", { type: "submit" }, "Show"),
  );
}

function card(p) {
  const lead = [...p.organisations].sort((a, b) => b.lead - a.lead).map((o) => o.organisation);
  return h(
    "li",
    { class: "card" },
    h("h2", { class: "card-title" }, link("project", p.id, p.title)),
    h(
      "p",
      { class: "meta" },
      p.status ? [tag(words(p.status)), " "] : null,
      p.mode ? [tag(words(p.mode)), " "] : null,
      p.startDate ? `started ${p.startDate}` : null,
    ),
    lead.length ? h("p", {}, organisationLinks(lead)) : null,
    topicChips(p.topics),
  );
}
