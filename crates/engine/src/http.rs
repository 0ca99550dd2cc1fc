//! The HTTP client every connector shares: one request at a time, a per-request timeout, 429s
//! waited out as the server says, bounded retries with backoff on 5xx and network failures, and
//! no token on a redirect to another host.
//!
//! The retry loop is written out here rather than built with a retry crate: a 429 names its own
//! wait (`ratelimit-reset` or `Retry-After`), a 5xx wants exponential backoff, and both must
//! spend one budget of attempts. One small loop says that more plainly than an adapter would.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::Rng;
use reqwest::blocking::{Client, Response};
use reqwest::header::{HeaderMap, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{redirect, StatusCode};
use serde::de::DeserializeOwned;
use tracing::{debug, warn};
use url::{Host, Url};

/// How patient the client is. The defaults suit a vendor's API; tests shorten the delays.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// The longest one request may take, body included.
    pub timeout: Duration,
    /// How many times one request is tried in all, 429s included.
    pub max_attempts: u32,
    /// The first backoff delay after a 5xx or a network failure; it doubles with each retry.
    pub backoff_base: Duration,
    /// The longest backoff delay.
    pub max_backoff: Duration,
    /// The longest wait a 429 may ask for; a longer one is cut to this.
    pub max_rate_limit_wait: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            timeout: Duration::from_secs(30),
            max_attempts: 5,
            backoff_base: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_rate_limit_wait: Duration::from_secs(60),
        }
    }
}

/// Redirects followed within one origin before giving up.
const MAX_REDIRECTS: usize = 5;

/// How much of a body an error message quotes.
const SNIPPET_CHARS: usize = 160;

/// The blocking client. It makes one request at a time and counts them.
#[derive(Debug)]
pub struct HttpClient {
    client: Client,
    settings: HttpSettings,
    requests: AtomicU64,
}

impl HttpClient {
    /// A client with these settings.
    pub fn new(settings: HttpSettings) -> Result<Self, RemoteError> {
        let client = Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .redirect(redirect::Policy::custom(same_origin_only))
            .user_agent(concat!("vigil/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| RemoteError::Refused(format!("the HTTP client could not start: {e}")))?;
        Ok(HttpClient {
            client,
            settings,
            requests: AtomicU64::new(0),
        })
    }

    /// Requests sent so far, retries included.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// GETs `url` with `headers` and reads the body as JSON of type `T`, retrying as the module
    /// documentation says. Put secrets in `headers` marked sensitive, never in the URL.
    pub fn get_json<T: DeserializeOwned>(
        &self,
        url: &Url,
        headers: &HeaderMap,
    ) -> Result<T, RemoteError> {
        check_url(url)?;
        let shown = loggable(url);
        let max_attempts = self.settings.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let wait = match self.try_once(url, &shown, headers) {
                Ok(body) => return parse_json(&body, &shown),
                Err(Failure::Final(e)) => return Err(e),
                Err(Failure::Retry { wait, error }) if attempt < max_attempts => {
                    let wait = wait.unwrap_or_else(|| self.backoff(attempt));
                    warn!(url = %shown, attempt, wait_ms = wait.as_millis() as u64, %error,
                          "request failed, retrying");
                    wait
                }
                Err(Failure::Retry { error, .. }) => {
                    return Err(error.with_attempts(attempt));
                }
            };
            std::thread::sleep(wait);
        }
    }

    /// One request: the body of a success, or why not and whether trying again may help.
    fn try_once(&self, url: &Url, shown: &str, headers: &HeaderMap) -> Result<Body, Failure> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let sent = self.client.get(url.clone()).headers(headers.clone()).send();
        let response = match sent {
            Ok(response) => response,
            Err(e) => {
                debug!(method = "GET", url = %shown, ms = elapsed_ms(started), error = %describe(&e),
                       "request failed");
                return Err(network_failure(shown, e));
            }
        };
        let status = response.status();
        debug!(method = "GET", url = %shown, status = status.as_u16(), ms = elapsed_ms(started),
               "response");

        if status.is_success() {
            return read_body(response, shown);
        }
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                Err(Failure::Final(RemoteError::Unauthorized {
                    url: shown.to_owned(),
                    status: status.as_u16(),
                }))
            }
            StatusCode::TOO_MANY_REQUESTS => {
                let wait = rate_limit_wait(response.headers()).map(|w| {
                    w.min(self.settings.max_rate_limit_wait)
                        .max(self.settings.backoff_base)
                });
                let snippet = error_snippet(response);
                Err(Failure::Retry {
                    wait: wait.or(Some(self.settings.backoff_base)),
                    error: status_error(shown, status, snippet),
                })
            }
            s if s.is_server_error() => {
                let snippet = error_snippet(response);
                Err(Failure::Retry {
                    wait: None,
                    error: status_error(shown, status, snippet),
                })
            }
            _ => {
                let snippet = error_snippet(response);
                Err(Failure::Final(status_error(shown, status, snippet)))
            }
        }
    }

    /// Exponential backoff with jitter: the nth retry waits between half and all of
    /// `base * 2^(n-1)`, capped, so clients that failed together do not retry together.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .settings
            .backoff_base
            .saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let ceiling = exp.min(self.settings.max_backoff);
        ceiling.mul_f64(rand::rng().random_range(0.5..=1.0))
    }
}

