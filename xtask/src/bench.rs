//! `cargo xtask bench launch`: how long the desktop app takes from launch to its first painted
//! Incidents page, and how much memory all its processes hold once it is there.
//!
//! Figures, not assertions: the machine's load moves them, so they are printed for the README
//! and never fail a build. Each launch gets a throwaway home, so the first one starts on an empty
//! database (and seeds the demo workspace, as a new user's first start does) and the later ones
//! reopen it warm. The app itself logs `first page painted` on the frame after the page showed
//! its rows; the time is taken here, from spawning the process to reading that line.
//!
//! Memory is summed over the app and every process it started (WebKit's web and network
//! processes), both as RSS (what `top` shows, counting shared libraries once per process) and as
//! PSS (shared pages split between the processes that map them: the honest total).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::app::{self, APP_BIN};
use crate::headless::Xvfb;
use crate::util::{describe, Workspace};

/// Launches measured after the first (cold) one.
const WARM_LAUNCHES: usize = 3;

/// How long a launch may take before the run gives up on it.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(180);

/// How long the app settles after its first paint before its memory is read.
const SETTLE: Duration = Duration::from_secs(3);

/// The line the app logs once its first page is on screen.
const PAINTED: &str = "first page painted";

/// Runs the benchmark named by `args` (only `launch` so far).
pub fn run(ws: &Workspace, args: &[String]) -> Result<()> {
    match args {
        [name] if name == "launch" => launch(ws),
        [name] if name == "metrics" => crate::bench_metrics::run(ws),
        [name] if name == "spc" => crate::bench_spc::run(ws),
        _ => bail!("usage: cargo xtask bench launch|metrics|spc"),
    }
}

/// One measured start of the app.
#[derive(Debug)]
struct Launch {
    painted_after: Duration,
    processes: usize,
    rss_kib: u64,
    pss_kib: u64,
}

fn launch(ws: &Workspace) -> Result<()> {
    app::build_all(ws, false)?;
    let binary = ws.target.join("debug").join(APP_BIN);
    let display = if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        None
    } else {
        Some(Xvfb::start(ws)?)
    };
    let display_name = display
        .as_ref()
        .map(|d| d.name.clone())
        .or_else(|| std::env::var("DISPLAY").ok())
        .unwrap_or_default();

    let home = tempfile_dir(ws)?;
    let mut launches = Vec::new();
    for round in 0..=WARM_LAUNCHES {
        let kind = if round == 0 {
            "cold (empty database, seeds the demo)"
        } else {
            "warm"
        };
        println!(
            "\n==> launch {} of {}: {kind}",
            round + 1,
            WARM_LAUNCHES + 1
        );
        let launch = measure_once(&binary, &home, &display_name)?;
        println!(
            "painted after {} ms; {} processes, RSS {} MiB, PSS {} MiB",
            launch.painted_after.as_millis(),
            launch.processes,
            launch.rss_kib / 1024,
            launch.pss_kib / 1024
        );
        launches.push(launch);
    }
    // Best effort: the folder is in the target dir and the next run replaces it anyway.
    let _ = std::fs::remove_dir_all(&home);

    let (cold, warm) = launches.split_at(1);
    println!(
        "\nlaunch to first painted Incidents page (debug build, {} processes):",
        cold[0].processes
    );
    println!("  cold: {} ms", cold[0].painted_after.as_millis());
    let mut warm_ms: Vec<u128> = warm.iter().map(|l| l.painted_after.as_millis()).collect();
    warm_ms.sort_unstable();
    println!(
        "  warm: median {} ms of {:?}",
        warm_ms[warm_ms.len() / 2],
        warm_ms
    );
    let last = launches.last().context("no launch was measured")?;
    println!(
        "memory of all the app's processes, {} s after the first paint: RSS {} MiB, PSS {} MiB",
        SETTLE.as_secs(),
        last.rss_kib / 1024,
        last.pss_kib / 1024
    );
    Ok(())
}

/// A fresh folder for the app's home under the target dir.
fn tempfile_dir(ws: &Workspace) -> Result<std::path::PathBuf> {
    let home = ws.state_dir()?.join("bench-home");
    if home.exists() {
        std::fs::remove_dir_all(&home)
            .with_context(|| format!("removing the last run's {}", home.display()))?;
    }
    std::fs::create_dir_all(&home).with_context(|| format!("creating {}", home.display()))?;
    Ok(home)
}

/// Starts the app, waits for its first paint, reads its memory, and stops it.
fn measure_once(binary: &Path, home: &Path, display: &str) -> Result<Launch> {
    let mut command = Command::new(binary);
    command
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("VIGIL_DB", home.join("vigil.sqlite3"))
        .env("DISPLAY", display)
        // GTK otherwise waits for an accessibility bus a headless session lacks.
        .env("NO_AT_BRIDGE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    println!("$ {}", describe(&command));
    let started = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let outcome = wait_for_paint(&mut child, started).and_then(|painted_after| {
        std::thread::sleep(SETTLE);
        let (processes, rss_kib, pss_kib) = memory_of_tree(child.id())?;
        Ok(Launch {
            painted_after,
            processes,
            rss_kib,
            pss_kib,
        })
    });
    // Best effort: the app may have exited already, which is what we want.
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

/// Reads the app's log lines until the first-paint line, on a thread so a silent app times out.
fn wait_for_paint(child: &mut Child, started: Instant) -> Result<Duration> {
    let stderr = child
        .stderr
        .take()
        .context("the app's stderr was not captured")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains(PAINTED) {
                let _ = tx.send(Ok(started.elapsed()));
            } else if line.contains("ERROR") {
                let _ = tx.send(Err(line));
            }
        }
    });
    match rx.recv_timeout(LAUNCH_TIMEOUT) {
        Ok(Ok(after)) => Ok(after),
        Ok(Err(line)) => bail!("the app logged an error before its first paint: {line}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            bail!("the app exited before its first paint: run it by hand to see why")
        }
        Err(mpsc::RecvTimeoutError::Timeout) => bail!(
            "the app did not log `{PAINTED}` within {} s",
            LAUNCH_TIMEOUT.as_secs()
        ),
    }
}

/// The number of processes in the tree under `root` (itself included) and their summed RSS and
/// PSS in KiB, from `/proc`.
fn memory_of_tree(root: u32) -> Result<(usize, u64, u64)> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in std::fs::read_dir("/proc").context("reading /proc")? {
        let Ok(pid) = entry?.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Some(parent) = parent_of(pid) {
            children.entry(parent).or_default().push(pid);
        }
    }
    let mut tree = vec![root];
    let mut next = 0;
    while next < tree.len() {
        tree.extend(children.get(&tree[next]).into_iter().flatten());
        next += 1;
    }
    let (mut rss, mut pss) = (0, 0);
    for pid in &tree {
        let rollup =
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        rss += field_kib(&rollup, "Rss:");
        pss += field_kib(&rollup, "Pss:");
    }
    Ok((tree.len(), rss, pss))
}

/// The parent pid from `/proc/PID/stat`, whose second field (the name) may hold spaces.
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// A `Name:   123 kB` line's number.
fn field_kib(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
