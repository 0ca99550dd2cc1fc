//! The Metrics page in one value: the KPI tiles against the previous period, counts per period
//! and per dimension, on-call load, and the two control charts that tell a real change from
//! noise (XmR of weekly MTTR, c chart of weekly incident counts, Nelson rules flagged).
//!
//! It is assembled here, from facts, so the window, the CLI's `vigil metrics --json` and the
//! benchmark show the same numbers from the same code. The engine only loads the facts of
//! [`MetricsRequest::loaded_window`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::incident::Urgency;
use crate::metrics::change::KpiComparison;
use crate::metrics::counts::{tally, Dimension, Tally};
use crate::metrics::facts::IncidentFacts;
use crate::metrics::oncall::{on_call_load, OnCallLoad};
use crate::metrics::period::{period_counts, Period, PeriodCount};
use crate::metrics::series::weekly_mttr;
use crate::metrics::window::{local_midnight, Window};
use crate::spc::{c_chart, evaluate_rules, individuals_chart, ControlChart, Rule, RuleReport};

/// Which incidents a report covers, and how it buckets them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsRequest {
    /// The window, `[since, until)`, by creation time.
    pub window: Window,
    /// The zone days, weeks and months are taken in.
    pub zone: Tz,
    /// The bucket of the counts-per-period trend.
    pub period: Period,
    /// Filters; an incident must pass every one that is set.
    pub filter: MetricsFilter,
}

impl MetricsRequest {
    /// What the engine must load: the window and the one of the same length before it, which
    /// the tiles compare against.
    pub fn loaded_window(&self) -> Window {
        Window::new(self.window.previous().since, self.window.until)
    }
}

/// Filters of the Metrics page. `None` means "all".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsFilter {
    /// Only this service.
    pub service: Option<String>,
    /// Only this team.
    pub team: Option<String>,
    /// Only this urgency.
    pub urgency: Option<Urgency>,
    /// Only this source (by name).
    pub source: Option<String>,
}

impl MetricsFilter {
    /// Whether an incident passes every filter that is set.
    pub fn admits(&self, f: &IncidentFacts) -> bool {
        let matches = |want: &Option<String>, have: &Option<String>| {
            want.as_ref().is_none_or(|w| have.as_ref() == Some(w))
        };
        matches(&self.service, &f.service)
            && matches(&self.team, &f.team)
            && self.urgency.is_none_or(|u| u == f.urgency)
            && self.source.as_ref().is_none_or(|s| *s == f.source)
    }
}

/// The values each filter can take, from every loaded incident (not only the filtered ones, so
/// a filter can always be changed back).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoices {
    /// Service names, sorted.
    pub services: Vec<String>,
    /// Team names, sorted.
    pub teams: Vec<String>,
    /// Source names, sorted.
    pub sources: Vec<String>,
}

/// One KPI's control chart over whole weeks, with its special causes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeeklyControlChart {
    /// The Monday of each plotted week, one per point.
    pub weeks: Vec<NaiveDate>,
    /// The chart (individuals for MTTR, c for counts), limits computed from these weeks.
    pub chart: ControlChart,
    /// The moving-range chart beside an individuals chart.
    pub moving_range: Option<ControlChart>,
    /// The Nelson rules the points break.
    pub rules: RuleReport,
}

/// A control chart, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ChartOutcome {
    /// Enough weeks to draw it.
    Drawn(WeeklyControlChart),
    /// Too few weeks (or values): the reason, in words for the page.
    NotEnoughData {
        /// What is missing.
        reason: String,
    },
}

/// Everything the Metrics page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsReport {
    /// What was asked.
    pub request: MetricsRequest,
    /// The KPI tiles: this window, the previous one, and the change.
    pub comparison: KpiComparison,
    /// Incidents per period over the window, empty periods as 0.
    pub per_period: Vec<PeriodCount>,
    /// Incidents per service in the window.
    pub by_service: Vec<Tally>,
    /// Incidents per team in the window.
    pub by_team: Vec<Tally>,
    /// Incidents per urgency in the window.
    pub by_urgency: Vec<Tally>,
    /// Incidents per source in the window.
    pub by_source: Vec<Tally>,
    /// Load per responder in the window.
    pub on_call: Vec<OnCallLoad>,
    /// XmR chart of the mean time to resolve per week.
    pub weekly_mttr: ChartOutcome,
    /// c chart of incidents created per week.
    pub weekly_counts: ChartOutcome,
    /// The values each filter can take.
    pub choices: FilterChoices,
}

