// Share your work: a project, case study or other resource, with its files. While it is typed,
// "Similar work already exists" shows the closest projects across every organisation and the
// people on them, so someone starting new work can talk to them before submitting. A bad field
// gets its own error beside it, in the hub's words.
//   #/share            a new submission
//   #/share/<id>       editing one's own submission (every field is sent again)

import { ApiError, gql, signedIn, upload } from "../api.js";
import { h, tag, words } from "../dom.js";
import { href, link } from "../routes.js";
import { PERSON_KINDS, organisationLinks, page, select, signInHint } from "./common.js";

export const KINDS = [
  ["PROJECT", "A project"],
  ["CASE_STUDY", "A case study"],
  ["TOOLKIT", "A toolkit"],
  ["SLIDESET", "A slide set"],
  ["GUIDE", "A guide"],
  ["VIDEO", "A video"],
];
const MODES = ["ITERATIVE_QI", "PATHWAY_TRANSFORMATION", "OPERATING_MODEL_CHANGE", "SPREAD_INNOVATION"];
const STATUSES = ["PROPOSED", "ACTIVE", "PAUSED", "COMPLETED", "STOPPED"];
const CASE_STUDY_PARTS = [
  ["problem", "The problem"],
  ["whatWasDone", "What was done"],
  ["results", "Results"],
  ["lessonsLearned", "Lessons learned"],
];
const NEW_ORGANISATION = "new";
const ACCEPTED = ".pdf,.docx,.pptx,.png,.jpg,.jpeg,.gif,.webp";
export const QUIET_MS = 350; // how long typing must pause before similar work is looked up

export async function render(route) {
  const heading = route.id ? "Edit your submission" : "Share your work";
  if (!signedIn()) {
    return page(
      h("h1", {}, heading),
      h("p", { class: "lead" }, "Share a project, a case study, a toolkit, slides, a guide or a video with everyone in the region."),
      signInHint("share-signin", "to share your work"),
    );
  }
  const [{ organisations }, editing] = await Promise.all([
    gql("ExplorerOrganisationChoices"),
    route.id ? gql("ExplorerSubmission", { id: route.id }).then((data) => data.submission) : null,
  ]);
  if (route.id && !(editing && editing.mine)) {
    return page(h("h1", {}, heading), h("p", { class: "error", role: "alert" }, "This is not one of your submissions."));
  }
  const similar = h("aside", { class: "panel similar", id: "similar", "aria-labelledby": "similar-heading", "aria-live": "polite" });
  const form = shareForm(organisations.nodes, editing, similar);
  return page(
    h("h1", {}, heading),
    h(
      "p",
      { class: "lead" },
      "A moderator from your organisation's partner checks it before it appears in search. ",
      link("my-submissions", null, "My submissions"),
      " shows where yours are; partner admins and hub admins decide on shared work under ",
      link("moderate", null, "Moderation"),
      ".",
    ),
    h("div", { class: "share" }, form, similar),
  );
}

/** One labelled field with the place for its error; `name` is the SubmissionInput field. */
function field(name, label, control, hint = null) {
  control.id = `share-${name}`;
  control.name = name;
  const error = h("p", { class: "field-error", id: `error-${name}`, hidden: true });
  const described = [hint ? `hint-${name}` : null, `error-${name}`].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", described);
  return h(
    "div",
    { class: "field", "data-field": name },
    h("label", { for: control.id }, label),
    hint ? h("p", { class: "hint", id: `hint-${name}` }, hint) : null,
    control,
    error,
  );
}

function text(value, attrs = {}) {
  return h("input", { type: "text", value: value ?? "", autocomplete: "off", ...attrs });
}

function area(value, rows = 3) {
  const el = h("textarea", { rows });
  el.value = value ?? "";
  return el;
}

function checkbox(name, label, checked) {
  const box = h("input", { type: "checkbox", id: `share-${name}`, name, checked: Boolean(checked) });
  return h("div", { class: "field check" }, box, h("label", { for: box.id }, label));
}

/** Who to talk to about the work: often the submitter, declaring their own kind. */
function contributorFields(who) {
  return h(
    "fieldset",
    { class: "contributor", "data-field": "contributor", "aria-describedby": "hint-contributor error-contributor" },
    h("legend", {}, "Who to talk to about it"),
    h(
      "p",
      { class: "hint", id: "hint-contributor" },
      "Often you. Once approved, signed-in members see the name and role; everyone else only if they agree to be listed. Their involvement (staff, patient or carer, lived-experience partner, volunteer, student) is kept only if they agree to show it.",
    ),
    h(
      "div",
      { class: "row" },
      field("contributorName", "Their name", text(who.name, { maxlength: 200 })),
      field("contributorRole", "Their role", text(who.role, { maxlength: 200 })),
      field("contributorKind", "Involvement", choice([["", "(not said)"], ...PERSON_KINDS], who.kind)),
    ),
    checkbox("contributorShowKind", "They agree to show their involvement", who.showKind),
    checkbox("contributorListed", "They agree to be listed to everyone, not only members", who.listed),
    h("p", { class: "field-error", id: "error-contributor", hidden: true }),
  );
}

