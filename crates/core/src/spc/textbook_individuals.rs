//! The individuals chart against a published result: the aircraft primer paint viscosity of
//! Montgomery's *Introduction to Statistical Quality Control* (15 batches, one value each), as
//! charted in R's qcc vignette "A quick tour of qcc" (L. Scrucca, qcc 3.0, 19 February 2018,
//! section "Continuous one-at-time data", `qcc(x, type = "xbar.one")`).
//!
//! qcc estimates sigma as MR-bar / 1.128, the tabulated d2 for spans of two, as this module does;
//! its printed sigma (0.4261651) is 6.73 / 14 / 1.128 to every printed digit, which an exact
//! d2 (1.128379) would not give.

use crate::spc::{evaluate_rules, individuals_capability, individuals_chart, Rule, SpecLimits};

/// Viscosity of 15 batches, in time order.
const VISCOSITY: [f64; 15] = [
    33.75, 33.05, 34.0, 33.81, 33.46, 34.02, 33.68, 33.27, 33.49, 33.20, 33.62, 33.00, 33.54,
    33.12, 33.84,
];

/// True when `value` rounds to `published`, printed with `decimals` decimals.
fn rounds_to(value: f64, published: f64, decimals: i32) -> bool {
    (value - published).abs() <= 0.5 * 10f64.powi(-decimals) + 1e-12
}

#[test]
fn the_viscosity_batches_give_qccs_individuals_limits() {
    let chart = individuals_chart(&VISCOSITY).expect("fifteen finite values");
    let point = chart.location.points[0];

    assert!(rounds_to(point.centre, 33.52333, 5), "{}", point.centre);
    assert!(rounds_to(point.sigma, 0.4261651, 7), "{}", point.sigma);
    assert!(rounds_to(point.lcl, 32.24484, 5), "{}", point.lcl);
    assert!(rounds_to(point.ucl, 34.80183, 5), "{}", point.ucl);
    assert!(evaluate_rules(&chart.location, &Rule::NELSON).is_in_control());
}

#[test]
fn the_viscosity_moving_ranges_match_the_textbook_formula() {
    // Not printed by qcc, so computed here by hand from the textbook formula: the 14 moving
    // ranges 0.70, 0.95, 0.19, 0.35, 0.56, 0.34, 0.41, 0.22, 0.29, 0.42, 0.62, 0.54, 0.42, 0.72
    // sum to 6.73, so MR-bar = 0.4807143; UCL = D4 MR-bar = 3.267 × 0.4807143 = 1.5704936 and
    // LCL = D3 MR-bar = 0.
    let chart = individuals_chart(&VISCOSITY).expect("fifteen finite values");
    let mr = &chart.spread.points;

    assert_eq!(mr.len(), 14);
    assert_eq!(mr[0].sample, 1);
    assert!(rounds_to(mr[0].value, 0.70, 9));
    assert!(rounds_to(mr[13].value, 0.72, 9));
    assert!(rounds_to(mr[0].centre, 0.4807143, 7), "{}", mr[0].centre);
    assert!(rounds_to(mr[0].ucl, 1.5704936, 7), "{}", mr[0].ucl);
    assert_eq!(mr[0].lcl, 0.0);
    assert!(evaluate_rules(&chart.spread, &[Rule::BeyondLimits]).is_in_control());
}

#[test]
fn the_viscosity_capability_uses_the_moving_range_sigma() {
    // Hand computation with a specification of 32 to 35 chosen here (the source gives none):
    // sigma within = 0.4261651, so Cp = 3 / (6 × 0.4261651) = 1.17325; the mean lies nearer the
    // USL (1.47667 away, against 1.52333 from the LSL), so Cpk = 1.47667 / (3 × 0.4261651) =
    // 1.15500.
    let study = individuals_capability(&VISCOSITY, SpecLimits::two_sided(32.0, 35.0))
        .expect("a valid study");
    assert!(rounds_to(study.within_sigma, 0.4261651, 7));
    assert!(
        rounds_to(study.cp.expect("two-sided"), 1.17325, 5),
        "{:?}",
        study.cp
    );
    assert!(rounds_to(study.cpk, 1.15500, 5), "{}", study.cpk);
}
