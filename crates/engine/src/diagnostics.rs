//! The text behind "Copy diagnostics": what a maintainer needs to read a bug report (versions,
//! where the files are, how each source's last sync went) and nothing a user would regret pasting
//! into a public issue. Tokens never reach it (they are not in the database), and every URL and
//! error goes through [`redact`] so credentials typed into a base URL or echoed in an error stay
//! out.

use std::fmt::Write;
use std::path::Path;

use crate::backup;
use crate::export_all::redact;
use crate::store::{Store, SCHEMA_VERSION};

/// The diagnostics of `store`, with `log_dir` as the folder of the log files, as plain text.
pub fn diagnostics(store: &Store, log_dir: &Path) -> crate::Result<String> {
    let mut text = String::new();
    // Writing to a String cannot fail, so the `writeln!` results are dropped.
    let _ = writeln!(text, "Vigil {}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(
        text,
        "OS: {} ({}, {})",
        os_name(),
        std::env::consts::OS,
        std::env::consts::ARCH
    );

    let db = store.path();
    let _ = writeln!(text, "Database: {} ({})", db.display(), size_text(db));
    let stored: i64 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let _ = writeln!(
        text,
        "Schema version: {stored} (this build: {SCHEMA_VERSION})"
    );
    let _ = writeln!(text, "Log folder: {}", log_dir.display());
    let backups = match backup::list(db) {
        Ok(all) => match all.first() {
            Some(newest) => format!(
                "{} kept, newest {}",
                all.len(),
                newest.taken_at.to_rfc3339()
            ),
            None => "none yet".into(),
        },
        Err(e) => format!("cannot be listed: {e}"),
    };
    let _ = writeln!(
        text,
        "Backups: {backups} in {}",
        backup::folder(db).display()
    );

    let sources = store.sources()?;
    let _ = writeln!(text, "Sources: {}", sources.len());
    for source in &sources {
        let status = &source.status;
        let _ = writeln!(
            text,
            "- {} \"{}\"",
            source.kind,
            redact::free_text(&source.name)
        );
        if let Some(url) = &source.base_url {
            let _ = writeln!(text, "  base URL: {}", redact::url_without_credentials(url));
        }
        let _ = writeln!(text, "  incidents: {}", store.incident_count(source.id)?);
        let success = status
            .last_success_at
            .map_or_else(|| "never".into(), |t| t.to_rfc3339());
        let _ = writeln!(
            text,
            "  last success: {success} ({} fetched)",
            status.last_fetched
        );
        if let (Some(error), Some(at)) = (&status.last_error, status.last_error_at) {
            let error = redact::free_text(&error.replace('\n', " "));
            let _ = writeln!(text, "  last error: {} {error}", at.to_rfc3339());
        }
    }
    Ok(text)
}

/// The file's size and its WAL's, which together are what the database takes on disk.
fn size_text(db: &Path) -> String {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).ok();
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    match (size(db), size(Path::new(&wal))) {
        (Some(main), Some(wal)) => format!("{main} bytes, WAL {wal} bytes"),
        (Some(main), None) => format!("{main} bytes"),
        (None, _) => "missing".into(),
    }
}

/// The distribution's name where the OS says it (`/etc/os-release` on Linux); elsewhere the
/// family from the build target is all this reports, which would be improved by asking the OS
/// (`sw_vers` on macOS, the registry on Windows).
fn os_name() -> String {
    std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|release| {
            release.lines().find_map(|line| {
                line.strip_prefix("PRETTY_NAME=")
                    .map(|v| v.trim_matches('"').to_owned())
            })
        })
        .unwrap_or_else(|| std::env::consts::FAMILY.to_owned())
}
