/*
 * Convener widgets for partner websites: live answers from the hub, as accessible cards.
 *
 *   <script src="https://hub.example/embed/convener.js" defer></script>
 *   <convener-related topic="falls prevention" system="north-vale-ics"></convener-related>
 *   <convener-who-else topic="falls prevention"></convener-who-else>
 *   <convener-events topic="falls prevention" organisation="ods:ZNV01"></convener-events>
 *
 * Attributes: topic (required but for events), system, organisation (events only), first (how
 * many, default 6), heading, hub (the hub's address; by default where this script came from). Each runs one persisted query by id, so it
 * works on hubs that allow anonymous callers nothing else. Theme with CSS custom properties on
 * the element or any ancestor: --convener-font, --convener-text, --convener-muted,
 * --convener-background, --convener-card, --convener-border, --convener-accent,
 * --convener-focus, --convener-radius, --convener-gap. Whatever the element contains is shown
 * when the hub cannot be reached (and before this script loads).
 * No dependencies; no cookies; nothing but the hub's public API.
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript;
  var DEFAULT_HUB = SCRIPT && SCRIPT.src ? new URL(SCRIPT.src).origin : window.location.origin;

  var STYLE = [
    ":host { display: block; font-family: var(--convener-font, system-ui, sans-serif);",
    "  color: var(--convener-text, #1b1b1b); background: var(--convener-background, transparent); }",
    "h2 { font-size: 1.25em; margin: 0 0 .75em; }",
    "ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--convener-gap, .75em);",
    "  grid-template-columns: repeat(auto-fill, minmax(16em, 1fr)); }",
    "li { background: var(--convener-card, #ffffff); border: 1px solid var(--convener-border, #768692);",
    "  border-radius: var(--convener-radius, .5em); padding: .75em 1em; }",
    "h3 { font-size: 1em; margin: 0 0 .25em; }",
    "a { color: var(--convener-accent, #005eb8); text-decoration: underline; }",
    "a:hover { text-decoration-thickness: 2px; }",
    "a:focus-visible { outline: 3px solid var(--convener-focus, #ffb81c); outline-offset: 2px;",
    "  background: var(--convener-focus, #ffb81c); color: #1b1b1b; }",
    "p { margin: .25em 0; }",
    ".meta, .status, .credit { color: var(--convener-muted, #4c6272); font-size: .9em; }",
    ".kind { text-transform: capitalize; }",
    ".credit { margin-top: .75em; }",
  ].join("\n");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /** A link only to http(s) addresses: partners' data never becomes a script URL. */
  function safeHref(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function words(value) {
    return value ? String(value).toLowerCase().replace(/_/g, " ") : "";
  }

  var counter = 0;

  class ConvenerWidget extends HTMLElement {
    static get observedAttributes() {
      return ["topic", "system", "organisation", "first", "hub", "heading"];
    }

    constructor() {
      super();
      this.root = this.attachShadow({ mode: "open" });
      this.headingId = "convener-heading-" + ++counter;
      this.request = 0;
    }

    connectedCallback() {
      this.load();
    }

    attributeChangedCallback() {
      if (this.isConnected) this.load();
    }

    get hub() {
      return (this.getAttribute("hub") || DEFAULT_HUB).replace(/\/+$/, "");
    }

    page(kind, id) {
      return this.hub + "/#/" + kind + "/" + encodeURIComponent(id);
    }

    show(children, busy) {
      var style = el("style", {}, [STYLE]);
      var section = el("section", { "aria-labelledby": this.headingId, "aria-busy": busy ? "true" : "false" }, children);
      this.root.replaceChildren(style, section);
    }

    title(text) {
      return el("h2", { id: this.headingId }, [this.getAttribute("heading") || text]);
    }

    get needsTopic() {
      return true;
    }

    variables(topic, first) {
      return { topic: topic, system: this.getAttribute("system") || null, first: first };
    }

    load() {
      var topic = (this.getAttribute("topic") || "").trim();
      if (!topic && this.needsTopic) {
        this.fallback("Give this widget a topic.");
        return;
      }
      var first = parseInt(this.getAttribute("first") || "6", 10);
      var variables = this.variables(topic, first > 0 ? Math.min(first, 20) : 6);
      var url = this.hub + "/graphql?id=" + encodeURIComponent(this.operation) + "&variables=" + encodeURIComponent(JSON.stringify(variables));
      var ticket = ++this.request;
      var self = this;
      this.show([this.title(this.headingFor(topic)), el("p", { class: "status", role: "status" }, ["Loading from Convener…"])], true);
      fetch(url, { headers: { accept: "application/json" }, credentials: "omit", mode: "cors" })
        .then(function (response) {
          if (!response.ok) throw new Error("the hub answered " + response.status);
          return response.json();
        })
        .then(function (body) {
          if (ticket !== self.request) return;
          if (!body.data || (body.errors && body.errors.length)) throw new Error("the hub could not answer");
          self.render(body.data, topic);
        })
        .catch(function () {
          if (ticket === self.request) self.fallback();
        });
    }

    fallback(reason) {
      var slot = el("slot", {}, [
        el("p", { class: "status", role: "status" }, [
          reason || "Live answers from Convener are not available just now. ",
          el("a", { href: this.hub }, ["Visit Convener"]),
        ]),
      ]);
      this.show([this.title(this.headingFor(this.getAttribute("topic") || "")), slot], false);
    }

    cards(items, empty) {
      if (!items.length) return el("p", { class: "status" }, [empty]);
      return el("ul", { role: "list" }, items.map(function (card) {
        return el("li", {}, [el("article", {}, card)]);
      }));
    }

    credit() {
      return el("p", { class: "credit" }, ["From ", el("a", { href: this.hub }, ["Convener"]), ", across partner organisations."]);
    }
  }

  class ConvenerRelated extends ConvenerWidget {
    get operation() {
      return "ConvenerRelated";
    }

    headingFor(topic) {
      return "Related work on " + topic;
    }

    render(data, topic) {
      var self = this;
      var label = data.topic ? data.topic.label : topic;
      var projects = data.projects.nodes.map(function (p) {
        var org = p.leadOrganisation ? p.leadOrganisation.name : null;
        return [
          el("h3", {}, [el("a", { href: safeHref(p.url) || self.page("project", p.id) }, [p.title])]),
          el("p", { class: "meta" }, ["Project", org ? " · " + org : "", p.status ? " · " + words(p.status) : ""]),
          p.summary ? el("p", {}, [p.summary]) : null,
        ];
      });
      var resources = data.resources.nodes.map(function (r) {
        var org = r.publisher ? r.publisher.name : null;
        return [
          el("h3", {}, [el("a", { href: safeHref(r.url) || self.page("resource", r.id) }, [r.title])]),
          el("p", { class: "meta" }, [el("span", { class: "kind" }, [words(r.resourceType) || "resource"]), org ? " · " + org : ""]),
        ];
      });
      this.show([
        this.title(this.headingFor(label)),
        this.cards(projects.concat(resources), "Nothing on this topic yet."),
        this.credit(),
      ], false);
    }
  }

  class ConvenerWhoElse extends ConvenerWidget {
    get operation() {
      return "ConvenerWhoElse";
    }

    headingFor(topic) {
      return "Who else is working on " + topic;
    }

    render(data, topic) {
      var self = this;
      var label = data.topic ? data.topic.label : topic;
      var people = data.whoElse.map(function (m) {
        var orgs = m.organisations.map(function (o) { return o.name; }).join(", ");
        var work = m.projects.slice(0, 3);
        return [
          el("h3", {}, [el("a", { href: self.page("person", m.person.id) }, [m.person.name])]),
          el("p", { class: "meta" }, [m.person.role || "", m.person.role && orgs ? " · " : "", orgs]),
          work.length ? el("p", {}, ["Works on: "].concat(work.map(function (p, i) {
            return el("span", {}, [i ? "; " : "", el("a", { href: self.page("project", p.id) }, [p.title])]);
          }))) : null,
        ];
      });
      this.show([
        this.title(this.headingFor(label)),
        this.cards(people, "No one listed is working on this yet."),
        this.credit(),
      ], false);
    }
  }

  /** "Tuesday 8 December, 12:30 GMT" in the zone where the event happens. */
  function when(event) {
    var options = { weekday: "long", day: "numeric", month: "long", timeZone: event.timeZone || undefined };
    if (!event.allDay) {
      options.hour = "2-digit";
      options.minute = "2-digit";
      options.timeZoneName = "short";
    }
    try {
      return new Intl.DateTimeFormat("en-GB", options).format(new Date(event.startsAt));
    } catch (error) {
      return String(event.startsAt).slice(0, 10);
    }
  }

  class ConvenerEvents extends ConvenerWidget {
    get operation() {
      return "ConvenerEvents";
    }

    get needsTopic() {
      return false;
    }

    variables(topic, first) {
      return {
        topic: topic || null,
        system: this.getAttribute("system") || null,
        organisation: this.getAttribute("organisation") || null,
        first: first,
      };
    }

    headingFor(topic) {
      return topic ? "What's on: " + topic : "What's on";
    }

    feed(topic) {
      var params = new URLSearchParams();
      if (topic) params.set("topic", topic);
      ["system", "organisation"].forEach(function (name) {
        var value = this.getAttribute(name);
        if (value) params.set(name, value);
      }, this);
      var query = params.toString();
      return this.hub + "/calendar.ics" + (query ? "?" + query : "");
    }

    render(data, topic) {
      var self = this;
      var events = data.events.nodes.map(function (e) {
        var where = e.venue || (e.online ? "Online" : "");
        var org = e.publisher ? e.publisher.name : "";
        return [
          el("p", { class: "meta" }, [when(e)]),
          el("h3", {}, [el("a", { href: safeHref(e.bookingUrl) || self.page("resource", e.id) }, [e.title])]),
          el("p", { class: "meta" }, [
            el("span", { class: "kind" }, [words(e.resourceType) || "event"]),
            where ? " · " + where : "",
            org ? " · " + org : "",
          ]),
        ];
      });
      this.show([
        this.title(this.headingFor(topic)),
        this.cards(events, "Nothing is on just now."),
        el("p", { class: "credit" }, [
          el("a", { href: this.feed(topic) }, ["Subscribe to these in your calendar"]),
          " · From ",
          el("a", { href: this.hub }, ["Convener"]),
          ".",
        ]),
      ], false);
    }
  }

  if (!customElements.get("convener-related")) customElements.define("convener-related", ConvenerRelated);
  if (!customElements.get("convener-who-else")) customElements.define("convener-who-else", ConvenerWhoElse);
  if (!customElements.get("convener-events")) customElements.define("convener-events", ConvenerEvents);
})();
