//! Mean time between failures, per service: how long a service ran between recovering from one
//! incident and failing into the next.
//!
//! A gap runs from a resolution to the creation of the service's next incident, taking the
//! service's incidents in order of creation. Two situations need a rule, and both follow from
//! asking "was the service up during this gap?":
//!
//! - Overlaps: an incident created before the service recovered from the earlier ones (before
//!   the latest resolution so far) is part of the same outage. It adds no gap, neither negative
//!   nor zero, and the service counts as recovered only at the later of the resolutions. Taking
//!   `max(0, gap)` instead would add zero-length "uptimes" that pull the mean toward zero every
//!   time an alert storm opens several incidents at once.
//! - Open incidents: the gap before one counts (the service was up until it failed), but none
//!   starts from it, since it has not recovered. The next incident after it adds no gap; the
//!   clock restarts at the next resolution. This keeps one forgotten open incident from
//!   erasing the service's MTBF for good.
//!
//! Incidents without a service are left out: there is nothing they are failures of. Gaps are
//! measured between the incidents given only, so the first incident of a window has no gap.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::metrics::facts::{counted, elapsed_seconds, IncidentFacts};
use crate::metrics::summary::Summary;

/// One service's time between failures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceMtbf {
    /// The service.
    pub service: String,
    /// Its gaps, in seconds.
    pub summary: Summary,
}

/// Time between failures for each service with at least one incident, ordered by service name
/// (a service with a single incident has an empty summary).
pub fn mtbf_by_service<'a, I>(facts: I) -> Vec<ServiceMtbf>
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    gaps_by_service(facts)
        .into_iter()
        .map(|(service, gaps)| ServiceMtbf {
            service: service.to_owned(),
            summary: Summary::of_seconds(gaps),
        })
        .collect()
}

/// Time between failures over the gaps of all services together: the figure for one tile.
pub fn mtbf<'a, I>(facts: I) -> Summary
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    Summary::of_seconds(gaps_by_service(facts).into_values().flatten())
}

/// Each service's gaps in seconds, by the rules in the module docs.
fn gaps_by_service<'a, I>(facts: I) -> BTreeMap<&'a str, Vec<i64>>
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    let mut by_service: BTreeMap<&str, Vec<&IncidentFacts>> = BTreeMap::new();
    for incident in counted(facts) {
        if let Some(service) = incident.service.as_deref() {
            by_service.entry(service).or_default().push(incident);
        }
    }

    by_service
        .into_iter()
        .map(|(service, mut incidents)| {
            // The id breaks ties so equal creation times give the same gaps in any input order.
            incidents.sort_by_key(|f| (f.created_at, f.id));
            (service, gaps(&incidents))
        })
        .collect()
}

