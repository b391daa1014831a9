// What's on, shared by several pages: how an event's time and place read, its card, its
// "add to calendar" link, the calendar feed's address for a filter, and the "Coming up" and
// "Go and see" sections of the topic, organisation and project pages.

import { gql } from "../api.js";
import { h, list, section, tag, words } from "../dom.js";
import { href, link } from "../routes.js";
import { organisationLinks, topicChips } from "./common.js";

const DAY = { weekday: "long", day: "numeric", month: "long", year: "numeric" };
const CLOCK = { hour: "2-digit", minute: "2-digit" };

function format(moment, options, zone) {
  return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: zone || undefined }).format(moment);
}

/** When it is, in the time zone where it happens: "Tuesday 8 December 2026, 12:30–13:30 GMT". */
export function when(event) {
  const zone = event.timeZone;
  const start = new Date(event.startsAt);
  const end = event.endsAt ? new Date(event.endsAt) : null;
  const day = (moment) => format(moment, DAY, zone);
  const clock = (moment, named) => format(moment, named ? { ...CLOCK, timeZoneName: "short" } : CLOCK, zone);
  if (event.allDay) {
    const last = end ? new Date(end.getTime() - 1) : start; // an all-day end is the next midnight
    return day(last) === day(start) ? `${day(start)} (all day)` : `${day(start)} to ${day(last)}`;
  }
  if (!end) return `${day(start)}, ${clock(start, true)}`;
  if (day(end) === day(start)) return `${day(start)}, ${clock(start)}–${clock(end, true)}`;
  return `${day(start)}, ${clock(start, true)} to ${day(end)}, ${clock(end, true)}`;
}

/** Where it is: the venue, online, or both. */
export function where(event) {
  if (event.venue && event.online && !/online/i.test(event.venue)) return `${event.venue}, and online`;
  return event.venue || (event.online ? "Online" : null);
}

/** The address of one event as an iCalendar file, to add to a calendar app. */
export function calendarFileOf(event) {
  return `/calendar.ics?${new URLSearchParams({ event: event.id })}`;
}

/** The hub's calendar feed for a filter ({system, topic, organisation, kind, online}). */
export function calendarFeed(filter) {
  const params = new URLSearchParams();
  for (const name of ["system", "topic", "organisation", "kind", "online"]) {
    const value = filter[name];
    if (value === null || value === undefined || value === "") continue;
    params.set(name, name === "kind" ? String(value).toLowerCase() : String(value));
  }
  const query = params.toString();
  return `${location.origin}/calendar.ics${query ? `?${query}` : ""}`;
}

/** One event as a card: when, what, where, who it is for, and how to book or keep it. */
export function eventCard(event) {
  const facts = [
    where(event),
    event.publisher ? [" · ", link("organisation", event.publisher.id, event.publisher.name)] : null,
  ];
  const details = [
    event.audience ? `Who it is for: ${event.audience}.` : null,
    event.organiser ? ` Organised by ${event.organiser}.` : null,
    event.places !== null && event.places !== undefined ? ` ${event.places} places.` : null,
  ].filter(Boolean);
  return h(
    "li",
    { class: "card event" },
    h("p", { class: "when" }, when(event)),
    h("h3", {}, link("resource", event.id, event.title)),
    h(
      "p",
      { class: "meta" },
      event.resourceType ? [tag(words(event.resourceType)), " "] : null,
      event.online ? [tag("online"), " "] : null,
      facts,
    ),
    details.length ? h("p", {}, details) : null,
    topicChips(event.topics ?? []),
    h(
      "p",
      { class: "actions" },
      event.bookingUrl
        ? h("a", { href: event.bookingUrl, rel: "noopener", "aria-label": `Book “${event.title}”` }, "Book")
        : null,
      h("a", { href: calendarFileOf(event), "aria-label": `Add “${event.title}” to your calendar` }, "Add to calendar"),
    ),
  );
}

/** A list of event cards, or the `none` sentence. */
export function eventCards(events, none, id = null) {
  if (!events.length) return h("p", { class: "none" }, none);
  return h("ul", { class: "cards events", id }, events.map(eventCard));
}

/** A team's offer of visits: its dates, whether it takes requests, and how to ask. */
export function visitOffer(offer) {
  const dates = offer.dates.map((d) => [
    when({ startsAt: d.startsAt, endsAt: d.endsAt, timeZone: null }),
    d.places !== null && d.places !== undefined ? ` (${d.places} places)` : "",
  ]);
  return h(
    "div",
    { class: "visits" },
    dates.length ? [h("p", {}, "On these dates:"), list(dates)] : null,
    offer.onRequest ? h("p", {}, dates.length ? "Or on another date, on request." : "On request.") : null,
    offer.howToAsk ? h("p", {}, h("span", { class: "why" }, "How to ask: "), offer.howToAsk) : null,
    offer.url ? h("p", {}, h("a", { href: offer.url, rel: "noopener" }, "Ask for a visit")) : null,
  );
}

/** The "Coming up" and "Go and see" sections for a topic or an organisation. */
export async function comingUp(filter) {
  const data = await gql("ExplorerComingUp", { topic: filter.topic ?? null, organisation: filter.organisation ?? null });
  const all = href("whats-on", null, filter);
  const events = data.events;
  const visits = data.visits.nodes;
  return [
    section(
      "Coming up",
      events.nodes.length
        ? [
            eventCards(events.nodes, "", "coming-up"),
            h("p", {}, h("a", { href: all }, `All ${events.totalCount} events and training on What's on`)),
          ]
        : [],
      "No events or training coming up.",
    ),
    section(
      "Go and see",
      visits.length
        ? [
            h("p", { class: "meta" }, "Teams that welcome visitors to see their work."),
            h(
              "ul",
              { class: "cards", id: "go-and-see" },
              visits.map((p) =>
                h(
                  "li",
                  { class: "card" },
                  h("h3", {}, link("project", p.id, p.title)),
                  h("p", { class: "meta" }, organisationLinks(p.organisations.map((o) => o.organisation))),
                  visitOffer(p.visits),
                ),
              ),
            ),
          ]
        : [],
      "No team offers visits on this yet.",
    ),
  ];
}
