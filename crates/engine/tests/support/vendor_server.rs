//! A loopback HTTP server that any vendor's shape plugs into: it checks the Authorization header
//! against the vendor's exact form, records every request, breaks on demand (cut-off JSON, an
//! HTML page, 500s from the nth request on), and otherwise hands the request to the vendor's
//! [`Account`], which answers from its state. It runs on a thread of its own with its own
//! runtime, so the blocking connector under test can call it from the test's thread.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};

/// A vendor's account as a test server holds it.
pub trait Account: Send + 'static {
    /// The answer to an authorised, unbroken GET of `path` with `query`.
    fn respond(&mut self, path: &str, query: &Query) -> Response;
}

/// The query pairs of a request, in order.
#[derive(Debug, Clone, Default)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// The first value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A numeric parameter, or `default`.
    pub fn number(&self, name: &str, default: usize) -> usize {
        self.get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }
}

/// A way to break every response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakage {
    /// JSON cut off in the middle, as a dropped connection leaves it.
    TruncatedJson,
    /// A 200 with an HTML page (a login page or a proxy's error page).
    HtmlPage,
    /// HTTP 500, every time.
    ServerError,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub query: Query,
    pub authorization: Option<String>,
    pub status: u16,
}

/// What the server holds besides the account.
#[derive(Debug)]
pub struct Shared<A> {
    pub account: A,
    /// The Authorization value the server accepts, exactly.
    pub authorization: String,
    pub breakage: Option<Breakage>,
    /// Requests after this many answer 500.
    pub fail_after: Option<usize>,
    pub requests: Vec<Seen>,
}

/// A running server; dropping it stops it and closes its port.
#[derive(Debug)]
pub struct VendorServer<A: Account> {
    pub addr: SocketAddr,
    state: Arc<Mutex<Shared<A>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl<A: Account> VendorServer<A> {
    /// Starts a server for `account` that accepts exactly `authorization`.
    pub fn start(account: A, authorization: &str) -> Self {
        let state = Arc::new(Mutex::new(Shared {
            account,
            authorization: authorization.to_owned(),
            breakage: None,
            fail_after: None,
            requests: Vec::new(),
        }));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("its address");
        let app = Router::new()
            .fallback(handle::<A>)
            .with_state(state.clone());
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
        VendorServer {
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
    pub fn state(&self) -> MutexGuard<'_, Shared<A>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Seen> {
        self.state().requests.clone()
    }

    /// The requests to paths starting with `prefix`.
    pub fn requests_to(&self, prefix: &str) -> Vec<Seen> {
        self.requests()
            .into_iter()
            .filter(|r| r.path.starts_with(prefix))
            .collect()
    }
}

impl<A: Account> Drop for VendorServer<A> {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn handle<A: Account>(
    State(state): State<Arc<Mutex<Shared<A>>>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    let query = Query(
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect(),
    );
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let index = s.requests.len();
    s.requests.push(Seen {
        path: uri.path().to_owned(),
        query: query.clone(),
        authorization: authorization.clone(),
        status: 0,
    });
    let response = if authorization.as_deref() != Some(s.authorization.as_str()) {
        json_response(StatusCode::UNAUTHORIZED, json!({"message": "Unauthorized"}))
    } else if s.fail_after.is_some_and(|n| index >= n) {
        json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"message": "Internal error"}),
        )
    } else {
        match s.breakage {
            Some(Breakage::TruncatedJson) => {
                raw_json(StatusCode::OK, "{\"data\": [{\"id\": \"x1\", \"ti")
            }
            Some(Breakage::HtmlPage) => {
                let page = "<!DOCTYPE html><html><head><title>Sign in</title></head></html>";
                (StatusCode::OK, [("content-type", "text/html")], page).into_response()
            }
            Some(Breakage::ServerError) => json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"message": "Internal error"}),
            ),
            None => s.account.respond(uri.path(), &query),
        }
    };
    s.requests[index].status = response.status().as_u16();
    response
}

/// A JSON response.
pub fn json_response(status: StatusCode, body: Value) -> Response {
    raw_json(status, &body.to_string())
}

/// A response with a JSON content type and this exact body.
pub fn raw_json(status: StatusCode, body: &str) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .expect("a response")
}

/// A 404 in the common `{"message": ...}` shape.
pub fn not_found() -> Response {
    json_response(StatusCode::NOT_FOUND, json!({"message": "Not found"}))
}
