// The library: resources from across the region (case studies, toolkits, guides, training...)
// with facets to narrow them (kind, topic, programme and module, organisation, mode of
// improvement), each choice with how many resources it keeps, twenty at a time.
//   #/library?kind=guide&topic=falls&part=p:<programme>|m:<module>&organisation=<id>&mode=iterative_qi&q=

import { gql } from "../api.js";
import { h, tag, words } from "../dom.js";
import { href, link } from "../routes.js";
import { page } from "./common.js";
import { when } from "./events.js";

const PAGE = 20;
const FACETS = ["q", "kind", "topic", "part", "organisation", "mode"];

export async function render(route) {
  const chosen = Object.fromEntries(FACETS.map((name) => [name, route.params.get(name) ?? ""]));
  const after = route.params.get("after");
  const filter = apiFilter(chosen);
  const [{ resourceFacets: facets }, { resources }] = await Promise.all([
    gql("ExplorerLibraryFacets", { filter }),
    gql("ExplorerLibrary", { filter, first: PAGE, after }),
  ]);
  const filtered = FACETS.some((name) => chosen[name]);
  return page(
    h("h1", {}, "Library"),
    h(
      "p",
      { class: "lead" },
      "Case studies, toolkits, guides, training and more from partners across the region, ",
      "including the modules of improvement programmes.",
    ),
    form(chosen, facets),
    h(
      "p",
      { class: "summary", id: "library-summary" },
      `${resources.totalCount} resources`,
      filtered ? [" · ", h("a", { href: href("library") }, "Clear the filters")] : null,
      ".",
    ),
    resources.nodes.length
      ? h("ul", { class: "cards", id: "library" }, resources.nodes.map(card))
      : h("p", { class: "none" }, "No resources with these filters."),
    paging(chosen, after, resources.pageInfo),
  );
}

function apiFilter(chosen) {
  const [part, id] = chosen.part.split(/:(.*)/s);
  return {
    text: chosen.q || null,
    resourceType: chosen.kind ? chosen.kind.toUpperCase() : null,
    topic: chosen.topic || null,
    programme: part === "p" ? id : null,
    module: part === "m" ? id : null,
    organisation: chosen.organisation || null,
    mode: chosen.mode ? chosen.mode.toUpperCase() : null,
  };
}

/** A facet as a select: "any" first, then each choice with its count (the chosen one kept). */
function facet(label, name, any, choices, chosen) {
  const id = `choose-${name}`;
  const options = [h("option", { value: "" }, any)];
  const known = new Set();
  for (const choice of choices) {
    if (choice.group) {
      options.push(
        h(
          "optgroup",
          { label: choice.group },
          choice.options.map((o) => {
            known.add(o.value);
            return h("option", { value: o.value, selected: o.value === chosen }, `${o.text} (${o.count})`);
          }),
        ),
      );
      continue;
    }
    known.add(choice.value);
    options.push(h("option", { value: choice.value, selected: choice.value === chosen }, `${choice.text} (${choice.count})`));
  }
  if (chosen && !known.has(chosen)) options.push(h("option", { value: chosen, selected: true }, `${chosen} (0)`));
  return h("span", { class: "field" }, h("label", { for: id }, label), h("select", { id, name }, options));
}

function form(chosen, facets) {
  const submit = (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    location.hash = href("library", null, Object.fromEntries(FACETS.map((name) => [name, fields[name].value.trim()])));
  };
  const parts = facets.programmes.map((p) => ({
    group: p.programme.name,
    options: [
      { value: `p:${p.programme.id}`, text: `The whole programme`, count: p.count },
      ...p.modules.map((m) => ({ value: `m:${m.module.id}`, text: m.module.name, count: m.count })),
    ],
  }));
  return h(
    "form",
    { class: "filters", onsubmit: submit, "aria-label": "Choose resources" },
    h(
      "span",
      { class: "field grow" },
      h("label", { for: "choose-q" }, "Words"),
      h("input", { id: "choose-q", name: "q", type: "search", value: chosen.q, autocomplete: "off" }),
    ),
    facet(
      "Kind",
      "kind",
      "Any kind",
      facets.kinds.map((k) => ({ value: k.kind.toLowerCase(), text: words(k.kind), count: k.count })),
      chosen.kind,
    ),
    facet("Topic", "topic", "Any topic", facets.topics.map((t) => ({ value: t.id, text: t.label, count: t.count })), chosen.topic),
    facet("Programme and module", "part", "Any programme", parts, chosen.part),
    facet(
      "Organisation",
      "organisation",
      "Any organisation",
      facets.organisations.map((o) => ({ value: o.id, text: o.name, count: o.count })),
      chosen.organisation,
    ),
    facet(
      "Mode of improvement",
      "mode",
      "Any mode",
      facets.modes.map((m) => ({ value: m.mode.toLowerCase(), text: words(m.mode), count: m.count })),
      chosen.mode,
    ),
    h("button", { type: "submit" }, "Show"),
  );
}

function card(r) {
  return h(
    "li",
    { class: "card" },
    h("h3", {}, link("resource", r.id, r.title)),
    h(
      "p",
      { class: "meta" },
      r.resourceType ? [tag(words(r.resourceType)), " "] : null,
      r.publisher ? link("organisation", r.publisher.id, r.publisher.name) : null,
    ),
    r.startsAt ? h("p", { class: "when" }, when(r)) : null,
    r.programme
      ? h(
          "p",
          { class: "meta" },
          h("a", { href: href("library", null, { part: `p:${r.programme.id}` }) }, r.programme.name),
          r.module ? [" · ", h("a", { href: href("library", null, { part: `m:${r.module.id}` }) }, r.module.name)] : null,
        )
      : null,
    r.summary ? h("p", {}, r.summary.length > 220 ? `${r.summary.slice(0, 217)}…` : r.summary) : null,
  );
}

function paging(chosen, after, info) {
  const links = [];
  if (after) links.push(h("a", { href: href("library", null, chosen) }, "First page"));
  if (info.hasNextPage) {
    links.push(h("a", { href: href("library", null, { ...chosen, after: info.endCursor }), id: "library-next" }, "Next page"));
  }
  return links.length ? h("p", { class: "toolbar" }, links) : null;
}
