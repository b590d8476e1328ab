// Tiny DOM helpers: no framework, and no innerHTML with data (text only, so nothing a
// server or a user typed can ever run as markup).
import { t } from "./i18n.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "i18n") { node.dataset.i18n = value; node.textContent = t(value); }
    else if (key === "style") Object.assign(node.style, value); // CSSOM: allowed by the CSP
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A labelled input with a place for its own messages (aria-describedby links them).
export function field({ id, label, type = "text", value = "", attrs = {} }) {
  const input = el(type === "select" ? "select" : "input", {
    id, name: id, ...(type === "select" ? {} : { type }), "aria-describedby": `${id}-msg`, ...attrs,
  });
  if (type !== "select") input.value = value ?? "";
  return el("div", { class: "field" },
    el("label", { for: id, text: label }),
    input,
    el("p", { id: `${id}-msg`, class: "field-msg", "aria-live": "polite" }));
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

// Amounts arrive as decimal strings ("1234.50") and are formatted as text: no float ever
// touches money, even for display.
export function formatMoney(amount, lang) {
  const [units, cents = "00"] = String(amount ?? "0").split(".");
  const negative = units.startsWith("-");
  const digits = negative ? units.slice(1) : units;
  const group = lang === "en" ? "," : "\u00a0";
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const fraction = cents.padEnd(2, "0").slice(0, 2);
  const sign = negative ? "-" : "";
  return lang === "en" ? `${sign}$${grouped}.${fraction}` : `${sign}${grouped},${fraction}\u00a0$`;
}

export function formatDate(iso, lang) {
  if (!iso) return "—";
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00` : iso);
  return new Intl.DateTimeFormat(lang === "en" ? "en-CA" : "fr-CA", { dateStyle: "long", timeZone: "America/Toronto" }).format(date);
}

export function formatDateTime(iso, lang) {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(lang === "en" ? "en-CA" : "fr-CA", { dateStyle: "medium", timeStyle: "short", timeZone: "America/Toronto" }).format(new Date(iso));
}

// The Québec calendar day (YYYY-MM-DD) of an instant, whatever the locale's date order.
export function quebecDay(iso) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "America/Toronto", year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(new Date(iso));
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}
