//! Alerting in the app: one engine `Alerting` that shows native popups, run after every sync
//! (see `commands::sources::run_sync`) and by a timer for the time-based rules. The unread count
//! goes into the window title, since the title is there on every desktop (a tray icon is not);
//! "Open" on a popup brings the window to the front on that incident.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use tauri::{AppHandle, Emitter, Manager};
use tracing::{debug, warn};
use vigil_core::IncidentId;
use vigil_engine::alerting::{AlertRun, AlertTimer, Alerting, DesktopNotifier, TICK_INTERVAL};
use vigil_engine::store::UpsertOutcome;
use vigil_engine::Store;

use crate::state::AppState;

/// Sent when the inbox changed, with the unread count.
pub const ALERTS_CHANGED: &str = "alerts-changed";
/// Sent when a popup's "Open" was picked, with the incident's id; the window navigates to it.
pub const OPEN_INCIDENT: &str = "open-incident";

/// The themed icon name the popups carry; the `.deb` installs the app's icon under it.
const ICON: &str = "vigil-desktop";

/// Held in Tauri's state for as long as the app runs.
#[derive(Debug)]
pub struct AppAlerting {
    alerting: Alerting,
    /// Dropping it stops the timer's thread.
    _timer: Mutex<Option<AlertTimer>>,
}

impl AppAlerting {
    /// Evaluates what a sync changed and updates the title; a failure is logged and shown
    /// nowhere else, because the sync itself succeeded and its data is safe.
    pub fn after_sync(
        &self,
        app: &AppHandle,
        store: &mut Store,
        changes: &[(IncidentId, UpsertOutcome)],
    ) {
        match self.alerting.after_sync(store, changes, Utc::now()) {
            Ok(run) => show_unread(app, &run),
            Err(e) => warn!(error = %e, "alerts could not be evaluated after the sync"),
        }
    }
}

/// Builds the alerting, starts its timer, and hands both to Tauri's state.
pub fn start(app: &AppHandle) {
    let opener = app.clone();
    let notifier =
        DesktopNotifier::new(ICON).on_open(move |incident| open_incident(&opener, incident));
    let alerting = Alerting::new(Arc::new(notifier));

    let ticker = app.clone();
    let ticking = alerting.clone();
    let timer = AlertTimer::start(TICK_INTERVAL, move || {
        let db_path = ticker.state::<AppState>().db_path.clone();
        let run = Store::open(&db_path).and_then(|mut store| ticking.tick(&mut store, Utc::now()));
        match run {
            Ok(run) => show_unread(&ticker, &run),
            Err(e) => warn!(error = %e, "the alert timer could not evaluate the rules"),
        }
    });
    let timer = match timer {
        Ok(timer) => Some(timer),
        Err(e) => {
            warn!(error = %e, "no alert timer: time-based rules run only after syncs");
            None
        }
    };
    app.manage(AppAlerting {
        alerting,
        _timer: Mutex::new(timer),
    });
}

/// Puts the unread count in the window title and tells the window.
fn show_unread(app: &AppHandle, run: &AlertRun) {
    let title = match run.unread {
        0 => "Vigil".to_owned(),
        1 => "Vigil (1 unread alert)".to_owned(),
        n => format!("Vigil ({n} unread alerts)"),
    };
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&title);
    }
    let _ = app.emit(ALERTS_CHANGED, run.unread);
}

/// "Open" on a popup: the window comes to the front and shows the incident.
fn open_incident(app: &AppHandle, incident: IncidentId) {
    debug!(%incident, "opening an incident from its popup");
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    let _ = app.emit(OPEN_INCIDENT, incident);
}
