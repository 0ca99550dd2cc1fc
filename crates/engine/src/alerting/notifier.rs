//! Where popups go. The evaluation decides and stores; a [`Notifier`] only shows, so the same
//! decisions can reach the desktop, a test's recorder, or nothing at all (the CLI).

use std::sync::Mutex;

use vigil_core::alerting::PopupUrgency;
use vigil_core::IncidentId;

/// One popup to show, or to replace in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Popup<'a> {
    /// First line.
    pub summary: &'a str,
    /// Text.
    pub body: &'a str,
    /// Insistence.
    pub urgency: PopupUrgency,
    /// The incident an "Open" action opens, for an incident's popup.
    pub incident: Option<IncidentId>,
    /// The server's id of the popup this one replaces; `None` for a new popup.
    pub replaces: Option<u32>,
}

/// A popup that could not be shown. The alert is in the inbox already; only the popup is lost.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// No notification service answered, or it refused the popup.
    #[error(
        "the desktop's notification service did not show an alert ({0}); the alert is in \
         Vigil's inbox. On Linux, a notification daemon must be running in the session"
    )]
    Unavailable(String),
}

/// Shows popups.
pub trait Notifier: Send + Sync + std::fmt::Debug {
    /// Shows `popup` (replacing `popup.replaces` when given) and returns the server's id for it,
    /// which the next update of the same popup passes back.
    fn show(&self, popup: &Popup<'_>) -> Result<u32, NotifyError>;
}

/// A notifier that shows nothing: for the command line, which has no desktop to speak of, and
/// for running the rules without a notification service.
#[derive(Debug, Default, Clone, Copy)]
pub struct SilentNotifier;

impl Notifier for SilentNotifier {
    fn show(&self, popup: &Popup<'_>) -> Result<u32, NotifyError> {
        Ok(popup.replaces.unwrap_or(0))
    }
}

/// A popup a [`RecordingNotifier`] received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedPopup {
    /// The id it answered with.
    pub id: u32,
    /// What it replaced.
    pub replaces: Option<u32>,
    /// First line.
    pub summary: String,
    /// Text.
    pub body: String,
    /// Insistence.
    pub urgency: PopupUrgency,
    /// The incident it opens.
    pub incident: Option<IncidentId>,
}

/// A notifier that keeps every popup in memory and hands out ids the way a notification server
/// does (a new one per new popup, the same one for a replacement): what the desktop would have
/// shown, for the engine's tests of the evaluation. The desktop path has its own D-Bus test.
#[derive(Debug, Default)]
pub struct RecordingNotifier {
    popups: Mutex<Vec<RecordedPopup>>,
}

impl RecordingNotifier {
    /// Every popup received so far, oldest first.
    pub fn popups(&self) -> Vec<RecordedPopup> {
        self.popups.lock().map(|p| p.clone()).unwrap_or_default()
    }
}

impl Notifier for RecordingNotifier {
    fn show(&self, popup: &Popup<'_>) -> Result<u32, NotifyError> {
        let mut popups = self
            .popups
            .lock()
            .map_err(|_| NotifyError::Unavailable("the recorder was poisoned".into()))?;
        let next = popups.iter().map(|p| p.id).max().unwrap_or(0) + 1;
        let id = popup.replaces.unwrap_or(next);
        popups.push(RecordedPopup {
            id,
            replaces: popup.replaces,
            summary: popup.summary.to_owned(),
            body: popup.body.to_owned(),
            urgency: popup.urgency,
            incident: popup.incident,
        });
        Ok(id)
    }
}
