// People across the region, by name, a page at a time: narrowed by topic (interested in it or
// working on a project about it), organisation and system, and signed in by who they are
// (staff, lived-experience partners...: only those who agreed to say). Visitors see the people
// who agreed to be listed; what a signed-in member sees more is the API's to decide.
//   #/people?topic=falls&organisation=<id>&system=<id>&who=LIVED_EXPERIENCE_PARTNER

import { gql } from "../api.js";
import { count, h } from "../dom.js";
import { href } from "../routes.js";
import { chosenKind, firstPage, kindSelect, moreList, page, personCard, select } from "./common.js";

const PAGE = 20;
const FILTERS = ["topic", "organisation", "system"];

export async function render(route) {
  const chosen = Object.fromEntries(FILTERS.map((name) => [name, route.params.get(name)?.trim() ?? ""]));
  chosen.who = chosenKind(route);
  const filter = { ...Object.fromEntries(FILTERS.map((name) => [name, chosen[name] || null])), kinds: chosen.who ? [chosen.who] : null };
  const [choices, { organisations }, { people }] = await Promise.all([
    gql("ExplorerNetworkChoices"),
    gql("ExplorerOrganisationChoices"),
    gql("ExplorerPeople", { filter, first: firstPage(route, "people", PAGE) }),
  ]);
  const filtered = [...FILTERS, "who"].some((name) => chosen[name]);
  return page(
    h("h1", {}, "People"),
    h("p", { class: "lead" }, "People working on improvement across the region, and what they work on. Narrow it down, then share the address: it keeps the filters."),
    form(chosen, { ...choices, organisations }),
    h(
      "p",
      { class: "summary", id: "people-summary" },
      count(people.totalCount, "person", "people"),
      filtered ? [" with these filters · ", h("a", { href: href("people") }, "Clear the filters")] : null,
      ".",
    ),
    people.nodes.length
      ? moreList({
          id: "people",
          connection: people,
          item: personCard,
          next: async (after) => (await gql("ExplorerPeople", { filter, first: PAGE, after })).people,
          more: "More people",
          attrs: { class: "cards" },
        })
      : h("p", { class: "none" }, "No one listed with these filters."),
  );
}

function form(chosen, choices) {
  const submit = (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    const values = Object.fromEntries(FILTERS.map((name) => [name, fields[name].value.trim()]));
    location.hash = href("people", null, { ...values, who: fields.who?.value ?? "" });
  };
  return h(
    "form",
    { class: "filters", onsubmit: submit, "aria-label": "Choose people" },
    select("Topic", "topic", [["", "Any topic"], ...choices.topics.nodes.map((t) => [t.id, t.label])], chosen.topic),
    select("Organisation", "organisation", [["", "Any organisation"], ...choices.organisations.nodes.map((o) => [o.id, o.name])], chosen.organisation),
    select("System", "system", [["", "Any system"], ...choices.systems.map((s) => [s.id, s.name])], chosen.system),
    kindSelect(chosen.who),
    h("button", { type: "submit" }, "Show"),
  );
}
