//! The layout file as written: serde types that mirror the TOML.
//!
//! Values keep their spans so that resolution can point at the key that is
//! wrong; nothing here is checked beyond its type. `docs/layout.md`
//! documents every key.

use serde::Deserialize;
use toml::Spanned;

use super::units::Length;
use crate::paragraph::{Align, Prohibition, PunctStyle};

/// A whole layout file: `[page]` and `[grid]` are required, the rest has
/// defaults.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLayout {
    #[serde(default)]
    pub(super) paper: RawPaper,
    pub(super) page: RawPage,
    pub(super) grid: RawGrid,
    #[serde(default)]
    pub(super) fonts: RawFonts,
    #[serde(default)]
    pub(super) styles: RawStyles,
    #[serde(default)]
    pub(super) source: RawSource,
    #[serde(default)]
    pub(super) text: RawText,
    #[serde(default)]
    pub(super) furniture: RawFurniture,
    #[serde(default)]
    pub(super) fit: RawFit,
    #[serde(default)]
    pub(super) pages: Vec<RawPageSpec>,
    #[serde(default)]
    pub(super) output: RawOutput,
    #[serde(default)]
    pub(super) auto: super::auto::RawAuto,
    #[serde(default)]
    pub(super) masthead: RawMasthead,
    #[serde(default)]
    pub(super) rubric: super::boxes::RawRubric,
    #[serde(default)]
    pub(super) elements: super::elements::RawElements,
}

/// `[masthead]`: what page 1's masthead shows besides `[paper]`'s texts.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMasthead {
    /// `[[masthead.teasers]]`: the 导读, each a title and a page.
    #[serde(default)]
    pub(super) teasers: Vec<Spanned<RawTeaser>>,
}

/// One 导读 entry: a story's title and the page it is on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTeaser {
    pub(super) title: Spanned<String>,
    pub(super) page: Spanned<i64>,
}

/// `[output]`: the PDF standard claimed and the print condition.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutput {
    /// `"PDF/X-4"`, `"PDF/X-1a:2003"` or `"none"`.
    pub(super) standard: Option<Spanned<String>>,
    /// Another ICC output profile, relative to the layout file.
    pub(super) profile: Option<Spanned<String>>,
    /// The print condition that profile characterises.
    pub(super) condition: Option<Spanned<String>>,
    /// Registration targets at the middle of each side (needs crop marks).
    pub(super) registration_targets: Option<Spanned<bool>>,
    /// A colour bar in the slug below the page (needs crop marks).
    pub(super) color_bar: Option<Spanned<bool>>,
    /// Place pictures below 100 ppi instead of refusing them.
    pub(super) allow_low_resolution: Option<bool>,
}

/// `[fit]`: the copyfit ladder's bounds.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFit {
    pub(super) enabled: Option<bool>,
    pub(super) headline_steps: Option<Spanned<i64>>,
    pub(super) add_headline_line: Option<bool>,
    pub(super) space_below_min: Option<Spanned<i64>>,
    pub(super) space_below_max: Option<Spanned<i64>>,
    pub(super) gap_lines: Option<Spanned<i64>>,
    pub(super) gap_percent: Option<Spanned<f64>>,
}

/// `[paper]`: the texts of the masthead and the running headers.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPaper {
    pub(super) name: Option<Spanned<String>>,
    pub(super) date: Option<Spanned<String>>,
    pub(super) weekday: Option<Spanned<String>>,
    pub(super) issue: Option<Spanned<String>>,
    /// ISO date of the edition (`2026-11-29`), used for the PDF dates.
    pub(super) iso_date: Option<Spanned<String>>,
    /// 国内统一刊号, e.g. `CN14-0052`.
    pub(super) cn: Option<Spanned<String>>,
    /// 邮发代号, e.g. `21-32`.
    pub(super) postal_code: Option<Spanned<String>>,
    /// The 农历 date as printed; computed from `iso_date` when absent.
    pub(super) lunar_date: Option<Spanned<String>>,
    /// The weather line, e.g. `晴 26～35℃ 东南风2级`.
    pub(super) weather: Option<Spanned<String>>,
}

/// `[page]`: trim size, bleed, margins.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPage {
    pub(super) size: Spanned<RawPageSize>,
    #[serde(default)]
    pub(super) bleed: Option<Spanned<Length>>,
    pub(super) margins: RawMargins,
    #[serde(default)]
    pub(super) crop_marks: bool,
    /// `"horizontal"` (the default) or `"vertical"`.
    #[serde(default)]
    pub(super) writing: Option<Spanned<String>>,
}

