//! Weekly series for the control charts of `vigil_core::spc`: one point per ISO week, named by its
//! Monday in the chosen zone, incidents placed by creation.
//!
//! The count series has every week from the first incident's to the last one's, quiet weeks as
//! 0, because a week without incidents is a real observation of the process. The MTTR series
//! leaves out weeks without a resolved incident: their mean does not exist, and a 0 there would
//! read as a week of instant fixes and drag the control limits down.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::metrics::facts::{counted, IncidentFacts};
use crate::metrics::period::{period_counts, Period};
use crate::metrics::summary::Summary;

/// Incidents created per week, `(Monday, count)`, every week present.
pub fn weekly_counts<'a, I>(facts: I, zone: Tz) -> Vec<(NaiveDate, u32)>
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    period_counts(facts, Period::Week, zone)
        .into_iter()
        .map(|c| (c.start, c.count))
        .collect()
}

/// Mean time to resolve per week of creation, `(Monday, mean seconds)`, for weeks with at least
/// one resolved incident. Open incidents wait for their resolution and then join the week they
/// were created in, so a recent week's point can still move.
pub fn weekly_mttr<'a, I>(facts: I, zone: Tz) -> Vec<(NaiveDate, f64)>
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    let mut by_week: BTreeMap<NaiveDate, Vec<i64>> = BTreeMap::new();
    for incident in counted(facts) {
        if let Some(seconds) = incident.seconds_to_resolve() {
            let week = Period::Week.containing(incident.created_at, zone);
            by_week.entry(week).or_default().push(seconds);
        }
    }
    by_week
        .into_iter()
        .filter_map(|(week, seconds)| Summary::of_seconds(seconds).mean.map(|mean| (week, mean)))
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::New_York;

    use super::*;
    use crate::metrics::fixture;

    fn monday(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a real date")
    }

    #[test]
    fn weekly_mttr_of_the_fixture_is_one_mean_per_week_with_resolutions() {
        let series = weekly_mttr(&fixture::incidents(), New_York);

        // Week of 2 March: 12 resolved (#1-#13 less merged #8), 910 min = 54 600 s / 12.
        // Week of 9 March: 10 resolved (#15, #16 open; #24 merged), 840 min = 50 400 s / 10.
        // Week of 26 October: #27 200 (Saturday 31st local, although 1 November in UTC),
        // #28 60, #29 30 = 290 min = 17 400 s / 3. Week of 2 November: #30 10 min = 600 s.
        let expected = vec![
            (monday(3, 2), 4_550.0),
            (monday(3, 9), 5_040.0),
            (monday(10, 26), 17_400.0 / 3.0),
            (monday(11, 2), 600.0),
        ];
        assert_eq!(series, expected);
    }

    #[test]
    fn weekly_counts_of_the_fixture_keep_quiet_weeks_as_zero() {
        let series = weekly_counts(&fixture::incidents(), New_York);

        // 36 Mondays from 2 March to 2 November; 12 + 12 + 3 + 1 = 28 incidents.
        assert_eq!(series.len(), 36);
        assert_eq!(series[..2], [(monday(3, 2), 12), (monday(3, 9), 12)]);
        assert_eq!(series[2], (monday(3, 16), 0));
        assert_eq!(series[34..], [(monday(10, 26), 3), (monday(11, 2), 1)]);
        assert!(series[2..34].iter().all(|w| w.1 == 0));
    }

    #[test]
    fn a_series_of_no_incidents_is_empty() {
        assert_eq!(weekly_counts([], New_York), vec![]);
        assert_eq!(weekly_mttr([], New_York), vec![]);
    }
}
