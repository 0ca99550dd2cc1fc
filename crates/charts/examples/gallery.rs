//! Draws one of each chart from made-up numbers into a folder, as SVG and PNG, for a person to
//! look at after changing a chart:
//!
//! ```sh
//! cargo run -p vigil-charts --features png --example gallery -- target/charts
//! ```

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use vigil_charts::{
    counts_per_period, dimension_bars, kpi_trend, png::svg_to_png, weekly_control_charts,
    ChartError, KpiTrend, TrendPoint, Unit,
};
use vigil_core::metrics::{Dimension, Period, PeriodCount, Tally, WeeklyControlChart};
use vigil_core::spc::{c_chart, evaluate_rules, individuals_chart, Rule};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/charts".into()),
    );
    std::fs::create_dir_all(&out)?;
    let first = NaiveDate::from_ymd_opt(2026, 1, 5).ok_or("a real date")?;
    let weeks: Vec<NaiveDate> = (0..13).map(|i| first + Days::new(7 * i)).collect();
    let counts = [14u32, 9, 11, 22, 8, 12, 10, 13, 7, 9, 15, 31, 12];
    let mttr_minutes = [
        42.0, 55.0, 38.0, 61.0, 47.0, 300.0, 52.0, 44.0, 39.0, 58.0, 49.0, 66.0, 45.0,
    ];

    let per_week: Vec<PeriodCount> = weeks
        .iter()
        .zip(counts)
        .map(|(&start, count)| PeriodCount { start, count })
        .collect();
    save(
        &out,
        "counts",
        counts_per_period(
            "Incidents per week",
            &per_week,
            Period::Week,
            first + Days::new(2)..=first + Days::new(7 * 13 - 1),
        ),
    )?;

    let points: Vec<TrendPoint> = weeks
        .iter()
        .zip(mttr_minutes)
        .enumerate()
        .map(|(i, (&start, m))| TrendPoint {
            start,
            value: (i != 3).then_some(m * 60.0),
        })
        .collect();
    let trend = KpiTrend {
        title: "MTTR per week (mean)",
        kpi: "MTTR",
        unit: Unit::Seconds,
        period: Period::Week,
        points: &points,
    };
    save(&out, "kpi-trend", kpi_trend(&trend))?;

    let seconds: Vec<f64> = mttr_minutes.iter().map(|m| m * 60.0).collect();
    let pair = individuals_chart(&seconds)?;
    let xmr = WeeklyControlChart {
        weeks: weeks.clone(),
        rules: evaluate_rules(&pair.location, &Rule::NELSON),
        chart: pair.location,
        moving_range: Some(pair.spread),
    };
    let svgs = weekly_control_charts(
        "MTTR per week (XmR)",
        "Moving range",
        "MTTR",
        &xmr,
        Unit::Seconds,
    )?;
    save(&out, "xmr", Ok(svgs.location))?;
    if let Some(range) = svgs.moving_range {
        save(&out, "mr", Ok(range))?;
    }

    let c = c_chart(&counts.map(i64::from))?;
    let weekly_c = WeeklyControlChart {
        weeks,
        rules: evaluate_rules(&c, &Rule::NELSON),
        chart: c,
        moving_range: None,
    };
    let svgs = weekly_control_charts(
        "Incidents per week (c chart)",
        "",
        "Incidents",
        &weekly_c,
        Unit::Count,
    )?;
    save(&out, "c", Ok(svgs.location))?;

    let tallies: Vec<Tally> = [
        "checkout",
        "search",
        "payments-reconciliation-worker-eu",
        "auth",
    ]
    .iter()
    .zip([31u32, 22, 9, 4])
    .map(|(k, count)| Tally {
        key: Some((*k).to_owned()),
        count,
    })
    .chain([Tally {
        key: None,
        count: 3,
    }])
    .collect();
    save(
        &out,
        "by-service",
        dimension_bars("Incidents by service", &tallies, Dimension::Service),
    )?;
    Ok(())
}

fn save(
    out: &Path,
    name: &str,
    svg: Result<String, ChartError>,
) -> Result<(), Box<dyn std::error::Error>> {
    let svg = svg?;
    std::fs::write(out.join(format!("{name}.svg")), &svg)?;
    std::fs::write(out.join(format!("{name}.png")), svg_to_png(&svg, 1.0)?)?;
    Ok(())
}
