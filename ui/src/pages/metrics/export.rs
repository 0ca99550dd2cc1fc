//! The export buttons of charts and tables, and the line saying where the last export went.
//!
//! The app opens the save dialog itself; the page only hands over the SVG or the rows and a
//! suggested file name. A closed dialog answers nothing, and the page says nothing either.

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::api::CommandError;

use crate::components::error_banner::ErrorBanner;
use crate::ipc;

/// The outcome of the last export: the path written, or why it failed.
#[derive(Clone, Copy, Debug)]
pub struct ExportStatus(pub RwSignal<Option<Result<String, CommandError>>>);

impl ExportStatus {
    /// Records an export's answer; a closed dialog (`None`) changes nothing.
    fn record(self, answer: Result<Option<String>, CommandError>) {
        match answer {
            Ok(Some(path)) => self.0.set(Some(Ok(path))),
            Ok(None) => {}
            Err(error) => self.0.set(Some(Err(error))),
        }
    }
}

/// "Saved to …", or the failure, until dismissed.
#[component]
pub fn ExportNotice(status: ExportStatus) -> impl IntoView {
    let dismiss = move |_| status.0.set(None);
    move || {
        status.0.get().map(|outcome| match outcome {
            Ok(path) => view! {
                <p class="export-done" role="status" data-testid="export-done">
                    "Saved to " <span class="mono">{path}</span>
                    <button type="button" class="link-button" on:click=dismiss>
                        "Dismiss"
                    </button>
                </p>
            }
            .into_any(),
            Err(error) => view! {
                <ErrorBanner error on_dismiss=Callback::new(move |()| status.0.set(None)) />
            }
            .into_any(),
        })
    }
}

/// "Export SVG" and "Export PNG" under a chart.
#[component]
pub fn ChartExports(
    /// The chart as drawn in the page.
    svg: String,
    /// Its title, for the buttons' accessible names.
    title: String,
    /// The suggested file name, without extension.
    stem: String,
) -> impl IntoView {
    let status = expect_context::<ExportStatus>();
    let busy = RwSignal::new(false);
    let chart = StoredValue::new((svg, stem));
    let export = move |format: &'static str| {
        busy.set(true);
        let (svg, stem) = chart.get_value();
        spawn_local(async move {
            let answer = ipc::export_chart(&svg, format, &format!("{stem}.{format}")).await;
            busy.set(false);
            status.record(answer);
        });
    };
    view! {
        <div class="chart-actions">
            <button
                type="button"
                aria-label=format!("Export {title} as SVG")
                disabled=move || busy.get()
                on:click=move |_| export("svg")
            >
                "Export SVG"
            </button>
            <button
                type="button"
                aria-label=format!("Export {title} as PNG")
                disabled=move || busy.get()
                on:click=move |_| export("png")
            >
                "Export PNG"
            </button>
        </div>
    }
}

/// "Export CSV" for a table.
#[component]
pub fn CsvExport(
    /// The table, header first.
    rows: Signal<Vec<Vec<String>>>,
    /// Its title, for the button's accessible name.
    title: Signal<String>,
    /// The suggested file name, without extension.
    stem: Signal<String>,
) -> impl IntoView {
    let status = expect_context::<ExportStatus>();
    let busy = RwSignal::new(false);
    let export = move |_| {
        busy.set(true);
        let (rows, stem) = (rows.get_untracked(), stem.get_untracked());
        spawn_local(async move {
            let answer = ipc::export_csv(&rows, &format!("{stem}.csv")).await;
            busy.set(false);
            status.record(answer);
        });
    };
    view! {
        <button
            type="button"
            aria-label=move || format!("Export {} as CSV", title.get())
            disabled=move || busy.get()
            on:click=export
        >
            "Export CSV"
        </button>
    }
}
