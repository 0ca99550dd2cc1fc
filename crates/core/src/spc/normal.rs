//! The standard normal distribution: its tail areas and their inverse.
//!
//! Written here rather than taken from a statistics crate because vigil-core needs only these
//! four functions and must build for wasm32 with no extra weight. The tails are what matter:
//! a six-sigma process lives at 3.4 parts per million, so the upper and lower tails are computed
//! directly (never as `1 - cdf`), which keeps full relative precision far out.
//!
//! The complementary error function uses two expansions that need no tabulated coefficients:
//! below 1 the everywhere-positive series `erf x = 2/sqrt(pi) e^(-x^2) sum (2x^2)^k x / (2k+1)!!`
//! (no cancellation between terms), from 1 up Laplace's continued fraction
//! `erfc x = e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))` evaluated by the
//! modified Lentz method. The quantile starts from the Abramowitz and Stegun 26.2.23 rational
//! approximation (error below 4.5e-4) and polishes it with Halley steps on the accurate tail,
//! which converge cubically, so two or three steps reach the last bit.

use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// Below this erfc argument the series is used, above it the continued fraction, each where it
/// converges in few terms and loses no precision.
const SERIES_LIMIT: f64 = 1.0;

/// The continued fraction converges in under 200 terms from x = 1; the cap only guards against a
/// rounding stall.
const MAX_FRACTION_TERMS: usize = 500;

/// The area under the standard normal density left of `z`: P(Z <= z).
pub fn normal_cdf(z: f64) -> f64 {
    upper_tail(-z)
}

/// The area right of `z`: P(Z > z), computed directly so a far upper tail keeps its digits.
pub fn normal_sf(z: f64) -> f64 {
    upper_tail(z)
}

/// The standard normal density at `z`.
pub fn normal_pdf(z: f64) -> f64 {
    exp_minus_half_square(z) / (2.0 * PI).sqrt()
}

/// P(Z > z) = erfc(z / sqrt 2) / 2, to a few units in the last place over the whole line (it
/// underflows to zero beyond about z = 38).
fn upper_tail(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    if z < 0.0 {
        return 1.0 - upper_tail(-z);
    }
    let x = z * FRAC_1_SQRT_2;
    if x < SERIES_LIMIT {
        return 0.5 * (1.0 - erf_series(x));
    }
    // The exponential is taken of z, not of x = z / sqrt 2: x² would carry the rounding of x.
    0.5 * exp_minus_half_square(z) / (PI.sqrt() * continued_fraction(x))
}

/// exp(−z²/2) without the rounding of z² (z² · 2^-53 in the exponent, a relative error of 4e-14
/// at z = 20): z = hi + lo with hi on a grid of 1/16, so hi² is exact and lo (z + hi) is small.
fn exp_minus_half_square(z: f64) -> f64 {
    let hi = (z * 16.0).trunc() / 16.0;
    let lo = z - hi;
    (-0.5 * hi * hi).exp() * (-0.5 * lo * (z + hi)).exp()
}

fn erf_series(x: f64) -> f64 {
    let two_x2 = 2.0 * x * x;
    let mut term = x;
    let mut sum = x;
    let mut k = 0.0;
    while term > sum * f64::EPSILON * 0.1 {
        term *= two_x2 / (2.0 * k + 3.0);
        sum += term;
        k += 1.0;
    }
    2.0 / PI.sqrt() * (-x * x).exp() * sum
}

/// x + (1/2)/(x + 1/(x + (3/2)/(x + ...))), so that erfc x = e^(−x²) / (sqrt(pi) times this).
fn continued_fraction(x: f64) -> f64 {
    // Lentz: keep the ratios C and D of successive convergents, replacing an exact zero by a tiny
    // number so a division never blows up.
    let tiny = 1e-300;
    let mut f = x;
    let mut c = x;
    let mut d = 0.0;
    for k in 1..=MAX_FRACTION_TERMS {
        let a = k as f64 / 2.0;
        d = x + a * d;
        d = if d == 0.0 { 1.0 / tiny } else { 1.0 / d };
        c = x + a / c;
        if c == 0.0 {
            c = tiny;
        }
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() <= f64::EPSILON {
            break;
        }
    }
    f
}

