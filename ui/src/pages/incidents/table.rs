//! The incident table. Sorting is done by the store: a header click changes the query's sort
//! column or flips its direction, and the first page of the new order is fetched.

use leptos::prelude::*;
use vigil_core::api::{IncidentQuery, IncidentSort};
use vigil_core::Incident;

use super::PageResource;
use crate::components::badges::{MergedBadge, StatusBadge, UrgencyBadge};
use crate::format;

/// The direction a first click on a column sorts by: newest and slowest first for times, A to Z
/// (and high urgency, triggered status first) for the rest. `ascending` is taken literally.
fn first_click_ascending(sort: IncidentSort) -> bool {
    !matches!(sort, IncidentSort::CreatedAt | IncidentSort::TimeToResolve)
}

/// The table of one page of incidents.
#[component]
pub fn IncidentTable(query: RwSignal<IncidentQuery>, page: PageResource) -> impl IntoView {
    let rows = move || {
        page.with(|answer| match answer {
            Some(Ok(page)) if page.incidents.is_empty() => view! {
                <tr>
                    <td colspan="8" class="empty">"No incidents match these filters."</td>
                </tr>
            }
            .into_any(),
            Some(Ok(page)) => page.incidents.iter().map(row).collect_view().into_any(),
            _ => ().into_any(),
        })
    };

    view! {
        <div class="table-wrap">
            <table class="incidents" data-testid="incidents-table">
                <thead>
                    <tr>
                        <th scope="col" class="num">"#"</th>
                        <SortHeader query label="Title" sort=IncidentSort::Title />
                        <SortHeader query label="Service" sort=IncidentSort::Service />
                        <SortHeader query label="Urgency" sort=IncidentSort::Urgency />
                        <SortHeader query label="Status" sort=IncidentSort::Status />
                        <SortHeader query label="Created" sort=IncidentSort::CreatedAt />
                        <th scope="col" class="num">"Time to ack"</th>
                        <SortHeader
                            query
                            label="Time to resolve"
                            sort=IncidentSort::TimeToResolve
                            numeric=true
                        />
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A column header that sorts by its column, showing the current direction.
#[component]
fn SortHeader(
    query: RwSignal<IncidentQuery>,
    label: &'static str,
    sort: IncidentSort,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let active = move || query.with(|q| q.sort == sort);
    let aria_sort = move || match query.with(|q| (q.sort == sort, q.ascending)) {
        (false, _) => "none",
        (true, true) => "ascending",
        (true, false) => "descending",
    };
    let arrow = move || match aria_sort() {
        "ascending" => " ▲",
        "descending" => " ▼",
        _ => "",
    };
    let click = move |_| {
        query.update(|q| {
            if q.sort == sort {
                q.ascending = !q.ascending;
            } else {
                q.sort = sort;
                q.ascending = first_click_ascending(sort);
            }
            q.offset = 0;
        })
    };

    view! {
        <th scope="col" class:num=numeric class:sorted=active aria-sort=aria_sort>
            <button type="button" class="sort" on:click=click title=format!("Sort by {label}")>
                {label}
                <span aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

/// One incident's row.
fn row(incident: &Incident) -> impl IntoView {
    let href = format!("/incidents/{}", incident.id);
    let number = incident.number.map_or_else(String::new, |n| n.to_string());
    let merged = incident
        .merged_into
        .clone()
        .map(|into| view! { <MergedBadge into /> });
    view! {
        <tr data-testid="incident-row" class:merged=incident.is_merged()>
            <td class="num">{number}</td>
            <td class="title">
                <a href=href data-testid="incident-link">
                    {incident.title.clone()}
                </a>
                {merged}
            </td>
            <td>{incident.service.clone().unwrap_or_else(|| format::MISSING.to_owned())}</td>
            <td>
                <UrgencyBadge urgency=incident.urgency raw=incident.urgency_raw.clone() />
            </td>
            <td>
                <StatusBadge status=incident.status />
            </td>
            <td class="time">{format::local_short(incident.created_at)}</td>
            <td class="num">{format::duration_opt(incident.seconds_to_acknowledge())}</td>
            <td class="num">{format::duration_opt(incident.seconds_to_resolve())}</td>
        </tr>
    }
}