impl MetricsReport {
    /// Builds the report from the facts of [`MetricsRequest::loaded_window`] (more facts are
    /// harmless: each part selects its own window).
    pub fn build(facts: &[IncidentFacts], request: &MetricsRequest) -> Self {
        let choices = choices_of(facts);
        let admitted: Vec<&IncidentFacts> =
            facts.iter().filter(|f| request.filter.admits(f)).collect();
        let window = request.window;
        let inside: Vec<&IncidentFacts> = admitted
            .iter()
            .copied()
            .filter(|f| window.contains(f.created_at))
            .collect();
        let inside = || inside.iter().copied();
        let weeks = whole_weeks(window, request.zone);

        MetricsReport {
            comparison: KpiComparison::with_previous(admitted.iter().copied(), window),
            per_period: per_period(inside(), window, request.period, request.zone),
            by_service: tally(inside(), Dimension::Service),
            by_team: tally(inside(), Dimension::Team),
            by_urgency: tally(inside(), Dimension::Urgency),
            by_source: tally(inside(), Dimension::Source),
            on_call: on_call_load(inside()),
            weekly_mttr: mttr_chart(inside(), &weeks, request.zone),
            weekly_counts: count_chart(inside(), &weeks, request.zone),
            choices,
            request: request.clone(),
        }
    }
}

/// The fewest weeks a chart is drawn from; fewer give limits too loose to judge anything by.
pub const MIN_CHART_WEEKS: usize = 8;

fn choices_of(facts: &[IncidentFacts]) -> FilterChoices {
    let collect = |pick: &dyn Fn(&IncidentFacts) -> Option<&String>| {
        let set: BTreeSet<&String> = facts.iter().filter_map(pick).collect();
        set.into_iter().cloned().collect()
    };
    FilterChoices {
        services: collect(&|f| f.service.as_ref()),
        teams: collect(&|f| f.team.as_ref()),
        sources: collect(&|f| Some(&f.source)),
    }
}

/// Counts per period from the window's first period to its last, not only between the first
/// and last incident, so quiet periods at either end show as 0.
fn per_period<'a>(
    inside: impl Iterator<Item = &'a IncidentFacts>,
    window: Window,
    period: Period,
    zone: Tz,
) -> Vec<PeriodCount> {
    let counted: BTreeMap<NaiveDate, u32> = period_counts(inside, period, zone)
        .into_iter()
        .map(|c| (c.start, c.count))
        .collect();
    let first = window.since.with_timezone(&zone).date_naive();
    let last = last_instant(window).with_timezone(&zone).date_naive();
    period
        .starts_through(first, last)
        .into_iter()
        .map(|start| PeriodCount {
            start,
            count: counted.get(&start).copied().unwrap_or(0),
        })
        .collect()
}

/// The Mondays of the weeks wholly inside the window: a part week has less exposure and would
/// read as a drop in a count chart.
fn whole_weeks(window: Window, zone: Tz) -> Vec<NaiveDate> {
    let first = window.since.with_timezone(&zone).date_naive();
    let last = last_instant(window).with_timezone(&zone).date_naive();
    Period::Week
        .starts_through(first, last)
        .into_iter()
        .filter(|monday| {
            let end = monday.checked_add_days(Days::new(7));
            local_midnight(*monday, zone) >= window.since
                && end.is_some_and(|end| local_midnight(end, zone) <= window.until)
        })
        .collect()
}

/// The last instant inside a half-open window.
fn last_instant(window: Window) -> DateTime<Utc> {
    if window.until > window.since {
        window.until - chrono::Duration::seconds(1)
    } else {
        window.since
    }
}

fn mttr_chart<'a>(
    inside: impl Iterator<Item = &'a IncidentFacts>,
    weeks: &[NaiveDate],
    zone: Tz,
) -> ChartOutcome {
    let wanted: BTreeSet<&NaiveDate> = weeks.iter().collect();
    let (plotted, values): (Vec<NaiveDate>, Vec<f64>) = weekly_mttr(inside, zone)
        .into_iter()
        .filter(|(week, _)| wanted.contains(week))
        .unzip();
    if plotted.len() < MIN_CHART_WEEKS {
        return not_enough(plotted.len(), "with a resolved incident");
    }
    match individuals_chart(&values) {
        Ok(pair) => ChartOutcome::Drawn(WeeklyControlChart {
            weeks: plotted,
            rules: evaluate_rules(&pair.location, &Rule::NELSON),
            chart: pair.location,
            moving_range: Some(pair.spread),
        }),
        Err(e) => ChartOutcome::NotEnoughData {
            reason: e.to_string(),
        },
    }
}

