//! Axis ranges and labelled values, chosen here rather than by plotters: value axes step by 1, 2
//! or 5 times a power of ten in the chart's own unit, period and category axes label whole
//! positions only, and no label text ever has to be measured.

use std::ops::Range;

/// About this many labelled values on a value axis.
const VALUE_TICKS: f64 = 5.0;

/// A value axis: the span drawn and the values labelled on it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValueAxis {
    /// From the lowest labelled value to the highest, data inside.
    pub range: Range<f64>,
    /// The labelled values, ascending, `range.start` and `range.end` included.
    pub ticks: Vec<f64>,
    /// Decimals that show every labelled value exactly.
    pub decimals: usize,
}

impl ValueAxis {
    /// An axis holding every value from `low` to `high` (in any order; equal is fine). With
    /// `whole`, labels are whole numbers, for counts.
    pub fn spanning(low: f64, high: f64, whole: bool) -> Self {
        let (low, high) = if low <= high {
            (low, high)
        } else {
            (high, low)
        };
        let span = if high > low {
            high - low
        } else {
            high.abs().max(1.0)
        };
        let mut step = nice_step(span / VALUE_TICKS);
        if whole {
            step = step.max(1.0).round();
        }
        let first = (low / step).floor();
        let mut last = (high / step).ceil();
        if last <= first {
            last = first + 1.0;
        }
        // Whole multiples of the step, so a tick is exactly `k * step` and prints cleanly.
        let ticks: Vec<f64> = (0..=((last - first) as i64))
            .map(|k| (first + k as f64) * step + 0.0)
            .collect();
        ValueAxis {
            range: first * step..last * step,
            ticks,
            decimals: decimals_for(step),
        }
    }

    /// A labelled value as text, with the axis's decimals.
    pub fn label(&self, value: f64) -> String {
        // `+ 0.0` turns a negative zero into zero, so no "-0" is printed.
        format!("{:.*}", self.decimals, value + 0.0)
    }
}

/// The smallest of 1, 2, 5 or 10 times a power of ten that is at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    let fraction = raw / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// Decimals needed to print multiples of `step` exactly (0 for steps of 1 and more).
fn decimals_for(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().max(0.0) as usize
    }
}

/// Positions `0..count` to label on a period or category axis, at most `most` of them, evenly
/// spaced from the first so the labels never crowd.
pub(crate) fn index_ticks(count: usize, most: usize) -> Vec<f64> {
    let step = count.div_ceil(most.max(1)).max(1);
    (0..count).step_by(step).map(|i| i as f64).collect()
}

/// The span of positions `0..count` with half a slot either side, so bars and points sit
/// inside the axis.
pub(crate) fn index_range(count: usize) -> Range<f64> {
    -0.5..(count.max(1) as f64 - 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_up_to_fourteen_are_labelled_every_five() {
        let axis = ValueAxis::spanning(0.0, 14.0, true);
        assert_eq!(axis.range, 0.0..15.0);
        assert_eq!(axis.ticks, [0.0, 5.0, 10.0, 15.0]);
        assert_eq!(axis.label(10.0), "10");
    }

    #[test]
    fn small_counts_never_get_fractional_labels() {
        let axis = ValueAxis::spanning(0.0, 2.0, true);
        assert_eq!(axis.ticks, [0.0, 1.0, 2.0]);
        assert_eq!(axis.decimals, 0);
    }

    #[test]
    fn a_flat_series_still_gets_an_axis_with_height() {
        let axis = ValueAxis::spanning(0.0, 0.0, true);
        assert_eq!(axis.range, 0.0..1.0);
        let axis = ValueAxis::spanning(3.0, 3.0, false);
        assert!(axis.range.start <= 3.0 && axis.range.end > 3.0, "{axis:?}");
    }

    #[test]
    fn fractional_steps_print_with_the_decimals_they_need() {
        let axis = ValueAxis::spanning(0.0, 0.9, false);
        assert_eq!(axis.ticks.len(), 6);
        assert_eq!(axis.label(axis.ticks[3]), "0.6");
        assert_eq!(axis.label(-0.0), "0.0");
    }

    #[test]
    fn twenty_six_weeks_get_at_most_eight_labels_starting_at_the_first() {
        let ticks = index_ticks(26, 8);
        assert_eq!(ticks, [0.0, 4.0, 8.0, 12.0, 16.0, 20.0, 24.0]);
        assert_eq!(index_ticks(3, 8), [0.0, 1.0, 2.0]);
    }
}
