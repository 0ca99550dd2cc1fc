//! What a control chart is made of: its points, each with the limits that hold for it, and the
//! frozen limits that carry a baseline over to new data.
//!
//! Every point carries its own centre line, limits and sigma, even where they are constant,
//! because p and u charts with varying sample sizes have limits that change from point to point,
//! and one shape lets the chart drawing and the rules treat every chart alike.

use serde::{Deserialize, Serialize};

/// The fewest baseline points (values or subgroups) any limits are computed from.
///
/// Two is what the arithmetic needs; textbooks ask for 20 to 25 before limits are trusted, which
/// is [`RECOMMENDED_BASELINE_POINTS`] and is for the UI to warn about, not a reason to refuse.
pub const MIN_BASELINE_POINTS: usize = 2;

/// The baseline length below which limits are themselves too uncertain to act on.
pub const RECOMMENDED_BASELINE_POINTS: usize = 20;

/// Which statistic a chart plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Single values (the I of I-MR).
    Individuals,
    /// Absolute differences of consecutive single values (the MR of I-MR).
    MovingRange,
    /// Subgroup means.
    Xbar,
    /// Subgroup ranges.
    Range,
    /// Subgroup standard deviations.
    StdDev,
    /// Proportion nonconforming per sample.
    P,
    /// Number nonconforming per sample (constant sample size).
    Np,
    /// Defects per sample (constant area of opportunity).
    C,
    /// Defects per unit (varying area of opportunity).
    U,
}

impl std::fmt::Display for ChartKind {
    /// The chart's usual short name: I, MR, Xbar, R, S, p, np, c, u.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ChartKind::Individuals => "I",
            ChartKind::MovingRange => "MR",
            ChartKind::Xbar => "Xbar",
            ChartKind::Range => "R",
            ChartKind::StdDev => "S",
            ChartKind::P => "p",
            ChartKind::Np => "np",
            ChartKind::C => "c",
            ChartKind::U => "u",
        })
    }
}

/// One plotted point and the limits that hold for it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    /// The position, in the data handed in, of the value or subgroup this point plots. Equal to
    /// the point's own position except on a moving range chart, whose first point is sample 1.
    pub sample: usize,
    /// The plotted statistic.
    pub value: f64,
    /// The centre line.
    pub centre: f64,
    /// The lower control limit (clamped at zero where the statistic cannot be negative).
    pub lcl: f64,
    /// The upper control limit (clamped at the largest possible value for p and np charts).
    pub ucl: f64,
    /// One standard error of the plotted statistic: the width of a zone for the zone rules,
    /// before any clamping of the limits.
    pub sigma: f64,
}

impl ChartPoint {
    /// True when the point lies strictly outside its control limits.
    pub fn is_beyond_limits(&self) -> bool {
        self.value > self.ucl || self.value < self.lcl
    }

    /// How many sigmas the point lies from the centre line (signed, above is positive).
    pub fn zone_score(&self) -> f64 {
        (self.value - self.centre) / self.sigma
    }
}

/// A control chart: what it plots and its points in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ControlChart {
    /// The statistic plotted.
    pub kind: ChartKind,
    /// The points in sample order.
    pub points: Vec<ChartPoint>,
}

/// The two charts of a variables pair: location (I or Xbar) above, spread (MR, R or S) below.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartPair {
    /// Individuals or subgroup means.
    pub location: ControlChart,
    /// Moving ranges, ranges or standard deviations.
    pub spread: ControlChart,
}

/// Limits frozen from a baseline, to chart new data against (phase II).
///
/// Computed from baseline data with the constructor of the chart wanted (for example
/// [`ControlLimits::xbar_r`]), stored with the chart, then applied to new data with the
/// `chart_*` method that takes that kind of data. Each variant holds only the estimates the
/// limits derive from, so a stored value stays small and readable; the limits for a point are
/// recomputed from them (p and u charts need the point's own sample size anyway).
///
/// Charting the baseline itself against its own limits is phase I; the free functions such as
/// [`crate::spc::xbar_r_chart`] do exactly that.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "chart", rename_all = "snake_case")]
pub enum ControlLimits {
    /// Individuals and moving range.
    Individuals {
        /// The mean of the baseline values: the I chart's centre line.
        mean: f64,
        /// The mean moving range (of span two): MR-bar / d2 estimates sigma.
        mr_bar: f64,
    },
    /// Xbar and range.
    XbarR {
        /// The mean of the subgroup means.
        grand_mean: f64,
        /// The mean subgroup range.
        r_bar: f64,
        /// Values per subgroup; new subgroups must have as many.
        subgroup_size: usize,
    },
    /// Xbar and standard deviation.
    XbarS {
        /// The mean of the subgroup means.
        grand_mean: f64,
        /// The mean subgroup standard deviation (n − 1 denominator).
        s_bar: f64,
        /// Values per subgroup; new subgroups must have as many.
        subgroup_size: usize,
    },
    /// Proportion nonconforming.
    P {
        /// Total nonconforming over total inspected in the baseline.
        p_bar: f64,
    },
    /// Number nonconforming.
    Np {
        /// Total nonconforming over total inspected in the baseline.
        p_bar: f64,
        /// Items per sample; new samples must have as many.
        sample_size: i64,
    },
    /// Defects per sample.
    C {
        /// The mean count.
        c_bar: f64,
    },
    /// Defects per unit.
    U {
        /// Total defects over total units in the baseline.
        u_bar: f64,
    },
}

impl ControlLimits {
    /// The chart the limits are for (for a pair, its location chart).
    pub fn kind(&self) -> ChartKind {
        match self {
            ControlLimits::Individuals { .. } => ChartKind::Individuals,
            ControlLimits::XbarR { .. } | ControlLimits::XbarS { .. } => ChartKind::Xbar,
            ControlLimits::P { .. } => ChartKind::P,
            ControlLimits::Np { .. } => ChartKind::Np,
            ControlLimits::C { .. } => ChartKind::C,
            ControlLimits::U { .. } => ChartKind::U,
        }
    }
}

/// A point whose limits are the centre ± 3 sigma, clamped to what the statistic can reach.
pub(crate) fn three_sigma_point(
    sample: usize,
    value: f64,
    centre: f64,
    sigma: f64,
    floor: f64,
    ceiling: f64,
) -> ChartPoint {
    ChartPoint {
        sample,
        value,
        centre,
        lcl: (centre - 3.0 * sigma).max(floor),
        ucl: (centre + 3.0 * sigma).min(ceiling),
        sigma,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_limits_survive_a_round_trip_through_json() {
        let limits = ControlLimits::XbarR {
            grand_mean: 74.001,
            r_bar: 0.023,
            subgroup_size: 5,
        };
        let json = serde_json::to_value(limits).expect("plain numbers serialise");
        assert_eq!(
            json,
            serde_json::json!({
                "chart": "xbar_r", "grand_mean": 74.001, "r_bar": 0.023, "subgroup_size": 5
            })
        );
        let back: ControlLimits = serde_json::from_value(json).expect("the same shape");
        assert_eq!(back, limits);
    }

    #[test]
    fn a_point_on_its_limit_is_not_beyond_it_and_scores_three_sigma() {
        let point = three_sigma_point(0, 13.0, 10.0, 1.0, 0.0, f64::INFINITY);
        assert_eq!((point.lcl, point.ucl), (7.0, 13.0));
        assert!(!point.is_beyond_limits());
        assert_eq!(point.zone_score(), 3.0);
    }
}
