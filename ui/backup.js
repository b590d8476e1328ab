// Backup pieces shared by Settings and the recovery screen: the list of backups in the backup
// folder and the restore form (a backup, its passphrase, the explicit confirmation that the
// current local data is replaced; the current file is set aside, never deleted).
import { clear, el, field, formatDateTime } from "./dom.js";
import { t } from "./i18n.js";

// Long paths wrap instead of widening a phone-sized window.
export const WRAP = { overflowWrap: "anywhere", wordBreak: "break-word" };

export function formatSize(bytes, lang) {
  const kb = Number(bytes) / 1024;
  const [value, unit] = kb >= 1024 ? [kb / 1024, "megabyte"] : [kb, "kilobyte"];
  return new Intl.NumberFormat(lang === "en" ? "en-CA" : "fr-CA", {
    style: "unit", unit, maximumFractionDigits: 1,
  }).format(value);
}

function showError(box, error) {
  box.textContent = error.message || t("error.unknown");
  box.dataset.code = error.code || "Unexpected";
  box.hidden = false;
}

// The backups in the folder, newest first; choosing one puts its path in `pathInput`.
export function backupList(listing, lang, pathInput) {
  const list = el("ul", { id: "backup-list", class: "plain-list" });
  if (!listing.backups.length) {
    list.append(el("li", { class: "muted", id: "backup-none", i18n: "backup.none" }));
  }
  for (const backup of listing.backups) {
    const choose = el("button", { type: "button", class: "small secondary", "data-path": backup.path, i18n: "backup.choose" });
    choose.addEventListener("click", () => { pathInput.value = backup.path; pathInput.focus(); });
    list.append(el("li", { class: "backup-item", "data-name": backup.name },
      el("strong", { style: WRAP, text: formatDateTime(backup.modified, lang) }), " · ",
      el("span", { class: "backup-size", text: formatSize(backup.size, lang) }), " ",
      choose,
      el("div", { class: "muted", style: WRAP, text: backup.name })));
  }
  return list;
}

// The restore form. `onRestored(result)` gets {setAside} once the data is back.
export function restoreForm(ctx, listing, onRestored) {
  const box = el("p", { class: "error form-error", role: "alert", id: "restore-error", hidden: true });
  const pathField = field({ id: "restore-path", label: t("backup.restore.path"), attrs: { autocomplete: "off", spellcheck: "false" } });
  const pathInput = pathField.querySelector("input");
  if (listing.backups.length) pathInput.value = listing.backups[0].path;
  const form = el("form", { id: "restore-form", novalidate: true },
    backupList(listing, ctx.lang(), pathInput),
    pathField,
    field({ id: "restore-passphrase", label: t("backup.passphrase"), type: "password", attrs: { autocomplete: "off" } }),
    el("p", { class: "notice", i18n: "backup.restore.replaces" }),
    el("div", { class: "field inline" }, el("label", { for: "restore-confirm" },
      el("input", { type: "checkbox", id: "restore-confirm" }), " ", t("backup.restore.confirm"))),
    box,
    el("button", { id: "restore-submit", type: "submit", i18n: "backup.restore.submit" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.hidden = true;
    if (!form.querySelector("#restore-confirm").checked) {
      showError(box, { code: "ConfirmFirst", message: t("backup.restore.confirmFirst") });
      return;
    }
    const button = form.querySelector("#restore-submit");
    button.disabled = true;
    try {
      const result = await ctx.api.restoreBackup(pathInput.value, form.querySelector("#restore-passphrase").value);
      form.reset();
      onRestored(result);
    } catch (error) {
      showError(box, error);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

// What the user reads once the data is back (or was set aside), with the way on.
// The TIP-I password note only follows a restore (a fresh start enrols again).
export function doneNotice(result, messageKey, { afterRestore = true } = {}) {
  const notice = el("div", { id: "restore-done", class: "notice", role: "status" },
    el("p", { i18n: messageKey }));
  if (result.setAside) {
    notice.append(el("p", {}, t("backup.setAside"), " ", el("code", { id: "set-aside-path", style: WRAP, text: result.setAside })));
  }
  if (afterRestore) notice.append(el("p", { i18n: "backup.afterRestore.password" }));
  notice.append(continueButton());
  return notice;
}

// Opens the app again from its start, on the data now in place.
function continueButton() {
  const button = el("button", { type: "button", id: "restore-continue", i18n: "backup.continue" });
  button.addEventListener("click", () => {
    history.replaceState(null, "", "#/home");
    location.reload();
  });
  return button;
}

// Settings → Backup: write a backup (passphrase typed twice) to the folder shown, list the
// backups there, restore one.
export async function backupSection(ctx) {
  const section = el("section", { class: "card", id: "backup-section" }, el("h2", { i18n: "backup.title" }));
  let listing;
  try {
    listing = await ctx.api.backups();
  } catch (error) {
    const box = el("p", { class: "error form-error", role: "alert" });
    showError(box, error);
    section.append(box);
    return section;
  }
  const box = el("p", { class: "error form-error", role: "alert", id: "backup-error", hidden: true });
  const result = el("p", { id: "backup-result", role: "status", style: WRAP });
  const form = el("form", { id: "backup-form", novalidate: true },
    field({ id: "backup-passphrase", label: t("backup.passphrase"), type: "password", attrs: { autocomplete: "new-password" } }),
    field({ id: "backup-confirm", label: t("backup.confirm"), type: "password", attrs: { autocomplete: "new-password" } }),
    el("p", { class: "muted", id: "backup-rule", text: t("backup.rule").replace("{n}", listing.minChars) }),
    box,
    el("button", { id: "backup-create", type: "submit", i18n: "backup.create" }));
  const restoreBox = el("div", { id: "restore-area" });
  const fillRestore = (fresh) => {
    clear(restoreBox).append(restoreForm(ctx, fresh, (restored) => {
      clear(restoreBox).append(doneNotice(restored, "backup.restored"));
    }));
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.hidden = true;
    result.textContent = "";
    const button = form.querySelector("#backup-create");
    button.disabled = true;
    try {
      const written = await ctx.api.createBackup(form.querySelector("#backup-passphrase").value, form.querySelector("#backup-confirm").value);
      form.reset();
      result.dataset.path = written.path;
      result.textContent = `${t("backup.written")} ${written.path} (${formatSize(written.size, ctx.lang())})`;
      fillRestore(await ctx.api.backups());
    } catch (error) {
      showError(box, error);
    } finally {
      button.disabled = false;
    }
  });
  fillRestore(listing);
  section.append(
    el("p", { class: "muted", i18n: "backup.help" }),
    el("p", {}, t("backup.folder"), " ", el("code", { id: "backup-folder", style: WRAP, text: listing.folder })),
    form, result,
    el("h3", { i18n: "backup.restore.title" }),
    restoreBox);
  return section;
}