/// `page.size`: a named size or `{ width, height }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawPageSize {
    Named(String),
    Custom { width: Length, height: Length },
}

/// `page.margins`, each side a length.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMargins {
    pub(super) top: Spanned<Length>,
    pub(super) bottom: Spanned<Length>,
    pub(super) left: Spanned<Length>,
    pub(super) right: Spanned<Length>,
}

/// `[grid]`: the column and baseline grid.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGrid {
    pub(super) columns: Spanned<i64>,
    pub(super) column_chars: Spanned<i64>,
    #[serde(default = "default_gutter")]
    pub(super) gutter_chars: Spanned<i64>,
    pub(super) body_size: Spanned<Length>,
    pub(super) line_pitch: Spanned<Length>,
}

/// One character between columns when `gutter_chars` is not written
/// (span 0..0: nowhere in the file).
pub(super) fn default_gutter() -> Spanned<i64> {
    Spanned::new(0..0, 1)
}

/// `[fonts]`: where to look for fonts beyond the bundled ones.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFonts {
    /// Extra font folders, relative to the layout file.
    #[serde(default)]
    pub(super) dirs: Vec<Spanned<String>>,
    /// Extra font files, relative to the layout file.
    #[serde(default)]
    pub(super) files: Vec<RawFontFile>,
}

/// One entry of `fonts.files`: a file and, for a collection, a face.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFontFile {
    pub(super) path: Spanned<String>,
    pub(super) index: Option<Spanned<u32>>,
}

/// `[source]`: how article text is read.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    pub(super) fullwidth_punctuation: Option<bool>,
    pub(super) byline_prefixes: Option<Vec<Spanned<String>>>,
}

/// `[text]`: the locale text is set in.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawText {
    /// `"zh-Hans"`, `"zh-Hant-TW"` or `"zh-Hant-HK"`.
    pub(super) language: Option<Spanned<String>>,
    /// `"as-written"` or `"corner"` (“” → 「」).
    pub(super) quotes: Option<Spanned<String>>,
    /// On vertical pages, the most digits a number may have to stand
    /// upright in one em (纵中横); 0 rotates every number.
    pub(super) upright_digits: Option<Spanned<i64>>,
}

/// `[furniture]`: masthead and rules.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFurniture {
    /// Grid lines the masthead takes at the top of page 1.
    pub(super) masthead_lines: Option<Spanned<i64>>,
    /// Draw rules between columns.
    pub(super) column_rules: Option<bool>,
    /// Width of rules, e.g. "0.5pt".
    pub(super) rule_width: Option<Spanned<Length>>,
}

/// `[styles]`: one optional table per named style.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStyles {
    pub(super) body: Option<Spanned<RawStyle>>,
    pub(super) dateline: Option<Spanned<RawStyle>>,
    pub(super) credit: Option<Spanned<RawStyle>>,
    pub(super) jump: Option<Spanned<RawStyle>>,
    pub(super) continuation_headline: Option<Spanned<RawStyle>>,
    pub(super) running_header: Option<Spanned<RawStyle>>,
    pub(super) masthead: Option<Spanned<RawStyle>>,
    pub(super) masthead_info: Option<Spanned<RawStyle>>,
    pub(super) kicker_1: Option<Spanned<RawStyle>>,
    pub(super) headline_1: Option<Spanned<RawStyle>>,
    pub(super) subheadline_1: Option<Spanned<RawStyle>>,
    pub(super) kicker_2: Option<Spanned<RawStyle>>,
    pub(super) headline_2: Option<Spanned<RawStyle>>,
    pub(super) subheadline_2: Option<Spanned<RawStyle>>,
    pub(super) caption: Option<Spanned<RawStyle>>,
    pub(super) subhead: Option<Spanned<RawStyle>>,
    pub(super) lead: Option<Spanned<RawStyle>>,
    pub(super) pull_quote: Option<Spanned<RawStyle>>,
    pub(super) byline: Option<Spanned<RawStyle>>,
    pub(super) rubric: Option<Spanned<RawStyle>>,
    pub(super) emphasis: Option<Spanned<RawStyle>>,
}

