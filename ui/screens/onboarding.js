// Enrolment to TIP-I, as the RAMQ describes it: the five steps for former BLAST agencies, or a
// sign-in with the identifier RAMQ handed over (a temporary password must be changed at once).
import { clear, el, field } from "../dom.js";
import { t } from "../i18n.js";

export async function render(root, ctx) {
  const card = el("section", { class: "card onboarding" });
  root.append(card);
  choose(card, ctx);
}

function step(card, titleKey, ...content) {
  clear(card).append(el("h2", { i18n: titleKey, tabindex: "-1" }), ...content);
  card.querySelector("h2").focus();
}

function formError() {
  return el("p", { class: "error form-error", role: "alert", hidden: true });
}

function fail(box, error) {
  box.textContent = error.message;
  box.dataset.code = error.code;
  box.hidden = false;
}

function choose(card, ctx) {
  step(card, "onboarding.title",
    el("p", { i18n: "onboarding.lede" }),
    el("div", { class: "choices" },
      el("button", { id: "start-blast", type: "button", i18n: "onboarding.blast", onclick: () => startBlast(card, ctx) }),
      el("button", { id: "start-signin", type: "button", class: "secondary", i18n: "onboarding.handed", onclick: () => signIn(card, ctx) })));
}

async function startBlast(card, ctx) {
  const box = formError();
  try {
    await ctx.api.enrolmentStart();
  } catch (error) {
    choose(card, ctx);
    card.append(box);
    fail(box, error);
    return;
  }
  step(card, "enrol.warning.title",
    el("p", { class: "notice", i18n: "enrol.warning.text" }),
    el("div", { class: "choices" },
      el("button", { id: "warning-continue", type: "button", i18n: "enrol.continue", onclick: () => answer(true) }),
      el("button", { id: "warning-quit", type: "button", class: "secondary", i18n: "enrol.quit", onclick: () => answer(false) })),
    box);
  async function answer(proceed) {
    try {
      await ctx.api.enrolmentWarning(proceed);
      if (proceed) policy(card, ctx); else ended(card, ctx);
    } catch (error) { fail(box, error); }
  }
}

function policy(card, ctx) {
  const box = formError();
  step(card, "enrol.policy.title",
    el("p", { i18n: "enrol.policy.text" }),
    el("div", { class: "choices" },
      el("button", { id: "policy-accept", type: "button", i18n: "enrol.accept", onclick: () => answer(true) }),
      el("button", { id: "policy-refuse", type: "button", class: "secondary", i18n: "enrol.refuse", onclick: () => answer(false) })),
    box);
  async function answer(accept) {
    try {
      await ctx.api.enrolmentPolicy(accept);
      if (accept) authenticate(card, ctx); else ended(card, ctx);
    } catch (error) { fail(box, error); }
  }
}

function ended(card, ctx) {
  step(card, "enrol.ended.title",
    el("p", { i18n: "enrol.ended.text" }),
    el("button", { id: "back-to-start", type: "button", i18n: "enrol.back", onclick: () => choose(card, ctx) }));
}

function authenticate(card, ctx) {
  const box = formError();
  const form = el("form", { id: "auth-form", novalidate: true },
    field({ id: "transmission", label: t("enrol.transmission"), attrs: { inputmode: "numeric", maxlength: "5", autocomplete: "off", placeholder: "12345" } }),
    field({ id: "blast-id", label: t("enrol.blastId"), attrs: { maxlength: "5", autocomplete: "off", placeholder: "U123d" } }),
    field({ id: "blast-password", label: t("enrol.blastPassword"), type: "password", attrs: { autocomplete: "off" } }),
    box,
    el("button", { id: "authenticate", type: "submit", i18n: "enrol.authenticate" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.hidden = true;
    try {
      const result = await ctx.api.enrolmentAuthenticate(
        form.querySelector("#transmission").value,
        form.querySelector("#blast-id").value,
        form.querySelector("#blast-password").value);
      choosePassword(card, ctx, result.tipiId, (password, confirmation) => ctx.api.enrolmentPassword(password, confirmation));
    } catch (error) { fail(box, error); }
  });
  step(card, "enrol.auth.title", el("p", { i18n: "enrol.auth.text" }), form);
}

// Step 4: the new TIP-I identifier, and the password typed twice with the rules shown live.
function choosePassword(card, ctx, tipiId, submit) {
  const box = formError();
  const rules = el("ul", { id: "password-rules", class: "rules" });
  const form = el("form", { id: "password-form", novalidate: true },
    field({ id: "new-password", label: t("password.new"), type: "password", attrs: { maxlength: "8", autocomplete: "new-password" } }),
    field({ id: "confirm-password", label: t("password.confirm"), type: "password", attrs: { maxlength: "8", autocomplete: "new-password" } }),
    rules, box,
    el("button", { id: "confirm-password-button", type: "submit", i18n: "password.submit" }));
  const values = () => [form.querySelector("#new-password").value, form.querySelector("#confirm-password").value];
  async function showRules() {
    const [password, confirmation] = values();
    try {
      const list = await ctx.api.passwordRules(password, confirmation);
      clear(rules).append(...list.map((rule) =>
        el("li", { class: rule.ok ? "ok" : "todo", "data-rule": rule.rule, text: `${rule.ok ? "✓" : "•"} ${rule.text}` })));
    } catch (error) { fail(box, error); }
  }
  form.addEventListener("input", showRules);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.hidden = true;
    try {
      await submit(...values());
      done(card, ctx, tipiId);
    } catch (error) { fail(box, error); }
  });
  step(card, "enrol.password.title",
    tipiId ? el("p", { class: "tipi-id" }, t("enrol.yourId"), " ", el("strong", { id: "tipi-id", text: tipiId })) : null,
    tipiId ? el("p", { class: "notice", i18n: "enrol.noteId" }) : el("p", { class: "notice", i18n: "password.mustChange" }),
    form);
  showRules();
}

function done(card, ctx, tipiId) {
  step(card, "enrol.done.title",
    el("p", { i18n: "enrol.done.text" }),
    tipiId ? el("p", {}, t("enrol.yourId"), " ", el("strong", { text: tipiId })) : null,
    el("button", { id: "go-home", type: "button", i18n: "enrol.toHome", onclick: () => ctx.enrolledNow() }));
}

function signIn(card, ctx) {
  const box = formError();
  const form = el("form", { id: "signin-form", novalidate: true },
    field({ id: "tipi-id-input", label: t("signin.tipiId"), attrs: { maxlength: "8", autocomplete: "username", placeholder: "AGP54321" } }),
    field({ id: "signin-password", label: t("signin.password"), type: "password", attrs: { maxlength: "8", autocomplete: "current-password" } }),
    box,
    el("button", { id: "signin", type: "submit", i18n: "signin.submit" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.hidden = true;
    try {
      const result = await ctx.api.signIn(form.querySelector("#tipi-id-input").value, form.querySelector("#signin-password").value);
      if (result.mustChangePassword) {
        choosePassword(card, ctx, null, (password, confirmation) => ctx.api.changePassword(password, confirmation));
      } else {
        ctx.enrolledNow();
      }
    } catch (error) { fail(box, error); }
  });
  step(card, "signin.title", el("p", { i18n: "signin.text" }), form,
    el("button", { type: "button", class: "plain", i18n: "enrol.back", onclick: () => choose(card, ctx) }));
}
