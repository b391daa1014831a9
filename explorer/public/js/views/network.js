// The network picture: organisations as nodes coloured by sector, links weighted by shared
// projects and people, filtered by system and topic; every node and link leads to its evidence.

import { ApiError, gql } from "../api.js";
import { count, h, svg, words } from "../dom.js";
import { href, link } from "../routes.js";
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY } from "../../vendor/d3-force-3.0.1.js";
import { linkCounts, page, select } from "./common.js";

// The picture draws the strongest LINKS links (ExplorerNetwork asks for as many) and the
// chosen system's first LINKS organisations by name, with every organisation a link reaches.
const LINKS = 100;
const SECTORS = ["NHS", "LOCAL_GOVERNMENT", "PRIMARY_CARE", "VOLUNTARY", "ACADEMIC", "IMPROVEMENT_BODY", "INDEPENDENT", "OTHER"];

export async function render(route) {
  const system = route.params.get("system") || null;
  const topic = route.params.get("topic") || null;
  const [choices, data, onTopic] = await Promise.all([
    gql("ExplorerNetworkChoices"),
    gql("ExplorerNetwork", { system, topic }),
    topic ? gql("ExplorerNetworkTopic", { topic, system }) : Promise.resolve(null),
  ]);
  const graph = buildGraph(data, await members(data, system, topic), onTopic);
  const systemName = choices.systems.find((s) => s.id === system)?.name;
  const panel = h("div", { class: "panel", id: "evidence", hidden: true, tabindex: "-1" });
  return page(
    h("h1", {}, systemName ? `Who works together in ${systemName}` : "Who works together across the region"),
    h(
      "p",
      { class: "lead" },
      "Each circle is an organisation, coloured by sector; a line joins two organisations that share projects or people, thicker for more. ",
      "Choose a line for its evidence, or a circle for the organisation's page.",
    ),
    filters(choices, system, topic),
    summary(graph, system, onTopic, data.organisations.totalCount),
    legend(graph.nodes, system),
    h("div", { class: "network", id: "network" }, draw(graph, (l) => showEvidence(panel, l, onTopic, topic))),
    panel,
    table(graph.links, (l) => showEvidence(panel, l, onTopic, topic)),
  );
}

function filters(choices, system, topic) {
  const systems = [["", "All systems"], ...choices.systems.map((s) => [s.id, s.name])];
  const topics = [
    ["", "Any topic"],
    ...choices.topics.nodes.filter((t) => t.usage.projects > 0).map((t) => [t.id, t.label]),
  ];
  const submit = (event) => {
    event.preventDefault();
    const form = event.target.elements;
    location.hash = href("network", null, { system: form.system.value, topic: form.topic.value });
  };
  return h(
    "form",
    { class: "filters", onsubmit: submit, "aria-label": "Filter the picture" },
    select("System", "system", systems, system),
    select("Topic", "topic", topics, topic),
    h("button", { type: "submit" }, "Show"),
  );
}

/**
 * The ids of the chosen system's organisations among those the picture shows (null: no system
 * chosen, every one counts as in). ExplorerNetwork lists the system's organisations; where it
 * could not list them all, each link's sides say which systems they are in (ExplorerNetworkSides).
 */
async function members(data, system, topic) {
  if (!system) return null;
  const listed = new Set(data.organisations.nodes.map((o) => o.id));
  if (data.organisations.totalCount <= listed.size) return listed;
  const { crossBoundaryLinks } = await gql("ExplorerNetworkSides", { system, topic });
  for (const o of crossBoundaryLinks.flatMap((l) => l.organisations)) {
    if (o.systems.some((s) => s.id === system)) listed.add(o.id);
  }
  return listed;
}

/** Nodes: the system's organisations and every organisation a link reaches; links as given. */
function buildGraph(data, inSystem, onTopic) {
  const nodes = new Map();
  const add = (o, inside) => {
    const known = nodes.get(o.id);
    if (known) {
      known.inside ||= inside;
      return known;
    }
    const node = { id: o.id, name: o.name, sector: o.sector ?? "OTHER", inside, weight: 0, links: 0 };
    nodes.set(o.id, node);
    return node;
  };
  const inside = (o) => inSystem === null || inSystem.has(o.id);
  for (const o of data.organisations.nodes) add(o, true);
  // With a topic chosen, the API already counts only links through projects on it.
  const links = data.crossBoundaryLinks.map((l) => {
    const [a, b] = l.organisations;
    return { ...l, source: add(a, inside(a)).id, target: add(b, inside(b)).id, a, b, weight: l.sharedProjectCount + l.personCount };
  });
  const working = onTopic
    ? new Set(onTopic.projects.nodes.flatMap((p) => p.organisations.map((o) => o.organisation.id)))
    : null;
  for (const l of links) {
    for (const end of [l.source, l.target]) {
      nodes.get(end).weight += l.weight;
      nodes.get(end).links += 1;
    }
  }
  for (const node of nodes.values()) node.faded = working !== null && !working.has(node.id);
  return { nodes: [...nodes.values()], links, working };
}