/// One `[styles.NAME]` table; every key is optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStyle {
    pub(super) font: Option<Spanned<Vec<String>>>,
    pub(super) weight: Option<Spanned<u16>>,
    pub(super) size: Option<Spanned<Length>>,
    pub(super) leading: Option<Spanned<Length>>,
    pub(super) color: Option<Spanned<[f32; 4]>>,
    pub(super) align: Option<Align>,
    pub(super) prohibition: Option<Prohibition>,
    pub(super) punctuation: Option<PunctStyle>,
    pub(super) han_latin_gap: Option<Spanned<f32>>,
    pub(super) han_digit_gap: Option<Spanned<f32>>,
    pub(super) hanging: Option<bool>,
    pub(super) indent: Option<Spanned<f32>>,
    pub(super) avoid_orphan_char: Option<bool>,
}

/// One `[[pages]]` entry of the page plan.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPageSpec {
    #[serde(default)]
    pub(super) section: Option<String>,
    /// Fill the page by automatic make-up around its modules.
    #[serde(default)]
    pub(super) auto: bool,
    #[serde(default)]
    pub(super) modules: Vec<Spanned<RawModule>>,
    /// 责任编辑, printed in the page's folio line.
    pub(super) editor: Option<Spanned<String>>,
    /// 美编, printed in the page's folio line.
    pub(super) designer: Option<Spanned<String>>,
    /// 校对, printed in the page's folio line.
    pub(super) proofreader: Option<Spanned<String>>,
}

/// `article = 3` or `article = "part of the headline"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawArticleRef {
    Number(i64),
    Headline(String),
}

/// One `[[pages.modules]]` entry: a rectangle of grid cells.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawModule {
    /// Headline substring or 1-based article number; absent on a module
    /// that only receives a continuation.
    pub(super) article: Option<Spanned<RawArticleRef>>,
    pub(super) columns: Spanned<[i64; 2]>,
    /// `[first, last]`; either end may be `"auto"`, and `[first]` means
    /// `[first, "auto"]`.
    pub(super) lines: Spanned<Vec<RawLineEnd>>,
    /// Columns (from the module's first) the headline spans; default all.
    pub(super) headline_columns: Option<Spanned<i64>>,
    pub(super) headline_size: Option<Spanned<Length>>,
    /// `"top"` (default), `"vertical-right"` or `"vertical-left"` (竖题).
    pub(super) headline: Option<Spanned<String>>,
    /// Set the module's span as this many equal columns (破栏).
    pub(super) body_columns: Option<Spanned<i64>>,
    pub(super) continue_to: Option<Spanned<RawContinue>>,
    /// Short headline printed above a continuation (接题).
    pub(super) continuation_headline: Option<String>,
    /// Draw a box around the module: `true` or a rule style.
    pub(super) boxed: Option<Spanned<super::boxes::RawBoxed>>,
    /// A ground beneath the module's text, CMYK percent.
    pub(super) tint: Option<Spanned<[f32; 4]>>,
    /// Inner padding in 字.
    pub(super) padding: Option<Spanned<i64>>,
    /// Reserve the module for a picture or an advertisement: a framed
    /// tinted box with this label instead of an article.
    pub(super) placeholder: Option<String>,
    /// Grid columns (from the module's first) an article's pictures span.
    pub(super) picture_columns: Option<Spanned<i64>>,
    /// Where a picture cropped to fill keeps its middle: `"center"`…
    pub(super) anchor: Option<Spanned<String>>,
    /// A standalone picture file, relative to the layout file.
    pub(super) picture: Option<Spanned<String>>,
    /// The standalone picture's caption.
    pub(super) caption: Option<Spanned<String>>,
    /// The standalone picture's credit.
    pub(super) credit: Option<Spanned<String>>,
    /// An advertisement file (PDF or image), relative to the layout file.
    pub(super) ad: Option<Spanned<String>>,
    /// The 1-based page of a PDF ad.
    pub(super) page: Option<Spanned<i64>>,
    /// `"contain"`: scale an ad of another shape to fit, centred.
    pub(super) fit: Option<Spanned<String>>,
    /// A hairline frame round the ad.
    pub(super) frame: Option<Spanned<bool>>,
}

/// One end of a module's `lines`: a grid line, or a word (`"auto"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum RawLineEnd {
    Line(i64),
    Word(String),
}

/// `continue_to = { page, module }`, both 1-based.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContinue {
    pub(super) page: i64,
    pub(super) module: i64,
}
