//! The span a set of KPIs is computed over: a half-open range of UTC instants.
//!
//! KPIs are compared period against period, so the span is half-open (`[since, until)`): two
//! adjacent windows share their boundary and no incident falls in both or neither. A window
//! made from a local calendar period starts at that zone's local midnight, whatever its length.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::metrics::period::Period;

/// The instants from `since` (included) to `until` (excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    /// The first instant inside.
    pub since: DateTime<Utc>,
    /// The first instant after.
    pub until: DateTime<Utc>,
}

impl Window {
    /// The window from `since` up to, not including, `until`.
    pub fn new(since: DateTime<Utc>, until: DateTime<Utc>) -> Self {
        Window { since, until }
    }

    /// Every instant chrono can represent; for KPIs over all the facts given.
    pub fn all_time() -> Self {
        Window {
            since: DateTime::<Utc>::MIN_UTC,
            until: DateTime::<Utc>::MAX_UTC,
        }
    }

    /// The local calendar period starting on `start`'s period in `zone`, from its local midnight
    /// to the next period's: a DST day gives a 23- or 25-hour window.
    pub fn of_period(period: Period, start: NaiveDate, zone: Tz) -> Self {
        let since = local_midnight(period.start_of(start), zone);
        let until = period
            .next(start)
            .map_or(DateTime::<Utc>::MAX_UTC, |next| local_midnight(next, zone));
        Window { since, until }
    }

    /// Whether `at` falls inside.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.since <= at && at < self.until
    }

    /// How long it lasts (zero for an inverted window).
    pub fn length(&self) -> TimeDelta {
        (self.until - self.since).max(TimeDelta::zero())
    }

    /// The window of the same length ending where this one starts: the "previous period" a KPI
    /// tile compares against. For a local calendar period whose length changes with DST, use
    /// [`Window::of_period`] with [`Period::previous`] instead.
    pub fn previous(&self) -> Self {
        let since = self
            .since
            .checked_sub_signed(self.length())
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        Window {
            since,
            until: self.since,
        }
    }
}

/// The instant `date` begins in `zone`. Where the zone skips midnight (Santiago's clocks go from
/// 23:59:59 to 01:00 in September), the day begins at the first local time that exists; where
/// midnight happens twice, at the earlier one.
pub fn local_midnight(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    // Steps of a quarter hour find every gap's end, since no zone has shifted its clocks off a
    // quarter hour; 48 hours also cover a day skipped whole (Apia, 30 December 2011).
    (0..=192)
        .filter_map(|quarter| {
            let local = midnight.checked_add_signed(TimeDelta::minutes(15 * quarter))?;
            zone.from_local_datetime(&local).earliest()
        })
        .next()
        .map_or_else(|| midnight.and_utc(), |at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use chrono_tz::America::{New_York, Santiago};

    use super::*;
    use crate::metrics::fixture::{edt, est};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    #[test]
    fn the_spring_forward_day_in_new_york_lasts_23_hours() {
        let day = Window::of_period(Period::Day, date(2026, 3, 8), New_York);

        assert_eq!(day.since, est(3, 8, 0, 0));
        assert_eq!(day.until, edt(3, 9, 0, 0));
        assert_eq!(day.length(), TimeDelta::hours(23));
        assert!(day.contains(est(3, 8, 0, 30)) && day.contains(edt(3, 8, 23, 30)));
    }

    #[test]
    fn the_fall_back_day_in_new_york_lasts_25_hours() {
        let day = Window::of_period(Period::Day, date(2026, 11, 1), New_York);

        assert_eq!(day.length(), TimeDelta::hours(25));
        assert!(day.contains(edt(11, 1, 1, 30)) && day.contains(est(11, 1, 1, 30)));
    }

    #[test]
    fn a_week_window_spans_monday_to_monday_across_the_change() {
        let week = Window::of_period(Period::Week, date(2026, 3, 4), New_York);

        // 7 days less the hour skipped on Sunday 8 March: 168 - 1 = 167 hours.
        assert_eq!((week.since, week.until), (est(3, 2, 0, 0), edt(3, 9, 0, 0)));
        assert_eq!(week.length(), TimeDelta::hours(167));
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_when_the_clocks_jump() {
        // Chile springs forward at 04:00 UTC on Sunday 6 September 2026: 24:00 -04 becomes
        // 01:00 -03, so that day begins at 04:00 UTC and lasts 23 hours.
        let day = Window::of_period(Period::Day, date(2026, 9, 6), Santiago);

        assert_eq!(
            day.since,
            Utc.with_ymd_and_hms(2026, 9, 6, 4, 0, 0).unwrap()
        );
        assert_eq!(day.length(), TimeDelta::hours(23));
    }

    #[test]
    fn the_previous_window_has_the_same_length_and_meets_this_one() {
        let this = Window::new(edt(3, 9, 0, 0), edt(3, 16, 0, 0));
        let before = this.previous();

        assert_eq!(before.until, this.since);
        assert_eq!(before.length(), this.length());
        assert!(!before.contains(this.since) && this.contains(this.since));
    }
}
