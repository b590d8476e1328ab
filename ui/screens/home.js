// Home: where the agency stands, what is due, and the one next thing to do.
import { el, formatDate, formatMoney } from "../dom.js";
import { t } from "../i18n.js";

const NEXT_ROUTE = {
  change_password: "settings", fix_refused: "claims?state=refused", send: "send",
  enter_claims: "claims?new=1", resend_test_file: "journal", wait_returns: "journal", sync: "journal",
};

export async function render(root, ctx) {
  const lang = ctx.lang();
  const o = await ctx.api.overview();
  const status = o.agency.status === "production"
    ? `${t("status.production")} ${formatDate(o.agency.since, lang)}`
    : t("status.test");
  const action = o.nextAction;
  root.append(
    el("section", { class: "card next-action", id: "next-action", "data-action": action.code },
      el("h2", { i18n: "home.next" }),
      el("p", { class: "next-text", text: t(`next.${action.code}`).replace("{n}", action.count ?? "") }),
      NEXT_ROUTE[action.code]
        ? el("button", { id: "next-action-button", type: "button", text: t(`next.${action.code}.button`), onclick: () => ctx.go(NEXT_ROUTE[action.code]) })
        : null),
    el("div", { class: "grid" },
      tile("home.agency", el("p", { id: "agency-status", "data-status": o.agency.status, text: status }),
        el("p", { class: "muted", text: o.tipiId })),
      tile("home.password", el("p", { id: "password-days", class: o.password.daysLeft <= 7 ? "warn" : "", text: t("home.password.left").replace("{n}", o.password.daysLeft) }),
        el("p", { class: "muted", text: `${t("home.password.expires")} ${formatDate(o.password.expiresOn, lang)}` })),
      tile("home.cutoff", o.nextCutoff
        ? [el("p", { id: "next-cutoff", text: formatDate(o.nextCutoff.cutoff, lang) }),
          el("p", { class: "muted", text: `${t("home.payment")} ${formatDate(o.nextCutoff.paymentDate, lang)}` })]
        : el("p", { class: "muted", i18n: "home.noCalendar" })),
      tile("home.claims", el("ul", { class: "counts", id: "claim-counts" },
        ...["draft", "ready", "queued", "sent", "receivable", "refused", "paid"].map((state) =>
          el("li", { "data-state": state }, el("span", { text: t(`state.${state}`) }), el("strong", { text: String(o.counts[state] ?? 0) })))))),
    chart(o.chart, lang));
}

function tile(titleKey, ...content) {
  return el("section", { class: "card tile" }, el("h3", { i18n: titleKey }), ...content.flat());
}

// Amounts sent, receivable and paid per cycle, as bars scaled on the largest amount.
// The scale is a display ratio only; the figures shown are the decimal strings themselves.
function chart(rows, lang) {
  const section = el("section", { class: "card", id: "cycle-chart" }, el("h3", { i18n: "home.chart" }));
  if (!rows || rows.length === 0) {
    section.append(el("p", { class: "muted", i18n: "home.chart.empty" }));
    return section;
  }
  const max = Math.max(1, ...rows.flatMap((r) => [r.sent, r.receivable, r.paid].map((v) => parseFloat(v) || 0)));
  const table = el("table", { class: "chart" },
    el("thead", {}, el("tr", {}, el("th", { i18n: "home.chart.cycle" }),
      ...["sent", "receivable", "paid"].map((k) => el("th", { i18n: `home.chart.${k}` })))));
  const body = el("tbody");
  for (const row of rows) {
    body.append(el("tr", {}, el("th", { text: String(row.cycle) }),
      ...["sent", "receivable", "paid"].map((k) => el("td", {},
        el("span", { class: `bar bar-${k}`, style: { width: `${Math.round(((parseFloat(row[k]) || 0) / max) * 100)}%` } }),
        el("span", { class: "bar-label", text: formatMoney(row[k], lang) })))));
  }
  table.append(body);
  section.append(table);
  return section;
}
