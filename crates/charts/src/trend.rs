//! Charts over calendar periods: incidents per period as bars, and one KPI per period as a line.
//!
//! Periods are named by their first local day, as vigil-core buckets them; every period of the
//! series gets a slot, so a quiet week shows as a gap or a zero bar rather than being skipped.

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use plotters::element::{Circle, Rectangle};
use plotters::series::LineSeries;
use plotters::style::{Color, ShapeStyle};
use vigil_core::metrics::{Period, PeriodCount};

use crate::axes::{index_range, index_ticks, ValueAxis};
use crate::frame::{draw_chart, Axis, Frame, Grid, ACCENT, ACCENT_SOFT};
use crate::overlay::{Anchor, MUTED_HEX, TEXT};
use crate::unit::Unit;
use crate::ChartError;

/// Height of a trend chart.
const HEIGHT: u32 = 240;
/// Most labels along the period axis.
const MOST_LABELS: usize = 8;
/// Counts are written above the bars while they fit.
const MOST_BAR_VALUES: usize = 16;

/// The frame of a trend chart.
fn frame(title: &str) -> Frame<'_> {
    Frame {
        title,
        height: HEIGHT,
        left: 56,
        right: 16,
        bottom: 28,
    }
}

/// A period's short name under the axis: "2 Mar" for a day or a week (its Monday), "Mar 2026"
/// for a month.
pub(crate) fn short_name(period: Period, start: NaiveDate) -> String {
    match period {
        Period::Day | Period::Week => start.format("%-d %b").to_string(),
        Period::Month => start.format("%b %Y").to_string(),
    }
}

/// A period's full name for a tooltip: "Mon 2 Mar 2026", "Week of Mon 2 Mar 2026", "March 2026".
pub(crate) fn long_name(period: Period, start: NaiveDate) -> String {
    match period {
        Period::Day => start.format("%a %-d %b %Y").to_string(),
        Period::Week => start.format("Week of %a %-d %b %Y").to_string(),
        Period::Month => start.format("%B %Y").to_string(),
    }
}

/// The word for one period, for an axis description.
fn period_word(period: Period) -> &'static str {
    match period {
        Period::Day => "day",
        Period::Week => "week",
        Period::Month => "month",
    }
}

/// Incidents per period as bars, each with its count as a tooltip (and written above it while
/// the bars are wide enough). `days` are the first and last local day the counts cover: a
/// period reaching beyond them (the week a 30-day span starts in) holds fewer days, so its bar
/// is drawn lighter and its tooltip says so, rather than reading as a quiet period. No incident
/// at all is [`ChartError::NoData`].
pub fn counts_per_period(
    title: &str,
    counts: &[PeriodCount],
    period: Period,
    days: RangeInclusive<NaiveDate>,
) -> Result<String, ChartError> {
    let total: u64 = counts.iter().map(|c| u64::from(c.count)).sum();
    if total == 0 {
        return Err(ChartError::NoData(
            "No incidents in this period: choose a longer period or clear the filters.".into(),
        ));
    }
    let largest = counts.iter().map(|c| c.count).max().unwrap_or(0);
    let values = ValueAxis::spanning(0.0, f64::from(largest), true);
    let x_label = |x: f64| slot_name(counts.iter().map(|c| c.start), x, period);
    let y_label = |y: f64| values.label(y);
    let x = Axis {
        range: index_range(counts.len()),
        ticks: index_ticks(counts.len(), MOST_LABELS),
        label: &x_label,
        description: None,
    };
    let y = Axis::values(&values, &y_label, "Incidents".into());
    let partial: Vec<bool> = counts
        .iter()
        .map(|c| !covers(&days, period, c.start))
        .collect();
    let summary = format!(
        "{total} incidents over {} {}s, at most {largest} in one {}.",
        counts.len(),
        period_word(period),
        period_word(period)
    );

    draw_chart(
        frame(title),
        x,
        y,
        Grid::Horizontal,
        &summary,
        |plot, overlay| {
            let bars = counts
                .iter()
                .zip(&partial)
                .enumerate()
                .map(|(i, (c, &cut))| {
                    let i = i as f64;
                    let fill = if cut { ACCENT_SOFT } else { ACCENT };
                    Rectangle::new(
                        [(i - 0.38, 0.0), (i + 0.38, f64::from(c.count))],
                        fill.filled(),
                    )
                });
            plot.draw_series(bars)?;

            let top = values.range.end;
            for (i, c) in counts.iter().enumerate() {
                let i = i as f64;
                let noun = if c.count == 1 {
                    "incident"
                } else {
                    "incidents"
                };
                let mut tip = format!("{}: {} {noun}", long_name(period, c.start), c.count);
                if partial[i as usize] {
                    tip.push_str(&format!(
                        " (only part of this {} is in the period)",
                        period_word(period)
                    ));
                }
                overlay.hover_rect(
                    plot.backend_coord(&(i - 0.5, top)),
                    plot.backend_coord(&(i + 0.5, 0.0)),
                    &tip,
                );
                if counts.len() <= MOST_BAR_VALUES && c.count > 0 {
                    let (bx, by) = plot.backend_coord(&(i, f64::from(c.count)));
                    overlay.text((bx, by - 8), Anchor::Middle, &c.count.to_string(), TEXT);
                }
            }
            if partial.contains(&true) {
                let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
                let note = format!(
                    "lighter bars: {}s only partly in the period",
                    period_word(period)
                );
                overlay.text(
                    (x_pixels.end, y_pixels.start - 14),
                    Anchor::End,
                    &note,
                    MUTED_HEX,
                );
            }
            Ok(())
        },
    )
}

