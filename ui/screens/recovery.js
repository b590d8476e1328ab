// The local data cannot be opened (its key is gone from the system keychain, or the file is
// unreadable). Nothing was deleted and no empty database took its place: the user restores a
// backup, or starts fresh with the unreadable file set aside (renamed, never deleted).
import { el } from "../dom.js";
import { t } from "../i18n.js";
import { WRAP, doneNotice, restoreForm } from "../backup.js";

export async function render(root, ctx) {
  const status = await ctx.api.recoveryStatus(ctx.lang());
  if (!status) { ctx.go("home"); return; }
  const listing = await ctx.api.backups();
  const card = el("section", { class: "card", id: "recovery", "data-reason": status.reason });
  const done = (result, key, options) => card.replaceChildren(el("h2", { i18n: "recovery.done.title" }), doneNotice(result, key, options));

  const freshBox = el("p", { class: "error form-error", role: "alert", id: "fresh-error", hidden: true });
  const fresh = el("form", { id: "fresh-form", novalidate: true },
    el("p", { i18n: "recovery.fresh.explain" }),
    el("div", { class: "field inline" }, el("label", { for: "fresh-confirm" },
      el("input", { type: "checkbox", id: "fresh-confirm" }), " ", t("recovery.fresh.confirm"))),
    freshBox,
    el("button", { id: "start-fresh", type: "submit", class: "secondary", i18n: "recovery.fresh.submit" }));
  fresh.addEventListener("submit", async (event) => {
    event.preventDefault();
    freshBox.hidden = true;
    if (!fresh.querySelector("#fresh-confirm").checked) {
      freshBox.textContent = t("backup.restore.confirmFirst"); freshBox.hidden = false; return;
    }
    try { done(await ctx.api.startFresh(), "recovery.fresh.done", { afterRestore: false }); }
    catch (error) { freshBox.textContent = error.message; freshBox.dataset.code = error.code; freshBox.hidden = false; }
  });

  card.append(
    el("h2", { i18n: "recovery.title" }),
    el("p", { id: "recovery-explain", i18n: `recovery.${status.reason}` }),
    el("p", {}, t("recovery.file"), " ", el("code", { id: "recovery-database", style: WRAP, text: status.database })),
    el("p", { i18n: "recovery.untouched" }),
    el("h3", { i18n: "recovery.restore.title" }),
    el("p", {}, t("backup.folder"), " ", el("code", { id: "backup-folder", style: WRAP, text: listing.folder })),
    restoreForm(ctx, listing, (result) => done(result, "backup.restored")),
    el("h3", { i18n: "recovery.fresh.title" }),
    fresh);
  root.append(card);
}
