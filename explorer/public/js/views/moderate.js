// Moderation, for partner admins (their partner's submissions) and hub admins (all): approve,
// or reject with a reason the submitter will read.

import { ApiError, gql, signedIn } from "../api.js";
import { h } from "../dom.js";
import { page, signInHint } from "./common.js";
import { submissionCard } from "./submissions.js";

export async function render() {
  const heading = h("h1", {}, "Moderation");
  if (!signedIn()) {
    return page(heading, signInHint("moderate-signin", "as a partner admin or hub admin to moderate shared work"));
  }
  let waiting;
  try {
    waiting = (await gql("ExplorerModeration")).submissionsToModerate;
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== "FORBIDDEN") throw error;
    return page(heading, h("p", { class: "none", role: "alert" }, error.message));
  }
  const list = h("ul", { class: "cards", id: "to-moderate" });
  const none = h("p", { class: "none", id: "nothing-to-moderate" }, "Nothing is waiting for a decision.");
  const show = () => {
    list.hidden = !list.children.length;
    none.hidden = Boolean(list.children.length);
  };
  list.replaceChildren(...waiting.map((s) => submissionCard(s, decide(s, show))));
  show();
  return page(
    heading,
    h("p", { class: "lead" }, "Shared work waiting for a decision, oldest first. Approved work enters search at once; the submitter sees a rejection's reason."),
    list,
    none,
  );
}

function decide(s, show) {
  if (!s.mayModerate) return [h("p", { class: "none" }, "Only a hub admin may approve a new organisation's work.")];
  const approve = h("button", { type: "button" }, "Approve");
  const reasonId = `reason-${s.id}`;
  const reason = h("textarea", { id: reasonId, name: "reason", rows: 2, "aria-describedby": `error-${reasonId}` });
  const error = h("p", { class: "field-error", id: `error-${reasonId}`, hidden: true });
  const reject = h(
    "form",
    { class: "reject", "aria-label": `Reject ${s.title}` },
    h("label", { for: reasonId }, "Reason for rejecting"),
    reason,
    error,
    h("button", { type: "submit", class: "secondary" }, "Reject"),
  );
  const decided = async (card, run, done) => {
    const said = card.querySelector(".form-message");
    for (const button of card.querySelectorAll("button")) button.disabled = true;
    try {
      await run();
      card.replaceWith(h("li", { class: "card decided", role: "status", "data-submission": s.id }, `${done}: “${s.title}”.`));
      show();
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      said.textContent = failure.message;
      for (const button of card.querySelectorAll("button")) button.disabled = false;
    }
  };
  approve.addEventListener("click", () => decided(approve.closest(".card"), () => gql("ExplorerApproveSubmission", { id: s.id }), "Approved"));
  reject.addEventListener("submit", (event) => {
    event.preventDefault();
    const why = reason.value.trim();
    if (!why) {
      error.textContent = "Say why, so the submitter knows what to change.";
      error.hidden = false;
      reason.setAttribute("aria-invalid", "true");
      reason.focus();
      return;
    }
    error.hidden = true;
    reason.removeAttribute("aria-invalid");
    decided(reject.closest(".card"), () => gql("ExplorerRejectSubmission", { id: s.id, reason: why }), "Rejected");
  });
  return [approve, reject];
}
