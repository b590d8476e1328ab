//! The `#[tauri::command]`s the page calls. Each parses, calls one use case, maps the error.

use crate::state::AppConfig;
use serde::Serialize;
use tipi_core::Environment;

/// What the About line and the environment banner show.
#[derive(Debug, Serialize)]
pub(crate) struct AppInfo {
    name: &'static str,
    version: &'static str,
    environment: Environment,
}

/// The app's name, version and the environment it is pointed at.
#[tauri::command]
pub(crate) fn app_info(config: tauri::State<'_, AppConfig>) -> AppInfo {
    AppInfo {
        name: "Tipi",
        version: env!("CARGO_PKG_VERSION"),
        environment: config.environment,
    }
}

#[cfg(test)]
mod tests {
    use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
    use tauri::webview::InvokeRequest;

    #[test]
    fn the_page_gets_version_and_environment() {
        let app = crate::configure(mock_builder())
            .build(tauri::generate_context!())
            .expect("app builds");
        let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("window");
        let response = get_ipc_response(
            &window,
            InvokeRequest {
                cmd: "app_info".into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: tauri::ipc::InvokeBody::default(),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .expect("command answers");
        let info: serde_json::Value = response.deserialize().unwrap();
        assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(info["environment"], "sandbox");
    }
}
