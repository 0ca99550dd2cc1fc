//! `cargo xtask bench metrics`: the whole Metrics page (every KPI of twelve weeks, per service
//! too, with both control charts) over a database of a million incidents, timed from SQLite to
//! the finished report, beside the same aggregates computed by pandas from the same file.
//!
//! The database is generated once (deterministically, by the engine's `metrics_bench` example
//! in release) into the target dir and reused by later runs, which say so. pandas goes into a
//! virtualenv in the target dir, installed here the first time, never by hand. Each side runs
//! several times in one process: the first Rust run also reads the file into the page cache,
//! so it is shown apart, and the figures are the medians of the rest. Before any time is
//! printed as a result, the two sides must agree on every aggregate they both compute; a
//! disagreement fails the run, since a fast wrong number is worth nothing.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::util::{self, describe, Workspace};

/// The database's file name; the version changes whenever the generator's spread does, so an
/// old file is never measured as if it were the new one.
const DATABASE: &str = "metrics-1m-v2.sqlite3";

/// The twelve weeks measured: Mondays in New York, so the window crosses a DST change (8 March
/// is the Sunday before) and ends where the generated incidents do.
const SINCE: &str = "2026-03-09";
const UNTIL: &str = "2026-06-01";
const ZONE: &str = "America/New_York";

/// Repetitions of each side (Rust is cheap to repeat; pandas takes seconds a run).
const RUST_RUNS: &str = "7";
const PANDAS_RUNS: &str = "3";

/// The time the issue asks the Rust side to stay under, loading and computing together.
const TARGET_MS: f64 = 300.0;

/// Runs the benchmark.
pub fn run(ws: &Workspace) -> Result<()> {
    util::run(&mut ws.cargo([
        "build",
        "--release",
        "-p",
        "vigil-engine",
        "--example",
        "metrics_bench",
    ]))?;
    let bench = ws.target.join("release/examples/metrics_bench");
    let dir = ws.state_dir()?.join("bench-metrics");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let db = dir.join(DATABASE);
    if db.exists() {
        println!(
            "\n==> reusing {} from an earlier run: generation skipped (delete the file to \
             generate it anew)",
            db.display()
        );
    } else {
        println!("\n==> generating 1,000,000 incidents into {}", db.display());
        let started = Instant::now();
        util::run(Command::new(&bench).arg("generate").arg(&db))?;
        println!("generated in {:.0} s", started.elapsed().as_secs_f64());
    }
    let python = pandas_python(ws)?;

    println!("\n==> the Metrics page in Rust ({RUST_RUNS} runs)");
    let mut rust = Command::new(&bench);
    rust.arg("measure")
        .arg(&db)
        .args([SINCE, UNTIL, ZONE, RUST_RUNS]);
    let rust = Side::read(&mut rust)?;
    println!("\n==> the same aggregates in pandas ({PANDAS_RUNS} runs)");
    let mut pandas = Command::new(&python);
    pandas
        .arg(ws.root.join("xtask/bench/metrics.py"))
        .arg(&db)
        .args([SINCE, UNTIL, ZONE, PANDAS_RUNS]);
    let pandas = Side::read(&mut pandas)?;

    let disagreements = compare(&rust, &pandas);
    report_times(&rust, &pandas);
    if disagreements > 0 {
        bail!("Rust and pandas disagree on {disagreements} aggregates (marked `differs` above)");
    }
    Ok(())
}

/// The virtualenv's python, with pandas installed into it the first time.
fn pandas_python(ws: &Workspace) -> Result<PathBuf> {
    let venv = ws.state_dir()?.join("bench-venv");
    let python = venv.join("bin/python");
    if util::query(&python, &["-c", "import pandas"]).is_some() {
        println!("\n==> pandas is in {}", venv.display());
        return Ok(python);
    }
    println!(
        "\n==> installing pandas into the virtualenv {}",
        venv.display()
    );
    if !python.is_file() {
        util::run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).context(
            "creating the virtualenv failed: on Debian and Ubuntu, `apt-get install python3-venv`",
        )?;
    }
    util::run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "pandas",
    ]))?;
    Ok(python)
}

/// What one side printed: its times and aggregates.
#[derive(Debug, Default)]
struct Side {
    facts: String,
    load_ms: Vec<f64>,
    compute_ms: Vec<f64>,
    /// Of `compute_ms`, the page alone (Rust only: the rest is the per-service KPIs).
    report_ms: Vec<f64>,
    /// In the order printed; `None` for `null`.
    aggregates: Vec<(String, Option<f64>)>,
    version: Option<String>,
}

