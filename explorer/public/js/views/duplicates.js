// The ICS lead's view: clusters of projects that look like the same work, strongest first,
// each pair with its explanation; confirm or dismiss a pair; download everything as CSV.
// A system can have many clusters, and a cluster many pairs: the view shows the strongest PAGE
// clusters with the strongest PAIRS pairs of each, and asks the API for the next clusters when
// you choose "More clusters" and for a cluster's other pairs when you ask to see them all; the
// CSV has every cluster with every pair the API lists, asked a page at a time.

import { ApiError, gql, signedIn } from "../api.js";
import { downloadCsv } from "../csv.js";
import { h, tag, words } from "../dom.js";
import { href, link } from "../routes.js";
import { organisationLinks, page, select, signInHint } from "./common.js";

const PAGE = 10; // clusters shown at first, and added by each "More clusters"
const PAIRS = 5; // pairs shown of each cluster until you ask for all of them
const MOST = 100; // the API's largest page: the most pairs it lists of a cluster
const CSV_PAGE = 10; // clusters asked at a time for the CSV, each with all its pairs

// What each "show" choice asks for; the API hides dismissed pairs unless asked.
const SHOWN = {
  open: null,
  confirmed: ["CONFIRMED"],
  dismissed: ["DISMISSED"],
  all: ["UNREVIEWED", "CONFIRMED", "DISMISSED"],
};

export async function render(route) {
  const { systems } = await gql("ExplorerSystemChoices");
  const system = route.params.get("system") || systems[0]?.id || "";
  const show = SHOWN[route.params.get("show")] !== undefined ? route.params.get("show") : "open";
  const minScore = route.params.get("min") ?? "";
  const systemName = systems.find((s) => s.id === system)?.name ?? "the region";
  const chosen = {
    system: system || null,
    minScore: minScore === "" ? null : Number(minScore),
    status: SHOWN[show],
  };
  const canReview = signedIn();
  const loaded = await clustersAfter(chosen, null, PAGE, PAIRS);
  const shown = loaded.clusters;

  const list = h("ol", { class: "clusters", id: "clusters" });
  const summary = h("p", { class: "summary", id: "duplicates-summary" });
  const status = h("p", { class: "message", role: "status", id: "duplicates-status" });
  const more = h("button", { type: "button", class: "secondary", id: "more-clusters" }, "More clusters");
  let hasMore = loaded.hasMore;
  const summarise = () => {
    const pairs = shown.reduce((n, c) => n + c.pairCount, 0);
    summary.textContent = hasMore
      ? `The ${shown.length} strongest clusters are shown (${pairs} pairs in all); there are more.`
      : `${shown.length} clusters, ${pairs} pairs in all.`;
    more.hidden = !hasMore;
  };
  const add = (clusters) => list.append(...clusters.map((c) => cluster(c, list.children.length + 1, canReview, chosen)));
  more.addEventListener("click", async () => {
    const before = list.children.length;
    more.disabled = true;
    status.textContent = "Loading more clusters…";
    try {
      const next = await clustersAfter(chosen, shown.at(-1).cursor, PAGE, PAIRS);
      shown.push(...next.clusters);
      hasMore = next.hasMore;
      add(next.clusters);
      summarise();
      status.textContent = `Showing ${shown.length} clusters.`;
      list.children[before]?.querySelector("h2")?.focus(); // the keyboard goes on where the new ones start
    } catch (error) {
      status.textContent = error instanceof ApiError ? error.message : "More clusters could not be loaded.";
    } finally {
      more.disabled = false;
    }
  });
  const download = h(
    "button",
    {
      type: "button",
      class: "secondary",
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        try {
          // everything the API gives, as it is now (reviews made on this page included)
          const all = await everyCluster(chosen);
          downloadCsv(csvRows(all), `duplicates-${system || "region"}.csv`);
          status.textContent = `Downloaded ${all.length} clusters.`;
        } catch (error) {
          status.textContent = error instanceof ApiError ? error.message : "The CSV could not be made.";
        } finally {
          button.disabled = false;
        }
      },
    },
    "Download all as CSV",
  );
  add(shown);
  summarise();
  return page(
    h("h1", {}, `Duplicated effort in ${systemName}`),
    h(
      "p",
      { class: "lead" },
      "Projects that look like the same improvement in different places, grouped, strongest first. ",
      "Each pair says why. Confirm what is really duplicated; dismiss what is not, and it stays hidden.",
    ),
    filters(systems, system, show, minScore),
    h("div", { class: "toolbar" }, summary, shown.length ? download : null),
    canReview ? null : signInHint("review-signin", "to confirm or dismiss pairs"),
    shown.length ? [list, h("p", { class: "toolbar" }, more), status] : h("p", { class: "none" }, "No likely duplicates with these filters."),
  );
}

