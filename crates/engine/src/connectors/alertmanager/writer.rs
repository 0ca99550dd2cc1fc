//! The webhook's database side: one thread owns the store's connection and writes each
//! delivery as one page through [`SyncRun::write_page`], merged with what the cache holds of
//! its alerts, as a poll would.

use std::sync::mpsc;

use chrono::Utc;
use tokio::sync::oneshot;
use tracing::{error, info};
use vigil_core::SourceId;

use super::merge;
use super::model::Notification;
use crate::error::Result;
use crate::store::Store;
use crate::sync::{SyncOptions, SyncRun};

/// A delivery on its way to the writer, with the way back to the request that brought it.
pub struct Delivery {
    /// The alerts.
    pub notification: Notification,
    /// Where the outcome goes: the number of alerts stored, or why none was.
    pub done: oneshot::Sender<std::result::Result<usize, String>>,
}

/// The writer thread: stores deliveries one at a time until the server goes away.
pub fn write_deliveries(mut store: Store, source: SourceId, inbox: &mpsc::Receiver<Delivery>) {
    for delivery in inbox {
        let outcome = store_notification(&mut store, source, &delivery.notification);
        if let Err(e) = &outcome {
            error!(error = %e, "an Alertmanager webhook delivery could not be stored");
        }
        let _ = delivery.done.send(outcome.map_err(|e| e.to_string()));
    }
}

/// Writes one delivery as one page, merged with what the cache holds of its alerts.
///
/// It reads the source's incidents whole for each delivery (milliseconds for thousands of
/// alerts) and builds the run's HTTP client it never uses; a store lookup by fingerprint, and a
/// page writer without a client, would keep a delivery's cost flat for sources far larger.
fn store_notification(store: &mut Store, source_id: SourceId, n: &Notification) -> Result<usize> {
    let source = store.source(source_id)?;
    let known = merge::known_alerts(&store.incidents_of_source(source_id)?);
    let now = Utc::now();
    let mut incidents = Vec::with_capacity(n.alerts.len());
    let mut events = Vec::new();
    for alert in &n.alerts {
        let (incident, entries) = merge::observe(alert, known.get(&alert.fingerprint), now);
        incidents.push(incident);
        events.extend(entries);
    }
    // The page keeps the poll's cursor as it is: a delivery says nothing about the next poll.
    let cursor = source.sync_cursor.clone().unwrap_or_else(|| "{}".into());
    let options = SyncOptions::new(now);
    let mut progress = |_: &vigil_core::api::SyncProgress| {};
    let mut run = SyncRun::new(store, source, &options, &mut progress)?;
    run.write_page(&incidents, &events, &cursor)?;
    info!(group = %n.group_key, alerts = n.alerts.len(), "Alertmanager webhook delivery stored");
    Ok(n.alerts.len())
}