impl Side {
    /// Runs the command and reads its `name value...` lines.
    fn read(command: &mut Command) -> Result<Side> {
        println!("$ {}", describe(command));
        let output = command
            .output()
            .with_context(|| format!("could not start `{}`", describe(command)))?;
        if !output.status.success() {
            bail!(
                "`{}` failed ({}): {}",
                describe(command),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let mut side = Side::default();
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["facts", n] => side.facts = (*n).to_owned(),
                ["load_ms", times @ ..] => side.load_ms = numbers(times)?,
                ["compute_ms", times @ ..] => side.compute_ms = numbers(times)?,
                ["report_ms", times @ ..] => side.report_ms = numbers(times)?,
                ["pandas", version] => side.version = Some((*version).to_owned()),
                ["=", name, value] => {
                    let value = match *value {
                        "null" => None,
                        v => Some(v.parse().with_context(|| format!("reading {line}"))?),
                    };
                    side.aggregates.push(((*name).to_owned(), value));
                }
                _ => bail!("unexpected output line `{line}`"),
            }
        }
        if side.load_ms.is_empty() || side.load_ms.len() != side.compute_ms.len() {
            bail!("`{}` printed no times", describe(command));
        }
        Ok(side)
    }

    fn value(&self, name: &str) -> Option<Option<f64>> {
        self.aggregates
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    /// Load plus compute of each run, skipping Rust's first (cold cache) when there are others.
    fn totals(&self, skip_first: bool) -> Vec<f64> {
        let skip = usize::from(skip_first && self.load_ms.len() > 1);
        let pairs = self.load_ms.iter().zip(&self.compute_ms).skip(skip);
        pairs.map(|(l, c)| l + c).collect()
    }
}

fn numbers(words: &[&str]) -> Result<Vec<f64>> {
    let parsed = words.iter().map(|w| w.parse::<f64>());
    parsed
        .collect::<Result<_, _>>()
        .context("reading the times")
}

/// Prints every aggregate side by side and returns how many differ. Means may differ in the
/// last bits (summation order), so values agree within a relative 1e-9.
fn compare(rust: &Side, pandas: &Side) -> usize {
    println!("\n{:<36} {:>22} {:>22}", "aggregate", "Rust", "pandas");
    let show = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"));
    let mut differs = 0;
    for (name, ours) in &rust.aggregates {
        let Some(theirs) = pandas.value(name) else {
            println!("{name:<36} {:>22} {:>22}", show(*ours), "(Rust only)");
            continue;
        };
        let same = match (ours, theirs) {
            (None, None) => true,
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
            _ => false,
        };
        let mark = if same { "" } else { "  differs" };
        differs += usize::from(!same);
        println!("{name:<36} {:>22} {:>22}{mark}", show(*ours), show(theirs));
    }
    for (name, _) in &pandas.aggregates {
        if rust.value(name).is_none() {
            println!("{name:<36} {:>22} {:>22}  differs", "(missing)", "");
            differs += 1;
        }
    }
    differs
}

fn report_times(rust: &Side, pandas: &Side) {
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let warm = |v: &[f64]| median(v.iter().skip(usize::from(v.len() > 1)).copied().collect());
    let (load, compute) = (warm(&rust.load_ms), warm(&rust.compute_ms));
    let rust_total = median(rust.totals(true));
    let pandas_total = median(pandas.totals(false));
    println!(
        "\nMetrics page, 12 weeks of {ZONE} ({} incidents loaded of 1,000,000; release build):",
        rust.facts
    );
    println!(
        "  Rust:   {rust_total:.0} ms = load facts {load:.0} ms + compute {compute:.0} ms (the \
         page {:.0} ms, KPIs per service the rest; median of {} warm runs; the first, cold \
         one: {:.0} ms)",
        warm(&rust.report_ms),
        rust.load_ms.len().saturating_sub(1),
        rust.load_ms[0] + rust.compute_ms[0]
    );
    println!(
        "  pandas: {pandas_total:.0} ms = load {:.0} ms + compute {:.0} ms (median of {} runs, \
         pandas {})",
        median(pandas.load_ms.clone()),
        median(pandas.compute_ms.clone()),
        pandas.load_ms.len(),
        pandas.version.as_deref().unwrap_or("?")
    );
    println!(
        "  pandas / Rust: {:.1}x; target under {TARGET_MS:.0} ms: {}",
        pandas_total / rust_total,
        if rust_total < TARGET_MS {
            "met"
        } else {
            "missed"
        }
    );
}