/** The `first` strongest clusters after the cluster whose cursor is `after` (null: from the
 * strongest), each with its `pairs` strongest pairs, and whether the API has more. Each cluster
 * keeps its own cursor, and the one before it to ask for it again. */
async function clustersAfter(chosen, after, first, pairs) {
  const { duplicateClusters: found } = await gql("ExplorerDuplicates", { ...chosen, first, after, pairs });
  const clusters = found.edges.map((edge, i) => ({
    ...edge.node,
    pairs: withProjects(edge.node),
    cursor: edge.cursor,
    before: i === 0 ? after : found.edges[i - 1].cursor,
  }));
  return { clusters, hasMore: found.pageInfo.hasNextPage };
}

/** Every cluster with these filters, each with every pair the API lists. */
async function everyCluster(chosen) {
  const clusters = [];
  let after = null;
  for (;;) {
    const next = await clustersAfter(chosen, after, CSV_PAGE, MOST);
    clusters.push(...next.clusters);
    if (!next.hasMore || !next.clusters.length) return clusters;
    after = next.clusters.at(-1).cursor;
  }
}

/** The cluster's pairs with their projects: the API sends each project once, by id. */
function withProjects(c) {
  const byId = new Map(c.pairProjects.map((p) => [p.id, p]));
  return c.pairs.map((p) => ({ ...p, a: byId.get(p.a.id), b: byId.get(p.b.id) }));
}

function filters(systems, system, show, minScore) {
  const submit = (event) => {
    event.preventDefault();
    const form = event.target.elements;
    location.hash = href("duplicates", null, { system: form.system.value, show: form.show.value, min: form.min.value });
  };
  return h(
    "form",
    { class: "filters", onsubmit: submit, "aria-label": "Choose duplicates" },
    select("System", "system", systems.map((s) => [s.id, s.name]), system),
    select(
      "Show",
      "show",
      [
        ["open", "Not dismissed"],
        ["confirmed", "Confirmed"],
        ["dismissed", "Dismissed"],
        ["all", "All"],
      ],
      show,
    ),
    h(
      "span",
      { class: "field" },
      h("label", { for: "choose-min" }, "Lowest score (0 to 1)"),
      h("input", { id: "choose-min", name: "min", type: "number", min: "0", max: "1", step: "0.05", value: minScore, placeholder: "the hub's default" }),
    ),
    h("button", { type: "submit" }, "Show"),
  );
}

