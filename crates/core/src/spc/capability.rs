//! Process capability: how the spread of a process compares with its specification.
//!
//! Two sigmas answer two questions. The within-subgroup sigma (R-bar/d2, S-bar/c4 or MR-bar/d2)
//! is what the process could do if its mean held still: Cp and Cpk. The overall sample standard
//! deviation includes every shift and drift that happened: Pp and Ppk, what customers received.
//! A large gap between the two says the process is not in control, which matters more than
//! either figure. Both assume roughly normal data; that is for the user to check (a histogram,
//! a probability plot), not something these numbers can tell.
//!
//! With only one specification limit there is no tolerance width, so Cp and Pp do not exist and
//! Cpk and Ppk come from the side that is given.

use serde::{Deserialize, Serialize};

use crate::spc::chart::MIN_BASELINE_POINTS;
use crate::spc::constants::ChartConstants;
use crate::spc::error::{ensure_at_least, ensure_finite, SpcError};
use crate::spc::normal::{normal_cdf, normal_sf};
use crate::spc::variables::{mean, moving_ranges, range, std_dev};

/// The specification: a lower limit, an upper limit, or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SpecLimits {
    /// The lower specification limit (LSL), if there is one.
    pub lower: Option<f64>,
    /// The upper specification limit (USL), if there is one.
    pub upper: Option<f64>,
}

impl SpecLimits {
    /// Both limits.
    pub fn two_sided(lower: f64, upper: f64) -> Self {
        SpecLimits {
            lower: Some(lower),
            upper: Some(upper),
        }
    }

    /// Only a lower limit (say a strength that must be at least so much).
    pub fn lower_only(lower: f64) -> Self {
        SpecLimits {
            lower: Some(lower),
            upper: None,
        }
    }

    /// Only an upper limit (say a latency or a contamination level).
    pub fn upper_only(upper: f64) -> Self {
        SpecLimits {
            lower: None,
            upper: Some(upper),
        }
    }

    fn validate(&self) -> Result<(), SpcError> {
        let invalid = |reason| Err(SpcError::InvalidSpecLimits { reason });
        if self.lower.is_none() && self.upper.is_none() {
            return invalid("no specification limit was given");
        }
        if self
            .lower
            .into_iter()
            .chain(self.upper)
            .any(|l| !l.is_finite())
        {
            return invalid("a specification limit is not a finite number");
        }
        if let (Some(lower), Some(upper)) = (self.lower, self.upper) {
            if lower >= upper {
                return invalid("the lower specification limit is not below the upper one");
            }
        }
        Ok(())
    }
}

/// How the within-subgroup (short-term) sigma is estimated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithinSigma {
    /// R-bar / d2, as on an Xbar-R chart.
    #[default]
    Range,
    /// S-bar / c4, as on an Xbar-S chart; better for subgroups larger than about ten.
    StdDev,
    /// MR-bar / d2 over all values in time order, as on an individuals chart.
    MovingRange,
}

/// A capability study's figures.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capability {
    /// The mean of all values.
    pub mean: f64,
    /// The within-subgroup sigma estimate.
    pub within_sigma: f64,
    /// How it was estimated.
    pub within_method: WithinSigma,
    /// The sample standard deviation of all values (n − 1 denominator).
    pub overall_sigma: f64,
    /// (USL − LSL) / 6 sigma-within; `None` without both limits.
    pub cp: Option<f64>,
    /// The worse side: min((USL − mean), (mean − LSL)) / 3 sigma-within.
    pub cpk: f64,
    /// (USL − LSL) / 6 sigma-overall; `None` without both limits.
    pub pp: Option<f64>,
    /// As Cpk, with the overall sigma.
    pub ppk: f64,
    /// Expected defects per million outside the specification, were the values normal with the
    /// within sigma.
    pub expected_dpmo_within: f64,
    /// The same with the overall sigma: the long-term expectation.
    pub expected_dpmo_overall: f64,
}

