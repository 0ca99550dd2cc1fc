//! Incidents by the chosen dimension (service, team, urgency or source): a bar chart of the
//! largest groups and a table of all of them, exportable as CSV.

use std::sync::Arc;

use leptos::prelude::*;
use vigil_charts::dimension_bars;
use vigil_core::metrics::{Dimension, MetricsReport, Tally};

use super::charts::ChartCard;
use super::export::CsvExport;

/// The dimensions offered, with their names for the select, the column and file names.
const DIMENSIONS: [(Dimension, &str, &str); 4] = [
    (Dimension::Service, "service", "Service"),
    (Dimension::Team, "team", "Team"),
    (Dimension::Urgency, "urgency", "Urgency"),
    (Dimension::Source, "source", "Source"),
];

fn names(dimension: Dimension) -> (&'static str, &'static str) {
    DIMENSIONS
        .iter()
        .find(|(d, _, _)| *d == dimension)
        .map_or(("service", "Service"), |(_, word, title)| (*word, *title))
}

/// The report's counts for `dimension`, largest first (then by name, unnamed last).
fn sorted(report: &MetricsReport, dimension: Dimension) -> Vec<Tally> {
    let mut tallies = match dimension {
        Dimension::Service => report.by_service.clone(),
        Dimension::Team => report.by_team.clone(),
        Dimension::Urgency => report.by_urgency.clone(),
        Dimension::Source => report.by_source.clone(),
    };
    tallies.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.key.is_none().cmp(&b.key.is_none()))
            .then_with(|| a.key.cmp(&b.key))
    });
    tallies
}

/// A group's name as the table shows it.
fn group_name(tally: &Tally, word: &str) -> String {
    tally.key.clone().unwrap_or_else(|| format!("(no {word})"))
}

/// The table's rows as CSV cells, header first.
fn csv_rows(tallies: &[Tally], dimension: Dimension) -> Vec<Vec<String>> {
    let (word, title) = names(dimension);
    let total: u32 = tallies.iter().map(|t| t.count).sum();
    let mut rows = vec![vec![
        title.to_owned(),
        "Incidents".into(),
        "Share (%)".into(),
    ]];
    rows.extend(tallies.iter().map(|t| {
        vec![
            group_name(t, word),
            t.count.to_string(),
            share(t.count, total),
        ]
    }));
    rows
}

/// `count` as a percentage of `total`, one decimal.
fn share(count: u32, total: u32) -> String {
    if total == 0 {
        return "0.0".into();
    }
    format!("{:.1}", f64::from(count) * 100.0 / f64::from(total))
}

/// The section: dimension select, bar chart, table and CSV export.
#[component]
pub fn ByDimension(
    report: Arc<MetricsReport>,
    dimension: RwSignal<Dimension>,
    stem: String,
) -> impl IntoView {
    let tallies = {
        let report = Arc::clone(&report);
        Memo::new(move |_| sorted(&report, dimension.get()))
    };
    let title = Signal::derive(move || format!("Incidents by {}", names(dimension.get()).0));
    let file_stem = {
        let stem = stem.clone();
        Signal::derive(move || format!("{stem}-by-{}", names(dimension.get()).0))
    };
    let rows = Signal::derive(move || csv_rows(&tallies.get(), dimension.get()));
    let on_change = move |ev| {
        let value = event_target_value(&ev);
        if let Some((d, _, _)) = DIMENSIONS.iter().find(|(_, word, _)| *word == value) {
            dimension.set(*d);
        }
    };
    let chart = move || {
        let title = title.get();
        let drawn =
            dimension_bars(&title, &tallies.get(), dimension.get()).map_err(|e| e.to_string());
        view! { <ChartCard id="by-dimension" title drawn stem=file_stem.get() /> }
    };

    view! {
        <section class="metrics-section" aria-labelledby="metrics-by">
            <h2 id="metrics-by">"By dimension"</h2>
            <div class="filter-field dimension-choice">
                <label for="metrics-dimension">"Count incidents by"</label>
                <select id="metrics-dimension" data-testid="metrics-dimension" on:change=on_change>
                    {DIMENSIONS
                        .iter()
                        .map(|(d, word, title)| {
                            let d = *d;
                            view! {
                                <option value=*word selected=move || dimension.get() == d>
                                    {*title}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <CsvExport rows title stem=file_stem />
            </div>
            <div class="dimension-grid">
                {chart}
                <DimensionTable rows />
            </div>
        </section>
    }
}

/// The table of every group, with its share of the period's incidents.
#[component]
fn DimensionTable(rows: Signal<Vec<Vec<String>>>) -> impl IntoView {
    move || {
        let rows = rows.get();
        let Some((header, body)) = rows.split_first() else {
            return ().into_any();
        };
        if body.is_empty() {
            return view! { <p class="empty">"No incidents in this period."</p> }.into_any();
        }
        let header = header.clone();
        view! {
            <div class="table-wrap dimension-table">
                <table class="incidents" data-testid="dimension-table">
                    <thead>
                        <tr>
                            <th scope="col">{header[0].clone()}</th>
                            <th scope="col" class="num">{header[1].clone()}</th>
                            <th scope="col" class="num">{header[2].clone()}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {body
                            .iter()
                            .map(|row| {
                                view! {
                                    <tr data-testid="dimension-row">
                                        <td>{row[0].clone()}</td>
                                        <td class="num">{row[1].clone()}</td>
                                        <td class="num">{row[2].clone()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    }
}
