//! Which sources are syncing, how far along they are, and how their last sync ended.
//!
//! This lives at the app level rather than in the Sources page: a sync goes on when the user
//! looks at another page, and on return the card must still say "Syncing…" and show its
//! progress. The app's `syncing` flag covers syncs started elsewhere (the background scheduler).

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::api::{CommandError, SyncProgress, SyncReport};
use vigil_core::SourceId;

use crate::ipc;

/// The app-wide record of syncs started from this window and of progress events.
#[derive(Clone, Copy, Debug)]
pub struct SyncBoard {
    /// Sources with a `sync_source` call in flight from this window.
    running: RwSignal<HashSet<SourceId>>,
    /// The latest `sync-progress` of each running sync.
    progress: RwSignal<HashMap<SourceId, SyncProgress>>,
    /// How the last sync started here ended, per source.
    outcomes: RwSignal<HashMap<SourceId, Result<SyncReport, CommandError>>>,
}

impl Default for SyncBoard {
    fn default() -> Self {
        Self::new()
    }
}

impl SyncBoard {
    /// An empty board; create it once, in the shell, so it outlives every page.
    pub fn new() -> Self {
        SyncBoard {
            running: RwSignal::new(HashSet::new()),
            progress: RwSignal::new(HashMap::new()),
            outcomes: RwSignal::new(HashMap::new()),
        }
    }

    /// The board provided by the shell.
    pub fn expect() -> Self {
        expect_context::<SyncBoard>()
    }

    /// Starts a sync unless one from this window is already running; `finished` runs after it
    /// ends either way (to refetch the list).
    pub fn start(self, id: SourceId, finished: impl FnOnce() + 'static) {
        if self.is_running(id) {
            return;
        }
        self.running.update(|r| {
            r.insert(id);
        });
        self.outcomes.update(|o| {
            o.remove(&id);
        });
        spawn_local(async move {
            let outcome = ipc::sync_source(id).await;
            self.running.update(|r| {
                r.remove(&id);
            });
            self.progress.update(|p| {
                p.remove(&id);
            });
            self.outcomes.update(|o| {
                o.insert(id, outcome);
            });
            finished();
        });
    }

    /// Whether this window started a sync of `id` that has not ended (tracked).
    pub fn is_running(self, id: SourceId) -> bool {
        self.running.with(|r| r.contains(&id))
    }

    /// The latest progress of `id`'s sync, if one is reporting (tracked).
    pub fn progress(self, id: SourceId) -> Option<SyncProgress> {
        self.progress.with(|p| p.get(&id).cloned())
    }

    /// How the last sync of `id` started here ended (tracked).
    pub fn outcome(self, id: SourceId) -> Option<Result<SyncReport, CommandError>> {
        self.outcomes.with(|o| o.get(&id).cloned())
    }

    /// Forgets a finished sync's outcome (the user dismissed it).
    pub fn dismiss(self, id: SourceId) {
        self.outcomes.update(|o| {
            o.remove(&id);
        });
    }

    /// Records a `sync-progress` event.
    pub fn record_progress(self, progress: SyncProgress) {
        self.progress.update(|p| {
            p.insert(progress.source_id, progress);
        });
    }

    /// Drops the progress of syncs that the app says are no longer running (started elsewhere,
    /// so no call of ours ends them).
    pub fn forget_progress_unless(self, still_syncing: impl Fn(SourceId) -> bool) {
        let stale: Vec<SourceId> = self.progress.with_untracked(|p| {
            p.keys()
                .copied()
                .filter(|id| !self.is_running_untracked(*id) && !still_syncing(*id))
                .collect()
        });
        if !stale.is_empty() {
            self.progress
                .update(|p| p.retain(|id, _| !stale.contains(id)));
        }
    }

    fn is_running_untracked(self, id: SourceId) -> bool {
        self.running.with_untracked(|r| r.contains(&id))
    }
}
