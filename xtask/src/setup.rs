//! `cargo xtask setup`: everything a machine needs before Vigil builds and its tests run.
//!
//! Idempotent by design: each need is checked first and installed only when missing, so CI and
//! every other command can call it at their start for the price of a few quick queries.

use anyhow::{Context, Result};

use crate::util::Workspace;
use crate::{apt, bundle, tools, wasm};

/// Checks and installs, in the order later needs depend on earlier ones.
pub fn run(ws: &Workspace) -> Result<()> {
    println!("--- system packages");
    apt::ensure(apt::DEBIAN_PACKAGES).context("installing system packages")?;

    println!("--- WebAssembly toolchain");
    wasm::ensure(ws).context("providing the wasm32 toolchain")?;

    println!("--- wasm-bindgen");
    tools::ensure_wasm_bindgen(ws).context("installing wasm-bindgen-cli")?;

    println!("--- tauri-driver");
    tools::ensure_tauri_driver(ws).context("installing tauri-driver")?;

    println!("--- Tauri CLI (the bundler)");
    bundle::ensure_tauri_cli(ws).context("installing the Tauri CLI")?;
    Ok(())
}
