// My submissions: everything I shared, where it is (waiting, approved, rejected and why), and
// editing or withdrawing it.

import { ApiError, gql, signedIn } from "../api.js";
import { h } from "../dom.js";
import { href, link } from "../routes.js";
import { page, signInHint } from "./common.js";
import { submissionCard } from "./submissions.js";

export async function render(route) {
  if (!signedIn()) {
    return page(h("h1", {}, "My submissions"), signInHint("mine-signin", "to see what you shared"));
  }
  const { mySubmissions } = await gql("ExplorerMySubmissions");
  const sent = route.params.get("sent");
  return page(
    h("h1", {}, "My submissions"),
    sent && mySubmissions.some((s) => s.id === sent)
      ? h("p", { class: "done", role: "status" }, "Thank you: your work was sent. A moderator will check it before it appears in search.")
      : null,
    h("p", {}, link("share", null, "Share more work"), "."),
    mySubmissions.length
      ? h("ul", { class: "cards", id: "my-submissions" }, mySubmissions.map((s) => submissionCard(s, actions(s))))
      : h("p", { class: "none" }, "You have not shared anything yet."),
  );
}

function actions(s) {
  if (s.status === "WITHDRAWN") return [];
  const edit = h("a", { class: "button secondary", href: href("share", s.id) }, "Edit");
  const withdraw = h("button", { type: "button", class: "secondary" }, "Withdraw");
  withdraw.addEventListener("click", async () => {
    const what = s.status === "APPROVED" ? "It will be taken out of search." : "Moderators will no longer see it.";
    if (!window.confirm(`Withdraw “${s.title}”? ${what}`)) return;
    withdraw.disabled = true;
    const said = withdraw.closest(".card").querySelector(".form-message");
    try {
      await gql("ExplorerWithdrawSubmission", { id: s.id });
      window.dispatchEvent(new HashChangeEvent("hashchange")); // show the list again
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      said.textContent = error.message;
      withdraw.disabled = false;
    }
  });
  return [edit, " ", withdraw];
}
