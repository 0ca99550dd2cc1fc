//! Action Priority (AP) and the risk priority number (RPN).
//!
//! AP is the AIAG-VDA way of ranking what to work on first: it looks at severity first, then
//! occurrence, then detection, instead of multiplying them, so a catastrophic effect that is
//! rarely caught is never hidden behind a low product. The RPN (S x O x D) is kept beside it for
//! teams and customers that still ask for it.
//!
//! The table (rows: severity band, then occurrence band; columns: detection bands 7-10, 5-6, 2-4,
//! 1). Every combination not listed is low, as is any occurrence or severity of 1.
//!
//! ```text
//! S 9-10: O 8-10 H H H H | O 6-7 H H H H | O 4-5 H H H M | O 2-3 H M L L
//! S 7-8 : O 8-10 H H H H | O 6-7 H H H M | O 4-5 H M M M | O 2-3 M M L L
//! S 4-6 : O 8-10 H H M M | O 6-7 M M M L | O 4-5 M L L L
//! S 2-3 : O 8-10 M M L L
//! ```
//!
//! For MSR FMEAs the same table is applied with frequency in place of occurrence and monitoring
//! in place of detection. The AIAG-VDA handbook has a table of its own for MSR; using it would
//! mean a second table here and a `FmeaKind` argument to [`ActionPriority::of`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::rating::Rating;

/// How urgently a failure chain needs an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ActionPriority {
    /// Low: act at the team's discretion.
    #[serde(rename = "L")]
    Low,
    /// Medium: act, or write down why the current controls are enough.
    #[serde(rename = "M")]
    Medium,
    /// High: act, or justify in writing why not.
    #[serde(rename = "H")]
    High,
}

use ActionPriority::{High as H, Low as L, Medium as M};

/// `TABLE[s_band][o_band][d_band]`; bands as in the module's table, from the worst down.
const TABLE: [[[ActionPriority; 4]; 4]; 4] = [
    // S 9-10
    [[H, H, H, H], [H, H, H, H], [H, H, H, M], [H, M, L, L]],
    // S 7-8
    [[H, H, H, H], [H, H, H, M], [H, M, M, M], [M, M, L, L]],
    // S 4-6
    [[H, H, M, M], [M, M, M, L], [M, L, L, L], [L, L, L, L]],
    // S 2-3
    [[M, M, L, L], [L, L, L, L], [L, L, L, L], [L, L, L, L]],
];

impl ActionPriority {
    /// The priority of a chain rated `severity`, `occurrence` and `detection`.
    pub fn of(severity: Rating, occurrence: Rating, detection: Rating) -> Self {
        let s_band = match severity.get() {
            9..=10 => 0,
            7..=8 => 1,
            4..=6 => 2,
            2..=3 => 3,
            _ => return L,
        };
        let o_band = match occurrence.get() {
            8..=10 => 0,
            6..=7 => 1,
            4..=5 => 2,
            2..=3 => 3,
            _ => return L,
        };
        let d_band = match detection.get() {
            7..=10 => 0,
            5..=6 => 1,
            2..=4 => 2,
            _ => 3,
        };
        TABLE[s_band][o_band][d_band]
    }

    /// The letter of the worksheet's AP column.
    pub fn letter(self) -> char {
        match self {
            H => 'H',
            M => 'M',
            L => 'L',
        }
    }

    /// The word, for reports and the CLI.
    pub fn word(self) -> &'static str {
        match self {
            H => "high",
            M => "medium",
            L => "low",
        }
    }

    /// Reads `H`, `M` or `L` (any case), as written in the AP column.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().as_str() {
            "H" | "HIGH" => Some(H),
            "M" | "MEDIUM" => Some(M),
            "L" | "LOW" => Some(L),
            _ => None,
        }
    }
}

impl fmt::Display for ActionPriority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

