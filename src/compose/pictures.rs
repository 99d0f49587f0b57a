//! Pictures and ads on the grid: an article's pictures under its headline
//! (here), their captions (`captions`), standalone picture and
//! advertisement modules (`media_modules`).
//!
//! A picture's frame lies on the grid: it spans whole grid columns and
//! whole grid lines, its height the width over the picture's aspect
//! rounded to lines, and the picture is scaled to cover the frame and
//! cropped (`anchor` says which part stays). Its caption and credit follow
//! on their own grid lines in the `caption` style, so body text below
//! stays on the grid. An ad is never cropped or distorted: it is scaled to
//! fit its box and centred, and one whose shape differs from the box by
//! more than [`crate::layout::AD_ASPECT_TOLERANCE`] is refused unless `fit = "contain"`.
//!
//! Each image's effective resolution at its placed size is recorded in the
//! report; below [`WARN_PPI`] it is a warning, below [`MIN_PPI`] an error
//! at the `![` or layout key that named it, unless `[output]
//! allow_low_resolution`.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use super::module::{Setting, Slot};
use super::{Composer, EPSILON_PT};
use crate::display::{Image, Item, Role};
use crate::layout::{Anchor, LayoutError};
use crate::media::Asset;

/// Below this effective resolution, pixels per inch at the placed size, a
/// picture is refused (exit 2) unless the layout allows it: newsprint at
/// 85–100 lpi needs about 1.5 pixels per screen line.
pub const MIN_PPI: f32 = 100.0;
/// Below this a picture is placed with a warning: it will print soft.
pub const WARN_PPI: f32 = 150.0;

/// The effective resolution of one placed image, for the report.
#[derive(Debug, Clone, Serialize)]
pub struct PictureFit {
    /// 1-based page.
    pub page: u32,
    /// 1-based module on the page (frame number for automatic flow).
    pub module: usize,
    /// The file placed.
    pub path: PathBuf,
    /// Pixels per inch at the placed size; `None` for vector artwork.
    pub ppi: Option<f32>,
    /// Who named the file: `article.md:12:1` or `layout key pages[1].modules[3]`.
    pub named_at: String,
}

/// A rectangle in pt, y growing down.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) width: f32,
    pub(super) height: f32,
}

/// Where the whole asset is drawn so that it covers `frame`, cropped on
/// the sides `anchor` does not keep.
pub(super) fn cover(frame: Frame, aspect: f32, anchor: Anchor) -> (f32, f32, f32, f32) {
    let width = frame.width.max(frame.height * aspect);
    let height = width / aspect;
    let (extra_x, extra_y) = (width - frame.width, height - frame.height);
    let x = match anchor {
        Anchor::Left => 0.0,
        Anchor::Right => extra_x,
        _ => extra_x / 2.0,
    };
    let y = match anchor {
        Anchor::Top => 0.0,
        Anchor::Bottom => extra_y,
        _ => extra_y / 2.0,
    };
    (frame.x - x, frame.y - y, width, height)
}

/// Where the whole asset is drawn to fit inside `frame`, centred.
pub(super) fn contain(frame: Frame, aspect: f32) -> (f32, f32, f32, f32) {
    let width = frame.width.min(frame.height * aspect);
    let height = width / aspect;
    let x = frame.x + (frame.width - width) / 2.0;
    let y = frame.y + (frame.height - height) / 2.0;
    (x, y, width, height)
}

/// Who named a picture: an article's `![` or a layout key.
#[derive(Debug, Clone)]
pub(super) enum Named {
    /// Picture `index` of 0-based `article`.
    Article { article: usize, index: usize },
    /// A module's `picture` or `ad`, written at `span`.
    Layout { span: Range<usize>, key: String },
}

/// Where an article's pictures go: under its headline, from `top_line`.
#[derive(Debug, Clone, Copy)]
pub(super) struct PicturePlace {
    /// 0-based page.
    pub(super) page: usize,
    /// Index of the module frame on its page.
    pub(super) module: usize,
    /// 0-based article.
    pub(super) article: usize,
    /// Left edge, pt.
    pub(super) x: f32,
    /// Width the pictures span, pt.
    pub(super) width: f32,
    /// First grid line they may take.
    pub(super) top_line: u32,
    /// Last grid line they may take.
    pub(super) last_line: u32,
    /// Which part of a cropped picture stays.
    pub(super) anchor: Anchor,
}

