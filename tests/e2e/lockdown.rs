//! The webview is locked down: the strict CSP blocks eval, inline scripts and remote origins,
//! and the capability lets the page call the app's own commands only (no notification, shell,
//! file-system or window plugin command), with arguments checked on the Rust side.

use serde_json::Value;
use tipi_e2e::{App, DesktopOptions};
use tipi_testrig::desktop_or_skip;

/// Runs `body` (an async function body) in the page and returns what it resolves to.
async fn in_page(app: &App, body: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];\
         (async () => {{ {body} }})().then(done, (e) => done('threw: ' + e));"
    );
    app.client
        .execute_async(&script, vec![])
        .await
        .expect("script runs")
}

/// Calls a command from the page; returns `ok: <json>` or `refused: <error>`.
async fn invoke(app: &App, command: &str, args: &str) -> String {
    let body = format!(
        "try {{ return 'ok: ' + JSON.stringify(await window.__TAURI__.core.invoke('{command}', {args})); }}\
         catch (e) {{ return 'refused: ' + JSON.stringify(e); }}"
    );
    in_page(app, &body)
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_page_can_neither_run_injected_code_nor_call_what_it_is_not_allowed_to() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    let Some((app, _admin)) = App::launch_with_sandbox(&desktop, &[]).await else {
        return;
    };
    app.wait_for("body[data-ready=true]").await;

    // CSP: no eval, no inline script, no remote origin.
    let eval = in_page(
        &app,
        "try { return String(eval('6 * 7')); } catch (e) { return 'blocked'; }",
    )
    .await;
    assert_eq!(eval, "blocked");
    let inline = in_page(
        &app,
        "const s = document.createElement('script'); s.textContent = 'window.injected = 1;';\
         document.body.append(s); await new Promise(r => setTimeout(r, 100));\
         return String(window.injected);",
    )
    .await;
    assert_eq!(inline, "undefined");
    let remote = in_page(
        &app,
        "try { await fetch('https://example.com/'); return 'reached'; } catch (e) { return 'blocked'; }",
    )
    .await;
    assert_eq!(remote, "blocked");

    // The app's own commands answer.
    assert!(invoke(&app, "app_info", "{}").await.starts_with("ok: "));
    // Plugin commands the capability does not grant are refused, as are unknown ones.
    for (command, args) in [
        ("plugin:notification|notify", "{options: {title: 'x'}}"),
        ("plugin:notification|request_permission", "{}"),
        ("plugin:window|close", "{label: 'main'}"),
        ("plugin:shell|execute", "{program: 'sh', args: []}"),
        ("plugin:fs|read_text_file", "{path: '/etc/passwd'}"),
        ("not_a_command", "{}"),
    ] {
        let answer = invoke(&app, command, args).await;
        assert!(
            answer.starts_with("refused: "),
            "{command} answered {answer}"
        );
    }
    // Arguments are checked on the Rust side: a wrong type is refused, an unknown setting key
    // gets the app's own {code, message}.
    let bad_type = invoke(&app, "claims_list", "{stateFilter: 42}").await;
    assert!(bad_type.starts_with("refused: "), "{bad_type}");
    let bad_key = invoke(
        &app,
        "settings_set",
        "{key: 'agency.status', value: 'production'}",
    )
    .await;
    assert!(bad_key.contains("\"code\":\"InvalidInput\""), "{bad_key}");
    app.close().await;
}
