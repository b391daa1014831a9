// The ICS lead's view: clusters of projects that look like the same work, strongest first,
// each pair with its explanation; confirm or dismiss a pair; download everything as CSV.

import { apiFields, ApiError, gql, signedIn } from "../api.js";
import { csvHref } from "../csv.js";
import { h, tag, words } from "../dom.js";
import { href, link } from "../routes.js";
import { organisationLinks, page, select } from "./common.js";

const SYSTEMS = `{ systems(first: 100) { id name } }`;

const PROJECT = `id title organisations { lead organisation { id name } }`;

const DUPLICATES = `query ExplorerDuplicates($system: ID, $minScore: Float, $status: [ReviewStatus!]) {
  duplicates(system: $system, minScore: $minScore, status: $status, first: 100) {
    id topScore
    pairs { a { ${PROJECT} } b { ${PROJECT} } score explanation status note }
  }
}`;

const REVIEW = `mutation ExplorerReview($a: ID!, $b: ID!, $status: ReviewStatus!, $note: String) {
  reviewDuplicate(a: $a, b: $b, status: $status, note: $note) { status note }
}`;

// What each "show" choice asks for; the API hides dismissed pairs unless asked.
const SHOWN = {
  open: null,
  confirmed: ["CONFIRMED"],
  dismissed: ["DISMISSED"],
  all: ["UNREVIEWED", "CONFIRMED", "DISMISSED"],
};

export async function render(route) {
  const [{ systems }, fields] = await Promise.all([gql(SYSTEMS), apiFields()]);
  const system = route.params.get("system") || systems[0]?.id || "";
  const show = SHOWN[route.params.get("show")] !== undefined ? route.params.get("show") : "open";
  const minScore = route.params.get("min") ?? "";
  const systemName = systems.find((s) => s.id === system)?.name ?? "the region";
  const heading = h("h1", {}, `Duplicated effort in ${systemName}`);
  const form = filters(systems, system, show, minScore);
  if (!fields.query.has("duplicates")) {
    return page(heading, form, h("p", { class: "error", role: "alert" }, "This hub's API does not answer `duplicates` yet."));
  }
  const data = await gql(DUPLICATES, {
    system: system || null,
    minScore: minScore === "" ? null : Number(minScore),
    status: SHOWN[show],
  });
  const clusters = [...data.duplicates]
    .map((c) => ({ ...c, pairs: [...c.pairs].sort((x, y) => y.score - x.score) }))
    .sort((x, y) => (y.pairs[0]?.score ?? y.topScore) - (x.pairs[0]?.score ?? x.topScore));
  const pairs = clusters.flatMap((c) => c.pairs);
  const reviewable = fields.mutation.has("reviewDuplicate");
  const canReview = reviewable && signedIn();
  return page(
    heading,
    h(
      "p",
      { class: "lead" },
      "Projects that look like the same improvement in different places, grouped, strongest first. ",
      "Each pair says why. Confirm what is really duplicated; dismiss what is not, and it stays hidden.",
    ),
    form,
    h(
      "div",
      { class: "toolbar" },
      h("p", { class: "summary", id: "duplicates-summary" }, `${clusters.length} clusters, ${pairs.length} pairs.`),
      pairs.length
        ? h(
            "a",
            {
              class: "button secondary",
              href: csvHref(csvRows(clusters)),
              download: `duplicates-${system || "region"}.csv`,
              // reviews change statuses in place: the file says what the page says now
              onclick: (event) => event.currentTarget.setAttribute("href", csvHref(csvRows(clusters))),
            },
            "Download as CSV",
          )
        : null,
    ),
    reviewable
      ? canReview
        ? null
        : h("p", { class: "meta", id: "review-signin" }, "Sign in with an API key (at the top of the page) to confirm or dismiss pairs.")
      : h("p", { class: "meta" }, "Reviewing is not available from this hub."),
    clusters.length
      ? h("ol", { class: "clusters", id: "clusters" }, clusters.map((c, i) => cluster(c, i + 1, canReview)))
      : h("p", { class: "none" }, "No likely duplicates with these filters."),
  );
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

function cluster(c, number, canReview) {
  const projects = new Map();
  for (const p of c.pairs) for (const x of [p.a, p.b]) projects.set(x.id, x);
  return h(
    "li",
    { class: "cluster" },
    h("h2", {}, `Cluster ${number}: ${projects.size} projects, best score ${c.pairs[0].score.toFixed(2)}`),
    h("ul", { class: "pairs" }, c.pairs.map((p) => pair(p, canReview))),
  );
}

function orgs(project) {
  return organisationLinks(project.organisations.map((o) => o.organisation));
}

function pair(p, canReview) {
  const status = h("span", { class: "status" }, statusTag(p.status));
  const message = h("p", { class: "message", role: "status" });
  const note = h("input", { type: "text", id: `note-${p.a.id}-${p.b.id}`, name: "note", value: p.note ?? "", maxlength: "2000" });
  const review = async (verdict, button) => {
    const buttons = button.parentElement.querySelectorAll("button");
    for (const b of buttons) b.disabled = true;
    try {
      const { reviewDuplicate: done } = await gql(REVIEW, { a: p.a.id, b: p.b.id, status: verdict, note: note.value || null });
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
        h("span", { class: "field" }, h("label", { for: note.id }, "Note (optional)"), note),
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
