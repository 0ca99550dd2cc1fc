//! The words people read for times: instants in their own time zone, durations in the largest
//! two units. Kept free of any web API so the rules are unit-tested natively; in the window,
//! [`chrono::Local`] reads the zone from the browser (chrono's `wasmbind` feature).

use std::fmt::Display;

use chrono::{DateTime, Local, TimeZone, Utc};

/// What a table cell shows where there is no value (an open incident's time to resolve).
pub const MISSING: &str = "—";

/// Minute precision, for dense tables: `2026-05-01 14:03`.
const SHORT: &str = "%Y-%m-%d %H:%M";

/// Second precision with the offset, for the detail view: `2026-05-01 14:03:27 +02:00`.
const LONG: &str = "%Y-%m-%d %H:%M:%S %:z";

/// An instant in the user's zone at minute precision.
pub fn local_short(at: DateTime<Utc>) -> String {
    short_in(at, &Local)
}

/// An instant in the user's zone at second precision, with the offset so a reader comparing with
/// a colleague elsewhere knows which zone it is.
pub fn local_long(at: DateTime<Utc>) -> String {
    long_in(at, &Local)
}

/// [`local_short`] for an optional instant.
pub fn local_short_opt(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| MISSING.to_owned(), local_short)
}

/// [`local_long`] for an optional instant.
pub fn local_long_opt(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| MISSING.to_owned(), local_long)
}

/// An instant in the given zone at minute precision.
pub fn short_in<Tz: TimeZone>(at: DateTime<Utc>, zone: &Tz) -> String
where
    Tz::Offset: Display,
{
    at.with_timezone(zone).format(SHORT).to_string()
}

/// An instant in the given zone at second precision, with its offset.
pub fn long_in<Tz: TimeZone>(at: DateTime<Utc>, zone: &Tz) -> String
where
    Tz::Offset: Display,
{
    at.with_timezone(zone).format(LONG).to_string()
}

/// A duration in its two largest units, the smaller zero-padded so columns line up: `45s`,
/// `4m 12s`, `2h 03m`, `3d 04h`. A negative span (vendor clocks disagreeing) keeps its sign
/// rather than being hidden.
pub fn duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let (days, hours, minutes, secs) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60);
    if days > 0 {
        format!("{sign}{days}d {hours:02}h")
    } else if hours > 0 {
        format!("{sign}{hours}h {minutes:02}m")
    } else if minutes > 0 {
        format!("{sign}{minutes}m {secs:02}s")
    } else {
        format!("{sign}{secs}s")
    }
}

/// [`duration`] for an optional span; an open or unacknowledged incident has none.
pub fn duration_opt(seconds: Option<i64>) -> String {
    seconds.map_or_else(|| MISSING.to_owned(), duration)
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 1, h, m, s)
            .single()
            .expect("a valid UTC instant")
    }

    #[test]
    fn durations_show_their_two_largest_units() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(4 * 60 + 12), "4m 12s");
        assert_eq!(duration(2 * 3600 + 3 * 60 + 59), "2h 03m");
        assert_eq!(duration(3 * 86_400 + 4 * 3600), "3d 04h");
    }

    #[test]
    fn a_negative_duration_keeps_its_sign() {
        assert_eq!(duration(-90), "-1m 30s");
    }

    #[test]
    fn a_missing_duration_is_a_dash() {
        assert_eq!(duration_opt(None), MISSING);
        assert_eq!(duration_opt(Some(61)), "1m 01s");
    }

    #[test]
    fn instants_are_shown_in_the_given_zone() {
        let berlin_summer = FixedOffset::east_opt(2 * 3600).expect("a valid offset");
        assert_eq!(short_in(at(12, 30, 5), &berlin_summer), "2026-05-01 14:30");
        assert_eq!(
            long_in(at(12, 30, 5), &berlin_summer),
            "2026-05-01 14:30:05 +02:00"
        );
    }

    #[test]
    fn a_zone_behind_utc_can_move_the_date_back() {
        let new_york = FixedOffset::west_opt(4 * 3600).expect("a valid offset");
        assert_eq!(short_in(at(1, 0, 0), &new_york), "2026-04-30 21:00");
    }
}