/// What [`Composer::article_pictures`] set.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PicturesSet {
    /// Grid lines the pictures and their captions take.
    pub(super) lines: u32,
    /// Grid lines of pictures that did not fit.
    pub(super) overset: u32,
    /// The article file's line of the first picture that did not fit.
    pub(super) overset_line: Option<usize>,
}

impl<'a> Composer<'a> {
    /// Grid lines a picture `width` pt wide takes: its height rounded to
    /// whole lines, at least one. A vertical page is composed turned
    /// (`transpose`): there `width` is the frame's height on the page and
    /// its lines run across, so a landscape photograph takes more lines
    /// than its width, not fewer.
    fn picture_lines(&self, asset: &Asset, width: f32) -> u32 {
        let across = match self.layout.page.vertical {
            true => width * asset.aspect(),
            false => width / asset.aspect(),
        };
        let lines = across / self.grid().pitch;
        lines.round().max(1.0) as u32
    }

    /// Grid lines all of an article's pictures and captions take at `width`.
    pub(super) fn measure_article_pictures(&self, article: usize, width: f32) -> u32 {
        let a = &self.edition.articles[article];
        a.pictures
            .iter()
            .filter_map(|p| self.library.get(&p.path, 0).map(|asset| (p, asset)))
            .map(|(p, asset)| {
                let caption = self.caption_block(&p.caption, p.credit.as_deref(), width);
                self.picture_lines(asset, width) + caption.count
            })
            .sum()
    }

    /// An article's pictures in its module, under the headline across
    /// `picture_columns` from the module's first column; the body columns
    /// under them start below. Returns what was set and the pictures'
    /// right edge (body columns starting left of it are below them).
    pub(super) fn module_pictures(
        &mut self,
        s: Setting<'_>,
        head_lines: u32,
        bottom_line: u32,
        slots: &mut [Slot],
    ) -> (PicturesSet, f32) {
        if self.edition.articles[s.article].pictures.is_empty() {
            return (PicturesSet::default(), f32::NEG_INFINITY);
        }
        let g = self.grid();
        let m = s.spec;
        // A padded box moves the pictures in from the sides they touch.
        let span = m.columns.1 - m.columns.0 + 1;
        let pads = if m.picture_columns == span { 2.0 } else { 1.0 };
        let x = self.module_box(m).x0 + self.pad_x(m);
        let width = g.span_chars(m.picture_columns) as f32 * g.body_size - pads * self.pad_x(m);
        let set = self.article_pictures(PicturePlace {
            page: s.page,
            module: s.module,
            article: s.article,
            x,
            width,
            top_line: m.lines.0 + self.pad_lines(m) + head_lines,
            last_line: bottom_line,
            anchor: m.anchor,
        });
        let right = x + width + EPSILON_PT;
        for slot in slots.iter_mut().filter(|slot| slot.x < right) {
            slot.first_line += set.lines;
        }
        (set, right)
    }

    /// Set an article's pictures, each with its caption and credit, one
    /// below the other from `p.top_line`. A picture that does not fit above
    /// `p.last_line` is not set and counted as overset.
    pub(super) fn article_pictures(&mut self, p: PicturePlace) -> PicturesSet {
        let g = self.grid();
        let mut line = p.top_line;
        let mut overset = 0;
        let mut overset_line = None;
        let pictures = &self.edition.articles[p.article].pictures;
        for (index, pic) in pictures.iter().enumerate() {
            let o = &pic.origin;
            let at = format!("{}:{}:{}", o.file.display(), o.line, o.column);
            let Some(asset) = self.library.get(&pic.path, 0).cloned() else {
                self.report.warnings.push(format!(
                    "{at}: picture {} was not loaded; it is left out",
                    pic.path.display()
                ));
                continue;
            };
            let height = self.picture_lines(&asset, p.width);
            let caption = self.caption_block(&pic.caption, pic.credit.as_deref(), p.width);
            let need = height + caption.count;
            if line + need > p.last_line + 1 {
                overset += need;
                overset_line = overset_line.or(Some(o.line));
                self.report.warnings.push(format!(
                    "{at}: article {} picture {}: needs {need} grid lines with its caption, {} are left in its module; not set",
                    p.article + 1,
                    index + 1,
                    (p.last_line + 1).saturating_sub(line)
                ));
                continue;
            }
            let frame = Frame {
                x: p.x,
                y: g.line_top(line),
                width: p.width,
                height: height as f32 * g.pitch,
            };
            let placed = cover(frame, asset.aspect(), p.anchor);
            let named = Named::Article {
                article: p.article,
                index,
            };
            let owner = (p.page, p.module, Some(p.article));
            self.place_image(owner, Role::Picture, frame, placed, asset, &named);
            let source_line = Some(o.line);
            self.draw_caption(&caption, owner, (p.x, line + height), source_line);
            line += need;
        }
        PicturesSet {
            lines: line - p.top_line,
            overset,
            overset_line,
        }
    }

