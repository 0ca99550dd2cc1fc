//! Incidents per group of one dimension (service, team, urgency or source) as horizontal bars,
//! largest first, so long service names stay readable on the left.

use plotters::element::Rectangle;
use plotters::style::Color;
use vigil_core::metrics::{Dimension, Tally};

use crate::axes::{index_range, ValueAxis};
use crate::frame::{draw_chart, Axis, Frame, Grid, ACCENT};
use crate::overlay::{Anchor, TEXT};
use crate::ChartError;

/// Most bars drawn; smaller groups are added up into one last bar (the page's table lists them
/// all).
const MOST_BARS: usize = 12;
/// Height of one bar's row in pixels.
const ROW: u32 = 22;
/// Longest group name written in full.
const LONGEST_NAME: usize = 20;

/// One drawn bar.
struct Bar {
    name: String,
    count: u32,
}

/// The dimension's name in the singular, for "(no team)" and the summary.
fn noun(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Service => "service",
        Dimension::Team => "team",
        Dimension::Urgency => "urgency",
        Dimension::Source => "source",
    }
}

/// Incidents per group, largest first, the smallest groups added into "Other (N groups)"
/// beyond twelve bars. No incident at all is [`ChartError::NoData`].
pub fn dimension_bars(
    title: &str,
    tallies: &[Tally],
    dimension: Dimension,
) -> Result<String, ChartError> {
    let bars = bars(tallies, dimension);
    let Some(largest) = bars.iter().map(|b| b.count).max().filter(|&n| n > 0) else {
        return Err(ChartError::NoData(
            "No incidents in this period: choose a longer period or clear the filters.".into(),
        ));
    };
    let rows = bars.len();
    // The first bar is drawn at the top: row r sits at y = rows - 1 - r.
    let row_of = |y: f64| (rows as f64 - 1.0 - y) as usize;
    let values = ValueAxis::spanning(0.0, f64::from(largest), true);
    let x_label = |x: f64| values.label(x);
    let y_label = |y: f64| {
        if y < 0.0 || y.fract() != 0.0 {
            return String::new();
        }
        bars.get(row_of(y))
            .map(|b| shortened(&b.name))
            .unwrap_or_default()
    };
    let x = Axis::values(&values, &x_label, "Incidents".into());
    let y = Axis {
        range: index_range(rows),
        ticks: (0..rows).map(|r| r as f64).collect(),
        label: &y_label,
        description: None,
    };
    let total: u64 = bars.iter().map(|b| u64::from(b.count)).sum();
    let summary = format!(
        "{total} incidents in {} {} groups; the largest, {}, has {largest}.",
        tallies.len(),
        noun(dimension),
        bars[0].name
    );
    let frame = Frame {
        title,
        height: 30 + ROW * rows as u32 + 52,
        left: 170,
        right: 40,
        bottom: 44,
    };

    draw_chart(frame, x, y, Grid::Vertical, &summary, |plot, overlay| {
        let drawn = bars.iter().enumerate().map(|(r, b)| {
            let y = (rows - 1 - r) as f64;
            Rectangle::new(
                [(0.0, y - 0.35), (f64::from(b.count), y + 0.35)],
                ACCENT.filled(),
            )
        });
        plot.draw_series(drawn)?;

        let right = values.range.end;
        for (r, b) in bars.iter().enumerate() {
            let y = (rows - 1 - r) as f64;
            let (bx, by) = plot.backend_coord(&(f64::from(b.count), y));
            overlay.text((bx + 4, by), Anchor::Start, &b.count.to_string(), TEXT);
            let noun = if b.count == 1 {
                "incident"
            } else {
                "incidents"
            };
            overlay.hover_rect(
                plot.backend_coord(&(0.0, y + 0.5)),
                plot.backend_coord(&(right, y - 0.5)),
                &format!("{}: {} {noun}", b.name, b.count),
            );
        }
        Ok(())
    })
}

