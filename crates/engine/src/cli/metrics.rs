//! `vigil metrics`: the Metrics page's numbers on the command line, as a table or as JSON.
//!
//! The window is `[--since, --until)` by creation time; dates without an offset are local to
//! `--tz`, so `--since 2026-11-01 --until 2026-12-01 --tz Europe/Berlin` is Berlin's November.
//! The numbers come from the same [`MetricsReport`] the window shows.

use std::io::Write;

use anyhow::bail;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use clap::{Args, ValueEnum};
use serde::Serialize;
use vigil_core::metrics::{
    IncidentKpis, MetricsFilter, MetricsReport, MetricsRequest, Period, Summary, Window,
};
use vigil_core::time::parse_instant_in;
use vigil_core::Urgency;

use crate::store::Store;

/// `vigil metrics ...`
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// First instant counted: a date (local midnight in --tz) or a date-time. Default: 12 weeks
    /// before --until.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// First instant not counted (exclusive), as --since. Default: now.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// The IANA time zone days and weeks are taken in, such as Europe/Berlin.
    #[arg(long, value_name = "ZONE", default_value = "UTC")]
    pub tz: String,
    /// The bucket of the counts per period.
    #[arg(long, value_enum, default_value_t = PeriodArg::Week)]
    pub period: PeriodArg,
    /// Break every KPI down by this dimension.
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `--period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    /// Calendar days in --tz.
    Day,
    /// ISO weeks, Monday first, in --tz.
    Week,
    /// Calendar months in --tz.
    Month,
}

/// `--by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// Per affected service.
    Service,
    /// Per owning team.
    Team,
    /// Per urgency.
    Urgency,
}

/// One group of `--by`.
#[derive(Debug, Serialize)]
struct Group {
    /// The service, team or urgency.
    key: String,
    /// Its KPIs over the window.
    kpis: IncidentKpis,
}

/// Runs `vigil metrics ...`.
pub fn run(store: &Store, args: &MetricsArgs) -> anyhow::Result<()> {
    let request = request_of(args, Utc::now())?;
    let report = store.metrics_report(&request)?;
    let mut out = std::io::stdout().lock();
    match (args.by, args.json) {
        (None, true) => serde_json::to_writer_pretty(&mut out, &report)?,
        (None, false) => print_kpis(&mut out, &report.comparison.current, Some(&report))?,
        (Some(by), json) => {
            let groups = groups(store, &request, &report, by)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &groups)?;
            } else {
                for group in &groups {
                    writeln!(out, "== {}", group.key)?;
                    print_kpis(&mut out, &group.kpis, None)?;
                    writeln!(out)?;
                }
            }
        }
    }
    writeln!(out)?;
    Ok(())
}

/// The request the arguments describe; `now` is the default end.
fn request_of(args: &MetricsArgs, now: DateTime<Utc>) -> anyhow::Result<MetricsRequest> {
    let zone: Tz = args.tz.parse().map_err(|_| {
        anyhow::anyhow!(
            "`{}` is not an IANA time zone: write one such as UTC, Europe/Berlin or \
             America/New_York",
            args.tz
        )
    })?;
    let until = match &args.until {
        Some(text) => parse_instant_in(text, zone)?,
        None => now,
    };
    let since = match &args.since {
        Some(text) => parse_instant_in(text, zone)?,
        None => until - Duration::weeks(12),
    };
    if since >= until {
        bail!("--since ({since}) must come before --until ({until})");
    }
    let period = match args.period {
        PeriodArg::Day => Period::Day,
        PeriodArg::Week => Period::Week,
        PeriodArg::Month => Period::Month,
    };
    Ok(MetricsRequest {
        window: Window::new(since, until),
        zone,
        period,
        filter: MetricsFilter::default(),
    })
}

/// The KPIs of each value of `by`, each computed with that value as the filter.
fn groups(
    store: &Store,
    request: &MetricsRequest,
    report: &MetricsReport,
    by: ByArg,
) -> anyhow::Result<Vec<Group>> {
    let keys: Vec<String> = match by {
        ByArg::Service => report.choices.services.clone(),
        ByArg::Team => report.choices.teams.clone(),
        ByArg::Urgency => vec!["high".into(), "low".into()],
    };
    let facts = store.incident_facts(request.loaded_window(), request.zone)?;
    let mut groups = Vec::new();
    for key in keys {
        let mut filter = MetricsFilter::default();
        match by {
            ByArg::Service => filter.service = Some(key.clone()),
            ByArg::Team => filter.team = Some(key.clone()),
            ByArg::Urgency => filter.urgency = Urgency::parse(&key),
        }
        let admitted = facts.iter().filter(|f| filter.admits(f));
        groups.push(Group {
            kpis: IncidentKpis::over(admitted, request.window),
            key,
        });
    }
    Ok(groups)
}

fn print_kpis(
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
    use chrono::TimeZone;

    use super::*;

    fn args(since: &str, until: &str, tz: &str) -> MetricsArgs {
        MetricsArgs {
            since: Some(since.into()),
            until: Some(until.into()),
            tz: tz.into(),
            period: PeriodArg::Week,
            by: None,
            json: true,
        }
    }

    #[test]
    fn dates_are_midnights_in_the_chosen_zone() {
        let request = request_of(
            &args("2026-11-01", "2026-12-01", "Europe/Berlin"),
            Utc::now(),
        )
        .unwrap();
        // Berlin is UTC+1 in November.
        assert_eq!(
            request.window.since,
            Utc.with_ymd_and_hms(2026, 10, 31, 23, 0, 0).unwrap()
        );
        assert_eq!(
            request.window.until,
            Utc.with_ymd_and_hms(2026, 11, 30, 23, 0, 0).unwrap()
        );
    }

    #[test]
    fn an_unknown_zone_says_what_a_zone_looks_like() {
        let err = request_of(&args("2026-11-01", "2026-12-01", "Berlin"), Utc::now()).unwrap_err();
        assert!(err.to_string().contains("Europe/Berlin"), "{err}");
    }

    #[test]
    fn a_window_that_ends_before_it_starts_is_refused() {
        let err = request_of(&args("2026-12-01", "2026-11-01", "UTC"), Utc::now()).unwrap_err();
        assert!(err.to_string().contains("before --until"), "{err}");
    }

    #[test]
    fn durations_read_in_the_largest_fitting_units() {
        assert_eq!(human(42.0), "42s");
        assert_eq!(human(725.0), "12m 05s");
        assert_eq!(human(12_000.0), "3h 20m");
        assert_eq!(human(187_200.0), "2d 4h");
    }
}
