//! A million incidents over two years, written through the store's own sync API so the database
//! is shaped like one a real sync builds (timelines, milestones, indexes), from a fixed seed so
//! every run writes the same incidents. Only Vigil's own ids (UUIDv7, as the store makes them)
//! and `updated_at` differ between two generations; they play no part in any KPI, except that
//! the ids break ties in MTBF, and being time-ordered they follow the generation order.
//!
//! The spread, chosen to look like a large organisation's PagerDuty and Opsgenie accounts: 120
//! services (24 product areas of five parts, a team per area) with Zipf-like weights, so the
//! busiest overlap their own incidents and the quietest page a few times a week (1 % of
//! incidents name no service), 70 % high
//! urgency, Poisson arrivals, log-normal times to acknowledge (median 3 min, 12 for low urgency)
//! and to resolve (median 45 min, 112 for low urgency), 8 % never acknowledged, 0.5 % still
//! open, 2 % merged into the incident before, 3 % reopened once, a quarter with a mitigation
//! and 15 % with an impact start, one responder paged from the team's rotation of six and a
//! second one after 10 minutes for unacknowledged high-urgency incidents.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{DateTime, Duration};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vigil_core::{EventKind, IncidentStatus, SourceKind, Urgency};
use vigil_engine::store::{
    add_events_tx, upsert_incident_tx, IncomingEvent, IncomingIncident, NewSource,
};
use vigil_engine::Store;

/// How many incidents the benchmark's database holds.
pub const INCIDENTS: usize = 1_000_000;

/// Incidents per write transaction: large enough that commits cost nothing, small enough to
/// show progress.
const CHUNK: usize = 20_000;

const SEED: u64 = 20_260_601;

/// 2024-06-03T00:00:00Z and 2026-06-01T00:00:00Z, both Mondays: the span the incidents cover.
const FIRST: i64 = 1_717_372_800;
const END: i64 = 1_780_272_000;

/// Product areas; each has a team of its own, and five services (one per [`COMPONENTS`]).
#[rustfmt::skip]
const DOMAINS: [&str; 24] = [
    "checkout", "payments", "billing", "search", "catalog", "recommendations", "auth", "gateway",
    "notifications", "shipping", "inventory", "reports", "accounts", "orders", "pricing",
    "reviews", "media", "messaging", "analytics", "ledger", "fraud", "identity", "support",
    "mobile",
];

/// The parts of each product area that page separately.
const COMPONENTS: [&str; 5] = ["api", "worker", "web", "db", "queue"];

/// People in each team's on-call rotation.
const ROTATION: usize = 6;

