//! What can go wrong with a postmortem, in words that say what to do next.

use vigil_core::postmortem::{StatusError, TemplateError};

use crate::error::EngineError;

/// A postmortem operation that could not be done.
#[derive(Debug, thiserror::Error)]
pub enum PostmortemError {
    /// Published postmortems are the record the organisation read; edits need a reopen.
    #[error("postmortem {id} is published and refuses edits; reopen it first (`vigil postmortem reopen {id}`)")]
    Published {
        /// The postmortem.
        id: String,
    },
    /// The review cycle does not allow that change.
    #[error(transparent)]
    Status(#[from] StatusError),
    /// A postmortem needs something to review.
    #[error("name at least one incident to write a postmortem about (--incident ID)")]
    NoIncidents,
    /// No postmortem, section, timeline entry or action item with that id.
    #[error("{what} {id} was not found; `vigil postmortem list` shows the postmortems there are")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// The id or key asked for.
        id: String,
    },
    /// The template name is not known.
    #[error("there is no postmortem template called {name:?}; choose one of: {known}")]
    UnknownTemplate {
        /// The name asked for.
        name: String,
        /// The names there are, comma separated.
        known: String,
    },
    /// A team template's Markdown is not usable.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A team template would hide a built-in one.
    #[error("{0:?} is a built-in template's name; give the team template another name")]
    TemplateNameTaken(String),
    /// The FMEA action to link does not exist.
    #[error("there is no FMEA action {0}; copy its id from the FMEA worksheet")]
    UnknownFmeaAction(String),
    /// A value the user gave is not usable.
    #[error("{0}")]
    BadInput(String),
    /// The store failed underneath.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl From<rusqlite::Error> for PostmortemError {
    fn from(e: rusqlite::Error) -> Self {
        PostmortemError::Engine(EngineError::Sql(e))
    }
}

impl From<serde_json::Error> for PostmortemError {
    fn from(e: serde_json::Error) -> Self {
        PostmortemError::Engine(EngineError::Corrupt(format!("postmortem JSON: {e}")))
    }
}

/// The result of a postmortem operation.
pub type PostmortemResult<T> = Result<T, PostmortemError>;
