//! System packages: the libraries Tauri links against and the tools the headless tests drive.
//!
//! Only Debian and Ubuntu are installed automatically (they are what CI and the developers run);
//! on other systems the xtask prints what to install, because guessing another package manager's
//! names would fail in ways harder to read than the list itself.

use std::process::Command;

use anyhow::{bail, Result};

use crate::util::{self, describe};

/// Debian packages for building the app and running its tests headless, and why each is here.
pub const DEBIAN_PACKAGES: &[&str] = &[
    // Tauri's webview, tray and icon handling (the list from Tauri's Linux prerequisites).
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "file",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "pkg-config",
    // The keyring crate's Secret Service backend links libdbus.
    "libdbus-1-dev",
    // Headless tests: a virtual display, a session bus, a Secret Service, and the WebDriver
    // server (WebKitWebDriver) that tauri-driver forwards to.
    "xvfb",
    "xauth",
    "dbus",
    "dbus-x11",
    "gnome-keyring",
    "webkit2gtk-driver",
    // Icon conversion for bundles.
    "imagemagick",
];

/// Installs whichever of `packages` are missing; does nothing (and says so) when all are there.
pub fn ensure(packages: &[&str]) -> Result<()> {
    if cfg!(target_os = "macos") {
        println!("macOS: Tauri needs the Xcode command line tools: `xcode-select --install`");
        return Ok(());
    }
    if cfg!(windows) {
        println!(
            "Windows: Tauri needs the Microsoft C++ Build Tools (\"Desktop development with C++\") \
             and WebView2, which Windows 10 and 11 already include"
        );
        return Ok(());
    }
    if util::find_program("dpkg-query").is_none() || util::find_program("apt-get").is_none() {
        println!(
            "not a Debian-like system: install the equivalents of these packages with your \
             package manager: {}",
            packages.join(" ")
        );
        return Ok(());
    }

    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|package| !is_installed(package))
        .collect();
    if missing.is_empty() {
        println!(
            "all {} system packages are installed (dpkg-query)",
            packages.len()
        );
        return Ok(());
    }
    println!("missing system packages: {}", missing.join(" "));

    let mut install_args = vec!["install", "-y"];
    install_args.extend(&missing);
    let mut update = apt_get(&["update"])?;
    let mut install = apt_get(&install_args)?;
    util::run(&mut update)?;
    util::run(&mut install)
}

/// Whether dpkg knows `package` as installed (not just known, or removed with its config left).
fn is_installed(package: &str) -> bool {
    util::query("dpkg-query", &["-W", "-f=${Status}", package])
        .is_some_and(|status| status == "install ok installed")
}

/// An `apt-get` call, through sudo when not root; without sudo, fails with the command to run.
fn apt_get(args: &[&str]) -> Result<Command> {
    // sudo resets the environment, so the variable goes on its command line there.
    let mut command = if util::is_root() {
        let mut apt = Command::new("apt-get");
        apt.env("DEBIAN_FRONTEND", "noninteractive");
        apt
    } else if util::find_program("sudo").is_some() {
        let mut sudo = Command::new("sudo");
        sudo.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        sudo
    } else {
        let mut wanted = Command::new("apt-get");
        wanted.args(args);
        bail!(
            "installing system packages needs root and sudo is missing: run as root\n  {}",
            describe(&wanted)
        );
    };
    command.args(args);
    Ok(command)
}
