//! The part of `cargo xtask test` that needs a desktop: a virtual display, a session bus and an
//! unlocked Secret Service, with `cargo test` run inside them.
//!
//! `cargo xtask test` re-invokes the xtask as `dbus-run-session -- xtask test-inner`, so the bus
//! (and the keyring daemon attached to it) lives exactly as long as the tests: nothing outlives
//! the run, and the developer's own session bus and keyring are never touched.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::steps::Steps;
use crate::util::{self, describe, Workspace};

/// The hidden subcommand that runs inside `dbus-run-session`.
pub const INNER_COMMAND: &str = "test-inner";

/// Programs the headless tests drive, with the install that provides each.
const TOOLS: &[(&str, &str)] = &[
    ("dbus-run-session", "apt-get install dbus"),
    ("Xvfb", "apt-get install xvfb"),
    ("gnome-keyring-daemon", "apt-get install gnome-keyring"),
    ("WebKitWebDriver", "apt-get install webkit2gtk-driver"),
    ("tauri-driver", "cargo install tauri-driver --version 2.1.0"),
];

/// Fails, naming the fix, when a program the tests need is missing: a missing tool must turn the
/// run red, never quietly skip the tests that need it.
pub fn check_tools() -> Result<()> {
    if !cfg!(target_os = "linux") {
        println!("not Linux: the tests run without Xvfb and gnome-keyring");
        return Ok(());
    }
    let missing: Vec<String> = TOOLS
        .iter()
        .filter(|(program, _)| util::find_program(program).is_none())
        .map(|(program, fix)| format!("{program} (`{fix}`, or `cargo xtask setup`)"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "the tests need programs that are missing:\n  {}",
            missing.join("\n  ")
        );
    }
    println!(
        "found {}",
        TOOLS.iter().map(|(p, _)| *p).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// The command that runs [`run`] inside a fresh session bus (directly, off Linux).
pub fn inner_command() -> Result<Command> {
    let xtask = std::env::current_exe().context("locating the xtask binary")?;
    if cfg!(target_os = "linux") {
        let mut command = Command::new("dbus-run-session");
        command.arg("--").arg(xtask).arg(INNER_COMMAND);
        Ok(command)
    } else {
        let mut command = Command::new(xtask);
        command.arg(INNER_COMMAND);
        Ok(command)
    }
}

/// Inside the session: starts Xvfb and the keyring, runs every test, stops Xvfb.
pub fn run(ws: &Workspace) -> Result<()> {
    let mut steps = Steps::default();
    let outcome = run_steps(ws, &mut steps);
    steps.print_timings();
    outcome
}

fn run_steps(ws: &Workspace, steps: &mut Steps) -> Result<()> {
    let linux = cfg!(target_os = "linux");
    let display = if linux {
        Some(steps.run("starting a virtual display (Xvfb)", || Xvfb::start(ws))?)
    } else {
        None
    };
    let _keyring_home = if linux {
        Some(
            steps.run("unlocking a throwaway keyring (gnome-keyring)", || {
                unlock_keyring(ws)
            })?,
        )
    } else {
        None
    };

    let test = |args: &[&str]| {
        let mut cargo = ws.cargo(args);
        // Without it, GTK waits for an accessibility bus that a headless session lacks.
        cargo.env("NO_AT_BRIDGE", "1");
        if let Some(display) = &display {
            cargo.env("DISPLAY", &display.name);
        }
        util::run(&mut cargo)
    };
    // Both runs go ahead even when the first fails, so one report shows every failure.
    let native = steps.run("testing the workspace (cargo test)", || {
        test(&["test", "--workspace", "--exclude", "vigil-ui"])
    });
    let ui = steps.run(
        "testing the UI's helpers natively (cargo test -p vigil-ui)",
        || test(&["test", "-p", "vigil-ui"]),
    );
    native.and(ui)
}

/// A running Xvfb, stopped when dropped.
#[derive(Debug)]
pub struct Xvfb {
    child: Child,
    /// The `DISPLAY` value, such as `:1`.
    pub name: String,
}

impl Xvfb {
    /// Starts Xvfb on a display number it picks itself (`-displayfd`), so parallel runs and a
    /// desktop already on `:0` never collide; it writes the number once it accepts clients.
    pub fn start(ws: &Workspace) -> Result<Self> {
        let log_path = ws.state_dir()?.join("xvfb.log");
        let log =
            File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
        let mut command = Command::new("Xvfb");
        command
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log);
        println!("$ {}", describe(&command));
        let mut child = command
            .spawn()
            .context("could not start Xvfb (apt-get install xvfb)")?;

        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let mut reader = BufReader::new(stdout);
            reader.read_line(&mut line)?;
            // Kept open: a closed pipe could kill Xvfb with SIGPIPE if it ever wrote again.
            child.stdout = Some(reader.into_inner());
        }
        let number = line.trim();
        if number.is_empty() || number.parse::<u32>().is_err() {
            // Best effort: Xvfb has most likely exited already.
            let _ = child.kill();
            let _ = child.wait();
            bail!("Xvfb did not report a display: see {}", log_path.display());
        }
        let name = format!(":{number}");
        println!("DISPLAY={name}");
        Ok(Self { child, name })
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        println!("stopping Xvfb on {}", self.name);
        // Best effort: a failure here leaves nothing worse than an idle Xvfb.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A folder deleted when dropped: the keyring's throwaway home.
#[derive(Debug)]
struct ThrowawayDir(PathBuf);

impl Drop for ThrowawayDir {
    fn drop(&mut self) {
        // Best effort: it lives in the target dir, and the next run removes leftovers anyway.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Starts gnome-keyring's Secret Service on this session's bus, with a login keyring created
/// and unlocked by a password on stdin, kept in a throwaway home so that no real keyring is read
/// or written. The daemon exits when the session bus does.
fn unlock_keyring(ws: &Workspace) -> Result<ThrowawayDir> {
    let home = ws.state_dir()?.join("keyring-home");
    if home.exists() {
        std::fs::remove_dir_all(&home)
            .with_context(|| format!("removing the last run's {}", home.display()))?;
    }
    let data = home.join(".local").join("share");
    let runtime = home.join("runtime");
    for dir in [&data, &runtime] {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    restrict_to_owner(&runtime)?;
    let home = ThrowawayDir(home);

    let mut command = Command::new("gnome-keyring-daemon");
    command
        .args(["--unlock", "--components=secrets"])
        .env("HOME", &home.0)
        .env("XDG_DATA_HOME", &data)
        .env("XDG_RUNTIME_DIR", &runtime)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    println!("$ echo -n password | {}", describe(&command));
    let mut child = command
        .spawn()
        .context("could not start gnome-keyring-daemon (apt-get install gnome-keyring)")?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(b"password")?;
    }
    // The foreground process forks the daemon, prints its variables once it is ready, and exits.
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "gnome-keyring-daemon failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    print!("{}", String::from_utf8_lossy(&output.stdout));
    Ok(home)
}

/// `XDG_RUNTIME_DIR` must be private to its owner, or gnome-keyring refuses to use it.
#[cfg(unix)]
fn restrict_to_owner(dir: &std::path::Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("making {} private", dir.display()))
}

#[cfg(not(unix))]
fn restrict_to_owner(_dir: &std::path::Path) -> Result<()> {
    Ok(())
}
