//! Tools installed with `cargo install`: `wasm-bindgen` (turns the UI's wasm into a module the
//! webview loads) and `tauri-driver` (the WebDriver server the end-to-end test talks to).
//!
//! wasm-bindgen's command-line tool must be exactly the version of the `wasm-bindgen` crate the
//! UI was compiled against (their wire format changes between patch releases), so the version is
//! read from Cargo.lock rather than written here.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::util::{self, Workspace};

/// tauri-driver's 2.x line matches Tauri 2; 2.1.0 is the version the e2e test was verified with
/// (the 3.0 alphas target Tauri 3).
const TAURI_DRIVER_VERSION: &str = "2.1.0";

#[derive(Deserialize)]
struct LockFile {
    package: Vec<LockedPackage>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: String,
    version: String,
}

/// The version of `name` that Cargo.lock pins; fails when it is missing or pinned twice.
pub fn locked_version(ws: &Workspace, name: &str) -> Result<String> {
    let path = ws.root.join("Cargo.lock");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let lock: LockFile =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let versions: Vec<String> = lock
        .package
        .into_iter()
        .filter(|package| package.name == name)
        .map(|package| package.version)
        .collect();
    match versions.as_slice() {
        [version] => Ok(version.clone()),
        [] => {
            bail!("`{name}` is not in Cargo.lock: run `cargo generate-lockfile` or `cargo build`")
        }
        many => bail!("Cargo.lock holds several versions of `{name}` ({many:?}): keep one"),
    }
}

/// The version `wasm-bindgen --version` reports, or `None` when it is not installed.
pub fn wasm_bindgen_version() -> Option<String> {
    let program = util::find_program("wasm-bindgen")?;
    let output = util::query(program, &["--version"])?;
    // "wasm-bindgen 0.2.130"
    output.split_whitespace().nth(1).map(str::to_owned)
}

/// Installs wasm-bindgen-cli at the locked version unless that version is already installed.
pub fn ensure_wasm_bindgen(ws: &Workspace) -> Result<()> {
    let wanted = locked_version(ws, "wasm-bindgen")?;
    match wasm_bindgen_version() {
        Some(found) if found == wanted => {
            println!("wasm-bindgen {found} is installed, as Cargo.lock wants");
            return Ok(());
        }
        Some(found) => println!("wasm-bindgen {found} is installed, Cargo.lock wants {wanted}"),
        None => println!("wasm-bindgen is not installed, Cargo.lock wants {wanted}"),
    }
    // No --locked: one of wasm-bindgen-cli's locked dependencies is missing from the registry.
    cargo_install(ws, "wasm-bindgen-cli", &wanted)?;
    match wasm_bindgen_version() {
        Some(found) if found == wanted => Ok(()),
        found => bail!(
            "after installing, `wasm-bindgen --version` reports {found:?}, not {wanted}: is an \
             older wasm-bindgen earlier on PATH than cargo's bin folder?"
        ),
    }
}

/// Installs tauri-driver when it is not found.
pub fn ensure_tauri_driver(ws: &Workspace) -> Result<()> {
    if let Some(path) = util::find_program("tauri-driver") {
        println!("tauri-driver is installed at {}", path.display());
        return Ok(());
    }
    println!("tauri-driver is not installed");
    cargo_install(ws, "tauri-driver", TAURI_DRIVER_VERSION)
}

/// `cargo install` into cargo's bin folder, building in a folder of the shared target directory
/// so that a CI cache keeps the work when the binary itself is lost.
fn cargo_install(ws: &Workspace, krate: &str, version: &str) -> Result<()> {
    let build_dir = ws.state_dir()?.join("cargo-install");
    let mut install = ws.cargo(["install", krate, "--version", version]);
    install.arg("--target-dir").arg(&build_dir);
    // The install's own target dir is set above; the workspace's would mix unrelated artifacts.
    install.env_remove("CARGO_TARGET_DIR");
    util::run(&mut install).with_context(|| {
        format!("installing {krate} failed: retry with `cargo install {krate} --version {version}`")
    })?;
    warn_if_not_on_path(krate);
    Ok(())
}

fn warn_if_not_on_path(program: &str) {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let on_path = std::env::split_paths(&path).any(|dir| Path::new(&dir).join(program).is_file());
    if !on_path {
        let dir = util::cargo_bin_dir().unwrap_or_default();
        println!(
            "note: {program} is in {}, which is not on PATH; the xtask finds it there, but add \
             the folder to PATH to run it by hand",
            dir.display()
        );
    }
}
