// Each app command gets `allow-<command>` / `deny-<command>` permissions, so a window may only
// call what its capability lists (least privilege), instead of every command by default.
const COMMANDS: &[&str] = &[
    "app_info",
    "ui_ready",
    "overview",
    "enrolment_start",
    "enrolment_warning",
    "enrolment_policy",
    "enrolment_authenticate",
    "enrolment_password",
    "sign_in",
    "password_rules",
    "change_password",
    "claims_list",
    "claim_get",
    "claim_validate",
    "claim_save",
    "claims_import",
    "batch_dry_run",
    "batch_build",
    "transmit",
    "direct_send",
    "resend_test_file",
    "journal",
    "sync",
    "calendar",
    "calendar_refresh",
    "settings_get",
    "settings_set",
    "set_language",
    "set_autostart",
    "set_environment",
    "recovery_status",
    "backups_list",
    "backup_create",
    "backup_restore",
    "recovery_start_fresh",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