/// A successful response's body and content type.
struct Body {
    bytes: Vec<u8>,
    content_type: String,
}

/// Why one attempt failed.
enum Failure {
    /// Trying again may help: after `wait` if the server named one, else after a backoff.
    Retry {
        wait: Option<Duration>,
        error: RemoteError,
    },
    /// Trying again will not help.
    Final(RemoteError),
}

impl RemoteError {
    /// The same error, saying how many attempts were made.
    fn with_attempts(self, n: u32) -> Self {
        match self {
            RemoteError::Status {
                url,
                status,
                snippet,
                ..
            } => RemoteError::Status {
                url,
                status,
                attempts: n,
                snippet,
            },
            RemoteError::Unreachable { url, reason } => RemoteError::Unreachable {
                url,
                reason: format!("{reason} ({n} attempts)"),
            },
            other => other,
        }
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    started.elapsed().as_millis() as u64
}

fn status_error(shown: &str, status: StatusCode, snippet: String) -> RemoteError {
    RemoteError::Status {
        url: shown.to_owned(),
        status: status.as_u16(),
        attempts: 1,
        snippet,
    }
}

/// A request that did not get a response: redirects refused are final, the rest may pass.
fn network_failure(shown: &str, e: reqwest::Error) -> Failure {
    if e.is_redirect() {
        return Failure::Final(RemoteError::Refused(format!(
            "{shown} answered with a redirect that Vigil does not follow ({}), so the token was \
             not sent anywhere else. Point the base URL at the API itself",
            describe(&e)
        )));
    }
    Failure::Retry {
        wait: None,
        error: RemoteError::Unreachable {
            url: shown.to_owned(),
            reason: describe(&e),
        },
    }
}

/// Reads a success's body. A body cut short is malformed; a timeout while reading may pass.
fn read_body(response: Response, shown: &str) -> Result<Body, Failure> {
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    match response.bytes() {
        Ok(bytes) => Ok(Body {
            bytes: bytes.to_vec(),
            content_type,
        }),
        Err(e) if e.is_timeout() => Err(Failure::Retry {
            wait: None,
            error: RemoteError::Unreachable {
                url: shown.to_owned(),
                reason: describe(&e),
            },
        }),
        Err(e) => Err(Failure::Final(RemoteError::Malformed {
            url: shown.to_owned(),
            reason: format!("the body was cut off: {}", describe(&e)),
            snippet: String::new(),
        })),
    }
}

/// The body of an error response, shortened, for the message.
fn error_snippet(response: Response) -> String {
    response.bytes().map(|b| snippet(&b)).unwrap_or_default()
}

/// Decodes a success's body, naming an HTML page or broken JSON for what it is.
fn parse_json<T: DeserializeOwned>(body: &Body, shown: &str) -> Result<T, RemoteError> {
    let malformed = |reason: String| RemoteError::Malformed {
        url: shown.to_owned(),
        reason,
        snippet: snippet(&body.bytes),
    };
    let starts_with_tag = body.bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    if body.content_type.starts_with("text/html") || starts_with_tag {
        return Err(malformed("an HTML page instead of JSON".into()));
    }
    serde_json::from_slice(&body.bytes).map_err(|e| {
        let reason = if e.is_eof() {
            format!("the JSON ends too early, the body may be cut off: {e}")
        } else {
            format!("not the expected JSON: {e}")
        };
        malformed(reason)
    })
}

/// The start of a body on one line, cut at a character boundary.
pub fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = one_line.chars().take(SNIPPET_CHARS).collect();
    if one_line.chars().count() > SNIPPET_CHARS {
        short.push('…');
    }
    short
}

