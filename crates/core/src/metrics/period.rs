//! Calendar periods in a named zone, and incident counts per period.
//!
//! A period is named by the local date it starts on, never by a UTC instant or a fixed number of
//! hours: in New York, 2026-03-08 lasts 23 hours and 2026-11-01 lasts 25, and an incident at
//! 23:30 local on either belongs to that day. Converting each instant to the zone's local date
//! first, and only then bucketing, gets this right without special cases.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::metrics::facts::{counted, IncidentFacts};

/// A calendar bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// A local day, midnight to midnight.
    Day,
    /// An ISO 8601 week: Monday to Sunday, the convention on-call rotations and most of Vigil's
    /// users plan by (a Sunday-first week would need a parameter, not a second enum).
    Week,
    /// A calendar month.
    Month,
}

impl Period {
    /// The first day of the period holding `date`.
    pub fn start_of(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => date,
            Period::Week => {
                let back = Days::new(u64::from(date.weekday().num_days_from_monday()));
                // Only the first days chrono can represent have no Monday before them.
                date.checked_sub_days(back).unwrap_or(NaiveDate::MIN)
            }
            Period::Month => date.with_day(1).unwrap_or(date),
        }
    }

    /// The first day of the period holding `at`, read in `zone`.
    pub fn containing(self, at: DateTime<Utc>, zone: Tz) -> NaiveDate {
        self.start_of(at.with_timezone(&zone).date_naive())
    }

    /// The first day of the period after the one holding `date`; `None` past chrono's last date.
    pub fn next(self, date: NaiveDate) -> Option<NaiveDate> {
        let start = self.start_of(date);
        match self {
            Period::Day => start.checked_add_days(Days::new(1)),
            Period::Week => start.checked_add_days(Days::new(7)),
            Period::Month => start.checked_add_months(Months::new(1)),
        }
    }

    /// The first day of the period before the one holding `date`; `None` before chrono's first.
    pub fn previous(self, date: NaiveDate) -> Option<NaiveDate> {
        let start = self.start_of(date);
        match self {
            Period::Day => start.checked_sub_days(Days::new(1)),
            Period::Week => start.checked_sub_days(Days::new(7)),
            Period::Month => start.checked_sub_months(Months::new(1)),
        }
    }

    /// Every period start from the period holding `first` through the one holding `last`, so a
    /// chart shows quiet periods as zero instead of leaving them out.
    pub fn starts_through(self, first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
        let last = self.start_of(last);
        let mut starts = Vec::new();
        let mut current = Some(self.start_of(first));
        while let Some(start) = current.filter(|s| *s <= last) {
            starts.push(start);
            current = self.next(start);
        }
        starts
    }
}

/// How many incidents were created in one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodCount {
    /// The period's first local day.
    pub start: NaiveDate,
    /// Incidents created in it, merged-away ones left out.
    pub count: u32,
}