/// The gaps of one service's incidents, sorted by creation.
fn gaps(incidents: &[&IncidentFacts]) -> Vec<i64> {
    let mut gaps = Vec::new();
    // When the service last came back up; `None` before any resolution, or while an open
    // incident keeps it down.
    let mut up_since: Option<DateTime<Utc>> = None;
    for incident in incidents {
        let overlaps = up_since.is_some_and(|up| incident.created_at < up);
        match up_since {
            Some(up) if !overlaps => gaps.push(elapsed_seconds(up, incident.created_at)),
            _ => {}
        }
        up_since = match (incident.resolved_at, overlaps) {
            (None, _) => None,
            (Some(resolved), true) => up_since.max(Some(resolved)),
            (Some(resolved), false) => Some(resolved),
        };
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixture::{self, edt, Shape};

    const MIN: i64 = 60;

    fn service(name: &str) -> Option<Summary> {
        mtbf_by_service(&fixture::incidents())
            .into_iter()
            .find(|s| s.service == name)
            .map(|s| s.summary)
    }

    #[test]
    fn checkout_gaps_skip_the_overlap_and_restart_after_the_open_incident() {
        // From each resolution to the next creation, in minutes (dates 2026, New York):
        // #1 10:00 -> #2 14:00 (2 Mar) = 240; #2 14:30 -> #5 03:00 (4 Mar) = 1 440 + 750 = 2 190;
        // #5 03:45 -> #6 11:00 = 435; #6 11:25 (4th) -> #9 16:00 (6th) = 2 880 + 275 = 3 155;
        // #9 16:50 -> #10 12:00 (7th) = 430 + 720 = 1 150; #10 16:00 EST = 21:00 UTC ->
        // #12 06:50 UTC (8th) = 180 + 410 = 590; #12 07:20 UTC -> #13 03:30 UTC (9th) = 1 000 +
        // 210 = 1 210; #13 04:10 UTC -> #16 06:00 UTC (10th) = 1 440 + 110 = 1 550.
        // #16 is open: #17 adds no gap and restarts the clock at its resolution, 10:33.
        // #17 10:33 (10th) -> #19 13:30 (11th) = 1 440 + 177 = 1 617; #20 14:00 starts while
        // #19 (until 15:30) is open: no gap, and recovery stays 15:30, not #20's 14:20.
        // #19 15:30 -> #22 17:55 (12th) = 1 585; #22 18:55 -> #25 11:00 (14th) = 1 440 + 965 =
        // 2 405; #25 16:30 UTC (14 Mar) -> #27 03:50 UTC (1 Nov) = 231 days + 680 = 333 320;
        // #27 07:10 UTC -> #30 14:00 UTC (2 Nov) = 1 440 + 410 = 1 850. Merged #24 is skipped.
        // n = 13, sum = 351 297 min. Sorted: 240 435 590 1150 1210 1550 [1585] 1617 1850 2190
        // 2405 [3155] 333320: median rank 7 -> 1 585; p90 rank ceil(11.7) = 12 -> 3 155.
        let expected = Summary {
            n: 13,
            mean: Some((351_297 * MIN) as f64 / 13.0),
            median: Some(1_585 * MIN),
            p90: Some(3_155 * MIN),
        };
        assert_eq!(service("checkout"), Some(expected));
    }

    #[test]
    fn search_gaps_count_a_zero_gap_at_the_instant_of_recovery() {
        // #3 12:00 -> #4 23:30 (3 Mar) = 690; #4 01:00 (4th) -> #7 08:00 (5th) = 1 860;
        // #7 14:20 UTC (5th) -> #11 05:30 UTC (8th) = 2 880 + 580 + 330 = 3 790;
        // #11 07:10 UTC -> #14 13:30 UTC (9th) = 1 440 + 380 = 1 820; #14 10:40 -> #15 19:00 =
        // 500; #15 is open, so #18 adds none; #18 13:47 (11th) -> #21 09:00 (12th) = 1 153;
        // #21 12:20 -> #23 22:00 (13th) = 1 440 + 580 = 2 020; #23 05:00 UTC (14 Mar) -> #28
        // 05:30 UTC (1 Nov) = 232 days + 30 = 334 110; #28 resolves 06:30 UTC, the instant #29
        // is created: 0. Merged #8 is skipped.
        // n = 9, sum = 345 943 min. Sorted: 0 500 690 1153 [1820] 1860 2020 3790 [334110]:
        // median rank 5 -> 1 820; p90 rank ceil(8.1) = 9 -> 334 110.
        let expected = Summary {
            n: 9,
            mean: Some((345_943 * MIN) as f64 / 9.0),
            median: Some(1_820 * MIN),
            p90: Some(334_110 * MIN),
        };
        assert_eq!(service("search"), Some(expected));
    }

    #[test]
    fn pooled_mtbf_takes_the_gaps_of_both_services_and_ignores_the_unnamed_one() {
        // 13 + 9 = 22 gaps, 351 297 + 345 943 = 697 240 min; #26 has no service.
        // Median rank 11 of the merged order -> 1 585; p90 rank ceil(19.8) = 20 -> 3 790.
        let expected = Summary {
            n: 22,
            mean: Some((697_240 * MIN) as f64 / 22.0),
            median: Some(1_585 * MIN),
            p90: Some(3_790 * MIN),
        };
        assert_eq!(mtbf(&fixture::incidents()), expected);
        assert_eq!(mtbf_by_service(&fixture::incidents()).len(), 2);
    }

    #[test]
    fn a_gap_nested_inside_a_long_outage_is_not_counted() {
        // A runs 09:00-17:00; B 10:00-10:30 and C 12:00-12:10 happen during it; D at 18:00.
        // Measuring from B's resolution would claim 90 min of uptime at 10:30-12:00.
        let a = fixture::bare(1, edt(4, 1, 9, 0)).resolved_after(480);
        let b = fixture::bare(2, edt(4, 1, 10, 0)).resolved_after(30);
        let c = fixture::bare(3, edt(4, 1, 12, 0)).resolved_after(10);
        let d = fixture::bare(4, edt(4, 1, 18, 0)).resolved_after(10);

        let s = mtbf([&d, &b, &a, &c]);

        assert_eq!((s.n, s.median), (1, Some(60 * MIN)), "only 17:00 -> 18:00");
    }
}
