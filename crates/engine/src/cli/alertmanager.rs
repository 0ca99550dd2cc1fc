//! `vigil alertmanager listen --port N [--base-url URL]`: receives Alertmanager's webhook on
//! 127.0.0.1 until interrupted. The secret Alertmanager must send as a bearer token comes from
//! `VIGIL_ALERTMANAGER_TOKEN`. The alerts go into the Alertmanager source of `--base-url` (the
//! one `vigil sync alertmanager --base-url URL` polls, so both feed one source), or into the
//! webhook-only source when no URL is given; either is created on first use.

use std::path::Path;

use anyhow::Context;
use clap::{Args, Subcommand};
use vigil_core::SourceKind;

use crate::connectors::alertmanager::webhook::{ListenerConfig, WebhookListener};
use crate::http;
use crate::secrets::{self, Token};
use crate::store::{NewSource, Store};

/// `vigil alertmanager ...`
#[derive(Debug, Subcommand)]
pub enum AlertmanagerCommand {
    /// Receives Alertmanager's webhook on 127.0.0.1 (only) and stores its alerts, until
    /// interrupted; prints the URL to put in Alertmanager's webhook_config.
    Listen(ListenArgs),
}

/// `vigil alertmanager listen ...`
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// The port on 127.0.0.1; 0 takes a free one (the URL printed says which).
    #[arg(long, value_name = "N")]
    pub port: u16,
    /// The Alertmanager's URL as `vigil sync alertmanager` was given it, so polled and pushed
    /// alerts land in one source.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// Runs `vigil alertmanager ...` against the database at `db`.
pub fn run(store: &mut Store, db: &Path, command: &AlertmanagerCommand) -> anyhow::Result<()> {
    let AlertmanagerCommand::Listen(args) = command;
    let variable = secrets::env_var(SourceKind::Alertmanager);
    let secret = std::env::var(&variable)
        .ok()
        .filter(|s| !s.trim().is_empty())
        .with_context(|| {
            format!(
                "set {variable} to the secret Alertmanager sends as a bearer token \
                 (http_config.authorization.credentials in its webhook_config)"
            )
        })?;

    // The same normal form as `vigil sync`, so both find the same source.
    let base_url = match &args.base_url {
        Some(text) => Some(
            http::parse_base_url(text)?
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
        ),
        None => None,
    };
    let kind = SourceKind::Alertmanager;
    let source = match store.source_by_kind_and_url(kind, base_url.as_deref())? {
        Some(source) => source,
        None => {
            let name = match &base_url {
                Some(url) => format!("{} ({})", kind.label(), host_of(url)),
                None => format!("{} (webhook)", kind.label()),
            };
            store
                .add_source(&NewSource {
                    kind,
                    name,
                    base_url: base_url.clone(),
                })
                .context("cannot add the source")?
        }
    };

    let listener = WebhookListener::start(ListenerConfig {
        db: db.to_owned(),
        source: source.id,
        secret: Token::new(&secret),
        port: args.port,
    })?;
    println!(
        "listening on {} for {} (stop with Ctrl-C)",
        listener.url(),
        source.name
    );
    listener.wait();
    Ok(())
}

/// `host:port` of a URL, for a source's name.
fn host_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => url.to_owned(),
        },
        Err(_) => url.to_owned(),
    }
}
