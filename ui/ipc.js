// The one door to the Rust side. Errors come back as {code, message}, already in the
// user's language; anything else is shown as a generic error, never as raw detail.
import { t } from "./i18n.js";

export async function call(command, args = {}) {
  try {
    return await window.__TAURI__.core.invoke(command, args);
  } catch (error) {
    if (error && typeof error === "object" && "code" in error) {
      throw error;
    }
    throw { code: "Unexpected", message: t("error.unknown") };
  }
}