/// A capability study of values in subgroups (in time order), with the within sigma estimated
/// by `method`. `Range` and `StdDev` need subgroups of equal size, at least two values each;
/// `MovingRange` reads all values in order and takes subgroups of any size, including one.
pub fn capability<S: AsRef<[f64]>>(
    subgroups: &[S],
    spec: SpecLimits,
    method: WithinSigma,
) -> Result<Capability, SpcError> {
    spec.validate()?;
    let values: Vec<f64> = subgroups.iter().flat_map(|s| s.as_ref()).copied().collect();
    ensure_finite(&values)?;
    ensure_at_least(values.len(), MIN_BASELINE_POINTS, "values")?;

    let within_sigma = match method {
        WithinSigma::MovingRange => {
            mean(&moving_ranges(&values)) / ChartConstants::for_subgroup_size(2)?.d2
        }
        WithinSigma::Range | WithinSigma::StdDev => {
            ensure_at_least(subgroups.len(), MIN_BASELINE_POINTS, "subgroups")?;
            let size = subgroups.first().map_or(0, |s| s.as_ref().len());
            let k = ChartConstants::for_subgroup_size(size)?;
            if let Some((subgroup, s)) = subgroups
                .iter()
                .enumerate()
                .find(|(_, s)| s.as_ref().len() != size)
            {
                let size_found = s.as_ref().len();
                return Err(SpcError::UnequalSubgroups {
                    subgroup,
                    size: size_found,
                    expected: size,
                });
            }
            if method == WithinSigma::Range {
                let ranges: Vec<f64> = subgroups.iter().map(|s| range(s.as_ref())).collect();
                mean(&ranges) / k.d2
            } else {
                let deviations: Vec<f64> = subgroups.iter().map(|s| std_dev(s.as_ref())).collect();
                mean(&deviations) / k.c4
            }
        }
    };
    let overall_sigma = std_dev(&values);
    if within_sigma == 0.0 || overall_sigma == 0.0 {
        return Err(SpcError::NoVariation { what: "value" });
    }

    let centre = mean(&values);
    let (cp, cpk, expected_dpmo_within) = indices(spec, centre, within_sigma);
    let (pp, ppk, expected_dpmo_overall) = indices(spec, centre, overall_sigma);
    Ok(Capability {
        mean: centre,
        within_sigma,
        within_method: method,
        overall_sigma,
        cp,
        cpk,
        pp,
        ppk,
        expected_dpmo_within,
        expected_dpmo_overall,
    })
}

/// A capability study of single values in time order (within sigma from moving ranges).
pub fn individuals_capability(values: &[f64], spec: SpecLimits) -> Result<Capability, SpcError> {
    let subgroups: Vec<[f64; 1]> = values.iter().map(|&v| [v]).collect();
    capability(&subgroups, spec, WithinSigma::MovingRange)
}

