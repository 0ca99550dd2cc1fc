//! Control charts: the points, the centre line and the control limits, with every special cause
//! marked by a red diamond whose tooltip names the rule it breaks.
//!
//! Any [`ControlChart`] of vigil-core can be drawn (the Metrics page's weekly XmR and c charts,
//! and the SPC charts of CSV files), since each point carries its own limits: they are drawn as
//! steps, which is a straight line where the limits are constant and the right picture where
//! they vary from sample to sample (p and u charts).

use plotters::element::Circle;
use plotters::series::{DashedLineSeries, LineSeries};
use plotters::style::{Color, ShapeStyle};
use vigil_core::metrics::{Period, WeeklyControlChart};
use vigil_core::spc::{evaluate_rules, ChartPoint, ControlChart, Rule, RuleReport};

use crate::axes::{index_ticks, ValueAxis};
use crate::frame::{draw_chart, to_hex, Axis, Frame, Grid, ACCENT, DANGER, OK};
use crate::overlay::Anchor;
use crate::trend::{long_name, short_name};
use crate::unit::{Scale, Unit};
use crate::ChartError;

/// Which numbering a tooltip gives a rule: the same pattern is Nelson 5 and Western Electric 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleNaming {
    /// The eight Nelson rules were evaluated.
    Nelson,
    /// The four Western Electric zone rules were evaluated.
    WesternElectric,
}

/// A control chart and what to call its points.
#[derive(Clone, Copy, Debug)]
pub struct ControlChartSpec<'a> {
    /// Written at the top: "MTTR per week, individuals (XmR)".
    pub title: &'a str,
    /// What is plotted, for the axis and tooltips: "MTTR".
    pub value_name: &'a str,
    /// The chart.
    pub chart: &'a ControlChart,
    /// Short axis label of each sample of the data, indexed by [`ChartPoint::sample`].
    pub sample_labels: &'a [String],
    /// Full name of each sample for tooltips, indexed the same way.
    pub sample_names: &'a [String],
    /// The rules the points break.
    pub rules: &'a RuleReport,
    /// How those rules are numbered.
    pub naming: RuleNaming,
    /// What the values measure.
    pub unit: Unit,
}

/// Height of a control chart.
const HEIGHT: u32 = 260;
/// Most labels along the sample axis.
const MOST_LABELS: usize = 8;

/// Draws a control chart. A chart without points is [`ChartError::NoData`].
pub fn control_chart(spec: &ControlChartSpec<'_>) -> Result<String, ChartError> {
    let points = &spec.chart.points;
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Err(ChartError::NoData(format!(
            "No {} to chart in this period: choose a longer period.",
            spec.value_name
        )));
    };
    let extremes = points
        .iter()
        .flat_map(|p| [p.value, p.lcl, p.ucl, p.centre])
        .filter(|v| v.is_finite());
    let (low, high) = extremes.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let scale = spec.unit.scale_for(high.abs().max(low.abs()));
    let values = ValueAxis::spanning(scale.apply(low), scale.apply(high), scale.whole);

    let (from, to) = (first.sample, last.sample);
    let ticks: Vec<f64> = index_ticks(to - from + 1, MOST_LABELS)
        .into_iter()
        .map(|k| k + from as f64)
        .collect();
    let x_label = |x: f64| {
        let known = x >= 0.0 && x.fract() == 0.0;
        let label = known.then(|| spec.sample_labels.get(x as usize)).flatten();
        label.cloned().unwrap_or_default()
    };
    let y_label = |y: f64| values.label(y);
    let x = Axis {
        range: from as f64 - 0.5..to as f64 + 0.5,
        ticks,
        label: &x_label,
        description: None,
    };
    let y_desc = match spec.unit {
        Unit::Count => spec.value_name.to_owned(),
        Unit::Seconds => format!("{} ({})", spec.value_name, scale.name),
    };
    let y = Axis::values(&values, &y_label, y_desc);
    let special = spec.rules.special_causes();
    let summary = summary(spec, &scale, &special);
    let frame = Frame {
        title: spec.title,
        height: HEIGHT,
        left: 56,
        right: 84,
        bottom: 28,
    };

    draw_chart(frame, x, y, Grid::Horizontal, &summary, |plot, overlay| {
        let limit = ShapeStyle::from(&DANGER).stroke_width(1);
        let limits: [fn(&ChartPoint) -> f64; 2] = [|p| p.ucl, |p| p.lcl];
        for pick in limits {
            plot.draw_series(DashedLineSeries::new(
                steps(points, pick, &scale),
                6,
                4,
                limit,
            ))?;
        }
        let centre = ShapeStyle::from(&OK).stroke_width(1);
        plot.draw_series(LineSeries::new(steps(points, |p| p.centre, &scale), centre))?;

        let at = |p: &ChartPoint| (p.sample as f64, scale.apply(p.value));
        let line = ShapeStyle::from(&ACCENT).stroke_width(2);
        plot.draw_series(LineSeries::new(points.iter().map(at), line))?;
        let ordinary = points
            .iter()
            .enumerate()
            .filter(|(i, _)| special.binary_search(i).is_err())
            .map(|(_, p)| Circle::new(at(p), 3, ACCENT.filled()));
        plot.draw_series(ordinary)?;

        let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
        let right = x_pixels.end + 6;
        for (name, value, colour) in [
            ("UCL", last.ucl, DANGER),
            ("CL", last.centre, OK),
            ("LCL", last.lcl, DANGER),
        ] {
            let (_, y) = plot.backend_coord(&(last.sample as f64, scale.apply(value)));
            let text = format!("{name} {}", scale.show(value));
            overlay.text((right, y), Anchor::Start, &text, &to_hex(colour));
        }
        for (i, p) in points.iter().enumerate() {
            let name = spec.sample_names.get(p.sample).map_or("", String::as_str);
            let shown = scale.show(p.value);
            if special.binary_search(&i).is_ok() {
                let rules: Vec<String> = spec
                    .rules
                    .rules_at(i)
                    .into_iter()
                    .map(|rule| rule_name(rule, spec.naming))
                    .collect();
                let tip = format!("{name}: {shown}. Special cause: {}", rules.join("; "));
                overlay.special_cause(plot.backend_coord(&at(p)), &tip);
            } else {
                let tip = format!(
                    "{name}: {shown} (limits {} to {})",
                    scale.show(p.lcl),
                    scale.show(p.ucl)
                );
                overlay.hover_point(plot.backend_coord(&at(p)), &tip);
            }
        }
        let legend_at = (x_pixels.end - 190, y_pixels.start - 14);
        if special.is_empty() {
            let text = "No special cause: only common-cause variation";
            overlay.text((x_pixels.end, legend_at.1), Anchor::End, text, "#1F7A3F");
        } else {
            overlay.special_cause_legend(legend_at, "special cause (hover for the rule)");
        }
        Ok(())
    })
}

