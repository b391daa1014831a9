// The Impact page: a system's figures over time, each a chart with what it counts, its
// numbers as a table underneath and a CSV of them. Charts are drawn with Observable Plot
// (vendored); the API's `impact` query gives the numbers.

import { gql } from "../api.js";
import { downloadCsv } from "../csv.js";
import { h } from "../dom.js";
import { href } from "../routes.js";
import { barY, lineY, dot, plot, ruleY } from "../../vendor/plot-0.6.17.js";
import { page, select, signInHint } from "./common.js";

const INTERVALS = [
  ["QUARTER", "Quarter"],
  ["MONTH", "Month"],
  ["YEAR", "Year"],
  ["WEEK", "Week"],
];
const YEARS_SHOWN = 5; // by default: quarters from the start of the fifth year back
// Colour-blind safe (Okabe and Ito); `.series-<n>` in app.css draws the legend's swatches.
const PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"];
const NOT_KNOWN = "not known";

export async function render(route) {
  const { systems } = await gql("ExplorerSystemChoices");
  const system = route.params.get("system") || systems[0]?.id || "";
  const asked = route.params.get("interval");
  const interval = INTERVALS.some(([value]) => value === asked) ? asked : "QUARTER";
  const from = route.params.get("from") || `${new Date().getUTCFullYear() - YEARS_SHOWN + 1}-01-01`;
  const to = route.params.get("to") || null;
  const { impact } = await gql("ExplorerImpact", { system: system || null, interval, from, to });
  const name = systems.find((s) => s.id === system)?.name ?? "the region";
  const labels = impact.periods.map((p) => periodLabel(p.start, impact.interval));
  const hidden = impact.figures.filter((f) => f.total === null);
  return page(
    h("h1", {}, `Impact in ${name}`),
    h(
      "p",
      { class: "lead" },
      "How improvement work across the system has grown, period by period. Each figure says what it counts; ",
      "its numbers are in a table under the chart, and as a CSV to download.",
    ),
    filters(systems, system, interval, impact),
    h(
      "p",
      { class: "summary", id: "impact-summary" },
      `${impact.periods.length} periods, ${labels[0]} to ${labels[labels.length - 1]}. `,
      impact.snapshotsSince
        ? `Figures from the daily snapshots start on ${dayLabel(impact.snapshotsSince)}.`
        : "No daily snapshot has been taken yet, so figures from snapshots are not known.",
    ),
    hidden.length ? signInHint("impact-signin", `to see ${hidden.map((f) => f.title.toLowerCase()).join(", ")}`) : null,
    impact.figures.map((figure) => figureSection(figure, labels, impact, system)),
  );
}

function filters(systems, system, interval, impact) {
  const submit = (event) => {
    event.preventDefault();
    const form = event.target.elements;
    location.hash = href("impact", null, {
      system: form.system.value,
      interval: form.interval.value,
      from: form.from.value,
      to: form.to.value,
    });
  };
  const day = (label, name, value) =>
    h(
      "span",
      { class: "field" },
      h("label", { for: `choose-${name}` }, label),
      // Text, not a date picker: typed the same way in every browser, and by keyboard alone.
      h("input", {
        type: "text",
        class: "day",
        id: `choose-${name}`,
        name,
        value,
        inputmode: "numeric",
        pattern: "\\d{4}-\\d{2}-\\d{2}",
        title: "A day as year-month-day, e.g. 2024-04-01",
        size: 10,
      }),
    );
  return h(
    "form",
    { class: "filters", onsubmit: submit, "aria-label": "Choose the system and periods" },
    select("System", "system", systems.map((s) => [s.id, s.name]), system),
    select("Each period is a", "interval", INTERVALS, interval),
    day("From (year-month-day)", "from", impact.from),
    day("To (year-month-day)", "to", impact.to),
    h("button", { type: "submit" }, "Show"),
  );
}

function figureSection(figure, labels, impact, system) {
  const id = `figure-${figure.key}`;
  const heading = h("h2", { id: `${id}-title` }, figure.title);
  const about = h("p", { class: "figure-about" }, figure.description);
  if (figure.total === null) {
    return h("section", { class: "figure", id, "aria-labelledby": heading.id }, heading, about,
      h("p", { class: "none" }, "Signed-in callers only: it counts personal data."));
  }
  const parts = figure.categories.filter((c) => c.points.some((p) => p.value));
  const rows = tableRows(figure, parts, labels);
  const download = h(
    "button",
    {
      type: "button",
      class: "secondary",
      onclick: () => downloadCsv(csvRows(figure, parts, impact), `impact-${system || "region"}-${figure.key}.csv`),
    },
    `Download ${figure.title.toLowerCase()} as CSV`,
  );
  return h(
    "section",
    { class: "figure", id, "aria-labelledby": heading.id },
    heading,
    about,
    h("div", { class: "chart" }, chart(figure, parts, labels)),
    legend(figure, parts),
    h(
      "details",
      { class: "numbers" },
      h("summary", {}, "The numbers as a table"),
      h("div", { class: "table-wrap" }, numbersTable(figure, parts, rows)),
    ),
    h("p", { class: "toolbar" }, download),
  );
}