fn count_chart<'a>(
    inside: impl Iterator<Item = &'a IncidentFacts>,
    weeks: &[NaiveDate],
    zone: Tz,
) -> ChartOutcome {
    if weeks.len() < MIN_CHART_WEEKS {
        return not_enough(weeks.len(), "wholly inside the period");
    }
    let counted: BTreeMap<NaiveDate, u32> = crate::metrics::series::weekly_counts(inside, zone)
        .into_iter()
        .collect();
    let counts: Vec<i64> = weeks
        .iter()
        .map(|w| i64::from(counted.get(w).copied().unwrap_or(0)))
        .collect();
    match c_chart(&counts) {
        Ok(chart) => ChartOutcome::Drawn(WeeklyControlChart {
            weeks: weeks.to_vec(),
            rules: evaluate_rules(&chart, &Rule::NELSON),
            chart,
            moving_range: None,
        }),
        Err(e) => ChartOutcome::NotEnoughData {
            reason: e.to_string(),
        },
    }
}

fn not_enough(weeks: usize, which: &str) -> ChartOutcome {
    let unit = if weeks == 1 { "week" } else { "weeks" };
    ChartOutcome::NotEnoughData {
        reason: format!(
            "{weeks} {unit} {which}; a control chart needs at least {MIN_CHART_WEEKS}: choose a \
             longer period"
        ),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use chrono_tz::America::New_York;

    use super::*;
    use crate::metrics::fixture::{bare, edt};

    /// Monday 2026-06-01 00:00 New York to Monday 2026-08-03 00:00: nine whole weeks.
    fn nine_weeks() -> Window {
        Window::new(edt(6, 1, 0, 0), edt(8, 3, 0, 0))
    }

    fn request(window: Window) -> MetricsRequest {
        MetricsRequest {
            window,
            zone: New_York,
            period: Period::Week,
            filter: MetricsFilter::default(),
        }
    }

    /// `per_week[w]` incidents in week `w` (Tuesdays at 10:00), each resolved after
    /// `minutes[w]` minutes.
    fn weekly(per_week: &[u32], minutes: &[i64]) -> Vec<IncidentFacts> {
        let mut out = Vec::new();
        let mut n = 0;
        for (w, (&count, &mins)) in per_week.iter().zip(minutes).enumerate() {
            for _ in 0..count {
                n += 1;
                let created = edt(6, 2, 10, 0) + Duration::weeks(w as i64);
                let mut f = bare(n, created);
                f.first_acknowledged_at = Some(created + Duration::minutes(2));
                f.resolved_at = Some(created + Duration::minutes(mins));
                out.push(f);
            }
        }
        out
    }

    #[test]
    fn the_count_chart_takes_every_whole_week_with_quiet_weeks_as_zero() {
        // Counts 2, 0, 3, 1, 2, 2, 0, 4, 4 over nine weeks: 18 incidents, c-bar = 18 / 9 = 2.
        let facts = weekly(&[2, 0, 3, 1, 2, 2, 0, 4, 4], &[30; 9]);
        let report = MetricsReport::build(&facts, &request(nine_weeks()));
        let ChartOutcome::Drawn(chart) = report.weekly_counts else {
            panic!("nine weeks are enough for a c chart");
        };
        assert_eq!(chart.weeks.len(), 9);
        let values: Vec<f64> = chart.chart.points.iter().map(|p| p.value).collect();
        assert_eq!(values, [2.0, 0.0, 3.0, 1.0, 2.0, 2.0, 0.0, 4.0, 4.0]);
        let point = chart.chart.points[0];
        assert_eq!(point.centre, 2.0);
        // UCL = 2 + 3 * sqrt(2) = 6.2426...; LCL = 2 - 4.24 < 0, clamped to 0.
        assert!((point.ucl - (2.0 + 3.0 * 2f64.sqrt())).abs() < 1e-12);
        assert_eq!(point.lcl, 0.0);
        assert!(chart.rules.is_in_control());
    }

    #[test]
    fn a_part_week_at_either_end_is_left_out_of_the_charts() {
        // From Wednesday 3 June to Wednesday 5 August: the weeks of 8 June to 27 July are whole
        // (eight), the two part weeks are not charted.
        let window = Window::new(edt(6, 3, 0, 0), edt(8, 5, 0, 0));
        let weeks = whole_weeks(window, New_York);
        assert_eq!(weeks.first(), NaiveDate::from_ymd_opt(2026, 6, 8).as_ref());
        assert_eq!(weeks.last(), NaiveDate::from_ymd_opt(2026, 7, 27).as_ref());
        assert_eq!(weeks.len(), 8);
    }

    #[test]
    fn the_mttr_chart_flags_a_week_far_above_the_others() {
        // Eight weeks at 30 minutes and one at 600: the moving ranges are 0 except 570 and 570
        // around the spike, MR-bar = 1140 / 8 = 142.5 min, sigma = 142.5 / 1.128 = 126.3 min,
        // centre = (8 * 30 + 600) / 9 = 93.3 min, UCL = 93.3 + 379.0 = 472.3 min < 600.
        let mut minutes = [30; 9];
        minutes[6] = 600;
        let facts = weekly(&[1; 9], &minutes);
        let report = MetricsReport::build(&facts, &request(nine_weeks()));
        let ChartOutcome::Drawn(chart) = report.weekly_mttr else {
            panic!("nine weeks with resolutions are enough");
        };
        assert_eq!(chart.rules.special_causes(), [6]);
        assert!(chart.rules.rules_at(6).contains(&Rule::BeyondLimits));
        assert!(chart.moving_range.is_some());
    }

    #[test]
    fn a_short_period_explains_why_it_has_no_control_chart() {
        let window = Window::new(edt(6, 1, 0, 0), edt(6, 29, 0, 0));
        let report = MetricsReport::build(&weekly(&[1; 4], &[30; 4]), &request(window));
        let ChartOutcome::NotEnoughData { reason } = report.weekly_counts else {
            panic!("four weeks are too few");
        };
        assert!(
            reason.contains("4 weeks") && reason.contains("at least 8"),
            "{reason}"
        );
    }

    #[test]
    fn a_one_week_period_says_one_week_not_one_weeks() {
        let window = Window::new(edt(6, 1, 0, 0), edt(6, 8, 0, 0));
        let report = MetricsReport::build(&weekly(&[1], &[30]), &request(window));
        let reasons = [report.weekly_counts, report.weekly_mttr].map(|chart| match chart {
            ChartOutcome::NotEnoughData { reason } => reason,
            ChartOutcome::Drawn(_) => panic!("one week is too few"),
        });
        assert!(
            reasons[0].starts_with("1 week wholly inside"),
            "{}",
            reasons[0]
        );
        assert!(
            reasons[1].starts_with("1 week with a resolved incident"),
            "{}",
            reasons[1]
        );
    }

    #[test]
    fn filters_narrow_the_kpis_but_not_the_choices() {
        let mut facts = weekly(&[1; 9], &[30; 9]);
        facts[0].service = Some("search".into());
        let mut req = request(nine_weeks());
        req.filter.service = Some("search".into());
        let report = MetricsReport::build(&facts, &req);
        assert_eq!(report.comparison.current.counts.incidents, 1);
        assert_eq!(report.choices.services, ["checkout", "search"]);
    }

    #[test]
    fn the_tiles_compare_with_the_window_just_before() {
        // One incident in the window, two in the nine weeks before (resolved after 10 and 20
        // minutes), so the previous MTTR is 15 minutes and the current one 30.
        let mut facts = weekly(&[1], &[30]);
        for (n, mins) in [(100, 10), (101, 20)] {
            let created = New_York
                .with_ymd_and_hms(2026, 4, 7, 9, 0, 0)
                .unwrap()
                .to_utc();
            let mut f = bare(n, created);
            f.resolved_at = Some(created + Duration::minutes(mins));
            facts.push(f);
        }
        let req = request(nine_weeks());
        assert_eq!(req.loaded_window().since, nine_weeks().previous().since);
        let report = MetricsReport::build(&facts, &req);
        assert_eq!(report.comparison.current.mttr.mean, Some(1800.0));
        assert_eq!(report.comparison.previous.mttr.mean, Some(900.0));
        assert_eq!(report.comparison.current.counts.incidents, 1);
        assert_eq!(report.comparison.previous.counts.incidents, 2);
    }

    #[test]
    fn counts_per_period_cover_the_whole_window() {
        let report = MetricsReport::build(&weekly(&[0, 1], &[30, 30]), &request(nine_weeks()));
        assert_eq!(report.per_period.len(), 9);
        assert_eq!(report.per_period.iter().map(|p| p.count).sum::<u32>(), 1);
        assert_eq!(report.per_period[1].count, 1);
    }
}