function choice(options, chosen) {
  return h(
    "select",
    {},
    options.map(([value, label]) => h("option", { value, selected: value === (chosen ?? "") }, label)),
  );
}

function shareForm(organisations, editing, similar) {
  const s = editing ?? {};
  const knownOrganisation = s.organisation?.id ?? (s.newOrganisationName ? NEW_ORGANISATION : "");
  const organisation = choice(
    [["", "(choose one)"], ...organisations.map((o) => [o.id, o.name]), [NEW_ORGANISATION, "Another organisation, not listed"]],
    knownOrganisation,
  );
  const newName = field("newOrganisationName", "Its name", text(s.newOrganisationName), "A hub admin confirms a new organisation.");
  newName.hidden = organisation.value !== NEW_ORGANISATION;
  organisation.addEventListener("change", () => (newName.hidden = organisation.value !== NEW_ORGANISATION));
  const kind = choice(KINDS, s.kind ?? "PROJECT");
  const caseStudy = h(
    "fieldset",
    { class: "case-study" },
    h("legend", {}, "The story (for case studies)"),
    CASE_STUDY_PARTS.map(([name, label]) => field(name, label, area(s[name], 3))),
  );
  const showParts = () => (caseStudy.hidden = kind.value === "PROJECT");
  kind.addEventListener("change", showParts);
  showParts();
  const files = h("input", { type: "file", multiple: true, accept: ACCEPTED });
  const kept = (s.attachments ?? []).map((a) =>
    h(
      "li",
      {},
      h("input", { type: "checkbox", id: `keep-${a.id}`, value: a.id, checked: true, class: "keep" }),
      h("label", { for: `keep-${a.id}` }, `Keep ${a.name}`),
    ),
  );
  const message = h("p", { class: "form-message", id: "share-message", role: "status" });
  const form = h(
    "form",
    { class: "share-form", "aria-label": "Share your work", novalidate: true },
    field("kind", "What are you sharing?", kind),
    field("title", "Title", text(s.title, { required: true, maxlength: 500 })),
    field("summary", "Summary", area(s.summary, 4), "What it is about, in a few sentences."),
    field("aim", "Aim", area(s.aim, 2)),
    field("organisation", "Organisation", organisation),
    newName,
    field("topics", "Topics", text(s.topics?.map((t) => t.label).join(", ")), "Separate them with commas, e.g. falls, frailty."),
    field("methods", "Improvement methods", text(s.methods?.join(", ")), "e.g. PDSA, co-design."),
    h(
      "div",
      { class: "row" },
      field("mode", "Mode of improvement", choice([["", "(not chosen)"], ...MODES.map((m) => [m, words(m)])], s.mode)),
      field("status", "Status of the work", choice([["", "(not chosen)"], ...STATUSES.map((m) => [m, words(m)])], s.projectStatus)),
      field("startDate", "Started", h("input", { type: "date", value: s.startDate ?? "" })),
      field("endDate", "Ended", h("input", { type: "date", value: s.endDate ?? "" })),
    ),
    field("url", "Web address", text(s.url, { inputmode: "url", placeholder: "https://…" })),
    caseStudy,
    contributorFields(s.contributor ?? {}),
    field("attachments", "Files", files, "PDF, Word, PowerPoint or images; up to 20 MB each."),
    kept.length ? h("ul", { class: "kept" }, kept) : null,
    h("p", { class: "actions" }, h("button", { type: "submit" }, editing ? "Save changes" : "Submit for moderation")),
    message,
  );
  const uploaded = new Map(); // File -> id: a second try after a bad field uploads nothing again
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form, editing, uploaded, message);
  });
  watchSimilar(form, similar);
  return form;
}

function list(value) {
  return value
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
}

function input(form) {
  const e = form.elements;
  const organisation = e.organisation.value;
  const value = (name) => e[name].value.trim() || null;
  return {
    kind: e.kind.value,
    title: e.title.value.trim(),
    summary: value("summary"),
    aim: value("aim"),
    organisation: organisation && organisation !== NEW_ORGANISATION ? organisation : null,
    newOrganisationName: organisation === NEW_ORGANISATION ? value("newOrganisationName") : null,
    topics: list(e.topics.value),
    methods: list(e.methods.value),
    mode: value("mode"),
    status: value("status"),
    startDate: value("startDate"),
    endDate: value("endDate"),
    url: value("url"),
    contributor: value("contributorName")
      ? {
          name: value("contributorName"),
          role: value("contributorRole"),
          kind: value("contributorKind"),
          showKind: e.contributorShowKind.checked,
          listed: e.contributorListed.checked,
        }
      : null,
    ...Object.fromEntries(CASE_STUDY_PARTS.map(([name]) => [name, e.kind.value === "PROJECT" ? null : value(name)])),
  };
}

