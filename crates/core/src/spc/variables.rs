//! Variables charts: individuals and moving range (I-MR), Xbar-R and Xbar-S.
//!
//! Sigma is always estimated from short-term variation (moving ranges, or the spread within
//! subgroups), never from the overall standard deviation: a shift between points would inflate
//! the overall figure and widen the limits until they could no longer see the shift.
//!
//! Limits use the tabulated factors (A2, D4, ...) rather than 3 sigma-hat built from d2, so they
//! match hand calculations and textbooks to the printed digits.

use crate::spc::chart::{
    three_sigma_point, ChartKind, ChartPair, ChartPoint, ControlChart, ControlLimits,
    MIN_BASELINE_POINTS,
};
use crate::spc::constants::ChartConstants;
use crate::spc::error::{ensure_at_least, ensure_finite, SpcError};

/// What a spread chart plots for one subgroup: its range or its standard deviation.
type Statistic = fn(&[f64]) -> f64;

/// An individuals chart's moving range spans two consecutive values.
const MOVING_RANGE_SPAN: usize = 2;

impl ControlLimits {
    /// Limits for an individuals and moving range chart from baseline values in time order.
    pub fn individuals(values: &[f64]) -> Result<Self, SpcError> {
        ensure_at_least(values.len(), MIN_BASELINE_POINTS, "values")?;
        ensure_finite(values)?;

        let mr_bar = mean(&moving_ranges(values));
        if mr_bar == 0.0 {
            return Err(SpcError::NoVariation { what: "value" });
        }
        Ok(ControlLimits::Individuals {
            mean: mean(values),
            mr_bar,
        })
    }

    /// Limits for an Xbar-R chart from baseline subgroups of equal size.
    pub fn xbar_r<S: AsRef<[f64]>>(subgroups: &[S]) -> Result<Self, SpcError> {
        let subgroup_size = check_baseline_subgroups(subgroups)?;
        let ranges: Vec<f64> = subgroups.iter().map(|s| range(s.as_ref())).collect();

        let r_bar = mean(&ranges);
        if r_bar == 0.0 {
            return Err(SpcError::NoVariation {
                what: "subgroup range",
            });
        }
        Ok(ControlLimits::XbarR {
            grand_mean: grand_mean(subgroups),
            r_bar,
            subgroup_size,
        })
    }

    /// Limits for an Xbar-S chart from baseline subgroups of equal size.
    pub fn xbar_s<S: AsRef<[f64]>>(subgroups: &[S]) -> Result<Self, SpcError> {
        let subgroup_size = check_baseline_subgroups(subgroups)?;
        let deviations: Vec<f64> = subgroups.iter().map(|s| std_dev(s.as_ref())).collect();

        let s_bar = mean(&deviations);
        if s_bar == 0.0 {
            return Err(SpcError::NoVariation {
                what: "subgroup standard deviation",
            });
        }
        Ok(ControlLimits::XbarS {
            grand_mean: grand_mean(subgroups),
            s_bar,
            subgroup_size,
        })
    }

    /// Charts values in time order against individuals limits. The moving range chart starts at
    /// the second value: the baseline's last value is not kept, so the first new value has no
    /// predecessor.
    pub fn chart_individuals(&self, values: &[f64]) -> Result<ChartPair, SpcError> {
        let ControlLimits::Individuals { mean, mr_bar } = *self else {
            return Err(SpcError::LimitsDoNotFit {
                limits: self.kind(),
                data: "single values",
            });
        };
        ensure_finite(values)?;
        let k = ChartConstants::for_subgroup_size(MOVING_RANGE_SPAN)?;

        let sigma = mr_bar / k.d2;
        let location = values
            .iter()
            .enumerate()
            .map(|(i, &x)| three_sigma_point(i, x, mean, sigma, f64::NEG_INFINITY, f64::INFINITY))
            .collect();
        let spread = moving_ranges(values)
            .into_iter()
            .enumerate()
            .map(|(i, mr)| spread_point(i + 1, mr, mr_bar, k.range_lower, k.range_upper))
            .collect();
        Ok(pair(
            ChartKind::Individuals,
            location,
            ChartKind::MovingRange,
            spread,
        ))
    }

