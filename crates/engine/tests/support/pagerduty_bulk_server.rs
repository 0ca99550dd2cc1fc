//! A lean PagerDuty-shaped server on 127.0.0.1 for large accounts (tens of thousands of
//! incidents): the crash-safety test and the sync benchmark. [`super::pagerduty_server`] builds
//! every record of a window as JSON for each page, which is right for its small fixtures and its
//! faults but costs a debug build a tenth of a second per page at 20,000 incidents. This one
//! serialises each record once, keeps them sorted by time, and answers a page with two binary
//! searches and a slice. It serves `/incidents`, `/incidents/{id}` and `/log_entries` with the
//! same query parameters, token check and offset cap, counts its requests, and has no faults.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use chrono::{DateTime, Utc};

use super::pagerduty_fixture::Fixture;

/// One account, serialised: records sorted by time, each with its JSON text.
#[derive(Debug, Default)]
struct Account {
    /// By creation time, then number, as `sort_by=created_at:asc` lists them.
    incidents: Vec<(DateTime<Utc>, String)>,
    by_id: HashMap<String, usize>,
    /// Oldest first; pages are served newest first, as PagerDuty lists log entries.
    log_entries: Vec<(DateTime<Utc>, String)>,
}

impl Account {
    fn of(fixture: &Fixture) -> Account {
        let mut incidents: Vec<_> = fixture.incidents.iter().collect();
        incidents.sort_by_key(|i| (i.created_at, i.number));
        let by_id = incidents
            .iter()
            .enumerate()
            .map(|(n, i)| (i.id.clone(), n))
            .collect();
        let incidents = incidents
            .into_iter()
            .map(|i| (i.created_at, Fixture::incident_json(i).to_string()))
            .collect();
        let mut entries: Vec<_> = fixture.log_entries.iter().collect();
        entries.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        let log_entries = entries
            .into_iter()
            .map(|e| (e.at, Fixture::log_entry_json(e).to_string()))
            .collect();
        Account {
            incidents,
            by_id,
            log_entries,
        }
    }
}

struct Shared {
    account: RwLock<Arc<Account>>,
    token: String,
    offset_cap: usize,
    requests: AtomicU64,
}

/// A running server; dropping it stops it and closes its port.
pub struct BulkServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BulkServer {
    /// Serves `fixture` to requests carrying `token`, with PagerDuty's offset cap of 10,000.
    pub fn start(fixture: &Fixture, token: &str) -> Self {
        let shared = Arc::new(Shared {
            account: RwLock::new(Arc::new(Account::of(fixture))),
            token: format!("Token token={token}"),
            offset_cap: 10_000,
            requests: AtomicU64::new(0),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("its address");
        let app = Router::new().fallback(handle).with_state(shared.clone());
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
        BulkServer {
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests answered so far, refused ones included.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Serves `fixture` from now on (the account after some of its incidents changed).
    pub fn replace(&self, fixture: &Fixture) {
        let account = Arc::new(Account::of(fixture));
        *self
            .shared
            .account
            .write()
            .unwrap_or_else(|e| e.into_inner()) = account;
    }
}

impl Drop for BulkServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn handle(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let authorized = headers
        .get("authorization")
        .is_some_and(|v| v.as_bytes() == shared.token.as_bytes());
    if !authorized {
        return error(StatusCode::UNAUTHORIZED, 2006, "Unauthorized");
    }
    let account = shared
        .account
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let number = |name: &str, default: usize| {
        query
            .get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let time = |name: &str| {
        query
            .get(name)
            .and_then(|v| v.parse::<DateTime<Utc>>().ok())
    };
    let (limit, offset) = (number("limit", 25), number("offset", 0));

    if let Some(id) = uri.path().strip_prefix("/incidents/") {
        return match account.by_id.get(id) {
            Some(&n) => ok(format!("{{\"incident\":{}}}", account.incidents[n].1)),
            None => error(StatusCode::NOT_FOUND, 2100, "Not Found"),
        };
    }
    if offset + limit > shared.offset_cap {
        let message = "Invalid Input Provided: offset + limit too large";
        return error(StatusCode::BAD_REQUEST, 2001, message);
    }
    let (key, records, newest_first) = match uri.path() {
        "/incidents" => ("incidents", &account.incidents, false),
        "/log_entries" => ("log_entries", &account.log_entries, true),
        _ => return error(StatusCode::NOT_FOUND, 2100, "Not Found"),
    };
    // since is inclusive and until exclusive, as PagerDuty treats them.
    let low = time("since").map_or(0, |t| records.partition_point(|(at, _)| *at < t));
    let high = time("until").map_or(records.len(), |t| {
        records.partition_point(|(at, _)| *at < t)
    });
    let in_range = &records[low..high.max(low)];
    let total = in_range.len();
    let end = total.min(offset + limit);
    let page: Vec<&str> = if offset >= total {
        Vec::new()
    } else if newest_first {
        in_range[total - end..total - offset]
            .iter()
            .rev()
            .map(|(_, json)| json.as_str())
            .collect()
    } else {
        in_range[offset..end]
            .iter()
            .map(|(_, json)| json.as_str())
            .collect()
    };
    let total_field = if query.get("total").map(String::as_str) == Some("true") {
        total.to_string()
    } else {
        "null".into()
    };
    ok(format!(
        "{{\"{key}\":[{}],\"limit\":{limit},\"offset\":{offset},\"more\":{},\"total\":{total_field}}}",
        page.join(","),
        offset + limit < total,
    ))
}

fn ok(body: String) -> Response {
    respond(StatusCode::OK, body)
}

fn error(status: StatusCode, code: u32, message: &str) -> Response {
    respond(
        status,
        format!("{{\"error\":{{\"message\":\"{message}\",\"code\":{code}}}}}"),
    )
}

fn respond(status: StatusCode, body: String) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("a response")
}
