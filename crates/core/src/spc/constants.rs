//! Control chart constants: the factors that turn an average range or standard deviation into
//! three-sigma limits, by subgroup size.
//!
//! For n = 2..=25 the values are the standard published table (as in Montgomery's *Introduction
//! to Statistical Quality Control*, appendix VI, and ASTM E2587), rounded as printed, so limits
//! match what engineers compute by hand and find in textbooks. A handful of printed values are
//! one unit off in the last place from the exact ones (D4 for n = 3 and 18, d3 for n = 19); they
//! are kept as printed because published examples use them.
//!
//! Beyond 25 every constant is computed:
//! - c4 exactly, as `sqrt(2/(n-1)) Γ(n/2) / Γ((n-1)/2)`, through the logarithm of the gamma
//!   ratio so it neither overflows nor loses the small distance from 1 that B3 and B4 depend on;
//! - d2 and d3, the mean and standard deviation of the range of n standard normal values, by
//!   numerical integration of the range's distribution (good to about 1e-6, finer than any
//!   table and than the usual `2 Φ⁻¹((n - 0.375)/(n + 0.25))` approximation, which is off by
//!   0.06% at n = 25). This costs a few milliseconds per call; a chart computes it once.
//!
//! Range charts beyond n = 10 or so waste information (the S chart is better there), but the
//! constants exist for any n, and refusing them would only move the problem to the caller.

use crate::spc::error::SpcError;
use crate::spc::normal::{normal_cdf, normal_pdf};

/// The largest subgroup size in the published table; larger sizes are computed.
pub const TABLE_MAX_SUBGROUP_SIZE: usize = 25;

/// Where a set of constants came from, so a report can say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstantsSource {
    /// The standard published table, as printed.
    Table,
    /// Computed (subgroups larger than the table).
    Computed,
}

/// The control chart constants for one subgroup size.
///
/// Field names follow the tables, except that the tables' capital D3 and D4 (range chart limit
/// factors) are `range_lower` and `range_upper`, to stay apart from the bias constant d3.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChartConstants {
    /// The subgroup size n.
    pub subgroup_size: usize,
    /// A2: Xbar limits are Xbar-bar ± A2 R-bar.
    pub a2: f64,
    /// A3: Xbar limits are Xbar-bar ± A3 S-bar.
    pub a3: f64,
    /// B3: the S chart's LCL is B3 S-bar.
    pub b3: f64,
    /// B4: the S chart's UCL is B4 S-bar.
    pub b4: f64,
    /// D3: the R chart's LCL is D3 R-bar.
    pub range_lower: f64,
    /// D4: the R chart's UCL is D4 R-bar.
    pub range_upper: f64,
    /// d2: the mean range of n standard normal values, so sigma is estimated as R-bar / d2.
    pub d2: f64,
    /// d3: the standard deviation of that range.
    pub d3: f64,
    /// c4: the mean sample standard deviation of n standard normal values, so sigma is
    /// estimated as S-bar / c4.
    pub c4: f64,
    /// Table or computed.
    pub source: ConstantsSource,
}

