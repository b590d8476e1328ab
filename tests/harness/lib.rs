//! Drives the real Tipi app in a real WebKit window: Xvfb + tauri-driver + WebKitWebDriver,
//! inside a private [`Desktop`] session (its own D-Bus, keyring and notification server).
//!
//! The app binary is the one `cargo build -p tipi-app` left in the target directory (or
//! `TIPI_APP_BIN`). Under CI a missing binary or tool fails the test; elsewhere it skips.

use chrono::{DateTime, Utc};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
pub use tipi_sandbox::{AdminClient, DEMO_BLAST};
use tipi_testrig::{free_port, require, rig_unavailable, stop_gracefully, wait_for_port};
pub use tipi_testrig::{Desktop, DesktopOptions, RigError};

/// How long any one element may take to appear.
pub const UI_TIMEOUT: Duration = Duration::from_secs(20);
const SESSION_TIMEOUT: Duration = Duration::from_secs(30);
/// How many app starts a test gets to open its WebDriver session.
const SESSION_ATTEMPTS: u32 = 2;

/// Chooses rustls's crypto provider for this test process. In a whole-workspace build both
/// `ring` (ours) and `aws-lc-rs` (reqwest's default) are compiled in, and rustls then refuses
/// to guess; the WebDriver and admin clients need one.
fn choose_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[allow(deprecated)] // ring lacks post-quantum key exchange; loopback tests only
        let provider = rustls::crypto::ring::default_provider();
        // Err only when another test code path installed one first: fine either way.
        let _ = provider.install_default();
    });
}

/// The built app binary, if there is one.
pub fn app_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("TIPI_APP_BIN") {
        return Some(PathBuf::from(path));
    }
    // The test runs from <target>/<profile>/deps/; the app sits in <target>/<profile>/.
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let app = profile_dir.join("tipi-app");
    app.is_file().then_some(app)
}

/// Where tauri-driver's output goes (WebKitWebDriver's and the app's included): a file in
/// `TIPI_TRACE_DIR` when it is set (`cargo xtask test`, so the leak scan reads it too), to
/// find out afterwards why an app did not start; nowhere otherwise.
fn driver_log(attempt: u32) -> Stdio {
    let Some(dir) = tipi_trace::trace_dir() else {
        return Stdio::null();
    };
    let test = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.file_stem()?.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let path = dir.join(format!(
        "tauri-driver-{test}-{}-{attempt}.log",
        std::process::id()
    ));
    match std::fs::File::create(&path) {
        Ok(file) => Stdio::from(file),
        Err(error) => {
            eprintln!("no driver log at {}: {error}", path.display());
            Stdio::null()
        }
    }
}

/// Where tests save screenshots: `tests/artifacts/screenshots/` (kept out of git).
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/screenshots")
}

/// A running app window under WebDriver control.
pub struct App {
    /// The WebDriver client, for anything the helpers below do not cover.
    pub client: Client,
    driver: Child,
}

impl App {
    /// Starts the app in `desktop` with extra environment variables, or `None` when the rig is
    /// unavailable on a developer machine (never under CI: that panics).
    pub async fn launch(desktop: &Desktop, env: &[(&str, &str)]) -> Option<Self> {
        choose_crypto_provider();
        let Some(binary) = app_binary() else {
            rig_unavailable(&RigError::Missing(
                "tipi-app (run `cargo build -p tipi-app`)",
            ));
            return None;
        };
        for tool in ["tauri-driver", "WebKitWebDriver"] {
            if let Err(missing) = require(tool) {
                rig_unavailable(&missing);
                return None;
            }
        }
        let mut attempt = 0;
        let (client, driver) = loop {
            attempt += 1;
            let port = free_port();
            let (port_arg, native_port_arg) = (port.to_string(), free_port().to_string());
            let mut command = Command::new("tauri-driver");
            desktop
                .apply(&mut command)
                .envs(env.iter().copied())
                .args(["--port", &port_arg])
                .args(["--native-port", &native_port_arg])
                .stdout(Stdio::null())
                .stderr(driver_log(attempt));
            let mut driver = command.spawn().expect("tauri-driver starts");
            if let Err(error) = wait_for_port(port, SESSION_TIMEOUT) {
                stop_gracefully(&mut driver);
                panic!("tauri-driver did not listen: {error}");
            }
            let capabilities = serde_json::json!({
                "browserName": "wry",
                "tauri:options": { "application": binary },
            });
            let serde_json::Value::Object(capabilities) = capabilities else {
                unreachable!("a JSON object literal")
            };
            // Without a display the new-session request hangs forever: bound it.
            let url = format!("http://127.0.0.1:{port}");
            let mut builder = ClientBuilder::rustls().expect("rustls client");
            builder.capabilities(capabilities);
            let connect = builder.connect(&url);
            match tokio::time::timeout(SESSION_TIMEOUT, connect).await {
                Ok(Ok(client)) => break (client, driver),
                other => {
                    stop_gracefully(&mut driver);
                    // Seen once in a full CI run, never reproduced: the app did not answer the
                    // new-session request. A second driver and app get one more chance; the
                    // failure is printed either way.
                    eprintln!(
                        "no WebDriver session with the app (attempt {attempt}): {other:?}; \
                         the driver's output is in TIPI_TRACE_DIR when it is set"
                    );
                    assert!(
                        attempt < SESSION_ATTEMPTS,
                        "no WebDriver session with the app"
                    );
                }
            }
        };
        let app = Self { client, driver };
        // The page has asked Rust who it is and shown the first screen.
        app.wait_for("body[data-ready=true]").await;
        Some(app)
    }

