//! A PagerDuty-shaped HTTP server on 127.0.0.1 with state: it serves `/incidents`,
//! `/incidents/{id}` and `/log_entries` from a [`Fixture`], honours since/until/offset/limit
//! (and `incident_key` on `/incidents`),
//! answers `more` and `total`, refuses pages past the offset cap with a 400 as PagerDuty does,
//! checks the token, records every request, and misbehaves on demand (429s, 5xx, broken bodies,
//! redirects, slowness). It runs on a thread of its own with its own runtime, so the blocking
//! connector under test can call it from the test's thread.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::pagerduty_fixture::{Fixture, FixtureIncident};

/// The token the server accepts unless a test changes it.
pub const TOKEN: &str = "test-token-u+Zx";

/// A way to break every response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// JSON cut off in the middle, as a dropped connection leaves it.
    TruncatedJson,
    /// A 200 with an HTML page (a login page or a proxy's error page).
    HtmlPage,
    /// Valid JSON of the wrong shape.
    WrongTypes,
    /// HTTP 500, every time.
    ServerError,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub query: Vec<(String, String)>,
    pub authorization: Option<String>,
    pub status: u16,
}

impl Recorded {
    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A time parameter, parsed.
    pub fn time(&self, name: &str) -> Option<DateTime<Utc>> {
        self.param(name)
            .map(|v| v.parse().expect("an RFC 3339 instant"))
    }
}

/// What the server holds and how it behaves; tests change it between syncs.
#[derive(Debug)]
pub struct ServerState {
    pub fixture: Fixture,
    pub token: String,
    /// `offset + limit` may not pass it.
    pub offset_cap: u32,
    pub fault: Option<Fault>,
    /// The next request gets a 429 with this header (name, value), once.
    pub rate_limit_next: Option<(String, String)>,
    /// Every other request gets a 429 with this header.
    pub rate_limit_every_other: Option<(String, String)>,
    /// Requests after this many answer 500.
    pub fail_after: Option<usize>,
    /// Every request is redirected to this origin (`http://host:port`).
    pub redirect_to: Option<String>,
    /// Each response waits this long.
    pub delay: Duration,
    pub requests: Vec<Recorded>,
}

/// A running server; dropping it stops it and closes its port.
#[derive(Debug)]
pub struct PagerDutyServer {
    pub addr: SocketAddr,
    state: Arc<Mutex<ServerState>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

type Shared = Arc<Mutex<ServerState>>;

impl PagerDutyServer {
    /// Starts a server with PagerDuty's real offset cap.
    pub fn start(fixture: Fixture) -> Self {
        let state = Arc::new(Mutex::new(ServerState {
            fixture,
            token: TOKEN.into(),
            offset_cap: 10_000,
            fault: None,
            rate_limit_next: None,
            rate_limit_every_other: None,
            fail_after: None,
            redirect_to: None,
            delay: Duration::ZERO,
            requests: Vec::new(),
        }));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("its address");
        let app = Router::new().fallback(handle).with_state(state.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = stopped => {}
                }
            });
        });
        PagerDutyServer {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The state, to change or inspect.
    pub fn state(&self) -> MutexGuard<'_, ServerState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state().requests.clone()
    }

    /// The requests to one path.
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }
}

impl Drop for PagerDutyServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn handle(State(state): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let delay = state.lock().map(|s| s.delay).unwrap_or_default();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let index = s.requests.len();
    s.requests.push(Recorded {
        path: uri.path().to_owned(),
        query: query.clone(),
        authorization: authorization.clone(),
        status: 0,
    });
    let response = respond(&mut s, index, uri.path(), &query, authorization.as_deref());
    s.requests[index].status = response.status().as_u16();
    response
}

