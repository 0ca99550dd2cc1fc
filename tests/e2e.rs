//! End to end: the real Vigil window, driven through WebDriver.
//!
//! Why this test exists: unit and engine tests prove the numbers; only the real binary shows that
//! the UI was embedded, the IPC commands are allowed by the capabilities, and the pages render
//! what the database holds. The app seeds the demo workspace into its empty database on first
//! start, and the test reads the expected incidents back with the `vigil` CLI, so it depends on
//! neither the engine's Rust API nor the demo catalogue.
//!
//! A second walk adds a PagerDuty source on the Sources page, pointed at a PagerDuty-shaped
//! server on 127.0.0.1 (the engine's own test server, shared with its integration tests), syncs
//! it with "Sync now" and finds a synced incident in the list: the whole path from a vendor's
//! API through the keychain, the sync and SQLite to the window.
//!
//! It needs a display (`cargo xtask test` starts Xvfb inside a D-Bus session), `tauri-driver`
//! and `WebKitWebDriver`; a missing one fails the test with the command that installs it. The
//! screenshots land in `target/e2e/` for people to look at, with tauri-driver's log beside them.
//!
//! Linux only: tauri-driver does not support macOS, and on Windows it would drive msedgedriver,
//! which needs its own setup (and another way to stop the process tree than a process group).
#![cfg(target_os = "linux")]
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use support::{Fixture, PagerDutyServer};
use tempfile::TempDir;

// The engine's PagerDuty-shaped server and its fixture, compiled into this test as well.
#[path = "../crates/engine/tests/support/mod.rs"]
mod support;

/// How long any one element may take to appear: the first start of WebKit under Xvfb is slow.
const WAIT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn the_incidents_page_shows_rows_from_the_database_and_opens_a_timeline() {
    let out = screenshot_dir();
    let app = AppUnderTest::start(&out);
    let client = app.connect().await;

    // The walk runs as its own task so that a failed assertion still lets the session close.
    let walk = tokio::spawn(walk_through_the_app(client.clone(), app.db.clone(), out));
    let outcome = walk.await;
    if let Err(err) = client.close().await {
        eprintln!("closing the WebDriver session failed: {err}");
    }
    drop(app);
    if let Err(err) = outcome {
        std::panic::resume_unwind(err.into_panic());
    }
}

