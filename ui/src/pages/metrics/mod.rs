//! The Metrics page: filters, KPI tiles against the previous period, trend charts, the weekly
//! control charts, and incidents by dimension, all from one [`MetricsReport`] computed by the
//! app (vigil-core's arithmetic over the engine's facts) and drawn here by vigil-charts.
//!
//! The page refetches when the filters change and when the app says incidents changed (a sync
//! finished). The filters live in the page, so they start afresh on each visit: the last 90
//! days in the computer's zone.

mod charts;
mod export;
mod filters;
mod request;
mod table;
mod tiles;

use std::sync::Arc;

use chrono::SecondsFormat;
use leptos::prelude::*;
use vigil_core::api::CommandError;
use vigil_core::metrics::{Dimension, FilterChoices, MetricsReport, MetricsRequest};

use crate::components::error_banner::ErrorBanner;
use crate::events::AppEvents;
use crate::ipc;

use self::charts::{period_word, ControlCharts, TrendCharts};
use self::export::{ExportNotice, ExportStatus};
use self::filters::Filters;
use self::request::{covered_days, previous_words, Choice};
use self::table::ByDimension;
use self::tiles::Tiles;

/// The answer shown: the report, or what went wrong (in the filters or in the app).
type ReportResource = LocalResource<Result<Arc<MetricsReport>, CommandError>>;

/// The page at `/metrics`.
#[component]
pub fn MetricsPage() -> impl IntoView {
    let choice = RwSignal::new(Choice::initial());
    let dimension = RwSignal::new(Dimension::Service);
    let events = AppEvents::expect();
    let status = ExportStatus(RwSignal::new(None));
    provide_context(status);

    let report: ReportResource = LocalResource::new(move || {
        let request = choice.with(Choice::request);
        events.incidents_changed.track();
        async move {
            let request = request.map_err(|message| CommandError {
                kind: "filters".to_owned(),
                message,
            })?;
            ipc::metrics_report(&request).await.map(Arc::new)
        }
    });
    // The filter choices of the last report, kept while the next one loads.
    let choices = Memo::new(move |previous: Option<&FilterChoices>| {
        report.with(|answer| match answer {
            Some(Ok(report)) => report.choices.clone(),
            _ => previous.cloned().unwrap_or_default(),
        })
    });

    view! {
        <section class="page metrics-page" data-testid="metrics-page">
            <h1>"Metrics"</h1>
            <Filters choice choices />
            <ExportNotice status />
            {move || {
                report.with(|answer| match answer {
                    None => view! { <p class="loading">"Computing metrics…"</p> }.into_any(),
                    Some(Err(error)) => view! { <ErrorBanner error=error.clone() /> }.into_any(),
                    Some(Ok(report)) => view! { <Report report=Arc::clone(report) dimension /> }
                        .into_any(),
                })
            }}
        </section>
    }
}

/// Everything under the filters for one report.
#[component]
fn Report(report: Arc<MetricsReport>, dimension: RwSignal<Dimension>) -> impl IntoView {
    let request = &report.request;
    let stem = file_stem(request);
    let empty = (report.comparison.current.counts.incidents == 0).then(|| {
        view! {
            <p class="empty metrics-empty" data-testid="metrics-empty">
                "No incidents were created in this period with these filters: choose a longer "
                "period or clear the filters."
            </p>
        }
    });
    view! {
        <WindowLine request=request.clone() />
        {empty}
        <Tiles comparison=report.comparison.clone() previous=previous_words(request) />
        <TrendCharts report=(*report).clone() stem=stem.clone() />
        <ControlCharts report=(*report).clone() stem=stem.clone() />
        <ByDimension report dimension stem />
    }
}

/// Which days, in which zone, bucketed how; the exact instants ride along in `data-` attributes
/// for tests and for repeating the numbers with `vigil metrics`.
#[component]
fn WindowLine(request: MetricsRequest) -> impl IntoView {
    let zone = request.zone;
    let (first, last) = covered_days(&request);
    let days = (last - first).num_days() + 1;
    let text = format!(
        "{} to {} ({days} days) in {}, counted per {}; compared with the {}.",
        first.format("%-d %b %Y"),
        last.format("%-d %b %Y"),
        zone.name(),
        period_word(request.period),
        previous_words(&request)
    );
    view! {
        <p
            class="metrics-window"
            data-testid="metrics-window"
            data-since=request.window.since.to_rfc3339_opts(SecondsFormat::Secs, true)
            data-until=request.window.until.to_rfc3339_opts(SecondsFormat::Secs, true)
            data-zone=zone.name()
        >
            {text}
        </p>
    }
}

/// The start of every export's file name: `vigil-2026-03-01-to-2026-05-29`.
fn file_stem(request: &MetricsRequest) -> String {
    let (first, last) = covered_days(request);
    format!("vigil-{first}-to-{last}")
}