/// Rows for n = 2..=25: A2, A3, c4, B3, B4, d2, d3, D3, D4, as printed.
#[rustfmt::skip]
const TABLE: [[f64; 9]; 24] = [
    //  A2     A3     c4      B3     B4     d2     d3     D3     D4
    [1.880, 2.659, 0.7979, 0.000, 3.267, 1.128, 0.853, 0.000, 3.267], // 2
    [1.023, 1.954, 0.8862, 0.000, 2.568, 1.693, 0.888, 0.000, 2.574], // 3
    [0.729, 1.628, 0.9213, 0.000, 2.266, 2.059, 0.880, 0.000, 2.282], // 4
    [0.577, 1.427, 0.9400, 0.000, 2.089, 2.326, 0.864, 0.000, 2.114], // 5
    [0.483, 1.287, 0.9515, 0.030, 1.970, 2.534, 0.848, 0.000, 2.004], // 6
    [0.419, 1.182, 0.9594, 0.118, 1.882, 2.704, 0.833, 0.076, 1.924], // 7
    [0.373, 1.099, 0.9650, 0.185, 1.815, 2.847, 0.820, 0.136, 1.864], // 8
    [0.337, 1.032, 0.9693, 0.239, 1.761, 2.970, 0.808, 0.184, 1.816], // 9
    [0.308, 0.975, 0.9727, 0.284, 1.716, 3.078, 0.797, 0.223, 1.777], // 10
    [0.285, 0.927, 0.9754, 0.321, 1.679, 3.173, 0.787, 0.256, 1.744], // 11
    [0.266, 0.886, 0.9776, 0.354, 1.646, 3.258, 0.778, 0.283, 1.717], // 12
    [0.249, 0.850, 0.9794, 0.382, 1.618, 3.336, 0.770, 0.307, 1.693], // 13
    [0.235, 0.817, 0.9810, 0.406, 1.594, 3.407, 0.763, 0.328, 1.672], // 14
    [0.223, 0.789, 0.9823, 0.428, 1.572, 3.472, 0.756, 0.347, 1.653], // 15
    [0.212, 0.763, 0.9835, 0.448, 1.552, 3.532, 0.750, 0.363, 1.637], // 16
    [0.203, 0.739, 0.9845, 0.466, 1.534, 3.588, 0.744, 0.378, 1.622], // 17
    [0.194, 0.718, 0.9854, 0.482, 1.518, 3.640, 0.739, 0.391, 1.608], // 18
    [0.187, 0.698, 0.9862, 0.497, 1.503, 3.689, 0.734, 0.403, 1.597], // 19
    [0.180, 0.680, 0.9869, 0.510, 1.490, 3.735, 0.729, 0.415, 1.585], // 20
    [0.173, 0.663, 0.9876, 0.523, 1.477, 3.778, 0.724, 0.425, 1.575], // 21
    [0.167, 0.647, 0.9882, 0.534, 1.466, 3.819, 0.720, 0.434, 1.566], // 22
    [0.162, 0.633, 0.9887, 0.545, 1.455, 3.858, 0.716, 0.443, 1.557], // 23
    [0.157, 0.619, 0.9892, 0.555, 1.445, 3.895, 0.712, 0.451, 1.548], // 24
    [0.153, 0.606, 0.9896, 0.565, 1.435, 3.931, 0.708, 0.459, 1.541], // 25
];

impl ChartConstants {
    /// The constants for subgroups of `n` values: the table up to 25, computed beyond.
    pub fn for_subgroup_size(n: usize) -> Result<Self, SpcError> {
        if n < 2 {
            return Err(SpcError::SubgroupSizeOutOfRange { size: n });
        }
        match TABLE.get(n - 2) {
            Some(&[a2, a3, c4, b3, b4, d2, d3, range_lower, range_upper]) => Ok(ChartConstants {
                subgroup_size: n,
                a2,
                a3,
                b3,
                b4,
                range_lower,
                range_upper,
                d2,
                d3,
                c4,
                source: ConstantsSource::Table,
            }),
            None => Ok(Self::computed(n)),
        }
    }

    /// Every constant from its definition, for any n >= 3 (n = 2 works too, but its range
    /// moments have a closed form the integration does not need).
    fn computed(n: usize) -> Self {
        let ln_c4 = ln_c4(n);
        let c4 = ln_c4.exp();
        // sqrt(1 - c4²) through expm1: for large n, c4 is within 1/(4n) of 1 and the plain
        // subtraction would keep only a few digits.
        let spread_of_s = (-(2.0 * ln_c4).exp_m1()).sqrt() / c4;
        let (d2, d3) = range_moments(n);
        let root_n = (n as f64).sqrt();
        ChartConstants {
            subgroup_size: n,
            a2: 3.0 / (d2 * root_n),
            a3: 3.0 / (c4 * root_n),
            b3: (1.0 - 3.0 * spread_of_s).max(0.0),
            b4: 1.0 + 3.0 * spread_of_s,
            range_lower: (1.0 - 3.0 * d3 / d2).max(0.0),
            range_upper: 1.0 + 3.0 * d3 / d2,
            d2,
            d3,
            c4,
            source: ConstantsSource::Computed,
        }
    }
}

