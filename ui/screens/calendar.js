// The billing calendar from the local cache: works offline, says when it was last refreshed,
// and lists the maintenance windows TIP-I announced (closed then).
import { el, formatDate, formatDateTime } from "../dom.js";
import { t } from "../i18n.js";

export async function render(root, ctx) {
  const lang = ctx.lang();
  const box = el("p", { class: "error form-error", role: "alert", hidden: true });
  const c = await ctx.api.calendar();
  const today = c.today;
  root.append(el("section", { class: "card" },
    el("div", { class: "toolbar" },
      el("h2", { i18n: "calendar.title" }),
      el("button", { id: "refresh-calendar", type: "button", i18n: "calendar.refresh", onclick: refresh })),
    el("p", { id: "calendar-refreshed", class: "muted", text: c.refreshedAt ? `${t("calendar.refreshed")} ${formatDateTime(c.refreshedAt, lang)}` : t("calendar.never") }),
    box,
    c.maintenance.length ? el("div", { class: "notice", id: "maintenance" }, el("h3", { i18n: "calendar.maintenance" }),
      el("ul", { class: "plain-list" }, ...c.maintenance.map((m) => el("li", { "data-start": m.start,
        text: t("calendar.maintenance.window").replace("{start}", formatDateTime(m.start, lang)).replace("{end}", formatDateTime(m.end, lang)) })))) : null,
    c.cycles.length === 0 ? el("p", { class: "muted", i18n: "calendar.empty" }) :
      el("ol", { class: "timeline", id: "cycles" }, ...c.cycles.map((cy) => el("li", {
        "data-cycle": String(cy.number), class: cy.start <= today && today <= cy.end ? "current" : "" },
        el("strong", { text: `${t("calendar.cycle")} ${cy.number}` }), " ",
        el("span", { class: "muted", text: `${formatDate(cy.start, lang)} – ${formatDate(cy.end, lang)}` }),
        el("dl", { class: "about" },
          el("dt", { i18n: "calendar.cutoff" }), el("dd", { text: formatDate(cy.cutoff, lang) }),
          el("dt", { i18n: "calendar.payment" }), el("dd", { text: formatDate(cy.paymentDate, lang) }),
          el("dt", { i18n: "calendar.deposit" }), el("dd", { text: formatDate(cy.depositDate, lang) }))))),
    c.holidays.length ? el("div", {}, el("h3", { i18n: "calendar.holidays" }),
      el("ul", { class: "plain-list", id: "holidays" }, ...c.holidays.map((h) => el("li", { text: `${formatDate(h.date, lang)} — ${h.name}` })))) : null));
  async function refresh() {
    box.hidden = true;
    try { await ctx.api.refreshCalendar(); ctx.refresh(); } catch (error) { box.textContent = error.message; box.dataset.code = error.code; box.hidden = false; }
  }
}
