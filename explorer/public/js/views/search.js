// Search: "who else is working on ...", grouped by people, projects, resources, organisations
// and topics, each with its evidence and a link to its page.

import { gql } from "../api.js";
import { count, h, section, tag, words } from "../dom.js";
import { href, link } from "../routes.js";
import { chosenKind, kindSelect, kindTag, offers, organisationLinks, page, select, topicChips } from "./common.js";

const MY_ORGANISATION = "convener.myOrganisation";
// The best HITS matches first, as a page of results; "more" in the address asks for MORE_HITS
// (the API's largest page), so a longer list can be shared and the back button returns to it.
const HITS = 20;
const MORE_HITS = 100;

export async function render(route) {
  const text = (route.params.get("q") ?? "").trim();
  const mine = route.params.get("org") ?? localStorage.getItem(MY_ORGANISATION) ?? "";
  const hideMine = route.params.get("others") === "1";
  const who = chosenKind(route); // and only people of that kind shown match
  if (!text) {
    const { organisations } = await gql("ExplorerOrganisationChoices");
    return page(intro(), form("", mine, hideMine, organisations.nodes, who));
  }
  // The organisations to choose from are the same for every search: their own query, answered
  // from the hub's cache, not a part of each search's answer.
  const first = route.params.get("more") === "1" ? MORE_HITS : HITS;
  const [data, { organisations }] = await Promise.all([
    gql("ExplorerSearch", { text, first }),
    gql("ExplorerOrganisationChoices"),
  ]);
  const topic = data.topic ?? firstTopic(data.search);
  const asked = { topic: topic?.id, exclude: hideMine && mine ? mine : null, kinds: who ? [who] : null };
  const matches = topic ? (await gql("ExplorerWhoElse", asked)).whoElse : [];
  const hits = who ? data.search.filter((x) => x.kind !== "PERSON" || x.node.kind === who) : data.search;
  // A full page may have left matches out: say so rather than "no projects match".
  const cut = data.search.length >= first ? first : null;
  const more = cut === HITS ? href("search", null, { ...Object.fromEntries(route.params), more: "1" }) : null;
  return page(
    h("h1", {}, `Who else is working on “${text}”`),
    form(text, mine, hideMine, organisations.nodes, who),
    results(text, topic, matches, hits, mine, hideMine, cut, more),
  );
}

function intro() {
  return [
    h("h1", {}, "Who else is working on…"),
    h(
      "p",
      { class: "lead" },
      "Search projects, people, resources and organisations across the region. ",
      "Try ",
      h("a", { href: href("search", null, { q: "falls prevention" }) }, "falls prevention"),
      ", ",
      h("a", { href: href("search", null, { q: "sepsis" }) }, "sepsis"),
      " or ",
      h("a", { href: href("search", null, { q: "loneliness" }) }, "loneliness"),
      ".",
    ),
  ];
}

function form(text, mine, hideMine, organisations, who) {
  const input = h("input", {
    id: "search-text",
    name: "q",
    type: "search",
    value: text,
    required: true,
    autocomplete: "off",
    placeholder: "a topic, a method, a place…",
  });
  const choices = [["", "(not chosen)"], ...organisations.map((o) => [o.id, o.name])];
  const others = h("input", { id: "search-others", type: "checkbox", name: "others", checked: hideMine });
  const submit = (event) => {
    event.preventDefault();
    const org = event.target.elements.org.value;
    if (org) localStorage.setItem(MY_ORGANISATION, org);
    else localStorage.removeItem(MY_ORGANISATION);
    location.hash = href("search", null, {
      q: input.value.trim(),
      org,
      others: others.checked ? "1" : "",
      who: event.target.elements.who?.value ?? "",
    });
  };
  // Signed in only: the header's one "Sign in" is the way in, so no second hint here.
  const kinds = kindSelect(who);
  return h(
    "form",
    { class: "search", role: "search", onsubmit: submit },
    h(
      "span",
      { class: "field grow" },
      h("label", { for: "search-text" }, "Search for"),
      input,
    ),
    select("I work at", "org", choices, mine),
    kinds,
    h("span", { class: "field check" }, others, h("label", { for: "search-others" }, "Only other organisations")),
    h("button", { type: "submit" }, "Search"),
  );
}

function firstTopic(hits) {
  const hit = hits.find((x) => x.kind === "TOPIC");
  return hit ? { id: hit.node.id, label: hit.node.label } : null;
}

/**
 * The results grouped by kind. `cut` is the page size when the page was full (more may match
 * than were shown), and `more` the address asking for a longer list, if there is one.
 */
