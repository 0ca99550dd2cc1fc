use chrono::{Days, NaiveDate};
use vigil_core::spc::{c_chart, individuals_chart};

use super::*;

fn mondays(n: usize) -> Vec<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(2026, 6, 1).expect("a real date");
    (0..n).map(|i| first + Days::new(7 * i as u64)).collect()
}

/// Nine weekly MTTRs of 30 minutes with a 600-minute week 7 (index 6): the report's own example,
/// centre 93.3 min (1.6 h) and UCL 472.3 min (7.9 h), so week 7 lies beyond the limits.
fn spiky_mttr() -> WeeklyControlChart {
    let mut minutes = [30.0; 9];
    minutes[6] = 600.0;
    let seconds: Vec<f64> = minutes.iter().map(|m| m * 60.0).collect();
    let pair = individuals_chart(&seconds).expect("nine values chart");
    WeeklyControlChart {
        weeks: mondays(9),
        rules: evaluate_rules(&pair.location, &Rule::NELSON),
        chart: pair.location,
        moving_range: Some(pair.spread),
    }
}

#[test]
fn a_point_beyond_the_limits_is_a_diamond_naming_its_rule() {
    let svgs = weekly_control_charts(
        "MTTR per week (XmR)",
        "Moving range",
        "MTTR",
        &spiky_mttr(),
        Unit::Seconds,
    )
    .unwrap();
    let svg = &svgs.location;

    assert_eq!(svg.matches("class=\"special-cause\"").count(), 1, "{svg}");
    assert!(svg.contains(
        "<title>Week of Mon 13 Jul 2026: 10.0 h. Special cause: Nelson 1: one point beyond \
         the control limits</title>"
    ));
    // The eight ordinary weeks are dots with their own tooltips.
    assert_eq!(svg.matches("<g class=\"hover\">").count(), 8);
    // Centre and limits, labelled at the right in the chart's unit: hours, as the largest
    // value is 10 h.
    assert!(svg.contains(">UCL 7.9 h</text>"), "{svg}");
    assert!(svg.contains(">CL 1.6 h</text>"));
    assert!(crate::has_label(svg, "MTTR (hours)"));
    // Limits dashed in red, the centre line solid in green.
    assert!(svg.contains("stroke=\"#B42318\""));
    assert!(svg.contains("stroke=\"#1F7A3F\""));
    assert!(svg.contains("special cause (hover for the rule)"));
}

#[test]
fn the_moving_range_chart_starts_at_the_second_week() {
    let svgs = weekly_control_charts("I", "MR", "MTTR", &spiky_mttr(), Unit::Seconds).unwrap();
    let svg = svgs
        .moving_range
        .expect("an individuals chart has a moving range");
    // Eight ranges: the first is the change into week 2 (8 Jun).
    assert!(
        svg.contains("<title>Week of Mon 8 Jun 2026: 0.0 h"),
        "{svg}"
    );
    assert!(!svg.contains("Mon 1 Jun 2026"));
    assert!(svg.contains("Moving range of MTTR"));
}

#[test]
fn a_c_chart_in_control_says_so_and_marks_nothing() {
    // Counts 2, 0, 3, 1, 2, 2, 0, 4, 4: c-bar 2, UCL 2 + 3 * sqrt(2) = 6.24, LCL 0.
    let chart = c_chart(&[2, 0, 3, 1, 2, 2, 0, 4, 4]).expect("nine counts chart");
    let weekly = WeeklyControlChart {
        weeks: mondays(9),
        rules: evaluate_rules(&chart, &Rule::NELSON),
        chart,
        moving_range: None,
    };
    let svgs = weekly_control_charts(
        "Incidents per week (c)",
        "",
        "Incidents",
        &weekly,
        Unit::Count,
    )
    .unwrap();

    assert!(svgs.moving_range.is_none());
    let svg = &svgs.location;
    assert!(!svg.contains("special-cause"));
    assert!(svg.contains("No special cause"));
    assert!(
        svg.contains(">UCL 6.24</text>") && svg.contains(">CL 2</text>"),
        "{svg}"
    );
    assert!(svg.contains(">LCL 0</text>"));
    assert!(svg.contains("<desc>c chart of Incidents, 9 points; centre 2, limits 0 to 6.24"));
}

#[test]
fn western_electric_rules_are_numbered_as_the_handbook_numbers_them() {
    assert_eq!(
        rule_name(Rule::TwoOfThreeBeyondTwoSigma, RuleNaming::WesternElectric),
        "Western Electric 2: two of three points beyond two sigma, same side"
    );
    assert_eq!(
        rule_name(Rule::TwoOfThreeBeyondTwoSigma, RuleNaming::Nelson),
        "Nelson 5: two of three points beyond two sigma, same side"
    );
}

#[test]
fn a_chart_without_points_is_said_in_words() {
    let empty = ControlChart {
        kind: vigil_core::spc::ChartKind::C,
        points: Vec::new(),
    };
    let spec = ControlChartSpec {
        title: "c",
        value_name: "incidents",
        chart: &empty,
        sample_labels: &[],
        sample_names: &[],
        rules: &RuleReport::default(),
        naming: RuleNaming::Nelson,
        unit: Unit::Count,
    };
    assert!(matches!(control_chart(&spec), Err(ChartError::NoData(_))));
}
