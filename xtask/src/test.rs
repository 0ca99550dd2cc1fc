//! `cargo xtask test`: everything a change must pass, in the order that fails fastest.
//!
//! Formatting and the UI's lints come before the slow builds; the UI is built before the native
//! lints because the app's `generate_context!` embeds `ui/dist` even when only checked; the tests
//! run last, inside a headless session (see `headless`), after the debug `.deb` is bundled from
//! the debug build so the bundle test can inspect it. The closing line adds up every test
//! binary's results: `N passed, N failed`.

use std::time::Instant;

use anyhow::{Context, Result};

use crate::steps::{format_duration, Steps};
use crate::tally::{self, Tally};
use crate::util::{self, Workspace};
use crate::wasm::{self, Route};
use crate::{app, bundle, headless, setup, ui};

/// Runs every step, then prints the time of each and the test counts, also after a failure.
pub fn run(ws: &Workspace) -> Result<()> {
    let started = Instant::now();
    let mut steps = Steps::default();
    let mut tally = Tally::default();

    let outcome = run_steps(ws, &mut steps, &mut tally);

    steps.print_timings();
    println!("total: {}", format_duration(started.elapsed()));
    if tally.reports > 0 {
        println!("{}", tally.summary());
    }
    outcome
}

fn run_steps(ws: &Workspace, steps: &mut Steps, tally: &mut Tally) -> Result<()> {
    steps.run("checking the machine (setup)", || setup::run(ws))?;
    steps.run("checking the test tools", headless::check_tools)?;

    steps.run("checking formatting (cargo fmt)", || {
        util::run(&mut ws.cargo(["fmt", "--all", "--", "--check"]))
            .context("formatting differs: run `cargo fmt --all`")
    })?;
    steps.run("linting the UI (clippy, wasm32)", || lint_ui(ws))?;
    steps.run("building the UI (wasm32)", || ui::build(ws))?;
    steps.run("linting the native crates (clippy)", || {
        util::run(&mut ws.cargo([
            "clippy",
            "--workspace",
            "--exclude",
            "vigil-ui",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    steps.run("building the app and the CLI (debug)", || {
        app::build_binaries(ws, false)
    })?;

    let deb = steps.run("bundling the .deb (debug)", || bundle::run(ws, true))?;

    steps.run("running the tests (Xvfb, D-Bus session, keyring)", || {
        let mut inner = headless::inner_command()?;
        if let Some(deb) = &deb {
            inner.env(bundle::DEB_ENV, deb);
        }
        tally::run_counting(&mut inner, tally)
    })
}

/// Clippy on the wasm32 target. On the second toolchain route the std for wasm32 is built by
/// Debian's rustc, whose metadata rustup's clippy cannot read, so there the UI is linted natively.
fn lint_ui(ws: &Workspace) -> Result<()> {
    let lints = ["--", "-D", "warnings"];
    match wasm::current(ws)? {
        Route::Rustup => {
            let mut clippy = ws.cargo(["clippy", "-p", "vigil-ui", "--target", wasm::TARGET]);
            util::run(clippy.args(lints))
        }
        Route::DebianBuildStd => {
            println!("second wasm route: linting vigil-ui for the host instead of wasm32");
            util::run(ws.cargo(["clippy", "-p", "vigil-ui"]).args(lints))
        }
    }
}
