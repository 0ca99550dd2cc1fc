//! The KPI tiles: each KPI's value over the period with its unit, the mean, median, p90 and n
//! of a duration, and the change against the period of the same length just before, as an
//! arrow and words. Hovering a tile shows its definition (which timestamps, what is left out),
//! the text vigil-core keeps beside the arithmetic.
//!
//! Each tile also carries its raw figure in `data-value` (a count, or a mean in seconds) and
//! `data-n`, so a test can hold the page to the engine's numbers without parsing "2h 03m".

use leptos::prelude::*;
use vigil_core::metrics::{Change, Kpi, KpiComparison, Summary};

use crate::format;

/// What one tile shows.
struct Tile {
    kpi: Kpi,
    /// The big figure, with its unit.
    value: String,
    /// The raw figure for tests.
    raw: String,
    /// How many durations went in, for duration KPIs.
    n: Option<u32>,
    /// The line under the figure.
    detail: String,
    change: Change,
    /// Whether the KPI is a duration (its change is shown as one).
    duration: bool,
}

/// The row of tiles of one report.
#[component]
pub fn Tiles(
    /// This period, the previous one and the changes.
    comparison: KpiComparison,
    /// "previous 30 days", for the change lines.
    previous: String,
) -> impl IntoView {
    let now = &comparison.current;
    let counts = &now.counts;
    let changes = &comparison.changes;
    let count = |kpi, n: u32, detail: String, change| Tile {
        kpi,
        value: n.to_string(),
        raw: n.to_string(),
        n: None,
        detail,
        change,
        duration: false,
    };
    let mut tiles = vec![
        count(
            Kpi::Incidents,
            counts.incidents,
            format!(
                "{} reopened · {} merged set aside",
                counts.reopened, counts.merged_away
            ),
            changes.incidents,
        ),
        count(
            Kpi::Open,
            counts.open,
            "not resolved yet, so left out of MTTR".into(),
            changes.open,
        ),
        count(
            Kpi::Unacknowledged,
            counts.unacknowledged,
            "left out of MTTA".into(),
            changes.unacknowledged,
        ),
    ];
    for (kpi, summary, change) in [
        (Kpi::Mtta, &now.mtta, changes.mtta),
        (Kpi::Mttd, &now.mttd, changes.mttd),
        (Kpi::Mttm, &now.mttm, changes.mttm),
        (Kpi::Mttr, &now.mttr, changes.mttr),
        (Kpi::Mtbf, &now.mtbf, changes.mtbf),
    ] {
        let mut tile = duration_tile(kpi, summary, change);
        if kpi == Kpi::Mttr && counts.open > 0 {
            tile.detail
                .push_str(&format!(" · {} open left out", counts.open));
        }
        tiles.push(tile);
    }

    view! {
        <div class="kpi-tiles" data-testid="kpi-tiles">
            {tiles
                .into_iter()
                .map(|tile| view! { <TileView tile previous=previous.clone() /> })
                .collect_view()}
        </div>
    }
}

/// A duration KPI's tile: the mean, then median, p90 and n.
fn duration_tile(kpi: Kpi, summary: &Summary, change: Change) -> Tile {
    let (value, detail) = match summary.mean {
        Some(mean) => (
            format::duration(mean.round() as i64),
            format!(
                "median {} · p90 {} · n = {}",
                format::duration_opt(summary.median),
                format::duration_opt(summary.p90),
                summary.n
            ),
        ),
        None => (
            format::MISSING.to_owned(),
            "no incident in the period has this duration".to_owned(),
        ),
    };
    Tile {
        kpi,
        value,
        raw: summary.mean.map(|m| m.to_string()).unwrap_or_default(),
        n: Some(summary.n),
        detail,
        change,
        duration: true,
    }
}

/// One tile.
#[component]
fn TileView(tile: Tile, previous: String) -> impl IntoView {
    let definition = if tile.duration {
        format!("{} {}", tile.kpi.definition(), Kpi::statistic_note())
    } else {
        tile.kpi.definition().to_owned()
    };
    let higher_is_better = tile.kpi == Kpi::Mtbf;
    // The big figure of a duration is its mean; say so, since median and p90 sit beside it.
    let statistic = (tile.duration && !tile.raw.is_empty())
        .then(|| view! { <span class="kpi-stat">"mean"</span> });
    let (class, text, title) =
        change_line(&tile.change, tile.duration, higher_is_better, &previous);
    view! {
        <div
            class="kpi-tile"
            data-testid=format!("kpi-{}", slug(tile.kpi))
            data-value=tile.raw
            data-n=tile.n.map(|n| n.to_string())
            title=definition
        >
            <div class="kpi-label">{tile.kpi.label()}</div>
            <div class="kpi-value">
                <span data-testid="kpi-value">{tile.value}</span>
                {statistic}
            </div>
            <div class="kpi-detail">{tile.detail}</div>
            <div class=format!("kpi-change {class}") title=title>{text}</div>
        </div>
    }
}

/// The change line: its class, its words, and the previous value for its tooltip.
fn change_line(
    change: &Change,
    duration: bool,
    higher_is_better: bool,
    previous: &str,
) -> (&'static str, String, String) {
    let show = |value: f64| {
        if duration {
            format::duration(value.round() as i64)
        } else {
            format!("{value}")
        }
    };
    let before = change.previous.map_or_else(
        || format!("No value in the {previous}"),
        |p| format!("In the {previous}: {}", show(p)),
    );
    let Some(delta) = change.delta else {
        return (
            "change-none",
            format!("nothing to compare in the {previous}"),
            before,
        );
    };
    if delta == 0.0 {
        return ("change-flat", format!("= same as the {previous}"), before);
    }
    let amount = change
        .percent
        .map_or_else(|| show(delta.abs()), |p| format!("{:.0}%", p.abs()));
    let arrow = if delta > 0.0 { "▲ up" } else { "▼ down" };
    let better = (delta > 0.0) == higher_is_better;
    let judgement = if better { "better" } else { "worse" };
    let class = if better {
        "change-better"
    } else {
        "change-worse"
    };
    (
        class,
        format!("{arrow} {amount} vs {previous} ({judgement})"),
        before,
    )
}

/// The tile's test hook name: the KPI's name across the IPC boundary.
fn slug(kpi: Kpi) -> &'static str {
    match kpi {
        Kpi::Incidents => "incidents",
        Kpi::Open => "open",
        Kpi::Unacknowledged => "unacknowledged",
        Kpi::Mtta => "mtta",
        Kpi::Mttd => "mttd",
        Kpi::Mttm => "mttm",
        Kpi::Mttr => "mttr",
        Kpi::Mtbf => "mtbf",
        Kpi::Interruptions => "interruptions",
        Kpi::OutOfHours => "out_of_hours",
        Kpi::Engaged => "engaged",
    }
}