/// The risk priority number S x O x D, from 1 to 1000.
pub fn rpn(severity: Rating, occurrence: Rating, detection: Rating) -> u16 {
    u16::from(severity.get()) * u16::from(occurrence.get()) * u16::from(detection.get())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn r(n: i64) -> Rating {
        Rating::new(n).unwrap()
    }

    #[test]
    fn the_thousand_combinations_give_318_high_214_medium_468_low() {
        let (mut high, mut medium, mut low) = (0, 0, 0);
        for s in Rating::all() {
            for o in Rating::all() {
                for d in Rating::all() {
                    match ActionPriority::of(s, o, d) {
                        H => high += 1,
                        M => medium += 1,
                        L => low += 1,
                    }
                }
            }
        }
        assert_eq!((high, medium, low), (318, 214, 468));
    }

    #[test]
    fn a_severity_or_occurrence_of_one_is_always_low() {
        for x in Rating::all() {
            for y in Rating::all() {
                assert_eq!(ActionPriority::of(r(1), x, y), L);
                assert_eq!(ActionPriority::of(x, r(1), y), L);
            }
        }
    }

    #[test]
    fn cells_of_the_table_read_as_written() {
        // One cell per listed band, checked at both ends of the band.
        assert_eq!(ActionPriority::of(r(10), r(2), r(1)), L);
        assert_eq!(ActionPriority::of(r(9), r(3), r(7)), H);
        assert_eq!(ActionPriority::of(r(9), r(4), r(1)), M);
        assert_eq!(ActionPriority::of(r(8), r(6), r(1)), M);
        assert_eq!(ActionPriority::of(r(7), r(5), r(7)), H);
        assert_eq!(ActionPriority::of(r(7), r(5), r(6)), M);
        assert_eq!(ActionPriority::of(r(6), r(10), r(4)), M);
        assert_eq!(ActionPriority::of(r(4), r(8), r(5)), H);
        assert_eq!(ActionPriority::of(r(5), r(6), r(1)), L);
        assert_eq!(ActionPriority::of(r(6), r(3), r(10)), L);
        assert_eq!(ActionPriority::of(r(3), r(8), r(5)), M);
        assert_eq!(ActionPriority::of(r(2), r(10), r(4)), L);
        assert_eq!(ActionPriority::of(r(3), r(7), r(10)), L);
    }

    #[test]
    fn the_rpn_is_the_product_of_the_three_ratings() {
        assert_eq!(rpn(r(1), r(1), r(1)), 1);
        assert_eq!(rpn(r(9), r(7), r(8)), 504);
        assert_eq!(rpn(r(10), r(10), r(10)), 1000);
    }

    #[test]
    fn letters_parse_back_to_the_priority() {
        for ap in [H, M, L] {
            assert_eq!(ActionPriority::parse(&ap.letter().to_string()), Some(ap));
        }
        assert_eq!(ActionPriority::parse("x"), None);
    }

    fn rating() -> impl Strategy<Value = Rating> {
        (1i64..=10).prop_map(|n| Rating::new(n).unwrap())
    }

    proptest! {
        #[test]
        fn raising_any_rating_never_lowers_the_priority(
            s in rating(), o in rating(), d in rating(), up in 1u8..=9
        ) {
            let raise = |x: Rating| Rating::new(i64::from((x.get() + up).min(10))).unwrap();
            let before = ActionPriority::of(s, o, d);
            prop_assert!(ActionPriority::of(raise(s), o, d) >= before);
            prop_assert!(ActionPriority::of(s, raise(o), d) >= before);
            prop_assert!(ActionPriority::of(s, o, raise(d)) >= before);
        }

        #[test]
        fn raising_any_rating_never_lowers_the_rpn(s in rating(), o in rating(), d in rating()) {
            let up = |x: Rating| Rating::new(i64::from((x.get() + 1).min(10))).unwrap();
            prop_assert!(rpn(up(s), o, d) >= rpn(s, o, d));
            prop_assert!(rpn(s, up(o), d) >= rpn(s, o, d));
            prop_assert!(rpn(s, o, up(d)) >= rpn(s, o, d));
        }
    }
}
