//! Commands of the Metrics page: the report, and saving a chart or a table where the user says.
//!
//! The window never names a path. An export command opens the native save dialog itself
//! (`tauri-plugin-dialog`, Rust side only), so the window needs no dialog or file-system
//! permission and can write nowhere the user did not pick. Closing the dialog is not an error:
//! the command answers `None` and the page says nothing.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tracing::info;
use vigil_charts::png::svg_to_png;
use vigil_charts::ChartError;
use vigil_core::metrics::{MetricsReport, MetricsRequest};

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// How sharp an exported PNG is: twice the chart's own size reads well on a high-density
/// screen and in a slide.
const PNG_SCALE: f32 = 2.0;

/// Everything the Metrics page shows for `request`.
#[tauri::command]
pub async fn metrics_report(
    state: State<'_, AppState>,
    request: MetricsRequest,
) -> CommandResult<MetricsReport> {
    state
        .with_store(move |store| store.metrics_report(&request))
        .await
}

/// The file format of an exported chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartFormat {
    /// The SVG as the window shows it.
    Svg,
    /// The SVG rasterised with the font shipped in `assets/fonts/`.
    Png,
}

impl ChartFormat {
    fn extension(self) -> &'static str {
        match self {
            ChartFormat::Svg => "svg",
            ChartFormat::Png => "png",
        }
    }

    fn filter_name(self) -> &'static str {
        match self {
            ChartFormat::Svg => "SVG image",
            ChartFormat::Png => "PNG image",
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The file could not be written.
    #[error("{path} could not be written ({source}); choose a folder you can write to")]
    Write {
        /// Where.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The chart could not be made into the asked format.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// The table could not be written as CSV.
    #[error("{path} could not be written as CSV ({source}); choose a folder you can write to")]
    Csv {
        /// Where.
        path: String,
        /// Why.
        source: csv::Error,
    },
    /// The dialog answered with something that is not a local file (a `content://` URI).
    #[error("{0} is not a file on this computer; choose a folder on a local disk")]
    NotLocal(String),
}

impl From<ExportError> for CommandError {
    fn from(e: ExportError) -> Self {
        CommandError {
            kind: "export",
            message: e.to_string(),
        }
    }
}

/// Asks where to save the chart `svg` as `format`, suggesting `name`, and writes it there.
/// Answers the path written, or `None` when the user closed the dialog.
#[tauri::command]
pub async fn export_chart(
    app: AppHandle,
    svg: String,
    format: ChartFormat,
    name: String,
) -> CommandResult<Option<String>> {
    off_the_window(move || {
        let extension = format.extension();
        let Some(path) = ask_where(&app, &name, format.filter_name(), extension)? else {
            return Ok(None);
        };
        write_chart(&svg, format, &path)?;
        info!(path = %path.display(), ?format, "chart exported");
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Asks where to save a table, suggesting `name`, and writes `rows` there as CSV (the first
/// row is the header). Answers the path written, or `None` when the user closed the dialog.
#[tauri::command]
pub async fn export_csv(
    app: AppHandle,
    rows: Vec<Vec<String>>,
    name: String,
) -> CommandResult<Option<String>> {
    off_the_window(move || {
        let Some(path) = ask_where(&app, &name, "CSV table", "csv")? else {
            return Ok(None);
        };
        write_csv(&rows, &path)?;
        info!(path = %path.display(), rows = rows.len(), "table exported");
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Runs `f` on a blocking worker: the dialog waits for the user, and the window's thread must
/// stay free to draw it.
async fn off_the_window<F>(f: F) -> CommandResult<Option<String>>
where
    F: FnOnce() -> Result<Option<String>, ExportError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(CommandError::internal)?
        .map_err(CommandError::from)
}

/// The native save dialog, with `name` suggested; `None` when it was closed. A name typed
/// without the extension gets it, so the file opens in the right program.
fn ask_where(
    app: &AppHandle,
    name: &str,
    filter: &str,
    extension: &str,
) -> Result<Option<PathBuf>, ExportError> {
    let picked = app
        .dialog()
        .file()
        .set_title("Export")
        .set_file_name(
            with_extension(Path::new(name), extension)
                .display()
                .to_string(),
        )
        .add_filter(filter, &[extension])
        .blocking_save_file();
    let Some(picked) = picked else {
        return Ok(None);
    };
    let shown = picked.to_string();
    let path = picked
        .into_path()
        .map_err(|_| ExportError::NotLocal(shown))?;
    Ok(Some(with_extension(&path, extension)))
}

/// `path` with `extension` appended unless it already ends with it (in any case).
fn with_extension(path: &Path, extension: &str) -> PathBuf {
    let has = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension));
    if has {
        path.to_path_buf()
    } else {
        let mut name = path.as_os_str().to_owned();
        name.push(".");
        name.push(extension);
        PathBuf::from(name)
    }
}

/// Writes the chart as SVG as it is, or as PNG rasterised at [`PNG_SCALE`].
fn write_chart(svg: &str, format: ChartFormat, path: &Path) -> Result<(), ExportError> {
    let bytes = match format {
        ChartFormat::Svg => svg.as_bytes().to_vec(),
        ChartFormat::Png => svg_to_png(svg, PNG_SCALE)?,
    };
    std::fs::write(path, bytes).map_err(|source| ExportError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// Writes `rows` as CSV (RFC 4180 quoting, so names with commas survive).
fn write_csv(rows: &[Vec<String>], path: &Path) -> Result<(), ExportError> {
    let failed = |source| ExportError::Csv {
        path: path.display().to_string(),
        source,
    };
    // Rows of a table may differ in length (a total row); the reader of the file decides.
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(failed)?;
    for row in rows {
        writer.write_record(row).map_err(failed)?;
    }
    writer.flush().map_err(|source| ExportError::Write {
        path: path.display().to_string(),
        source,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail on purpose")]
mod tests {
    use super::*;

    #[test]
    fn a_name_typed_without_its_extension_gets_it() {
        assert_eq!(
            with_extension(Path::new("/tmp/mttr"), "png"),
            Path::new("/tmp/mttr.png")
        );
        assert_eq!(
            with_extension(Path::new("/tmp/mttr.PNG"), "png"),
            Path::new("/tmp/mttr.PNG")
        );
        assert_eq!(
            with_extension(Path::new("weekly.v2"), "svg"),
            Path::new("weekly.v2.svg")
        );
    }

    #[test]
    fn a_chart_is_written_as_svg_or_as_png() {
        let dir = tempfile::tempdir().unwrap();
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="5"/>"#;

        let as_svg = dir.path().join("chart.svg");
        write_chart(svg, ChartFormat::Svg, &as_svg).unwrap();
        assert_eq!(std::fs::read_to_string(&as_svg).unwrap(), svg);

        let as_png = dir.path().join("chart.png");
        write_chart(svg, ChartFormat::Png, &as_png).unwrap();
        let png = std::fs::read(&as_png).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // Twice the size: 20 by 10 pixels in the IHDR chunk.
        assert_eq!(&png[16..24], &[0, 0, 0, 20, 0, 0, 0, 10]);
    }

    #[test]
    fn a_table_is_written_as_csv_with_quoted_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("by-service.csv");
        let rows = vec![
            vec!["Service".to_owned(), "Incidents".to_owned()],
            vec!["checkout, EU".to_owned(), "12".to_owned()],
        ];
        write_csv(&rows, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "Service,Incidents\n\"checkout, EU\",12\n");
    }

    #[test]
    fn a_folder_that_cannot_be_written_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("chart.svg");
        let err = write_chart("<svg/>", ChartFormat::Svg, &path).unwrap_err();
        assert!(err.to_string().contains("choose a folder"), "{err}");
    }
}
