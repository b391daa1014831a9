// Small helpers to build the page from data without ever parsing data as HTML.

/** An element: h("a", { href: "#/x", class: "y" }, "text", child, [more, children]). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

/** An SVG element, with the same calling convention as h(). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** A section with a heading; an empty list gives the `none` sentence instead. */
export function section(title, items, none, level = "h2") {
  const body = items.length ? items : [h("p", { class: "none" }, none)];
  return h("section", {}, h(level, {}, title), ...body);
}

/** A bulleted list of nodes (or strings). */
export function list(items, attrs = {}) {
  return h("ul", attrs, items.map((item) => h("li", {}, item)));
}

/** Words for an enum value: LOCAL_GOVERNMENT -> "local government". */
export function words(value) {
  return value ? value.toLowerCase().replaceAll("_", " ") : "";
}

/** A count with its noun: count(1, "person", "people") -> "1 person"; count(2, "project") -> "2 projects". */
export function count(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** A small label, e.g. a sector or a status. */
export function tag(text, kind = "") {
  return h("span", { class: `tag ${kind}`.trim() }, text);
}

/** A "dt/dd" pair list of facts; facts with no value are left out. */
export function facts(pairs) {
  const rows = pairs.filter(([, value]) => value !== null && value !== undefined && value !== "");
  return h("dl", { class: "facts" }, rows.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

/** A section listing items, each shown by `show`; no items gives the `none` sentence. */
export function listed(title, items, show, none) {
  return section(title, items.length ? [list(items.map(show))] : [], none);
}
