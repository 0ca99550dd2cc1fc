//! `cargo xtask ui`: compiles the Leptos UI to WebAssembly and lays it out in `ui/dist`.
//!
//! The app embeds `ui/dist` at compile time (`tauri::generate_context!` panics when it is
//! missing), so this runs before every build of the app. `ui/build.sh` mirrors these steps for
//! people without the xtask; this file is the authority when they differ.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::util::{self, Workspace};
use crate::{tools, wasm};

/// Extensions of the static files at the top of `ui/` that are copied into `ui/dist`.
const STATIC_EXTENSIONS: &[&str] = &["html", "css", "js", "svg", "png"];

/// Builds the wasm, binds it for the web and copies the static files beside it.
pub fn build(ws: &Workspace) -> Result<()> {
    let route = wasm::current(ws)?;
    let mut cargo = ws.cargo([
        "build",
        "-p",
        "vigil-ui",
        "--target",
        wasm::TARGET,
        "--release",
    ]);
    // Size over speed, for the wasm only: about 1.6 MiB down to 1.0 MiB. Set per invocation so
    // the native binaries keep the workspace's release profile.
    cargo
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "z")
        .env("CARGO_PROFILE_RELEASE_LTO", "fat")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1");
    route.apply(&mut cargo);
    util::run(&mut cargo).context("compiling the UI for wasm32")?;

    // Emptied first: a file the UI no longer has must not linger in the embedded folder.
    let dist = ws.root.join("ui").join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).with_context(|| format!("emptying {}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).with_context(|| format!("creating {}", dist.display()))?;
    bind(ws, &wasm_artifact(ws)?, &dist)?;
    copy_static_files(&ws.root.join("ui"), &dist)
}

/// The compiled module: `vigil-ui.wasm` for a binary crate, `vigil_ui.wasm` for a cdylib.
fn wasm_artifact(ws: &Workspace) -> Result<PathBuf> {
    let dir = ws.target.join(wasm::TARGET).join("release");
    ["vigil-ui.wasm", "vigil_ui.wasm"]
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
        .with_context(|| format!("no vigil-ui.wasm in {} after the build", dir.display()))
}

/// Runs wasm-bindgen, after checking it matches the crate version the wasm was built with.
fn bind(ws: &Workspace, wasm: &Path, dist: &Path) -> Result<()> {
    let wanted = tools::locked_version(ws, "wasm-bindgen")?;
    let found = tools::wasm_bindgen_version();
    if found.as_deref() != Some(wanted.as_str()) {
        bail!(
            "wasm-bindgen {wanted} is needed (Cargo.lock), found {}: run `cargo xtask setup`",
            found.unwrap_or_else(|| "none".to_owned())
        );
    }
    let program = util::find_program("wasm-bindgen").context("wasm-bindgen vanished")?;
    let mut bindgen = Command::new(program);
    bindgen
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "vigil-ui",
        ])
        .arg("--out-dir")
        .arg(dist)
        .arg(wasm);
    util::run(&mut bindgen).context("binding the UI's wasm for the web")
}

/// Copies `ui/*.{html,css,js,svg,png}` into `dist`; sources and manifests stay behind.
fn copy_static_files(ui: &Path, dist: &Path) -> Result<()> {
    let entries = std::fs::read_dir(ui).with_context(|| format!("listing {}", ui.display()))?;
    let mut copied = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| STATIC_EXTENSIONS.contains(&ext));
        if !path.is_file() || !wanted {
            continue;
        }
        let name = path.file_name().context("a listed file has no name")?;
        std::fs::copy(&path, dist.join(name))
            .with_context(|| format!("copying {} into {}", path.display(), dist.display()))?;
        copied.push(name.to_string_lossy().into_owned());
    }
    copied.sort();
    println!("copied into {}: {}", dist.display(), copied.join(", "));
    if !dist.join("index.html").is_file() {
        bail!(
            "{} has no index.html: the window would be blank",
            dist.display()
        );
    }
    Ok(())
}