    /// Waits for the element matching `css` to be displayed.
    pub async fn find(&self, css: &str) -> Element {
        self.locate(css, true).await
    }

    /// Looks for `css` until it is there (and displayed, when asked) or [`UI_TIMEOUT`] passes.
    /// Every lookup starts afresh: a screen redrawn between finding an element and checking it
    /// (a language switch) leaves a stale element, which is looked up again, not reported.
    async fn locate(&self, css: &str, displayed: bool) -> Element {
        let deadline = tokio::time::Instant::now() + UI_TIMEOUT;
        loop {
            let last = match self.client.find(Locator::Css(css)).await {
                Ok(element) => match (displayed, element.is_displayed().await) {
                    (false, _) | (true, Ok(true)) => return element,
                    (true, Ok(false)) => "not displayed".to_owned(),
                    (true, Err(error)) => error.to_string(),
                },
                Err(error) => error.to_string(),
            };
            if tokio::time::Instant::now() >= deadline {
                let shot = self.screenshot("failure").await;
                panic!(
                    "no element `{css}` ({last}); the window is in {}",
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click on `{css}`: {e}"));
    }

    /// Waits until the text of `css` equals `expected`, and returns it.
    pub async fn wait_text(&self, css: &str, expected: &str) -> String {
        let deadline = tokio::time::Instant::now() + UI_TIMEOUT;
        loop {
            let text = self.text(css).await;
            if text == expected {
                return text;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "`{css}` shows {text:?}, expected {expected:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The visible text of `css`.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_default()
    }

    /// Saves a PNG of the window to [`screenshot_dir`]`/name.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // WebKit paints a little after the DOM changes: let two frames pass first.
        let _ = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 100)));",
                vec![],
            )
            .await;
        let png = self.client.screenshot().await.expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "WebDriver returned a PNG");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Ends the session (the app quits) and stops the drivers.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        stop_gracefully(&mut self.driver);
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // SIGTERM lets tauri-driver stop WebKitWebDriver too (SIGKILL would orphan it).
        stop_gracefully(&mut self.driver);
    }
}

/// The embedded sandbox's admin API, reached the way support would: HTTPS with its own CA
/// ([`AdminClient`]), instants given as RFC 3339 text like the rest of the stories.
pub struct SandboxAdmin {
    client: AdminClient,
}

/// The environment that makes the app's embedded sandbox reachable by [`SandboxAdmin`].
pub fn sandbox_env(port: u16) -> [(&'static str, String); 2] {
    [
        ("TIPI_SANDBOX_PORT", port.to_string()),
        ("TIPI_SANDBOX_ADMIN_TOKEN", ADMIN_TOKEN.to_owned()),
    ]
}

const ADMIN_TOKEN: &str = "e2e-admin-token";

fn instant(rfc3339: &str) -> DateTime<Utc> {
    rfc3339.parse().expect("an RFC 3339 instant")
}

impl SandboxAdmin {
    /// Connects to the sandbox the app started in `desktop` on `port`.
    pub async fn connect(desktop: &Desktop, port: u16) -> Self {
        choose_crypto_provider();
        wait_for_port(port, UI_TIMEOUT).expect("the app's sandbox listens");
        let data = desktop.var("XDG_DATA_HOME").expect("private data dir");
        let pem = std::fs::read(Path::new(data).join("tipi/sandbox-server/ca.pem"))
            .expect("the sandbox wrote its CA");
        let base = format!("https://127.0.0.1:{port}");
        Self {
            client: AdminClient::new(&base, ADMIN_TOKEN, &pem),
        }
    }

    /// The whole admin API, for what the helpers below do not cover.
    pub fn client(&self) -> &AdminClient {
        &self.client
    }

    /// Announces a TIP-I maintenance window `[start, end)` (RFC 3339).
    pub async fn add_maintenance(&self, start: &str, end: &str) {
        self.client
            .announce_maintenance(instant(start), instant(end))
            .await;
    }

    /// Freezes the sandbox's clock (and so the app's) at `at` (RFC 3339).
    pub async fn freeze_clock(&self, at: &str) {
        self.client.freeze(instant(at)).await;
    }
}

impl App {
    /// Waits for an element matching `css` (visible or not) and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.locate(css, false).await
    }

    /// Every element matching `css` now.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
    }

    /// Replaces the value of the input `css` by typing `text`, as a user would.
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        input
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear `{css}`: {e}"));
        input
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into `{css}`: {e}"));
    }

    /// The current value of the input `css`.
    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Opens a screen by its route (`claims`, `claims?new=1`...) and waits for it.
    pub async fn go(&self, route: &str) {
        let screen = route.split('?').next().unwrap_or(route);
        self.client
            .execute(
                "location.hash = arguments[0];",
                vec![format!("#/{route}").into()],
            )
            .await
            .expect("navigate");
        self.wait_for(&format!("main[data-screen={screen}]")).await;
    }
}

