//! The error every command returns: the engine's error reduced to `{kind, message}`, which the
//! window shows as it is.

use serde::Serialize;
use vigil_engine::EngineError;

/// A command's failure, serialised for the window.
#[derive(Debug, Serialize)]
pub struct CommandError {
    /// A stable machine-readable kind.
    pub kind: &'static str,
    /// What went wrong and what to do.
    pub message: String,
}

impl From<EngineError> for CommandError {
    fn from(e: EngineError) -> Self {
        CommandError {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

impl CommandError {
    /// A failure inside the app itself (a worker thread that died).
    pub fn internal(message: impl std::fmt::Display) -> Self {
        CommandError {
            kind: "internal",
            message: format!("{message}. Restart Vigil; if it happens again, send the log file"),
        }
    }
}

/// What every command returns.
pub type CommandResult<T> = Result<T, CommandError>;
