// The explorer's entry point: reads the hash route and shows the page for it.

import { ApiError, SIGNIN_EVENT } from "./api.js";
import { h } from "./dom.js";
import { current } from "./routes.js";
import { mountSignIn } from "./signin.js";

const VIEWS = {
  search: () => import("./views/search.js"),
  project: () => import("./views/project.js"),
  person: () => import("./views/person.js"),
  organisation: () => import("./views/organisation.js"),
  topic: () => import("./views/topic.js"),
  resource: () => import("./views/resource.js"),
  system: () => import("./views/system.js"),
  systems: () => import("./views/system.js"),
  duplicates: () => import("./views/duplicates.js"),
  network: () => import("./views/network.js"),
  "whats-on": () => import("./views/whatson.js"),
  library: () => import("./views/library.js"),
  impact: () => import("./views/impact.js"),
  projects: () => import("./views/projects.js"),
  people: () => import("./views/people.js"),
  mentors: () => import("./views/pool.js"),
  share: () => import("./views/share.js"),
  "my-submissions": () => import("./views/mine.js"),
  moderate: () => import("./views/moderate.js"),
};

const main = document.getElementById("main");
let shown = 0; // which navigation is current, so a slow answer never replaces a newer page

async function show() {
  const route = current();
  const navigation = ++shown;
  markNavigation(route.page);
  main.setAttribute("aria-busy", "true");
  const page = h("div", { class: "page" }, h("p", { class: "loading" }, "Loading…"));
  main.replaceChildren(page);
  try {
    const load = VIEWS[route.page];
    if (!load) throw new ApiError(`There is no page called “${route.page}”.`);
    const view = await load();
    const content = await view.render(route);
    if (navigation !== shown) return;
    main.replaceChildren(content);
  } catch (error) {
    if (navigation !== shown) return;
    const message = error instanceof ApiError ? error.message : "Something went wrong showing this page.";
    if (!(error instanceof ApiError)) console.error(error);
    main.replaceChildren(
      h("div", { class: "page" }, h("h1", {}, "Sorry"), h("p", { class: "error", role: "alert" }, message)),
    );
  } finally {
    if (navigation === shown) {
      main.setAttribute("aria-busy", "false");
      const heading = main.querySelector("h1");
      document.title = heading ? `${heading.textContent} · Convener explorer` : "Convener explorer";
      if (heading) heading.tabIndex = -1;
      if (moved) (heading ?? main).focus();
    }
  }
}

let moved = false; // focus the new heading after a navigation, not on first load

function markNavigation(page) {
  const section = page === "system" ? "systems" : page === "my-submissions" || page === "moderate" ? "share" : page;
  for (const a of document.querySelectorAll("nav a[data-page]")) {
    if (a.dataset.page === section) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

document.getElementById("skip").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

window.addEventListener("hashchange", () => {
  moved = true;
  show();
});
// Signing in or out changes what the API answers: show the page again.
window.addEventListener(SIGNIN_EVENT, () => show());
mountSignIn(document.getElementById("signin"));
show();
