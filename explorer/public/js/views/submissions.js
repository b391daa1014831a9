// What "My submissions" and the moderation page share: a submission as a card, with its status,
// the reason it was rejected, its files and what was decided when.

import { ApiError, download } from "../api.js";
import { facts, h, tag, words } from "../dom.js";
import { link } from "../routes.js";
import { KINDS } from "./share.js";

const STATUS_WORDS = {
  PENDING: "waiting for a moderator",
  APPROVED: "approved",
  REJECTED: "rejected",
  WITHDRAWN: "withdrawn",
};

export function kindWords(kind) {
  return (KINDS.find(([value]) => value === kind)?.[1] ?? words(kind)).toLowerCase();
}

export function statusTag(status) {
  return tag(STATUS_WORDS[status] ?? words(status), `status status-${status.toLowerCase()}`);
}

function when(stamp) {
  return stamp ? new Date(stamp).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "";
}

function size(bytes) {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1000))} kB`;
}

/** The files, each a button that downloads it with this tab's sign-in (pending files are private). */
function files(attachments, said) {
  if (!attachments.length) return null;
  return h(
    "ul",
    { class: "files" },
    attachments.map((a) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "link",
            onclick: () =>
              download(a.url, a.name).catch((error) => {
                if (!(error instanceof ApiError)) throw error;
                said.textContent = error.message;
              }),
          },
          `Download ${a.name}`,
        ),
        ` (${size(a.size)})`,
      ),
    ),
  );
}

const ACTION_WORDS = { SUBMITTED: "Submitted", EDITED: "Edited", APPROVED: "Approved", REJECTED: "Rejected", WITHDRAWN: "Withdrawn" };

/** A submission's card; `actions` are the buttons (and forms) its page offers. */
export function submissionCard(s, actions = []) {
  const said = h("p", { class: "form-message", role: "status" });
  const from = s.organisation
    ? link("organisation", s.organisation.id, s.organisation.name)
    : s.newOrganisationName
      ? [s.newOrganisationName, " ", tag("new organisation", "new")]
      : null;
  return h(
    "li",
    { class: `card submission status-${s.status.toLowerCase()}`, "data-submission": s.id },
    h("h3", {}, s.graphId && s.status === "APPROVED" ? link(s.kind === "PROJECT" ? "project" : "resource", s.graphId, s.title) : s.title),
    h("p", { class: "meta" }, kindWords(s.kind), " ", statusTag(s.status), " · submitted ", when(s.submittedAt)),
    s.status === "REJECTED" && s.rejectionReason
      ? h("p", { class: "rejection" }, h("span", { class: "why" }, "Why it was rejected: "), s.rejectionReason)
      : null,
    s.summary ? h("p", {}, s.summary.length > 400 ? `${s.summary.slice(0, 397)}…` : s.summary) : null,
    facts([
      ["From", from],
      ["Topics", s.topics.length ? s.topics.map((t) => t.label).join(", ") : null],
      ["Methods", s.methods.length ? s.methods.join(", ") : null],
      ...[
        ["The problem", s.problem],
        ["What was done", s.whatWasDone],
        ["Results", s.results],
        ["Lessons learned", s.lessonsLearned],
      ],
    ]),
    files(s.attachments, said),
    s.decisions.length
      ? h(
          "details",
          { class: "history" },
          h("summary", {}, "History"),
          h(
            "ol",
            {},
            s.decisions.map((d) => h("li", {}, `${ACTION_WORDS[d.action] ?? words(d.action)} ${when(d.at)}`, d.reason ? `: ${d.reason}` : "")),
          ),
        )
      : null,
    actions.length ? h("div", { class: "actions" }, actions) : null,
    said,
  );
}
