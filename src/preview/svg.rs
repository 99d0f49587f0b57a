//! The SVG back end: one document per page, in pt.
//!
//! Each glyph outline is written once, in font units, under `<defs>` and
//! placed with `<use>`, so a page of thousands of glyphs from a few hundred
//! distinct ones stays small. After each run's glyphs comes its text in an
//! invisible `<text>` stretched over the run, so a browser's find and copy
//! work on the page. Numbers are written with at most two decimals and
//! glyphs are defined in the order they are first used, so the same page
//! gives the same bytes.

use std::collections::HashMap;
use std::fmt::Write;

use tiny_skia::{Path, PathSegment};

use super::{draw_page, Area, Canvas, GlyphDraw, Options, Outlines, Rgba};
use crate::display::{GlyphRun, Page};
use crate::fonts::{FaceId, FontDb};

/// The SVG being written: glyph definitions and the body apart, joined at
/// the end.
struct Svg {
    defs: String,
    body: String,
    /// Glyphs already under `<defs>`.
    defined: HashMap<(FaceId, u16), ()>,
    /// Pictures drawn so far, numbering their clip paths.
    pictures: usize,
}

/// Resolution pictures are embedded at: 144 ppi, sharp on a high-density
/// screen at 100 % without carrying the full photograph.
const SVG_PICTURE_PX_PER_PT: f32 = 2.0;

/// `v` with at most two decimals and no trailing zeros; `-0` is `0`.
///
/// Written from the value in hundredths with integer formatting: float
/// formatting with a precision took a fifth of the time of drawing a page.
fn num(v: f32) -> Num {
    Num((f64::from(v) * 100.0).round() as i64)
}

/// A number in hundredths, shown as [`num`] describes.
#[derive(Clone, Copy)]
struct Num(i64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let (whole, hundredths) = (self.0.unsigned_abs() / 100, self.0.unsigned_abs() % 100);
        match hundredths {
            0 => write!(f, "{sign}{whole}"),
            h if h % 10 == 0 => write!(f, "{sign}{whole}.{}", h / 10),
            h => write!(f, "{sign}{whole}.{h:02}"),
        }
    }
}

fn color(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}

/// ` fill="#rrggbb"` plus its opacity when not opaque.
fn fill_attr(name: &str, c: Rgba) -> String {
    let mut s = format!(" {name}=\"{}\"", color(c));
    if c.a < 255 {
        let _ = write!(s, " {name}-opacity=\"{}\"", num(f32::from(c.a) / 255.0));
    }
    s
}

/// Text for an XML text node or attribute; characters XML 1.0 forbids
/// (C0 controls other than tab, line feed and carriage return) are dropped.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// SVG path data of an outline (font units).
fn path_data(path: &Path) -> String {
    let mut d = String::new();
    for segment in path.segments() {
        match segment {
            PathSegment::MoveTo(p) => {
                let _ = write!(d, "M{} {}", num(p.x), num(p.y));
            }
            PathSegment::LineTo(p) => {
                let _ = write!(d, "L{} {}", num(p.x), num(p.y));
            }
            PathSegment::QuadTo(c, p) => {
                let _ = write!(d, "Q{} {} {} {}", num(c.x), num(c.y), num(p.x), num(p.y));
            }
            PathSegment::CubicTo(c1, c2, p) => {
                let _ = write!(
                    d,
                    "C{} {} {} {} {} {}",
                    num(c1.x),
                    num(c1.y),
                    num(c2.x),
                    num(c2.y),
                    num(p.x),
                    num(p.y)
                );
            }
            PathSegment::Close => d.push('Z'),
        }
    }
    d
}

fn glyph_id(face: FaceId, id: u16) -> String {
    format!("g{}-{}", face.0, id)
}

impl Canvas for Svg {
    fn glyph(&mut self, glyph: GlyphDraw, outline: &Path, color: Rgba) {
        let name = glyph_id(glyph.face, glyph.id);
        if self.defined.insert((glyph.face, glyph.id), ()).is_none() {
            let _ = writeln!(
                self.defs,
                "<path id=\"{name}\" d=\"{}\"/>",
                path_data(outline)
            );
        }
        // The six numbers map font units (y up) onto the page (y down).
        let [a, b, c, d, e, f] = glyph.matrix();
        let _ = writeln!(
            self.body,
            "<use xlink:href=\"#{name}\" transform=\"matrix({a} {b} {c} {d} {} {})\"{}/>",
            num(e),
            num(f),
            fill_attr("fill", color)
        );
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, color: Rgba) {
        let _ = writeln!(
            self.body,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-width=\"{}\"{}/>",
            num(from.0),
            num(from.1),
            num(to.0),
            num(to.1),
            num(width),
            fill_attr("stroke", color)
        );
    }