/**
 * What the picture shows, in words; where it cannot show everything (a system, or the region,
 * of more organisations than it lists, or more links than it draws), how much it leaves out.
 * `listed` is how many organisations the system (or the region) has.
 */
function summary(graph, system, onTopic, listed) {
  const inside = graph.nodes.filter((n) => n.inside).length;
  const crossing = graph.links.filter((l) => l.crossesSector).length;
  const most = graph.links.length >= LINKS;
  const among = system
    ? inside < listed ? ` (${inside} of the system's ${listed})` : ` (${inside} in the system chosen)`
    : graph.nodes.length < listed ? ` (of the region's ${listed})` : "";
  return h(
    "p",
    { class: "summary", id: "network-summary" },
    `${graph.nodes.length} organisations`,
    among,
    `, ${graph.links.length} ${most ? "strongest " : ""}links, ${crossing} of them across sectors`,
    onTopic?.topic
      ? [
          `; on `,
          link("topic", onTopic.topic.id, onTopic.topic.label),
          `: ${graph.working.size} organisations have projects on it (the others are faded)`,
        ]
      : null,
    ".",
    most ? " There may be more links: each organisation's page lists all of its own." : null,
  );
}

function legend(nodes, system) {
  const present = SECTORS.filter((s) => nodes.some((n) => n.sector === s));
  return h(
    "ul",
    { class: "legend", "aria-label": "Sectors" },
    present.map((s) => h("li", { class: `sector-${s.toLowerCase()}` }, h("span", { class: "swatch", "aria-hidden": "true" }), words(s))),
    system ? h("li", {}, "dashed: outside the system chosen") : null,
  );
}

const WIDTH = 960;
const HEIGHT = 620;
const NARROW = 640; // px: below this the picture is laid out tall, drawn at full size, and scrolls

/**
 * Lays the graph out (a fixed number of steps, the same every time) and draws it as SVG.
 * A wide screen gets a landscape picture scaled to fit. A phone gets a portrait one drawn one
 * unit to one pixel, so its labels keep their full size; the frame scrolls where it is wider.
 */
function draw(graph, choose) {
  const random = seeded(42);
  const radius = (n) => 9 + Math.sqrt(n.weight) * 2.2;
  const narrow = (document.getElementById("main")?.clientWidth ?? WIDTH) < NARROW;
  const simulation = forceSimulation(graph.nodes)
    .randomSource(random)
    .force("link", forceLink(graph.links).id((n) => n.id).distance((l) => 190 - Math.min(60, l.weight * 4)))
    .force("charge", forceManyBody().strength(-1100))
    .force("collide", forceCollide((n) => Math.max(radius(n) + 30, narrow ? 62 : 78)).iterations(3))
    .force("x", forceX(WIDTH / 2).strength(narrow ? 1 : 0.03))
    .force("y", forceY(HEIGHT / 2).strength(narrow ? 0.07 : 0.16))
    .stop();
  for (let i = 0; i < 400; i += 1) simulation.tick();

  const xs = graph.nodes.map((n) => n.x);
  const ys = graph.nodes.map((n) => n.y);
  const pad = narrow ? 60 : 110; // room for the longest label line either side
  const box = graph.nodes.length
    ? [Math.min(...xs) - pad, Math.min(...ys) - 40, Math.max(...xs) - Math.min(...xs) + 2 * pad, Math.max(...ys) - Math.min(...ys) + (narrow ? 130 : 110)]
    : [0, 0, WIDTH, 200];
  const edges = graph.links.map((l) =>
    svg(
      "line",
      {
        class: "edge",
        x1: l.source.x.toFixed(1),
        y1: l.source.y.toFixed(1),
        x2: l.target.x.toFixed(1),
        y2: l.target.y.toFixed(1),
        "stroke-width": (1.5 + Math.sqrt(l.weight) * 1.6).toFixed(1),
        tabindex: "0",
        role: "button",
        "aria-label": linkLabel(l),
        "data-link": `${l.a.id}|${l.b.id}`,
        onclick: () => choose(l),
        onkeydown: (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            choose(l);
          }
        },
      },
      svg("title", {}, linkLabel(l)),
    ),
  );
  const nodes = graph.nodes.map((n) =>
    svg(
      "a",
      {
        href: href("organisation", n.id),
        class: `node sector-${n.sector.toLowerCase()}${n.inside ? "" : " outside"}${n.faded ? " faded" : ""}`,
        "data-organisation": n.id,
        "aria-label": `${n.name}, ${words(n.sector)}, ${n.links} links${n.inside ? "" : ", outside the system"}`,
      },
      svg("title", {}, n.name),
      svg("circle", { cx: n.x.toFixed(1), cy: n.y.toFixed(1), r: radius(n).toFixed(1) }),
      label(n, radius(n), narrow),
    ),
  );
  return svg(
    "svg",
    {
      viewBox: box.map((v) => v.toFixed(0)).join(" "),
      class: narrow ? "actual-size" : null,
      width: narrow ? box[2].toFixed(0) : null,
      height: narrow ? box[3].toFixed(0) : null,
      role: "group",
      "aria-label": `Network of ${graph.nodes.length} organisations and ${graph.links.length} links`,
    },
    svg("g", { class: "edges" }, edges),
    svg("g", { class: "nodes" }, nodes),
  );
}