    /// Put an image on the page and check its effective resolution.
    pub(super) fn place_image(
        &mut self,
        (page, module, article): (usize, usize, Option<usize>),
        role: Role,
        frame: Frame,
        placed: (f32, f32, f32, f32),
        asset: Arc<Asset>,
        named: &Named,
    ) {
        let ppi = asset.ppi(placed.2);
        let named_at = self.named_at(named);
        if let Some(ppi) = ppi.filter(|&p| p < WARN_PPI) {
            let allowed = self.layout.output.allow_low_resolution;
            let message = format!(
                "{} is {ppi:.0} ppi at its placed size ({:.0} × {:.0} pt)",
                asset.path.display(),
                placed.2,
                placed.3
            );
            if ppi < MIN_PPI && !allowed {
                let help = format!("give a larger file, place it smaller (picture_columns, the module's columns), or set allow_low_resolution = true under [output]; below {MIN_PPI:.0} ppi a picture prints blurred");
                let e = self.media_error(named, format!("{message}, below {MIN_PPI:.0} ppi"), help);
                self.report.media_errors.push(e);
            } else {
                self.report.warnings.push(format!(
                    "{named_at}: {message}, below {WARN_PPI:.0} ppi: it will print soft"
                ));
            }
        }
        self.report.pictures.push(PictureFit {
            page: page as u32 + 1,
            module: module + 1,
            path: asset.path.clone(),
            ppi,
            named_at,
        });
        self.page_mut(page).items.push(Item::Image(Image {
            role,
            x: frame.x,
            y: frame.y,
            width: frame.width,
            height: frame.height,
            placed,
            asset,
            ppi,
            article: article.map(|a| a + 1),
            module: Some(module),
        }));
    }

    /// `file:line:col` of an article's picture, or the layout key.
    pub(super) fn named_at(&self, named: &Named) -> String {
        match named {
            Named::Article { article, index } => {
                let o = &self.edition.articles[*article].pictures[*index].origin;
                format!("{}:{}:{}", o.file.display(), o.line, o.column)
            }
            Named::Layout { span, key } => {
                let (line, column) = crate::layout::line_col(&self.layout.text, span.start);
                format!("{}:{line}:{column}: {key}", self.layout.file.display())
            }
        }
    }

    /// An error that stops the build, at the `![` or the layout key.
    pub(super) fn media_error(&self, named: &Named, message: String, help: String) -> LayoutError {
        match named {
            Named::Article { article, index } => {
                let o = &self.edition.articles[*article].pictures[*index].origin;
                LayoutError {
                    file: o.file.clone(),
                    line: o.line,
                    column: o.column,
                    message: format!("picture {message}"),
                    help: Some(help),
                    span: 0..0,
                }
            }
            Named::Layout { span, key } => {
                self.layout
                    .locator()
                    .error(span.clone(), format!("{key}: {message}"), Some(help))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Frame = Frame {
        x: 10.0,
        y: 20.0,
        width: 100.0,
        height: 50.0,
    };

    #[test]
    fn cover_fills_the_frame_and_keeps_the_anchor_side() {
        // A square picture in a 2:1 frame: 100 × 100, 50 pt cropped.
        let (x, y, w, h) = cover(FRAME, 1.0, Anchor::Center);
        assert_eq!((x, y, w, h), (10.0, -5.0, 100.0, 100.0));
        assert_eq!(cover(FRAME, 1.0, Anchor::Top).1, 20.0);
        assert_eq!(cover(FRAME, 1.0, Anchor::Bottom).1, -30.0);
        // A 4:1 picture: 200 × 50, cropped at the sides.
        assert_eq!(cover(FRAME, 4.0, Anchor::Left).0, 10.0);
        assert_eq!(cover(FRAME, 4.0, Anchor::Right).0, -90.0);
        assert_eq!(cover(FRAME, 4.0, Anchor::Center).0, -40.0);
    }

    #[test]
    fn contain_fits_inside_centred() {
        assert_eq!(contain(FRAME, 1.0), (35.0, 20.0, 50.0, 50.0));
        assert_eq!(contain(FRAME, 4.0), (10.0, 32.5, 100.0, 25.0));
    }
}