/// c4 for subgroups of `n` values (n >= 2), exact to a few units in the last place.
pub fn c4(n: usize) -> f64 {
    ln_c4(n).exp()
}

/// ln c4 = lnΓ(x + ½) − lnΓ(x) − ½ ln x with x = (n − 1)/2.
///
/// Stirling's series for lnΓ(x + ½) and lnΓ(x) share their large terms, so their difference is
/// taken term by term analytically instead of subtracting two big logarithms; small x is first
/// carried up to 20 by Γ(y + 1) = y Γ(y), where five Stirling terms are exact to 1e-17.
fn ln_c4(n: usize) -> f64 {
    let x = (n as f64 - 1.0) / 2.0;
    if x >= 20.0 {
        return stirling_half_step_excess(x);
    }
    let mut y = x;
    let mut climbed = 0.0;
    while y < 20.0 {
        climbed += (0.5 / y).ln_1p();
        y += 1.0;
    }
    0.5 * (y / x).ln() + stirling_half_step_excess(y) - climbed
}

/// lnΓ(y + ½) − lnΓ(y) − ½ ln y for y >= 20.
fn stirling_half_step_excess(y: f64) -> f64 {
    // The logarithmic terms reduce to y ln(1 + u) − ½ with u = 1/(2y), whose series
    // sum_{k>=2} (−1)^(k+1) u^(k−1) / (2k) has no cancellation; u <= 1/40 makes 12 terms plenty.
    let u = 0.5 / y;
    let mut power = 1.0;
    let mut sum = 0.0;
    for k in 2..14 {
        power *= u;
        let term = power / (2 * k) as f64;
        sum += if k % 2 == 0 { -term } else { term };
    }
    sum + stirling_tail(y + 0.5) - stirling_tail(y)
}

/// The correction terms of Stirling's series, sum B_2k / (2k (2k − 1) y^(2k − 1)), k = 1..=5.
fn stirling_tail(y: f64) -> f64 {
    let inv = 1.0 / y;
    let inv2 = inv * inv;
    inv * (1.0 / 12.0
        - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 * (1.0 / 1680.0 - inv2 / 1188.0))))
}

/// Grid step and half-width of the integration for d2 and d3, in standard deviations: ±8 holds
/// all but 1e-15 of the mass, and a step of 0.02 with an endpoint correction gives about 1e-6.
const RANGE_STEP: f64 = 0.02;
const RANGE_HALF_WIDTH: f64 = 8.0;