/** The name under the circle, on a few short lines (shorter and more of them on a phone). */
function label(node, r, narrow) {
  const [width, most] = narrow ? [14, 4] : [20, 3];
  const lines = [];
  for (const word of node.name.split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last] + " " + word).length <= width) lines[last] += " " + word;
    else lines.push(word);
  }
  if (lines.length > most) lines.splice(most - 1, lines.length - most + 1, `${lines.slice(most - 1).join(" ").slice(0, width)}…`);
  return svg(
    "text",
    { x: node.x.toFixed(1), y: (node.y + r + 14).toFixed(1), "text-anchor": "middle", "aria-hidden": "true" },
    lines.map((line, i) => svg("tspan", { x: node.x.toFixed(1), dy: i ? "1.15em" : "0" }, line)),
  );
}

function linkLabel(l) {
  return `${l.a.name} and ${l.b.name}: ${linkCounts(l)}${l.crossesSector ? ", across sectors" : ""}`;
}

/**
 * The chosen link's counts at once, then its examples, asked for now (the picture does not
 * carry every link's evidence). A link chosen again while the first is loading wins.
 */
async function showEvidence(panel, l, onTopic, topic) {
  for (const line of document.querySelectorAll(".edge.chosen")) line.classList.remove("chosen");
  document.querySelector(`.edge[data-link="${CSS.escape(`${l.a.id}|${l.b.id}`)}"]`)?.classList.add("chosen");
  panel.hidden = false;
  panel.dataset.link = `${l.a.id}|${l.b.id}`;
  // Under a topic filter the API gives the shared topics within that topic only: say so.
  const within = onTopic?.topic ? ` within ${onTopic.topic.label}` : "";
  const heading = h("h2", {}, link("organisation", l.a.id, l.a.name), " and ", link("organisation", l.b.id, l.b.name));
  const counts = h(
    "p",
    {},
    `${count(l.sharedProjectCount, "shared project")}, `,
    `${count(l.personCount, "person", "people")} working across both, `,
    `${count(l.sharedTopicCount, "shared topic")}${within}`,
    l.crossesSector ? "; they are in different sectors." : ".",
  );
  const status = h("p", { class: "message", role: "status" }, "Loading the evidence…");
  panel.replaceChildren(heading, counts, status);
  panel.focus();
  let evidence;
  try {
    const { crossBoundaryLinks } = await gql("ExplorerNetworkLink", { organisation: l.a.id, other: l.b.id, topic });
    evidence = crossBoundaryLinks[0];
  } catch (error) {
    status.textContent = error instanceof ApiError ? error.message : "The evidence could not be loaded.";
    return;
  }
  if (panel.dataset.link !== `${l.a.id}|${l.b.id}`) return; // another link was chosen meanwhile
  if (!evidence) {
    status.textContent = "This link is no longer in the graph; show the page again.";
    return;
  }
  const lists = [
    evidenceList("Shared projects", evidence.exampleProjects.map((p) => link("project", p.id, p.title))),
    evidenceList("People", evidence.examplePeople.map((p) => link("person", p.id, p.name))),
    evidenceList(`Shared topics${within}`, evidence.exampleTopics.map((t) => link("topic", t.id, t.label))),
  ];
  // replaceChildren would write a missing list as the word "null"
  status.replaceWith(...lists.filter(Boolean));
}

function evidenceList(title, items) {
  if (!items.length) return null;
  return h("div", {}, h("h3", {}, title), h("ul", {}, items.map((item) => h("li", {}, item))));
}

function table(links, choose) {
  return h(
    "details",
    { class: "links-table" },
    h("summary", {}, "The links as a table"),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ["Organisations", "Shared projects", "People", "Across sectors", ""].map((t) => h("th", { scope: "col" }, t)))),
        h(
          "tbody",
          {},
          links.map((l) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, link("organisation", l.a.id, l.a.name), " and ", link("organisation", l.b.id, l.b.name)),
              h("td", {}, String(l.sharedProjectCount)),
              h("td", {}, String(l.personCount)),
              h("td", {}, l.crossesSector ? "yes" : "no"),
              h("td", {}, h("button", { type: "button", class: "secondary", onclick: () => choose(l) }, "Evidence")),
            ),
          ),
        ),
      ),
    ),
  );
}

/** A small seeded random source, so the same data always gives the same picture. */
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}
