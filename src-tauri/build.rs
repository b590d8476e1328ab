// Each app command gets `allow-<command>` / `deny-<command>` permissions, so a window may only
// call what its capability lists (least privilege), instead of every command by default.
const COMMANDS: &[&str] = &["app_info"];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
