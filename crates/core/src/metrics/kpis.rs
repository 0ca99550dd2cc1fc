//! Every window KPI at once: what a dashboard's row of tiles shows for one period.
//!
//! Incidents are selected by creation time, the one instant every incident has: selecting by
//! resolution would leave the open ones out of their own period, and selecting by overlap would
//! count a long incident in every period it touches.

use serde::{Deserialize, Serialize};

use crate::metrics::counts::IncidentCounts;
use crate::metrics::durations::{mtta, mttd, mttm, mttr};
use crate::metrics::facts::IncidentFacts;
use crate::metrics::mtbf::{mtbf, mtbf_by_service, ServiceMtbf};
use crate::metrics::summary::Summary;
use crate::metrics::window::Window;

/// The KPIs of the incidents created in one window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentKpis {
    /// The window they cover.
    pub window: Window,
    /// Counts, including those the durations leave out.
    pub counts: IncidentCounts,
    /// Time to acknowledge.
    pub mtta: Summary,
    /// Time to detect.
    pub mttd: Summary,
    /// Time to mitigate.
    pub mttm: Summary,
    /// Time to resolve.
    pub mttr: Summary,
    /// Time between failures, all services' gaps together.
    pub mtbf: Summary,
    /// Time between failures per service.
    pub mtbf_by_service: Vec<ServiceMtbf>,
}

impl IncidentKpis {
    /// The KPIs of the incidents created in `window`; the rest of `facts` is ignored.
    pub fn over<'a, I>(facts: I, window: Window) -> Self
    where
        I: IntoIterator<Item = &'a IncidentFacts>,
    {
        let inside: Vec<&IncidentFacts> = facts
            .into_iter()
            .filter(|f| window.contains(f.created_at))
            .collect();
        let inside = || inside.iter().copied();

        IncidentKpis {
            window,
            counts: IncidentCounts::of(inside()),
            mtta: mtta(inside()),
            mttd: mttd(inside()),
            mttm: mttm(inside()),
            mttr: mttr(inside()),
            mtbf: mtbf(inside()),
            mtbf_by_service: mtbf_by_service(inside()),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use chrono_tz::America::New_York;

    use super::*;
    use crate::metrics::fixture::{self, edt};
    use crate::metrics::period::Period;

    const MIN: i64 = 60;

    fn week_of_9_march() -> Window {
        let monday = NaiveDate::from_ymd_opt(2026, 3, 9).expect("a real date");
        Window::of_period(Period::Week, monday, New_York)
    }

    #[test]
    fn kpis_over_all_time_agree_with_each_kpi_on_its_own() {
        let facts = fixture::incidents();
        let kpis = IncidentKpis::over(&facts, Window::all_time());

        assert_eq!(kpis.counts, IncidentCounts::of(&facts));
        assert_eq!(kpis.mttr, mttr(&facts));
        assert_eq!(kpis.mtbf_by_service, mtbf_by_service(&facts));
    }

    #[test]
    fn kpis_of_one_week_take_only_the_incidents_created_in_it() {
        let kpis = IncidentKpis::over(&fixture::incidents(), week_of_9_march());

        assert_eq!(kpis.window, Window::new(edt(3, 9, 0, 0), edt(3, 16, 0, 0)));
        // #14-#26 less merged #24 = 12; #15 and #16 open; #16 never acknowledged.
        let c = &kpis.counts;
        assert_eq!(
            (c.incidents, c.open, c.unacknowledged, c.reopened),
            (12, 2, 1, 1)
        );
        // Resolved: #14 70, #17 33, #18 47, #19 120, #20 20, #21 200, #22 60, #23 180, #25 90,
        // #26 20 = 840 min = 50 400 s over 10 = 5 040 s. Sorted 20 20 33 47 [60] 70 90 120
        // [180] 200: median rank 5 -> 60 min; p90 rank 9 -> 180 min.
        let mttr = Summary {
            n: 10,
            mean: Some(5_040.0),
            median: Some(60 * MIN),
            p90: Some(180 * MIN),
        };
        assert_eq!(kpis.mttr, mttr);
        // Acknowledged: 8+12+3+7+2+9+4+10+20+45+10 = 130 min = 7 800 s over 11. Sorted
        // 2 3 4 7 8 [9] 10 10 12 [20] 45: median rank 6 -> 9; p90 rank ceil(9.9) = 10 -> 20.
        let mtta = Summary {
            n: 11,
            mean: Some(7_800.0 / 11.0),
            median: Some(9 * MIN),
            p90: Some(20 * MIN),
        };
        assert_eq!(kpis.mtta, mtta);
        // Impact known for #14 (5) and #18 (20): 25 min = 1 500 s over 2 = 750 s.
        let mttd = Summary {
            n: 2,
            mean: Some(750.0),
            median: Some(5 * MIN),
            p90: Some(20 * MIN),
        };
        assert_eq!(kpis.mttd, mttd);
        // Mitigated #14 (15) and #19 (30): 45 min = 2 700 s over 2 = 1 350 s.
        let mttm = Summary {
            n: 2,
            mean: Some(1_350.0),
            median: Some(15 * MIN),
            p90: Some(30 * MIN),
        };
        assert_eq!(kpis.mttm, mttm);
        // Gaps inside the week only (earlier resolutions are outside it): checkout #16 is first
        // and open, #17 restarts the clock, then 1 617, 1 585, 2 405; search #14 is first, then
        // #15 500, open, #18 restarts, then 1 153 and 2 020. 9 280 min over 6. Sorted 500 1153
        // [1585] 1617 2020 [2405]: median rank 3 -> 1 585; p90 rank ceil(5.4) = 6 -> 2 405.
        let mtbf = Summary {
            n: 6,
            mean: Some((9_280 * MIN) as f64 / 6.0),
            median: Some(1_585 * MIN),
            p90: Some(2_405 * MIN),
        };
        assert_eq!(kpis.mtbf, mtbf);
    }

    #[test]
    fn an_incident_at_the_closing_instant_belongs_to_the_next_window() {
        let opening = fixture::bare(1, edt(3, 9, 0, 0));
        let closing = fixture::bare(2, edt(3, 16, 0, 0));
        let a_minute_before = fixture::bare(3, edt(3, 8, 23, 59));

        let kpis = IncidentKpis::over([&opening, &closing, &a_minute_before], week_of_9_march());

        assert_eq!(kpis.counts.incidents, 1);
    }
}
