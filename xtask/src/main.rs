//! Vigil's build orchestration, run as `cargo xtask <command>`.
//!
//! Why a Rust program and not shell scripts: the steps (install the wasm toolchain, build the UI
//! before the app that embeds it, run the tests under a headless display and an unlocked keyring)
//! must behave the same on a developer's laptop and in CI, and the one thing every Vigil machine
//! has is cargo. Every command prints what it runs, so a failure names the command to repeat.
//!
//! Each module holds one step: `setup` (with `apt`, `wasm` and `tools` for its three needs), `ui`,
//! `app` (build and run the binaries), `test` (the checks a change must pass) and `headless` (the
//! part of the tests that runs inside a D-Bus session with Xvfb and a keyring). `bench` measures
//! the running app; `bundle` makes the installable packages.

// The xtask is a command-line tool whose output is meant for a person at a terminal, so printing
// to stdout is its job, not a forgotten debug line.
#![allow(clippy::print_stdout)]

mod app;
mod apt;
mod bench;
mod bench_metrics;
mod bench_spc;
mod bundle;
mod headless;
mod setup;
mod steps;
mod tally;
mod test;
mod tools;
mod ui;
mod util;
mod wasm;

use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::util::Workspace;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup              install what building and testing Vigil needs (idempotent)
  ui                 build the Leptos UI (wasm32) into ui/dist
  build [--release]  setup, ui, then the desktop app and the `vigil` CLI
  run                build, then start the desktop app
  test               formatting, lints, builds and every test, the e2e one in a headless window
  bench launch       launch to first painted page, and memory of all the app's processes
  bench metrics      the Metrics page over 1,000,000 incidents: Rust (release) beside pandas
  bench spc          SPC over 1,000,000 measurements: Rust (release) beside numpy
  bundle [--debug]   the installable app: a .deb on Linux, the platform's bundles elsewhere
";

fn main() -> ExitCode {
    match dispatch(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn dispatch(args: Vec<String>) -> Result<()> {
    let ws = Workspace::locate()?;
    let (command, flags) = match args.split_first() {
        Some((command, flags)) => (command.as_str(), flags),
        None => {
            print!("{USAGE}");
            bail!("no command given");
        }
    };
    if command == "bench" {
        return bench::run(&ws, flags);
    }
    if command == "bundle" {
        return bundle::run_command(&ws, flags);
    }
    let release = match flags {
        [] => false,
        [flag] if flag == "--release" && command == "build" => true,
        _ => bail!("unexpected arguments for `{command}`: {flags:?}\n{USAGE}"),
    };

    match command {
        "setup" => setup::run(&ws),
        "ui" => ui::build(&ws),
        "build" => app::build_all(&ws, release),
        "run" => app::run(&ws),
        "test" => test::run(&ws),
        // Not for people: `test` re-invokes the xtask with this inside `dbus-run-session`.
        headless::INNER_COMMAND => headless::run(&ws),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n{USAGE}"),
    }
}