    fn picture(&mut self, frame: Area, placed: Area, picture: &super::images::Picture) {
        use base64::Engine;
        let uri = picture.data_uri.get_or_init(|| {
            let size = tiny_skia::IntSize::from_wh(picture.width, picture.height)?;
            let png = tiny_skia::Pixmap::from_vec(picture.rgba.clone(), size)?
                .encode_png()
                .ok()?;
            Some(format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(png)
            ))
        });
        let Some(uri) = uri else {
            return;
        };
        self.pictures += 1;
        let id = format!("picture-clip-{}", self.pictures);
        let _ = writeln!(
            self.defs,
            "<clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>",
            num(frame.x),
            num(frame.y),
            num(frame.width),
            num(frame.height),
        );
        let _ = writeln!(
            self.body,
            "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" clip-path=\"url(#{id})\" href=\"{uri}\"/>",
            num(placed.x),
            num(placed.y),
            num(placed.width),
            num(placed.height),
        );
    }

    fn pixels_per_pt(&self) -> f32 {
        SVG_PICTURE_PX_PER_PT
    }

    fn rect(&mut self, area: Area, fill: Option<Rgba>, stroke: Option<(Rgba, f32)>) {
        let fill = fill.map_or(" fill=\"none\"".to_string(), |c| fill_attr("fill", c));
        let stroke = stroke.map_or(String::new(), |(c, w)| {
            format!("{} stroke-width=\"{}\"", fill_attr("stroke", c), num(w))
        });
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{fill}{stroke}/>",
            num(area.x),
            num(area.y),
            num(area.width.max(0.01)),
            num(area.height.max(0.01)),
        );
    }

    fn text(&mut self, run: &GlyphRun) {
        if run.text.is_empty() {
            return;
        }
        let start = run.x + run.glyphs.first().map_or(0.0, |g| g.x);
        let width = run.end_x() - start;
        let stretch = if width > 0.0 {
            format!(
                " textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"",
                num(width)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{stretch}>{}</text>",
            num(start),
            num(run.y),
            num(run.size),
            escape(&run.text)
        );
    }

    fn note(&mut self, text: &str, x: f32, y: f32, size: f32) {
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\">{}</text>",
            num(x),
            num(y),
            num(size),
            escape(text)
        );
    }

    fn begin_group(&mut self, id: &str) {
        let _ = writeln!(self.body, "<g id=\"{}\">", escape(id));
    }

    fn end_group(&mut self) {
        self.body.push_str("</g>\n");
    }
}

/// The SVG document of `page`.
pub(super) fn svg(page: &Page, db: &FontDb, options: &Options) -> String {
    let margin = options.extent.margin(page);
    let mut svg = Svg {
        defs: String::new(),
        body: String::new(),
        defined: HashMap::new(),
        pictures: 0,
    };
    draw_page(page, &mut Outlines::new(db), &mut svg, options.proof);
    let (w, h) = (page.width + 2.0 * margin, page.height + 2.0 * margin);
    let mut out = String::with_capacity(svg.defs.len() + svg.body.len() + 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         width=\"{}pt\" height=\"{}pt\" viewBox=\"{} {} {} {}\">",
        num(w),
        num(h),
        num(-margin),
        num(-margin),
        num(w),
        num(h)
    );
    let _ = writeln!(out, "<title>page {}</title>", page.number);
    // Invisible text: transparent, but still found and copied.
    out.push_str("<style>text{fill:transparent;font-family:serif;white-space:pre}</style>\n");
    let _ = writeln!(out, "<defs>\n{}</defs>", svg.defs);
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        num(-margin),
        num(-margin),
        num(w),
        num(h)
    );
    out.push_str(&svg.body);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        let num = |v: f32| num(v).to_string();
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(-3.07), "-3.07");
        assert_eq!(num(100.0), "100");
    }

    #[test]
    fn escaping_keeps_text_and_drops_what_xml_forbids() {
        assert_eq!(escape("a<b&\"c\u{1}"), "a&lt;b&amp;&quot;c");
        assert_eq!(escape("新华社"), "新华社");
    }
}
