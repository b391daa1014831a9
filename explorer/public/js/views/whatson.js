// What's on: events and training still to come across the region, soonest first, with filters,
// "add to calendar" links, and the address of the calendar feed for the filter chosen.
//   #/whats-on?topic=falls&system=<id>&organisation=<id>&kind=training&online=true&from=&to=

import { gql } from "../api.js";
import { h } from "../dom.js";
import { href } from "../routes.js";
import { page, select } from "./common.js";
import { calendarFeed, eventCards } from "./events.js";

const PAGE = 20;
const FILTERS = ["topic", "system", "organisation", "kind", "online", "from", "to"];

export async function render(route) {
  const chosen = Object.fromEntries(FILTERS.map((name) => [name, route.params.get(name) ?? ""]));
  const after = route.params.get("after");
  const [choices, data] = await Promise.all([
    gql("ExplorerWhatsOnChoices"),
    gql("ExplorerWhatsOn", { filter: apiFilter(chosen), first: PAGE, after }),
  ]);
  const events = data.events;
  const feed = calendarFeed(chosen);
  return page(
    h("h1", {}, "What's on"),
    h(
      "p",
      { class: "lead" },
      "Events, training and learning sessions from partners across the region, soonest first. ",
      "Add one to your calendar, or subscribe to them all.",
    ),
    form(chosen, choices),
    subscribe(feed),
    h(
      "p",
      { class: "summary", id: "whats-on-summary" },
      events.totalCount === 1 ? "1 event or training session." : `${events.totalCount} events and training sessions.`,
    ),
    eventCards(events.nodes, "Nothing is on with these filters.", "events"),
    paging(chosen, after, events.pageInfo),
  );
}

/** The API's filter for what the page's address says; dates are whole days, in local time. */
function apiFilter(chosen) {
  const day = (text, next) => {
    if (!text) return null;
    const moment = new Date(`${text}T00:00:00`);
    if (Number.isNaN(moment.getTime())) return null;
    if (next) moment.setDate(moment.getDate() + 1);
    return moment.toISOString();
  };
  return {
    topic: chosen.topic || null,
    system: chosen.system || null,
    organisation: chosen.organisation || null,
    kind: chosen.kind ? chosen.kind.toUpperCase() : null,
    online: chosen.online === "" ? null : chosen.online === "true",
    from: day(chosen.from, false),
    to: day(chosen.to, true),
  };
}

function form(chosen, choices) {
  const submit = (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    location.hash = href("whats-on", null, Object.fromEntries(FILTERS.map((name) => [name, fields[name].value.trim()])));
  };
  const text = (name, label, type = "text", extra = {}) =>
    h(
      "span",
      { class: "field" },
      h("label", { for: `choose-${name}` }, label),
      h("input", { id: `choose-${name}`, name, type, value: chosen[name], ...extra }),
    );
  return h(
    "form",
    { class: "filters", onsubmit: submit, "aria-label": "Choose what's on" },
    text("topic", "Topic", "text", { placeholder: "e.g. falls prevention", autocomplete: "off" }),
    select("System", "system", [["", "Anywhere"], ...choices.systems.map((s) => [s.id, s.name])], chosen.system),
    select(
      "Organisation",
      "organisation",
      [["", "Any organisation"], ...choices.organisations.nodes.map((o) => [o.id, o.name])],
      chosen.organisation,
    ),
    select(
      "Kind",
      "kind",
      [
        ["", "Events and training"],
        ["event", "Events"],
        ["training", "Training"],
      ],
      chosen.kind,
    ),
    select(
      "Where",
      "online",
      [
        ["", "Online or in person"],
        ["true", "Online"],
        ["false", "In person"],
      ],
      chosen.online,
    ),
    text("from", "From", "date"),
    text("to", "To", "date"),
    h("button", { type: "submit" }, "Show"),
  );
}

/** The calendar feed for this filter: its address to paste, and a link that subscribes. */
function subscribe(feed) {
  const address = h("input", { id: "calendar-feed", type: "text", readonly: true, value: feed, class: "address" });
  const status = h("span", { class: "meta", role: "status", id: "calendar-feed-status" });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(feed);
      status.textContent = "Copied.";
    } catch {
      address.select();
      status.textContent = "Select the address and copy it.";
    }
  };
  return h(
    "div",
    { class: "panel feed" },
    h("label", { for: "calendar-feed" }, "Calendar feed for these filters"),
    h("p", { class: "meta" }, "Paste it into Outlook, Google Calendar or Apple Calendar to subscribe; it stays up to date."),
    h(
      "div",
      { class: "toolbar" },
      address,
      h("button", { type: "button", class: "secondary", onclick: copy }, "Copy the address"),
      h("a", { href: feed.replace(/^https?:/, "webcal:"), id: "calendar-subscribe" }, "Subscribe in your calendar app"),
      status,
    ),
  );
}

function paging(chosen, after, info) {
  const links = [];
  if (after) links.push(h("a", { href: href("whats-on", null, chosen) }, "Back to the soonest"));
  if (info.hasNextPage) {
    links.push(h("a", { href: href("whats-on", null, { ...chosen, after: info.endCursor }), id: "later-events" }, "Later events"));
  }
  return links.length ? h("p", { class: "toolbar" }, links) : null;
}