/// How long a 429 asks to wait: PagerDuty's `ratelimit-reset` (seconds), else `Retry-After`
/// (seconds or an HTTP date).
fn rate_limit_wait(headers: &HeaderMap) -> Option<Duration> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(secs) = text("ratelimit-reset").and_then(|v| v.parse::<f64>().ok()) {
        return Some(Duration::from_secs_f64(secs.clamp(0.0, 86_400.0)));
    }
    let retry_after = text(RETRY_AFTER.as_str())?;
    if let Ok(secs) = retry_after.parse::<f64>() {
        return Some(Duration::from_secs_f64(secs.clamp(0.0, 86_400.0)));
    }
    let at = DateTime::parse_from_rfc2822(retry_after)
        .ok()?
        .with_timezone(&Utc);
    Some((at - Utc::now()).to_std().unwrap_or_default())
}

/// A reqwest error in words, without its URL (the caller names it) but with its causes.
fn describe(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    if e.is_timeout() {
        parts.push("timed out".to_owned());
    } else if e.is_connect() {
        parts.push("connection failed".to_owned());
    }
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p: &String| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}

/// Follows a redirect only within the origin the request started at (scheme, host and port),
/// so the Authorization header never reaches another host.
fn same_origin_only(attempt: redirect::Attempt<'_>) -> redirect::Action {
    let first = attempt.previous().first().cloned();
    let target = attempt.url().clone();
    if attempt.previous().len() > MAX_REDIRECTS {
        return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
    }
    match first {
        Some(first) if first.origin() == target.origin() => attempt.follow(),
        _ => attempt.error(format!(
            "redirect to another host: {}",
            target.origin().ascii_serialization()
        )),
    }
}

/// Refuses URLs that would send a token in the clear: `https://` always works, `http://` only
/// to this machine (127.0.0.0/8, ::1, localhost), where tests and local proxies live.
pub fn check_url(url: &Url) -> Result<(), RemoteError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(RemoteError::Refused(format!(
            "{} uses plain http://, which would send the API token unencrypted to {}: use \
             https:// (http:// is allowed only for 127.0.0.1, ::1 and localhost)",
            loggable(url),
            url.host_str().unwrap_or("the server")
        ))),
        other => Err(RemoteError::Refused(format!(
            "{} is not a web address Vigil can use (scheme `{other}`): use https://",
            loggable(url)
        ))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Parses a base URL a person typed and checks it with [`check_url`].
pub fn parse_base_url(text: &str) -> Result<Url, RemoteError> {
    let url = Url::parse(text.trim()).map_err(|e| {
        RemoteError::Refused(format!(
            "`{}` is not a URL ({e}): write it like https://api.pagerduty.com",
            text.trim()
        ))
    })?;
    check_url(&url)?;
    Ok(url)
}

/// The URL as a log line may show it: without user info, and with the values of query
/// parameters that look like secrets replaced.
pub fn loggable(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    if shown.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let lower = k.to_ascii_lowercase();
                let secret = ["token", "key", "secret", "password", "auth", "signature"]
                    .iter()
                    .any(|word| lower.contains(word));
                (
                    k.into_owned(),
                    if secret {
                        "<redacted>".to_owned()
                    } else {
                        v.into_owned()
                    },
                )
            })
            .collect();
        shown.query_pairs_mut().clear().extend_pairs(pairs);
    }
    shown.to_string()
}