/// The limits or centre of each point as a step: flat across the point's slot.
fn steps(
    points: &[ChartPoint],
    pick: impl Fn(&ChartPoint) -> f64,
    scale: &Scale,
) -> Vec<(f64, f64)> {
    points
        .iter()
        .filter(|p| pick(p).is_finite())
        .flat_map(|p| {
            let (x, y) = (p.sample as f64, scale.apply(pick(p)));
            [(x - 0.5, y), (x + 0.5, y)]
        })
        .collect()
}

/// A rule as a tooltip names it: "Nelson 1: one point beyond the control limits".
fn rule_name(rule: Rule, naming: RuleNaming) -> String {
    let number = match naming {
        RuleNaming::Nelson => rule.nelson_number().map(|n| format!("Nelson {n}")),
        RuleNaming::WesternElectric => rule
            .western_electric_number()
            .map(|n| format!("Western Electric {n}")),
    };
    match number {
        Some(number) => format!("{number}: {}", rule.description()),
        None => rule.description().to_owned(),
    }
}

/// The chart in one sentence for screen readers.
fn summary(spec: &ControlChartSpec<'_>, scale: &Scale, special: &[usize]) -> String {
    let points = &spec.chart.points;
    let last = points.last();
    let limits = last.map_or_else(String::new, |p| {
        format!(
            "; centre {}, limits {} to {}",
            scale.show(p.centre),
            scale.show(p.lcl),
            scale.show(p.ucl)
        )
    });
    let causes = match special.len() {
        0 => "no special cause".to_owned(),
        1 => "1 special cause".to_owned(),
        n => format!("{n} special causes"),
    };
    format!(
        "{} chart of {}, {} points{limits}; {causes}.",
        spec.chart.kind,
        spec.value_name,
        points.len()
    )
}

/// The two charts of the Metrics page's weekly control chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeeklySvgs {
    /// The individuals or c chart.
    pub location: String,
    /// The moving-range chart beside an individuals chart, if there is one.
    pub moving_range: Option<String>,
}

/// Draws a [`WeeklyControlChart`] of the Metrics report with weeks named by their Monday: the
/// chart itself with the report's Nelson rules, and its moving-range chart (judged by the
/// limits alone, the only rule meant for a range chart) under `range_title`.
pub fn weekly_control_charts(
    title: &str,
    range_title: &str,
    value_name: &str,
    weekly: &WeeklyControlChart,
    unit: Unit,
) -> Result<WeeklySvgs, ChartError> {
    let labels: Vec<String> = weekly
        .weeks
        .iter()
        .map(|w| short_name(Period::Week, *w))
        .collect();
    let names: Vec<String> = weekly
        .weeks
        .iter()
        .map(|w| long_name(Period::Week, *w))
        .collect();
    let spec = ControlChartSpec {
        title,
        value_name,
        chart: &weekly.chart,
        sample_labels: &labels,
        sample_names: &names,
        rules: &weekly.rules,
        naming: RuleNaming::Nelson,
        unit,
    };
    let location = control_chart(&spec)?;
    let moving_range = match &weekly.moving_range {
        Some(chart) => {
            let rules = evaluate_rules(chart, &[Rule::BeyondLimits]);
            let range_name = format!("Moving range of {value_name}");
            let spec = ControlChartSpec {
                title: range_title,
                value_name: &range_name,
                chart,
                rules: &rules,
                ..spec
            };
            Some(control_chart(&spec)?)
        }
        None => None,
    };
    Ok(WeeklySvgs {
        location,
        moving_range,
    })
}

#[cfg(test)]
#[path = "control_tests.rs"]
mod tests;
