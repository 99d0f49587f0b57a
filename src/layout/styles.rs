//! `[styles]` → [`Styles`]: each named style's built-in defaults, the keys
//! written over them, and their limits.

use toml::Spanned;

use super::error::{LayoutError, Locator};
use super::limits::{
    Limit, STYLE_COLOR, STYLE_HAN_DIGIT_GAP, STYLE_HAN_LATIN_GAP, STYLE_INDENT, STYLE_LEADING,
    STYLE_SIZE, STYLE_WEIGHT,
};
use super::model::{HeadlineStyles, Style, Styles};
use super::raw::{RawStyle, RawStyles};
use crate::display::Cmyk;
use crate::paragraph::{Align, ParagraphSettings};

/// Font lists standing for the four classic faces: 宋 (text), 黑 (bold
/// sans), 标宋 (display serif), 楷 (script), each with a fallback.
const SONG: &[&str] = &["Noto Serif CJK SC", "LXGW WenKai"];
const HEI: &[&str] = &["Noto Sans CJK SC", "Noto Serif CJK SC"];
const BIAOSONG: &[&str] = &["Noto Serif CJK SC", "Noto Sans CJK SC"];
const KAI: &[&str] = &["LXGW WenKai", "Noto Serif CJK SC"];
/// Bold inside body text: the body family's bold face (bundled), then a
/// 黑体 for what it lacks. LXGW WenKai, the body's fallback, has no bold.
const SONG_BOLD: &[&str] = &["Noto Serif CJK SC", "Noto Sans CJK SC"];

/// Size of captions when none is written: 小五, a newspaper's usual
/// caption size.
const CAPTION_SIZE: f32 = 9.0;

/// Size of pull quotes (引语) when none is written: 四号.
const PULL_QUOTE_SIZE: f32 = 14.0;

/// Leading of display lines when none is written, in the style's size.
const DEFAULT_LEADING: f32 = 1.25;

/// What a style is when its table does not say.
struct StyleDefaults {
    fonts: &'static [&'static str],
    weight: u16,
    size: f32,
    align: Align,
    indent: f32,
}

const fn sd(
    fonts: &'static [&'static str],
    weight: u16,
    size: f32,
    align: Align,
    indent: f32,
) -> StyleDefaults {
    StyleDefaults {
        fonts,
        weight,
        size,
        align,
        indent,
    }
}

/// Resolves styles against one grid: lengths in 字 and 行 need the body
/// size and pitch.
struct Resolver<'a> {
    loc: &'a Locator<'a>,
    body_size: f32,
    pitch: f32,
    /// The body's table less its font and weight: what the styles set
    /// inside body lines inherit.
    body_base: Option<RawStyle>,
}

