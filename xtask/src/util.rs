//! Where the workspace is, and how the xtask runs other programs.
//!
//! Every child process goes through [`run`] so that each command is printed before it starts
//! and a failure says which command failed: the person reading the log can paste it and retry.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// The workspace root and the target directory every cargo call shares.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The folder holding the root `Cargo.toml` (the desktop app's package).
    pub root: PathBuf,
    /// `CARGO_TARGET_DIR` when set (CI points it at a cache outside the clone), else `root/target`.
    pub target: PathBuf,
}

impl Workspace {
    /// Finds the workspace from where this crate was compiled: the xtask always runs from the
    /// checkout it was built in, since `cargo xtask` rebuilds it there.
    pub fn locate() -> Result<Self> {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir
            .parent()
            .context("the xtask crate has no parent folder")?
            .to_path_buf();
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => {
                let dir = PathBuf::from(dir);
                let cwd = std::env::current_dir().context("reading the current directory")?;
                cwd.join(dir)
            }
            _ => root.join("target"),
        };
        Ok(Self { root, target })
    }

    /// A `cargo` command run from the workspace root with the shared target directory, so that
    /// builds started by the xtask and by hand reuse one another's artifacts.
    pub fn cargo<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cargo = Command::new("cargo");
        cargo
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target);
        cargo
    }

    /// A folder of the xtask's own state (route file, throwaway homes, logs) in the target dir.
    pub fn state_dir(&self) -> Result<PathBuf> {
        let dir = self.target.join("xtask");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(dir)
    }
}

/// The command line as a person would type it, with the environment it sets in front.
pub fn describe(command: &Command) -> String {
    let mut words: Vec<String> = command
        .get_envs()
        .filter(|(key, _)| *key != "CARGO_TARGET_DIR")
        .filter_map(|(key, value)| {
            value.map(|value| format!("{}={}", key.to_string_lossy(), value.to_string_lossy()))
        })
        .collect();
    words.push(command.get_program().to_string_lossy().into_owned());
    words.extend(command.get_args().map(|arg| {
        let arg = arg.to_string_lossy();
        if arg.is_empty() || arg.contains(' ') {
            format!("'{arg}'")
        } else {
            arg.into_owned()
        }
    }));
    words.join(" ")
}

/// Prints the command, runs it with inherited output and fails when it does not exit with 0.
pub fn run(command: &mut Command) -> Result<()> {
    let line = describe(command);
    println!("$ {line}");
    let status = command
        .status()
        .with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// The trimmed standard output of a quick query (`wasm-bindgen --version`), or `None` when the
/// program is missing or fails: callers treat both as "not installed".
pub fn query(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Finds a program on `PATH`, then in cargo's bin folder: `cargo install` puts tools there, and a
/// fresh CI shell may not have that folder on its `PATH` yet.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(cargo_bin_dir())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// `$CARGO_HOME/bin`, defaulting to `~/.cargo/bin` as cargo does.
pub fn cargo_bin_dir() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    Some(home.join("bin"))
}

/// Whether this process may install system packages without sudo.
pub fn is_root() -> bool {
    query("id", &["-u"]).as_deref() == Some("0")
}
