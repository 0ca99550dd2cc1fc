//! Alerting in the engine: runs the rules of `vigil_core::alerting` after every sync and on a
//! timer, keeps every alert in the inbox, and shows the popups through a [`Notifier`].
//!
//! The app's part is small: build one [`Alerting`] with a [`DesktopNotifier`] (its "Open"
//! callback brings the window to the front), sync with
//! [`crate::sync::sync_source_with_changes`] and pass the changes to [`Alerting::after_sync`],
//! start an [`AlertTimer`] that calls [`Alerting::tick`], and show [`AlertRun::unread`] in the
//! tray.
//!
//! ```no_run
//! use vigil_engine::alerting::{Alerting, DesktopNotifier};
//! use vigil_engine::sync::{sync_source_with_changes, SyncOptions};
//! # fn demo(store: &mut vigil_engine::Store, id: vigil_core::SourceId) -> vigil_engine::Result<()> {
//! let alerting = Alerting::new(std::sync::Arc::new(
//!     DesktopNotifier::new("/usr/share/icons/hicolor/128x128/apps/vigil.png")
//!         .on_open(|incident| tracing::info!(%incident, "open it")),
//! ));
//! let now = chrono::Utc::now();
//! let mut changes = Vec::new();
//! let synced = sync_source_with_changes(store, id, &SyncOptions::new(now), &mut |_| {}, &mut changes);
//! let run = alerting.after_sync(store, &changes, chrono::Utc::now())?;
//! tracing::info!(unread = run.unread, "alerts evaluated");
//! synced?;
//! # Ok(()) }
//! ```

mod desktop;
mod evaluate;
mod notifier;
mod timer;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tracing::{info, warn};
use vigil_core::alerting::AlertDecision;
use vigil_core::IncidentId;

pub use desktop::{DesktopNotifier, OpenIncident, APP_NAME, OPEN_ACTION};
pub use notifier::{
    Notifier, NotifyError, Popup, RecordedPopup, RecordingNotifier, SilentNotifier,
};
pub use timer::{AlertTimer, TICK_INTERVAL};

use crate::error::Result;
use crate::store::{Store, UpsertOutcome};

/// What one evaluation did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertRun {
    /// Every alert raised, with what was decided for it.
    pub decisions: Vec<AlertDecision>,
    /// Popups shown or replaced.
    pub shown: usize,
    /// Popups the notifier could not show (their alerts are in the inbox all the same).
    pub failed: usize,
    /// Unread inbox entries after it: the tray's count.
    pub unread: u64,
}

/// The alerting engine: the rules' evaluation and the notifier its popups go to.
#[derive(Debug, Clone)]
pub struct Alerting {
    notifier: Arc<dyn Notifier>,
}

impl Alerting {
    /// Alerting that shows its popups through `notifier`.
    pub fn new(notifier: Arc<dyn Notifier>) -> Self {
        Alerting { notifier }
    }

    /// Evaluates what a sync changed (the list [`crate::sync::sync_source_with_changes`]
    /// filled, duplicates allowed) together with the time-based rules, at `now`.
    pub fn after_sync(
        &self,
        store: &mut Store,
        changed: &[(IncidentId, UpsertOutcome)],
        now: DateTime<Utc>,
    ) -> Result<AlertRun> {
        let evaluation = evaluate::evaluate(store, changed, now)?;
        let mut run = AlertRun {
            decisions: evaluation.decisions,
            ..AlertRun::default()
        };
        for popup in &evaluation.popups {
            let replaces = if popup.replaces_existing {
                store.popup_notification_id(popup.key)?
            } else {
                None
            };
            let shown = self.notifier.show(&Popup {
                summary: &popup.summary,
                body: &popup.body,
                urgency: popup.urgency,
                incident: popup.incident,
                replaces,
            });
            match shown {
                Ok(id) => {
                    store.set_popup_notification_id(popup.key, id)?;
                    run.shown += 1;
                }
                Err(e) => {
                    warn!(popup = %popup.key, error = %e, "popup not shown");
                    run.failed += 1;
                }
            }
        }
        run.unread = store.unread_alert_count()?;
        if !run.decisions.is_empty() {
            info!(
                alerts = run.decisions.len(),
                shown = run.shown,
                failed = run.failed,
                unread = run.unread,
                "alerts evaluated"
            );
        }
        Ok(run)
    }

    /// Evaluates the time-based rules at `now`; the [`AlertTimer`] calls this between syncs.
    pub fn tick(&self, store: &mut Store, now: DateTime<Utc>) -> Result<AlertRun> {
        self.after_sync(store, &[], now)
    }
}
