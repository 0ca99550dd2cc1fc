//! One incident: its fields, its milestones in the user's time zone, the durations the metrics
//! use, and the timeline they were read from.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use vigil_core::api::{CommandError, IncidentDetail};
use vigil_core::IncidentId;

use crate::components::badges::{MergedBadge, StatusBadge, UrgencyBadge};
use crate::components::error_banner::ErrorBanner;
use crate::events::AppEvents;
use crate::format;
use crate::ipc;

/// The page at `/incidents/:id`.
#[component]
pub fn IncidentDetailPage() -> impl IntoView {
    let params = use_params_map();
    let events = AppEvents::expect();
    let detail = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        events.incidents_changed.track();
        async move {
            let id = id.parse::<IncidentId>().map_err(|e| CommandError {
                kind: "bad_input".to_owned(),
                message: format!("`{id}` is not an incident id ({e})."),
            })?;
            ipc::get_incident(id).await
        }
    });

    view! {
        <section class="page incident-detail">
            <a href="/incidents" class="back-link">"← All incidents"</a>
            {move || match detail.get() {
                None => view! { <p class="loading">"Loading the incident…"</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorBanner error /> }.into_any(),
                Some(Ok(detail)) => view! { <Detail detail /> }.into_any(),
            }}
        </section>
    }
}

/// The loaded incident.
#[component]
fn Detail(detail: IncidentDetail) -> impl IntoView {
    let IncidentDetail {
        incident,
        source_name,
        timeline,
    } = detail;
    let number = incident.number.map(|n| format!("#{n} "));
    let merged = incident
        .merged_into
        .clone()
        .map(|into| view! { <MergedBadge into /> });
    let field = |text: Option<String>| text.unwrap_or_else(|| format::MISSING.to_owned());
    let no_timeline = timeline.is_empty().then(|| {
        view! { <p class="empty">"The vendor sent no timeline entries for this incident."</p> }
    });
    let entries = timeline
        .into_iter()
        .map(|entry| {
            let class = format!("timeline-entry kind-{}", entry.kind);
            view! {
                <li class=class>
                    <time class="time">{format::local_long(entry.at)}</time>
                    <span class="kind">{entry.kind}</span>
                    <span class="actor">{field(entry.actor)}</span>
                    <span class="summary">{entry.summary}</span>
                </li>
            }
        })
        .collect_view();

    view! {
        <header class="detail-header">
            <h1 data-testid="incident-title">
                {number.map(|n| view! { <span class="number">{n}</span> })}
                {incident.title.clone()}
            </h1>
            <div class="badges">
                <StatusBadge status=incident.status />
                <UrgencyBadge urgency=incident.urgency raw=incident.urgency_raw.clone() />
                {merged}
            </div>
        </header>
        <div class="detail-grid">
            <dl class="facts">
                <dt>"Service"</dt>
                <dd>{field(incident.service.clone())}</dd>
                <dt>"Team"</dt>
                <dd>{field(incident.team.clone())}</dd>
                <dt>"Source"</dt>
                <dd>{source_name}</dd>
                <dt>"Vendor id"</dt>
                <dd class="mono">{incident.external_id.clone()}</dd>
                <dt>"Vendor page"</dt>
                <dd class="mono url">{field(incident.url.clone())}</dd>
                <dt>"Merged into"</dt>
                <dd>{field(incident.merged_into.clone())}</dd>
            </dl>
            <dl class="facts">
                <dt>"Created"</dt>
                <dd class="time">{format::local_long(incident.created_at)}</dd>
                <dt>"Acknowledged"</dt>
                <dd class="time">{format::local_long_opt(incident.first_acknowledged_at)}</dd>
                <dt>"Resolved"</dt>
                <dd class="time">{format::local_long_opt(incident.resolved_at)}</dd>
                <dt>"Time to acknowledge"</dt>
                <dd class="num">{format::duration_opt(incident.seconds_to_acknowledge())}</dd>
                <dt>"Time to resolve"</dt>
                <dd class="num">{format::duration_opt(incident.seconds_to_resolve())}</dd>
                <dt>"Reopened"</dt>
                <dd class="num">{reopened(incident.reopen_count)}</dd>
            </dl>
        </div>
        <h2>"Timeline"</h2>
        <ol class="timeline" data-testid="timeline">
            {entries}
        </ol>
        {no_timeline}
    }
}

/// "never", "once", "3 times".
fn reopened(count: u32) -> String {
    match count {
        0 => "never".to_owned(),
        1 => "once".to_owned(),
        n => format!("{n} times"),
    }
}