/** Shows each error beside its field; returns the errors no field here could take. */
function showErrors(form, errors) {
  for (const place of form.querySelectorAll(".field-error")) {
    place.textContent = "";
    place.hidden = true;
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  const left = [];
  for (const { field: path, message } of errors) {
    const name = path.replace(/^input\./, "").replace(/\[.*$/, "").split(".")[0];
    const place = form.querySelector(`#error-${CSS.escape(name)}`);
    const wrapper = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (!place || !wrapper || wrapper.closest("[hidden]")) {
      left.push(`${path}: ${message}`);
      continue;
    }
    place.textContent = place.textContent ? `${place.textContent} ${message}` : message;
    place.hidden = false;
    form.elements[name]?.setAttribute("aria-invalid", "true");
  }
  const first = form.querySelector("[aria-invalid='true']");
  if (first) first.focus();
  return left;
}

async function send(form, editing, uploaded, message) {
  const button = form.querySelector("button[type=submit]");
  const problems = [];
  if (!form.elements.title.value.trim()) problems.push({ field: "input.title", message: "Give your work a title." });
  if (!form.elements.organisation.value) {
    problems.push({ field: "input.organisation", message: "Choose your organisation, or “Another organisation, not listed”." });
  }
  if (problems.length) {
    showErrors(form, problems);
    message.textContent = "Please correct the fields marked below.";
    return;
  }
  button.disabled = true;
  message.textContent = "Sending…";
  try {
    const ids = [...form.querySelectorAll("input.keep:checked")].map((box) => box.value);
    const files = [...form.elements.attachments.files];
    for (const [number, file] of files.entries()) {
      if (!uploaded.has(file)) {
        message.textContent = `Uploading ${file.name}…`;
        try {
          uploaded.set(file, (await upload(file)).id);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          showErrors(form, [{ field: `input.attachments[${number}]`, message: `${file.name}: ${error.message}` }]);
          message.textContent = "A file could not be uploaded; nothing was submitted.";
          return;
        }
      }
      ids.push(uploaded.get(file));
    }
    const variables = { input: { ...input(form), attachments: ids } };
    const done = editing
      ? (await gql("ExplorerEditSubmission", { id: editing.id, ...variables })).editSubmission
      : (await gql("ExplorerSubmit", variables)).submitContribution;
    showErrors(form, []);
    location.hash = href("my-submissions", null, { sent: done.id });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const fields = error.errors.flatMap((e) => e.extensions?.fields ?? []);
    const left = showErrors(form, fields);
    message.textContent = fields.length
      ? ["Please correct the fields marked below; nothing was stored.", ...left].join(" ")
      : error.message;
  } finally {
    button.disabled = false;
  }
}

/** Looks up similar work whenever typing pauses; an older answer never replaces a newer one. */
function watchSimilar(form, panel) {
  let timer = null;
  let asked = 0;
  let last = "";
  const look = async () => {
    const all = input(form);
    const draft = {
      title: all.title,
      summary: all.summary,
      aim: all.aim,
      organisation: all.organisation,
      topics: all.topics,
      methods: all.methods,
      startDate: all.startDate,
      endDate: all.endDate,
    };
    const key = JSON.stringify(draft);
    if (key === last) return;
    last = key;
    const mine = ++asked;
    if (draft.title.length < 3 && !draft.summary && !draft.aim) {
      panel.replaceChildren();
      panel.hidden = true;
      return;
    }
    try {
      const { similarTo } = await gql("ExplorerSimilarTo", { draft });
      if (mine === asked) showSimilar(panel, similarTo);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (mine === asked) {
        panel.hidden = false;
        panel.replaceChildren(h("h2", { id: "similar-heading" }, "Similar work"), h("p", { class: "none" }, error.message));
      }
    }
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(look, QUIET_MS);
  };
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  panel.hidden = true;
  if (form.elements.title.value) soon();
}

function showSimilar(panel, found) {
  panel.hidden = false;
  if (!found.length) {
    panel.replaceChildren(
      h("h2", { id: "similar-heading" }, "Similar work"),
      h("p", { class: "none" }, "Nothing like it is listed yet across the region."),
    );
    return;
  }
  panel.replaceChildren(
    h("h2", { id: "similar-heading" }, "Similar work already exists"),
    h("p", {}, "Before you start, talk to the people doing this work: they may share what they learned, or work with you."),
    h(
      "ul",
      { class: "cards", id: "similar-work" },
      found.map((x) => {
        const p = x.project;
        const lead = p.organisations.map((o) => o.organisation);
        return h(
          "li",
          { class: "card", "data-project": p.id },
          h("h3", {}, link("project", p.id, p.title)),
          h("p", { class: "meta" }, organisationLinks(lead), p.status ? [" ", tag(words(p.status))] : null, " ", tag(`${Math.round(x.score * 100)}% alike`, "score")),
          x.reasons.length ? h("p", { class: "evidence" }, h("span", { class: "why" }, "Why: "), x.reasons.join("; "), ".") : null,
          p.people.length
            ? h(
                "p",
                { class: "talk-to" },
                h("span", { class: "why" }, "Talk to: "),
                p.people.map((m, i) => [i ? ", " : "", link("person", m.person.id, m.person.name), m.role ? ` (${m.role})` : ""]),
              )
            : null,
        );
      }),
    ),
  );
}
