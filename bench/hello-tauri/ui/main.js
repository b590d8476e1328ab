// Rendered: tell the host, as Tipi's UI does once its first screen is drawn.
document.body.dataset.ready = "true";
window.__TAURI__.core.invoke("ui_ready").catch(() => {});
