// French by default, English on request; the choice is remembered on this device.
const SUPPORTED = ["fr", "en"];
let lang = "fr";
let messages = {};

export async function loadLanguage(wanted) {
  lang = SUPPORTED.includes(wanted) ? wanted : "fr";
  const response = await fetch(`i18n/${lang}.json`);
  messages = await response.json();
  document.documentElement.lang = lang;
  localStorage.setItem("tipi.lang", lang);
  return lang;
}

export function savedLanguage() {
  return localStorage.getItem("tipi.lang") || "fr";
}

export function currentLanguage() {
  return lang;
}

export function t(key) {
  return messages[key] ?? key;
}

// Fills every element that names its text with data-i18n.
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
}
