// A topic: everything on it across the region: projects, people, mentors and resources.
// The first twenty projects and resources (the first page of each list, a page being what the
// projects page and the library show), with a link to the rest; the twenty people with the most
// evidence, with links to all of them on the people page and to the topic's mentor pool.

import { gql } from "../api.js";
import { count, h, list, listed, section, tag, words } from "../dom.js";
import { href, link } from "../routes.js";
import { offers, organisationLinks, page, signInHint, topicChips } from "./common.js";
import { comingUp } from "./events.js";

export async function render(route) {
  const [data, coming] = await Promise.all([gql("ExplorerTopic", { id: route.id }), comingUp({ topic: route.id })]);
  const t = data.topic;
  const people = data.peopleOnIt.totalCount;
  if (!t) return page(h("h1", {}, "Topic not found"), h("p", {}, `No topic is called “${route.id}”.`));
  const mentors = data.whoElse.filter((m) => m.offersMentoring || m.offersCoaching);
  // Offers are personal: the API answers null for them to anonymous callers.
  const offersHidden = data.whoElse.some((m) => m.offersMentoring === null || m.offersCoaching === null);
  return page(
    h("p", { class: "kicker" }, "Topic"),
    h("h1", {}, t.label),
    t.synonyms.length ? h("p", { class: "meta" }, "Also called: ", t.synonyms.join(", ")) : null,
    t.candidate ? h("p", {}, tag("not yet in the shared vocabulary")) : null,
    // The counts of the lists below (narrower topics and people's projects included), not
    // `usage`, which counts only what is tagged with this very topic and declared interests.
    h(
      "p",
      { id: "topic-counts" },
      `${count(data.projects.totalCount, "project")}, ${count(people, "person", "people")} and `,
      `${count(data.resources.totalCount, "resource")} across the region. `,
      h("a", { href: href("search", null, { q: t.label }) }, "Search for it"),
      " · ",
      h("a", { href: href("network", null, { topic: t.id }) }, "See who works together on it"),
    ),
    t.broader.length ? h("p", {}, "Part of: ", topicChips(t.broader)) : null,
    t.narrower.length ? h("p", {}, "Includes: ", topicChips(t.narrower)) : null,
    listed(
      `Projects (${data.projects.totalCount})`,
      data.projects.nodes,
      (p) => [
        link("project", p.id, p.title),
        " — ",
        organisationLinks(p.organisations.map((o) => o.organisation)),
        p.status ? [" ", tag(words(p.status))] : null,
      ],
      "No projects on this topic yet.",
    ),
    data.projects.totalCount > data.projects.nodes.length
      ? h("p", { id: "all-projects" }, h("a", { href: href("projects", null, { topic: t.id }) }, `All ${data.projects.totalCount} projects on it, a page at a time`))
      : null,
    section(
      "Who could mentor or coach",
      // Those listed below are the first few of the topic's people: the pool has all who offer.
      mentors.length || (!offersHidden && people > data.whoElse.length)
        ? [
            mentors.length ? peopleList(mentors) : null,
            h(
              "p",
              { class: "meta", id: "all-mentors" },
              mentors.length ? "Among the people listed below. " : "None of the people listed below. ",
              h("a", { href: href("mentors", null, { topic: t.id }) }, "Everyone on it who offers mentoring or coaching"),
            ),
          ].filter(Boolean)
        : [offersHidden ? signInHint("offers-signin", "to see who offers mentoring or coaching") : null].filter(Boolean),
      "No one on this topic offers mentoring or coaching yet.",
    ),
    section(
      `People working on it (${people})`,
      data.whoElse.length
        ? [
            people > data.whoElse.length
              ? h(
                  "p",
                  { class: "meta", id: "all-people" },
                  `The ${data.whoElse.length} with the most evidence are listed. `,
                  h("a", { href: href("people", null, { topic: t.id }) }, `All ${people} people on it, a page at a time`),
                )
              : null,
            peopleList(data.whoElse),
          ].filter(Boolean)
        : [],
      "No listed people yet.",
    ),
    listed(
      `Resources (${data.resources.totalCount})`,
      data.resources.nodes,
      (r) => [
        link("resource", r.id, r.title),
        r.resourceType ? [" ", tag(words(r.resourceType))] : null,
        r.publisher ? [" from ", link("organisation", r.publisher.id, r.publisher.name)] : null,
      ],
      "No resources on this topic yet.",
    ),
    data.resources.totalCount > data.resources.nodes.length
      ? h("p", { id: "all-resources" }, h("a", { href: href("library", null, { topic: t.id }) }, `All ${data.resources.totalCount} resources on it in the library`))
      : null,
    coming,
  );
}

function peopleList(matches) {
  return list(
    matches.map((m) => [
      link("person", m.person.id, m.person.name),
      m.person.role ? `, ${m.person.role}` : "",
      m.organisations.length ? [" at ", organisationLinks(m.organisations)] : null,
      " ",
      offers(m),
      m.projects.length
        ? [h("br"), h("span", { class: "meta" }, "on ", m.projects.map((p, i) => [i ? "; " : "", link("project", p.id, p.title)]))]
        : null,
    ]),
  );
}
