//! The four per-incident durations: time to acknowledge, detect, mitigate and resolve.
//!
//! Each reads two stored instants of one incident and nothing else; in particular never the
//! clock, so an open incident has no time to resolve rather than a growing one, and a resolved
//! incident's numbers never move. Incidents lacking either instant are left out of that duration
//! alone, and [`IncidentCounts`](crate::metrics::IncidentCounts) says how many that was.

use crate::metrics::facts::{counted, IncidentFacts};
use crate::metrics::summary::Summary;

/// Mean time to acknowledge: creation to first acknowledgement, over acknowledged incidents.
/// A later unacknowledgement does not move the first acknowledgement.
pub fn mtta<'a, I>(facts: I) -> Summary
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    Summary::of_seconds(counted(facts).filter_map(IncidentFacts::seconds_to_acknowledge))
}

/// Mean time to detect: impact start to creation, over incidents whose impact start is known.
pub fn mttd<'a, I>(facts: I) -> Summary
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    Summary::of_seconds(counted(facts).filter_map(IncidentFacts::seconds_to_detect))
}

/// Mean time to mitigate: creation to first mitigation, over incidents that record one.
pub fn mttm<'a, I>(facts: I) -> Summary
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    Summary::of_seconds(counted(facts).filter_map(IncidentFacts::seconds_to_mitigate))
}

/// Mean time to resolve: creation to the last resolution, over resolved incidents; a reopened
/// incident counts once, with its final resolution.
pub fn mttr<'a, I>(facts: I) -> Summary
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    Summary::of_seconds(counted(facts).filter_map(IncidentFacts::seconds_to_resolve))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixture;

    const MIN: i64 = 60;

    #[test]
    fn mtta_of_the_fixture_leaves_out_the_merged_and_the_never_acknowledged() {
        let s = mtta(&fixture::incidents());

        // 30 less merged #8 #24, less unacknowledged #6 #16: n = 26. Minutes to acknowledge:
        // week 1: 5+2+10+15+4+3+6+30+10+20+5 = 110 (#9's first ack at +6, not its re-ack
        // at +12; #12's 20 real minutes read 01:50 EST -> 03:10 EDT on the wall);
        // week 2: 8+12+3+7+2+9+4+10+20+45+10 = 130 (#15 is open but acknowledged);
        // November: 10+5+10+1 = 26. Total 266 min = 15 960 s.
        // Sorted: 1 2 2 3 3 4 4 5 5 5 6 7 [8] 9 10 10 10 10 10 10 12 15 20 [20] 30 45:
        // median rank ceil(13.0) = 13 -> 8 min; p90 rank ceil(23.4) = 24 -> 20 min.
        let expected = Summary {
            n: 26,
            mean: Some(15_960.0 / 26.0),
            median: Some(8 * MIN),
            p90: Some(20 * MIN),
        };
        assert_eq!(s, expected);
    }

    #[test]
    fn mttd_of_the_fixture_reads_only_incidents_with_a_known_impact_start() {
        let s = mttd(&fixture::incidents());

        // #1 10 min, #14 5 min, #18 20 min before creation: 35 min = 2 100 s over 3 = 700 s.
        // Sorted 5 [10] [20]: median rank 2 -> 10 min; p90 rank ceil(2.7) = 3 -> 20 min.
        let expected = Summary {
            n: 3,
            mean: Some(700.0),
            median: Some(10 * MIN),
            p90: Some(20 * MIN),
        };
        assert_eq!(s, expected);
    }

    #[test]
    fn mttm_of_the_fixture_reads_only_incidents_with_a_mitigation() {
        let s = mttm(&fixture::incidents());

        // #1 20 min, #14 15 min, #19 30 min: 65 min = 3 900 s over 3 = 1 300 s.
        // Sorted 15 [20] [30]: median rank 2 -> 20 min; p90 rank 3 -> 30 min.
        let expected = Summary {
            n: 3,
            mean: Some(1_300.0),
            median: Some(20 * MIN),
            p90: Some(30 * MIN),
        };
        assert_eq!(s, expected);
    }

    #[test]
    fn mttr_of_the_fixture_leaves_out_the_open_and_takes_the_last_resolution() {
        let s = mttr(&fixture::incidents());

        // 28 counted less open #15 #16: n = 26. Minutes to resolve:
        // week 1: 60+30+120+90+45+25+80+50+240+100+30+40 = 910 (#4 resolves at 01:00 the next
        // day; #7 is reopened, resolved for good at +80, not its first +20; #11 runs 100 real
        // minutes across the skipped hour, 00:30 EST -> 03:10 EDT);
        // week 2: 70+33+47+120+20+200+60+180+90+20 = 840 (#21 reopened twice, last at +200);
        // November: 200+60+30+10 = 300 (#28 01:30 EDT -> 01:30 EST is 60 min, not 0).
        // Total 2 050 min = 123 000 s.
        // Sorted: 10 20 20 25 30 30 30 33 40 45 47 50 [60] 60 60 70 80 90 90 100 120 120 180
        // [200] 200 240: median rank 13 -> 60 min; p90 rank 24 -> 200 min.
        let expected = Summary {
            n: 26,
            mean: Some(123_000.0 / 26.0),
            median: Some(60 * MIN),
            p90: Some(200 * MIN),
        };
        assert_eq!(s, expected);
    }

    #[test]
    fn durations_of_no_incidents_are_empty_summaries() {
        assert_eq!(mttr([]), Summary::EMPTY);
        assert_eq!(mtta([]), Summary::EMPTY);
    }
}