/// Every style of `[styles]`, defaults filled in.
pub(super) fn resolve_styles(
    raw: &RawStyles,
    loc: &Locator,
    body: f32,
    pitch: f32,
) -> Result<Styles, LayoutError> {
    // Dateline and credit sit inside body lines: they inherit the body's
    // size and rules so they stay on the grid.
    let body_base = raw.body.as_ref().map(|b| RawStyle {
        font: None,
        weight: None,
        ..b.get_ref().clone()
    });
    let r = Resolver {
        loc,
        body_size: body,
        pitch,
        body_base,
    };
    Ok(Styles {
        body: r.own("body", &raw.body, sd(SONG, 400, body, Align::Justify, 2.0))?,
        dateline: r.inherit(
            "dateline",
            &raw.dateline,
            sd(HEI, 700, body, Align::Justify, 2.0),
        )?,
        credit: r.inherit("credit", &raw.credit, sd(KAI, 400, body, Align::End, 0.0))?,
        jump: r.inherit("jump", &raw.jump, sd(KAI, 400, body, Align::End, 0.0))?,
        continuation_headline: r.own(
            "continuation_headline",
            &raw.continuation_headline,
            sd(HEI, 700, 15.0, Align::Center, 0.0),
        )?,
        running_header: r.own(
            "running_header",
            &raw.running_header,
            sd(HEI, 700, body, Align::Start, 0.0),
        )?,
        masthead: r.own(
            "masthead",
            &raw.masthead,
            sd(BIAOSONG, 700, 72.0, Align::Start, 0.0),
        )?,
        masthead_info: r.own(
            "masthead_info",
            &raw.masthead_info,
            sd(SONG, 400, 10.5, Align::Start, 0.0),
        )?,
        levels: r.headline_levels(raw)?,
        caption: r.own(
            "caption",
            &raw.caption,
            sd(KAI, 400, CAPTION_SIZE, Align::Justify, 0.0),
        )?,
        subhead: r.inherit(
            "subhead",
            &raw.subhead,
            sd(HEI, 700, body, Align::Start, 0.0),
        )?,
        lead: r.inherit("lead", &raw.lead, sd(KAI, 400, body, Align::Justify, 2.0))?,
        pull_quote: r.own(
            "pull_quote",
            &raw.pull_quote,
            sd(KAI, 400, PULL_QUOTE_SIZE, Align::Justify, 0.0),
        )?,
        byline: r.inherit("byline", &raw.byline, sd(KAI, 400, body, Align::Start, 0.0))?,
        rubric: r.own("rubric", &raw.rubric, sd(HEI, 700, body, Align::Start, 0.0))?,
        emphasis: r.inherit(
            "emphasis",
            &raw.emphasis,
            sd(SONG_BOLD, 700, body, Align::Justify, 2.0),
        )?,
    })
}