/// (width index, worse-side index, expected DPMO) for one sigma.
fn indices(spec: SpecLimits, centre: f64, sigma: f64) -> (Option<f64>, f64, f64) {
    let width = match (spec.lower, spec.upper) {
        (Some(lower), Some(upper)) => Some((upper - lower) / (6.0 * sigma)),
        _ => None,
    };
    let upper_side = spec.upper.map(|upper| (upper - centre) / (3.0 * sigma));
    let lower_side = spec.lower.map(|lower| (centre - lower) / (3.0 * sigma));
    let worse = upper_side
        .into_iter()
        .chain(lower_side)
        .fold(f64::INFINITY, f64::min);

    let above = spec
        .upper
        .map_or(0.0, |upper| normal_sf((upper - centre) / sigma));
    let below = spec
        .lower
        .map_or(0.0, |lower| normal_cdf((lower - centre) / sigma));
    (width, worse, (above + below) * 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    /// Four subgroups of three, each a spread of ±1 around means 9, 10, 10, 11.
    fn subgroups() -> Vec<[f64; 3]> {
        vec![
            [8.0, 9.0, 10.0],
            [9.0, 10.0, 11.0],
            [9.0, 10.0, 11.0],
            [10.0, 11.0, 12.0],
        ]
    }

    #[test]
    fn cp_and_cpk_use_the_within_sigma_and_pp_and_ppk_the_overall_one() {
        let spec = SpecLimits::two_sided(4.0, 17.0);
        let study = capability(&subgroups(), spec, WithinSigma::Range).expect("valid");
        // R-bar = 2 and d2 = 1.693; mean 10.
        let within = 2.0 / 1.693;
        assert!(close(study.within_sigma, within, 1e-12));
        assert!(close(
            study.cp.expect("two-sided"),
            13.0 / (6.0 * within),
            1e-12
        ));
        assert!(close(study.cpk, 6.0 / (3.0 * within), 1e-12));

        // Twelve values around 10 whose squared deviations sum to 14.
        let overall = (14.0f64 / 11.0).sqrt();
        assert!(close(study.overall_sigma, overall, 1e-12));
        assert!(close(
            study.pp.expect("two-sided"),
            13.0 / (6.0 * overall),
            1e-12
        ));
        assert!(close(study.ppk, 6.0 / (3.0 * overall), 1e-12));
    }

    #[test]
    fn the_s_estimate_divides_the_mean_deviation_by_c4() {
        let spec = SpecLimits::upper_only(13.0);
        let study = capability(&subgroups(), spec, WithinSigma::StdDev).expect("valid");
        assert!(close(study.within_sigma, 1.0 / 0.8862, 1e-12));
    }

    #[test]
    fn a_one_sided_specification_has_no_cp_and_takes_cpk_from_its_side() {
        let upper = capability(
            &subgroups(),
            SpecLimits::upper_only(13.0),
            WithinSigma::Range,
        )
        .expect("valid");
        assert_eq!((upper.cp, upper.pp), (None, None));
        assert!(close(upper.cpk, 3.0 / (3.0 * upper.within_sigma), 1e-12));

        let lower = capability(
            &subgroups(),
            SpecLimits::lower_only(8.5),
            WithinSigma::Range,
        )
        .expect("valid");
        assert!(close(lower.ppk, 1.5 / (3.0 * lower.overall_sigma), 1e-12));
        // Below the mean only: the expected fraction is the lower tail alone.
        let tail = normal_cdf(-1.5 / lower.within_sigma);
        assert!(close(lower.expected_dpmo_within, tail * 1e6, 1e-6));
    }

    #[test]
    fn individuals_capability_reads_sigma_from_the_moving_range() {
        let values: Vec<f64> = [-1.0, 1.0].repeat(50);
        let study =
            individuals_capability(&values, SpecLimits::two_sided(-6.0, 6.0)).expect("valid");
        // MR-bar = 2, so sigma-within = 2 / 1.128 and each limit sits 3.384 sigma out.
        let within = 2.0 / 1.128;
        assert!(close(study.within_sigma, within, 1e-12));
        assert!(close(
            study.expected_dpmo_within,
            2.0 * normal_sf(6.0 / within) * 1e6,
            1e-6
        ));
        assert_eq!(study.within_method, WithinSigma::MovingRange);
    }

    #[test]
    fn a_process_centred_three_sigma_inside_both_limits_loses_2700_per_million() {
        let within = 2.0 / 1.128;
        let study = capability(
            &[[-1.0, 1.0], [-1.0, 1.0]],
            SpecLimits::two_sided(-3.0 * within, 3.0 * within),
            WithinSigma::Range,
        )
        .expect("valid");
        assert!(close(study.cp.expect("two-sided"), 1.0, 1e-12));
        assert!(close(study.cpk, 1.0, 1e-12));
        assert!(close(study.expected_dpmo_within, 2_699.796, 1e-3));
    }

    #[test]
    fn inverted_or_missing_specification_limits_are_refused() {
        for spec in [SpecLimits::two_sided(5.0, 5.0), SpecLimits::default()] {
            assert!(matches!(
                capability(&subgroups(), spec, WithinSigma::Range),
                Err(SpcError::InvalidSpecLimits { .. })
            ));
        }
        assert!(matches!(
            capability(
                &subgroups(),
                SpecLimits::upper_only(f64::NAN),
                WithinSigma::Range
            ),
            Err(SpcError::InvalidSpecLimits { .. })
        ));
    }

    #[test]
    fn range_and_deviation_estimates_need_equal_subgroups() {
        let uneven: Vec<Vec<f64>> = vec![vec![1.0, 2.0, 3.0], vec![1.0, 2.0]];
        assert_eq!(
            capability(&uneven, SpecLimits::upper_only(9.0), WithinSigma::StdDev),
            Err(SpcError::UnequalSubgroups {
                subgroup: 1,
                size: 2,
                expected: 3
            })
        );
        assert!(capability(
            &uneven,
            SpecLimits::upper_only(9.0),
            WithinSigma::MovingRange
        )
        .is_ok());
    }
}
