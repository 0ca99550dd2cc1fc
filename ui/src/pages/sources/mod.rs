//! The Sources page: the configured incident sources as cards, and the form that adds a
//! PagerDuty account. The list is refetched after each action here and on `sources-changed`.

mod add_form;
mod card;

use leptos::prelude::*;
use vigil_core::api::{CommandError, SourceView};

use crate::components::error_banner::{ErrorBanner, ErrorSlot};
use crate::events::AppEvents;
use crate::ipc;
use crate::sync::SyncBoard;

use self::add_form::AddSourceForm;
use self::card::SourceCard;

/// The list of sources, refetched on demand.
pub type SourcesResource = LocalResource<Result<Vec<SourceView>, CommandError>>;

/// The page at `/sources`.
#[component]
pub fn SourcesPage() -> impl IntoView {
    let events = AppEvents::expect();
    let sync = SyncBoard::expect();
    let sources: SourcesResource = LocalResource::new(move || {
        events.sources_changed.track();
        ipc::list_sources()
    });
    // Failures of this page's actions (remove, add) land here.
    let action_error = RwSignal::new(None::<CommandError>);

    // Progress of a sync started elsewhere ends with no call of ours to clear it: drop it once
    // the app says the source is no longer syncing.
    Effect::new(move |_| {
        sources.with(|answer| {
            if let Some(Ok(list)) = answer {
                sync.forget_progress_unless(|id| list.iter().any(|s| s.id == id && s.syncing));
            }
        });
    });

    let cards = move || {
        sources.with(|answer| match answer {
            None => view! { <p class="loading">"Loading sources…"</p> }.into_any(),
            Some(Err(error)) => view! { <ErrorBanner error=error.clone() /> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! {
                <p class="empty">"No sources yet. Add a PagerDuty account below."</p>
            }
            .into_any(),
            Some(Ok(list)) => list
                .iter()
                .map(|source| {
                    view! { <SourceCard source=source.clone() sources action_error /> }
                })
                .collect_view()
                .into_any(),
        })
    };

    view! {
        <section class="page sources-page">
            <h1>"Sources"</h1>
            <ErrorSlot holder=action_error />
            <div class="source-cards">{cards}</div>
            <AddSourceForm sources action_error />
        </section>
    }
}
