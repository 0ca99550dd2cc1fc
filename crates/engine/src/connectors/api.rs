//! What every vendor's connector does the same way: a base URL that endpoints extend, an
//! Authorization header that never prints, a cursor that an unreadable value resets, and an
//! error that names the record that did not map.

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::warn;
use url::Url;

use crate::error::{EngineError, Result};
use crate::http::{self, RemoteError};

/// A vendor's API root: the base URL a person gave (or the vendor's own), ending in `/` so
/// that relative paths extend it instead of replacing its last segment.
#[derive(Debug, Clone)]
pub struct ApiRoot {
    base: Url,
}

impl ApiRoot {
    /// Parses and checks `base_url` (https, or http to this machine), else `default`.
    pub fn new(base_url: Option<&str>, default: &str) -> Result<Self> {
        let mut base = http::parse_base_url(base_url.unwrap_or(default))?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        base.set_query(None);
        Ok(ApiRoot { base })
    }

    /// The URL of `path` (no leading slash) under the root.
    pub fn endpoint(&self, path: &str) -> Result<Url> {
        self.base.join(path).map_err(|e| {
            EngineError::BadInput(format!(
                "the base URL {} cannot be extended with {path}: {e}",
                self.base
            ))
        })
    }

    /// The same endpoint with the query of a vendor's "next page" link. Only the query is
    /// taken: the link's host may be one a proxy rewrote (or plain http), and the token must
    /// only ever go to the root the person configured.
    pub fn with_query_of(&self, path: &str, next_link: &str) -> Result<Url> {
        let mut url = self.endpoint(path)?;
        let query = Url::parse(next_link)
            .or_else(|_| self.base.join(next_link))
            .ok()
            .and_then(|link| link.query().map(str::to_owned));
        url.set_query(query.as_deref());
        Ok(url)
    }
}

/// Headers with `Accept: application/json` and the Authorization value, marked sensitive so it
/// never appears in a `Debug` print or a log line.
pub fn json_headers(vendor: &str, authorization: &str) -> Result<HeaderMap> {
    let mut auth = HeaderValue::from_str(authorization).map_err(|_| {
        EngineError::BadInput(format!(
            "the {vendor} token holds characters that cannot be sent in a header: paste it again"
        ))
    })?;
    auth.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(AUTHORIZATION, auth);
    Ok(headers)
}

/// Reads a stored cursor; one that cannot be read (another version's, or damaged) counts as
/// none, so the next sync starts over, which is safe because every write is idempotent.
pub fn parse_cursor<T: DeserializeOwned + Default>(vendor: &str, text: Option<&str>) -> T {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return T::default();
    };
    serde_json::from_str(text).unwrap_or_else(|e| {
        warn!(vendor, error = %e, "the stored cursor is unreadable; syncing from the start");
        T::default()
    })
}

/// A cursor as stored.
pub fn cursor_json<T: Serialize>(cursor: &T) -> String {
    serde_json::to_string(cursor).unwrap_or_else(|_| "{}".to_owned())
}

/// The error for a record of a page that does not map: which page, which record, why.
pub fn malformed(url: &Url, index: usize, value: &serde_json::Value, reason: &str) -> EngineError {
    RemoteError::Malformed {
        url: http::loggable(url),
        reason: format!("record {index}: {reason}"),
        snippet: http::snippet(value.to_string().as_bytes()),
    }
    .into()
}

/// Whether a word names an urgent severity in any vendor's vocabulary: P1/P2, SEV0-SEV2,
/// critical, major, high, urgent, emergency. Everything else (minor, low, P3-P5, warning,
/// none, info) waits for working hours.
pub fn is_urgent_word(word: &str) -> bool {
    let w = word
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-', '_'], "");
    matches!(
        w.as_str(),
        "p1" | "p2"
            | "sev0"
            | "sev1"
            | "sev2"
            | "critical"
            | "major"
            | "high"
            | "urgent"
            | "emergency"
            | "error"
            | "page"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_extends_a_base_url_with_a_path() {
        let root = ApiRoot::new(Some("https://x.test/api"), "https://default.test").unwrap();
        assert_eq!(
            root.endpoint("v1/things").unwrap().as_str(),
            "https://x.test/api/v1/things"
        );
        let default = ApiRoot::new(None, "https://default.test").unwrap();
        assert_eq!(
            default.endpoint("a").unwrap().as_str(),
            "https://default.test/a"
        );
    }

    #[test]
    fn a_next_link_lends_only_its_query_so_the_token_stays_on_the_configured_host() {
        let root = ApiRoot::new(Some("https://oncall.test/"), "https://x.test").unwrap();
        let url = root
            .with_query_of(
                "api/v1/alert_groups/",
                "http://evil.test/api/v1/alert_groups/?page=3",
            )
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://oncall.test/api/v1/alert_groups/?page=3"
        );
    }

    #[test]
    fn urgent_words_are_recognised_across_vendors() {
        for urgent in ["P1", "p2", "SEV-1", "Critical", "major"] {
            assert!(is_urgent_word(urgent), "{urgent}");
        }
        for calm in ["P3", "minor", "none", "Low", "warning"] {
            assert!(!is_urgent_word(calm), "{calm}");
        }
    }

    #[test]
    fn the_authorization_value_is_sensitive() {
        let headers = json_headers("Test", "Bearer secret").unwrap();
        assert!(headers[AUTHORIZATION].is_sensitive());
        assert!(!format!("{headers:?}").contains("secret"));
    }
}
