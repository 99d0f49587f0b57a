//! Standalone picture modules (`picture = "…"`) and advertisement modules
//! (`ad = "…"`): the picture cropped to fill its module above its caption,
//! the ad scaled into its module without cropping or distortion.

use super::pictures::{contain, cover, Frame, Named};
use super::Composer;
use crate::display::{Cmyk, Item, ModuleFrame, Rect, Role};
use std::sync::Arc;

use crate::layout::{AdFit, Anchor, ModuleMedia, ModuleSpec, AD_ASPECT_TOLERANCE};
use crate::media::Asset;

/// Width of the hairline round an ad with `frame = true`, pt.
const AD_FRAME_WIDTH: f32 = 0.25;

/// A picture or ad module's file, loaded, and the box it goes in.
struct Boxed<'n> {
    /// 0-based page.
    page: usize,
    /// 0-based module on the page.
    module: usize,
    /// The module's first grid line.
    first_line: u32,
    /// The module's box less its blank last line.
    frame: Frame,
    asset: Arc<Asset>,
    named: &'n Named,
}

impl<'a> Composer<'a> {
    /// A standalone picture or an ad module.
    pub(super) fn media_module(&mut self, pi: usize, mi: usize, m: &ModuleSpec) {
        let Some(media) = &m.media else { return };
        let g = self.grid();
        let mut area = self.module_box(m);
        if m.lines.1 < g.lines {
            // Keep the blank last line like every module above another.
            area.y1 -= g.pitch;
        }
        let (file, what, page) = match media {
            ModuleMedia::Picture { file, .. } => (file, "picture", 0),
            ModuleMedia::Ad { file, page, .. } => (file, "ad", *page),
        };
        let named = Named::Layout {
            span: file.span.clone(),
            key: format!("pages[{}].modules[{}].{what}", pi + 1, mi + 1),
        };
        let name = format!(
            "page {} module {} ({what} {})",
            pi + 1,
            mi + 1,
            file.path.display()
        );
        self.page_mut(pi).modules.push(ModuleFrame {
            module: Some(mi + 1),
            ..area.frame(name, Vec::new())
        });
        let Some(asset) = self.library.get(&file.path, page).cloned() else {
            self.report.warnings.push(format!(
                "{}: {what} {} was not loaded; it is left out",
                self.named_at(&named),
                file.path.display()
            ));
            return;
        };
        let boxed = Boxed {
            page: pi,
            module: mi,
            first_line: m.lines.0,
            frame: Frame {
                x: area.x0,
                y: area.y0,
                width: area.x1 - area.x0,
                height: area.y1 - area.y0,
            },
            asset,
            named: &named,
        };
        match media {
            ModuleMedia::Picture {
                caption, credit, ..
            } => {
                let caption = caption.as_deref().unwrap_or("");
                self.picture_module(boxed, caption, credit.as_deref(), m.anchor);
            }
            ModuleMedia::Ad { fit, frame, .. } => self.ad_module(boxed, *fit, *frame),
        }
    }

    /// A picture cropped to fill its module above its caption and credit.
    fn picture_module(
        &mut self,
        b: Boxed<'_>,
        caption: &str,
        credit: Option<&str>,
        anchor: Anchor,
    ) {
        let g = self.grid();
        let caption = self.caption_block(caption, credit, b.frame.width);
        let lines = ((b.frame.height / g.pitch).round() as u32).saturating_sub(caption.count);
        if lines == 0 {
            let message = format!(
                "the caption takes all {} lines of the module",
                caption.count
            );
            let help = "make the module taller or the caption shorter".to_string();
            let e = self.media_error(b.named, message, help);
            self.report.media_errors.push(e);
            return;
        }
        let frame = Frame {
            height: lines as f32 * g.pitch,
            ..b.frame
        };
        let placed = cover(frame, b.asset.aspect(), anchor);
        let owner = (b.page, b.module, None);
        self.place_image(owner, Role::Picture, frame, placed, b.asset, b.named);
        self.draw_caption(&caption, owner, (frame.x, b.first_line + lines), None);
    }

    /// An ad scaled into its module, centred; one of another shape than
    /// the module is refused unless `fit = "contain"`.
    fn ad_module(&mut self, b: Boxed<'_>, fit: AdFit, hairline: bool) {
        let g = self.grid();
        let frame = b.frame;
        let aspect = b.asset.aspect();
        let box_aspect = frame.width / frame.height;
        let off = (aspect / box_aspect - 1.0).abs();
        if fit == AdFit::Exact && off > AD_ASPECT_TOLERANCE {
            let fitting = (frame.width / aspect / g.pitch).round() as u32;
            let message = format!(
                "the ad is {aspect:.3} wide for 1 high but its box is {box_aspect:.3} ({:.0}% off; at most {:.0}% is placed as is)",
                off * 100.0,
                AD_ASPECT_TOLERANCE * 100.0
            );
            let help = format!("set fit = \"contain\" to scale it into the box, centred, or make the module's box about {fitting} grid lines tall (without its blank last line)");
            let e = self.media_error(b.named, message, help);
            self.report.media_errors.push(e);
            return;
        }
        let placed = contain(frame, aspect);
        let owner = (b.page, b.module, None);
        self.place_image(owner, Role::Ad, frame, placed, b.asset, b.named);
        if hairline {
            self.page_mut(b.page).items.push(Item::Rect(Rect {
                role: Role::Ad,
                x: frame.x,
                y: frame.y,
                width: frame.width,
                height: frame.height,
                fill: None,
                stroke: Some(Cmyk::BLACK),
                stroke_width: AD_FRAME_WIDTH,
            }));
        }
    }
}
