// The mentor and coach pool: people who offer mentoring or coaching, by topic and system, a
// page at a time. Offers are personal data, so only signed-in callers see the pool; anyone else
// is asked to sign in (the API refuses the offers filter to them too).
//   #/mentors?topic=falls&system=<id>&offer=mentoring

import { gql, signedIn } from "../api.js";
import { count, h } from "../dom.js";
import { href } from "../routes.js";
import { firstPage, moreList, page, personCard, select, signInHint } from "./common.js";

const PAGE = 20;
const FILTERS = ["topic", "system", "offer"];
const OFFERS = { "": ["MENTORING", "COACHING"], mentoring: ["MENTORING"], coaching: ["COACHING"] };
const LEAD = "People across the region who offer to mentor or coach others, with what they work on.";

export async function render(route) {
  if (!signedIn()) {
    return page(
      h("h1", {}, "Mentors and coaches"),
      h("p", { class: "lead" }, LEAD),
      h("p", {}, "Who offers mentoring or coaching is personal, so the pool is shown to signed-in members only."),
      signInHint("pool-signin", "to see the mentor and coach pool"),
    );
  }
  const chosen = Object.fromEntries(FILTERS.map((name) => [name, route.params.get(name)?.trim() ?? ""]));
  const filter = {
    topic: chosen.topic || null,
    system: chosen.system || null,
    offers: OFFERS[chosen.offer] ?? OFFERS[""],
  };
  const [choices, { people }] = await Promise.all([gql("ExplorerNetworkChoices"), gql("ExplorerPeople", { filter, first: firstPage(route, "pool", PAGE) })]);
  const filtered = FILTERS.some((name) => chosen[name]);
  return page(
    h("h1", {}, "Mentors and coaches"),
    h("p", { class: "lead" }, LEAD),
    form(chosen, choices),
    h(
      "p",
      { class: "summary", id: "pool-summary" },
      count(people.totalCount, "person", "people"),
      filtered ? [" with these filters · ", h("a", { href: href("mentors") }, "Clear the filters")] : null,
      ".",
    ),
    people.nodes.length
      ? moreList({
          id: "pool",
          connection: people,
          item: personCard,
          next: async (after) => (await gql("ExplorerPeople", { filter, first: PAGE, after })).people,
          more: "More people",
          attrs: { class: "cards" },
        })
      : h("p", { class: "none" }, "No one offers mentoring or coaching with these filters yet."),
  );
}

function form(chosen, choices) {
  const submit = (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    location.hash = href("mentors", null, Object.fromEntries(FILTERS.map((name) => [name, fields[name].value.trim()])));
  };
  return h(
    "form",
    { class: "filters", onsubmit: submit, "aria-label": "Choose mentors and coaches" },
    select("Topic", "topic", [["", "Any topic"], ...choices.topics.nodes.map((t) => [t.id, t.label])], chosen.topic),
    select("System", "system", [["", "Any system"], ...choices.systems.map((s) => [s.id, s.name])], chosen.system),
    select("Offers", "offer", [["", "Mentoring or coaching"], ["mentoring", "Mentoring"], ["coaching", "Coaching"]], chosen.offer),
    h("button", { type: "submit" }, "Show"),
  );
}
