//! Attributes charts against published results: the p, np, c and u examples of Montgomery's
//! *Introduction to Statistical Quality Control* (2nd ed., 1991) as R's qcc package ships them,
//! checked against the limits printed in qcc's vignette "A quick tour of qcc" (L. Scrucca,
//! qcc 3.0, 19 February 2018; the pkgdown article `qcc_a_quick_tour.html`).
//!
//! qcc prints seven significant digits; [`agrees_with_printed`] accepts a value that rounds to
//! the printed one, so each assertion is as tight as the source allows (between 5e-9 and 5e-6).
//! The data sets are small, so they are written out here as qcc's data files hold them.

use crate::spc::{
    c_chart, evaluate_rules, np_chart, p_chart, u_chart, ControlLimits, DefectCount, InspectionLot,
    Rule,
};

/// `orangejuice`: nonconforming cans in 54 samples of 50 (Montgomery, 2nd ed., pp. 152-155).
/// Samples 1-30 are the trial samples; 31-54 were taken after a machine adjustment (and are
/// the trial samples of qcc's `orangejuice2`).
const ORANGE_JUICE: [i64; 54] = [
    12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12,
    7, 13, 9, 6, // trial samples 1-30
    9, 6, 12, 5, 6, 4, 6, 3, 7, 6, 2, 4, 3, 6, 5, 4, 8, 5, 6, 7, 5, 6, 3, 5, // 31-54
];

/// Cans per orange juice sample.
const CANS: i64 = 50;

/// `circuit`: nonconformities in 46 samples of 100 printed circuit boards (Montgomery, 2nd ed.,
/// pp. 173-175); samples 1-26 are the trial samples.
const CIRCUIT: [i64; 46] = [
    21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19,
    17, 15, // trial samples 1-26
    16, 18, 12, 15, 24, 21, 28, 20, 25, 19, 18, 21, 16, 22, 19, 12, 14, 9, 16, 21, // 27-46
];

/// `pcmanufact`: nonconformities in 20 samples of 5 computers (Montgomery, 2nd ed., pp. 181-182).
const PC_MANUFACTURE: [i64; 20] = [
    10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5,
];

/// True when `value` rounds to `printed` at the number of decimals printed.
fn agrees_with_printed(value: f64, printed: &str) -> bool {
    let decimals = printed
        .split_once('.')
        .map_or(0, |(_, fraction)| fraction.len());
    let published: f64 = printed.parse().expect("a printed number");
    (value - published).abs() <= 0.5 * 10f64.powi(-(decimals as i32)) + 1e-12
}

/// Asserts a point's centre line and limits against the printed figures.
fn assert_limits(point: &crate::spc::ChartPoint, centre: &str, lcl: &str, ucl: &str) {
    assert!(
        agrees_with_printed(point.centre, centre),
        "centre {} vs {centre}",
        point.centre
    );
    assert!(
        agrees_with_printed(point.lcl, lcl),
        "LCL {} vs {lcl}",
        point.lcl
    );
    assert!(
        agrees_with_printed(point.ucl, ucl),
        "UCL {} vs {ucl}",
        point.ucl
    );
}

fn lots(counts: &[i64]) -> Vec<InspectionLot> {
    counts
        .iter()
        .map(|&nonconforming| InspectionLot {
            nonconforming,
            inspected: CANS,
        })
        .collect()
}

/// The positions `points` as the 1-based sample numbers of a chart whose first point is
/// sample `first`.
fn sample_numbers(points: Vec<usize>, first: usize) -> Vec<usize> {
    points.into_iter().map(|p| p + first).collect()
}

/// The values at every position except the 1-based sample numbers in `dropped`.
fn without(values: &[i64], dropped: &[usize]) -> Vec<i64> {
    let kept = |(i, _): &(usize, &i64)| !dropped.contains(&(i + 1));
    values
        .iter()
        .enumerate()
        .filter(kept)
        .map(|(_, &v)| v)
        .collect()
}

#[test]
fn the_orange_juice_trial_samples_give_qccs_p_limits_and_flag_samples_15_and_23() {
    let chart = p_chart(&lots(&ORANGE_JUICE[..30])).expect("thirty samples of fifty");
    assert_limits(&chart.points[0], "0.2313333", "0.05242755", "0.4102391");
    // qcc's "standard deviation" is sqrt(p-bar (1 - p-bar)), a point's sigma times sqrt(n).
    assert!(agrees_with_printed(
        chart.points[0].sigma * (CANS as f64).sqrt(),
        "0.421685"
    ));

    let beyond = evaluate_rules(&chart, &[Rule::BeyondLimits]).special_causes();
    assert_eq!(sample_numbers(beyond, 1), [15, 23]);
}

#[test]
fn the_orange_juice_trial_samples_give_qccs_np_limits() {
    let chart = np_chart(&lots(&ORANGE_JUICE[..30])).expect("thirty samples of fifty");
    assert_limits(&chart.points[0], "11.56667", "2.621377", "20.51196");
    assert!(agrees_with_printed(chart.points[0].sigma, "2.981763"));
}