/// One KPI's value in one period; `None` where the period has none (no resolved incident for
/// MTTR), drawn as a gap rather than a zero.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrendPoint {
    /// The period's first local day.
    pub start: NaiveDate,
    /// The value, in the trend's raw unit (seconds for durations).
    pub value: Option<f64>,
}

/// A KPI over consecutive periods.
#[derive(Clone, Copy, Debug)]
pub struct KpiTrend<'a> {
    /// Written at the top of the chart: "MTTR per week (mean)".
    pub title: &'a str,
    /// The KPI's short name, for the axis and the tooltips: "MTTR".
    pub kpi: &'a str,
    /// What the values measure.
    pub unit: Unit,
    /// The bucket of the points.
    pub period: Period,
    /// The points, one per period, in order.
    pub points: &'a [TrendPoint],
}

/// A KPI's trend as a line with a point per period; periods without a value break the line.
/// No value at all is [`ChartError::NoData`].
pub fn kpi_trend(trend: &KpiTrend<'_>) -> Result<String, ChartError> {
    let present: Vec<(usize, f64)> = trend
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.value.map(|v| (i, v)))
        .collect();
    if present.is_empty() {
        return Err(ChartError::NoData(format!(
            "No {} in this period: choose a longer period or clear the filters.",
            trend.kpi
        )));
    }
    let largest = present.iter().map(|&(_, v)| v).fold(0.0, f64::max);
    let scale = trend.unit.scale_for(largest);
    let values = ValueAxis::spanning(0.0, scale.apply(largest), scale.whole);
    let starts = || trend.points.iter().map(|p| p.start);
    let x_label = |x: f64| slot_name(starts(), x, trend.period);
    let y_label = |y: f64| values.label(y);
    let x = Axis {
        range: index_range(trend.points.len()),
        ticks: index_ticks(trend.points.len(), MOST_LABELS),
        label: &x_label,
        description: None,
    };
    let y = Axis::values(&values, &y_label, format!("{} ({})", trend.kpi, scale.name));
    let summary = format!(
        "{} per {} over {} {}s; {} of them have a value, the largest {}.",
        trend.kpi,
        period_word(trend.period),
        trend.points.len(),
        period_word(trend.period),
        present.len(),
        scale.show(largest)
    );

    draw_chart(
        frame(trend.title),
        x,
        y,
        Grid::Horizontal,
        &summary,
        |plot, overlay| {
            let line = ShapeStyle::from(&ACCENT).stroke_width(2);
            for run in runs(&present) {
                let points = run.iter().map(|&(i, v)| (i as f64, scale.apply(v)));
                plot.draw_series(LineSeries::new(points, line))?;
            }
            let dots = present
                .iter()
                .map(|&(i, v)| Circle::new((i as f64, scale.apply(v)), 3, ACCENT.filled()));
            plot.draw_series(dots)?;

            for &(i, v) in &present {
                let tip = format!(
                    "{}: {} {}",
                    long_name(trend.period, trend.points[i].start),
                    trend.kpi,
                    scale.show(v)
                );
                overlay.hover_point(plot.backend_coord(&(i as f64, scale.apply(v))), &tip);
            }
            Ok(())
        },
    )
}

/// Whether every day of the period starting on `start` lies within `days`.
fn covers(days: &RangeInclusive<NaiveDate>, period: Period, start: NaiveDate) -> bool {
    let last = period
        .next(start)
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX);
    days.contains(&start) && days.contains(&last)
}

/// The short name of the period at axis position `x`, or nothing between periods.
fn slot_name(mut starts: impl Iterator<Item = NaiveDate>, x: f64, period: Period) -> String {
    if x < 0.0 || x.fract() != 0.0 {
        return String::new();
    }
    starts
        .nth(x as usize)
        .map(|start| short_name(period, start))
        .unwrap_or_default()
}

/// Consecutive positions grouped, so a missing period breaks the line.
fn runs(present: &[(usize, f64)]) -> Vec<&[(usize, f64)]> {
    let mut out = Vec::new();
    let mut begin = 0;
    for k in 1..=present.len() {
        let broken = k == present.len() || present[k].0 != present[k - 1].0 + 1;
        if broken {
            out.push(&present[begin..k]);
            begin = k;
        }
    }
    out
}

#[cfg(test)]
#[path = "trend_tests.rs"]
mod tests;
