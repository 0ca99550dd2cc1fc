//! Vigil's popups on a real session bus: a small notification service, written here with zbus,
//! owns `org.freedesktop.Notifications` and records every `Notify` call the engine's desktop
//! notifier makes through notify-rust.
//!
//! Run it inside a throwaway session bus (`cargo xtask test` does):
//! `dbus-run-session -- cargo test -p vigil-engine --test notifications`. Without a session bus
//! the tests fail, saying so, rather than skip.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use vigil_core::alerting::PopupUrgency;
use vigil_core::{EventKind, IncidentId, IncidentStatus, Urgency};
use vigil_engine::alerting::{Alerting, DesktopNotifier, Notifier, Popup};
use vigil_engine::store::UpsertOutcome;
use vigil_engine::store::{add_events_tx, upsert_incident_tx, IncomingEvent, IncomingIncident};
use zbus::OwnedVariant;

use support::{add_pagerduty, now, open_store};

const BUS_NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// One `Notify` call as the service received it.
#[derive(Debug, Clone, PartialEq)]
struct NotifyCall {
    app_name: String,
    replaces_id: u32,
    app_icon: String,
    summary: String,
    body: String,
    actions: Vec<String>,
    urgency: Option<u8>,
    /// The id the service answered with.
    id: u32,
}

/// The recording notification service.
struct Recorder {
    calls: Arc<Mutex<Vec<NotifyCall>>>,
    next_id: AtomicU32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Recorder {
    #[allow(
        clippy::too_many_arguments,
        reason = "the freedesktop method's signature"
    )]
    fn notify(
        &self,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        mut hints: HashMap<String, OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        let id = if replaces_id == 0 {
            self.next_id.fetch_add(1, Ordering::SeqCst)
        } else {
            replaces_id
        };
        let urgency = hints.remove("urgency").and_then(|v| u8::try_from(v).ok());
        self.calls.lock().unwrap().push(NotifyCall {
            app_name,
            replaces_id,
            app_icon,
            summary,
            body,
            actions,
            urgency,
            id,
        });
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    #[zbus(out_args("name", "vendor", "version", "spec_version"))]
    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "vigil-test".into(),
            "Vigil".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

/// The service, started once per test binary: the bus name can have one owner, and the tests
/// take turns through [`service`].
struct Service {
    connection: zbus::Connection,
    calls: Arc<Mutex<Vec<NotifyCall>>>,
}

impl Service {
    /// Calls recorded since the last `take`.
    fn take(&self) -> Vec<NotifyCall> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }

    /// Says, as a notification server does, that the user picked `action` on popup `id`.
    fn invoke(&self, id: u32, action: &str) {
        zbus::block_on(self.connection.emit_signal(
            None::<&str>,
            PATH,
            BUS_NAME,
            "ActionInvoked",
            &(id, action),
        ))
        .unwrap();
    }
}

/// The running service, and the right to use it alone until the guard drops.
fn service() -> (&'static Service, MutexGuard<'static, ()>) {
    static SERVICE: OnceLock<Service> = OnceLock::new();
    static TURN: Mutex<()> = Mutex::new(());
    let turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let service = SERVICE.get_or_init(|| {
        let address = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
        assert!(
            !address.is_empty(),
            "DBUS_SESSION_BUS_ADDRESS is not set, so there is no session bus to test popups on: \
             run `dbus-run-session -- cargo test -p vigil-engine --test notifications` \
             (`cargo xtask test` starts one itself)"
        );
        let calls = Arc::new(Mutex::new(Vec::new()));
        let recorder = Recorder {
            calls: calls.clone(),
            next_id: AtomicU32::new(1),
        };
        // Without "replace existing", a name someone else owns fails the request at once: the
        // tests must talk to this service and nothing else.
        let connection = zbus::block_on(
            zbus::connection::Builder::session()
                .name(BUS_NAME)
                .replace_existing_names(false)
                .allow_name_replacements(false)
                .serve_at(PATH, recorder)
                .build(),
        )
        .unwrap_or_else(|e| {
            panic!("could not own {BUS_NAME} on the session bus at {address}: {e}")
        });
        Service { connection, calls }
    });
    service.take();
    (service, turn)
}

