//! What can go wrong when charting or studying a process, said so the user knows what to fix.
//!
//! Positions in the messages count from zero, as the slices handed in do; the UI adds one where it
//! shows sample numbers.

use crate::spc::chart::ChartKind;

/// Why a chart, a set of limits or a capability study could not be computed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SpcError {
    /// Fewer points than the calculation needs to estimate anything.
    #[error(
        "need at least {needed} {what}, got {got}: collect more data before computing limits \
         or a capability"
    )]
    TooFewPoints {
        /// The minimum.
        needed: usize,
        /// What was handed in.
        got: usize,
        /// What is being counted ("values", "subgroups", ...).
        what: &'static str,
    },

    /// A value is NaN or infinite, which would silently poison every limit.
    #[error(
        "the value at position {position} is not a finite number: remove it or correct it at \
         the source"
    )]
    NonFinite {
        /// Where, counting every value handed in from zero.
        position: usize,
    },

    /// Xbar-R and Xbar-S limits use one set of constants, so every subgroup needs the same size.
    #[error(
        "subgroup {subgroup} has {size} values but {expected} were expected: Xbar-R and Xbar-S \
         charts need subgroups of equal size, so drop or complete the short subgroups"
    )]
    UnequalSubgroups {
        /// Which subgroup.
        subgroup: usize,
        /// Its size.
        size: usize,
        /// The size of the first subgroup, or of the baseline's.
        expected: usize,
    },

    /// A subgroup size the constants do not exist for.
    #[error(
        "a subgroup size of {size} is out of range: subgroups need at least 2 values (chart \
         single values with an individuals chart)"
    )]
    SubgroupSizeOutOfRange {
        /// The size asked for.
        size: usize,
    },

    /// An np chart's limits hold for one sample size only.
    #[error(
        "sample {sample} inspected {size} items but {expected} were expected: an np chart needs \
         a constant sample size, so use a p chart when sizes vary"
    )]
    UnequalSampleSizes {
        /// Which sample.
        sample: usize,
        /// Its size.
        size: i64,
        /// The size of the first sample, or of the baseline's.
        expected: i64,
    },

    /// A count of defects or nonconforming items below zero.
    #[error(
        "the count of sample {sample} is negative ({count}): defect and nonconforming counts are \
         zero or more, so check the import"
    )]
    NegativeCount {
        /// Which sample.
        sample: usize,
        /// The count.
        count: i64,
    },

    /// A sample that inspected nothing (or a negative amount) gives no proportion or rate.
    #[error(
        "sample {sample} has a size or exposure of {size}: it must be positive, so drop empty \
         samples before charting"
    )]
    NonPositiveSize {
        /// Which sample.
        sample: usize,
        /// The size or exposure.
        size: f64,
    },

    /// More nonconforming items than were inspected.
    #[error(
        "sample {sample} has {count} nonconforming items out of {size} inspected: the count \
         cannot exceed the sample size, so check which column is which"
    )]
    CountExceedsSize {
        /// Which sample.
        sample: usize,
        /// The nonconforming count.
        count: i64,
        /// The sample size.
        size: i64,
    },

    /// The baseline has no spread, so the limits would have zero width and every change would
    /// signal.
    #[error(
        "the baseline shows no variation (every {what} is the same), so limits would have zero \
         width: check the measurement resolution or use a longer baseline"
    )]
    NoVariation {
        /// What was constant ("value", "range", "proportion", ...).
        what: &'static str,
    },

    /// Limits frozen for one kind of chart applied to another kind of data.
    #[error(
        "these limits are for {limits} charts and cannot chart {data}: compute limits from a \
         baseline of the same kind of chart"
    )]
    LimitsDoNotFit {
        /// The chart the limits were computed for.
        limits: ChartKind,
        /// What was handed in.
        data: &'static str,
    },

    /// Specification limits that cannot describe a tolerance.
    #[error("{reason}: give a lower limit, an upper limit or both, as finite numbers")]
    InvalidSpecLimits {
        /// What is wrong with them.
        reason: &'static str,
    },

    /// A count, rate or DPMO outside the range where it means anything.
    #[error("{what} is {value}, outside {range}: {hint}")]
    OutOfRange {
        /// What the number is.
        what: &'static str,
        /// The number.
        value: f64,
        /// The range it must lie in, in words.
        range: &'static str,
        /// What to do about it.
        hint: &'static str,
    },

    /// More defects than there were opportunities for one.
    #[error(
        "{defects} defects in {opportunities} opportunities: a defect needs an opportunity, so \
         check the units and opportunities per unit"
    )]
    DefectsExceedOpportunities {
        /// Defects counted.
        defects: i64,
        /// Units times opportunities per unit.
        opportunities: i64,
    },
}

/// Checks every value is finite, reporting the first that is not.
pub(crate) fn ensure_finite<'a>(values: impl IntoIterator<Item = &'a f64>) -> Result<(), SpcError> {
    match values.into_iter().position(|v| !v.is_finite()) {
        Some(position) => Err(SpcError::NonFinite { position }),
        None => Ok(()),
    }
}

/// Checks there are at least `needed` of `what`.
pub(crate) fn ensure_at_least(
    got: usize,
    needed: usize,
    what: &'static str,
) -> Result<(), SpcError> {
    if got < needed {
        return Err(SpcError::TooFewPoints { needed, got, what });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_went_wrong_and_what_to_do() {
        let unequal = SpcError::UnequalSubgroups {
            subgroup: 3,
            size: 4,
            expected: 5,
        };
        assert_eq!(
            unequal.to_string(),
            "subgroup 3 has 4 values but 5 were expected: Xbar-R and Xbar-S charts need \
             subgroups of equal size, so drop or complete the short subgroups"
        );
        let mismatch = SpcError::LimitsDoNotFit {
            limits: ChartKind::Xbar,
            data: "single values",
        };
        assert!(mismatch
            .to_string()
            .starts_with("these limits are for Xbar charts"));
    }
}
