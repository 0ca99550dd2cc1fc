//! The `.deb` that `cargo xtask bundle` builds, read back with `dpkg-deb`: the right package
//! name and version, the app's binary, a desktop entry a launcher lists, and the icons under the
//! name native notifications ask the icon theme for.
//!
//! `cargo xtask test` bundles the debug build and passes the package's path in `VIGIL_DEB`; run
//! alone, this test fails rather than skips when it is missing, so a broken bundle step cannot
//! go unnoticed.
#![cfg(target_os = "linux")]
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

use std::path::PathBuf;
use std::process::Command;

/// The name the desktop entry gives as its icon, and the one the notifier sends.
const ICON_NAME: &str = "vigil-desktop";

fn deb() -> PathBuf {
    let path = std::env::var_os("VIGIL_DEB").unwrap_or_else(|| {
        panic!("VIGIL_DEB is not set: run `cargo xtask test`, or `cargo xtask bundle --debug` and set it to the .deb")
    });
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "VIGIL_DEB names {}, which is not a file",
        path.display()
    );
    path
}

fn dpkg_deb(args: &[&str]) -> String {
    let output = Command::new("dpkg-deb")
        .args(args)
        .arg(deb())
        .output()
        .expect("dpkg-deb runs (apt-get install dpkg)");
    assert!(
        output.status.success(),
        "dpkg-deb {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn field<'a>(info: &'a str, name: &str) -> &'a str {
    info.lines()
        .find_map(|line| line.trim().strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} field in:\n{info}"))
}

#[test]
fn the_package_is_named_vigil_and_has_the_crate_version() {
    let info = dpkg_deb(&["--info"]);

    assert_eq!(field(&info, "Package"), "vigil");
    assert_eq!(field(&info, "Version"), env!("CARGO_PKG_VERSION"));
    assert!(
        field(&info, "Depends").contains("libwebkit2gtk-4.1"),
        "{info}"
    );
}

#[test]
fn the_package_holds_the_binary_the_desktop_entry_and_the_icons() {
    let contents = dpkg_deb(&["--contents"]);
    // dpkg-deb lists paths as `usr/...` or `./usr/...` depending on how the archive was made.
    let has = |path: &str| {
        contents
            .lines()
            .any(|line| line.ends_with(&format!(" {path}")) || line.ends_with(&format!("./{path}")))
    };

    assert!(has("usr/bin/vigil-desktop"), "{contents}");
    assert!(has("usr/share/applications/Vigil.desktop"), "{contents}");
    for size in ["32x32", "128x128", "512x512"] {
        let icon = format!("usr/share/icons/hicolor/{size}/apps/{ICON_NAME}.png");
        assert!(has(&icon), "{icon} missing from\n{contents}");
    }
}

#[test]
fn the_desktop_entry_names_the_app_its_purpose_category_and_icon() {
    let unpacked = tempfile::tempdir().unwrap();
    let status = Command::new("dpkg-deb")
        .arg("-x")
        .arg(deb())
        .arg(unpacked.path())
        .status()
        .unwrap();
    assert!(status.success());
    let entry =
        std::fs::read_to_string(unpacked.path().join("usr/share/applications/Vigil.desktop"))
            .unwrap();
    let key = |name: &str| field(&entry.replace('=', ": "), name).to_owned();

    assert_eq!(key("Name"), "Vigil");
    assert_eq!(
        key("Comment"),
        "Incident KPIs, FMEA, DMAIC and postmortems for reliability engineers"
    );
    assert!(
        key("Categories").split(';').any(|c| c == "Development"),
        "{entry}"
    );
    assert_eq!(key("Icon"), ICON_NAME);
    assert_eq!(key("Exec"), "vigil-desktop");
}