    /// Charts subgroups against Xbar-R or Xbar-S limits; every subgroup must have the
    /// baseline's size, since the factors depend on it.
    pub fn chart_subgroups<S: AsRef<[f64]>>(&self, subgroups: &[S]) -> Result<ChartPair, SpcError> {
        let (grand_mean, spread_bar, size, spread_kind) = match *self {
            ControlLimits::XbarR {
                grand_mean,
                r_bar,
                subgroup_size,
            } => (grand_mean, r_bar, subgroup_size, ChartKind::Range),
            ControlLimits::XbarS {
                grand_mean,
                s_bar,
                subgroup_size,
            } => (grand_mean, s_bar, subgroup_size, ChartKind::StdDev),
            _ => {
                return Err(SpcError::LimitsDoNotFit {
                    limits: self.kind(),
                    data: "subgroups",
                })
            }
        };
        check_subgroups(subgroups, Some(size))?;
        let k = ChartConstants::for_subgroup_size(size)?;

        let (location_factor, lower, upper, statistic): (f64, f64, f64, Statistic) =
            match spread_kind {
                ChartKind::Range => (k.a2, k.range_lower, k.range_upper, range),
                _ => (k.a3, k.b3, k.b4, std_dev),
            };
        let half_width = location_factor * spread_bar;
        let location = subgroups
            .iter()
            .enumerate()
            .map(|(i, s)| ChartPoint {
                sample: i,
                value: mean(s.as_ref()),
                centre: grand_mean,
                lcl: grand_mean - half_width,
                ucl: grand_mean + half_width,
                sigma: half_width / 3.0,
            })
            .collect();
        let spread = subgroups
            .iter()
            .enumerate()
            .map(|(i, s)| spread_point(i, statistic(s.as_ref()), spread_bar, lower, upper))
            .collect();
        Ok(pair(ChartKind::Xbar, location, spread_kind, spread))
    }
}

/// Phase I individuals and moving range chart: limits from `values`, applied to them.
pub fn individuals_chart(values: &[f64]) -> Result<ChartPair, SpcError> {
    ControlLimits::individuals(values)?.chart_individuals(values)
}

/// Phase I Xbar-R chart: limits from `subgroups`, applied to them.
pub fn xbar_r_chart<S: AsRef<[f64]>>(subgroups: &[S]) -> Result<ChartPair, SpcError> {
    ControlLimits::xbar_r(subgroups)?.chart_subgroups(subgroups)
}

/// Phase I Xbar-S chart: limits from `subgroups`, applied to them.
pub fn xbar_s_chart<S: AsRef<[f64]>>(subgroups: &[S]) -> Result<ChartPair, SpcError> {
    ControlLimits::xbar_s(subgroups)?.chart_subgroups(subgroups)
}

/// A range or standard deviation point: its limits are factors of the centre line, and its
/// sigma is read back from the upper factor so the zones agree with the drawn UCL.
fn spread_point(sample: usize, value: f64, centre: f64, lower: f64, upper: f64) -> ChartPoint {
    ChartPoint {
        sample,
        value,
        centre,
        lcl: lower * centre,
        ucl: upper * centre,
        sigma: (upper - 1.0) * centre / 3.0,
    }
}

fn pair(
    location_kind: ChartKind,
    location: Vec<ChartPoint>,
    spread_kind: ChartKind,
    spread: Vec<ChartPoint>,
) -> ChartPair {
    ChartPair {
        location: ControlChart {
            kind: location_kind,
            points: location,
        },
        spread: ControlChart {
            kind: spread_kind,
            points: spread,
        },
    }
}

/// Checks a baseline's subgroups and returns their common size.
fn check_baseline_subgroups<S: AsRef<[f64]>>(subgroups: &[S]) -> Result<usize, SpcError> {
    ensure_at_least(subgroups.len(), MIN_BASELINE_POINTS, "subgroups")?;
    check_subgroups(subgroups, None)
}

