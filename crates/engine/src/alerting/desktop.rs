//! Native popups through notify-rust: the freedesktop notification service over D-Bus on Linux
//! and the BSDs, the OS's own API on macOS and Windows.
//!
//! On Linux an incident's popup carries an "Open" action where the server supports actions, and
//! a thread waits for it and calls back with the incident's id, so the app can bring its window
//! to the front on that incident. On macOS and Windows popups show without actions or in-place
//! updates (notify-rust gives no id back there); wiring those needs the platform APIs that the
//! Tauri notification plugin wraps, and is left to the app.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

#[cfg(all(unix, not(target_os = "macos")))]
use tracing::{debug, warn};
#[cfg(all(unix, not(target_os = "macos")))]
use vigil_core::alerting::PopupUrgency;
use vigil_core::IncidentId;

use super::notifier::{Notifier, NotifyError, Popup};

/// The name popups are shown under.
pub const APP_NAME: &str = "Vigil";

/// The freedesktop action key of the "Open" button. "default" is the spec's key for a click on
/// the popup itself, so clicking the body opens the incident as well.
pub const OPEN_ACTION: &str = "default";

/// At most this many popups wait for their "Open" action at once (one thread each, until the
/// popup closes). Servers that keep popups in a tray without ever closing them would otherwise
/// pile threads up; past the cap, popups show without the action. A single listener for every
/// popup's signals (zbus directly, not notify-rust) would remove the cap.
#[cfg(all(unix, not(target_os = "macos")))]
const MAX_WAITING: usize = 32;

/// What the app does when the user picks "Open" on an incident's popup.
pub type OpenIncident = Arc<dyn Fn(IncidentId) + Send + Sync>;

/// Shows popups on the desktop.
pub struct DesktopNotifier {
    icon: String,
    on_open: Option<OpenIncident>,
    has_actions: OnceLock<bool>,
    waiting: Arc<Mutex<HashSet<u32>>>,
}

impl std::fmt::Debug for DesktopNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DesktopNotifier")
            .field("icon", &self.icon)
            .field("opens", &self.on_open.is_some())
            .finish_non_exhaustive()
    }
}

impl DesktopNotifier {
    /// A notifier with `icon`: a themed icon name, or the absolute path of a PNG (the app passes
    /// its own bundled icon, since an installed theme may not have one named after Vigil).
    pub fn new(icon: impl Into<String>) -> Self {
        DesktopNotifier {
            icon: icon.into(),
            on_open: None,
            has_actions: OnceLock::new(),
            waiting: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    /// Calls `open` with the incident when the user picks "Open" on its popup (from a thread
    /// of the notifier's: the app hands it on to its window).
    pub fn on_open(mut self, open: impl Fn(IncidentId) + Send + Sync + 'static) -> Self {
        self.on_open = Some(Arc::new(open));
        self
    }

    /// Whether the server shows action buttons; asked once, since it does not change while the
    /// session lives.
    #[cfg(all(unix, not(target_os = "macos")))]
    fn server_has_actions(&self) -> bool {
        *self
            .has_actions
            .get_or_init(|| match notify_rust::get_capabilities() {
                Ok(caps) => caps.iter().any(|c| c == "actions"),
                Err(e) => {
                    debug!(error = %e, "the notification server's capabilities are unknown");
                    false
                }
            })
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
impl Notifier for DesktopNotifier {
    fn show(&self, popup: &Popup<'_>) -> Result<u32, NotifyError> {
        let mut n = notify_rust::Notification::new();
        n.appname(APP_NAME)
            .summary(popup.summary)
            .body(popup.body)
            .icon(&self.icon)
            .urgency(match popup.urgency {
                PopupUrgency::Low => notify_rust::Urgency::Low,
                PopupUrgency::Normal => notify_rust::Urgency::Normal,
                PopupUrgency::Critical => notify_rust::Urgency::Critical,
            });
        if let Some(id) = popup.replaces {
            n.id(id);
        }
        let open = match (&self.on_open, popup.incident) {
            (Some(callback), Some(incident)) if self.server_has_actions() => {
                n.action(OPEN_ACTION, "Open");
                Some((callback.clone(), incident))
            }
            _ => None,
        };
        let handle = n
            .show()
            .map_err(|e| NotifyError::Unavailable(e.to_string()))?;
        let id = handle.id();
        if let Some((callback, incident)) = open {
            self.wait_for_open(handle, id, incident, callback);
        }
        Ok(id)
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
impl DesktopNotifier {
    /// Waits, on a thread, for the user to open the popup `id` or for it to close. A replaced
    /// popup keeps its id and its incident, so the thread already waiting for it serves the
    /// replacement too.
    fn wait_for_open(
        &self,
        handle: notify_rust::NotificationHandle,
        id: u32,
        incident: IncidentId,
        callback: OpenIncident,
    ) {
        let Ok(mut waiting) = self.waiting.lock() else {
            return;
        };
        if waiting.contains(&id) || waiting.len() >= MAX_WAITING {
            return;
        }
        waiting.insert(id);
        drop(waiting);
        let registry = self.waiting.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("vigil-popup-{id}"))
            .spawn(move || {
                handle.wait_for_action(|action| {
                    if action == OPEN_ACTION {
                        debug!(%incident, "popup opened");
                        callback(incident);
                    }
                });
                if let Ok(mut waiting) = registry.lock() {
                    waiting.remove(&id);
                }
            });
        if let Err(e) = spawned {
            warn!(error = %e, "no thread to wait for a popup's Open action");
            if let Ok(mut waiting) = self.waiting.lock() {
                waiting.remove(&id);
            }
        }
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
impl Notifier for DesktopNotifier {
    fn show(&self, popup: &Popup<'_>) -> Result<u32, NotifyError> {
        // No actions or replacement here (see the module's notes), so these go unused.
        let _ = (
            &self.has_actions,
            &self.waiting,
            &self.on_open,
            popup.urgency,
        );
        notify_rust::Notification::new()
            .appname(APP_NAME)
            .summary(popup.summary)
            .body(popup.body)
            .icon(&self.icon)
            .show()
            .map_err(|e| NotifyError::Unavailable(e.to_string()))?;
        Ok(0)
    }
}
