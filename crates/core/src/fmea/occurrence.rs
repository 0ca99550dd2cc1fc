//! An occurrence rating suggested from the incidents linked to a failure mode. Teams argue less
//! about a number when it starts from what really happened: the count of linked incidents in the
//! last twelve months is mapped to the process occurrence scale shipped in
//! `assets/fmea/scales/process.json`, and the reason is given in words so the team can overrule
//! it knowingly. A suggestion is never written into a chain by itself.

use serde::{Deserialize, Serialize};

use super::rating::Rating;

/// A suggested occurrence and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccurrenceSuggestion {
    /// The suggested rating.
    pub rating: Rating,
    /// Why, in words, for the worksheet's tooltip.
    pub reason: String,
}

/// The upper bound (inclusive) of incidents in twelve months for each rating from 2 to 9; more
/// than the last bound is a 10. About: none, once, a few times, every other month, monthly,
/// twice a month, weekly, several times a week.
const BOUNDS: [(u32, u8); 8] = [
    (0, 2),
    (1, 3),
    (3, 4),
    (6, 5),
    (12, 6),
    (26, 7),
    (52, 8),
    (156, 9),
];

/// The occurrence suggested by `linked_last_12_months` incidents linked to the failure mode.
pub fn suggest_occurrence(linked_last_12_months: u32) -> OccurrenceSuggestion {
    let n = linked_last_12_months;
    let value = BOUNDS
        .iter()
        .find(|(bound, _)| n <= *bound)
        .map_or(10, |(_, rating)| *rating);
    let rating = Rating::new(i64::from(value)).unwrap_or(Rating::MAX);
    let reason = match n {
        0 => "no linked incident in the last 12 months; 1 is kept for causes that the design \
              rules out, which incident history cannot show"
            .to_owned(),
        1 => {
            "1 linked incident in the last 12 months: it has happened, about once a year".to_owned()
        }
        n => {
            let every = 365.0 / f64::from(n);
            let pace = if every >= 14.0 {
                format!("about every {} weeks", (every / 7.0).round())
            } else {
                format!("about every {} days", every.round().max(1.0))
            };
            format!("{n} linked incidents in the last 12 months, {pace}")
        }
    };
    OccurrenceSuggestion { rating, reason }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn no_incident_suggests_two_and_says_why_not_one() {
        let s = suggest_occurrence(0);
        assert_eq!(s.rating.get(), 2);
        assert!(s.reason.contains("rules out"), "{}", s.reason);
    }

    #[test]
    fn the_bands_end_where_the_scale_says() {
        let rated = |n| suggest_occurrence(n).rating.get();
        assert_eq!(
            [rated(1), rated(3), rated(4), rated(6), rated(7)],
            [3, 4, 5, 5, 6]
        );
        assert_eq!(
            [rated(12), rated(13), rated(52), rated(53), rated(157)],
            [6, 7, 8, 9, 10]
        );
    }

    #[test]
    fn the_reason_gives_the_count_and_the_pace() {
        let s = suggest_occurrence(26);
        assert_eq!(
            s.reason,
            "26 linked incidents in the last 12 months, about every 2 weeks"
        );
        let s = suggest_occurrence(200);
        assert!(s.reason.contains("about every 2 days"), "{}", s.reason);
    }

    proptest! {
        #[test]
        fn more_incidents_never_suggest_a_lower_occurrence(n in 0u32..10_000, more in 0u32..1_000) {
            prop_assert!(suggest_occurrence(n + more).rating >= suggest_occurrence(n).rating);
        }
    }
}
