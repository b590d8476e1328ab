// Boot: language, app info, then the screen the hash names. Screens are ES modules with a
// `render(root, ctx)` that returns nothing; ctx gives them the API, navigation and errors.
import { api } from "./api.js";
import { clear } from "./dom.js";
import { currentLanguage, loadLanguage, savedLanguage, t, translatePage } from "./i18n.js";

const SCREENS = {
  onboarding: () => import("./screens/onboarding.js"),
  home: () => import("./screens/home.js"),
  claims: () => import("./screens/claims.js"),
  send: () => import("./screens/send.js"),
  journal: () => import("./screens/journal.js"),
  calendar: () => import("./screens/calendar.js"),
  settings: () => import("./screens/settings.js"),
  recovery: () => import("./screens/recovery.js"),
};

let info = null;
let enrolled = false;
let switchedByUser = false;
// The local data could not be opened: only the recovery screen, until it is resolved.
let recovering = false;

export function showError(error) {
  const box = document.getElementById("error");
  if (!error) { box.hidden = true; return; }
  box.textContent = error.message || t("error.unknown");
  box.dataset.code = error.code || "Unexpected";
  box.hidden = false;
}

function renderChrome() {
  translatePage();
  const toggle = document.getElementById("lang-toggle");
  toggle.textContent = t("lang.other");
  toggle.setAttribute("aria-label", t("lang.other.label"));
  document.getElementById("nav").hidden = !enrolled;
  if (info) {
    const banner = document.getElementById("env-banner");
    banner.textContent = t(`env.${info.environment}`);
    banner.dataset.environment = info.environment;
    banner.hidden = false;
    document.getElementById("about-version").textContent = info.version;
    document.getElementById("about-environment").textContent = t(`env.${info.environment}`);
  }
}

function routeName() {
  const name = (location.hash.replace(/^#\/?/, "").split("?")[0]) || "home";
  if (recovering) return "recovery";
  if (!enrolled) return "onboarding";
  return SCREENS[name] ? name : "home";
}

export function routeParams() {
  const query = location.hash.split("?")[1] || "";
  return Object.fromEntries(new URLSearchParams(query));
}

async function show() {
  showError(null);
  const name = routeName();
  for (const link of document.querySelectorAll("#nav a")) {
    link.toggleAttribute("aria-current", link.dataset.route === name);
    if (link.dataset.route === name) link.setAttribute("aria-current", "page");
  }
  const main = clear(document.getElementById("main"));
  main.dataset.screen = name;
  const screen = await SCREENS[name]();
  try {
    await screen.render(main, ctx);
  } catch (error) {
    showError(error);
  }
}

export const ctx = {
  api,
  lang: () => currentLanguage(),
  go: (route) => { if (location.hash === `#/${route}`) show(); else location.hash = `#/${route}`; },
  refresh: () => show(),
  showError,
  async enrolledNow() { enrolled = true; renderChrome(); ctx.go("home"); },
};

async function start() {
  await loadLanguage(savedLanguage());
  renderChrome();
  document.getElementById("lang-toggle").addEventListener("click", async () => {
    switchedByUser = true;
    const lang = await loadLanguage(currentLanguage() === "fr" ? "en" : "fr");
    api.setLanguage(lang).catch(() => {});
    renderChrome();
    show();
  });
  document.getElementById("about-button").addEventListener("click", () => {
    document.getElementById("about").hidden = false;
  });
  window.addEventListener("hashchange", show);
  // A click on a reminder: Rust brought the window to the front; open the reminder's screen.
  window.__TAURI__.event.listen("reminder-open", (event) => ctx.go(event.payload.route)).catch(() => {});
  try {
    recovering = Boolean(await api.recoveryStatus(currentLanguage()));
  } catch (error) {
    showError(error);
  }
  if (!recovering) await loadInfo();
  await show();
  document.body.dataset.ready = "true";
  // Only `cargo xtask bench` listens (TIPI_BENCH_READY_FILE); otherwise a no-op.
  window.__TAURI__.core.invoke("ui_ready").catch(() => {});
}

async function loadInfo() {
  try {
    info = await api.appInfo();
    enrolled = info.enrolled;
    // The saved language, unless the user already switched while the app was starting.
    if (!switchedByUser && info.language && info.language !== currentLanguage()) await loadLanguage(info.language);
    renderChrome();
  } catch (error) {
    showError(error);
  }
}

start();
