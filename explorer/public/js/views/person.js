// A person: what they work on, what they offer, and contact only where the API gives it.

import { gql, signedIn } from "../api.js";
import { facts, h, section } from "../dom.js";
import { link } from "../routes.js";
import { PERSON_KINDS, offers, page, sectorTag, signInHint, topicChips } from "./common.js";

export async function render(route) {
  const { person: p } = await gql("ExplorerPerson", { id: route.id });
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
      ["Involvement", PERSON_KINDS.find(([value]) => value === p.kind)?.[1] ?? null],
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
        : signedIn()
          ? [h("p", { class: "none" }, "Contact details are not shown here: the person has not agreed to share them. Their organisation can put you in touch.")]
          : [
              h("p", { class: "none" }, "Contact details are not shown here to visitors who are not signed in. Their organisation can put you in touch."),
              signInHint("contact-signin", "to see contact details and offers of mentoring or coaching, where the person agreed to share them"),
            ],
      "",
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

