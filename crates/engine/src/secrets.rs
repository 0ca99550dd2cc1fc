//! API tokens. They live in the OS keychain (service `vigil`, user = the source's id) and never in
//! SQLite, logs or exports. An environment variable `VIGIL_<KIND>_TOKEN`, where set, wins over the
//! keychain, for scripts and tests.

use vigil_core::SourceKind;

use crate::error::{EngineError, Result};
use crate::store::SourceRecord;

/// The keychain service name all of Vigil's tokens are filed under.
pub const KEYCHAIN_SERVICE: &str = "vigil";

/// A token, kept out of `Debug` output so it cannot reach a log line by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token; surrounding whitespace (from a paste) is dropped.
    pub fn new(secret: &str) -> Self {
        Token(secret.trim().to_owned())
    }

    /// The secret itself, for the one place that puts it in a request header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// The environment variable that overrides the keychain for a kind: `VIGIL_PAGERDUTY_TOKEN`.
pub fn env_var(kind: SourceKind) -> String {
    format!("VIGIL_{}_TOKEN", kind.as_str().to_ascii_uppercase())
}

fn entry(source: &SourceRecord) -> Result<keyring::Entry> {
    keyring::Entry::new(KEYCHAIN_SERVICE, &source.id.to_string())
        .map_err(|e| EngineError::Keychain(e.to_string()))
}

/// Stores a source's token in the keychain.
pub fn save_token(source: &SourceRecord, token: &Token) -> Result<()> {
    if token.expose().is_empty() {
        return Err(EngineError::BadInput(
            "the API token is empty: paste the token".into(),
        ));
    }
    entry(source)?
        .set_password(token.expose())
        .map_err(|e| EngineError::Keychain(e.to_string()))
}

/// The token from the environment, else the keychain; `None` when neither has one.
pub fn find_token(source: &SourceRecord) -> Result<Option<Token>> {
    if let Ok(value) = std::env::var(env_var(source.kind)) {
        if !value.trim().is_empty() {
            return Ok(Some(Token::new(&value)));
        }
    }
    match entry(source)?.get_password() {
        Ok(secret) => Ok(Some(Token::new(&secret))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(EngineError::Keychain(e.to_string())),
    }
}

/// The token, or an error that says where to put one.
pub fn require_token(source: &SourceRecord) -> Result<Token> {
    find_token(source)?.ok_or_else(|| EngineError::MissingToken {
        source_name: source.name.clone(),
        env_var: env_var(source.kind),
    })
}

/// Whether a token is in the keychain (the window shows it; the environment is not asked).
pub fn has_stored_token(source: &SourceRecord) -> bool {
    entry(source).is_ok_and(|e| e.get_password().is_ok())
}

/// Removes a source's token; a missing one is not an error.
pub fn delete_token(source: &SourceRecord) -> Result<()> {
    match entry(source)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(EngineError::Keychain(e.to_string())),
    }
}
