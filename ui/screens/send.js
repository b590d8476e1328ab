// Send: a dry run first (what would go, what is blocked and why), then the batch, or one RFP
// claim en direct. When TIP-I is closed the batch waits in the outbox and we say until when.
import { clear, el, formatDateTime, formatMoney } from "../dom.js";
import { t } from "../i18n.js";

export async function render(root, ctx) {
  const lang = ctx.lang();
  const dry = await ctx.api.dryRun();
  // Announced maintenance (cached with the calendar): the same windows Rust uses to say when a
  // waiting batch goes.
  const announced = (await ctx.api.calendar().catch(() => ({ maintenance: [] }))).maintenance;
  const result = el("div", { id: "send-result", "aria-live": "polite" });
  const progress = el("p", { id: "send-progress", class: "muted", "aria-live": "polite" });
  const box = el("p", { class: "error form-error", role: "alert", hidden: true });
  const unlisten = await window.__TAURI__.event.listen("transmit-progress", (event) => {
    progress.textContent = t(`progress.${event.payload.step}`);
  });
  window.addEventListener("hashchange", () => unlisten(), { once: true });

  const ready = el("section", { class: "card", id: "dry-run" },
    el("h2", { i18n: "send.title" }),
    el("p", { id: "dry-run-summary", text: t("send.summary").replace("{n}", dry.ready.length).replace("{total}", formatMoney(dry.total, lang)) }),
    dry.ready.length ? el("ul", { class: "plain-list", id: "ready-list" }, ...dry.ready.map((c) =>
      el("li", { "data-claim-id": String(c.id) }, `${c.externalId} · ${formatMoney(c.total, lang)}`))) : null,
    dry.blocked.length ? el("div", { id: "blocked" }, el("h3", { i18n: "send.blocked" }),
      el("ul", { class: "plain-list" }, ...dry.blocked.map((b) => el("li", { class: "bad", "data-claim-id": String(b.id) },
        `${b.externalId}: ${b.problems.map((p) => p.message).join(" ")}`)))) : null,
    dry.queued ? el("p", { id: "queued-note", class: "notice", text: t("send.queued").replace("{n}", dry.queued) }) : null,
    ...announced.map((m) => el("p", { class: "notice", "data-maintenance": m.start,
      text: t("calendar.maintenance.window").replace("{start}", formatDateTime(m.start, lang)).replace("{end}", formatDateTime(m.end, lang)) })),
    box, progress,
    el("div", { class: "choices" },
      el("button", { id: "send-batch", type: "button", i18n: "send.batch", disabled: dry.ready.length === 0 && !dry.queued, onclick: sendBatch })),
    result);

  const directSelect = el("select", { id: "direct-claim", "aria-label": t("send.direct.pick") },
    ...dry.ready.filter((c) => c.direct).map((c) => el("option", { value: String(c.id), text: `${c.externalId} · ${formatMoney(c.total, lang)}` })));
  const directResult = el("div", { id: "direct-result", "aria-live": "polite" });
  const direct = el("section", { class: "card", id: "direct" },
    el("h2", { i18n: "send.direct" }),
    el("p", { class: "muted", i18n: "send.direct.help" }),
    directSelect,
    el("button", { id: "send-direct", type: "button", class: "secondary", i18n: "send.direct.button", disabled: directSelect.options.length === 0, onclick: sendDirect }),
    directResult);
  root.append(ready, direct);

  async function sendBatch() {
    box.hidden = true;
    try {
      if (dry.ready.length) await ctx.api.buildBatch();
      const r = await ctx.api.transmit();
      clear(result).append(el("p", { id: "transmit-outcome", "data-outcome": r.outcome,
        text: r.outcome === "waiting"
          ? t("send.waiting").replace("{when}", formatDateTime(r.reopensAt, lang))
          : t("send.sent").replace("{n}", r.sent).replace("{when}", formatDateTime(r.returnsAt, lang)) }));
    } catch (error) { box.textContent = error.message; box.dataset.code = error.code; box.hidden = false; }
  }

  async function sendDirect() {
    try {
      const r = await ctx.api.sendDirect(Number(directSelect.value));
      clear(directResult).append(el("p", { id: "direct-outcome", "data-outcome": r.receivable ? "receivable" : "refused",
        class: r.receivable ? "ok" : "bad",
        text: r.receivable ? t("send.direct.ok").replace("{no}", r.ramqNumber) : t("send.direct.refused") }),
        ...r.messages.map((m) => el("p", { class: "bad", text: `${m.code} — ${m.text}` })));
    } catch (error) { clear(directResult).append(el("p", { class: "error", role: "alert", text: error.message })); }
  }
}
