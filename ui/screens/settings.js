// Settings & help: language, environment, password change, notifications, defaults for the
// claim form, RAMQ support contacts (from RAMQ's instructions to agencies), about.
import { clear, el, field } from "../dom.js";
import { loadLanguage, t } from "../i18n.js";
import { routeParams } from "../main.js";
import { backupSection } from "../backup.js";

const REMINDER_KINDS = ["password", "cutoff", "cycle", "returns", "production", "late", "statement", "maintenance"];

export async function render(root, ctx) {
  const s = await ctx.api.settings();
  const saved = el("p", { class: "muted", id: "settings-saved", "aria-live": "polite" });
  const save = async (key, value) => {
    try { await ctx.api.setSetting(key, String(value)); saved.textContent = t("settings.saved"); } catch (error) { ctx.showError(error); }
  };

  const language = el("select", { id: "language" },
    el("option", { value: "fr", text: "Français", selected: s.language === "fr" }),
    el("option", { value: "en", text: "English", selected: s.language === "en" }));
  language.addEventListener("change", async () => { await ctx.api.setLanguage(language.value); await loadLanguage(language.value); location.reload(); });

  const defaults = el("form", { id: "defaults-form", novalidate: true },
    field({ id: "default-professional", label: t("claim.professional"), value: s.professional || "" }),
    field({ id: "default-place", label: t("claim.place"), value: s.place || "" }),
    el("button", { type: "submit", class: "secondary", i18n: "settings.save" }));
  defaults.addEventListener("submit", async (event) => {
    event.preventDefault();
    await save("professional", defaults.querySelector("#default-professional").value.trim());
    await save("place", defaults.querySelector("#default-place").value.trim());
  });

  const reminders = el("fieldset", { id: "reminder-settings" }, el("legend", { i18n: "settings.notifications" }),
    ...REMINDER_KINDS.map((kind) => {
      const box = el("input", { type: "checkbox", id: `notify-${kind}`, checked: s.notifications?.[kind] !== false });
      box.addEventListener("change", () => save(`notify.${kind}`, box.checked));
      return el("div", { class: "field inline" }, el("label", { for: `notify-${kind}` }, box, " ", t(`reminder.${kind}`)));
    }));

  // Production is an explicit, confirmed choice that takes effect at the next start.
  const envBox = el("p", { class: "error form-error", role: "alert", hidden: true });
  const envForm = el("form", { id: "environment-form", novalidate: true },
    el("div", { class: "field" }, el("label", { for: "environment-choice", i18n: "settings.environment.choose" }),
      el("select", { id: "environment-choice" },
        el("option", { value: "sandbox", text: t("env.sandbox"), selected: s.environment === "sandbox" }),
        el("option", { value: "production", text: t("env.production"), selected: s.environment === "production" }))),
    field({ id: "production-url", label: t("settings.productionUrl"), attrs: { placeholder: "https://", autocomplete: "off" } }),
    el("div", { class: "field inline" }, el("label", { for: "environment-confirm" },
      el("input", { type: "checkbox", id: "environment-confirm" }), " ", t("settings.environment.confirm"))),
    envBox,
    el("button", { id: "environment-save", type: "submit", class: "secondary", i18n: "settings.environment.save" }));
  envForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    envBox.hidden = true;
    if (!envForm.querySelector("#environment-confirm").checked) {
      envBox.textContent = t("settings.environment.confirmFirst"); envBox.hidden = false; return;
    }
    try {
      await ctx.api.setEnvironment(envForm.querySelector("#environment-choice").value, envForm.querySelector("#production-url").value);
      saved.textContent = t("settings.environment.restart");
    } catch (error) { envBox.textContent = error.message; envBox.dataset.code = error.code; envBox.hidden = false; }
  });

  const desktopBox = el("fieldset", { id: "desktop-settings" }, el("legend", { i18n: "settings.desktop" }),
    toggle("keep-running", t("settings.keepRunning"), s.keepRunning, (on) => save("tray.keep_running", on)),
    toggle("autostart", t("settings.autostart"), s.autostart, async (on) => {
      try { await ctx.api.setAutostart(on); saved.textContent = t("settings.saved"); } catch (error) { ctx.showError(error); }
    }));

  const pwBox = el("p", { class: "error form-error", role: "alert", hidden: true });
  const rules = el("ul", { class: "rules", id: "change-rules" });
  const pw = el("form", { id: "change-password-form", novalidate: true },
    field({ id: "change-new", label: t("password.new"), type: "password", attrs: { maxlength: "8", autocomplete: "new-password" } }),
    field({ id: "change-confirm", label: t("password.confirm"), type: "password", attrs: { maxlength: "8", autocomplete: "new-password" } }),
    rules, pwBox,
    el("button", { id: "change-password", type: "submit", i18n: "password.submit" }));
  const values = () => [pw.querySelector("#change-new").value, pw.querySelector("#change-confirm").value];
  pw.addEventListener("input", async () => {
    const list = await ctx.api.passwordRules(...values());
    clear(rules).append(...list.map((r) => el("li", { class: r.ok ? "ok" : "todo", text: `${r.ok ? "✓" : "•"} ${r.text}` })));
  });
  pw.addEventListener("submit", async (event) => {
    event.preventDefault();
    pwBox.hidden = true;
    try { await ctx.api.changePassword(...values()); pw.reset(); clear(rules); saved.textContent = t("password.changed"); }
    catch (error) { pwBox.textContent = error.message; pwBox.dataset.code = error.code; pwBox.hidden = false; }
  });

  root.append(
    el("section", { class: "card" }, el("h2", { i18n: "settings.title" }),
      el("div", { class: "field" }, el("label", { for: "language", i18n: "settings.language" }), language),
      el("p", {}, t("settings.environment"), " ", el("strong", { id: "settings-environment", text: t(`env.${s.environment}`) })),
      el("p", { class: "muted", i18n: "settings.environment.help" }),
      envForm,
      saved),
    el("section", { class: "card", id: "password-section" }, el("h2", { i18n: "settings.password", tabindex: "-1" }), pw),
    el("section", { class: "card" }, el("h2", { i18n: "settings.defaults" }), defaults),
    el("section", { class: "card" }, reminders, desktopBox),
    await backupSection(ctx),
    el("section", { class: "card", id: "support" }, el("h2", { i18n: "settings.support" }),
      el("ul", { class: "plain-list" },
        el("li", { text: "Québec : 418 643-8210, option 2" }),
        el("li", { text: "Montréal : 514 873-3480, option 2" }),
        el("li", { text: `${t("support.elsewhere")} : 1 800 463-4776, option 2` }),
        el("li", { text: "sel.professionnels@ramq.gouv.qc.ca" }),
        el("li", { text: `${t("support.diskette")} : 418 682-5125` })),
      el("p", { class: "muted", i18n: "support.reactivate" })),
    el("section", { class: "card" }, el("h2", { i18n: "about.show" }),
      el("p", { text: `Tipi ${s.version} · ${t("about.developer")} ${s.developerNumber}` })));
  // Opened from a reminder (settings?section=password): go straight to that section.
  const section = routeParams().section && root.querySelector(`#${routeParams().section}-section`);
  if (section) { section.scrollIntoView(); section.querySelector("h2").focus(); }
}

function toggle(id, label, checked, onChange) {
  const box = el("input", { type: "checkbox", id, checked: !!checked });
  box.addEventListener("change", () => onChange(box.checked));
  return el("div", { class: "field inline" }, el("label", { for: id }, box, " ", label));
}
