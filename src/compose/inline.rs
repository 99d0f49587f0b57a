//! A body paragraph's text with its inline styles: the style its kind sets
//! it in (body text or the 导语) and the runs set otherwise inside its lines
//! (the dateline, bold spans).
//!
//! Every inline style keeps the paragraph's size, so a bold or dateline
//! run takes one grid cell per 字 like the text around it: the line breaker
//! sees one paragraph whose clusters come from several faces, and the
//! compression, 禁则 and justification are those of the paragraph.

use std::ops::Range;

use crate::paragraph::ParagraphSettings;
use crate::source::{Edition, ParagraphKind};
use crate::text::{FontChain, StyleSpan};

/// What a body paragraph is set with: fonts per inline style and the
/// paragraph rules per kind.
pub(super) struct BodyStyle {
    /// Body text.
    pub body: FontChain,
    /// The dateline run-in.
    pub dateline: FontChain,
    /// Bold spans (`**…**`).
    pub emphasis: FontChain,
    /// The 导语.
    pub lead: FontChain,
    /// Rules of body paragraphs.
    pub settings: ParagraphSettings,
    /// Rules of the 导语.
    pub lead_settings: ParagraphSettings,
    /// Each article's locale: a chain resolved for another locale is
    /// swapped for the same faces in the article's.
    pub locales: Vec<crate::fonts::Locale>,
    /// On vertical pages, the most digits set upright (`[text]
    /// upright_digits`); `None` on horizontal pages.
    pub upright_digits: Option<u8>,
}

impl BodyStyle {
    /// A shaper for the pages' writing direction, sharing `faces` with the
    /// other shapers of the build.
    pub fn shaper<'db>(
        &self,
        faces: &std::sync::Arc<crate::text::SharedFaces<'db>>,
    ) -> crate::text::Shaper<'db> {
        let shaper = crate::text::Shaper::sharing(faces.clone());
        match self.upright_digits {
            Some(n) => shaper.vertical_pages(n),
            None => shaper,
        }
    }
}

impl BodyStyle {
    /// The paragraph rules of a kind of paragraph; the rest of a paragraph
    /// continued from an earlier column has no first-line indent.
    pub(super) fn settings(&self, kind: ParagraphKind, continued: bool) -> ParagraphSettings {
        let mut s = match kind {
            ParagraphKind::Lead => self.lead_settings.clone(),
            _ => self.settings.clone(),
        };
        if continued {
            s.indent = 0.0;
        }
        s
    }
}

/// A run inside a paragraph set in another style than the paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Accent {
    /// The dateline (电头).
    Dateline,
    /// A bold span.
    Emphasis,
}

/// Where an [`Accent`] is in a paragraph's text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AccentSpan {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// Which style.
    pub accent: Accent,
}

/// A paragraph's text from some byte on, ready to shape.
pub(super) struct ParagraphSource {
    /// The text from the byte asked for.
    pub text: String,
    /// Font spans over `text`.
    pub spans: Vec<StyleSpan>,
    /// What the paragraph is.
    pub kind: ParagraphKind,
    /// The runs in another style, in order.
    pub accents: Vec<AccentSpan>,
}

/// The accents of paragraph `p` of an article, in order and not
/// overlapping: the dateline first, bold spans after it (a bold span
/// inside the dateline is already the dateline's style).
fn accents(edition: &Edition, article: usize, p: usize) -> Vec<AccentSpan> {
    let a = &edition.articles[article];
    let mut out = Vec::new();
    let mut from = 0;
    if p == a.dateline_paragraph() {
        if let Some(d) = &a.dateline_range {
            out.push(AccentSpan {
                range: d.clone(),
                accent: Accent::Dateline,
            });
            from = d.end;
        }
    }
    for r in a.emphasis.get(p).into_iter().flatten() {
        if r.end > from {
            out.push(AccentSpan {
                range: r.start.max(from)..r.end,
                accent: Accent::Emphasis,
            });
        }
    }
    out
}

/// Text, font spans and accents for paragraph `p` of an article from byte
/// `offset`, ranges counted in that text.
pub(super) fn paragraph_source(
    edition: &Edition,
    style: &BodyStyle,
    db: &crate::fonts::FontDb,
    article: usize,
    p: usize,
    offset: usize,
) -> ParagraphSource {
    let locale = style.locales[article];
    let localized = |c: &FontChain| match c.locale == locale {
        true => c.clone(),
        false => c.localized(locale, db),
    };
    let a = &edition.articles[article];
    let text = &a.paragraphs[p][offset..];
    let kind = a.paragraph_kinds.get(p).copied().unwrap_or_default();
    let base = localized(match kind {
        ParagraphKind::Lead => &style.lead,
        _ => &style.body,
    });
    let accents: Vec<AccentSpan> = accents(edition, article, p)
        .into_iter()
        .filter(|s| s.range.end > offset)
        .map(|s| AccentSpan {
            range: s.range.start.max(offset) - offset..s.range.end - offset,
            accent: s.accent,
        })
        .collect();
    let mut spans = Vec::with_capacity(2 * accents.len() + 1);
    let mut at = 0;
    for s in &accents {
        if s.range.start > at {
            spans.push(StyleSpan {
                range: at..s.range.start,
                chain: base.clone(),
            });
        }
        let chain = match s.accent {
            Accent::Dateline => &style.dateline,
            Accent::Emphasis => &style.emphasis,
        };
        spans.push(StyleSpan {
            range: s.range.clone(),
            chain: localized(chain),
        });
        at = s.range.end;
    }
    if at < text.len() {
        spans.push(StyleSpan {
            range: at..text.len(),
            chain: base.clone(),
        });
    }
    ParagraphSource {
        text: text.to_string(),
        spans,
        kind,
        accents,
    }
}
