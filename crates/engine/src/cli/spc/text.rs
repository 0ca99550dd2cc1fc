//! The readable form of a [`Report`]: the limits of each chart, the capability indices and the
//! rule violations, in a few aligned lines. Every point with its own limits is in `--json`;
//! printing a million points to a terminal would help no one.

use std::io::{self, Write};

use vigil_core::spc::WithinSigma;

use super::report::{ChartReport, Phase, Report};

/// Writes `report` as text.
pub fn write_report(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let columns = &report.columns;
    let by = columns
        .subgroup
        .as_ref()
        .map(|s| format!(" by '{s}'"))
        .unwrap_or_default();
    writeln!(
        out,
        "{} chart of '{}'{by} in {}",
        title(&report.chart),
        columns.value,
        report.input
    )?;
    match &columns.phase1 {
        Some(flag) => writeln!(
            out,
            "phase I: {} samples where '{flag}' is true set the limits; phase II: {} samples \
             judged against them",
            report.baseline_samples, report.later_samples
        )?,
        None => writeln!(
            out,
            "phase I: all {} samples set the limits (name a --phase1 column to judge later \
             samples against frozen limits)",
            report.baseline_samples
        )?,
    }

    writeln!(out)?;
    writeln!(
        out,
        "{:<6} {:>12} {:>12} {:>12} {:>12}",
        "chart", "centre", "LCL", "UCL", "sigma"
    )?;
    for chart in &report.charts {
        let or_varies = |x: Option<f64>| x.map_or_else(|| "varies".to_owned(), number);
        writeln!(
            out,
            "{:<6} {:>12} {:>12} {:>12} {:>12}",
            chart.statistic,
            number(chart.centre),
            or_varies(chart.lcl),
            or_varies(chart.ucl),
            or_varies(chart.sigma)
        )?;
    }

    if let Some(study) = &report.capability {
        let spec = [("LSL", study.spec.lower), ("USL", study.spec.upper)]
            .into_iter()
            .filter_map(|(name, limit)| limit.map(|l| format!("{name} {}", number(l))))
            .collect::<Vec<_>>()
            .join(", ");
        let f = &study.figures;
        let optional = |x: Option<f64>| x.map_or_else(|| "-".to_owned(), |x| fixed(x, 3));
        writeln!(out)?;
        writeln!(
            out,
            "capability against {spec} (phase I samples; sigma within from {}):",
            within_method(f.within_method)
        )?;
        writeln!(
            out,
            "  mean {}   sigma within {}   sigma overall {}",
            number(f.mean),
            number(f.within_sigma),
            number(f.overall_sigma)
        )?;
        writeln!(
            out,
            "  Cp {}   Cpk {}   Pp {}   Ppk {}",
            optional(f.cp),
            fixed(f.cpk, 3),
            optional(f.pp),
            fixed(f.ppk, 3)
        )?;
        writeln!(
            out,
            "  expected defects per million: {} within, {} overall",
            fixed(f.expected_dpmo_within, 1),
            fixed(f.expected_dpmo_overall, 1)
        )?;
    }

    writeln!(out)?;
    write_violations(out, &report.charts, report.rules == "western-electric")
}

/// Lists the violations; each rule is numbered in the set asked for (`western_electric`), or
/// in the other set when it belongs only to that one.
fn write_violations(
    out: &mut impl Write,
    charts: &[ChartReport],
    western_electric: bool,
) -> io::Result<()> {
    let count: usize = charts.iter().map(|c| c.violations.len()).sum();
    if count == 0 {
        return writeln!(out, "no rule violations: the process looks in control");
    }
    writeln!(out, "rule violations (sample labels):")?;
    for chart in charts {
        for v in &chart.violations {
            let nelson = v.nelson.map(|n| format!("Nelson {n}"));
            let we = v.western_electric.map(|w| format!("WE {w}"));
            let number = if western_electric {
                we.or(nelson)
            } else {
                nelson.or(we)
            };
            let phase = match v.phase {
                Phase::One => "phase I",
                Phase::Two => "phase II",
            };
            writeln!(
                out,
                "  {:<5} {:<8} {:<9} {}: {}",
                chart.statistic,
                phase,
                number.unwrap_or_default(),
                v.description,
                v.samples.join(", ")
            )?;
        }
    }
    Ok(())
}

/// The chart's usual name for a `--chart` value.
fn title(chart: &str) -> &str {
    match chart {
        "xbar-r" => "Xbar-R",
        "xbar-s" => "Xbar-S",
        "imr" => "I-MR",
        other => other,
    }
}

fn within_method(method: WithinSigma) -> &'static str {
    match method {
        WithinSigma::Range => "R-bar/d2",
        WithinSigma::StdDev => "S-bar/c4",
        WithinSigma::MovingRange => "MR-bar/d2",
    }
}

/// Seven significant digits without trailing zeros, as R prints: enough to compare with a
/// textbook, short enough to read.
fn number(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return if x.is_nan() {
            "-".to_owned()
        } else {
            format!("{x}")
        };
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = usize::try_from((6 - magnitude).clamp(0, 15)).unwrap_or(0);
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

fn fixed(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_seven_significant_digits_and_drop_trailing_zeros() {
        assert_eq!(number(74.001176), "74.00118");
        assert_eq!(number(0.0481146), "0.0481146");
        assert_eq!(number(0.215), "0.215");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(1234567.8), "1234568");
        assert_eq!(number(-3.5), "-3.5");
    }
}