/// Checks every subgroup has `expected` values (or the first one's count), at least two, all
/// finite; returns the size.
fn check_subgroups<S: AsRef<[f64]>>(
    subgroups: &[S],
    expected: Option<usize>,
) -> Result<usize, SpcError> {
    let first = subgroups.first().map(|s| s.as_ref().len());
    let Some(size) = expected.or(first) else {
        return Ok(0);
    };
    if size < 2 {
        return Err(SpcError::SubgroupSizeOutOfRange { size });
    }
    if let Some((subgroup, s)) = subgroups
        .iter()
        .enumerate()
        .find(|(_, s)| s.as_ref().len() != size)
    {
        return Err(SpcError::UnequalSubgroups {
            subgroup,
            size: s.as_ref().len(),
            expected: size,
        });
    }
    ensure_finite(subgroups.iter().flat_map(|s| s.as_ref()))?;
    Ok(size)
}

fn grand_mean<S: AsRef<[f64]>>(subgroups: &[S]) -> f64 {
    let means: Vec<f64> = subgroups.iter().map(|s| mean(s.as_ref())).collect();
    mean(&means)
}

/// |x_i − x_(i−1)| for i = 1..len.
pub(crate) fn moving_ranges(values: &[f64]) -> Vec<f64> {
    values
        .windows(MOVING_RANGE_SPAN)
        .map(|w| (w[1] - w[0]).abs())
        .collect()
}

/// The arithmetic mean; zero for no values, which callers rule out first.
pub(crate) fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// The largest value minus the smallest.
pub(crate) fn range(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    max - min
}