/// (d2, d3): the mean and standard deviation of the range of `n` standard normal values.
///
/// Uses P(R <= r) = n ∫ φ(x) [Φ(x + r) − Φ(x)]^(n−1) dx, then E[R] = ∫ P(R > r) dr and
/// E[R²] = ∫ 2r P(R > r) dr, all by the trapezoid rule on one grid, so Φ(x + r) is a lookup.
/// The trapezoid rule is exact to rounding for the inner integral (smooth, vanishing at both
/// ends); for the outer ones the O(h²) error at r = 0 is known (the integrand of E[R²] starts
/// with slope 2, that of E[R] with slope 0 for n >= 3) and is added back.
fn range_moments(n: usize) -> (f64, f64) {
    let steps = (2.0 * RANGE_HALF_WIDTH / RANGE_STEP).round() as usize;
    let at = |i: usize| -RANGE_HALF_WIDTH + i as f64 * RANGE_STEP;
    let cdf: Vec<f64> = (0..=2 * steps).map(|i| normal_cdf(at(i))).collect();
    let pdf: Vec<f64> = (0..=steps).map(|i| normal_pdf(at(i))).collect();
    let exponent = n as f64 - 1.0;

    let mut mean = 0.0;
    let mut second_moment = 0.0;
    for k in 0..=steps {
        let inner: f64 = pdf
            .iter()
            .zip(&cdf[k..])
            .zip(&cdf)
            .map(|((density, upper), lower)| density * (upper - lower).powf(exponent))
            .sum();
        let survival = 1.0 - n as f64 * RANGE_STEP * inner;
        let weight = if k == 0 { 0.5 } else { 1.0 } * RANGE_STEP;
        mean += weight * survival;
        second_moment += weight * 2.0 * k as f64 * RANGE_STEP * survival;
    }
    second_moment += RANGE_STEP * RANGE_STEP / 6.0;

    (mean, (second_moment - mean * mean).sqrt())
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use super::*;

    fn table(n: usize) -> ChartConstants {
        ChartConstants::for_subgroup_size(n).expect("n is at least 2")
    }

    /// Half a unit in the last printed place, plus rounding of the inputs the printed value was
    /// derived from: a few printed values (D4 for n = 3 and 18) are 0.7 of a unit off.
    const ONE_UNIT: f64 = 1e-3;

    #[test]
    fn the_table_agrees_with_the_exact_c4_and_the_factors_built_from_it() {
        for n in 2..=TABLE_MAX_SUBGROUP_SIZE {
            let k = table(n);
            let c4 = c4(n);
            let spread = (1.0 - c4 * c4).sqrt() / c4;
            assert!((k.c4 - c4).abs() <= 0.5e-4 + 1e-12, "c4 at n = {n}: {c4}");
            assert!(
                (k.a3 - 3.0 / (c4 * (n as f64).sqrt())).abs() <= ONE_UNIT,
                "A3 at {n}"
            );
            assert!(
                (k.b3 - (1.0 - 3.0 * spread).max(0.0)).abs() <= ONE_UNIT,
                "B3 at {n}"
            );
            assert!((k.b4 - (1.0 + 3.0 * spread)).abs() <= ONE_UNIT, "B4 at {n}");
        }
    }

    #[test]
    fn the_table_agrees_with_the_integrated_range_distribution() {
        for n in 3..=TABLE_MAX_SUBGROUP_SIZE {
            let k = table(n);
            let (d2, d3) = range_moments(n);
            // d3 for n = 19 is printed 0.734; the integral gives 0.73348.
            assert!((k.d2 - d2).abs() <= 0.6 * ONE_UNIT, "d2 at n = {n}: {d2}");
            assert!((k.d3 - d3).abs() <= 0.6 * ONE_UNIT, "d3 at n = {n}: {d3}");
            assert!(
                (k.a2 - 3.0 / (d2 * (n as f64).sqrt())).abs() <= ONE_UNIT,
                "A2 at {n}"
            );
            let lower = (1.0 - 3.0 * d3 / d2).max(0.0);
            assert!((k.range_lower - lower).abs() <= ONE_UNIT, "D3 at {n}");
            assert!(
                (k.range_upper - (1.0 + 3.0 * d3 / d2)).abs() <= ONE_UNIT,
                "D4 at {n}"
            );
        }
    }

    #[test]
    fn the_integration_reproduces_the_closed_form_range_of_three_values() {
        // For n = 3 the mean range is 3 / sqrt(pi) exactly.
        let (d2, _) = range_moments(3);
        assert!((d2 - 3.0 / PI.sqrt()).abs() < 1e-6, "{d2}");
    }

    #[test]
    fn pairs_have_the_closed_form_range_moments_printed_in_the_table() {
        // The range of two values is |X1 − X2| with X1 − X2 ~ N(0, 2).
        let k = table(2);
        assert!((k.d2 - 2.0 / PI.sqrt()).abs() < 0.5e-3);
        assert!((k.d3 - (2.0 - 4.0 / PI).sqrt()).abs() < 0.5e-3);
    }

    #[test]
    fn published_values_come_back_for_the_usual_subgroup_sizes() {
        let five = table(5);
        assert_eq!(
            (five.a2, five.a3, five.d2, five.c4),
            (0.577, 1.427, 2.326, 0.9400)
        );
        assert_eq!(
            (five.range_lower, five.range_upper, five.b4),
            (0.0, 2.114, 2.089)
        );
        let two = table(2);
        assert_eq!((two.a2, two.d2, two.range_upper), (1.880, 1.128, 3.267));
        let ten = table(10);
        assert_eq!(
            (ten.b3, ten.b4, ten.range_lower, ten.d3),
            (0.284, 1.716, 0.223, 0.797)
        );
        assert_eq!(five.source, ConstantsSource::Table);
    }

    #[test]
    fn c4_matches_the_exact_gamma_recursion_far_beyond_the_table() {
        // Γ(n/2)/Γ((n−1)/2) satisfies r(n + 1) = (n − 1) / (2 r(n)) with r(2) = 1/sqrt(pi).
        let mut ratio = 1.0 / PI.sqrt();
        for n in 2..600usize {
            let exact = (2.0 / (n as f64 - 1.0)).sqrt() * ratio;
            assert!(
                (c4(n) / exact - 1.0).abs() < 1e-13,
                "n = {n}: {} vs {exact}",
                c4(n)
            );
            ratio = (n as f64 - 1.0) / (2.0 * ratio);
        }
    }

    #[test]
    fn c4_keeps_its_distance_from_one_for_huge_subgroups() {
        // 1 − c4 = 1/(4n) + 7/(32n²) + O(1/n³).
        for n in [1_000_usize, 1_000_000, 1_000_000_000] {
            let n_f = n as f64;
            let expected = 1.0 / (4.0 * n_f) + 7.0 / (32.0 * n_f * n_f);
            let got = -ln_c4(n).exp_m1();
            assert!((got / expected - 1.0).abs() < 1e-5, "n = {n}: {got}");
        }
    }

    #[test]
    fn computed_constants_continue_the_table_without_a_jump() {
        let printed = table(25);
        let computed = ChartConstants::computed(25);
        for (a, b) in [
            (printed.a2, computed.a2),
            (printed.a3, computed.a3),
            (printed.b3, computed.b3),
            (printed.b4, computed.b4),
            (printed.d2, computed.d2),
            (printed.d3, computed.d3),
            (printed.range_lower, computed.range_lower),
            (printed.range_upper, computed.range_upper),
        ] {
            assert!((a - b).abs() <= ONE_UNIT, "{a} vs {b}");
        }

        let next = table(26);
        assert_eq!(next.source, ConstantsSource::Computed);
        assert!(next.d2 > printed.d2 && next.d3 < printed.d3 && next.c4 > printed.c4);
        assert!(next.b3 > printed.b3 && next.range_upper < printed.range_upper);
    }

    #[test]
    fn large_subgroups_give_s_chart_factors_near_three_over_root_two_n() {
        let n = 1_000_000;
        let k = table(n);
        let expected = 3.0 / (2.0 * n as f64).sqrt();
        assert!(((k.b4 - 1.0) / expected - 1.0).abs() < 1e-3, "{}", k.b4);
        assert!(((1.0 - k.b3) / expected - 1.0).abs() < 1e-3, "{}", k.b3);
    }

    #[test]
    fn a_single_value_has_no_subgroup_constants() {
        for n in [0, 1] {
            assert_eq!(
                ChartConstants::for_subgroup_size(n),
                Err(SpcError::SubgroupSizeOutOfRange { size: n })
            );
        }
    }
}
