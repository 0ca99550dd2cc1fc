//! The trend and control charts, drawn in the window by vigil-charts (the code that draws the
//! exported files and the reports) and put in the page as SVG with `inner_html`. A chart that
//! cannot be drawn says why in words, in its place.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use vigil_charts::{
    counts_per_period, kpi_trend, weekly_control_charts, ChartError, KpiTrend, TrendPoint, Unit,
    WeeklySvgs,
};
use vigil_core::metrics::{ChartOutcome, MetricsReport, Period, WeeklyControlChart};

use super::export::ChartExports;
use super::request::covered_days;

/// A chart in its card with its export buttons, or the reason there is none.
#[component]
pub fn ChartCard(
    /// The test hook: `chart-{id}`.
    id: &'static str,
    /// The chart's title (also drawn inside the SVG).
    title: String,
    /// The SVG, or why there is none.
    drawn: Result<String, String>,
    /// The export's suggested file name, without extension.
    stem: String,
) -> impl IntoView {
    let test_id = format!("chart-{id}");
    match drawn {
        Ok(svg) => view! {
            <figure class="chart-card" data-testid=test_id>
                <div class="chart" inner_html=svg.clone()></div>
                <ChartExports svg title stem />
            </figure>
        }
        .into_any(),
        Err(reason) => view! {
            <figure class="chart-card chart-missing" data-testid=test_id>
                <figcaption>{title}</figcaption>
                <p class="empty" data-testid="chart-missing">{reason}</p>
            </figure>
        }
        .into_any(),
    }
}

/// The period's word: "day", "week", "month".
pub fn period_word(period: Period) -> &'static str {
    match period {
        Period::Day => "day",
        Period::Week => "week",
        Period::Month => "month",
    }
}

/// Incidents per period and MTTR per week.
#[component]
pub fn TrendCharts(report: MetricsReport, stem: String) -> impl IntoView {
    let word = period_word(report.request.period);
    let counts_title = format!("Incidents per {word}");
    let (first, last) = covered_days(&report.request);
    let counts = counts_per_period(
        &counts_title,
        &report.per_period,
        report.request.period,
        first..=last,
    )
    .map_err(|e| e.to_string());
    let trend_title = "MTTR per week (mean)".to_owned();
    let trend = mttr_trend(&report, &trend_title);
    view! {
        <section class="metrics-section" aria-labelledby="metrics-trends">
            <h2 id="metrics-trends">"Trends"</h2>
            <div class="chart-grid">
                <ChartCard
                    id="counts"
                    title=counts_title
                    drawn=counts
                    stem=format!("{stem}-incidents-per-{word}")
                />
                <ChartCard
                    id="mttr-trend"
                    title=trend_title
                    drawn=trend
                    stem=format!("{stem}-mttr-per-week")
                />
            </div>
        </section>
    }
}

/// The weekly MTTR as a trend line, over every whole week of the period (weeks without a
/// resolved incident are gaps).
///
/// The report carries weekly MTTR only as the data of its XmR chart, so the trend exists only
/// where that chart does (eight whole weeks or more); a per-period series of each duration KPI
/// in `MetricsReport` would let it cover any span and any KPI.
fn mttr_trend(report: &MetricsReport, title: &str) -> Result<String, String> {
    let mttr = match &report.weekly_mttr {
        ChartOutcome::Drawn(chart) => chart,
        ChartOutcome::NotEnoughData { reason } => return Err(format!("No weekly MTTR: {reason}")),
    };
    let values: BTreeMap<NaiveDate, f64> = mttr
        .weeks
        .iter()
        .zip(&mttr.chart.points)
        .map(|(week, point)| (*week, point.value))
        .collect();
    let weeks = match &report.weekly_counts {
        ChartOutcome::Drawn(counts) => &counts.weeks,
        ChartOutcome::NotEnoughData { .. } => &mttr.weeks,
    };
    let points: Vec<TrendPoint> = weeks
        .iter()
        .map(|week| TrendPoint {
            start: *week,
            value: values.get(week).copied(),
        })
        .collect();
    let trend = KpiTrend {
        title,
        kpi: "MTTR",
        unit: Unit::Seconds,
        period: Period::Week,
        points: &points,
    };
    kpi_trend(&trend).map_err(|e| e.to_string())
}

/// The XmR chart of weekly MTTR (with its moving range) and the c chart of weekly counts.
#[component]
pub fn ControlCharts(report: MetricsReport, stem: String) -> impl IntoView {
    let xmr_title = "MTTR per week: individuals chart (XmR)".to_owned();
    let mr_title = "MTTR per week: moving range".to_owned();
    let c_title = "Incidents per week: c chart".to_owned();
    let xmr = weekly(&report.weekly_mttr, |chart| {
        weekly_control_charts(&xmr_title, &mr_title, "MTTR", chart, Unit::Seconds)
    });
    let c = weekly(&report.weekly_counts, |chart| {
        weekly_control_charts(&c_title, "", "Incidents", chart, Unit::Count)
    })
    .map(|svgs| svgs.location);
    let (xmr, mr) = match xmr {
        Ok(svgs) => (
            Ok(svgs.location),
            svgs.moving_range
                .ok_or_else(|| "No moving range.".to_owned()),
        ),
        Err(reason) => (Err(reason.clone()), Err(reason)),
    };
    view! {
        <section class="metrics-section" aria-labelledby="metrics-control">
            <h2 id="metrics-control">"Control charts"</h2>
            <p class="section-note">
                "Weeks wholly inside the period; limits from these weeks; special causes by the "
                "Nelson rules, marked with a red diamond (hover it for the rule)."
            </p>
            <div class="chart-grid">
                <ChartCard id="mttr-xmr" title=xmr_title drawn=xmr stem=format!("{stem}-xmr") />
                <ChartCard id="mttr-mr" title=mr_title drawn=mr stem=format!("{stem}-mr") />
                <ChartCard id="counts-c" title=c_title drawn=c stem=format!("{stem}-c-chart") />
            </div>
        </section>
    }
}

/// Draws a weekly control chart, or passes on the report's reason for not having one.
fn weekly(
    outcome: &ChartOutcome,
    draw: impl FnOnce(&WeeklyControlChart) -> Result<WeeklySvgs, ChartError>,
) -> Result<WeeklySvgs, String> {
    match outcome {
        ChartOutcome::Drawn(chart) => draw(chart).map_err(|e| e.to_string()),
        ChartOutcome::NotEnoughData { reason } => Err(reason.clone()),
    }
}
