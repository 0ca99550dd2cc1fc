//! `cargo xtask bundle [--debug]`: the installable app, built by the Tauri bundler.
//!
//! On Linux it builds a `.deb` (the package Debian and Ubuntu users install with `apt install
//! ./Vigil_*.deb`); on macOS and Windows `tauri build` makes the platform's default bundles (a
//! `.dmg`/`.app`, an `.msi`/NSIS installer), which only those systems' tools can produce. The
//! tests call it with `--debug`, which reuses the debug build the other tests already made and
//! costs only the packaging.
//!
//! Cost: `tauri build` runs its own `cargo build`, and its environment differs from a plain
//! cargo call in something the C build of `ring` watches, so ring, the TLS crates, reqwest, the
//! engine and the app compile again (about 45 s on the 2-core machine), and the next plain cargo
//! build compiles them back. Which variable it is has not been pinned down; running `tauri bundle`
//! on the binary the xtask already built, instead of `tauri build`, would avoid both rebuilds.
//!
//! The Tauri CLI comes from npm when `npm` is there (the `@tauri-apps/cli` package ships a
//! prebuilt binary, seconds to install), else from `cargo install tauri-cli` (minutes of
//! compiling); either way it goes into the target directory so a CI cache keeps it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::ui;
use crate::util::{self, Workspace};

/// The environment variable through which the bundle test learns where the `.deb` is.
pub const DEB_ENV: &str = "VIGIL_DEB";

/// Builds the UI, then the bundles, and returns the `.deb` on Linux (`None` elsewhere).
pub fn run(ws: &Workspace, debug: bool) -> Result<Option<PathBuf>> {
    ui::build(ws)?;
    let tauri = ensure_tauri_cli(ws)?;

    let mut build = tauri.command();
    build.arg("build");
    if cfg!(target_os = "linux") {
        build.args(["--bundles", "deb"]);
    }
    if debug {
        build.arg("--debug");
    }
    build
        .current_dir(&ws.root)
        .env("CARGO_TARGET_DIR", &ws.target);
    util::run(&mut build).context("the Tauri bundler failed; its output above says why")?;

    if !cfg!(target_os = "linux") {
        return Ok(None);
    }
    let profile = if debug { "debug" } else { "release" };
    let deb = newest_deb(&ws.target.join(profile).join("bundle").join("deb"))?;
    println!("bundle: {}", deb.display());
    Ok(Some(deb))
}

/// How to start the Tauri CLI that is installed.
#[derive(Debug)]
pub enum TauriCli {
    /// The npm package's binary.
    Npm(PathBuf),
    /// `cargo tauri`, from `cargo install tauri-cli`.
    Cargo,
}

impl TauriCli {
    fn command(&self) -> Command {
        match self {
            TauriCli::Npm(path) => Command::new(path),
            TauriCli::Cargo => {
                let mut cargo = Command::new("cargo");
                cargo.arg("tauri");
                cargo
            }
        }
    }
}

/// Finds the Tauri CLI 2, installing it when missing: npm first, `cargo install` otherwise.
pub fn ensure_tauri_cli(ws: &Workspace) -> Result<TauriCli> {
    let prefix = ws.target.join("tools");
    let npm_binary = prefix.join("node_modules").join(".bin").join("tauri");
    if is_tauri_2(&npm_binary) {
        println!("the Tauri CLI is installed at {}", npm_binary.display());
        return Ok(TauriCli::Npm(npm_binary));
    }
    if util::query("cargo", &["tauri", "--version"]).is_some_and(|v| v.contains(" 2.")) {
        println!("the Tauri CLI is installed as `cargo tauri`");
        return Ok(TauriCli::Cargo);
    }

    if util::find_program("npm").is_some() {
        let mut npm = Command::new("npm");
        npm.arg("install")
            .arg("--prefix")
            .arg(&prefix)
            .arg("@tauri-apps/cli@2");
        util::run(&mut npm).context("installing the Tauri CLI with npm failed")?;
        if is_tauri_2(&npm_binary) {
            return Ok(TauriCli::Npm(npm_binary));
        }
        bail!(
            "npm installed @tauri-apps/cli, but {} does not run",
            npm_binary.display()
        );
    }
    let mut install = Command::new("cargo");
    install.args(["install", "tauri-cli", "--version", "^2", "--locked"]);
    util::run(&mut install).context(
        "installing the Tauri CLI failed: install npm, or retry with \
         `cargo install tauri-cli --version ^2 --locked`",
    )?;
    Ok(TauriCli::Cargo)
}

/// Whether `path` runs and says it is the Tauri CLI 2 (`tauri-cli 2.x.y`).
fn is_tauri_2(path: &Path) -> bool {
    path.is_file() && util::query(path, &["--version"]).is_some_and(|v| v.contains(" 2."))
}

/// The most recently written `.deb` in `dir`: the bundler names it after the version, so an
/// older version's package may still lie beside it.
fn newest_deb(dir: &Path) -> Result<PathBuf> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("the bundler wrote no folder {}", dir.display()))?;
    let mut debs: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    debs.sort();
    match debs.pop() {
        Some((_, deb)) => Ok(deb),
        None => bail!("the bundler wrote no .deb into {}", dir.display()),
    }
}

/// `cargo xtask bundle [--debug]`.
pub fn run_command(ws: &Workspace, flags: &[String]) -> Result<()> {
    let debug = match flags {
        [] => false,
        [flag] if flag == "--debug" => true,
        _ => bail!("unexpected arguments for `bundle`: {flags:?}; it takes only --debug"),
    };
    run(ws, debug).map(|_| ())
}
