//! What a chart's values measure, and the unit they are shown in.
//!
//! Durations arrive in seconds (vigil-core's unit) and are shown in minutes, hours or days,
//! whichever keeps the largest value between about 1 and 100, so an axis reads "4.5 h" rather
//! than "16200". The whole chart uses one unit: mixing them along an axis would mislead.

/// The quantity a chart plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A number of incidents (or of anything else counted).
    Count,
    /// A duration in seconds.
    Seconds,
}

/// How values are divided and named for display.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Scale {
    /// Raw value per displayed unit.
    pub divisor: f64,
    /// Appended to a value: " min", " h", " d", or nothing for counts.
    pub suffix: &'static str,
    /// The unit's name for an axis description: "minutes", "hours", "days", "count".
    pub name: &'static str,
    /// Whether displayed values are whole numbers.
    pub whole: bool,
}

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3_600.0;
const DAY: f64 = 86_400.0;

impl Unit {
    /// The display scale for a chart whose largest raw value is `largest`.
    pub(crate) fn scale_for(self, largest: f64) -> Scale {
        match self {
            Unit::Count => Scale {
                divisor: 1.0,
                suffix: "",
                name: "count",
                whole: true,
            },
            Unit::Seconds if largest < 2.0 * HOUR => Scale {
                divisor: MINUTE,
                suffix: " min",
                name: "minutes",
                whole: false,
            },
            Unit::Seconds if largest < 3.0 * DAY => Scale {
                divisor: HOUR,
                suffix: " h",
                name: "hours",
                whole: false,
            },
            Unit::Seconds => Scale {
                divisor: DAY,
                suffix: " d",
                name: "days",
                whole: false,
            },
        }
    }
}

impl Scale {
    /// A raw value in this scale's unit.
    pub fn apply(&self, raw: f64) -> f64 {
        raw / self.divisor
    }

    /// A raw value as text with its unit, for labels and tooltips: whole counts as integers,
    /// other counts with two decimals (a c chart's limits), durations with one.
    pub fn show(&self, raw: f64) -> String {
        let value = self.apply(raw) + 0.0;
        if self.whole {
            if value.fract() == 0.0 {
                format!("{value:.0}")
            } else {
                format!("{value:.2}")
            }
        } else {
            format!("{value:.1}{}", self.suffix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_the_unit_that_keeps_numbers_small() {
        assert_eq!(Unit::Seconds.scale_for(45.0 * MINUTE).name, "minutes");
        assert_eq!(Unit::Seconds.scale_for(5.0 * HOUR).name, "hours");
        assert_eq!(Unit::Seconds.scale_for(4.0 * DAY).name, "days");
    }

    #[test]
    fn values_print_with_their_unit() {
        let hours = Unit::Seconds.scale_for(5.0 * HOUR);
        assert_eq!(hours.show(16_200.0), "4.5 h");
        let counts = Unit::Count.scale_for(7.0);
        assert_eq!(counts.show(7.0), "7");
        assert_eq!(counts.show(2.0 + 3.0 * 2f64.sqrt()), "6.24");
    }
}