/// The bars to draw: groups by count (then name), the rest folded into one.
fn bars(tallies: &[Tally], dimension: Dimension) -> Vec<Bar> {
    let mut all: Vec<Bar> = tallies
        .iter()
        .map(|t| Bar {
            name: t
                .key
                .clone()
                .unwrap_or_else(|| format!("(no {})", noun(dimension))),
            count: t.count,
        })
        .collect();
    all.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    if all.len() > MOST_BARS {
        let rest = all.split_off(MOST_BARS - 1);
        all.push(Bar {
            name: format!("Other ({} groups)", rest.len()),
            count: rest.iter().map(|b| b.count).sum(),
        });
    }
    all
}

/// A group name cut to fit the label column, with an ellipsis when cut (the tooltip has it
/// whole).
fn shortened(name: &str) -> String {
    if name.chars().count() <= LONGEST_NAME {
        name.to_owned()
    } else {
        let kept: String = name.chars().take(LONGEST_NAME - 1).collect();
        format!("{kept}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(key: Option<&str>, count: u32) -> Tally {
        Tally {
            key: key.map(str::to_owned),
            count,
        }
    }

    /// The y coordinate of the axis label `name`.
    fn label_y(svg: &str, name: &str) -> i32 {
        let at = svg.find(&format!(">\n{name}\n<")).expect(name);
        let tag = &svg[svg[..at].rfind("<text").expect("a text element")..at];
        let y = &tag[tag.find(" y=\"").expect("a y attribute") + 4..];
        y[..y.find('"').expect("a closing quote")]
            .parse()
            .expect("a number")
    }

    #[test]
    fn groups_are_drawn_largest_first_with_their_counts_and_tooltips() {
        let tallies = [
            tally(None, 2),
            tally(Some("checkout"), 9),
            tally(Some("search"), 4),
        ];
        let svg = dimension_bars("By service", &tallies, Dimension::Service).unwrap();

        assert!(
            svg.contains("<title>checkout: 9 incidents</title>"),
            "{svg}"
        );
        assert!(svg.contains("<title>(no service): 2 incidents</title>"));
        // Top to bottom: the label's y grows.
        let heights: Vec<i32> = ["checkout", "search", "(no service)"]
            .iter()
            .map(|name| label_y(&svg, name))
            .collect();
        assert!(heights.windows(2).all(|w| w[0] < w[1]), "{heights:?}");
        // Three bars (plus the white background).
        assert_eq!(svg.matches("fill=\"#2457C5\"").count(), 3);
        assert!(svg.contains(">9</text>"));
    }

    #[test]
    fn beyond_twelve_groups_the_smallest_are_added_up() {
        let names: Vec<String> = (0..15).map(|i| format!("svc-{i:02}")).collect();
        let tallies: Vec<Tally> = names
            .iter()
            .enumerate()
            .map(|(i, n)| tally(Some(n), 20 - i as u32))
            .collect();
        let svg = dimension_bars("By service", &tallies, Dimension::Service).unwrap();
        // svc-11 .. svc-14 (9 + 8 + 7 + 6) fold into one bar.
        assert!(
            svg.contains("<title>Other (4 groups): 30 incidents</title>"),
            "{svg}"
        );
        assert!(!svg.contains("svc-12"));
    }

    #[test]
    fn long_names_are_cut_on_the_axis_but_whole_in_the_tooltip() {
        let long = "payments-reconciliation-worker-eu";
        let svg =
            dimension_bars("By service", &[tally(Some(long), 3)], Dimension::Service).unwrap();
        assert!(crate::has_label(&svg, "payments-reconcilia…"), "{svg}");
        assert!(svg.contains(&format!("<title>{long}: 3 incidents</title>")));
    }

    #[test]
    fn no_incidents_is_said_in_words() {
        let err = dimension_bars("By team", &[], Dimension::Team).unwrap_err();
        assert!(matches!(err, ChartError::NoData(ref m) if m.starts_with("No incidents")));
    }
}