/// The sample standard deviation (n − 1), in two passes: measurements such as 74.0xx mm with a
/// spread of 0.01 would lose most of their digits to the one-pass sum of squares.
pub(crate) fn std_dev(values: &[f64]) -> f64 {
    let m = mean(values);
    let squares: f64 = values.iter().map(|x| (x - m) * (x - m)).sum();
    (squares / (values.len() as f64 - 1.0)).sqrt()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn an_individuals_chart_matches_a_hand_computation() {
        // Mean 12.2; moving ranges 2, 1, 4, 2 so MR-bar = 2.25 and sigma = 2.25 / 1.128.
        let chart = individuals_chart(&[10.0, 12.0, 11.0, 15.0, 13.0]).expect("valid values");
        let first = chart.location.points[0];
        assert!(close(first.centre, 12.2, 1e-12));
        assert!(close(first.ucl, 12.2 + 3.0 * 2.25 / 1.128, 1e-12));
        assert!(close(first.lcl, 12.2 - 3.0 * 2.25 / 1.128, 1e-12));

        let mr = &chart.spread.points;
        assert_eq!(mr.len(), 4);
        assert_eq!(mr[0].sample, 1);
        assert_eq!(
            mr.iter().map(|p| p.value).collect::<Vec<_>>(),
            [2.0, 1.0, 4.0, 2.0]
        );
        assert!(close(mr[0].centre, 2.25, 1e-12));
        assert!(close(mr[0].ucl, 3.267 * 2.25, 1e-12));
        assert_eq!(mr[0].lcl, 0.0);
    }

    #[test]
    fn frozen_individuals_limits_do_not_move_with_new_data() {
        let limits = ControlLimits::individuals(&[10.0, 12.0, 11.0, 15.0, 13.0]).expect("valid");
        let chart = limits.chart_individuals(&[30.0, 31.0]).expect("valid");
        assert!(close(chart.location.points[0].centre, 12.2, 1e-12));
        assert!(chart
            .location
            .points
            .iter()
            .all(ChartPoint::is_beyond_limits));
        assert_eq!(chart.spread.points.len(), 1);
    }

    #[test]
    fn subgroups_of_unequal_size_are_refused_with_the_offending_subgroup() {
        let subgroups = [vec![1.0, 2.0, 3.0], vec![1.0, 2.0, 3.0], vec![1.0, 2.0]];
        assert_eq!(
            ControlLimits::xbar_r(&subgroups),
            Err(SpcError::UnequalSubgroups {
                subgroup: 2,
                size: 2,
                expected: 3
            })
        );
    }

    #[test]
    fn new_subgroups_must_have_the_baselines_size() {
        let limits = ControlLimits::xbar_s(&[[1.0, 2.0, 4.0], [2.0, 3.0, 3.5]]).expect("valid");
        assert_eq!(
            limits.chart_subgroups(&[[1.0, 2.0]]),
            Err(SpcError::UnequalSubgroups {
                subgroup: 0,
                size: 2,
                expected: 3
            })
        );
    }

    #[test]
    fn subgroups_of_one_value_are_sent_to_the_individuals_chart() {
        assert_eq!(
            ControlLimits::xbar_r(&[[1.0], [2.0]]),
            Err(SpcError::SubgroupSizeOutOfRange { size: 1 })
        );
    }

    #[test]
    fn a_nan_is_reported_at_its_position_among_all_values() {
        let subgroups = [[1.0, 2.0], [3.0, f64::NAN]];
        assert_eq!(
            ControlLimits::xbar_r(&subgroups),
            Err(SpcError::NonFinite { position: 3 })
        );
        assert_eq!(
            individuals_chart(&[1.0, f64::INFINITY, 2.0]),
            Err(SpcError::NonFinite { position: 1 })
        );
    }

    #[test]
    fn a_single_value_is_too_few_for_limits() {
        assert_eq!(
            ControlLimits::individuals(&[1.0]),
            Err(SpcError::TooFewPoints {
                needed: 2,
                got: 1,
                what: "values"
            })
        );
    }

    #[test]
    fn constant_values_have_no_variation_to_set_limits_from() {
        assert_eq!(
            ControlLimits::individuals(&[4.0, 4.0, 4.0]),
            Err(SpcError::NoVariation { what: "value" })
        );
    }

    #[test]
    fn individuals_limits_cannot_chart_subgroups() {
        let limits = ControlLimits::individuals(&[1.0, 2.0, 4.0]).expect("valid");
        assert!(matches!(
            limits.chart_subgroups(&[[1.0, 2.0]]),
            Err(SpcError::LimitsDoNotFit {
                limits: ChartKind::Individuals,
                ..
            })
        ));
    }

    proptest! {
        #[test]
        fn the_individuals_limits_follow_the_naive_mean_moving_range(
            values in prop::collection::vec(-1e3f64..1e3, 2..60)
        ) {
            let mut naive = 0.0;
            for i in 1..values.len() {
                naive += (values[i] - values[i - 1]).abs();
            }
            naive /= (values.len() - 1) as f64;
            prop_assume!(naive > 0.0);

            let chart = individuals_chart(&values).expect("finite values with some spread");
            let point = chart.location.points[0];
            let mr = chart.spread.points[0];
            prop_assert!((mr.centre - naive).abs() <= 1e-9 * naive.max(1.0));
            prop_assert!(((point.ucl - point.centre) - 3.0 * naive / 1.128).abs() <= 1e-9 * naive.max(1.0));
            prop_assert_eq!(chart.spread.points.len(), values.len() - 1);
        }

        #[test]
        fn xbar_r_and_xbar_s_centre_on_the_mean_of_all_values(
            subgroups in prop::collection::vec(prop::collection::vec(-1e3f64..1e3, 4), 2..30)
        ) {
            let all: Vec<f64> = subgroups.iter().flatten().copied().collect();
            let overall = all.iter().sum::<f64>() / all.len() as f64;
            for chart in [xbar_r_chart(&subgroups), xbar_s_chart(&subgroups)] {
                let chart = chart.expect("random subgroups have spread");
                prop_assert!((chart.location.points[0].centre - overall).abs() < 1e-9);
            }
        }
    }
}
