// A person: what they work on, what they offer, and contact only where the API gives it.

import { gql } from "../api.js";
import { facts, h, section } from "../dom.js";
import { link } from "../routes.js";
import { offers, page, sectorTag, topicChips } from "./common.js";

const PERSON = `query ExplorerPerson($id: ID!) {
  person(id: $id) {
    id name role orcid bio offersMentoring offersCoaching
    contact { email phone }
    organisations { id name sector }
    projects(first: 50) {
      role
      project { id title status organisations { organisation { id name } } topics { id label } }
    }
    interests { id label }
  }
}`;

export async function render(route) {
  const { person: p } = await gql(PERSON, { id: route.id });
  if (!p) {
    return page(
      h("h1", {}, "Person not found"),
      h("p", {}, "No listed person has this id. People appear only where they agreed to be listed."),
    );
  }
  const contact = p.contact && (p.contact.email || p.contact.phone) ? p.contact : null;
  return page(
    h("p", { class: "kicker" }, "Person"),
    h("h1", {}, p.name),
    h("p", { class: "lead" }, p.role ?? "", " ", offers(p)),
    p.bio ? h("p", {}, p.bio) : null,
    facts([
      [
        "Works for",
        p.organisations.length
          ? p.organisations.map((o, i) => [i ? "; " : "", link("organisation", o.id, o.name), " ", sectorTag(o.sector)])
          : null,
      ],
      ["ORCID", p.orcid],
      [
        "Offers",
        p.offersMentoring || p.offersCoaching
          ? [p.offersMentoring ? "mentoring" : "", p.offersMentoring && p.offersCoaching ? " and " : "", p.offersCoaching ? "coaching" : ""]
          : null,
      ],
    ]),
    section(
      "Contact",
      contact
        ? [
            facts([
              ["E-mail", contact.email ? h("a", { href: `mailto:${contact.email}` }, contact.email) : null],
              ["Phone", contact.phone ? h("a", { href: `tel:${contact.phone.replaceAll(" ", "")}` }, contact.phone) : null],
            ]),
          ]
        : [],
      "Contact details are not shown here: the person has not agreed to share them, or the hub shows them only to signed-in roles. Their organisation can put you in touch.",
    ),
    section(
      "Works on",
      p.projects.length
        ? [
            h(
              "ul",
              { class: "cards" },
              p.projects.map((x) =>
                h(
                  "li",
                  { class: "card" },
                  h("h3", {}, link("project", x.project.id, x.project.title)),
                  h(
                    "p",
                    { class: "meta" },
                    x.role ? `${x.role} · ` : "",
                    x.project.organisations.map((o, i) => [i ? ", " : "", link("organisation", o.organisation.id, o.organisation.name)]),
                  ),
                  topicChips(x.project.topics),
                ),
              ),
            ),
          ]
        : [],
      "No projects listed.",
    ),
    section("Interests", p.interests.length ? [topicChips(p.interests)] : [], "No declared interests."),
  );
}

