//! Reading the instants people type: an ISO 8601 date or date-time, UTC unless a zone is given.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Text that is not an ISO 8601 date or date-time.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not an ISO 8601 date or date-time: write 2026-06-01, 2026-06-01T09:30:00 (UTC) \
     or 2026-06-01T09:30:00+02:00"
)]
pub struct BadInstant(pub String);

/// Parses `2026-06-01` (midnight UTC), `2026-06-01T09:30[:00]` (UTC), or a date-time with `Z` or
/// an offset such as `+02:00`.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, BadInstant> {
    let text = text.trim();
    if let Ok(dt) = DateTime::<FixedOffset>::parse_from_rfc3339(text) {
        return Ok(dt.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(naive.and_utc());
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        if let Some(midnight) = date.and_hms_opt(0, 0, 0) {
            return Ok(midnight.and_utc());
        }
    }
    Err(BadInstant(text.to_owned()))
}

/// Like [`parse_instant`], but a date or a date-time without an offset is local to `zone`: a
/// date is the instant that day begins there (see [`crate::metrics::local_midnight`]), so
/// `--since 2026-03-08 --tz America/New_York` starts at New York's midnight. A local time that
/// occurs twice (when clocks fall back) is the earlier one; one that does not exist is refused.
pub fn parse_instant_in(text: &str, zone: Tz) -> Result<DateTime<Utc>, BadInstant> {
    let text = text.trim();
    if let Ok(dt) = DateTime::<FixedOffset>::parse_from_rfc3339(text) {
        return Ok(dt.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return zone
                .from_local_datetime(&naive)
                .earliest()
                .map(|at| at.with_timezone(&Utc))
                .ok_or_else(|| BadInstant(format!("{text} (a time skipped by {zone}'s clocks)")));
        }
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => Ok(crate::metrics::local_midnight(date, zone)),
        Err(_) => Err(BadInstant(text.to_owned())),
    }
}

/// Formats an instant the way vendor APIs are asked for it: RFC 3339 with an explicit `Z`, so no
/// server falls back to an account's own time zone.
pub fn to_rfc3339_utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_date_is_midnight_utc() {
        let at = parse_instant("2026-07-15").unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 7, 15, 0, 0, 0).unwrap());
    }

    #[test]
    fn a_date_time_without_zone_is_utc() {
        let at = parse_instant("2026-07-15T09:36:00").unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 7, 15, 9, 36, 0).unwrap());
    }

    #[test]
    fn an_offset_is_honoured() {
        let at = parse_instant("2026-07-15T09:36:00-04:00").unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 7, 15, 13, 36, 0).unwrap());
    }

    #[test]
    fn a_date_in_a_zone_is_its_local_midnight() {
        let zone = chrono_tz::America::New_York;
        // Summer: EDT, UTC-4; winter: EST, UTC-5.
        let summer = parse_instant_in("2026-07-15", zone).unwrap();
        assert_eq!(summer, Utc.with_ymd_and_hms(2026, 7, 15, 4, 0, 0).unwrap());
        let winter = parse_instant_in("2026-12-01T09:36", zone).unwrap();
        assert_eq!(
            winter,
            Utc.with_ymd_and_hms(2026, 12, 1, 14, 36, 0).unwrap()
        );
        let offset = parse_instant_in("2026-07-15T09:36:00Z", zone).unwrap();
        assert_eq!(offset, Utc.with_ymd_and_hms(2026, 7, 15, 9, 36, 0).unwrap());
    }

    #[test]
    fn a_local_time_the_clocks_skip_is_refused() {
        // New York goes from 02:00 straight to 03:00 on 8 March 2026.
        let zone = chrono_tz::America::New_York;
        assert!(parse_instant_in("2026-03-08T02:30", zone).is_err());
        let repeated = parse_instant_in("2026-11-01T01:30", zone).unwrap();
        assert_eq!(
            repeated,
            Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap()
        );
    }

    #[test]
    fn garbage_is_refused_with_an_example_of_what_works() {
        let err = parse_instant("last tuesday").unwrap_err();
        assert!(err.to_string().contains("2026-06-01"));
    }

    #[test]
    fn vendor_format_has_an_explicit_utc_designator() {
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(to_rfc3339_utc(at), "2026-01-02T03:04:05Z");
    }
}
