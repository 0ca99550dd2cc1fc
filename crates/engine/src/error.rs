//! The engine's errors. Each variant says what went wrong and what the user can do about it; the
//! app turns them into `{kind, message}` for the window and the CLI prints the message.

use std::path::PathBuf;

/// What can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The SQLite file could not be opened, migrated or written.
    #[error("the database at {path} could not be used: {source}. Check that the folder exists and is writable, or point VIGIL_DB / --db at another file")]
    Database {
        /// The file in question.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A query or write failed on an open database.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// Applying the schema migrations failed.
    #[error("the database schema could not be upgraded: {0}. The file was left as it was; restore a backup or report this")]
    Migration(#[from] rusqlite_migration::Error),
    /// A stored value Vigil itself would never write (a malformed id, an unknown urgency).
    #[error("the database holds a value Vigil cannot read ({0}); restore a backup or report this")]
    Corrupt(String),
    /// A value the user gave is not usable.
    #[error("{0}")]
    BadInput(String),
    /// No record with that id.
    #[error("{what} {id} was not found; it may have been removed")]
    NotFound {
        /// The kind of record ("incident", "source").
        what: &'static str,
        /// The id asked for.
        id: String,
    },
    /// No token for a source.
    #[error(
        "no API token is stored for {source_name}: add it on the Sources page, or set {env_var}"
    )]
    MissingToken {
        /// The source's name.
        source_name: String,
        /// The environment variable that would also work.
        env_var: String,
    },
    /// The OS keychain refused.
    #[error("the OS keychain could not be used: {0}. On Linux a Secret Service (GNOME Keyring or KeePassXC) must be running and unlocked")]
    Keychain(String),
    /// A remote API could not be reached or answered with an error.
    #[error(transparent)]
    Remote(#[from] crate::http::RemoteError),
}

impl EngineError {
    /// A stable machine-readable kind, for the UI and scripts.
    pub fn kind(&self) -> &'static str {
        match self {
            EngineError::Database { .. }
            | EngineError::Sql(_)
            | EngineError::Migration(_)
            | EngineError::Corrupt(_) => "database",
            EngineError::BadInput(_) => "bad_input",
            EngineError::NotFound { .. } => "not_found",
            EngineError::MissingToken { .. } => "missing_token",
            EngineError::Keychain(_) => "keychain",
            EngineError::Remote(r) => r.kind(),
        }
    }
}

/// The engine's result type.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;
