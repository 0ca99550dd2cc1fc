//! Status and urgency as small badges. The word is always written out, so the meaning never
//! rests on colour alone.

use leptos::prelude::*;
use vigil_core::{IncidentStatus, Urgency};

/// An incident's status: "triggered", "acknowledged" or "resolved".
#[component]
pub fn StatusBadge(
    /// The status to show.
    status: IncidentStatus,
) -> impl IntoView {
    let name = status.as_str();
    view! { <span class=format!("badge status-{name}")>{name}</span> }
}

/// An incident's urgency, with the vendor's own word in the tooltip where it differs.
#[component]
pub fn UrgencyBadge(
    /// The normalised urgency.
    urgency: Urgency,
    /// The vendor's word for it, where it gave one.
    raw: Option<String>,
) -> impl IntoView {
    let name = urgency.as_str();
    let title = raw
        .filter(|r| !r.eq_ignore_ascii_case(name))
        .map(|r| format!("Vendor: {r}"));
    view! { <span class=format!("badge urgency-{name}") title=title>{name}</span> }
}

/// Marks an incident merged into another; it is left out of counts and durations.
#[component]
pub fn MergedBadge(
    /// The vendor id of the incident it was merged into.
    into: String,
) -> impl IntoView {
    view! {
        <span class="badge merged" title=format!("Merged into {into}; left out of counts")>
            "merged"
        </span>
    }
}