fn respond(
    s: &mut ServerState,
    index: usize,
    path: &str,
    query: &[(String, String)],
    authorization: Option<&str>,
) -> Response {
    if let Some(origin) = &s.redirect_to {
        return (
            StatusCode::FOUND,
            [("location", format!("{origin}{path}"))],
            "",
        )
            .into_response();
    }
    if authorization != Some(format!("Token token={}", s.token).as_str()) {
        return error(StatusCode::UNAUTHORIZED, 2006, "Unauthorized");
    }
    if s.fail_after.is_some_and(|n| index >= n) {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            2000,
            "Internal Server Error",
        );
    }
    if let Some((name, value)) = s.rate_limit_next.take() {
        return (StatusCode::TOO_MANY_REQUESTS, [(name, value)], "").into_response();
    }
    if let Some((name, value)) = &s.rate_limit_every_other {
        if index.is_multiple_of(2) {
            let body = json!({"error": {"message": "Rate Limit Exceeded", "code": 2020}});
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(name.clone(), value.clone())],
                body.to_string(),
            )
                .into_response();
        }
    }
    match s.fault {
        Some(Fault::TruncatedJson) => {
            return json_response(
                StatusCode::OK,
                "{\"incidents\": [{\"id\": \"P1\", \"ti".into(),
            )
        }
        Some(Fault::HtmlPage) => {
            let page = "<!DOCTYPE html><html><head><title>Sign in</title></head></html>";
            return (StatusCode::OK, [("content-type", "text/html")], page).into_response();
        }
        Some(Fault::WrongTypes) => {
            return json_response(
                StatusCode::OK,
                r#"{"incidents": "none", "log_entries": 3, "more": "no"}"#.into(),
            )
        }
        Some(Fault::ServerError) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                2000,
                "Internal Server Error",
            )
        }
        None => {}
    }

    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let time = |name: &str| param(name).and_then(|v| v.parse::<DateTime<Utc>>().ok());
    let (since, until) = (time("since"), time("until"));
    let in_range =
        |at: DateTime<Utc>| since.is_none_or(|t| at >= t) && until.is_none_or(|t| at < t);
    let limit: usize = param("limit").and_then(|v| v.parse().ok()).unwrap_or(25);
    let offset: usize = param("offset").and_then(|v| v.parse().ok()).unwrap_or(0);
    let with_total = param("total") == Some("true");

    if let Some(id) = path.strip_prefix("/incidents/") {
        return match s.fixture.incidents.iter().find(|i| i.id == id) {
            Some(i) => json_response(
                StatusCode::OK,
                json!({"incident": Fixture::incident_json(i)}).to_string(),
            ),
            None => error(StatusCode::NOT_FOUND, 2100, "Not Found"),
        };
    }
    if offset + limit > s.offset_cap as usize {
        return error(
            StatusCode::BAD_REQUEST,
            2001,
            "Invalid Input Provided: offset + limit too large",
        );
    }
    let (key, items): (&str, Vec<Value>) = match path {
        "/incidents" => {
            let mut found: Vec<&FixtureIncident> = s
                .fixture
                .incidents
                .iter()
                .filter(|i| in_range(i.created_at))
                .filter(|i| param("incident_key").is_none_or(|k| k == format!("key-{}", i.id)))
                .collect();
            found.sort_by_key(|i| (i.created_at, i.number));
            if param("sort_by") != Some("created_at:asc") {
                found.reverse();
            }
            (
                "incidents",
                found.into_iter().map(Fixture::incident_json).collect(),
            )
        }
        "/log_entries" => {
            let mut found: Vec<_> = s
                .fixture
                .log_entries
                .iter()
                .filter(|e| in_range(e.at))
                .collect();
            // PagerDuty lists log entries newest first.
            found.sort_by_key(|e| std::cmp::Reverse((e.at, e.id.clone())));
            (
                "log_entries",
                found.into_iter().map(Fixture::log_entry_json).collect(),
            )
        }
        _ => return error(StatusCode::NOT_FOUND, 2100, "Not Found"),
    };
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    let body = json!({
        key: page,
        "limit": limit,
        "offset": offset,
        "more": offset + limit < total,
        "total": if with_total { json!(total) } else { Value::Null },
    });
    json_response(StatusCode::OK, body.to_string())
}

fn json_response(status: StatusCode, body: String) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("a response")
}

fn error(status: StatusCode, code: u32, message: &str) -> Response {
    json_response(
        status,
        json!({"error": {"message": message, "code": code}}).to_string(),
    )
}
