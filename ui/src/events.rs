//! The app's events, turned into signals the pages read. Subscriptions are made once, when the
//! shell mounts, and live as long as the window: a page that wants fresh data tracks a counter
//! here instead of managing listeners of its own.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::IgnoredAny;
use vigil_core::api::{CommandError, SyncProgress};

use crate::ipc;
use crate::sync::SyncBoard;

/// Counters bumped by the app's change notifications; readers track them to refetch.
#[derive(Clone, Copy, Debug)]
pub struct AppEvents {
    /// Bumped by `incidents-changed`.
    pub incidents_changed: RwSignal<u64>,
    /// Bumped by `sources-changed`.
    pub sources_changed: RwSignal<u64>,
}

impl AppEvents {
    /// The events provided by the shell.
    pub fn expect() -> Self {
        expect_context::<AppEvents>()
    }
}

/// Creates the counters, provides them as context and subscribes to the app's events. A failed
/// subscription is put in `errors`, so the user learns that the lists will not refresh by
/// themselves.
pub fn provide_app_events(sync: SyncBoard, errors: RwSignal<Option<CommandError>>) {
    let events = AppEvents {
        incidents_changed: RwSignal::new(0),
        sources_changed: RwSignal::new(0),
    };
    provide_context(events);

    spawn_local(async move {
        // Change notifications carry no payload worth reading: any delivery means "refetch".
        let subscribed = async {
            ipc::listen("incidents-changed", move |_: Result<IgnoredAny, _>| {
                events.incidents_changed.update(|n| *n += 1);
            })
            .await?;
            ipc::listen("sources-changed", move |_: Result<IgnoredAny, _>| {
                events.sources_changed.update(|n| *n += 1);
            })
            .await?;
            ipc::listen(
                "sync-progress",
                move |progress: Result<SyncProgress, _>| match progress {
                    Ok(progress) => sync.record_progress(progress),
                    Err(error) => errors.set(Some(error)),
                },
            )
            .await
        };
        if let Err(error) = subscribed.await {
            errors.set(Some(CommandError {
                kind: error.kind,
                message: format!(
                    "Live updates are off, so lists refresh only when you reload them. {}",
                    error.message
                ),
            }));
        }
    });
}
