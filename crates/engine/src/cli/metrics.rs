//! `vigil metrics`: the Metrics page's numbers on the command line, as a table or as JSON.
//!
//! The window is `[--since, --until)` by creation time; dates without an offset are local to
//! `--tz`, so `--since 2026-11-01 --until 2026-12-01 --tz Europe/Berlin` is Berlin's November.
//! The numbers come from the same [`MetricsReport`] the window shows, and `--by` splits the same
//! facts, loaded once, into groups.
//!
//! A zone or a date that cannot be read is bad usage (exit 2, from the argument parser, like
//! every other malformed option). A window whose end comes before its start exits 1 with a
//! one-line reason: the parser sees each option alone, and the check of the pair runs after it;
//! hooking the pair into `Cli::usage_problem` (in `cli/mod.rs`) would make that one exit 2 too.

mod groups;
mod table;

use std::io::Write;

use anyhow::bail;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use clap::{Args, ValueEnum};
use vigil_core::metrics::{MetricsFilter, MetricsReport, MetricsRequest, Period, Window};
use vigil_core::time::parse_instant_in;

pub use groups::{kpis_by, Breakdown, ByArg, Group};

use crate::store::Store;

/// `vigil metrics ...`
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// First instant counted: a date (local midnight in --tz) or a date-time. Default: 12 weeks
    /// before --until.
    #[arg(long, value_name = "DATE", value_parser = instant_text)]
    pub since: Option<String>,
    /// First instant not counted (exclusive), as --since. Default: now.
    #[arg(long, value_name = "DATE", value_parser = instant_text)]
    pub until: Option<String>,
    /// The IANA time zone days and weeks are taken in, such as Europe/Berlin.
    #[arg(long, value_name = "ZONE", default_value = "UTC", value_parser = zone)]
    pub tz: Tz,
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

/// Runs `vigil metrics ...`.
pub fn run(store: &Store, args: &MetricsArgs) -> anyhow::Result<()> {
    let request = request_of(args, Utc::now())?;
    // One load serves both the report and the groups of `--by`.
    let facts = store.incident_facts(request.loaded_window(), request.zone)?;
    let report = MetricsReport::build(&facts, &request);
    let mut out = std::io::stdout().lock();
    match (args.by, args.json) {
        (None, true) => serde_json::to_writer_pretty(&mut out, &report)?,
        (None, false) => table::print_kpis(&mut out, &report.comparison.current, Some(&report))?,
        (Some(by), true) => {
            let breakdown = Breakdown {
                request: &request,
                by,
                groups: kpis_by(&facts, &request, by),
            };
            serde_json::to_writer_pretty(&mut out, &breakdown)?;
        }
        (Some(by), false) => {
            for group in kpis_by(&facts, &request, by) {
                writeln!(out, "== {}", group.key.as_deref().unwrap_or("(none)"))?;
                table::print_kpis(&mut out, &group.kpis, None)?;
                writeln!(out)?;
            }
        }
    }
    writeln!(out)?;
    Ok(())
}

/// `--tz`: an IANA zone name.
fn zone(text: &str) -> Result<Tz, String> {
    text.parse().map_err(|_| {
        format!(
            "`{text}` is not an IANA time zone: write one such as UTC, Europe/Berlin or \
             America/New_York"
        )
    })
}

/// `--since` and `--until`: checked for shape here, so a malformed date is a usage error, and
/// read in `--tz` once the zone is known (which may still refuse a local time the zone's
/// clocks skip).
fn instant_text(text: &str) -> Result<String, String> {
    parse_instant_in(text, Tz::UTC)
        .map(|_| text.to_owned())
        .map_err(|e| e.to_string())
}

/// The request the arguments describe; `now` is the default end.
fn request_of(args: &MetricsArgs, now: DateTime<Utc>) -> anyhow::Result<MetricsRequest> {
    let zone = args.tz;
    let until = match &args.until {
        Some(text) => parse_instant_in(text, zone)?,
        None => now,
    };
    let since = match &args.since {
        Some(text) => parse_instant_in(text, zone)?,
        None => until - Duration::weeks(12),
    };
    if since >= until {
        bail!("--since ({since}) must come before --until ({until}): the window is [since, until)");
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use clap::Parser;

    use super::*;

    /// `vigil metrics` alone, to parse arguments as the binary does.
    #[derive(Debug, Parser)]
    struct Metrics {
        #[command(flatten)]
        args: MetricsArgs,
    }

    fn parse(words: &[&str]) -> Result<MetricsArgs, clap::Error> {
        let argv = std::iter::once("metrics").chain(words.iter().copied());
        Metrics::try_parse_from(argv).map(|m| m.args)
    }

    fn args(since: &str, until: &str, tz: &str) -> MetricsArgs {
        parse(&["--since", since, "--until", until, "--tz", tz]).unwrap()
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
    fn an_unknown_zone_is_a_usage_error_that_says_what_a_zone_looks_like() {
        let err = parse(&["--tz", "Berlin"]).unwrap_err();

        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(err.to_string().contains("Europe/Berlin"), "{err}");
    }

    #[test]
    fn a_malformed_date_is_a_usage_error_that_shows_the_accepted_forms() {
        let err = parse(&["--since", "2026-02-30"]).unwrap_err();

        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(err.to_string().contains("2026-06-01T09:30:00"), "{err}");
    }

    #[test]
    fn a_local_time_the_clocks_skip_is_refused_once_the_zone_is_known() {
        // 02:30 on 8 March 2026 does not exist in New York (02:00 EST jumps to 03:00 EDT).
        let skipped = args("2026-03-08T02:30", "2026-03-09", "America/New_York");

        let err = request_of(&skipped, Utc::now()).unwrap_err();

        assert!(err.to_string().contains("skipped"), "{err}");
    }

    #[test]
    fn a_window_that_ends_before_it_starts_is_refused() {
        let err = request_of(&args("2026-12-01", "2026-11-01", "UTC"), Utc::now()).unwrap_err();
        assert!(err.to_string().contains("before --until"), "{err}");
    }

    #[test]
    fn without_dates_the_window_is_the_twelve_weeks_before_now() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();

        let request = request_of(&parse(&[]).unwrap(), now).unwrap();

        assert_eq!(request.window, Window::new(now - Duration::weeks(12), now));
        assert_eq!(request.zone, Tz::UTC);
    }
}
