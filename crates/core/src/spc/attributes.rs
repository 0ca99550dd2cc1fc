//! Attributes charts: p and np for nonconforming items, c and u for defects.
//!
//! The centre lines are pooled (total nonconforming over total inspected, total defects over
//! total units), not means of the per-sample proportions, so a large sample weighs as much as it
//! tells. The binomial and Poisson sigmas depend on the sample size, so p and u limits differ
//! from point to point when sizes differ; the LCL is clamped at zero (and a p chart's UCL at
//! one, an np chart's at the sample size), since a limit nothing can cross would never signal.
//!
//! Counts are signed integers on purpose: a negative count from a spreadsheet is reported as
//! such instead of wrapping into a huge number.

use serde::{Deserialize, Serialize};

use crate::spc::chart::{
    three_sigma_point, ChartKind, ControlChart, ControlLimits, MIN_BASELINE_POINTS,
};
use crate::spc::error::{ensure_at_least, ensure_finite, SpcError};

/// One sample inspected for nonconforming items (p and np charts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionLot {
    /// Items found nonconforming.
    pub nonconforming: i64,
    /// Items inspected.
    pub inspected: i64,
}

/// Defects counted over an area of opportunity (u charts): units inspected, thousands of
/// operating hours, deployments, whatever the rate is per.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DefectCount {
    /// Defects found.
    pub defects: i64,
    /// How many units the defects were counted over; fractions are allowed.
    pub units: f64,
}

impl ControlLimits {
    /// Limits for a p chart from baseline samples; sample sizes may differ.
    pub fn p(lots: &[InspectionLot]) -> Result<Self, SpcError> {
        ensure_at_least(lots.len(), MIN_BASELINE_POINTS, "samples")?;
        check_lots(lots, None)?;
        Ok(ControlLimits::P {
            p_bar: pooled_proportion(lots)?,
        })
    }

    /// Limits for an np chart from baseline samples, which must all have the same size.
    pub fn np(lots: &[InspectionLot]) -> Result<Self, SpcError> {
        ensure_at_least(lots.len(), MIN_BASELINE_POINTS, "samples")?;
        let sample_size = lots.first().map_or(0, |lot| lot.inspected);
        check_lots(lots, Some(sample_size))?;
        Ok(ControlLimits::Np {
            p_bar: pooled_proportion(lots)?,
            sample_size,
        })
    }

    /// Limits for a c chart from baseline defect counts over equal areas of opportunity.
    pub fn c(counts: &[i64]) -> Result<Self, SpcError> {
        ensure_at_least(counts.len(), MIN_BASELINE_POINTS, "counts")?;
        check_counts(counts.iter().copied())?;

        let c_bar = counts.iter().map(|&c| c as f64).sum::<f64>() / counts.len() as f64;
        if c_bar == 0.0 {
            return Err(SpcError::NoVariation {
                what: "count (all zero)",
            });
        }
        Ok(ControlLimits::C { c_bar })
    }

    /// Limits for a u chart from baseline defect counts over varying areas of opportunity.
    pub fn u(samples: &[DefectCount]) -> Result<Self, SpcError> {
        ensure_at_least(samples.len(), MIN_BASELINE_POINTS, "samples")?;
        check_defect_counts(samples)?;

        let defects: f64 = samples.iter().map(|s| s.defects as f64).sum();
        let units: f64 = samples.iter().map(|s| s.units).sum();
        if defects == 0.0 {
            return Err(SpcError::NoVariation {
                what: "rate (all zero)",
            });
        }
        Ok(ControlLimits::U {
            u_bar: defects / units,
        })
    }

    /// Charts samples against p or np limits.
    pub fn chart_lots(&self, lots: &[InspectionLot]) -> Result<ControlChart, SpcError> {
        let points = match *self {
            ControlLimits::P { p_bar } => {
                check_lots(lots, None)?;
                lots.iter()
                    .enumerate()
                    .map(|(i, lot)| {
                        let n = lot.inspected as f64;
                        let sigma = (p_bar * (1.0 - p_bar) / n).sqrt();
                        let value = lot.nonconforming as f64 / n;
                        three_sigma_point(i, value, p_bar, sigma, 0.0, 1.0)
                    })
                    .collect()
            }
            ControlLimits::Np { p_bar, sample_size } => {
                check_lots(lots, Some(sample_size))?;
                let n = sample_size as f64;
                let sigma = (n * p_bar * (1.0 - p_bar)).sqrt();
                lots.iter()
                    .enumerate()
                    .map(|(i, lot)| {
                        let value = lot.nonconforming as f64;
                        three_sigma_point(i, value, n * p_bar, sigma, 0.0, n)
                    })
                    .collect()
            }
            _ => {
                return Err(SpcError::LimitsDoNotFit {
                    limits: self.kind(),
                    data: "inspection lots",
                })
            }
        };
        Ok(ControlChart {
            kind: self.kind(),
            points,
        })
    }