#[test]
fn without_samples_15_and_23_the_p_limits_are_qccs_revised_ones() {
    let revised = without(&ORANGE_JUICE[..30], &[15, 23]);
    let limits = ControlLimits::p(&lots(&revised)).expect("28 samples");
    let chart = limits
        .chart_lots(&lots(&ORANGE_JUICE[30..]))
        .expect("the same sizes");
    assert_limits(&chart.points[0], "0.215", "0.04070284", "0.3892972");

    // Phase II, worked by hand rather than printed by qcc: after the adjustment no sample is
    // above the UCL (the largest is 12/50 = 0.24), sample 41 (2/50 = 0.04) is just below the
    // LCL of 0.0407, and from sample 34 on every sample is below the centre line of 0.215, so
    // the nine-point run rule sees the improvement from sample 42.
    let beyond = evaluate_rules(&chart, &[Rule::BeyondLimits]).special_causes();
    assert_eq!(sample_numbers(beyond, 31), [41]);
    let run = evaluate_rules(&chart, &[Rule::NineOnOneSide]).special_causes();
    assert_eq!(sample_numbers(run, 31), (42..=54).collect::<Vec<_>>());
}

#[test]
fn the_samples_after_the_adjustment_give_qccs_orangejuice2_limits_with_the_lcl_at_zero() {
    // qcc's orangejuice2 trial samples are samples 31-54 above.
    let chart = p_chart(&lots(&ORANGE_JUICE[30..])).expect("24 samples");
    assert_limits(&chart.points[0], "0.1108333", "0", "0.2440207");
    assert!(agrees_with_printed(
        chart.points[0].sigma * (CANS as f64).sqrt(),
        "0.3139256"
    ));
    assert!(evaluate_rules(&chart, &[Rule::BeyondLimits]).is_in_control());
}

#[test]
fn the_circuit_board_trial_samples_give_qccs_c_limits_and_flag_samples_6_and_20() {
    let chart = c_chart(&CIRCUIT[..26]).expect("26 samples");
    assert_limits(&chart.points[0], "19.84615", "6.481447", "33.21086");
    assert!(agrees_with_printed(chart.points[0].sigma, "4.454902"));

    let beyond = evaluate_rules(&chart, &[Rule::BeyondLimits]).special_causes();
    assert_eq!(sample_numbers(beyond, 1), [6, 20]);
}

#[test]
fn without_samples_6_and_20_the_c_limits_are_qccs_revised_ones_and_hold_the_new_samples() {
    let limits = ControlLimits::c(&without(&CIRCUIT[..26], &[6, 20])).expect("24 samples");
    let chart = limits.chart_counts(&CIRCUIT[26..]).expect("valid counts");
    assert_limits(&chart.points[0], "19.66667", "6.362532", "32.9708");
    assert!(agrees_with_printed(chart.points[0].sigma, "4.434712"));
    assert!(evaluate_rules(&chart, &[Rule::BeyondLimits]).is_in_control());
}

#[test]
fn the_circuit_boards_per_board_give_qccs_u_limits() {
    // qcc's same example as a u chart: 100 boards per sample, so u = c / 100.
    let per_board = |counts: &[i64]| -> Vec<DefectCount> {
        counts
            .iter()
            .map(|&defects| DefectCount {
                defects,
                units: 100.0,
            })
            .collect()
    };
    let limits =
        ControlLimits::u(&per_board(&without(&CIRCUIT[..26], &[6, 20]))).expect("24 samples");
    let chart = limits
        .chart_defects(&per_board(&CIRCUIT[26..]))
        .expect("valid");
    assert_limits(&chart.points[0], "0.1966667", "0.06362532", "0.329708");
}

#[test]
fn the_computer_assembly_samples_give_qccs_u_limits_and_are_in_control() {
    let samples: Vec<DefectCount> = PC_MANUFACTURE
        .iter()
        .map(|&defects| DefectCount {
            defects,
            units: 5.0,
        })
        .collect();
    let chart = u_chart(&samples).expect("twenty samples of five");
    assert_limits(&chart.points[0], "1.93", "0.06613305", "3.793867");
    assert!(agrees_with_printed(
        chart.points[0].sigma * 5f64.sqrt(),
        "1.389244"
    ));
    assert!(evaluate_rules(&chart, &[Rule::BeyondLimits]).is_in_control());
}

#[test]
fn the_printed_precision_check_refuses_a_value_one_digit_off() {
    // The helper itself: 0.4102391 is printed, 0.4102401 is one unit off in the 6th decimal.
    assert!(agrees_with_printed(0.41023912, "0.4102391"));
    assert!(!agrees_with_printed(0.4102401, "0.4102391"));
    assert!(!agrees_with_printed(33.2, "33.21086"));
}