/// The `z` with P(Z <= z) = `p`, or `None` unless 0 < p < 1.
///
/// Accurate to about 1e-15 relative for every representable `p` in range; for a tiny upper tail
/// pass the tail itself and negate (`-normal_quantile(q)`), as `1 - q` has already lost digits.
pub fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    // Work in the lower half, where P(Z <= z) is a tail computed to full relative precision;
    // for p above one half, 1 - p is exact (Sterbenz), so nothing is lost by flipping.
    let (q, sign) = if p > 0.5 { (1.0 - p, 1.0) } else { (p, -1.0) };
    if q == 0.5 {
        return Some(0.0);
    }

    let t = (-2.0 * q.ln()).sqrt();
    let numerator = 2.515517 + t * (0.802853 + t * 0.010328);
    let denominator = 1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308));
    let mut z = -(t - numerator / denominator);

    for _ in 0..4 {
        // u = (cdf(z) - q) / pdf(z), with the density's exp(z^2/2) split in two so the product
        // stays finite even for q near the smallest normal double.
        let half = (0.25 * z * z).exp();
        let u = (normal_cdf(z) - q) * half * (2.0 * PI).sqrt() * half;
        let step = u / (1.0 + 0.5 * z * u);
        z -= step;
        if step.abs() <= 1e-16 * z.abs().max(1.0) {
            break;
        }
    }
    Some(sign * -z)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn close(a: f64, b: f64, relative: f64) -> bool {
        (a - b).abs() <= relative * b.abs()
    }

    #[test]
    fn tail_areas_match_published_values_to_many_digits() {
        // (z, P(Z <= z)) to 17 digits, from the continued fraction in 50-digit arithmetic.
        let known = [
            (-1.0, 0.158_655_253_931_457_07),
            (-3.0, 0.001_349_898_031_630_094_5),
            (-4.5, 3.397_673_124_730_060_4e-6),
            (-6.0, 9.865_876_450_376_98e-10),
            (-10.0, 7.619_853_024_160_526e-24),
            (-20.0, 2.753_624_118_606_233_7e-89),
            (0.5, 0.691_462_461_274_013_1),
            (2.0, 0.977_249_868_051_820_8),
        ];
        for (z, p) in known {
            assert!(
                close(normal_cdf(z), p, 3e-14),
                "cdf({z}) = {}",
                normal_cdf(z)
            );
            assert!(
                close(normal_sf(-z), p, 3e-14),
                "sf({}) = {}",
                -z,
                normal_sf(-z)
            );
        }
    }

    #[test]
    fn the_tail_is_continuous_where_the_method_changes() {
        let at = SERIES_LIMIT * std::f64::consts::SQRT_2;
        let below = normal_sf(at - 1e-12);
        let above = normal_sf(at + 1e-12);
        assert!(close(below, above, 1e-11), "{below} vs {above}");
    }

    #[test]
    fn quantiles_match_published_values() {
        let known = [
            (0.975, 1.959_963_984_540_053_6),
            (0.001, -3.090_232_306_167_813),
            (1e-10, -6.361_340_902_404_056),
            (3.4e-6, -4.499_854_470_025_006),
        ];
        for (p, z) in known {
            let got = normal_quantile(p).expect("p is inside (0, 1)");
            assert!(close(got, z, 1e-14), "quantile({p}) = {got}");
        }
        assert_eq!(normal_quantile(0.5), Some(0.0));
    }

    #[test]
    fn quantiles_outside_the_open_unit_interval_do_not_exist() {
        for p in [0.0, 1.0, -0.1, 1.5, f64::NAN] {
            assert_eq!(normal_quantile(p), None);
        }
    }

    #[test]
    fn the_smallest_normal_probability_has_a_finite_quantile() {
        let z = normal_quantile(f64::MIN_POSITIVE).expect("positive");
        assert!(z.is_finite() && z < -37.0);
    }

    proptest! {
        #[test]
        fn the_quantile_inverts_the_lower_tail(z in -37.0f64..1.0) {
            let p = normal_cdf(z);
            let back = normal_quantile(p).expect("a tail area is inside (0, 1)");
            prop_assert!((back - z).abs() <= 1e-12 * z.abs().max(1.0), "{z} -> {p} -> {back}");
        }

        #[test]
        fn the_negated_quantile_of_an_upper_tail_gives_the_point_back(z in -1.0f64..37.0) {
            let back = -normal_quantile(normal_sf(z)).expect("a tail area is inside (0, 1)");
            prop_assert!((back - z).abs() <= 1e-12 * z.abs().max(1.0), "{z} -> {back}");
        }
    }
}
