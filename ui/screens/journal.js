// The exchange journal: every batch, direct request, return and statement, with the agency's
// status; receivability per claim and line; the "resend the test-period file" action.
import { routeParams } from "../main.js";
import { clear, el, formatDate, formatDateTime, formatMoney, quebecDay } from "../dom.js";
import { t } from "../i18n.js";

export async function render(root, ctx) {
  const lang = ctx.lang();
  const box = el("p", { class: "error form-error", role: "alert", hidden: true });
  const j = await ctx.api.journal();
  const kinds = ["", ...new Set(j.exchanges.map((e) => e.kind))];
  const filter = el("select", { id: "kind-filter", "aria-label": t("journal.filter") },
    ...kinds.map((k) => el("option", { value: k, text: k ? t(`kind.${k}`) : t("journal.all") })));
  const states = ["", ...new Set(j.exchanges.map((e) => e.state).filter(Boolean))];
  const stateFilter = el("select", { id: "xstate-filter", "aria-label": t("journal.filterState") },
    ...states.map((x) => el("option", { value: x, text: x ? t(`xstate.${x}`) : t("journal.allStates") })));
  const from = el("input", { type: "date", id: "journal-from", "aria-label": t("journal.from") });
  const to = el("input", { type: "date", id: "journal-to", "aria-label": t("journal.to") });
  const list = el("div", { id: "exchanges" });
  const draw = () => {
    clear(list);
    const shown = j.exchanges.filter((e) => (!filter.value || e.kind === filter.value)
      && (!stateFilter.value || e.state === stateFilter.value)
      && (!from.value || quebecDay(e.at) >= from.value)
      && (!to.value || quebecDay(e.at) <= to.value));
    if (shown.length === 0) list.append(el("p", { class: "muted", id: "no-exchanges", i18n: "journal.none" }));
    for (const e of shown) {
      list.append(el("details", { class: "exchange", "data-kind": e.kind, "data-state": e.state, "data-attestation": e.attestation ?? "" },
        el("summary", {}, el("strong", { text: t(`kind.${e.kind}`) }), " ",
          e.attestation ? `#${e.attestation} · ` : "", formatDateTime(e.at, lang), " · ",
          el("span", { class: `pill pill-${e.state}`, text: t(`xstate.${e.state}`) })),
        e.claims?.length ? el("table", { class: "list" },
          el("tbody", {}, ...e.claims.map((c) => el("tr", { "data-claim": c.externalId, "data-status": c.status },
            el("td", { text: c.externalId }),
            el("td", { text: t(`state.${c.status}`) }),
            el("td", { text: c.ramqNumber || "" }),
            el("td", { class: "num", text: c.amount ? formatMoney(c.amount, lang) : "" }),
            el("td", { text: (c.messages || []).map((m) => `${m.code} — ${m.text}`).join(" ") }))))) : null));
    }
  };
  for (const control of [filter, stateFilter, from, to]) control.addEventListener("change", draw);
  const status = j.agency.status === "production"
    ? `${t("status.production")} ${formatDate(j.agency.since, lang)}` : t("status.test");
  root.append(el("section", { class: "card" },
    el("div", { class: "toolbar" },
      el("h2", { i18n: "journal.title" }),
      el("p", { id: "journal-status", "data-status": j.agency.status, class: "status", text: status }),
      el("button", { id: "sync", type: "button", i18n: "journal.sync", onclick: sync })),
    el("div", { class: "toolbar filters" }, filter, stateFilter,
      el("label", { for: "journal-from", i18n: "journal.from" }), from,
      el("label", { for: "journal-to", i18n: "journal.to" }), to),
    j.resendTestFile ? el("div", { class: "notice", id: "resend-offer" },
      el("p", { i18n: "journal.resend.text" }),
      el("button", { id: "resend-test-file", type: "button", i18n: "journal.resend.button", onclick: resend })) : null,
    j.lastSync ? el("p", { class: "muted", text: `${t("journal.lastSync")} ${formatDateTime(j.lastSync, lang)}` }) : null,
    routeParams().synced ? el("p", { id: "sync-result", class: "ok", role: "status", i18n: "journal.synced" }) : null,
    box, list));
  draw();

  async function sync() {
    box.hidden = true;
    try { await ctx.api.sync(); ctx.go(`journal?synced=${Date.now()}`); } catch (error) { box.textContent = error.message; box.dataset.code = error.code; box.hidden = false; }
  }
  async function resend() {
    try { await ctx.api.resendTestFile(); ctx.go("send"); } catch (error) { box.textContent = error.message; box.hidden = false; }
  }
}
