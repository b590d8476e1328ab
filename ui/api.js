// One function per Rust command. Arguments are camelCase (Tauri converts them); errors are
// {code, message} in the user's language (see ipc.js).
import { call } from "./ipc.js";

export const api = {
  appInfo: () => call("app_info"),
  setLanguage: (language) => call("set_language", { language }),
  overview: () => call("overview"),

  enrolmentStart: () => call("enrolment_start"),
  enrolmentWarning: (proceed) => call("enrolment_warning", { proceed }),
  enrolmentPolicy: (accept) => call("enrolment_policy", { accept }),
  enrolmentAuthenticate: (transmission, blastId, blastPassword) =>
    call("enrolment_authenticate", { transmission, blastId, blastPassword }),
  enrolmentPassword: (password, confirmation) => call("enrolment_password", { password, confirmation }),
  signIn: (tipiId, password) => call("sign_in", { tipiId, password }),
  passwordRules: (password, confirmation) => call("password_rules", { password, confirmation }),
  changePassword: (password, confirmation) => call("change_password", { password, confirmation }),

  claims: (state) => call("claims_list", { stateFilter: state || null }),
  claim: (id) => call("claim_get", { id }),
  validateClaim: (claim) => call("claim_validate", { claim }),
  saveClaim: (id, claim) => call("claim_save", { id: id ?? null, claim }),
  importClaims: (csv) => call("claims_import", { csv }),

  dryRun: () => call("batch_dry_run"),
  buildBatch: () => call("batch_build"),
  transmit: () => call("transmit"),
  sendDirect: (id) => call("direct_send", { id }),
  resendTestFile: () => call("resend_test_file"),

  sync: () => call("sync"),
  journal: () => call("journal"),
  calendar: () => call("calendar"),
  refreshCalendar: () => call("calendar_refresh"),
  settings: () => call("settings_get"),
  setSetting: (key, value) => call("settings_set", { key, value }),
  setAutostart: (enabled) => call("set_autostart", { enabled }),
  setEnvironment: (environment, productionUrl) => call("set_environment", { environment, productionUrl }),

  recoveryStatus: (language) => call("recovery_status", { language }),
  backups: () => call("backups_list"),
  createBackup: (passphrase, confirmation) => call("backup_create", { passphrase, confirmation }),
  restoreBackup: (path, passphrase) => call("backup_restore", { path, passphrase }),
  startFresh: () => call("recovery_start_fresh"),
};
