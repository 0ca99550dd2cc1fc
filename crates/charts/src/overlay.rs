//! The SVG this crate writes itself, on top of what plotters draws: what plotters has no element
//! for. That is a `<title>` (the tooltip a browser shows on hover, and what a screen reader
//! reads) on a bar or point, special-cause markers that carry their rule, and a few labels
//! placed in pixels.
//!
//! Coordinates are the backend pixels plotters mapped the data to, so the layer lines up with
//! the drawing exactly; numbers are written as integers, keeping the output deterministic.

use std::fmt::Write;

use crate::frame::{to_hex, DANGER, FONT_SIZE};

/// The colour of titles and values written in the chart (the stylesheet's text colour).
pub(crate) const TEXT: &str = "#1D2330";
/// The colour of notes and legends (the stylesheet's muted colour).
pub(crate) const MUTED_HEX: &str = "#5D6677";

/// Markup appended to a chart, in drawing order.
#[derive(Debug, Default)]
pub(crate) struct Overlay {
    markup: String,
}

/// How a label is anchored at its point.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Anchor {
    /// The text starts at the point.
    Start,
    /// The text is centred on the point.
    Middle,
    /// The text ends at the point.
    End,
}

impl Overlay {
    /// An invisible rectangle from `(x0, y0)` to `(x1, y1)` whose hover shows `title`: the
    /// tooltip of a bar or of a period's column.
    pub fn hover_rect(&mut self, (x0, y0): (i32, i32), (x1, y1): (i32, i32), title: &str) {
        let (left, top) = (x0.min(x1), y0.min(y1));
        let (width, height) = ((x1 - x0).abs().max(1), (y1 - y0).abs().max(1));
        let _ = writeln!(
            self.markup,
            "<g class=\"hover\"><title>{}</title><rect x=\"{left}\" y=\"{top}\" \
             width=\"{width}\" height=\"{height}\" fill=\"#000000\" fill-opacity=\"0\"/></g>",
            escape(title)
        );
    }

    /// An invisible disc around a point, a little larger than the drawn one so it is easy to
    /// hover, whose hover shows `title`.
    pub fn hover_point(&mut self, (x, y): (i32, i32), title: &str) {
        let _ = writeln!(
            self.markup,
            "<g class=\"hover\"><title>{}</title><circle cx=\"{x}\" cy=\"{y}\" r=\"7\" \
             fill=\"#000000\" fill-opacity=\"0\"/></g>",
            escape(title)
        );
    }

    /// A special cause: a red diamond over the point, a shape as well as a colour so it reads
    /// in grey print and for colour-blind readers, with the rules it breaks as its tooltip.
    pub fn special_cause(&mut self, (x, y): (i32, i32), title: &str) {
        let _ = writeln!(
            self.markup,
            "<g class=\"special-cause\"><title>{}</title>{}</g>",
            escape(title),
            diamond((x, y), 6)
        );
    }

    /// The legend entry of the special-cause marker: a diamond and its meaning.
    pub fn special_cause_legend(&mut self, (x, y): (i32, i32), text: &str) {
        let _ = writeln!(
            self.markup,
            "<g class=\"legend\">{}</g>",
            diamond((x, y), 5)
        );
        self.text((x + 9, y), Anchor::Start, text, MUTED_HEX);
    }

    /// The chart's title, bold, starting at `(x, y)`.
    pub fn title(&mut self, (x, y): (i32, i32), text: &str) {
        let _ = writeln!(
            self.markup,
            "<text x=\"{x}\" y=\"{y}\" dy=\"0.35em\" font-family=\"sans-serif\" \
             font-size=\"13\" font-weight=\"bold\" fill=\"{TEXT}\">{}</text>",
            escape(text)
        );
    }

    /// A label at a pixel position, vertically centred on it.
    pub fn text(&mut self, (x, y): (i32, i32), anchor: Anchor, text: &str, colour: &str) {
        let anchor = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let _ = writeln!(
            self.markup,
            "<text x=\"{x}\" y=\"{y}\" dy=\"0.35em\" text-anchor=\"{anchor}\" \
             font-family=\"sans-serif\" font-size=\"{FONT_SIZE}\" fill=\"{colour}\">{}</text>",
            escape(text)
        );
    }

    /// The markup, in the order it was added.
    pub fn into_markup(self) -> String {
        self.markup
    }
}

/// A filled diamond of half-width `r` centred on `(x, y)`, outlined in white so it stands out
/// from the line under it.
fn diamond((x, y): (i32, i32), r: i32) -> String {
    format!(
        "<path d=\"M{x} {top} L{right} {y} L{x} {bottom} L{left} {y} Z\" fill=\"{fill}\" \
         stroke=\"#FFFFFF\" stroke-width=\"1\"/>",
        top = y - r,
        bottom = y + r,
        left = x - r,
        right = x + r,
        fill = to_hex(DANGER),
    )
}

/// Text made safe for SVG element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_cannot_break_out_of_its_element() {
        let mut overlay = Overlay::default();
        overlay.hover_point((1, 2), "<script>&\"");
        let markup = overlay.into_markup();
        assert!(
            markup.contains("<title>&lt;script&gt;&amp;&quot;</title>"),
            "{markup}"
        );
    }

    #[test]
    fn a_special_cause_is_a_diamond_with_its_tooltip() {
        let mut overlay = Overlay::default();
        overlay.special_cause((100, 50), "Nelson 1");
        let markup = overlay.into_markup();
        assert!(markup.contains("<title>Nelson 1</title>"));
        assert!(
            markup.contains("M100 44 L106 50 L100 56 L94 50 Z"),
            "{markup}"
        );
    }
}
