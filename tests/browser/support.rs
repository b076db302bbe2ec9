//! A browser test's world: the app's bundle (built once per test process with the same
//! `kedao-web` code `cargo serve` uses), the real server on a random port serving it, and
//! headless Chromium driven through a `chromedriver` of its own. A failing test leaves a
//! screenshot whose path it prints.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use kedao_domain::access::Role;
use kedao_tests::actors::PASSWORD;
use kedao_tests::{Actor, Backend, TestApp};
use serde_json::json;

use crate::webdriver::{By, Element, WebDriver};

/// How long a screen may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(20);

/// The bundle, built on first use in this process.
pub fn bundle_dir() -> &'static Path {
    static BUNDLE: OnceLock<PathBuf> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let out = kedao_web::target_dir().join("browser-test-web");
        let started = Instant::now();
        // This test crate's own workspace: the tree under test.
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let bundle = kedao_web::build_workspace(&workspace, &out).expect("build the browser app");
        eprintln!(
            "browser app built in {:.1?}: {} ({} KB, {} KB gzipped)",
            started.elapsed(),
            bundle.wasm_name,
            bundle.wasm_bytes / 1024,
            bundle.wasm_gzip_bytes / 1024
        );
        bundle.dir
    })
}

/// Chromium and its driver, or why the test cannot run.
fn browser_binaries() -> Result<(PathBuf, PathBuf), String> {
    let find = |names: &[&str]| {
        names.iter().find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(name))
                    .find(|p| p.is_file())
            })
        })
    };
    let driver = find(&["chromedriver"]).ok_or("chromedriver is not on PATH")?;
    let chromium = find(&["chromium", "chromium-browser", "google-chrome"])
        .ok_or("chromium is not on PATH")?;
    Ok((chromium, driver))
}

/// A running test: the server (with its database) and a browser on it.
pub struct Browser {
    pub app: TestApp,
    pub driver: WebDriver,
    chromedriver: Child,
    _profile: tempfile::TempDir,
    name: String,
}

impl Browser {
    /// Starts everything, or `None` (after a loud message) when Chromium is not installed
    /// outside CI. Under CI (`CI` set) a missing browser fails the test.
    pub async fn start(name: &str) -> Option<Browser> {
        Browser::start_with(name, |_| {}).await
    }

    /// `start` with the server's settings changed by `configure`.
    pub async fn start_with(
        name: &str,
        configure: impl FnOnce(&mut kedao_api::Settings) + Send + 'static,
    ) -> Option<Browser> {
        Browser::launch(name, Backend::Sqlite, configure).await
    }

    /// `start` on PostgreSQL: `None` when `KEDAO_TEST_POSTGRES_URL` is not set (a failure
    /// under CI, as for the API tests).
    pub async fn start_postgres(name: &str) -> Option<Browser> {
        Browser::launch(name, Backend::Postgres, |_| {}).await
    }