impl Resolver<'_> {
    /// The kicker, headline and subheadline of both levels.
    fn headline_levels(&self, raw: &RawStyles) -> Result<[HeadlineStyles; 2], LayoutError> {
        Ok([
            HeadlineStyles {
                kicker: self.own(
                    "kicker_1",
                    &raw.kicker_1,
                    sd(KAI, 400, 16.0, Align::Center, 0.0),
                )?,
                headline: self.own(
                    "headline_1",
                    &raw.headline_1,
                    sd(HEI, 700, 36.0, Align::Center, 0.0),
                )?,
                subheadline: self.own(
                    "subheadline_1",
                    &raw.subheadline_1,
                    sd(BIAOSONG, 700, 16.0, Align::Center, 0.0),
                )?,
            },
            HeadlineStyles {
                kicker: self.own(
                    "kicker_2",
                    &raw.kicker_2,
                    sd(KAI, 400, 14.0, Align::Center, 0.0),
                )?,
                headline: self.own(
                    "headline_2",
                    &raw.headline_2,
                    sd(BIAOSONG, 700, 22.0, Align::Center, 0.0),
                )?,
                subheadline: self.own(
                    "subheadline_2",
                    &raw.subheadline_2,
                    sd(KAI, 400, 14.0, Align::Center, 0.0),
                )?,
            },
        ])
    }

    /// A style that inherits nothing from another.
    fn own(
        &self,
        name: &str,
        raw: &Option<Spanned<RawStyle>>,
        d: StyleDefaults,
    ) -> Result<Style, LayoutError> {
        self.resolve(name, raw.as_ref(), None, d)
    }

    /// A style set inside body lines: keys it does not write come from the
    /// body's table before the defaults.
    fn inherit(
        &self,
        name: &str,
        raw: &Option<Spanned<RawStyle>>,
        d: StyleDefaults,
    ) -> Result<Style, LayoutError> {
        self.resolve(name, raw.as_ref(), self.body_base.as_ref(), d)
    }

    /// One style: each key from `raw`, else from `base`, else the default,
    /// checked against its limit where it is written.
    fn resolve(
        &self,
        name: &str,
        raw: Option<&Spanned<RawStyle>>,
        base: Option<&RawStyle>,
        d: StyleDefaults,
    ) -> Result<Style, LayoutError> {
        let loc = self.loc;
        let empty = RawStyle::default();
        let r = raw.map_or(&empty, |s| s.get_ref());
        let b = base.unwrap_or(&empty);
        let style = Some(name);
        let size = match r.size.as_ref().or(b.size.as_ref()) {
            Some(s) => {
                let v = s.get_ref().to_pt(self.body_size, self.pitch);
                STYLE_SIZE.check(loc, s.span(), style, v.into())?;
                v
            }
            None => d.size,
        };
        let fonts = match r.font.as_ref().or(b.font.as_ref()) {
            Some(f) if f.get_ref().is_empty() => {
                return Err(loc.error(
                    f.span(),
                    "font needs at least one family name",
                    Some("e.g. font = [\"Noto Serif CJK SC\"]".into()),
                ))
            }
            Some(f) => f.get_ref().clone(),
            None => d.fonts.iter().map(|s| s.to_string()).collect(),
        };
        let color = match r.color.as_ref().or(b.color.as_ref()) {
            Some(c) => {
                let [cy, ma, ye, k] = *c.get_ref();
                for v in [cy, ma, ye, k] {
                    STYLE_COLOR.check(loc, c.span(), style, v.into())?;
                }
                Cmyk(cy, ma, ye, k)
            }
            None => Cmyk::BLACK,
        };
        let paragraph = self.paragraph(name, r, b, &d)?;
        let font_span = r
            .font
            .as_ref()
            .or(b.font.as_ref())
            .map_or(0..0, |f| f.span());
        let (weight, weight_span) = match r.weight.as_ref().or(b.weight.as_ref()) {
            Some(w) => {
                STYLE_WEIGHT.check(loc, w.span(), style, (*w.get_ref()).into())?;
                (*w.get_ref(), w.span())
            }
            None => (d.weight, 0..0),
        };
        let leading = match r.leading.as_ref().or(b.leading.as_ref()) {
            None => size * DEFAULT_LEADING,
            Some(l) => {
                let v = l.get_ref().to_pt(self.body_size, self.pitch);
                STYLE_LEADING.check_relative(loc, l.span(), style, v.into(), size.into())?;
                v
            }
        };
        Ok(Style {
            fonts,
            font_span,
            weight,
            weight_span,
            size,
            leading,
            color,
            paragraph,
        })
    }

    /// The style's paragraph rules: kinsoku, punctuation, spacing, indent.
    fn paragraph(
        &self,
        name: &str,
        r: &RawStyle,
        b: &RawStyle,
        d: &StyleDefaults,
    ) -> Result<ParagraphSettings, LayoutError> {
        // An em value: checked where it is written, the default when absent.
        let em =
            |v: Option<&Spanned<f32>>, limit: &Limit, default: f32| -> Result<f32, LayoutError> {
                match v {
                    Some(x) => {
                        limit.check(self.loc, x.span(), Some(name), (*x.get_ref()).into())?;
                        Ok(*x.get_ref())
                    }
                    None => Ok(default),
                }
            };
        let defaults = ParagraphSettings::default();
        Ok(ParagraphSettings {
            prohibition: r
                .prohibition
                .or(b.prohibition)
                .unwrap_or(defaults.prohibition),
            punct: r.punctuation.or(b.punctuation).unwrap_or(defaults.punct),
            han_latin_gap: em(
                r.han_latin_gap.as_ref().or(b.han_latin_gap.as_ref()),
                &STYLE_HAN_LATIN_GAP,
                defaults.han_latin_gap,
            )?,
            han_digit_gap: em(
                r.han_digit_gap.as_ref().or(b.han_digit_gap.as_ref()),
                &STYLE_HAN_DIGIT_GAP,
                defaults.han_digit_gap,
            )?,
            hanging: r.hanging.or(b.hanging).unwrap_or(defaults.hanging),
            indent: em(
                r.indent.as_ref().or(b.indent.as_ref()),
                &STYLE_INDENT,
                d.indent,
            )?,
            align: r.align.or(b.align).unwrap_or(d.align),
            avoid_orphan_char: r.avoid_orphan_char.or(b.avoid_orphan_char).unwrap_or(true),
        })
    }
}
