use chrono::Days;

use super::*;

fn monday(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).expect("a real date")
}

/// Every day of the weeks `counts` covers.
fn all_of(counts: &[PeriodCount]) -> std::ops::RangeInclusive<NaiveDate> {
    let first = counts.first().map_or(monday(2), |c| c.start);
    let last = counts.last().map_or(monday(2), |c| c.start);
    first..=last + Days::new(6)
}

fn weeks(counts: &[u32]) -> Vec<PeriodCount> {
    counts
        .iter()
        .enumerate()
        .map(|(i, &count)| PeriodCount {
            start: monday(2) + Days::new(7 * i as u64),
            count,
        })
        .collect()
}

#[test]
fn each_period_is_a_bar_with_its_count_in_a_tooltip() {
    let svg = counts_per_period(
        "Incidents per week",
        &weeks(&[3, 0, 14, 1]),
        Period::Week,
        all_of(&weeks(&[3, 0, 14, 1])),
    )
    .unwrap();

    // One filled bar per period (a zero-height one for the quiet week).
    assert_eq!(
        svg.matches("fill=\"#2457C5\" stroke=\"none\"").count(),
        4,
        "{svg}"
    );
    assert!(svg.contains("<title>Week of Mon 2 Mar 2026: 3 incidents</title>"));
    assert!(svg.contains("<title>Week of Mon 9 Mar 2026: 0 incidents</title>"));
    assert!(svg.contains("<title>Week of Mon 23 Mar 2026: 1 incident</title>"));
    // The axis names weeks by their Monday and counts in whole steps up to 15.
    assert!(crate::has_label(&svg, "16 Mar"), "{svg}");
    assert!(crate::has_label(&svg, "15") && !crate::has_label(&svg, "2.5"));
    // Counts above the bars, none for the empty week.
    assert!(svg.contains(">14</text>") && !svg.contains(">0</text>"));
    assert!(svg.contains("<desc>18 incidents over 4 weeks, at most 14 in one week.</desc>"));
}

#[test]
fn a_week_cut_by_the_start_of_the_period_is_lighter_and_says_why() {
    // The period starts on Wednesday 4 March: the week of 2 March holds five of its days.
    let counts = weeks(&[2, 6, 5]);
    let wednesday = monday(4);
    let svg =
        counts_per_period("Incidents", &counts, Period::Week, wednesday..=monday(22)).unwrap();

    assert!(svg.contains(
        "<title>Week of Mon 2 Mar 2026: 2 incidents (only part of this week is in the \
         period)</title>"
    ));
    assert!(svg.contains("<title>Week of Mon 9 Mar 2026: 6 incidents</title>"));
    assert_eq!(
        svg.matches("fill=\"#A7BCE8\" stroke=\"none\"").count(),
        1,
        "{svg}"
    );
    assert!(svg.contains("lighter bars: weeks only partly in the period"));
}

#[test]
fn the_same_counts_give_the_same_bytes() {
    let counts = weeks(&[5, 2, 7]);
    let first = counts_per_period("Incidents", &counts, Period::Week, all_of(&counts)).unwrap();
    let second = counts_per_period("Incidents", &counts, Period::Week, all_of(&counts)).unwrap();
    assert_eq!(first, second);
}

#[test]
fn months_are_named_by_month_and_year() {
    let counts = [PeriodCount {
        start: NaiveDate::from_ymd_opt(2026, 2, 1).expect("a real date"),
        count: 40,
    }];
    let february = counts[0].start..=NaiveDate::from_ymd_opt(2026, 2, 28).expect("a real date");
    let svg = counts_per_period("Incidents per month", &counts, Period::Month, february).unwrap();
    assert!(crate::has_label(&svg, "Feb 2026"), "{svg}");
    assert!(svg.contains("<title>February 2026: 40 incidents</title>"));
}

#[test]
fn a_period_without_incidents_is_said_in_words_not_drawn() {
    let quiet = weeks(&[0, 0]);
    let err = counts_per_period("Incidents", &quiet, Period::Week, all_of(&quiet)).unwrap_err();
    let ChartError::NoData(message) = err else {
        panic!("expected NoData, got {err:?}");
    };
    assert!(message.contains("No incidents"), "{message}");
}

#[test]
fn a_kpi_trend_breaks_its_line_where_a_period_has_no_value() {
    let points: Vec<TrendPoint> = [Some(3_600.0), Some(5_400.0), None, Some(9_000.0)]
        .into_iter()
        .enumerate()
        .map(|(i, value)| TrendPoint {
            start: monday(2) + Days::new(7 * i as u64),
            value,
        })
        .collect();
    let svg = kpi_trend(&KpiTrend {
        title: "MTTR per week",
        kpi: "MTTR",
        unit: Unit::Seconds,
        period: Period::Week,
        points: &points,
    })
    .unwrap();

    // Two runs of line (weeks 1-2, week 4 alone) and three points.
    let lines = svg
        .lines()
        .filter(|l| l.starts_with("<polyline") && l.contains("stroke=\"#2457C5\""));
    assert_eq!(lines.count(), 2, "{svg}");
    assert_eq!(
        svg.matches("<circle").count() - svg.matches("r=\"7\"").count(),
        3
    );
    // Values up to 2.5 h are shown in hours.
    assert!(crate::has_label(&svg, "MTTR (hours)"), "{svg}");
    assert!(svg.contains("<title>Week of Mon 9 Mar 2026: MTTR 1.5 h</title>"));
    assert!(!svg.contains("Mon 16 Mar 2026: MTTR"));
}

#[test]
fn a_kpi_trend_without_any_value_is_said_in_words() {
    let points = [TrendPoint {
        start: monday(2),
        value: None,
    }];
    let trend = KpiTrend {
        title: "MTTA per week",
        kpi: "MTTA",
        unit: Unit::Seconds,
        period: Period::Week,
        points: &points,
    };
    let err = kpi_trend(&trend).unwrap_err();
    assert!(
        err.to_string().starts_with("No MTTA in this period"),
        "{err}"
    );
}
