//! The human-readable output of `vigil metrics`: one block of KPIs, durations in the largest
//! units that fit, and `-` where a KPI has no value (never 0, which would read as "instant").

use std::io::Write;

use vigil_core::metrics::{IncidentKpis, MetricsReport, Summary};

/// Prints one window's counts and duration KPIs; with the report, also the change in the
/// number of incidents and the window itself.
pub fn print_kpis(
    out: &mut impl Write,
    kpis: &IncidentKpis,
    report: Option<&MetricsReport>,
) -> std::io::Result<()> {
    let c = &kpis.counts;
    writeln!(
        out,
        "incidents {}  (open {}, never acknowledged {}, reopened {}; {} merged away, not counted)",
        c.incidents, c.open, c.unacknowledged, c.reopened, c.merged_away
    )?;
    writeln!(
        out,
        "{:<6} {:>6} {:>10} {:>10} {:>10}",
        "KPI", "n", "mean", "median", "p90"
    )?;
    for (name, summary) in [
        ("MTTA", &kpis.mtta),
        ("MTTD", &kpis.mttd),
        ("MTTM", &kpis.mttm),
        ("MTTR", &kpis.mttr),
        ("MTBF", &kpis.mtbf),
    ] {
        writeln!(out, "{}", summary_row(name, summary))?;
    }
    if let Some(report) = report {
        let change = &report.comparison.changes.incidents;
        if let Some(percent) = change.percent {
            writeln!(out, "incidents against the previous period: {percent:+.1}%")?;
        }
        writeln!(
            out,
            "window {} to {} ({})",
            report.request.window.since, report.request.window.until, report.request.zone
        )?;
    }
    Ok(())
}

fn summary_row(name: &str, s: &Summary) -> String {
    let show = |secs: Option<f64>| secs.map_or_else(|| "-".to_owned(), human);
    format!(
        "{name:<6} {:>6} {:>10} {:>10} {:>10}",
        s.n,
        show(s.mean),
        show(s.median.map(|v| v as f64)),
        show(s.p90.map(|v| v as f64))
    )
}

/// `42s`, `12m 05s`, `3h 20m`, `2d 4h`: exact enough to read, short enough for a column.
fn human(seconds: f64) -> String {
    let s = seconds.round() as i64;
    match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m {:02}s", s / 60, s % 60),
        s if s < 86_400 => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
        s => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_the_largest_fitting_units() {
        assert_eq!(human(42.0), "42s");
        assert_eq!(human(725.0), "12m 05s");
        assert_eq!(human(12_000.0), "3h 20m");
        assert_eq!(human(187_200.0), "2d 4h");
    }

    #[test]
    fn a_kpi_without_durations_shows_dashes_not_zeros() {
        let row = summary_row("MTTR", &Summary::EMPTY);

        assert_eq!(
            row.split_whitespace().collect::<Vec<_>>(),
            ["MTTR", "0", "-", "-", "-"]
        );
    }
}
