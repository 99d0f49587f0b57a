//! A PDF ad's page rendered for the previews with hayro (the renderer of
//! the hayro-syntax the media stage reads ads with), so a preview shows
//! the ad as it prints instead of a box standing for it.

use std::sync::Arc;

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{RenderCache, RenderSettings};

use super::images::Picture;

/// The largest side a rendered ad may have, in pixels: hayro's viewport
/// is counted in u16.
const MAX_SIDE_PX: f32 = 8000.0;

/// Page `page` of the PDF `bytes` rendered `width` × `height` pixels on
/// white paper; `None` if it does not parse or has no such page (the
/// media stage has refused such files already).
pub(super) fn render(
    bytes: &Arc<Vec<u8>>,
    page: usize,
    width: u32,
    height: u32,
) -> Option<Picture> {
    let pdf = Pdf::new(bytes.clone()).ok()?;
    let page = pdf.pages().get(page)?;
    let (natural_w, natural_h) = page.render_dimensions();
    let (width, height) = (
        (width as f32).clamp(1.0, MAX_SIDE_PX),
        (height as f32).clamp(1.0, MAX_SIDE_PX),
    );
    let settings = RenderSettings {
        x_scale: width / natural_w,
        y_scale: height / natural_h,
        width: Some(width as u16),
        height: Some(height as u16),
        bg_color: WHITE,
    };
    let cache = RenderCache::new();
    let pixmap = hayro::render(page, &cache, &InterpreterSettings::default(), &settings);
    // Opaque on white: premultiplied samples are the plain ones.
    Some(Picture::new(
        u32::from(pixmap.width()),
        u32::from(pixmap.height()),
        pixmap.data_as_u8_slice().to_vec(),
    ))
}