/// Incidents list -> one incident's timeline -> Sources, checking each page against the database.
async fn walk_through_the_app(client: Client, db: PathBuf, out: PathBuf) {
    // The list: rows exist, and the first one is an incident the database really holds.
    wait_for(&client, r#"table[data-testid="incidents-table"]"#).await;
    wait_for(&client, r#"tr[data-testid="incident-row"]"#).await;
    let rows = find_all(&client, r#"tr[data-testid="incident-row"]"#).await;
    assert!(!rows.is_empty(), "the incidents table has no rows");
    let titles = incident_titles(&db);
    let first_link = find_all(&client, r#"a[data-testid="incident-link"]"#)
        .await
        .into_iter()
        .next()
        .expect("the first incident row has no a[data-testid=incident-link]");
    let first_title = first_link
        .text()
        .await
        .expect("reading the first row's title");
    let first_title = first_title.trim().to_owned();
    assert!(
        titles.contains(&first_title),
        "the first row's title {first_title:?} is not among the database's {} incident titles",
        titles.len()
    );
    screenshot(&client, &out, "incidents.png").await;

    // The detail page: its title is the row's, and its timeline has entries.
    first_link
        .click()
        .await
        .expect("clicking the first incident link");
    let heading = wait_for(&client, r#"[data-testid="incident-title"]"#).await;
    wait_for(&client, r#"ol[data-testid="timeline"] li"#).await;
    let heading = heading.text().await.expect("reading the incident title");
    assert!(
        heading.trim().ends_with(&first_title),
        "the detail page shows {heading:?}, not the clicked incident {first_title:?}"
    );
    let entries = find_all(&client, r#"ol[data-testid="timeline"] li"#).await;
    assert!(!entries.is_empty(), "the incident's timeline is empty");
    screenshot(&client, &out, "incident-detail.png").await;

    // Sources: the demo workspace's source is listed.
    let nav = wait_for(&client, r#"a[data-testid="nav-sources"]"#).await;
    nav.click().await.expect("clicking the Sources link");
    wait_for(&client, r#"[data-testid="source-card"]"#).await;
    let mut cards = Vec::new();
    for card in find_all(&client, r#"[data-testid="source-card"]"#).await {
        cards.push(card.text().await.expect("reading a source card"));
    }
    assert!(
        cards
            .iter()
            .any(|text| text.to_lowercase().contains("demo")),
        "no source card shows the demo source: {cards:?}"
    );
    screenshot(&client, &out, "sources.png").await;

    sync_pagerduty_through_the_window(&client, &out).await;
}

/// Sources -> add a PagerDuty source on loopback -> Sync now -> its incidents in the list.
async fn sync_pagerduty_through_the_window(client: &Client, out: &Path) {
    let fixture = Fixture::standard(support::now());
    let expected = fixture.incidents.len();
    let wanted = fixture.incidents[expected / 2].title.clone();
    let server = PagerDutyServer::start(fixture);

    // The form: name, base URL (replacing the default), token.
    let name = "Loopback PagerDuty";
    fill(
        client,
        r#"form[data-testid="add-source-form"] input[name="name"]"#,
        name,
    )
    .await;
    let base = server.base_url();
    fill(
        client,
        r#"form[data-testid="add-source-form"] input[name="base_url"]"#,
        &base,
    )
    .await;
    fill(
        client,
        r#"form[data-testid="add-source-form"] input[name="token"]"#,
        support::TOKEN,
    )
    .await;
    let submit = wait_for(
        client,
        r#"form[data-testid="add-source-form"] button[type="submit"]"#,
    )
    .await;
    submit.click().await.expect("clicking Add source");

    // Its card appears; Sync now runs the sync to the end and records the success.
    let card = format!(r#"[data-testid="source-card"][aria-label="{name}"]"#);
    wait_for(client, &card).await;
    let sync_now = wait_for(client, &format!(r#"button[aria-label="Sync {name} now"]"#)).await;
    sync_now.click().await.expect("clicking Sync now");
    let deadline = Instant::now() + WAIT;
    loop {
        let success = wait_for(
            client,
            &format!(r#"{card} [data-testid="source-last-success"]"#),
        )
        .await
        .text()
        .await
        .expect("reading the last success");
        if success.chars().any(|c| c.is_ascii_digit()) {
            break;
        }
        let errors = find_all(
            client,
            &format!(r#"{card} [data-testid="source-last-error"]"#),
        )
        .await;
        if let Some(error) = errors.first() {
            panic!("the sync failed in the window: {:?}", error.text().await);
        }
        assert!(
            Instant::now() < deadline,
            "the sync did not finish within {} s",
            WAIT.as_secs()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let incidents_requests = server.requests_to("/incidents");
    assert!(
        !incidents_requests.is_empty(),
        "the app never called the server's /incidents"
    );
    screenshot(client, out, "sources-synced.png").await;

    // The list finds a synced incident by its title.
    let nav = wait_for(client, r#"a[data-testid="nav-incidents"]"#).await;
    nav.click().await.expect("clicking the Incidents link");
    fill(client, r#"[data-testid="filter-text"]"#, &wanted).await;
    let deadline = Instant::now() + WAIT;
    loop {
        let mut titles = Vec::new();
        for link in find_all(client, r#"a[data-testid="incident-link"]"#).await {
            titles.push(link.text().await.unwrap_or_default().trim().to_owned());
        }
        if titles.contains(&wanted) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the synced incident {wanted:?} is not in the list; it shows {titles:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    screenshot(client, out, "incidents-synced.png").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_metrics_page_shows_the_engines_numbers_and_draws_the_control_charts() {
    let out = screenshot_dir();
    let app = AppUnderTest::start(&out);
    let client = app.connect().await;

    let walk = tokio::spawn(check_the_metrics_page(client.clone(), app.db.clone(), out));
    let outcome = walk.await;
    if let Err(err) = client.close().await {
        eprintln!("closing the WebDriver session failed: {err}");
    }
    drop(app);
    if let Err(err) = outcome {
        std::panic::resume_unwind(err.into_panic());
    }
}

/// Metrics page: the tiles hold the numbers `vigil metrics --json` computes for the same
/// database, window and zone (read from the page), and the control charts are drawn.
async fn check_the_metrics_page(client: Client, db: PathBuf, out: PathBuf) {
    let nav = wait_for(&client, r#"a[data-testid="nav-metrics"]"#).await;
    nav.click().await.expect("clicking the Metrics link");
    let window = wait_for(&client, r#"[data-testid="metrics-window"]"#).await;
    let mut span = Vec::new();
    for name in ["data-since", "data-until", "data-zone"] {
        let value = window
            .attr(name)
            .await
            .expect("reading the window's attributes");
        span.push(value.unwrap_or_else(|| panic!("the window line has no {name}")));
    }
    let report = metrics_json(&db, &span[0], &span[1], &span[2]);
    let current = &report["comparison"]["current"];

    // Counts: the visible number is the engine's.
    for (tile, count) in [
        ("incidents", "incidents"),
        ("open", "open"),
        ("unacknowledged", "unacknowledged"),
    ] {
        let expected = current["counts"][count]
            .as_u64()
            .expect("a count in the JSON");
        let shown = tile_text(&client, tile).await;
        assert_eq!(shown, expected.to_string(), "the {tile} tile");
    }
    assert!(
        current["counts"]["incidents"].as_u64() > Some(0),
        "the demo workspace has no incident in {span:?}"
    );
    // Durations: the mean behind the shown text, and n, are the engine's.
    for kpi in ["mtta", "mttd", "mttm", "mttr", "mtbf"] {
        let tile = wait_for(&client, &format!(r#"[data-testid="kpi-{kpi}"]"#)).await;
        let summary = &current[kpi];
        let n = summary["n"].as_u64().expect("n in the JSON");
        let shown_n = tile.attr("data-n").await.expect("reading data-n");
        assert_eq!(shown_n, Some(n.to_string()), "n of the {kpi} tile");
        let shown_mean = tile.attr("data-value").await.expect("reading data-value");
        match summary["mean"].as_f64() {
            Some(mean) => {
                let shown: f64 = shown_mean.unwrap_or_default().parse().expect("a number");
                assert!(
                    (shown - mean).abs() < 1e-6,
                    "{kpi}: page {shown}, engine {mean}"
                );
                assert_ne!(tile_text(&client, kpi).await, "—", "{kpi} has a mean");
            }
            None => assert_eq!(tile_text(&client, kpi).await, "—", "{kpi} has no mean"),
        }
    }
    screenshot(&client, &out, "metrics.png").await;

    // The control charts: drawn SVG, one marker per weekly point.
    let xmr = wait_for(&client, r#"[data-testid="chart-mttr-xmr"] svg"#).await;
    let c = wait_for(&client, r#"[data-testid="chart-counts-c"] svg"#).await;
    let xmr_svg = xmr.html(false).await.expect("reading the XmR chart");
    let c_svg = c.html(false).await.expect("reading the c chart");
    for (name, svg, outcome) in [
        ("XmR", &xmr_svg, &report["weekly_mttr"]),
        ("c", &c_svg, &report["weekly_counts"]),
    ] {
        let points = outcome["chart"]["points"]
            .as_array()
            .unwrap_or_else(|| panic!("the engine drew no {name} chart: {outcome}"));
        let markers =
            svg.matches("class=\"hover\"").count() + svg.matches("class=\"special-cause\"").count();
        assert_eq!(markers, points.len(), "points of the {name} chart");
        assert!(svg.contains("UCL"), "the {name} chart has no UCL label");
    }
    client
        .execute(
            "document.querySelector('[data-testid=\"chart-mttr-xmr\"]').scrollIntoView();",
            Vec::new(),
        )
        .await
        .expect("scrolling to the control charts");
    screenshot(&client, &out, "metrics-control-charts.png").await;

    // By dimension: a row per service the engine counted.
    wait_for(&client, r#"[data-testid="dimension-table"]"#).await;
    let rows = find_all(&client, r#"tr[data-testid="dimension-row"]"#).await;
    let services = report["by_service"]
        .as_array()
        .expect("by_service in the JSON");
    assert_eq!(rows.len(), services.len(), "rows of the by-service table");
    client
        .execute(
            "document.querySelector('[data-testid=\"dimension-table\"]').scrollIntoView();",
            Vec::new(),
        )
        .await
        .expect("scrolling to the table by dimension");
    screenshot(&client, &out, "metrics-by-dimension.png").await;

    // Seven days hold no whole week to chart: the page says so in words, not with empty axes.
    let span = wait_for(&client, r#"select[data-testid="metrics-span"]"#).await;
    span.select_by_value("7")
        .await
        .expect("choosing the last 7 days");
    let missing = wait_for(
        &client,
        r#"[data-testid="chart-mttr-xmr"] [data-testid="chart-missing"]"#,
    )
    .await;
    let reason = missing.text().await.expect("reading why there is no chart");
    assert!(
        reason.contains("at least 8"),
        "the XmR chart's place says {reason:?}"
    );
    assert!(
        find_all(&client, r#"[data-testid="chart-mttr-xmr"] svg"#)
            .await
            .is_empty(),
        "a 7-day period still shows XmR axes"
    );
}

/// The visible figure of a KPI tile.
async fn tile_text(client: &Client, kpi: &str) -> String {
    let css = format!(r#"[data-testid="kpi-{kpi}"] [data-testid="kpi-value"]"#);
    let value = wait_for(client, &css).await;
    value
        .text()
        .await
        .unwrap_or_else(|err| panic!("reading {css}: {err}"))
        .trim()
        .to_owned()
}

/// Replaces the value of the input at `css` with `text`, as typing would.
async fn fill(client: &Client, css: &str, text: &str) {
    let input = wait_for(client, css).await;
    input
        .clear()
        .await
        .unwrap_or_else(|err| panic!("clearing {css}: {err}"));
    input
        .send_keys(text)
        .await
        .unwrap_or_else(|err| panic!("typing into {css}: {err}"));
}

/// Tests start their app one after the other: two WebKit sessions starting together on a
/// two-core machine miss the time limits above.
static ONE_APP_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The app started through tauri-driver, with its database and home in a temp dir; dropping it
/// stops tauri-driver, WebKitWebDriver and the app.
struct AppUnderTest {
    driver: Child,
    port: u16,
    db: PathBuf,
    /// Kept, not deleted, when the test fails: the app's logs are in there.
    home: Option<TempDir>,
    /// Held until the app is stopped (a test that failed holding it poisons it, harmlessly).
    _turn: std::sync::MutexGuard<'static, ()>,
}

impl AppUnderTest {
    fn start(out: &Path) -> Self {
        require_display();
        let turn = ONE_APP_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let tauri_driver = find_program("tauri-driver").unwrap_or_else(|| {
            panic!(
                "tauri-driver is not installed: `cargo install tauri-driver --version 2.1.0` \
                 (or `cargo xtask setup`)"
            )
        });
        let webkit_driver = find_program("WebKitWebDriver").unwrap_or_else(|| {
            panic!("WebKitWebDriver is not installed: `apt-get install webkit2gtk-driver`")
        });

        // The app's files go to a temp dir: its database through VIGIL_DB, its logs and
        // WebKit's caches through HOME and the XDG folders.
        let home = tempfile::Builder::new()
            .prefix("vigil-e2e-")
            .tempdir()
            .expect("creating a temp dir");
        let db = home.path().join("vigil.sqlite3");
        let log_path = out.join("tauri-driver.log");
        let log = File::create(&log_path).expect("creating target/e2e/tauri-driver.log");
        let log_err = log.try_clone().expect("sharing the log file");

        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new(&tauri_driver);
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .arg("--native-driver")
            .arg(&webkit_driver)
            .env("VIGIL_DB", &db)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            // GTK otherwise waits for an accessibility bus a headless session lacks.
            .env("NO_AT_BRIDGE", "1")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            // Its own process group, so that dropping the guard ends WebKitWebDriver and the
            // app too, not only tauri-driver.
            .process_group(0);
        let driver = command
            .spawn()
            .unwrap_or_else(|err| panic!("starting {}: {err}", tauri_driver.display()));
        let mut app = Self {
            driver,
            port,
            db,
            home: Some(home),
            _turn: turn,
        };
        app.wait_until_listening(&log_path);
        app
    }

    fn wait_until_listening(&mut self, log: &Path) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!(
                    "tauri-driver exited ({status}) before listening: see {}",
                    log.display()
                );
            }
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on port {} within 20 s: see {}",
                self.port,
                log.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A WebDriver session whose browser is the app binary (no `browserName`: newer
    /// WebKitWebDriver rejects it).
    async fn connect(&self) -> Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".to_owned(),
            json!({ "application": env!("CARGO_BIN_EXE_vigil-desktop") }),
        );
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let url = format!("http://127.0.0.1:{}", self.port);
        // tauri-driver listens before WebKitWebDriver behind it is ready, and then drops the
        // first request unanswered now and then (hyper's "IncompleteMessage"); a new attempt a
        // moment later succeeds, so a dropped request is retried a few times.
        let mut attempt = 1;
        loop {
            let session = tokio::time::timeout(Duration::from_secs(120), builder.connect(&url))
                .await
                .expect("the WebDriver session did not start within 120 s");
            match session {
                Ok(client) => return client,
                Err(err) if attempt < 4 => {
                    eprintln!("WebDriver session attempt {attempt} failed ({err}); trying again");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    attempt += 1;
                }
                Err(err) => panic!("creating a WebDriver session through tauri-driver: {err}"),
            }
        }
    }
}

impl Drop for AppUnderTest {
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        for signal in ["-TERM", "-KILL"] {
            // Best effort: the group may be gone already, which is what we want.
            let _ = Command::new("kill")
                .args([signal, "--", &group])
                .stderr(Stdio::null())
                .status();
            if matches!(self.driver.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let _ = self.driver.wait();
        if std::thread::panicking() {
            if let Some(home) = self.home.take() {
                eprintln!(
                    "kept the app's files for inspection in {}",
                    home.keep().display()
                );
            }
        }
    }
}

/// The titles of every incident in the database, as the `vigil` CLI lists them.
fn incident_titles(db: &Path) -> Vec<String> {
    let app = Path::new(env!("CARGO_BIN_EXE_vigil-desktop"));
    let cli = app.with_file_name("vigil");
    assert!(
        cli.is_file(),
        "{} is missing: build it with `cargo build -p vigil-engine --bin vigil` \
         (`cargo xtask test` does)",
        cli.display()
    );
    let output = Command::new(&cli)
        .arg("--db")
        .arg(db)
        .args(["incidents", "list", "--json"])
        .output()
        .expect("running the vigil CLI");
    assert!(
        output.status.success(),
        "`vigil incidents list --json` failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed: Value =
        serde_json::from_slice(&output.stdout).expect("the CLI's --json output is not JSON");
    let titles: Vec<String> = listed
        .as_array()
        .expect("the CLI's --json output is not an array")
        .iter()
        .filter_map(|incident| incident["title"].as_str())
        .map(|title| title.trim().to_owned())
        .collect();
    assert!(
        !titles.is_empty(),
        "the CLI lists no incident in {}",
        db.display()
    );
    titles
}

/// The Metrics report `vigil metrics --json` computes for the database, window and zone.
fn metrics_json(db: &Path, since: &str, until: &str, zone: &str) -> Value {
    let app = Path::new(env!("CARGO_BIN_EXE_vigil-desktop"));
    let cli = app.with_file_name("vigil");
    let output = Command::new(&cli)
        .arg("--db")
        .arg(db)
        .args([
            "metrics", "--json", "--since", since, "--until", until, "--tz", zone,
        ])
        .output()
        .unwrap_or_else(|err| panic!("running {}: {err}", cli.display()));
    assert!(
        output.status.success(),
        "`vigil metrics --json` failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the CLI's metrics JSON does not parse")
}

async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("{css} did not appear within {} s: {err}", WAIT.as_secs()))
}

async fn find_all(client: &Client, css: &str) -> Vec<fantoccini::elements::Element> {
    client
        .find_all(Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("finding {css}: {err}"))
}

async fn screenshot(client: &Client, out: &Path, name: &str) {
    // WebKit under Xvfb hands over the last frame it painted, which can be the page as it was
    // before the last click or scroll: wait for two frames to be painted first.
    let painted = client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
            Vec::new(),
        )
        .await;
    if let Err(err) = painted {
        eprintln!("waiting for a painted frame before {name} failed: {err}");
    }
    let png = client.screenshot().await.expect("taking a screenshot");
    let path = out.join(name);
    std::fs::write(&path, png).unwrap_or_else(|err| panic!("writing {}: {err}", path.display()));
}

/// `target/e2e/` of the workspace, where people look for the screenshots.
fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("e2e");
    std::fs::create_dir_all(&dir).expect("creating target/e2e");
    dir
}

fn require_display() {
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|var| std::env::var_os(var).is_some_and(|value| !value.is_empty()));
    assert!(
        has_display,
        "no display: run the tests with `cargo xtask test`, which starts Xvfb"
    );
}

/// A port free right now; tauri-driver binds it a moment later, a race no test here loses.
fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .expect("finding a free port")
        .port()
}

/// A program on PATH or in cargo's bin folder, where `cargo install` puts tauri-driver.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    std::env::split_paths(&path)
        .chain(cargo_home.map(|home| home.join("bin")))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
