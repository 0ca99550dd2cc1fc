//! What every chart shares: size, colours and type (those of the window's stylesheet, so a chart
//! sits in the page as if drawn by it), the axes and grid, the title, and the finishing step
//! that adds the accessible name and the overlay.

use plotters::prelude::*;

use crate::axes::ValueAxis;
use crate::coord::Ticked;
use crate::overlay::{escape, Overlay};
use crate::ChartError;

/// Width of every chart in pixels; the page scales the SVG to its column.
pub(crate) const WIDTH: u32 = 720;

/// Labels' size in pixels, as written in the SVG.
pub(crate) const FONT_SIZE: u32 = 12;

/// plotters writes a font's size divided by 1.24 (its em-to-pixel convention), so sizes are
/// asked for multiplied back.
const PLOTTERS_EM: f64 = 1.24;

/// Labels and secondary lines.
pub(crate) const MUTED: RGBColor = RGBColor(0x5d, 0x66, 0x77);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xe6, 0xe9, 0xee);
/// Axis lines.
pub(crate) const AXIS: RGBColor = RGBColor(0xc5, 0xcb, 0xd6);
/// Data: bars, lines, normal points.
pub(crate) const ACCENT: RGBColor = RGBColor(0x24, 0x57, 0xc5);
/// Data that covers only part of its slot (a week cut by the period's first day).
pub(crate) const ACCENT_SOFT: RGBColor = RGBColor(0xa7, 0xbc, 0xe8);
/// Control limits and special causes.
pub(crate) const DANGER: RGBColor = RGBColor(0xb4, 0x23, 0x18);
/// Centre lines.
pub(crate) const OK: RGBColor = RGBColor(0x1f, 0x7a, 0x3f);

/// A colour as SVG writes it, the way plotters does (`#RRGGBB`).
pub(crate) fn to_hex(colour: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

/// A text style of `pixels` in `colour`.
pub(crate) fn text_style(pixels: f64, colour: &'static RGBColor) -> TextStyle<'static> {
    TextStyle::from((FontFamily::SansSerif, pixels * PLOTTERS_EM).into_font()).color(colour)
}

/// The plotting coordinates every chart uses: numbers on both axes, labelled where asked.
pub(crate) type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Ticked, Ticked>>;

/// Which grid lines are drawn: across a value axis only, never along the periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Grid {
    /// Horizontal lines at the y labels (values go up).
    Horizontal,
    /// Vertical lines at the x labels (values go right).
    Vertical,
}

/// One axis: its span, the positions labelled and their text.
pub(crate) struct Axis<'f> {
    /// The span drawn.
    pub range: std::ops::Range<f64>,
    /// Labelled positions.
    pub ticks: Vec<f64>,
    /// The label at a labelled position.
    pub label: &'f dyn Fn(f64) -> String,
    /// What the axis measures, written along it.
    pub description: Option<String>,
}

impl<'f> Axis<'f> {
    /// A value axis with its labels.
    pub fn values(axis: &ValueAxis, label: &'f dyn Fn(f64) -> String, desc: String) -> Self {
        Axis {
            range: axis.range.clone(),
            ticks: axis.ticks.clone(),
            label,
            description: Some(desc),
        }
    }
}

/// The outer size and the margins around the plotting area, in pixels.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame<'t> {
    /// Written at the top left, and the SVG's accessible name.
    pub title: &'t str,
    /// Total height.
    pub height: u32,
    /// Room for the value labels and the axis description on the left.
    pub left: u32,
    /// Room on the right (line labels of a control chart).
    pub right: u32,
    /// Room for the period labels under the axis.
    pub bottom: u32,
}

/// Room above the plot for the title.
const TOP: u32 = 30;

/// Draws the frame, axes and grid, lets `body` draw the data and collect its overlay, and
/// returns the finished SVG with `summary` as its description.
pub(crate) fn draw_chart(
    frame: Frame<'_>,
    x: Axis<'_>,
    y: Axis<'_>,
    grid: Grid,
    summary: &str,
    body: impl FnOnce(&mut Plot<'_, '_>, &mut Overlay) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    let mut overlay = Overlay::default();
    overlay.title((8, 16), frame.title);
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, frame.height)).into_drawing_area();
        root.fill(&WHITE)?;

        let mut chart = ChartBuilder::on(&root)
            .margin_top(TOP)
            .margin_right(frame.right)
            .x_label_area_size(frame.bottom)
            .y_label_area_size(frame.left)
            .build_cartesian_2d(
                Ticked {
                    span: x.range.clone(),
                    ticks: x.ticks.clone(),
                },
                Ticked {
                    span: y.range.clone(),
                    ticks: y.ticks.clone(),
                },
            )?;
        let x_label = |v: &f64| (x.label)(*v);
        let y_label = |v: &f64| (y.label)(*v);
        let mut mesh = chart.configure_mesh();
        mesh.bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .label_style(text_style(f64::from(FONT_SIZE), &MUTED))
            .axis_desc_style(text_style(f64::from(FONT_SIZE), &MUTED))
            .set_all_tick_mark_size(4)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label);
        match grid {
            Grid::Horizontal => mesh.disable_x_mesh(),
            Grid::Vertical => mesh.disable_y_mesh(),
        };
        if let Some(desc) = &x.description {
            mesh.x_desc(desc.as_str());
        }
        if let Some(desc) = &y.description {
            mesh.y_desc(desc.as_str());
        }
        mesh.draw()?;

        body(&mut chart, &mut overlay)?;
        root.present()?;
    }
    Ok(finish(svg, frame.title, summary, overlay))
}

/// Names the SVG for screen readers (`role="img"`, `aria-label`, `<title>`, `<desc>`) and
/// appends the overlay last, so its hover targets are on top of the drawing.
fn finish(svg: String, title: &str, summary: &str, overlay: Overlay) -> String {
    let named = format!(
        "<svg role=\"img\" aria-label=\"{}\" class=\"vigil-chart\" ",
        escape(title)
    );
    let mut svg = svg.replacen("<svg ", &named, 1);
    if let Some(open_end) = svg.find(">\n") {
        let head = format!(
            "<title>{}</title>\n<desc>{}</desc>\n",
            escape(title),
            escape(summary)
        );
        svg.insert_str(open_end + 2, &head);
    }
    if let Some(close) = svg.rfind("</svg>") {
        svg.insert_str(close, &overlay.into_markup());
    }
    svg
}