    /// Charts defect counts against c limits.
    pub fn chart_counts(&self, counts: &[i64]) -> Result<ControlChart, SpcError> {
        let ControlLimits::C { c_bar } = *self else {
            return Err(SpcError::LimitsDoNotFit {
                limits: self.kind(),
                data: "defect counts",
            });
        };
        check_counts(counts.iter().copied())?;

        let sigma = c_bar.sqrt();
        let points = counts
            .iter()
            .enumerate()
            .map(|(i, &c)| three_sigma_point(i, c as f64, c_bar, sigma, 0.0, f64::INFINITY))
            .collect();
        Ok(ControlChart {
            kind: ChartKind::C,
            points,
        })
    }

    /// Charts defects per unit against u limits.
    pub fn chart_defects(&self, samples: &[DefectCount]) -> Result<ControlChart, SpcError> {
        let ControlLimits::U { u_bar } = *self else {
            return Err(SpcError::LimitsDoNotFit {
                limits: self.kind(),
                data: "defects per unit",
            });
        };
        check_defect_counts(samples)?;

        let points = samples
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let sigma = (u_bar / s.units).sqrt();
                let value = s.defects as f64 / s.units;
                three_sigma_point(i, value, u_bar, sigma, 0.0, f64::INFINITY)
            })
            .collect();
        Ok(ControlChart {
            kind: ChartKind::U,
            points,
        })
    }
}

/// Phase I p chart: limits from `lots`, applied to them.
pub fn p_chart(lots: &[InspectionLot]) -> Result<ControlChart, SpcError> {
    ControlLimits::p(lots)?.chart_lots(lots)
}

/// Phase I np chart: limits from `lots`, applied to them.
pub fn np_chart(lots: &[InspectionLot]) -> Result<ControlChart, SpcError> {
    ControlLimits::np(lots)?.chart_lots(lots)
}

/// Phase I c chart: limits from `counts`, applied to them.
pub fn c_chart(counts: &[i64]) -> Result<ControlChart, SpcError> {
    ControlLimits::c(counts)?.chart_counts(counts)
}

/// Phase I u chart: limits from `samples`, applied to them.
pub fn u_chart(samples: &[DefectCount]) -> Result<ControlChart, SpcError> {
    ControlLimits::u(samples)?.chart_defects(samples)
}

/// Total nonconforming over total inspected, refusing the all-good and all-bad baselines whose
/// binomial sigma is zero.
fn pooled_proportion(lots: &[InspectionLot]) -> Result<f64, SpcError> {
    let nonconforming: f64 = lots.iter().map(|lot| lot.nonconforming as f64).sum();
    let inspected: f64 = lots.iter().map(|lot| lot.inspected as f64).sum();
    let p_bar = nonconforming / inspected;
    if p_bar == 0.0 || p_bar == 1.0 {
        return Err(SpcError::NoVariation {
            what: "proportion (all zero or all one)",
        });
    }
    Ok(p_bar)
}

fn check_counts(counts: impl IntoIterator<Item = i64>) -> Result<(), SpcError> {
    match counts.into_iter().enumerate().find(|&(_, c)| c < 0) {
        Some((sample, count)) => Err(SpcError::NegativeCount { sample, count }),
        None => Ok(()),
    }
}