/// A remote API could not be reached or answered with something unusable.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The connection failed (refused, DNS, TLS, timeout) after the retries.
    #[error(
        "could not reach {url}: {reason}. Check the base URL and your network, then sync again"
    )]
    Unreachable {
        /// What was asked.
        url: String,
        /// What the network stack said.
        reason: String,
    },
    /// The server refused the token.
    #[error("{url} refused the API token (HTTP {status}): store a valid token for this source")]
    Unauthorized {
        /// What was asked.
        url: String,
        /// 401 or 403.
        status: u16,
    },
    /// The server kept failing.
    #[error("{url} answered HTTP {status} {attempts} times: {snippet}. The vendor may be down; the next sync tries again")]
    Status {
        /// What was asked.
        url: String,
        /// The last status.
        status: u16,
        /// How many tries were made.
        attempts: u32,
        /// The start of the body, for a person to recognise.
        snippet: String,
    },
    /// The body was not what the vendor's API returns.
    #[error("{url} returned a body Vigil cannot read ({reason}): {snippet}. Check that the base URL points at the vendor's API, not a web page")]
    Malformed {
        /// What was asked.
        url: String,
        /// Why it did not parse.
        reason: String,
        /// The start of the body.
        snippet: String,
    },
    /// The configuration would leak a token or cannot be used.
    #[error("{0}")]
    Refused(String),
}

impl RemoteError {
    /// A stable machine-readable kind.
    pub fn kind(&self) -> &'static str {
        match self {
            RemoteError::Unreachable { .. } => "network",
            RemoteError::Unauthorized { .. } => "auth",
            RemoteError::Status { .. } => "remote_status",
            RemoteError::Malformed { .. } => "malformed",
            RemoteError::Refused(_) => "bad_input",
        }
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn plain_http_is_allowed_only_to_this_machine() {
        for ok in [
            "http://127.0.0.1:8080/",
            "http://127.3.4.5/",
            "http://[::1]:9/",
            "http://localhost/",
        ] {
            assert!(check_url(&Url::parse(ok).unwrap()).is_ok(), "{ok}");
        }
        for refused in [
            "http://api.pagerduty.com/",
            "http://10.0.0.1/",
            "ftp://127.0.0.1/",
        ] {
            assert!(
                check_url(&Url::parse(refused).unwrap()).is_err(),
                "{refused}"
            );
        }
        assert!(check_url(&Url::parse("https://api.pagerduty.com/").unwrap()).is_ok());
    }

    #[test]
    fn a_logged_url_hides_secret_looking_query_values() {
        let url = Url::parse("https://u:p@x.test/a?since=1&api_key=abc&token=t").unwrap();
        let shown = loggable(&url);
        assert!(
            !shown.contains("abc") && !shown.contains("=t") && !shown.contains("u:p"),
            "{shown}"
        );
        assert!(shown.contains("since=1"));
    }

    #[test]
    fn a_rate_limit_wait_is_read_from_pagerduty_or_standard_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("ratelimit-reset", HeaderValue::from_static("2"));
        assert_eq!(rate_limit_wait(&headers), Some(Duration::from_secs(2)));
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(rate_limit_wait(&headers), Some(Duration::from_secs(3)));
        assert_eq!(rate_limit_wait(&HeaderMap::new()), None);
    }

    #[test]
    fn a_snippet_is_one_short_line() {
        let long = format!("<html>\n  <body>{}</body>", "é".repeat(500));
        let s = snippet(long.as_bytes());
        assert!(!s.contains('\n'));
        assert!(s.chars().count() <= SNIPPET_CHARS + 1);
    }

    #[test]
    fn an_html_page_is_named_as_such() {
        let body = Body {
            bytes: b"  <!doctype html><p>Sign in</p>".to_vec(),
            content_type: String::new(),
        };
        let err = parse_json::<serde_json::Value>(&body, "https://x.test/").unwrap_err();
        assert!(err.to_string().contains("HTML"), "{err}");
    }
}
