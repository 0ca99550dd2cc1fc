//! Change against the previous period: the arrow and percentage under a KPI tile.
//!
//! A change needs both sides. Durations compare means, and a side with no durations (n = 0)
//! has no mean, so there is no change rather than a change from or to zero. A percentage also
//! needs a previous value other than zero: "up from 0" is shown as the delta alone.

use serde::{Deserialize, Serialize};

use crate::metrics::facts::IncidentFacts;
use crate::metrics::kpis::IncidentKpis;
use crate::metrics::summary::Summary;
use crate::metrics::window::Window;

/// One KPI now and before. Counts are plain numbers; durations are means in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The value over the current window; `None` when it has no durations.
    pub current: Option<f64>,
    /// The value over the previous window; `None` when it has no durations.
    pub previous: Option<f64>,
    /// `current - previous`, when both exist.
    pub delta: Option<f64>,
    /// `delta / previous * 100`, when both exist and `previous` is not zero.
    pub percent: Option<f64>,
}

impl Change {
    /// The change from `previous` to `current`.
    pub fn between(current: Option<f64>, previous: Option<f64>) -> Self {
        let delta = current.zip(previous).map(|(c, p)| c - p);
        let percent = delta
            .zip(previous.filter(|p| *p != 0.0))
            .map(|(d, p)| d / p * 100.0);
        Change {
            current,
            previous,
            delta,
            percent,
        }
    }

    /// The change of a count.
    pub fn of_counts(current: u32, previous: u32) -> Self {
        Change::between(Some(f64::from(current)), Some(f64::from(previous)))
    }

    /// The change of a duration's mean.
    pub fn of_means(current: &Summary, previous: &Summary) -> Self {
        Change::between(current.mean, previous.mean)
    }
}

/// How each tile's KPI moved.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiChanges {
    /// Incidents.
    pub incidents: Change,
    /// Still open.
    pub open: Change,
    /// Never acknowledged.
    pub unacknowledged: Change,
    /// Mean time to acknowledge.
    pub mtta: Change,
    /// Mean time to detect.
    pub mttd: Change,
    /// Mean time to mitigate.
    pub mttm: Change,
    /// Mean time to resolve.
    pub mttr: Change,
    /// Mean time between failures, all services together.
    pub mtbf: Change,
}

impl KpiChanges {
    /// How `current` moved against `previous`, which should cover the period just before.
    pub fn between(current: &IncidentKpis, previous: &IncidentKpis) -> Self {
        let (now, before) = (&current.counts, &previous.counts);
        KpiChanges {
            incidents: Change::of_counts(now.incidents, before.incidents),
            open: Change::of_counts(now.open, before.open),
            unacknowledged: Change::of_counts(now.unacknowledged, before.unacknowledged),
            mtta: Change::of_means(&current.mtta, &previous.mtta),
            mttd: Change::of_means(&current.mttd, &previous.mttd),
            mttm: Change::of_means(&current.mttm, &previous.mttm),
            mttr: Change::of_means(&current.mttr, &previous.mttr),
            mtbf: Change::of_means(&current.mtbf, &previous.mtbf),
        }
    }
}

/// A window's KPIs beside the previous window's, and how they moved: one call for a row of
/// tiles, so the two sides cannot come from mismatched windows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiComparison {
    /// Over the window asked for.
    pub current: IncidentKpis,
    /// Over the window of the same length just before.
    pub previous: IncidentKpis,
    /// From `previous` to `current`.
    pub changes: KpiChanges,
}

impl KpiComparison {
    /// Compares `window` with [`Window::previous`], the same length just before it.
    pub fn with_previous<'a, I>(facts: I, window: Window) -> Self
    where
        I: IntoIterator<Item = &'a IncidentFacts> + Clone,
    {
        let current = IncidentKpis::over(facts.clone(), window);
        let previous = IncidentKpis::over(facts, window.previous());
        let changes = KpiChanges::between(&current, &previous);
        KpiComparison {
            current,
            previous,
            changes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixture::{self, edt, est};

    fn change(current: f64, previous: f64) -> Change {
        let delta = current - previous;
        let percent = (previous != 0.0).then(|| delta / previous * 100.0);
        Change {
            current: Some(current),
            previous: Some(previous),
            delta: Some(delta),
            percent,
        }
    }

    #[test]
    fn the_week_of_9_march_against_the_week_before() {
        let week = Window::new(edt(3, 9, 0, 0), edt(3, 16, 0, 0));
        let cmp = KpiComparison::with_previous(&fixture::incidents(), week);

        // 168 hours earlier: 1 March 23:00 EST to 9 March 00:00 EDT, holding #1-#13.
        assert_eq!(
            cmp.previous.window,
            Window::new(est(3, 1, 23, 0), edt(3, 9, 0, 0))
        );
        let c = cmp.changes;
        // 12 vs 12 incidents (#1-#13 less #8; #14-#26 less #24).
        assert_eq!(c.incidents, change(12.0, 12.0));
        // Open 2 (#15, #16) vs 0: a delta of 2 and no percentage.
        assert_eq!(c.open, change(2.0, 0.0));
        assert_eq!(c.open.percent, None);
        // Unacknowledged #16 vs #6.
        assert_eq!(c.unacknowledged, change(1.0, 1.0));
        // MTTA 7 800 s / 11 vs 110 min = 6 600 s / 11 = 600 s: +18.18 %.
        assert_eq!(c.mtta, change(7_800.0 / 11.0, 600.0));
        // MTTD 750 s (#14, #18) vs 600 s (#1): +25 %.
        assert_eq!(c.mttd, change(750.0, 600.0));
        assert_eq!(c.mttd.percent, Some(25.0));
        // MTTM 1 350 s (#14, #19) vs 1 200 s (#1): +12.5 %.
        assert_eq!(c.mttm, change(1_350.0, 1_200.0));
        // MTTR 5 040 s vs 910 min = 54 600 s / 12 = 4 550 s: +490 s.
        assert_eq!(c.mttr, change(5_040.0, 4_550.0));
        // MTBF 9 280 min / 6 = 92 800 s vs the first week's gaps, checkout 240 2190 435 3155
        // 1150 590 1210 and search 690 1860 3790: 15 310 min / 10 = 91 860 s.
        assert_eq!(c.mtbf, change(92_800.0, 91_860.0));
    }

    #[test]
    fn a_side_without_durations_has_no_change() {
        let some = Summary::of_seconds([60, 120]);

        let from_nothing = Change::of_means(&some, &Summary::EMPTY);
        let to_nothing = Change::of_means(&Summary::EMPTY, &some);

        assert_eq!((from_nothing.delta, from_nothing.percent), (None, None));
        assert_eq!(from_nothing.current, Some(90.0));
        assert_eq!((to_nothing.delta, to_nothing.percent), (None, None));
    }

    #[test]
    fn a_quiet_week_after_a_busy_one_is_down_a_hundred_percent() {
        let quiet = Window::new(edt(3, 16, 0, 0), edt(3, 23, 0, 0));
        let cmp = KpiComparison::with_previous(&fixture::incidents(), quiet);

        assert_eq!(cmp.changes.incidents, change(0.0, 12.0));
        assert_eq!(cmp.changes.incidents.percent, Some(-100.0));
        assert_eq!(cmp.changes.mttr.delta, None);
    }
}
