//! `cargo xtask build` and `cargo xtask run`: the desktop app and the `vigil` CLI.

use std::process::Command;

use anyhow::{Context, Result};

use crate::steps::Steps;
use crate::util::{self, Workspace};
use crate::{setup, ui};

/// The desktop app's binary, from the root package `vigil-app`.
pub const APP_BIN: &str = "vigil-desktop";

/// Setup, the UI, then both binaries; prints the time of each step.
pub fn build_all(ws: &Workspace, release: bool) -> Result<()> {
    let mut steps = Steps::default();
    let outcome = build_steps(ws, release, &mut steps);
    steps.print_timings();
    outcome
}

fn build_steps(ws: &Workspace, release: bool, steps: &mut Steps) -> Result<()> {
    steps.run("checking the machine (setup)", || setup::run(ws))?;
    steps.run("building the UI (wasm32)", || ui::build(ws))?;
    let title = format!("building the app and the CLI ({})", profile(release));
    steps.run(&title, || build_binaries(ws, release))
}

/// Builds `vigil-desktop` and `vigil`; the UI must be in `ui/dist` already.
pub fn build_binaries(ws: &Workspace, release: bool) -> Result<()> {
    let mut app = ws.cargo(["build", "-p", "vigil-app", "--bin", APP_BIN]);
    let mut cli = ws.cargo(["build", "-p", "vigil-engine", "--bin", "vigil"]);
    if release {
        app.arg("--release");
        cli.arg("--release");
    }
    util::run(&mut app).context("building the desktop app")?;
    util::run(&mut cli).context("building the vigil CLI")
}

/// Builds in the debug profile (dependencies are optimised there already) and starts the app,
/// which opens its default database and seeds the demo workspace into it when it is empty.
pub fn run(ws: &Workspace) -> Result<()> {
    let mut steps = Steps::default();
    let built = build_steps(ws, false, &mut steps);
    steps.print_timings();
    built?;

    let binary = ws.target.join("debug").join(APP_BIN);
    println!("\n==> starting {}", binary.display());
    let mut app = Command::new(&binary);
    app.current_dir(&ws.root);
    util::run(&mut app)
}

fn profile(release: bool) -> &'static str {
    if release {
        "release"
    } else {
        "debug"
    }
}
