// "Sign in with an API key": a small form in the header. The key stays in this tab's
// sessionStorage and goes to the hub as `Authorization: Bearer <key>`; it is never shown back.

import { ApiError, REFUSED, SIGNIN_EVENT, announce, gql, setApiKey, signedIn } from "./api.js";
import { h } from "./dom.js";

/** Draws the sign-in form (or "Signed in" and Sign out) into `place`, and keeps it current. */
export function mountSignIn(place) {
  const message = h("p", { class: "signin-message", id: "signin-message", role: "status" });
  const draw = (said = "") => {
    const hadFocus = place.contains(document.activeElement);
    message.textContent = said;
    const form = signedIn() ? signedInForm() : signInForm(message);
    place.replaceChildren(form, message);
    if (hadFocus) form.querySelector("input, button").focus(); // keep the keyboard's place
  };
  window.addEventListener(SIGNIN_EVENT, (event) => {
    draw(event.detail.reason === "refused" ? REFUSED : event.detail.signedIn ? "Signed in." : "Signed out.");
  });
  draw();
}

function signInForm(message) {
  const submit = async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const key = form.elements.key.value.trim();
    if (!key) {
      message.textContent = "Paste your API key first.";
      form.elements.key.focus();
      return;
    }
    form.elements.key.value = "";
    form.querySelector("button").disabled = true;
    setApiKey(key, { quiet: true });
    try {
      await gql("ExplorerSignIn"); // a refused key is forgotten again (see api.js), which says so
      announce();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (signedIn()) {
        // not a refusal (the hub is unreachable, say): keep the key, say what happened
        announce();
        message.textContent = error.message;
      }
    } finally {
      form.querySelector("button").disabled = false;
    }
  };
  return h(
    "form",
    { class: "signin", "aria-label": "Sign in", onsubmit: submit },
    h("label", { for: "signin-key" }, "API key"),
    h("input", {
      id: "signin-key",
      name: "key",
      type: "password",
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": "signin-message",
    }),
    h("button", { type: "submit" }, "Sign in"),
  );
}

function signedInForm() {
  return h(
    "form",
    { class: "signin", "aria-label": "Account", onsubmit: (event) => (event.preventDefault(), setApiKey(null)) },
    h("span", { class: "who" }, "Signed in"),
    h("button", { type: "submit", class: "secondary" }, "Sign out"),
  );
}
