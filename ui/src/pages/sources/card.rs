//! One source's card: what it is, how its last sync went, and its actions. "Sync now" runs
//! through the app-wide [`SyncBoard`], so the running state survives leaving the page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::api::{CommandError, SourceView, SyncReport};
use vigil_core::SourceKind;

use super::SourcesResource;
use crate::components::error_banner::ErrorBanner;
use crate::format;
use crate::ipc;
use crate::sync::SyncBoard;

/// The intervals offered on a card; a source set to another one (from the add form) keeps it.
const INTERVAL_CHOICES: [u32; 6] = [1, 5, 15, 30, 60, 240];

/// A configured source with "Sync now" and "Remove" (which asks for confirmation in place).
#[component]
pub fn SourceCard(
    source: SourceView,
    sources: SourcesResource,
    action_error: RwSignal<Option<CommandError>>,
) -> impl IntoView {
    let sync = SyncBoard::expect();
    let id = source.id;
    let syncing_elsewhere = source.syncing;
    let running = move || sync.is_running(id) || syncing_elsewhere;
    let confirming = RwSignal::new(false);
    let removing = RwSignal::new(false);

    let sync_now = move |_| sync.start(id, move || sources.refetch());
    let remove = move |_| {
        removing.set(true);
        spawn_local(async move {
            let outcome = ipc::remove_source(id).await;
            // The card may be gone by now; `try_set` ignores a disposed signal.
            removing.try_set(false);
            confirming.try_set(false);
            if let Err(error) = outcome {
                action_error.set(Some(error));
            }
            sources.refetch();
        });
    };

    let last_error = source.last_error.clone().map(|message| {
        let when = format::local_short_opt(source.last_error_at);
        view! {
            <p class="source-error" data-testid="source-last-error">
                <span class="label">"Last error (" {when} "): "</span>
                {message}
            </p>
        }
    });
    let schedule = if source.kind == SourceKind::Demo {
        "never (nothing to fetch)".to_owned()
    } else {
        let next = source.next_sync_at.map_or_else(
            || "due now".to_owned(),
            |at| format!("next {}", format::local_short(at)),
        );
        format!("every {} min · {next}", source.interval_minutes)
    };
    let interval_picker = (source.kind != SourceKind::Demo).then(|| {
        let current = source.interval_minutes;
        let label = format!("Sync interval of {}", source.name);
        let choices: Vec<u32> = {
            let mut c = INTERVAL_CHOICES.to_vec();
            if !c.contains(&current) {
                c.push(current);
                c.sort_unstable();
            }
            c
        };
        let change = move |ev: leptos::ev::Event| {
            let Ok(minutes) = event_target_value(&ev).parse::<u32>() else {
                return;
            };
            spawn_local(async move {
                match ipc::set_sync_interval(id, minutes).await {
                    Ok(_) => sources.refetch(),
                    Err(error) => action_error.set(Some(error)),
                }
            });
        };
        view! {
            <label class="interval">
                <span>"Sync every"</span>
                <select aria-label=label on:change=change>
                    {choices
                        .into_iter()
                        .map(|m| {
                            view! {
                                <option value=m.to_string() selected=m == current>
                                    {format!("{m} min")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        }
    });
    let end_of_support = (source.kind == SourceKind::Opsgenie).then(|| {
        view! {
            <p class="source-note" role="note">
                "Atlassian ends Opsgenie's support on 5 April 2027. Vigil keeps importing until \
                 then, and everything already synced stays in the cache afterwards."
            </p>
        }
    });
    let base_url = source
        .base_url
        .clone()
        .unwrap_or_else(|| "built in".to_owned());

    view! {
        <article class="source-card" data-testid="source-card" aria-label=source.name.clone()>
            <header>
                <h2>{source.name.clone()}</h2>
                <span class="kind-label">{source.kind.label()}</span>
            </header>
            <dl class="facts">
                <dt>"Base URL"</dt>
                <dd class="mono">{base_url}</dd>
                <dt>"Last success"</dt>
                <dd class="time" data-testid="source-last-success">
                    {format::local_short_opt(source.last_success_at)}
                </dd>
                <dt>"Fetched by last sync"</dt>
                <dd class="num">{source.last_fetched}</dd>
                <dt>"Incidents cached"</dt>
                <dd class="num">{source.incident_count}</dd>
                <dt>"Syncs on its own"</dt>
                <dd data-testid="source-schedule">{schedule}</dd>
            </dl>
            {interval_picker}
            {end_of_support}
            {last_error}
            <SyncStatus source=source.clone() />
            <div class="actions">
                <button
                    type="button"
                    class="primary"
                    data-testid="sync-now"
                    aria-label=format!("Sync {} now", source.name)
                    disabled=running
                    on:click=sync_now
                >
                    {move || if running() { "Syncing…" } else { "Sync now" }}
                </button>
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                class="danger-outline"
                                on:click=move |_| confirming.set(true)
                            >
                                "Remove"
                            </button>
                        }
                    }
                >
                    <span class="confirm" role="group" aria-label="Confirm removal">
                        "Remove this source and its cached incidents?"
                        <button
                            type="button"
                            class="danger"
                            disabled=move || removing.get()
                            on:click=remove
                        >
                            {move || if removing.get() { "Removing…" } else { "Yes, remove" }}
                        </button>
                        <button type="button" on:click=move |_| confirming.set(false)>
                            "Cancel"
                        </button>
                    </span>
                </Show>
            </div>
        </article>
    }
}

/// The progress bar of a running sync, or how the last sync started here ended.
#[component]
fn SyncStatus(source: SourceView) -> impl IntoView {
    let sync = SyncBoard::expect();
    let id = source.id;
    let label = format!("Sync progress of {}", source.name);
    move || {
        let running = sync.is_running(id) || source.syncing;
        if let Some(progress) = sync.progress(id) {
            let percent = (progress.fraction.clamp(0.0, 1.0) * 100.0).round();
            return view! {
                <div class="sync-progress">
                    <progress
                        max="100"
                        value=percent
                        aria-label=label.clone()
                    ></progress>
                    <span class="stage">
                        {progress.stage} " · " {progress.incidents_fetched} " incidents"
                    </span>
                </div>
            }
            .into_any();
        }
        if running {
            // No progress reported yet: an indeterminate bar says work has started.
            return view! {
                <div class="sync-progress">
                    <progress aria-label=label.clone()></progress>
                    <span class="stage">"Starting…"</span>
                </div>
            }
            .into_any();
        }
        match sync.outcome(id) {
            Some(Ok(report)) => view! {
                <p class="sync-done" role="status">
                    {summary(&report)}
                    <button type="button" class="link-button" on:click=move |_| sync.dismiss(id)>
                        "Dismiss"
                    </button>
                </p>
            }
            .into_any(),
            Some(Err(error)) => view! {
                <ErrorBanner
                    error
                    on_dismiss=Callback::new(move |()| sync.dismiss(id))
                />
            }
            .into_any(),
            None => ().into_any(),
        }
    }
}

/// "Synced: 120 incidents fetched (4 new, 9 updated), 380 timeline entries, 7 requests."
fn summary(report: &SyncReport) -> String {
    format!(
        "Synced: {} incidents fetched ({} new, {} updated), {} timeline entries, {} requests.",
        report.incidents_fetched,
        report.incidents_created,
        report.incidents_updated,
        report.events_fetched,
        report.requests
    )
}
