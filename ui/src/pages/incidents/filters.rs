//! The filter bar above the incident table. Every change goes back to the first page; typing in
//! the search box is debounced so the store is not asked once per keystroke.

use std::time::Duration;

use leptos::prelude::*;
use vigil_core::api::IncidentQuery;
use vigil_core::{IncidentStatus, Urgency};

use super::PageResource;

/// How long typing must pause before the search runs.
const SEARCH_DELAY: Duration = Duration::from_millis(250);

const STATUSES: [IncidentStatus; 3] = [
    IncidentStatus::Triggered,
    IncidentStatus::Acknowledged,
    IncidentStatus::Resolved,
];

/// Changes the query and returns to the first page.
fn refine(query: RwSignal<IncidentQuery>, change: impl FnOnce(&mut IncidentQuery)) {
    query.update(|q| {
        change(q);
        q.offset = 0;
    });
}

/// Status, urgency, service, text and "include merged" filters.
#[component]
pub fn Filters(query: RwSignal<IncidentQuery>, page: PageResource) -> impl IntoView {
    // What is in the search box, ahead of the debounced query.
    let typed = RwSignal::new(query.with_untracked(|q| q.text.clone().unwrap_or_default()));
    let clear = move |_| {
        typed.set(String::new());
        query.update(|q| {
            *q = IncidentQuery {
                sort: q.sort,
                ascending: q.ascending,
                ..IncidentQuery::default()
            }
        });
    };

    let statuses = STATUSES
        .into_iter()
        .map(|status| view! { <StatusToggle query status /> })
        .collect_view();

    view! {
        <div class="filters" role="search" aria-label="Filter incidents">
            <div class="filter-statuses" role="group" aria-labelledby="filter-status-label">
                <span class="filter-label" id="filter-status-label">"Status"</span>
                {statuses}
            </div>
            <UrgencyFilter query />
            <ServiceFilter query page />
            <TextFilter query typed />
            <label class="filter-check">
                <input
                    type="checkbox"
                    prop:checked=move || query.with(|q| q.include_merged)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        refine(query, |q| q.include_merged = on);
                    }
                />
                "Include merged"
            </label>
            <button type="button" class="link-button" on:click=clear>
                "Clear filters"
            </button>
        </div>
    }
}

/// One status checkbox; none checked means every status.
#[component]
fn StatusToggle(query: RwSignal<IncidentQuery>, status: IncidentStatus) -> impl IntoView {
    view! {
        <label class="filter-check">
            <input
                type="checkbox"
                prop:checked=move || query.with(|q| q.statuses.contains(&status))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    refine(query, |q| {
                        q.statuses.retain(|s| *s != status);
                        if on {
                            q.statuses.push(status);
                        }
                    });
                }
            />
            <span class=format!("badge status-{}", status.as_str())>{status.as_str()}</span>
        </label>
    }
}

/// High, low or any urgency.
#[component]
fn UrgencyFilter(query: RwSignal<IncidentQuery>) -> impl IntoView {
    let is = move |u: Option<Urgency>| query.with(|q| q.urgency == u);
    view! {
        <label class="filter-field">
            "Urgency"
            <select on:change=move |ev| {
                let urgency = Urgency::parse(&event_target_value(&ev));
                refine(query, |q| q.urgency = urgency);
            }>
                <option value="" selected=move || is(None)>"Any"</option>
                <option value="high" selected=move || is(Some(Urgency::High))>"High"</option>
                <option value="low" selected=move || is(Some(Urgency::Low))>"Low"</option>
            </select>
        </label>
    }
}

/// One service or all; the choices are every service in the cache, as the app reports them.
#[component]
fn ServiceFilter(query: RwSignal<IncidentQuery>, page: PageResource) -> impl IntoView {
    let services = Memo::new(move |previous: Option<&Vec<String>>| {
        page.with(|answer| match answer {
            Some(Ok(page)) => page.services.clone(),
            // Keep the choices while a new page loads or after a failure.
            _ => previous.cloned().unwrap_or_default(),
        })
    });
    let chosen = move || query.with(|q| q.service.clone());

    view! {
        <label class="filter-field">
            "Service"
            <select on:change=move |ev| {
                let value = event_target_value(&ev);
                refine(query, |q| q.service = (!value.is_empty()).then_some(value));
            }>
                <option value="" selected=move || chosen().is_none()>"All services"</option>
                {move || {
                    services
                        .get()
                        .into_iter()
                        .map(|name| {
                            let selected = chosen().as_deref() == Some(name.as_str());
                            view! {
                                <option value=name.clone() selected=selected>
                                    {name.clone()}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// Free text over title, service, team and vendor number.
#[component]
fn TextFilter(query: RwSignal<IncidentQuery>, typed: RwSignal<String>) -> impl IntoView {
    let mut search = debounce(SEARCH_DELAY, move |text: String| {
        let text = text.trim().to_owned();
        let text = (!text.is_empty()).then_some(text);
        if query.with_untracked(|q| q.text != text) {
            refine(query, |q| q.text = text);
        }
    });
    view! {
        <label class="filter-field filter-text">
            "Search"
            <input
                type="search"
                data-testid="filter-text"
                placeholder="title, service, team, number"
                prop:value=move || typed.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    typed.set(text.clone());
                    search(text);
                }
            />
        </label>
    }
}
