//! The listener Alertmanager's `webhook_config` posts to: `POST /alertmanager` on 127.0.0.1 only
//! (never another address: a forwarder or a reverse proxy on the same machine is how another
//! host reaches it), with `Authorization: Bearer <secret>` on every delivery.
//!
//! The HTTP side runs on a thread of its own with a small tokio runtime; the database side is a
//! second thread that owns the store's connection (see `writer.rs`). A delivery is answered only
//! once it is stored, so Alertmanager, which retries a failed delivery, never loses one to a
//! crash between the two.
//!
//! ```text
//! receivers:
//!   - name: vigil
//!     webhook_configs:
//!       - url: http://127.0.0.1:9095/alertmanager
//!         send_resolved: true
//!         http_config: { authorization: { type: Bearer, credentials: <secret> } }
//! ```

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;
use tokio::sync::oneshot;
use tracing::{error, info, warn};
use vigil_core::{SourceId, SourceKind};

use super::model;
use super::writer::{self, Delivery};
use crate::error::{EngineError, Result};
use crate::secrets::Token;
use crate::store::Store;

/// The path Alertmanager posts to.
pub const WEBHOOK_PATH: &str = "/alertmanager";

/// What a listener needs.
#[derive(Debug, Clone)]
pub struct ListenerConfig {
    /// The database file the alerts go into (opened by the listener's own connection; SQLite's
    /// WAL lets the app or the CLI use the same file meanwhile).
    pub db: PathBuf,
    /// The Alertmanager source the alerts belong to.
    pub source: SourceId,
    /// The bearer token Alertmanager must send.
    pub secret: Token,
    /// The port on 127.0.0.1; 0 takes a free one ([`WebhookListener::addr`] says which).
    pub port: u16,
}

/// A running listener; dropping it (or [`WebhookListener::stop`]) stops it and closes its port.
#[derive(Debug)]
pub struct WebhookListener {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    writer: Option<JoinHandle<()>>,
}

/// What every request handler shares.
#[derive(Clone)]
struct Shared {
    secret: Arc<Token>,
    deliveries: mpsc::Sender<Delivery>,
}

fn io_error(what: &str, e: std::io::Error) -> EngineError {
    EngineError::BadInput(format!("the Alertmanager webhook listener {what}: {e}"))
}

impl WebhookListener {
    /// Checks the source, binds 127.0.0.1:`port`, and starts serving.
    pub fn start(config: ListenerConfig) -> Result<Self> {
        if config.secret.expose().is_empty() {
            return Err(EngineError::BadInput(
                "the webhook secret is empty: set the bearer token Alertmanager sends".into(),
            ));
        }
        let store = Store::open(&config.db)?;
        let source = store.source(config.source)?;
        if source.kind != SourceKind::Alertmanager {
            return Err(EngineError::BadInput(format!(
                "{} is a {} source; the webhook writes into an Alertmanager source",
                source.name,
                source.kind.label()
            )));
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).map_err(|e| {
            io_error(
                &format!(
                    "cannot listen on 127.0.0.1:{} (pick another port)",
                    config.port
                ),
                e,
            )
        })?;
        listener
            .set_nonblocking(true)
            .map_err(|e| io_error("cannot start", e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| io_error("has no address", e))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| io_error("cannot start its runtime", e))?;

        let (deliveries, inbox) = mpsc::channel::<Delivery>();
        let source_id = config.source;
        let writer = std::thread::Builder::new()
            .name("alertmanager-writer".into())
            .spawn(move || writer::write_deliveries(store, source_id, &inbox))
            .map_err(|e| io_error("cannot start its writer", e))?;
        let app = Router::new()
            .route(WEBHOOK_PATH, post(receive))
            .with_state(Shared {
                secret: Arc::new(config.secret),
                deliveries,
            });
        let (stop, stopped) = oneshot::channel::<()>();
        let server = std::thread::Builder::new()
            .name("alertmanager-webhook".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let served = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => {
                            axum::serve(listener, app)
                                .with_graceful_shutdown(async {
                                    let _ = stopped.await;
                                })
                                .await
                        }
                        Err(e) => Err(e),
                    };
                    if let Err(e) = served {
                        error!(error = %e, "the Alertmanager webhook listener stopped");
                    }
                });
            })
            .map_err(|e| io_error("cannot start", e))?;
        info!(%addr, source = %source.name, "Alertmanager webhook listening");
        Ok(WebhookListener {
            addr,
            stop: Some(stop),
            server: Some(server),
            writer: Some(writer),
        })
    }

    /// The address it listens on (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to put in Alertmanager's `webhook_config`.
    pub fn url(&self) -> String {
        format!("http://{}{WEBHOOK_PATH}", self.addr)
    }

    /// Blocks until the listener ends (for the CLI, which runs until it is interrupted).
    pub fn wait(mut self) {
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
        self.shut_down();
    }

    /// Stops taking deliveries, lets the ones in progress finish, and closes the port.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // The server's end drops the last sender of deliveries, which ends the writer.
        for thread in [self.server.take(), self.writer.take()]
            .into_iter()
            .flatten()
        {
            let _ = thread.join();
        }
    }
}

impl Drop for WebhookListener {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// One delivery: the secret first, then the payload, then the store.
async fn receive(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&headers, &shared.secret) {
        warn!("an Alertmanager webhook delivery without the right bearer token was refused");
        let body = json!({
            "error": "a bearer token is required: set http_config.authorization in the \
                      webhook_config"
        });
        return (
            StatusCode::UNAUTHORIZED,
            [(WWW_AUTHENTICATE, "Bearer")],
            Json(body),
        )
            .into_response();
    }
    let notification = match model::webhook_from_json(&body) {
        Ok(notification) => notification,
        Err(reason) => {
            warn!(%reason, "an Alertmanager webhook delivery could not be read");
            return (StatusCode::BAD_REQUEST, Json(json!({"error": reason}))).into_response();
        }
    };
    let (done, outcome) = oneshot::channel();
    let unavailable = || {
        let body = json!({"error": "the listener is stopping; Alertmanager will retry"});
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
    };
    if shared
        .deliveries
        .send(Delivery { notification, done })
        .is_err()
    {
        return unavailable();
    }
    match outcome.await {
        Ok(Ok(stored)) => (StatusCode::OK, Json(json!({"stored": stored}))).into_response(),
        Ok(Err(reason)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": reason})),
        )
            .into_response(),
        Err(_) => unavailable(),
    }
}

/// Whether the request carries `Bearer <secret>`, compared in time that does not depend on
/// where the first wrong character is.
fn authorized(headers: &HeaderMap, secret: &Token) -> bool {
    let Some((scheme, given)) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
    else {
        return false;
    };
    let expected = secret.expose().as_bytes();
    let given = given.trim().as_bytes();
    scheme.eq_ignore_ascii_case("bearer")
        && given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_the_exact_bearer_secret_is_authorized() {
        let secret = Token::new("s3cret");
        assert!(authorized(&with("Bearer s3cret"), &secret));
        assert!(authorized(&with("bearer s3cret"), &secret));
        for wrong in [
            "Bearer s3cre",
            "Bearer s3cret2",
            "Basic s3cret",
            "s3cret",
            "Bearer ",
        ] {
            assert!(!authorized(&with(wrong), &secret), "{wrong}");
        }
        assert!(!authorized(&HeaderMap::new(), &secret));
    }
}
