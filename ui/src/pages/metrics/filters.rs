//! The filter bar of the Metrics page: which days, in which zone, bucketed how, and the
//! service, team, urgency and source filters. Every control has a `<label for>`; the choices
//! of the name filters come from the report, so they list every name in the period loaded.

use chrono::Utc;
use chrono_tz::TZ_VARIANTS;
use leptos::prelude::*;
use vigil_core::metrics::{FilterChoices, MetricsFilter, Period};
use vigil_core::Urgency;

use super::request::{Choice, Span, PRESET_DAYS};

/// The whole bar.
#[component]
pub fn Filters(choice: RwSignal<Choice>, choices: Memo<FilterChoices>) -> impl IntoView {
    let clear = move |_| choice.update(|c| c.filter = MetricsFilter::default());
    let services = Signal::derive(move || choices.with(|c| c.services.clone()));
    let teams = Signal::derive(move || choices.with(|c| c.teams.clone()));
    let sources = Signal::derive(move || choices.with(|c| c.sources.clone()));
    view! {
        <div class="filters metrics-filters" role="search" aria-label="Filter metrics">
            <SpanField choice />
            <ZoneField choice />
            <BucketField choice />
            <NameFilter
                choice
                id="metrics-service"
                label="Service"
                all="All services"
                names=services
                pick=|f| f.service.clone()
                put=|f, v| f.service = v
            />
            <NameFilter
                choice
                id="metrics-team"
                label="Team"
                all="All teams"
                names=teams
                pick=|f| f.team.clone()
                put=|f, v| f.team = v
            />
            <UrgencyField choice />
            <NameFilter
                choice
                id="metrics-source"
                label="Source"
                all="All sources"
                names=sources
                pick=|f| f.source.clone()
                put=|f, v| f.source = v
            />
            <button type="button" class="link-button" on:click=clear>
                "Clear filters"
            </button>
        </div>
    }
}

/// "Last N days" or two dates.
#[component]
fn SpanField(choice: RwSignal<Choice>) -> impl IntoView {
    let is_custom = move || choice.with(|c| matches!(c.span, Span::Custom { .. }));
    let on_change = move |ev| {
        let value = event_target_value(&ev);
        choice.update(|c| {
            c.span = match value.parse::<u32>() {
                Ok(days) => Span::Last(days),
                // Custom starts from the days shown now, so only one end needs changing.
                Err(_) => {
                    let today = Utc::now().with_timezone(&c.zone).date_naive();
                    let (from, to) = c.days(today).unwrap_or((today, today));
                    Span::Custom {
                        from: from.to_string(),
                        to: to.to_string(),
                    }
                }
            };
        });
    };
    let preset = move |days: u32| choice.with(|c| c.span == Span::Last(days));
    let options = PRESET_DAYS
        .into_iter()
        .map(|days| {
            view! {
                <option value=days.to_string() selected=move || preset(days)>
                    {format!("Last {days} days")}
                </option>
            }
        })
        .collect_view();

    view! {
        <div class="filter-field">
            <label for="metrics-span">"Period"</label>
            <select id="metrics-span" data-testid="metrics-span" on:change=on_change>
                {options}
                <option value="custom" selected=is_custom>"Custom dates"</option>
            </select>
        </div>
        <Show when=is_custom>
            <DateField choice id="metrics-from" label="From" first=true />
            <DateField choice id="metrics-to" label="To" first=false />
        </Show>
    }
}

/// One end of a custom span.
#[component]
fn DateField(
    choice: RwSignal<Choice>,
    id: &'static str,
    label: &'static str,
    first: bool,
) -> impl IntoView {
    let value = move || {
        choice.with(|c| match &c.span {
            Span::Custom { from, to } => if first { from } else { to }.clone(),
            Span::Last(_) => String::new(),
        })
    };
    let on_change = move |ev| {
        let text = event_target_value(&ev);
        choice.update(|c| {
            if let Span::Custom { from, to } = &mut c.span {
                *if first { from } else { to } = text;
            }
        });
    };
    view! {
        <div class="filter-field">
            <label for=id>{label}</label>
            <input type="date" id=id prop:value=value on:change=on_change />
        </div>
    }
}