/// Writes `count` incidents into the database at `path` (through a `.partial` file, renamed
/// once complete, so an interrupted run is never mistaken for a finished one).
pub fn database(path: &Path, count: usize) -> anyhow::Result<()> {
    if path.exists() {
        bail!(
            "{} exists already: remove it to generate anew",
            path.display()
        );
    }
    let partial = path.with_extension("partial");
    for leftover in ["", "-wal", "-shm"] {
        let file = format!("{}{leftover}", partial.display());
        // Best effort: a previous interrupted run may or may not have left these.
        let _ = std::fs::remove_file(file);
    }

    let started = Instant::now();
    {
        let mut store = Store::open(&partial)?;
        let mut sources = Vec::new();
        for (kind, name) in [
            (SourceKind::PagerDuty, "PagerDuty"),
            (SourceKind::Opsgenie, "Opsgenie"),
        ] {
            let new = NewSource {
                kind,
                name: name.into(),
                base_url: None,
            };
            sources.push(store.add_source(&new)?.id);
        }
        let mut generator = Generator::new(count);
        let mut written = 0;
        while written < count {
            let batch: Vec<Planned> = (0..CHUNK.min(count - written))
                .map(|_| generator.next_incident())
                .collect();
            store.write(|tx| {
                for planned in &batch {
                    let source = sources[planned.source];
                    let (id, _) = upsert_incident_tx(tx, source, &planned.incident)?;
                    add_events_tx(tx, id, &planned.events)?;
                }
                Ok(())
            })?;
            written += batch.len();
            if written % 100_000 == 0 {
                let secs = started.elapsed().as_secs();
                eprintln!("  {written} incidents written ({secs} s)");
            }
        }
        store
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    std::fs::rename(&partial, path)
        .with_context(|| format!("renaming {} to {}", partial.display(), path.display()))?;
    Ok(())
}

/// One incident ready for the store.
struct Planned {
    source: usize,
    incident: IncomingIncident,
    events: Vec<IncomingEvent>,
}

struct Generator {
    rng: ChaCha8Rng,
    /// The creation instant of the last incident, in seconds since the epoch.
    clock: f64,
    /// Mean seconds between two incidents, so the million spans two years.
    gap: f64,
    count: usize,
    /// Cumulative service weights.
    cumulative: Vec<f64>,
}

impl Generator {
    fn new(count: usize) -> Self {
        let span = (END - FIRST) as f64;
        let mut total = 0.0;
        let cumulative = (0..DOMAINS.len() * COMPONENTS.len())
            .map(|k| {
                total += 1.0 / (k as f64 + 1.0).powf(0.8);
                total
            })
            .collect::<Vec<f64>>()
            .into_iter()
            .map(|c| c / total)
            .collect();
        Generator {
            rng: ChaCha8Rng::seed_from_u64(SEED),
            clock: FIRST as f64,
            gap: span / count.max(1) as f64,
            count: 0,
            cumulative,
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    /// A log-normal number of seconds with the given median and shape, at least one.
    fn log_normal(&mut self, median: f64, sigma: f64) -> i64 {
        // Box-Muller: two uniforms give one standard normal.
        let u1 = 1.0 - self.rng.random::<f64>();
        let u2 = self.rng.random::<f64>();
        let normal = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        ((median * (sigma * normal).exp()) as i64).max(1)
    }

    fn next_incident(&mut self) -> Planned {
        self.count += 1;
        self.clock += -(1.0 - self.rng.random::<f64>()).ln() * self.gap;
        let created = DateTime::from_timestamp(self.clock as i64, 0).unwrap_or_default();
        let external_id = format!("Q{:07}", self.count);

        let pick = self.rng.random::<f64>();
        let index = self.cumulative.iter().position(|&c| pick <= c);
        let named = if self.chance(0.01) { None } else { index };
        // The busiest services are spread over the areas: service k is area k mod 24's part
        // k / 24.
        let area = named.map(|k| k % DOMAINS.len());
        let service = named.map(|k| {
            format!(
                "{}-{}",
                DOMAINS[k % DOMAINS.len()],
                COMPONENTS[k / DOMAINS.len()]
            )
        });
        let team = area.map(|a| format!("{}-team", DOMAINS[a]));
        let high = self.chance(0.7);
        let slower = if high { 1.0 } else { 2.5 };
        let source = usize::from(self.chance(0.2));

        let resolve = self.log_normal(2_700.0 * slower, 1.1).max(60);
        let open = self.chance(0.005);
        let acked = !self.chance(0.08);
        let ack = acked.then(|| {
            let wanted = self.log_normal(180.0 * slower * slower, 1.0);
            wanted.min(resolve * 9 / 10).max(1)
        });
        let merged = !open && self.count > 1 && self.chance(0.02);
        let reopened = !open && !merged && self.chance(0.03);
        let mitigated = match ack {
            Some(a) if !open && self.chance(0.25) => Some(a + (resolve - a) * 4 / 10),
            _ => None,
        };
        let impact_before = self.chance(0.15).then(|| self.log_normal(480.0, 0.8));

        // The area's rotation; incidents without a team page the gateway's.
        let rotation = area.unwrap_or(7) * ROTATION;
        let first = format!(
            "oncall-{:03}",
            rotation + self.rng.random_range(0..ROTATION)
        );
        let second = format!(
            "oncall-{:03}",
            rotation + self.rng.random_range(0..ROTATION)
        );
        let escalated = high && ack.is_none_or(|a| a > 600) && (open || resolve > 600);

        let at = |seconds: i64| created + Duration::seconds(seconds);
        let mut steps: Vec<(i64, EventKind, Option<String>)> = vec![
            (0, EventKind::Triggered, None),
            (0, EventKind::Notified, Some(first.clone())),
        ];
        if escalated {
            steps.push((600, EventKind::Notified, Some(second.clone())));
        }
        if let Some(ack) = ack {
            let by = if escalated && ack > 600 {
                second
            } else {
                first
            };
            steps.push((ack, EventKind::Acknowledged, Some(by)));
        }
        if reopened {
            let early = resolve * 3 / 10;
            steps.push((early, EventKind::Resolved, None));
            steps.push((early + (resolve - early) / 3, EventKind::Triggered, None));
        }
        if !open {
            steps.push((resolve, EventKind::Resolved, None));
        }
        let events = steps
            .into_iter()
            .enumerate()
            .map(|(n, (seconds, kind, actor))| IncomingEvent {
                external_id: format!("{external_id}-{n}"),
                at: at(seconds),
                kind,
                vendor_type: None,
                actor,
                summary: kind.as_str().into(),
            })
            .collect();

        let status = match (open, ack) {
            (false, _) => IncidentStatus::Resolved,
            (true, Some(_)) => IncidentStatus::Acknowledged,
            (true, None) => IncidentStatus::Triggered,
        };
        let incident = IncomingIncident {
            number: Some(self.count as i64),
            title: format!("incident {}", self.count),
            service,
            team,
            urgency: if high { Urgency::High } else { Urgency::Low },
            urgency_raw: None,
            status,
            created_at: created,
            acknowledged_at: None,
            mitigated_at: mitigated.map(at),
            resolved_at: (!open).then(|| at(resolve)),
            impact_started_at: impact_before.map(|m| created - Duration::seconds(m)),
            impact_ended_at: None,
            merged_into: merged.then(|| format!("Q{:07}", self.count - 1)),
            url: None,
            raw: None,
            external_id,
        };
        Planned {
            source,
            incident,
            events,
        }
    }
}
