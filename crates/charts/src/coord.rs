//! The coordinate every chart axis uses: a span of numbers labelled exactly where [`crate::axes`]
//! chose, never where plotters would.
//!
//! plotters can bind key points to a range (`with_key_points`), but that combinator loses the
//! label formatting its mesh needs for `f64`, so this small range of our own stands in.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// A linear span of `f64` with its labelled positions.
#[derive(Clone, Debug)]
pub(crate) struct Ticked {
    /// The span drawn.
    pub span: Range<f64>,
    /// The labelled positions (and grid lines).
    pub ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let width = self.span.end - self.span.start;
        if width == 0.0 || !width.is_finite() {
            return limit.0 + (limit.1 - limit.0) / 2;
        }
        let fraction = (value - self.span.start) / width;
        let pixels = f64::from(limit.1 - limit.0) * fraction;
        // Rounded, not floored, so a value maps to the nearest pixel whichever way the axis runs.
        limit.0 + pixels.round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Only the chosen positions are bold; the charts draw no light lines between them.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.span.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_map_linearly_onto_the_pixels_either_way_up() {
        let axis = Ticked {
            span: 0.0..10.0,
            ticks: vec![0.0, 5.0, 10.0],
        };
        assert_eq!(axis.map(&5.0, (100, 300)), 200);
        // A y axis runs from the bottom pixel up.
        assert_eq!(axis.map(&2.5, (300, 100)), 250);
    }
}
