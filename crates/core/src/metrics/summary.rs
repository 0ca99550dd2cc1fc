//! How a set of durations is summarised: how many, mean, median and 90th percentile.
//!
//! Percentiles use the nearest-rank definition: the p-th percentile of n values sorted
//! ascending is the value at 1-based rank `ceil(p / 100 * n)`. It is always a duration some
//! incident really had, so it stays a whole number of seconds with no rounding rule to explain,
//! and it is the definition a reader can check by counting. The median is the 50th percentile by
//! the same rule, which for an even n is the lower of the two middle values (not their average).

use serde::{Deserialize, Serialize};

/// n, mean, median and p90 of durations in whole seconds. With n = 0 the three values are
/// `None`: an empty period has no typical duration, and zero would read as "instant".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// How many durations went in.
    pub n: u32,
    /// Arithmetic mean in seconds (fractional: rounding it would hide small changes).
    pub mean: Option<f64>,
    /// 50th percentile by nearest rank, in seconds.
    pub median: Option<i64>,
    /// 90th percentile by nearest rank, in seconds.
    pub p90: Option<i64>,
}

impl Summary {
    /// The summary of nothing.
    pub const EMPTY: Summary = Summary {
        n: 0,
        mean: None,
        median: None,
        p90: None,
    };

    /// Summarises durations given in seconds, in any order.
    pub fn of_seconds(seconds: impl IntoIterator<Item = i64>) -> Summary {
        let mut sorted: Vec<i64> = seconds.into_iter().collect();
        if sorted.is_empty() {
            return Summary::EMPTY;
        }
        sorted.sort_unstable();

        // An i128 sum cannot overflow for any count of i64 values a Vec can hold.
        let sum: i128 = sorted.iter().map(|&s| i128::from(s)).sum();
        Summary {
            n: u32::try_from(sorted.len()).unwrap_or(u32::MAX),
            mean: Some(sum as f64 / sorted.len() as f64),
            median: nearest_rank(&sorted, 50),
            p90: nearest_rank(&sorted, 90),
        }
    }

    /// Whether no duration went in.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
}

/// The `percent`-th percentile of values sorted ascending, by nearest rank (see the module
/// docs); `None` for no values. `percent` 0 gives the smallest value, 100 or more the largest.
pub fn nearest_rank(sorted: &[i64], percent: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u128;
    // Integer ceiling of percent * n / 100, so that 90% of 10 is rank 9 exactly rather than
    // whatever 0.9 * 10.0 rounds to in floating point.
    let rank = (u128::from(percent) * n).div_ceil(100).clamp(1, n);
    let index = usize::try_from(rank - 1).ok()?;
    sorted.get(index).copied()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn an_empty_set_has_a_count_and_no_values() {
        assert_eq!(Summary::of_seconds([]), Summary::EMPTY);
        assert!(Summary::EMPTY.is_empty());
    }

    #[test]
    fn the_median_of_an_even_count_is_the_lower_middle_value() {
        // Sorted 10, 20, 30, 40: rank ceil(0.5 * 4) = 2 -> 20; p90 rank ceil(3.6) = 4 -> 40.
        let s = Summary::of_seconds([40, 10, 30, 20]);

        assert_eq!(
            s,
            Summary {
                n: 4,
                mean: Some(25.0),
                median: Some(20),
                p90: Some(40)
            }
        );
    }

    #[test]
    fn the_p90_of_ten_values_is_the_ninth() {
        // rank ceil(0.9 * 10) = 9, computed in integers so no 8.999... can slip to rank 8.
        let sorted: Vec<i64> = (1..=10).collect();

        assert_eq!(nearest_rank(&sorted, 90), Some(9));
        assert_eq!(nearest_rank(&sorted, 0), Some(1));
        assert_eq!(nearest_rank(&sorted, 100), Some(10));
    }

    /// Nearest rank restated without ranks: the smallest value such that at least `percent`% of
    /// all values are at or below it.
    fn naive_percentile(values: &[i64], percent: u32) -> Option<i64> {
        let mut candidates = values.to_vec();
        candidates.sort();
        candidates.into_iter().find(|&v| {
            let at_or_below = values.iter().filter(|&&x| x <= v).count() as u64;
            at_or_below * 100 >= u64::from(percent) * values.len() as u64
        })
    }

    proptest! {
        #[test]
        fn summaries_agree_with_a_naive_reference(
            values in prop::collection::vec(0i64..10_000_000, 0..200)
        ) {
            let s = Summary::of_seconds(values.iter().copied());

            prop_assert_eq!(s.n as usize, values.len());
            prop_assert_eq!(s.median, naive_percentile(&values, 50));
            prop_assert_eq!(s.p90, naive_percentile(&values, 90));
            match s.mean {
                None => prop_assert!(values.is_empty()),
                Some(mean) => {
                    let naive = values.iter().map(|&v| v as f64).sum::<f64>() / values.len() as f64;
                    prop_assert!((mean - naive).abs() <= 1e-6 * naive.max(1.0));
                }
            }
        }

        #[test]
        fn any_percentile_is_one_of_the_values_and_grows_with_percent(
            values in prop::collection::vec(-1_000i64..1_000, 1..50),
            low in 0u32..=100,
            high in 0u32..=100,
        ) {
            let mut sorted = values.clone();
            sorted.sort();
            let (low, high) = (low.min(high), low.max(high));

            let at_low = nearest_rank(&sorted, low);
            prop_assert_eq!(at_low, naive_percentile(&values, low));
            prop_assert!(at_low.is_some_and(|v| values.contains(&v)));
            prop_assert!(at_low <= nearest_rank(&sorted, high));
        }
    }
}