function results(text, topic, matches, hits, mine, hideMine, cut, more) {
  const byKind = (kind) => hits.filter((x) => x.kind === kind);
  const matchedIds = new Set(matches.map((m) => m.person.id));
  const isMine = (organisations) => Boolean(mine) && organisations.some((o) => o.id === mine);
  const otherPeople = byKind("PERSON").filter(
    (x) => !matchedIds.has(x.node.id) && !(hideMine && isMine(x.node.organisations)),
  );
  // People elsewhere first: "who else" is the question.
  const ranked = [...matches].sort((a, b) => isMine(a.organisations) - isMine(b.organisations));
  const people = [...ranked.map((m) => personMatch(m, mine)), ...otherPeople.map((x) => personHit(x, mine))];
  const summary = h(
    "p",
    { class: "summary", id: "result-summary" },
    `${count(people.length, "person", "people")}, ${count(byKind("PROJECT").length, "project")}, `,
    `${count(byKind("RESOURCE").length, "resource")}, ${count(byKind("ORGANISATION").length, "organisation")}`,
    topic ? [" — on the topic ", link("topic", topic.id, topic.label)] : null,
    ".",
    cut ? ` Showing the best ${cut} matches` : null,
    cut && more ? [": ", h("a", { href: more, id: "more-results" }, "show more")] : null,
    cut ? "." : null,
  );
  const none = (said) => (cut ? `None among the best ${cut} matches.` : said);
  return h(
    "div",
    { class: "results" },
    summary,
    section(
      "People",
      people.length ? [h("ul", { class: "cards", id: "people" }, people)] : [],
      none(`No one listed works on “${text}” yet.`),
    ),
    section("Projects", hitList(byKind("PROJECT"), projectHit, "projects"), none("No projects match.")),
    section("Resources", hitList(byKind("RESOURCE"), resourceHit, "resources"), none("No resources match.")),
    section(
      "Organisations",
      hitList(byKind("ORGANISATION"), organisationHit, "organisations"),
      none("No organisations match."),
    ),
    section("Topics", hitList(byKind("TOPIC"), topicHit, "topics"), none("No topics match.")),
  );
}

function hitList(hits, show, id) {
  return hits.length ? [h("ul", { class: "cards", id }, hits.map(show))] : [];
}

function otherBadge(organisations, mine) {
  if (!mine || !organisations.length) return null;
  return organisations.some((o) => o.id === mine)
    ? tag("your organisation", "mine")
    : tag("another organisation", "other");
}

function personMatch(match, mine) {
  const evidence = match.projects.length
    ? ["Works on ", match.projects.map((p, i) => [i ? "; " : "", link("project", p.id, p.title)])]
    : ["Declares an interest in ", match.topics.map((t) => t.label).join(", ")];
  return h(
    "li",
    { class: "card person", "data-person": match.person.id },
    h("h3", {}, link("person", match.person.id, match.person.name)),
    h(
      "p",
      { class: "meta" },
      match.person.role ? `${match.person.role}, ` : "",
      organisationLinks(match.organisations),
      " ",
      kindTag(match.person.kind),
      " ",
      otherBadge(match.organisations, mine),
      " ",
      offers(match),
    ),
    h("p", { class: "evidence" }, h("span", { class: "why" }, "Evidence: "), evidence, "."),
    topicChips(match.topics),
  );
}

function personHit(hit, mine) {
  const p = hit.node;
  return h(
    "li",
    { class: "card person", "data-person": p.id },
    h("h3", {}, link("person", p.id, p.name)),
    h(
      "p",
      { class: "meta" },
      p.role ? `${p.role}, ` : "",
      organisationLinks(p.organisations),
      " ",
      kindTag(p.kind),
      " ",
      otherBadge(p.organisations, mine),
      " ",
      offers(p),
    ),
    matched(hit),
  );
}

function matched(hit) {
  return h(
    "p",
    { class: "evidence" },
    h("span", { class: "why" }, "Matched in "),
    hit.matchedOn.map((m, i) => [i ? "; " : "", h("b", {}, m.field), ": ", snippet(m.snippet)]),
  );
}

function snippet(text) {
  return h("q", {}, text.length > 220 ? `${text.slice(0, 217)}…` : text);
}

/** A result card: the thing's page link, a line about it, and what matched. */
function hitCard(page, id, title, meta, hit) {
  return h("li", { class: "card" }, h("h3", {}, link(page, id, title)), h("p", { class: "meta" }, meta), matched(hit));
}

function projectHit(hit) {
  const p = hit.node;
  const organisations = organisationLinks(p.organisations.map((x) => x.organisation));
  return hitCard("project", p.id, p.title, [organisations, p.status ? [" ", tag(words(p.status))] : null], hit);
}

function resourceHit(hit) {
  const r = hit.node;
  const from = r.publisher ? [" from ", link("organisation", r.publisher.id, r.publisher.name)] : null;
  return hitCard("resource", r.id, r.title, [r.resourceType ? tag(words(r.resourceType)) : null, from], hit);
}

function organisationHit(hit) {
  const o = hit.node;
  return hitCard("organisation", o.id, o.name, words(o.sector), hit);
}

function topicHit(hit) {
  const t = hit.node;
  // usage counts what is tagged with this very topic, and people's declared interests
  const u = t.usage;
  const usage = `${count(u.projects, "project")} tagged, ${count(u.people, "person", "people")} interested, ${count(u.resources, "resource")}`;
  return hitCard("topic", t.id, t.label, usage, hit);
}