/// Checks counts and sizes, and that every sample has `size` items when one is required.
fn check_lots(lots: &[InspectionLot], size: Option<i64>) -> Result<(), SpcError> {
    for (sample, lot) in lots.iter().enumerate() {
        if lot.inspected <= 0 {
            return Err(SpcError::NonPositiveSize {
                sample,
                size: lot.inspected as f64,
            });
        }
        if let Some(expected) = size.filter(|&expected| expected != lot.inspected) {
            return Err(SpcError::UnequalSampleSizes {
                sample,
                size: lot.inspected,
                expected,
            });
        }
        if lot.nonconforming > lot.inspected {
            return Err(SpcError::CountExceedsSize {
                sample,
                count: lot.nonconforming,
                size: lot.inspected,
            });
        }
    }
    check_counts(lots.iter().map(|lot| lot.nonconforming))
}

fn check_defect_counts(samples: &[DefectCount]) -> Result<(), SpcError> {
    ensure_finite(samples.iter().map(|s| &s.units))?;
    if let Some((sample, s)) = samples.iter().enumerate().find(|(_, s)| s.units <= 0.0) {
        return Err(SpcError::NonPositiveSize {
            sample,
            size: s.units,
        });
    }
    check_counts(samples.iter().map(|s| s.defects))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    fn lot(nonconforming: i64, inspected: i64) -> InspectionLot {
        InspectionLot {
            nonconforming,
            inspected,
        }
    }

    #[test]
    fn a_c_chart_matches_a_hand_computation() {
        // 20 + 24 + 16 + 12 + 15 + 5 + 28 + 20 = 140 defects in 8 samples: c-bar = 17.5,
        // limits 17.5 ± 3 sqrt(17.5) = 17.5 ± 12.5499 -> 4.9501 and 30.0499.
        let chart = c_chart(&[20, 24, 16, 12, 15, 5, 28, 20]).expect("valid counts");
        let point = chart.points[0];
        assert!(close(point.centre, 17.5, 1e-12));
        assert!(close(point.ucl, 30.0499, 1e-4));
        assert!(close(point.lcl, 4.9501, 1e-4));
        assert!(close(point.sigma, 17.5f64.sqrt(), 1e-12));
        assert!(chart.points.iter().all(|p| !p.is_beyond_limits()));
    }

    #[test]
    fn a_c_chart_with_few_defects_clamps_its_lcl_at_zero() {
        // c-bar = 2, so 2 − 3 sqrt(2) < 0.
        let chart = c_chart(&[1, 3, 2, 2]).expect("valid counts");
        assert_eq!(chart.points[0].lcl, 0.0);
        assert!(close(chart.points[0].ucl, 2.0 + 3.0 * 2.0f64.sqrt(), 1e-12));
    }

    #[test]
    fn a_u_chart_widens_its_limits_where_the_exposure_is_small() {
        // 20 + 60 + 30 + 90 = 200 defects over 10 + 40 + 10 + 40 = 100 units: u-bar = 2.
        let samples = [(20, 10.0), (60, 40.0), (30, 10.0), (90, 40.0)]
            .map(|(defects, units)| DefectCount { defects, units });
        let chart = u_chart(&samples).expect("valid samples");

        let values: Vec<f64> = chart.points.iter().map(|p| p.value).collect();
        assert_eq!(values, [2.0, 1.5, 3.0, 2.25]);
        for (point, units) in chart.points.iter().zip([10.0f64, 40.0, 10.0, 40.0]) {
            let half_width = 3.0 * (2.0 / units).sqrt();
            assert!(close(point.centre, 2.0, 1e-12));
            assert!(close(point.ucl, 2.0 + half_width, 1e-12));
            assert!(close(point.lcl, 2.0 - half_width, 1e-12));
        }
        // A rate of 3 is inside the wide limits of 10 units (UCL 3.34) but would be outside
        // those of 40 units (UCL 2.67).
        assert!(!chart.points[2].is_beyond_limits());
        assert!(chart.points[1].ucl < 3.0 && chart.points[1].lcl > 1.3);
    }

    #[test]
    fn a_u_chart_clamps_its_lcl_at_zero_for_small_exposures() {
        let samples = [(2, 2.0), (6, 4.0)].map(|(defects, units)| DefectCount { defects, units });
        let chart = u_chart(&samples).expect("valid samples");
        assert!(chart.points.iter().all(|p| p.lcl == 0.0));
    }

    #[test]
    fn a_p_chart_pools_the_proportion_and_varies_its_limits_with_sample_size() {
        let lots = [lot(5, 100), lot(12, 200), lot(3, 100)];
        let chart = p_chart(&lots).expect("valid lots");
        // 20 / 400 = 0.05, not the mean of 0.05, 0.06 and 0.03.
        assert!(close(chart.points[0].centre, 0.05, 1e-15));
        let sigma_100 = (0.05 * 0.95 / 100.0f64).sqrt();
        let sigma_200 = (0.05 * 0.95 / 200.0f64).sqrt();
        assert!(close(chart.points[0].ucl, 0.05 + 3.0 * sigma_100, 1e-15));
        assert!(close(chart.points[1].ucl, 0.05 + 3.0 * sigma_200, 1e-15));
        assert_eq!(chart.points[0].lcl, 0.0);
        assert!(close(chart.points[1].lcl, 0.05 - 3.0 * sigma_200, 1e-15));
    }

    #[test]
    fn an_np_chart_plots_counts_around_n_p_bar() {
        let chart = np_chart(&[lot(4, 50), lot(6, 50), lot(2, 50)]).expect("valid lots");
        // p-bar = 12 / 150 = 0.08: centre 4, sigma sqrt(50 × 0.08 × 0.92).
        let sigma = (50.0 * 0.08 * 0.92f64).sqrt();
        assert!(close(chart.points[0].centre, 4.0, 1e-12));
        assert!(close(chart.points[0].ucl, 4.0 + 3.0 * sigma, 1e-12));
        assert_eq!(chart.points[0].lcl, 0.0);
        assert_eq!(chart.points[1].value, 6.0);
    }

    #[test]
    fn an_np_chart_refuses_varying_sample_sizes() {
        assert_eq!(
            np_chart(&[lot(4, 50), lot(6, 60)]),
            Err(SpcError::UnequalSampleSizes {
                sample: 1,
                size: 60,
                expected: 50
            })
        );
    }

    #[test]
    fn negative_defect_counts_are_refused_with_their_sample() {
        assert_eq!(
            c_chart(&[3, -1, 2]),
            Err(SpcError::NegativeCount {
                sample: 1,
                count: -1
            })
        );
        assert_eq!(
            p_chart(&[lot(1, 10), lot(-2, 10)]),
            Err(SpcError::NegativeCount {
                sample: 1,
                count: -2
            })
        );
    }

    #[test]
    fn more_nonconforming_than_inspected_is_refused() {
        assert_eq!(
            p_chart(&[lot(1, 10), lot(12, 10)]),
            Err(SpcError::CountExceedsSize {
                sample: 1,
                count: 12,
                size: 10
            })
        );
    }

    #[test]
    fn empty_samples_and_non_finite_exposure_are_refused() {
        assert_eq!(
            p_chart(&[lot(1, 10), lot(0, 0)]),
            Err(SpcError::NonPositiveSize {
                sample: 1,
                size: 0.0
            })
        );
        let samples = [
            DefectCount {
                defects: 1,
                units: 1.0,
            },
            DefectCount {
                defects: 1,
                units: f64::NAN,
            },
        ];
        assert_eq!(u_chart(&samples), Err(SpcError::NonFinite { position: 1 }));
    }

    #[test]
    fn a_baseline_without_any_defect_has_no_limits() {
        assert!(matches!(
            c_chart(&[0, 0, 0]),
            Err(SpcError::NoVariation { .. })
        ));
        assert!(matches!(
            p_chart(&[lot(0, 10), lot(0, 10)]),
            Err(SpcError::NoVariation { .. })
        ));
    }

    #[test]
    fn frozen_u_limits_flag_a_new_sample_with_a_high_rate() {
        let baseline = [(2, 2.0), (6, 4.0), (3, 1.0), (9, 3.0)]
            .map(|(defects, units)| DefectCount { defects, units });
        let limits = ControlLimits::u(&baseline).expect("valid baseline");
        assert_eq!(limits, ControlLimits::U { u_bar: 2.0 });
        let chart = limits
            .chart_defects(&[DefectCount {
                defects: 40,
                units: 5.0,
            }])
            .expect("valid sample");
        assert!(close(chart.points[0].centre, 2.0, 1e-12));
        assert!(chart.points[0].is_beyond_limits());
        assert!(matches!(
            limits.chart_counts(&[1]),
            Err(SpcError::LimitsDoNotFit { .. })
        ));
    }
}