fn incoming(created: DateTime<Utc>) -> IncomingIncident {
    IncomingIncident {
        external_id: "P42".into(),
        number: Some(42),
        title: "Card payments failing".into(),
        service: Some("payments".into()),
        team: Some("Payments".into()),
        urgency: Urgency::High,
        urgency_raw: Some("high".into()),
        status: IncidentStatus::Triggered,
        created_at: created,
        acknowledged_at: None,
        mitigated_at: None,
        resolved_at: None,
        impact_started_at: None,
        impact_ended_at: None,
        merged_into: None,
        url: None,
        raw: None,
    }
}

#[test]
fn an_incident_popup_reaches_the_service_and_its_update_reuses_the_id() {
    let (service, _turn) = service();
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, "http://127.0.0.1:9");
    let now = now();
    let (opened, opened_rx) = mpsc::channel::<IncidentId>();
    let opened = Mutex::new(opened);
    let notifier = DesktopNotifier::new("dialog-warning").on_open(move |incident| {
        opened.lock().unwrap().send(incident).unwrap();
    });
    let alerting = Alerting::new(Arc::new(notifier));

    // A new high-urgency incident, synced three minutes after it opened.
    let created = now - chrono::Duration::minutes(3);
    let id = store
        .write(|tx| Ok(upsert_incident_tx(tx, source, &incoming(created))?.0))
        .unwrap();
    let run = alerting
        .after_sync(&mut store, &[(id, UpsertOutcome::Created)], now)
        .unwrap();
    assert_eq!((run.shown, run.failed), (1, 0));
    let calls = service.take();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    let first = &calls[0];
    assert_eq!(first.app_name, "Vigil");
    assert_eq!(first.app_icon, "dialog-warning");
    assert_eq!(first.replaces_id, 0);
    assert_eq!(first.summary, "New high-urgency incident");
    assert_eq!(
        first.body,
        "payments · opened 3 min ago · #42 Card payments failing"
    );
    assert_eq!(first.urgency, Some(2), "critical");
    assert_eq!(first.actions, ["default", "Open"]);

    // It escalates: the same popup is replaced, keeping its id.
    let escalated = IncomingEvent {
        external_id: "R1".into(),
        at: now,
        kind: EventKind::Escalated,
        vendor_type: None,
        actor: None,
        summary: "Escalated to level 2".into(),
    };
    store
        .write(|tx| add_events_tx(tx, id, &[escalated]))
        .unwrap();
    let later = now + chrono::Duration::minutes(1);
    alerting
        .after_sync(&mut store, &[(id, UpsertOutcome::Updated)], later)
        .unwrap();
    let calls = service.take();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    assert_eq!(calls[0].replaces_id, first.id, "updated in place");
    assert_eq!(calls[0].id, first.id);
    assert_eq!(calls[0].summary, "Escalated to level 2");
    assert_eq!(
        calls[0].body,
        "payments · opened 4 min ago · #42 Card payments failing"
    );

    // The user picks "Open": the app is called back with the incident. (The notifier's thread
    // subscribes to the signal on its own time, so the click is repeated until it is heard.)
    let mut heard = None;
    for _ in 0..20 {
        service.invoke(first.id, "default");
        if let Ok(incident) = opened_rx.recv_timeout(Duration::from_millis(500)) {
            heard = Some(incident);
            break;
        }
    }
    assert_eq!(heard, Some(id));
}

#[test]
fn urgencies_map_to_the_freedesktop_levels_and_only_incidents_get_an_open_action() {
    let (service, _turn) = service();
    let notifier = DesktopNotifier::new("dialog-warning").on_open(|_| {});
    let levels = [
        (PopupUrgency::Low, 0u8),
        (PopupUrgency::Normal, 1),
        (PopupUrgency::Critical, 2),
    ];
    for (urgency, _) in levels {
        notifier
            .show(&Popup {
                summary: "Sync of PagerDuty failing",
                body: "No good sync for 31 min · HTTP 500",
                urgency,
                incident: None,
                replaces: None,
            })
            .unwrap();
    }
    let calls = service.take();
    let got: Vec<Option<u8>> = calls.iter().map(|c| c.urgency).collect();
    let want: Vec<Option<u8>> = levels.iter().map(|(_, level)| Some(*level)).collect();
    assert_eq!(got, want);
    assert!(calls.iter().all(|c| c.actions.is_empty()), "{calls:#?}");
    assert!(calls
        .iter()
        .all(|c| c.replaces_id == 0 && c.app_name == "Vigil"));
}
