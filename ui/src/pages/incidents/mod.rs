//! The incident list: filters, counts, a sortable table and paging, all computed by the app
//! (the store sorts and pages, so a cache of tens of thousands of incidents stays fast).
//!
//! The query lives in [`IncidentListState`], provided by the shell, so the filters and page are
//! still there when the user comes back from an incident's detail.

mod filters;
mod table;

use leptos::prelude::*;
use vigil_core::api::{CommandError, IncidentPage, IncidentQuery};

use crate::components::error_banner::ErrorBanner;
use crate::events::AppEvents;
use crate::ipc;

use self::filters::Filters;
use self::table::IncidentTable;

/// Rows per page.
pub const PAGE_SIZE: u32 = 100;

/// The incident list's query, kept by the shell across page changes.
#[derive(Clone, Copy, Debug)]
pub struct IncidentListState {
    /// Filters, sort and page offset; the page size is set when asking.
    pub query: RwSignal<IncidentQuery>,
}

/// What the list shows: the latest answer, kept while a new one is on its way.
pub type PageResource = LocalResource<Result<IncidentPage, CommandError>>;

/// The Incidents page.
#[component]
pub fn IncidentsPage() -> impl IntoView {
    let query = expect_context::<IncidentListState>().query;
    let events = AppEvents::expect();
    let page: PageResource = LocalResource::new(move || {
        let mut q = query.get();
        q.limit = Some(PAGE_SIZE);
        events.incidents_changed.track();
        async move { ipc::list_incidents(&q).await }
    });
    report_first_paint(page);

    view! {
        <section class="page incidents-page">
            <h1>"Incidents"</h1>
            <Filters query page />
            {move || {
                page.with(|answer| match answer {
                    None => view! { <p class="loading">"Loading incidents…"</p> }.into_any(),
                    Some(Err(error)) => view! { <ErrorBanner error=error.clone() /> }.into_any(),
                    Some(Ok(_)) => ().into_any(),
                })
            }}
            <Counts page />
            <IncidentTable query page />
            <Pager query page />
        </section>
    }
}

/// Once the first answer is in the page, waits for the frame that paints it and tells the app,
/// which logs the time since launch (the figure `cargo xtask bench launch` reads).
fn report_first_paint(page: PageResource) {
    Effect::new(move |reported: Option<bool>| {
        if reported == Some(true) {
            return true;
        }
        let ready = page.with(|answer| matches!(answer, Some(Ok(_))));
        if ready {
            // A frame callback runs just before that frame paints; the one it schedules runs
            // after, so the second is the first moment the rows are on screen.
            request_animation_frame(|| {
                request_animation_frame(|| {
                    leptos::task::spawn_local(ipc::report_first_paint("incidents"));
                });
            });
        }
        ready
    });
}

/// Counts over every match, above the table.
#[component]
fn Counts(page: PageResource) -> impl IntoView {
    move || {
        page.with(|answer| {
            let Some(Ok(page)) = answer else {
                return ().into_any();
            };
            let c = &page.counts;
            let merged = (c.merged > 0).then(|| {
                view! { " · " <span class="count">{c.merged}" merged (not counted)"</span> }
            });
            view! {
                <p class="counts" data-testid="incident-counts" aria-live="polite">
                    <span class="count total">
                        <strong>{c.total}</strong>
                        {if c.total == 1 { " incident" } else { " incidents" }}
                    </span>
                    " · "
                    <span class="count status-triggered">{c.triggered}" triggered"</span>
                    " · "
                    <span class="count status-acknowledged">{c.acknowledged}" acknowledged"</span>
                    " · "
                    <span class="count status-resolved">{c.resolved}" resolved"</span>
                    {merged}
                </p>
            }
            .into_any()
        })
    }
}

/// "Rows 101–200 of 1234" with previous and next buttons.
#[component]
fn Pager(query: RwSignal<IncidentQuery>, page: PageResource) -> impl IntoView {
    let total = move || {
        page.with(|answer| match answer {
            Some(Ok(page)) => page.counts.total,
            _ => 0,
        })
    };
    let offset = move || query.with(|q| q.offset);
    let shown = move || {
        page.with(|answer| match answer {
            Some(Ok(page)) => page.incidents.len() as u64,
            _ => 0,
        })
    };
    let go = move |delta: i64| {
        query.update(|q| {
            let next = i64::from(q.offset) + delta * i64::from(PAGE_SIZE);
            q.offset = u32::try_from(next.max(0)).unwrap_or(0);
        })
    };
    // Outside `view!`: a `>=` in an attribute would end the tag.
    let on_last_page = move || u64::from(offset()) + u64::from(PAGE_SIZE) >= total();
    let range = move || {
        let first = u64::from(offset()) + 1;
        match shown() {
            0 => format!("No rows of {}", total()),
            n => format!("Rows {first}–{} of {}", first + n - 1, total()),
        }
    };

    view! {
        <div class="pager">
            <button
                type="button"
                aria-label="Previous page"
                disabled=move || offset() == 0
                on:click=move |_| go(-1)
            >
                "‹ Previous"
            </button>
            <span class="pager-range">{range}</span>
            <button
                type="button"
                aria-label="Next page"
                disabled=on_last_page
                on:click=move |_| go(1)
            >
                "Next ›"
            </button>
        </div>
    }
}
