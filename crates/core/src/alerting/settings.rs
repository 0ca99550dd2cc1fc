//! When alerts may pop up: quiet hours, do-not-disturb, and the limits that keep a flood of
//! incidents from becoming a flood of popups.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A daily stretch of local time when alerts stay in the inbox instead of popping up. It is kept
/// in a named zone, so it follows daylight saving time, and it may run across midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// The zone the times are in (the user's, usually).
    pub zone: Tz,
    /// Local time it starts, inclusive.
    pub start: NaiveTime,
    /// Local time it ends, exclusive; earlier than `start` when it runs across midnight.
    pub end: NaiveTime,
}

impl QuietHours {
    /// Whether `at` falls inside. A start equal to the end is an empty stretch, never the whole
    /// day: "22:00 to 22:00" is more likely a form left half filled than a wish for silence.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&self.zone).time();
        if self.start <= self.end {
            self.start <= local && local < self.end
        } else {
            local >= self.start || local < self.end
        }
    }
}

/// The limits that turn a burst of alerts into a few popups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StormPolicy {
    /// The window popups are counted in, in seconds.
    pub window_seconds: u32,
    /// How many new popups the window may hold; past it, the rest of the burst folds into one
    /// summary popup, updated in place.
    pub max_popups: u32,
}

impl Default for StormPolicy {
    /// Three popups a minute: enough to read each one, few enough not to bury the screen.
    fn default() -> Self {
        StormPolicy {
            window_seconds: 60,
            max_popups: 3,
        }
    }
}

impl StormPolicy {
    /// The window as a duration.
    pub fn window(&self) -> Duration {
        Duration::seconds(i64::from(self.window_seconds.max(1)))
    }
}

/// The user's alerting settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertSettings {
    /// Everything stays in the inbox, whatever the clock says, except rules that break through.
    pub do_not_disturb: bool,
    /// The nightly (or weekend-morning) stretch without popups, if any.
    pub quiet_hours: Option<QuietHours>,
    /// The least time between two popups one rule raises about one incident or source: a
    /// flapping incident (reopened, resolved, reopened) is told once, the inbox keeps the rest.
    pub renotify_minutes: u32,
    /// The burst limits.
    pub storm: StormPolicy,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            do_not_disturb: false,
            quiet_hours: None,
            renotify_minutes: 30,
            storm: StormPolicy::default(),
        }
    }
}

impl AlertSettings {
    /// The re-notify interval as a duration.
    pub fn renotify_interval(&self) -> Duration {
        Duration::minutes(i64::from(self.renotify_minutes))
    }

    /// Whether quiet hours hold at `at`.
    pub fn is_quiet_at(&self, at: DateTime<Utc>) -> bool {
        self.quiet_hours.is_some_and(|q| q.contains(at))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn berlin_night() -> QuietHours {
        QuietHours {
            zone: chrono_tz::Europe::Berlin,
            start: hm(22, 0),
            end: hm(7, 0),
        }
    }

    #[test]
    fn quiet_hours_across_midnight_hold_on_both_sides_of_it() {
        let q = berlin_night();
        // Berlin is UTC+2 in July.
        let utc = |d, h, m| Utc.with_ymd_and_hms(2026, 7, d, h, m, 0).unwrap();
        assert!(q.contains(utc(14, 20, 0)), "22:00 local, the start");
        assert!(q.contains(utc(14, 23, 30)), "01:30 local");
        assert!(q.contains(utc(15, 4, 59)), "06:59 local");
        assert!(!q.contains(utc(15, 5, 0)), "07:00 local, the end");
        assert!(!q.contains(utc(14, 19, 59)), "21:59 local");
        assert!(!q.contains(utc(14, 10, 0)), "noon local");
    }

    #[test]
    fn quiet_hours_follow_the_zone_through_a_change_of_offset() {
        let q = berlin_night();
        // 21:30 UTC is 23:30 in summer (quiet) and 22:30 in winter (quiet); 20:30 UTC is 22:30
        // in summer (quiet) but 21:30 in winter (not quiet).
        assert!(q.contains(Utc.with_ymd_and_hms(2026, 7, 1, 20, 30, 0).unwrap()));
        assert!(!q.contains(Utc.with_ymd_and_hms(2026, 1, 15, 20, 30, 0).unwrap()));
    }

    #[test]
    fn quiet_hours_within_one_day_hold_only_between_their_ends() {
        let q = QuietHours {
            zone: chrono_tz::UTC,
            start: hm(12, 0),
            end: hm(13, 0),
        };
        let at = |h, m| Utc.with_ymd_and_hms(2026, 7, 1, h, m, 0).unwrap();
        assert!(q.contains(at(12, 0)));
        assert!(q.contains(at(12, 59)));
        assert!(!q.contains(at(13, 0)));
        assert!(!q.contains(at(0, 30)));
    }

    #[test]
    fn quiet_hours_with_equal_ends_are_empty() {
        let q = QuietHours {
            zone: chrono_tz::UTC,
            start: hm(22, 0),
            end: hm(22, 0),
        };
        assert!(!q.contains(Utc.with_ymd_and_hms(2026, 7, 1, 22, 0, 0).unwrap()));
        assert!(!q.contains(Utc.with_ymd_and_hms(2026, 7, 1, 3, 0, 0).unwrap()));
    }
}