function cluster(c, number, canReview, chosen) {
  const pairs = h("ul", { class: "pairs" }, c.pairs.map((p) => pair(p, canReview)));
  const listed = Math.min(c.pairCount, MOST);
  const all = h(
    "button",
    { type: "button", class: "secondary all-pairs" },
    c.pairCount > MOST ? `Show the ${MOST} strongest of ${c.pairCount} pairs` : `Show all ${c.pairCount} pairs`,
  );
  const message = h("p", { class: "message", role: "status" });
  all.hidden = c.pairs.length >= listed;
  all.addEventListener("click", async () => {
    all.disabled = true;
    try {
      const { clusters } = await clustersAfter(chosen, c.before, 1, MOST);
      if (clusters[0]?.id !== c.id) throw new ApiError("The clusters have changed since; show the page again.");
      const before = c.pairs.length;
      const added = clusters[0].pairs.slice(before);
      c.pairs.push(...added);
      pairs.append(...added.map((p) => pair(p, canReview)));
      all.hidden = true;
      message.textContent = `Showing ${c.pairs.length} pairs.`;
      pairs.children[before]?.querySelector("a")?.focus(); // the keyboard goes on at the first pair added
    } catch (error) {
      message.textContent = error instanceof ApiError ? error.message : "The other pairs could not be loaded.";
    } finally {
      all.disabled = false;
    }
  });
  return h(
    "li",
    { class: "cluster", "data-cluster": c.id },
    h("h2", { tabindex: "-1" }, `Cluster ${number}: ${c.projectCount} projects, ${c.pairCount} pairs, best score ${c.pairs[0].score.toFixed(2)}`),
    pairs,
    h("p", { class: "toolbar" }, all),
    message,
  );
}

function orgs(project) {
  return organisationLinks(project.organisations.map((o) => o.organisation));
}

function pair(p, canReview) {
  const status = h("span", { class: "status" }, statusTag(p.status));
  const message = h("p", { class: "message", role: "status" });
  const note = h("textarea", { id: `note-${p.a.id}-${p.b.id}`, name: "note", rows: "3", maxlength: "2000" }, p.note ?? "");
  const review = async (verdict, button) => {
    const buttons = button.parentElement.querySelectorAll("button");
    for (const b of buttons) b.disabled = true;
    try {
      const { reviewDuplicate: done } = await gql("ExplorerReview", { a: p.a.id, b: p.b.id, status: verdict, note: note.value || null });
      if (!done) throw new ApiError("The hub no longer has this pair; show the page again.");
      p.status = done.status;
      status.replaceChildren(statusTag(done.status));
      message.textContent = `Marked ${words(done.status)}.`;
    } catch (error) {
      message.textContent = error instanceof ApiError ? error.message : "The review could not be saved.";
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  };
  const actions = canReview
    ? h(
        "div",
        { class: "actions" },
        h("span", { class: "field note" }, h("label", { for: note.id }, "Note (optional)"), note),
        h("button", { type: "button", onclick: (e) => review("CONFIRMED", e.currentTarget) }, "Confirm duplicate"),
        h("button", { type: "button", class: "secondary", onclick: (e) => review("DISMISSED", e.currentTarget) }, "Dismiss"),
        h("button", { type: "button", class: "secondary", onclick: (e) => review("UNREVIEWED", e.currentTarget) }, "Undo review"),
      )
    : null;
  return h(
    "li",
    { class: "pair", "data-pair": `${p.a.id}|${p.b.id}` },
    h(
      "p",
      {},
      h("span", { class: "score" }, p.score.toFixed(2)),
      " ",
      status,
      " ",
      link("project", p.a.id, p.a.title),
      " (",
      orgs(p.a),
      ") and ",
      link("project", p.b.id, p.b.title),
      " (",
      orgs(p.b),
      ")",
    ),
    h("p", { class: "evidence" }, h("span", { class: "why" }, "Why: "), p.explanation),
    actions,
    message,
  );
}

function statusTag(status) {
  return tag(words(status), status.toLowerCase());
}

function csvRows(clusters) {
  const names = (project) => project.organisations.map((o) => o.organisation.name).join("; ");
  const rows = [["cluster", "score", "status", "project A", "title A", "organisations A", "project B", "title B", "organisations B", "explanation", "note"]];
  clusters.forEach((c, i) => {
    for (const p of c.pairs) {
      rows.push([i + 1, p.score.toFixed(3), words(p.status), p.a.id, p.a.title, names(p.a), p.b.id, p.b.title, names(p.b), p.explanation, p.note ?? ""]);
    }
  });
  return rows;
}