/// The IANA zone days and weeks are counted in.
#[component]
fn ZoneField(choice: RwSignal<Choice>) -> impl IntoView {
    // Six hundred options, written once: the first choice is marked on its option (the
    // select's value cannot be set before its options exist), later ones follow `prop:value`.
    let first = choice.with_untracked(|c| c.zone);
    let options = TZ_VARIANTS
        .iter()
        .map(|zone| {
            view! {
                <option value=zone.name() selected=*zone == first>
                    {zone.name()}
                </option>
            }
        })
        .collect_view();
    let on_change = move |ev| {
        if let Ok(zone) = event_target_value(&ev).parse() {
            choice.update(|c| c.zone = zone);
        }
    };
    view! {
        <div class="filter-field">
            <label for="metrics-zone">"Time zone"</label>
            <select
                id="metrics-zone"
                data-testid="metrics-zone"
                prop:value=move || choice.with(|c| c.zone.name().to_owned())
                on:change=on_change
            >
                {options}
            </select>
        </div>
    }
}

/// Day, week or month buckets for the counts per period, or the automatic choice.
#[component]
fn BucketField(choice: RwSignal<Choice>) -> impl IntoView {
    let is = move |bucket: Option<Period>| choice.with(|c| c.bucket == bucket);
    let on_change = move |ev| {
        let bucket = match event_target_value(&ev).as_str() {
            "day" => Some(Period::Day),
            "week" => Some(Period::Week),
            "month" => Some(Period::Month),
            _ => None,
        };
        choice.update(|c| c.bucket = bucket);
    };
    view! {
        <div class="filter-field">
            <label for="metrics-bucket">"Count per"</label>
            <select id="metrics-bucket" on:change=on_change>
                <option value="auto" selected=move || is(None)>"Automatic"</option>
                <option value="day" selected=move || is(Some(Period::Day))>"Day"</option>
                <option value="week" selected=move || is(Some(Period::Week))>"Week"</option>
                <option value="month" selected=move || is(Some(Period::Month))>"Month"</option>
            </select>
        </div>
    }
}

/// High, low or any urgency.
#[component]
fn UrgencyField(choice: RwSignal<Choice>) -> impl IntoView {
    let is = move |u: Option<Urgency>| choice.with(|c| c.filter.urgency == u);
    let on_change = move |ev| {
        let urgency = Urgency::parse(&event_target_value(&ev));
        choice.update(|c| c.filter.urgency = urgency);
    };
    view! {
        <div class="filter-field">
            <label for="metrics-urgency">"Urgency"</label>
            <select id="metrics-urgency" on:change=on_change>
                <option value="" selected=move || is(None)>"Any"</option>
                <option value="high" selected=move || is(Some(Urgency::High))>"High"</option>
                <option value="low" selected=move || is(Some(Urgency::Low))>"Low"</option>
            </select>
        </div>
    }
}

/// One name filter (service, team or source): all, or one of the names in the report.
#[component]
fn NameFilter(
    choice: RwSignal<Choice>,
    id: &'static str,
    label: &'static str,
    all: &'static str,
    names: Signal<Vec<String>>,
    pick: fn(&MetricsFilter) -> Option<String>,
    put: fn(&mut MetricsFilter, Option<String>),
) -> impl IntoView {
    let chosen = move || choice.with(|c| pick(&c.filter));
    let on_change = move |ev| {
        let value = event_target_value(&ev);
        choice.update(|c| put(&mut c.filter, (!value.is_empty()).then_some(value)));
    };
    let options = move || {
        let chosen = chosen();
        let mut names = names.get();
        // A chosen name missing from this period's incidents stays selectable, so the filter
        // never silently switches itself off.
        if let Some(name) = chosen.as_ref().filter(|n| !names.contains(n)) {
            names.push(name.clone());
        }
        names
            .into_iter()
            .map(|name| {
                let selected = chosen.as_deref() == Some(name.as_str());
                view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="filter-field">
            <label for=id>{label}</label>
            <select id=id on:change=on_change>
                <option value="" selected=move || chosen().is_none()>{all}</option>
                {options}
            </select>
        </div>
    }
}
