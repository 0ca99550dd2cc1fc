//! The WebAssembly toolchain the UI is compiled with, by one of two routes.
//!
//! First route: rustup's `wasm32-unknown-unknown` target, what developers elsewhere use. Second
//! route, for machines where rustup cannot download targets: Debian's `rustc-web` compiler with
//! the standard library built from its source (`rust-web-src`) and linked by `rust-lld`. Setup
//! takes the first route that works and writes its name into the target directory, so later UI
//! builds set the matching environment without probing again.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::apt;
use crate::util::{self, Workspace};

pub const TARGET: &str = "wasm32-unknown-unknown";

/// Debian packages of the second route: compiler, std source, and the LLVM linker.
const FALLBACK_PACKAGES: &[&str] = &["rustc-web", "rust-web-src", "rust-web-llvm", "lld-22"];
const DEBIAN_RUSTC: &str = "/usr/bin/rustc";
const DEBIAN_LLD: &str = "/usr/bin/rust-lld";

/// Set to `build-std` to take the second route on a machine where the first works (to test it).
const FORCE_VAR: &str = "VIGIL_WASM_ROUTE";
const ROUTE_FILE: &str = "wasm-route";

/// How the wasm32 standard library is provided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// rustup's prebuilt `wasm32-unknown-unknown` standard library.
    Rustup,
    /// Debian's rustc-web, building std from source on every clean build.
    DebianBuildStd,
}

impl Route {
    fn name(self) -> &'static str {
        match self {
            Route::Rustup => "rustup",
            Route::DebianBuildStd => "build-std",
        }
    }

    /// Sets the environment a cargo command for the wasm32 target needs on this route.
    pub fn apply(self, cargo: &mut Command) {
        if self == Route::DebianBuildStd {
            cargo
                .env("RUSTC", DEBIAN_RUSTC)
                .env("RUSTC_BOOTSTRAP", "1")
                .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
                .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", DEBIAN_LLD);
        }
    }
}

/// Makes sure one route works, installing what it needs, and records which one it is.
pub fn ensure(ws: &Workspace) -> Result<Route> {
    let forced = std::env::var(FORCE_VAR).ok();
    let route = if forced.as_deref() == Some(Route::DebianBuildStd.name()) {
        println!("{FORCE_VAR}=build-std: taking the second route (Debian rustc-web)");
        ensure_debian_route()?
    } else if rustup_has_target() {
        println!("wasm32: rustup's {TARGET} target is installed (first route)");
        Route::Rustup
    } else if add_rustup_target() {
        println!("wasm32: added rustup's {TARGET} target (first route)");
        Route::Rustup
    } else {
        println!("wasm32: rustup could not add {TARGET}: trying Debian's rustc-web (second route)");
        ensure_debian_route()?
    };

    let file = ws.state_dir()?.join(ROUTE_FILE);
    std::fs::write(&file, route.name()).with_context(|| format!("writing {}", file.display()))?;
    Ok(route)
}

/// The route setup recorded; probes (and installs) when setup has not run in this target dir.
pub fn current(ws: &Workspace) -> Result<Route> {
    let file = ws.state_dir()?.join(ROUTE_FILE);
    match std::fs::read_to_string(&file).as_deref().map(str::trim) {
        Ok("rustup") => Ok(Route::Rustup),
        Ok("build-std") => Ok(Route::DebianBuildStd),
        _ => ensure(ws),
    }
}

fn rustup_has_target() -> bool {
    util::query("rustup", &["target", "list", "--installed"])
        .is_some_and(|installed| installed.lines().any(|line| line.trim() == TARGET))
}

/// Tries `rustup target add`; a failure is expected offline and only means "take the fallback".
fn add_rustup_target() -> bool {
    if util::find_program("rustup").is_none() {
        println!("wasm32: rustup is not installed");
        return false;
    }
    let mut add = Command::new("rustup");
    add.args(["target", "add", TARGET]);
    match util::run(&mut add) {
        Ok(()) => true,
        Err(err) => {
            println!("wasm32: {err}");
            false
        }
    }
}

fn ensure_debian_route() -> Result<Route> {
    if !cfg!(target_os = "linux") {
        bail!("rustup could not add {TARGET}, and the fallback needs Debian: run `rustup target add {TARGET}`");
    }
    apt::ensure(FALLBACK_PACKAGES)?;
    for needed in [DEBIAN_RUSTC, DEBIAN_LLD] {
        if !Path::new(needed).is_file() {
            bail!(
                "{needed} is missing after installing {}: check `apt-get install {}`",
                FALLBACK_PACKAGES.join(" "),
                FALLBACK_PACKAGES.join(" ")
            );
        }
    }
    let version = util::query(DEBIAN_RUSTC, &["--version"]).unwrap_or_default();
    println!("wasm32: second route, {version} with std built from source, linked by {DEBIAN_LLD}");
    Ok(Route::DebianBuildStd)
}
