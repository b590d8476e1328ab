import { call } from "./ipc.js";
import { currentLanguage, loadLanguage, savedLanguage, t, translatePage } from "./i18n.js";

let info = null;

function showError(error) {
  const box = document.getElementById("error");
  box.textContent = error.message;
  box.hidden = false;
}

function render() {
  translatePage();
  const toggle = document.getElementById("lang-toggle");
  toggle.textContent = t("lang.other");
  toggle.setAttribute("aria-label", t("lang.other.label"));
  if (info) {
    const banner = document.getElementById("env-banner");
    banner.textContent = t(`env.${info.environment}`);
    banner.dataset.environment = info.environment;
    banner.hidden = false;
    document.getElementById("about-version").textContent = info.version;
    document.getElementById("about-environment").textContent = t(`env.${info.environment}`);
  }
}

async function start() {
  await loadLanguage(savedLanguage());
  render();
  document.getElementById("lang-toggle").addEventListener("click", async () => {
    await loadLanguage(currentLanguage() === "fr" ? "en" : "fr");
    render();
  });
  document.getElementById("about-button").addEventListener("click", () => {
    document.getElementById("about").hidden = false;
  });
  try {
    info = await call("app_info");
    render();
  } catch (error) {
    showError(error);
  }
}

start();