/// Incidents per period by creation, in `zone`, with every period from the first incident's to
/// the last one's present (quiet ones as 0). No incidents give no periods.
pub fn period_counts<'a, I>(facts: I, period: Period, zone: Tz) -> Vec<PeriodCount>
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    let mut counts: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    for incident in counted(facts) {
        *counts
            .entry(period.containing(incident.created_at, zone))
            .or_default() += 1;
    }

    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    period
        .starts_through(first, last)
        .into_iter()
        .map(|start| PeriodCount {
            start,
            count: counts.get(&start).copied().unwrap_or(0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::New_York;

    use super::*;
    use crate::metrics::fixture::{self, edt, est};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    fn counts(period: Period) -> Vec<(NaiveDate, u32)> {
        period_counts(&fixture::incidents(), period, New_York)
            .into_iter()
            .map(|c| (c.start, c.count))
            .collect()
    }

    #[test]
    fn a_week_starts_on_monday_and_a_month_on_the_first() {
        // 2026-03-08 is a Sunday: its ISO week began on Monday 2 March.
        assert_eq!(Period::Week.start_of(date(2026, 3, 8)), date(2026, 3, 2));
        assert_eq!(Period::Week.start_of(date(2026, 3, 9)), date(2026, 3, 9));
        assert_eq!(
            Period::Month.next(date(2026, 1, 31)),
            Some(date(2026, 2, 1))
        );
        assert_eq!(
            Period::Week.previous(date(2026, 3, 4)),
            Some(date(2026, 2, 23))
        );
    }

    #[test]
    fn a_day_of_23_hours_buckets_half_past_midnight_and_half_past_eleven_together() {
        // 2026-03-08 in New York: 00:30 EST is 05:30 UTC, 23:30 EDT is 03:30 UTC on the 9th.
        let early = fixture::bare(1, est(3, 8, 0, 30));
        let late = fixture::bare(2, edt(3, 8, 23, 30));

        let days = period_counts([&early, &late], Period::Day, New_York);

        assert_eq!(
            days,
            vec![PeriodCount {
                start: date(2026, 3, 8),
                count: 2
            }]
        );
    }

    #[test]
    fn days_in_the_fixture_are_counted_in_new_york_with_quiet_days_as_zero() {
        let days = counts(Period::Day);

        // 2 March (day 61 of 2026) through 2 November (day 306): 306 - 61 + 1 = 246 days.
        assert_eq!(days.len(), 246);
        assert_eq!(
            days.iter().map(|d| d.1).sum::<u32>(),
            28,
            "30 incidents less 2 merged"
        );
        // #4 at 23:30 on the 3rd stays on the 3rd; #8 and #24 are merged away; the 8th (23 h)
        // holds #11 00:30 EST, #12 01:50 EST and #13 23:30 EDT.
        let march: Vec<u32> = days[..14].iter().map(|d| d.1).collect();
        assert_eq!(march, [2, 2, 2, 1, 1, 1, 3, 2, 2, 3, 2, 1, 1, 1]);
        assert!(days[14..243].iter().all(|d| d.1 == 0));
        // 31 October holds #27 (23:50 EDT); 1 November (25 h) holds #28 01:30 EDT and #29 01:30
        // EST, the same wall-clock time an hour apart; 2 November holds #30.
        assert_eq!(
            days[243..],
            [
                (date(2026, 10, 31), 1),
                (date(2026, 11, 1), 2),
                (date(2026, 11, 2), 1)
            ]
        );
    }

    #[test]
    fn weeks_in_the_fixture_run_monday_to_sunday_in_new_york() {
        let weeks = counts(Period::Week);

        // Mondays 2 March through 2 November: 245 days / 7 = 35 steps, so 36 weeks.
        assert_eq!(weeks.len(), 36);
        // Week of 2 March: #1-#13 less merged #8 = 12. Week of 9 March: #14-#26 less #24 = 12.
        assert_eq!(weeks[..2], [(date(2026, 3, 2), 12), (date(2026, 3, 9), 12)]);
        // Week of 26 October: #27 (Saturday), #28 and #29 (Sunday) = 3; week of 2 November: #30.
        assert_eq!(
            weeks[34..],
            [(date(2026, 10, 26), 3), (date(2026, 11, 2), 1)]
        );
        assert_eq!(weeks.iter().map(|w| w.1).sum::<u32>(), 28);
    }

    #[test]
    fn months_in_the_fixture_follow_the_local_calendar() {
        // #27 is 23:50 on 31 October in New York but 03:50 UTC on 1 November: October's.
        assert_eq!(
            counts(Period::Month),
            [
                (date(2026, 3, 1), 24),
                (date(2026, 4, 1), 0),
                (date(2026, 5, 1), 0),
                (date(2026, 6, 1), 0),
                (date(2026, 7, 1), 0),
                (date(2026, 8, 1), 0),
                (date(2026, 9, 1), 0),
                (date(2026, 10, 1), 1),
                (date(2026, 11, 1), 3),
            ]
        );
    }

    #[test]
    fn the_same_incidents_bucketed_in_utc_move_across_midnight() {
        let utc_months = period_counts(&fixture::incidents(), Period::Month, chrono_tz::UTC);

        // In UTC, #27 (03:50 UTC on 1 November) leaves October: 24 in March, 4 in November.
        assert_eq!(utc_months.first().map(|c| c.count), Some(24));
        assert_eq!(utc_months.last().map(|c| c.count), Some(4));
        assert_eq!(utc_months.len(), 9);
    }

    #[test]
    fn no_incidents_give_no_periods() {
        assert_eq!(period_counts([], Period::Week, New_York), vec![]);
    }
}
