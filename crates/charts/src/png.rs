//! PNG export (feature `png`, native only): a chart's SVG rasterised by resvg.
//!
//! Text is laid out with DejaVu Sans, shipped in `assets/fonts/` and compiled in, and with no
//! system font: the PNG of a chart is the same on every machine, and a machine without fonts
//! (a CI container) still writes its labels. The charts ask for the generic `sans-serif`
//! family, which is mapped to it.

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{Options, Tree};

use crate::ChartError;

/// DejaVu Sans (Bitstream Vera licence with DejaVu's public-domain changes; see
/// `assets/fonts/LICENSE-DejaVu.txt`).
const FONT: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/DejaVuSans.ttf"
));

/// The family name inside [`FONT`].
const FAMILY: &str = "DejaVu Sans";

/// Largest side of an exported image; beyond it the pixel buffer would run to hundreds of MB.
const LARGEST_SIDE: f32 = 8_192.0;

/// Rasterises `svg` at `scale` times its own size (2 gives a sharp image on a high-density
/// screen or in a slide) on a white background, and encodes it as PNG.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, ChartError> {
    let mut options = Options::default();
    {
        let fonts = options.fontdb_mut();
        fonts.load_font_data(FONT.to_vec());
        fonts.set_sans_serif_family(FAMILY);
    }
    options.font_family = FAMILY.to_owned();
    let tree = Tree::from_str(svg, &options).map_err(|e| ChartError::BadSvg(e.to_string()))?;

    let size = tree.size();
    let (width, height) = (size.width() * scale, size.height() * scale);
    let bad_size = || ChartError::BadSize {
        width: width.max(0.0).round() as u32,
        height: height.max(0.0).round() as u32,
    };
    if !(scale > 0.0 && width <= LARGEST_SIDE && height <= LARGEST_SIDE) {
        return Err(bad_size());
    }
    let mut pixmap = Pixmap::new(width.ceil() as u32, height.ceil() as u32).ok_or_else(bad_size)?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ChartError::Encoding(e.to_string()))
}

#[cfg(test)]
mod tests {
    use vigil_core::metrics::Period;

    use super::*;

    /// Width and height from a PNG's IHDR chunk.
    fn dimensions(png: &[u8]) -> (u32, u32) {
        let word = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
        (word(16), word(20))
    }

    /// How many pixels of the PNG's top-left `w` by `h` are not white.
    fn inked(png: &[u8], w: u32, h: u32) -> usize {
        let pixmap = Pixmap::decode_png(png).unwrap();
        (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let p = pixmap.pixel(x, y).unwrap();
                (p.red(), p.green(), p.blue()) != (255, 255, 255)
            })
            .count()
    }

    #[test]
    fn a_chart_becomes_a_png_of_twice_its_size() {
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let counts = [vigil_core::metrics::PeriodCount {
            start: monday,
            count: 3,
        }];
        let week = monday..=monday + chrono::Days::new(6);
        let svg = crate::counts_per_period("Incidents", &counts, Period::Week, week).unwrap();
        let png = svg_to_png(&svg, 2.0).unwrap();

        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(dimensions(&png), (1_440, 480));
    }

    #[test]
    fn text_is_drawn_with_the_shipped_font() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">
            <text x="4" y="28" font-family="sans-serif" font-size="24">Vigil</text></svg>"#;
        let png = svg_to_png(svg, 1.0).unwrap();
        // Without a font resvg leaves text out and the image is all white.
        assert!(inked(&png, 200, 40) > 100);
    }

    #[test]
    fn something_that_is_not_svg_is_refused_with_advice() {
        let err = svg_to_png("not an svg", 1.0).unwrap_err();
        assert!(err.to_string().contains("export it as SVG"), "{err}");
    }

    #[test]
    fn an_absurd_scale_is_refused_before_allocating() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="720" height="260"/>"#;
        assert!(matches!(
            svg_to_png(svg, 100.0),
            Err(ChartError::BadSize { width: 72_000, .. })
        ));
    }
}