/// The TIP-I password the stories choose.
pub const STORY_PASSWORD: &str = "Tipi2026";

impl App {
    /// Enrols the demo BLAST agency through the five onboarding steps; `screenshot` names the
    /// picture of the password step (none when `None`). Ends on the home screen.
    pub async fn enrol_demo_agency(&self, screenshot: Option<&str>) {
        let (transmission, blast_id, blast_password) = DEMO_BLAST;
        self.click("#start-blast").await;
        self.click("#warning-continue").await;
        self.click("#policy-accept").await;
        self.type_into("#transmission", transmission).await;
        self.type_into("#blast-id", blast_id).await;
        self.type_into("#blast-password", blast_password).await;
        self.click("#authenticate").await;
        self.wait_text("#tipi-id", &format!("AGP{transmission}"))
            .await;
        self.type_into("#new-password", STORY_PASSWORD).await;
        self.type_into("#confirm-password", STORY_PASSWORD).await;
        self.wait_for("#password-rules li.ok:nth-child(4)").await;
        if let Some(name) = screenshot {
            self.screenshot(name).await;
        }
        self.click("#confirm-password-button").await;
        self.click("#go-home").await;
        self.wait_for("#agency-status").await;
    }
}

impl App {
    /// Starts the app with its embedded sandbox reachable through the returned admin client;
    /// `extra` adds environment variables.
    pub async fn launch_with_sandbox(
        desktop: &Desktop,
        extra: &[(&str, &str)],
    ) -> Option<(Self, SandboxAdmin)> {
        let port = free_port();
        let sandbox = sandbox_env(port);
        let mut env: Vec<(&str, &str)> = sandbox.iter().map(|(k, v)| (*k, v.as_str())).collect();
        env.extend_from_slice(extra);
        let app = Self::launch(desktop, &env).await?;
        let admin = SandboxAdmin::connect(desktop, port).await;
        Some((app, admin))
    }
}

/// Tuesday 10 March 2026, 10:00 in Québec: TIP-I's window is open; the stories start here.
pub const TUESDAY_10H: &str = "2026-03-10T14:00:00Z";

impl App {
    /// [`App::launch_with_sandbox`], then the sandbox's clock (and so the app's) frozen at
    /// [`TUESDAY_10H`].
    pub async fn launch_on_tuesday(
        desktop: &Desktop,
        extra: &[(&str, &str)],
    ) -> Option<(Self, SandboxAdmin)> {
        let (app, admin) = Self::launch_with_sandbox(desktop, extra).await?;
        admin.freeze_clock(TUESDAY_10H).await;
        Some((app, admin))
    }

    /// [`App::launch_on_tuesday`], then the demo agency enrolled: the app is on the home screen.
    pub async fn launch_enrolled(
        desktop: &Desktop,
        extra: &[(&str, &str)],
    ) -> Option<(Self, SandboxAdmin)> {
        let launched = Self::launch_on_tuesday(desktop, extra).await;
        if let Some((app, _)) = &launched {
            app.enrol_demo_agency(None).await;
        }
        launched
    }
}

impl App {
    /// Sets a date input (WebKit's date fields take keys in the locale's order, so this sets the
    /// ISO value the way the date picker does) and fires its change event.
    pub async fn set_date(&self, css: &str, iso: &str) {
        self.find(css).await;
        self.client
            .execute(
                "const input = document.querySelector(arguments[0]); input.value = arguments[1];\
                 input.dispatchEvent(new Event('input', { bubbles: true }));\
                 input.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![css.into(), iso.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("set `{css}`: {e}"));
    }
}

impl App {
    /// Resizes the window to a phone's screen (390 x 844).
    pub async fn phone_sized(&self) {
        self.client.set_window_size(390, 844).await.expect("resize");
    }

    /// Fails when the page is wider than the window (sideways scrolling on a phone).
    pub async fn assert_fits(&self, what: &str) {
        let overflow = self
            .client
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            overflow.as_i64().unwrap_or(1) <= 0,
            "{what} overflows by {overflow}"
        );
    }
}

/// The patient's NAM in the claim [`App::enter_claim`] types (valid; patient Julie).
pub const CLAIM_NAM: &str = "TREJ85531510";

impl App {
    /// Opens a new claim, types one the sandbox judges receivable (physician 123456, place
    /// 99999, code 00001 for 45.00 $) for Julie `surname` ([`CLAIM_NAM`]) and saves it.
    pub async fn enter_claim(&self, surname: &str) {
        self.go("claims?new=1").await;
        self.type_into("#nam", CLAIM_NAM).await;
        self.type_into("#surname", surname).await;
        self.type_into("#first-name", "Julie").await;
        self.type_into("#professional", "123456").await;
        self.type_into("#place", "99999").await;
        self.type_into("#line-0-billing_code", "00001").await;
        self.type_into("#line-0-amount", "45.00").await;
        self.click("#save-claim").await;
    }
}