/** The chart: stacked bars where the parts add up, lines where they overlap, bars of the total
 * where there are no parts. Periods not known are left empty. */
function chart(figure, parts, labels) {
  const points = (values, series) =>
    values.map((p, i) => ({ period: labels[i], series, value: p.value })).filter((d) => d.value !== null);
  const stacked = figure.partsAddUp && parts.length > 0;
  const lines = !figure.partsAddUp && parts.length > 0;
  const names = parts.map((c) => c.label);
  let marks;
  if (stacked) {
    marks = [barY(parts.flatMap((c) => points(c.points, c.label)), { x: "period", y: "value", fill: "series" })];
  } else if (lines) {
    const data = [...parts.flatMap((c) => points(c.points, c.label)), ...points(figure.total, "Total")];
    names.push("Total");
    marks = [
      lineY(data, { x: "period", y: "value", stroke: "series", strokeWidth: 2.5 }),
      dot(data, { x: "period", y: "value", fill: "series", r: 3.5 }),
    ];
  } else {
    marks = [barY(points(figure.total, figure.title), { x: "period", y: "value", fill: PALETTE[0] })];
  }
  const step = Math.ceil(labels.length / 12);
  const drawn = plot({
    width: 900,
    height: 240,
    marginLeft: 44,
    marginBottom: 32,
    x: { domain: labels, label: null, ticks: labels.filter((_, i) => i % step === 0), padding: 0.2 },
    y: { grid: true, label: null, nice: true, tickFormat: (d) => (Number.isInteger(d) ? String(d) : "") },
    color: { domain: names.length ? names : [figure.title], range: PALETTE },
    marks: [...marks, ruleY([0])],
    ariaLabel: `${figure.title}, period by period`,
    ariaDescription: summaryOf(figure, labels),
  });
  // Plot adds a <style> element of its own; the page allows no inline styles (app.css has
  // the same rules), so it goes before the chart reaches the page.
  for (const inline of drawn.querySelectorAll("style")) inline.remove();
  drawn.setAttribute("role", "img");
  return drawn;
}

function legend(figure, parts) {
  if (!parts.length) return null;
  const names = parts.map((c) => c.label);
  if (!figure.partsAddUp) names.push("Total");
  return h(
    "ul",
    { class: "legend", "aria-label": `${figure.title}: the colours` },
    names.map((name, i) => h("li", { class: `series-${i % PALETTE.length}` }, h("span", { class: "swatch", "aria-hidden": "true" }), name)),
  );
}

function summaryOf(figure, labels) {
  const known = figure.total.map((p, i) => [labels[i], p.value]).filter(([, v]) => v !== null);
  if (!known.length) return "Not known for these periods.";
  const [last, value] = known[known.length - 1];
  const sum = known.reduce((n, [, v]) => n + v, 0);
  return `${value} in ${last}; ${sum} over the ${known.length} periods known.`;
}

function tableRows(figure, parts, labels) {
  return labels.map((label, i) => [label, ...parts.map((c) => c.points[i].value), figure.total[i].value]);
}

function numbersTable(figure, parts, rows) {
  const heads = ["Period", ...parts.map((c) => c.label), parts.length && figure.partsAddUp ? "Total" : parts.length ? "Total (each once)" : figure.title];
  const shown = (v) => (v === null ? NOT_KNOWN : String(v));
  return h(
    "table",
    {},
    h("caption", {}, `${figure.title}, period by period`),
    h("thead", {}, h("tr", {}, heads.map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      rows.map(([label, ...values]) => h("tr", {}, h("th", { scope: "row" }, label), values.map((v) => h("td", {}, shown(v))))),
    ),
  );
}

function csvRows(figure, parts, impact) {
  const header = ["period_start", "period_end", ...parts.map((c) => c.key), "total"];
  const blank = (v) => (v === null ? "" : v);
  return [
    header,
    ...impact.periods.map((p, i) => [p.start, p.end, ...parts.map((c) => blank(c.points[i].value)), blank(figure.total[i].value)]),
  ];
}

const MONTHS = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
const DAYS = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const utc = (iso) => new Date(`${iso}T00:00:00Z`);

function periodLabel(start, interval) {
  const day = utc(start);
  if (interval === "MONTH") return MONTHS.format(day);
  if (interval === "QUARTER") return `Q${Math.floor(day.getUTCMonth() / 3) + 1} ${day.getUTCFullYear()}`;
  if (interval === "YEAR") return String(day.getUTCFullYear());
  if (interval === "WEEK") return `w/c ${DAYS.format(day)}`;
  return DAYS.format(day);
}

function dayLabel(iso) {
  return DAYS.format(utc(iso));
}
