//! Logging for the app and the CLI: tracing to stderr and to a daily rolling file in the OS log
//! folder (the last 14 days are kept). `VIGIL_LOG` takes a tracing filter such as `debug` or
//! `vigil_engine=trace`. Tokens never reach a log line: they are only held in a type whose
//! `Debug` is redacted, and requests are logged without headers.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Keeps the file writer flushing; drop it only when the process ends.
#[derive(Debug)]
pub struct LogGuard {
    _file: Option<WorkerGuard>,
    /// Where the log files are written, if the folder could be used.
    pub dir: Option<PathBuf>,
}

/// Starts logging. `stderr_default` is the level shown on stderr when `VIGIL_LOG` is unset (the
/// CLI keeps stderr for warnings; the app shows info); the file always records debug and up.
pub fn init(dir: &Path, stderr_default: &str) -> LogGuard {
    let stderr_filter =
        EnvFilter::try_from_env("VIGIL_LOG").unwrap_or_else(|_| EnvFilter::new(stderr_default));
    let stderr_layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(stderr_filter);

    let file = std::fs::create_dir_all(dir).ok().and_then(|()| {
        RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix("vigil")
            .filename_suffix("log")
            .max_log_files(14)
            .build(dir)
            .ok()
    });
    let (file_layer, guard) = match file {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let filter = EnvFilter::try_from_env("VIGIL_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,vigil_engine=debug,vigil_app=debug"));
            let layer = fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(filter);
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    // A second init (tests that start the app twice in one process) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(stderr_layer)
        .with(file_layer)
        .try_init();
    LogGuard {
        dir: guard.as_ref().map(|_| dir.to_owned()),
        _file: guard,
    }
}
