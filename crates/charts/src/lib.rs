//! Vigil's charts: functions that take vigil-core's values and return an SVG document as a string.
//!
//! One crate draws every chart so the window, the exported files and the reports of later issues
//! show the same picture of the same numbers. It knows nothing of the UI: a chart is a `String`
//! the window puts in the page, the app writes to a file or rasterises ([`png`], feature `png`),
//! and a report embeds.
//!
//! Each chart is drawn with plotters' SVG backend and then finished here: a `<title>` and
//! `<desc>` for screen readers, and a layer of hover targets whose `<title>` is the tooltip of a
//! bar or point (a special cause on a control chart names the rule it breaks). The output is a
//! pure function of the input: no clock, no fonts measured, no random ids, so a test can compare
//! it and a report made twice is byte for byte the same.
//!
//! A chart with nothing to show is not drawn: the function returns [`ChartError::NoData`], whose
//! message says so in words for the page to show instead of empty axes.
//!
//! ```
//! use chrono::NaiveDate;
//! use vigil_core::metrics::{Period, PeriodCount};
//!
//! let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
//! let counts = [PeriodCount { start: monday, count: 4 }];
//! let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
//! let title = "Incidents per week";
//! let svg = vigil_charts::counts_per_period(title, &counts, Period::Week, monday..=sunday);
//! let svg = svg.unwrap();
//! assert!(svg.starts_with("<svg") && svg.contains("4 incidents"));
//! ```

mod axes;
mod control;
mod coord;
mod dimension;
mod frame;
mod overlay;
#[cfg(feature = "png")]
pub mod png;
mod trend;
mod unit;

pub use control::{control_chart, weekly_control_charts, ControlChartSpec, RuleNaming, WeeklySvgs};
pub use dimension::dimension_bars;
pub use trend::{counts_per_period, kpi_trend, KpiTrend, TrendPoint};
pub use unit::Unit;

/// Why a chart was not drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// There is nothing to plot; the message says what is missing and what to change, for the
    /// page to show in place of the chart.
    #[error("{0}")]
    NoData(String),
    /// plotters refused to draw. The inputs are plain numbers, so this is a bug in this crate.
    #[error("the chart could not be drawn ({0}); please report this with Vigil's log file")]
    Drawing(String),
    /// The SVG handed to [`png::svg_to_png`] could not be read.
    #[cfg(feature = "png")]
    #[error("the chart could not be read for PNG export ({0}); export it as SVG instead")]
    BadSvg(String),
    /// The PNG would be empty or too large to allocate.
    #[cfg(feature = "png")]
    #[error("a PNG of {width} by {height} pixels cannot be made; export the chart as SVG instead")]
    BadSize {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
    },
    /// tiny-skia could not encode the image.
    #[cfg(feature = "png")]
    #[error("the PNG could not be encoded ({0}); export the chart as SVG instead")]
    Encoding(String),
}

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for ChartError
{
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        ChartError::Drawing(e.to_string())
    }
}

/// Whether `svg` writes `text` as a whole label, in plotters' layout (the text on a line of its
/// own) or this crate's (inline).
#[cfg(test)]
pub(crate) fn has_label(svg: &str, text: &str) -> bool {
    svg.contains(&format!(">\n{text}\n</text>")) || svg.contains(&format!(">{text}</text>"))
}
