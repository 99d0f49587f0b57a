//! The locale checks of a build: each article's front-line `language`
//! must name a locale, `[text] quotes = "corner"` is applied, and what is
//! likely a mistake is said: Traditional text set as Simplified, or a
//! Traditional locale set partly in a face that has no Traditional forms.

use std::collections::BTreeSet;

use crate::fonts::{FontDb, Locale};
use crate::layout::Layout;
use crate::observe::Observer;
use crate::source::script::{corner_quotes_in, ScriptEvidence};
use crate::source::{Edition, SourceError};

/// Refuse a front line whose `language` is no locale, at its file, line
/// and column.
pub(super) fn check_languages(edition: &Edition, _layout: &Layout) -> Result<(), SourceError> {
    for a in &edition.articles {
        let Some(l) = a.front.language.as_deref() else {
            continue;
        };
        if Locale::parse(l).is_none() {
            return Err(SourceError {
                file: a.origin.file.clone(),
                line: a.front.origin.line,
                column: a.front.origin.language_column.unwrap_or(1),
                message: format!(
                    "front line: unknown language `{l}`; write one of {}",
                    Locale::accepted()
                ),
            });
        }
    }
    Ok(())
}

/// Corner quotes where the layout asks for them, and a warning when
/// articles read as Traditional Chinese but are set as `zh-Hans`.
pub(super) fn apply_text_settings(edition: &mut Edition, layout: &Layout, observer: &dyn Observer) {
    if layout.text_settings.corner_quotes {
        edition.articles.iter_mut().for_each(corner_quotes_in);
    }
    let locales = crate::compose::article_locales(edition, layout);
    let mut traditional = edition
        .articles
        .iter()
        .zip(&locales)
        .filter(|(_, &l)| l == Locale::Hans)
        .filter(|(a, _)| {
            let mut e = ScriptEvidence::of(&a.headline.concat());
            for p in &a.paragraphs {
                let more = ScriptEvidence::of(p);
                e.traditional += more.traditional;
                e.simplified += more.simplified;
            }
            e.is_traditional()
        })
        .map(|(a, _)| a);
    if let Some(first) = traditional.next() {
        let others = traditional.count();
        let also = match others {
            0 => String::new(),
            n => format!(" (and {n} more article(s))"),
        };
        observer.warning(&format!(
            "{}:{}: 「{}」{also} reads as Traditional Chinese but is set as zh-Hans, with Simplified glyph forms and punctuation; write `[text] language = \"zh-Hant-TW\"` (or \"zh-Hant-HK\") in the layout, or `{{ language = \"zh-Hant-TW\" }}` on the line before the headline",
            first.origin.file.display(),
            first.origin.headline_line,
            first.headline.concat(),
        ));
    }
}

/// Say which styles a Traditional locale sets in a face without
/// Traditional forms (LXGW WenKai, the bundled 楷): their characters keep
/// that face's forms; their marks are still centred for zh-Hant-TW.
pub(super) fn warn_substitutes(
    edition: &Edition,
    layout: &Layout,
    db: &FontDb,
    observer: &dyn Observer,
) {
    let used: BTreeSet<Locale> = crate::compose::article_locales(edition, layout)
        .into_iter()
        .chain(std::iter::once(layout.text_settings.locale))
        .filter(|l| l.is_hant())
        .collect();
    for locale in used {
        let mut families: BTreeSet<String> = BTreeSet::new();
        let mut styles = Vec::new();
        for (name, style) in layout.styles.all() {
            let Some(first) = style.fonts.first() else {
                continue;
            };
            let Some(id) = db.find(first, style.weight) else {
                continue;
            };
            if !db.without_locale_face(&[id], locale).is_empty() {
                families.insert(db.info(id).family.clone());
                styles.push(name);
            }
        }
        if styles.is_empty() {
            continue;
        }
        observer.warning(&format!(
            "{}: {} has no {} face: styles {} set Traditional characters in its own forms (name a Traditional face first in their `font` to replace it)",
            locale.tag(),
            families.into_iter().collect::<Vec<_>>().join(", "),
            locale.tag(),
            styles.join(", "),
        ));
    }
}
