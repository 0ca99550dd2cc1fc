//! Times the Metrics page over the generated database, as the app builds it: load the facts of
//! the window and the one before ([`Store::incident_facts`]), then compute the report (tiles
//! with their change, counts, on-call load, both control charts with the Nelson rules) and every
//! KPI once per service (`vigil metrics --by service`).
//!
//! Each repetition reloads from SQLite; the first one also pays for reading the file into the
//! page cache, which the xtask reports apart from the median of the others.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use chrono_tz::Tz;
use vigil_core::metrics::{
    ChartOutcome, MetricsFilter, MetricsReport, MetricsRequest, Period, Summary, Window,
};
use vigil_core::time::parse_instant_in;
use vigil_engine::cli::metrics::{kpis_by, ByArg, Group};
use vigil_engine::Store;

/// What one `measure` run found.
#[derive(Debug)]
pub struct Measured {
    /// Incidents loaded (the window and the one before).
    pub facts: usize,
    /// Milliseconds to load the facts, per repetition.
    pub load_ms: Vec<f64>,
    /// Milliseconds to compute the page and the per-service KPIs, per repetition.
    pub compute_ms: Vec<f64>,
    /// Of those, the page alone (what the app computes; the rest is `--by service`).
    pub report_ms: Vec<f64>,
    /// The figures compared with pandas, by name; `None` where a figure does not exist.
    pub aggregates: Vec<(String, Option<f64>)>,
}

/// Times `repeat` loads and computations of the page for `[since, until)` in `zone`, and returns
/// the times with the aggregates pandas must agree with.
pub fn metrics_page(
    db: &Path,
    since: &str,
    until: &str,
    zone: &str,
    repeat: usize,
) -> anyhow::Result<Measured> {
    let zone: Tz = zone
        .parse()
        .map_err(|_| anyhow::anyhow!("{zone} is not an IANA zone"))?;
    let request = MetricsRequest {
        window: Window::new(
            parse_instant_in(since, zone)?,
            parse_instant_in(until, zone)?,
        ),
        zone,
        period: Period::Week,
        filter: MetricsFilter::default(),
    };
    let store = Store::open(db).with_context(|| format!("opening {}", db.display()))?;

    let (mut load_ms, mut compute_ms, mut report_ms) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        let facts = store.incident_facts(request.loaded_window(), zone)?;
        let loaded = Instant::now();
        let report = MetricsReport::build(&facts, &request);
        let reported = Instant::now();
        let groups = kpis_by(&facts, &request, ByArg::Service);
        let computed = Instant::now();
        load_ms.push((loaded - started).as_secs_f64() * 1e3);
        compute_ms.push((computed - loaded).as_secs_f64() * 1e3);
        report_ms.push((reported - loaded).as_secs_f64() * 1e3);
        last = Some((facts.len(), report, groups));
    }
    let (facts, report, groups) = last.context("no repetition ran")?;
    Ok(Measured {
        facts,
        load_ms,
        compute_ms,
        report_ms,
        aggregates: aggregates(&report, &groups),
    })
}

/// The figures compared with pandas, by name.
fn aggregates(report: &MetricsReport, groups: &[Group]) -> Vec<(String, Option<f64>)> {
    let mut out = Vec::new();
    let mut put = |name: String, value: Option<f64>| out.push((name, value));
    let current = &report.comparison.current;
    let counts = &current.counts;
    for (name, n) in [
        ("incidents", counts.incidents),
        ("open", counts.open),
        ("unacknowledged", counts.unacknowledged),
        ("reopened", counts.reopened),
        ("merged_away", counts.merged_away),
        (
            "previous.incidents",
            report.comparison.previous.counts.incidents,
        ),
    ] {
        put(name.into(), Some(f64::from(n)));
    }
    let summaries: [(&str, &Summary); 6] = [
        ("mtta", &current.mtta),
        ("mttd", &current.mttd),
        ("mttm", &current.mttm),
        ("mttr", &current.mttr),
        ("mtbf", &current.mtbf),
        ("previous.mttr", &report.comparison.previous.mttr),
    ];
    for (name, s) in summaries {
        put(format!("{name}.n"), Some(f64::from(s.n)));
        put(format!("{name}.mean"), s.mean);
        put(format!("{name}.median"), s.median.map(|v| v as f64));
        put(format!("{name}.p90"), s.p90.map(|v| v as f64));
    }
    for group in groups {
        let key = group.key.as_deref().unwrap_or("(none)");
        let kpis = &group.kpis;
        put(
            format!("service.{key}.incidents"),
            Some(f64::from(kpis.counts.incidents)),
        );
        put(format!("service.{key}.mtta.mean"), kpis.mtta.mean);
        put(format!("service.{key}.mttr.mean"), kpis.mttr.mean);
        put(
            format!("service.{key}.mttr.p90"),
            kpis.mttr.p90.map(|v| v as f64),
        );
        put(format!("service.{key}.mtbf.mean"), kpis.mtbf.mean);
    }
    let sum = |pick: fn(&vigil_core::metrics::OnCallLoad) -> i64| {
        Some(report.on_call.iter().map(pick).sum::<i64>() as f64)
    };
    put(
        "oncall.responders".into(),
        Some(report.on_call.len() as f64),
    );
    put(
        "oncall.interruptions".into(),
        sum(|l| i64::from(l.interruptions)),
    );
    put(
        "oncall.out_of_hours".into(),
        sum(|l| i64::from(l.out_of_hours)),
    );
    put("oncall.engaged_seconds".into(), sum(|l| l.engaged_seconds));
    for (name, chart) in [
        ("weekly_counts", &report.weekly_counts),
        ("weekly_mttr", &report.weekly_mttr),
    ] {
        let ChartOutcome::Drawn(drawn) = chart else {
            put(format!("{name}.weeks"), Some(0.0));
            continue;
        };
        let first = drawn.chart.points.first();
        put(format!("{name}.weeks"), Some(drawn.weeks.len() as f64));
        put(format!("{name}.centre"), first.map(|p| p.centre));
        put(format!("{name}.ucl"), first.map(|p| p.ucl));
        put(format!("{name}.lcl"), first.map(|p| p.lcl));
        let beyond = drawn
            .chart
            .points
            .iter()
            .filter(|p| p.value > p.ucl || p.value < p.lcl)
            .count();
        put(format!("{name}.beyond_limits"), Some(beyond as f64));
        let flagged = drawn.rules.special_causes().len();
        put(format!("{name}.special_causes"), Some(flagged as f64));
    }
    out
}