    async fn launch(
        name: &str,
        backend: Backend,
        configure: impl FnOnce(&mut kedao_api::Settings) + Send + 'static,
    ) -> Option<Browser> {
        let (chromium, driver_path) = match browser_binaries() {
            Ok(found) => found,
            Err(why) => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "browser tests need Chromium: {why} (apt-get install chromium chromium-driver)"
                );
                // Straight to stderr: the test harness captures `eprintln!` of passing tests,
                // and a skip must not pass unnoticed.
                let _ = writeln!(
                    std::io::stderr(),
                    "\n!!! SKIPPED browser test {name}: {why}; install with `apt-get install chromium chromium-driver` !!!\n"
                );
                return None;
            }
        };
        let web_dir = tokio::task::spawn_blocking(|| bundle_dir().to_path_buf())
            .await
            .unwrap();
        let configure = move |s: &mut kedao_api::Settings| {
            s.web_dir = web_dir;
            configure(s);
        };
        let app = match backend {
            Backend::Sqlite => TestApp::spawn_with(Backend::Sqlite, configure).await,
            Backend::Postgres => TestApp::spawn_postgres_with(configure).await?,
        };

        let port = free_port();
        let chromedriver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
            "--lang=en-US",
        ]
        .map(str::to_owned)
        .into_iter()
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        });
        let url = format!("http://127.0.0.1:{port}");
        let driver = connect(&url, caps).await;
        Some(Browser {
            app,
            driver,
            chromedriver,
            _profile: profile,
            name: name.to_owned(),
        })
    }

    /// Opens a path of the app.
    pub async fn open(&self, path: &str) {
        self.driver.goto(&self.app.url(path)).await.unwrap();
    }

    /// The element, once it is on the page.
    pub async fn find(&self, by: By) -> Element {
        let started = Instant::now();
        loop {
            match self.driver.find(by.clone()).await {
                Ok(found) => return found,
                Err(e) if started.elapsed() > PATIENCE => {
                    panic!("waited {PATIENCE:?} for {by:?}: {e:#}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Waits until the element's text contains `text`; returns the text.
    pub async fn wait_for_text(&self, by: By, text: &str) -> String {
        let started = Instant::now();
        loop {
            if let Ok(el) = self.driver.find(by.clone()).await
                && let Ok(shown) = el.text().await
                && shown.contains(text)
            {
                return shown;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "waited {PATIENCE:?} for {by:?} to show {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types into the input with this id, replacing what is there.
    pub async fn fill(&self, id: &str, value: &str) {
        let input = self.find(By::id(id)).await;
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }

    pub async fn click(&self, by: By) {
        self.find(by).await.click().await.unwrap();
    }

    /// Signs in through the sign-in screen.
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.click(By::id("sign-in")).await;
        self.find(By::id("sign-out")).await;
    }

    /// Opens `path` (which, signed out, shows the sign-in screen) and signs in there, landing
    /// back on `path`.
    pub async fn sign_in_at(&self, email: &str, password: &str, path: &str) {
        self.open(path).await;
        self.sign_in(email, password).await;
    }

    /// A new user with `role`, signed in on `path` in the browser; the user (with an API
    /// token for setting up data) is returned.
    pub async fn sign_in_as(&self, role: Role, path: &str) -> Actor {
        let actor = self.app.user(role, None).await;
        self.sign_in_at(&actor.email, PASSWORD, path).await;
        actor
    }

    /// Resizes the window (CSS pixels of the whole window).
    pub async fn resize(&self, width: u32, height: u32) {
        self.driver.set_window_size(width, height).await.unwrap();
    }

    /// Drags `card` onto `target` the way a mouse does in a browser: the HTML5 drag events
    /// (WebDriver's own pointer actions do not start an HTML5 drag in Chromium).
    pub async fn drag(&self, card: &Element, target: &Element) {
        let script = r#"
            const [card, target] = arguments;
            const data = new DataTransfer();
            const fire = (el, type) => el.dispatchEvent(
                new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
            fire(card, 'dragstart');
            fire(target, 'dragenter');
            fire(target, 'dragover');
            fire(target, 'drop');
            fire(card, 'dragend');
        "#;
        self.driver
            .execute(script, vec![card.to_json(), target.to_json()])
            .await
            .unwrap();
    }

    /// Runs the test body; on a panic, saves a screenshot first and says where.
    pub async fn run<F, Fut>(self, body: F)
    where
        F: FnOnce(std::sync::Arc<Browser>) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let browser = std::sync::Arc::new(self);
        let outcome = tokio::spawn(body(browser.clone())).await;
        if let Err(failure) = outcome {
            let dir = kedao_web::target_dir().join("browser-screenshots");
            std::fs::create_dir_all(&dir).unwrap();
            let shot = dir.join(format!("{}.png", browser.name));
            match browser.driver.screenshot(&shot).await {
                Ok(()) => eprintln!("screenshot of the failure: {}", shot.display()),
                Err(e) => eprintln!("no screenshot ({e:#})"),
            }
            browser.driver.quit().await.ok();
            std::panic::resume_unwind(failure.into_panic());
        }
        browser.driver.quit().await.ok();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// Opens a session once chromedriver listens (it takes a moment to start).
async fn connect(url: &str, caps: serde_json::Value) -> WebDriver {
    let started = Instant::now();
    loop {
        match WebDriver::new(url, caps.clone()).await {
            Ok(driver) => return driver,
            Err(_) if started.elapsed() < PATIENCE => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("no WebDriver session at {url}: {e:#}"),
        }
    }
}
