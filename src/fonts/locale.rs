//! The locale a text is set in (`zh-Hans`, `zh-Hant-TW`, `zh-Hant-HK`):
//! which face of a multi-locale family sets it, the language its `locl`
//! glyph forms are shaped for, and where its punctuation sits.
//!
//! A family written for one locale (`Noto Serif CJK SC`) is taken in the
//! face of the same collection, family stem and weight for the text's
//! locale (`Noto Serif CJK TC`), so one layout serves both scripts. A family
//! without such a sibling (LXGW WenKai has no Traditional face) is kept:
//! its characters keep their own forms, and [`Locale::centres_punctuation`]
//! still centres its marks.

use super::{FaceId, FontDb};

/// A locale text can be set in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Locale {
    /// Simplified Chinese, mainland conventions (GB/T 15834): marks in the
    /// lower-left corner of their em box.
    #[default]
    #[serde(rename = "zh-Hans")]
    Hans,
    /// Traditional Chinese, Taiwan: `，。、：；！？` centred in the em box.
    #[serde(rename = "zh-Hant-TW")]
    HantTw,
    /// Traditional Chinese, Hong Kong: the HK face's forms and marks.
    #[serde(rename = "zh-Hant-HK")]
    HantHk,
}

/// Every locale, in the order of their cache slots.
pub const LOCALES: [Locale; 3] = [Locale::Hans, Locale::HantTw, Locale::HantHk];

/// The marks Taiwan's standard centres in the em box (CJK-RULES §2).
pub const CENTRED_MARKS: &[char] = &['，', '。', '、', '：', '；', '！', '？'];

/// The family suffixes that name a locale's face of a multi-locale family
/// (Noto CJK, Source Han): the last word of the family name.
const SUFFIXES: [&str; 3] = ["SC", "TC", "HK"];

impl Locale {
    /// Read a locale as written in a layout or front line; `None` for
    /// anything else (the caller reports where it is written).
    pub fn parse(s: &str) -> Option<Locale> {
        LOCALES.into_iter().find(|l| l.tag() == s)
    }

    /// The BCP 47 tag: the PDF's `Lang` and the shaping language.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Hans => "zh-Hans",
            Locale::HantTw => "zh-Hant-TW",
            Locale::HantHk => "zh-Hant-HK",
        }
    }

    /// The values accepted, for messages.
    pub fn accepted() -> String {
        LOCALES
            .iter()
            .map(|l| format!("\"{}\"", l.tag()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Position in [`LOCALES`], for caches kept per locale.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Traditional Chinese.
    pub fn is_hant(self) -> bool {
        self != Locale::Hans
    }

    /// Whether `，。、：；！？` are set centred in their em box whatever the
    /// face draws (Taiwan's standard).
    pub fn centres_punctuation(self) -> bool {
        self == Locale::HantTw
    }

    /// The family-name suffix of this locale's face.
    fn suffix(self) -> &'static str {
        SUFFIXES[self.index()]
    }
}

impl FontDb {
    /// The face that sets `locale` in place of `id`: the face of the same
    /// file, weight and family stem whose family ends in the locale's
    /// suffix (`Noto Serif CJK SC` → `Noto Serif CJK TC`); `id` itself when
    /// its family names no locale or the file has no such face.
    pub fn localized(&self, id: FaceId, locale: Locale) -> FaceId {
        let info = self.info(id);
        let Some(stem) = info
            .family
            .rsplit_once(' ')
            .filter(|(_, last)| SUFFIXES.contains(last))
            .map(|(stem, _)| stem)
        else {
            return id;
        };
        let want = format!("{stem} {}", locale.suffix());
        if info.family == want {
            return id;
        }
        self.ids()
            .find(|&other| {
                let o = self.info(other);
                o.path == info.path && o.weight == info.weight && o.family == want
            })
            .unwrap_or(id)
    }

    /// The faces a locale has no face of its own for among `faces`: CJK
    /// faces whose family names no locale (LXGW WenKai), set with their
    /// own forms.
    pub fn without_locale_face(&self, faces: &[FaceId], locale: Locale) -> Vec<FaceId> {
        if !locale.is_hant() {
            return Vec::new();
        }
        faces
            .iter()
            .copied()
            .filter(|&id| self.localized(id, locale) == id)
            .filter(|&id| {
                let family = &self.info(id).family;
                !family.ends_with(locale.suffix()) && self.ttf_face(id).glyph_index('中').is_some()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn tags_round_trip_and_nothing_else_parses() {
        for l in LOCALES {
            assert_eq!(Locale::parse(l.tag()), Some(l));
        }
        for bad in ["zh-Hant", "zh-TW", "zh-hans", "", "en"] {
            assert_eq!(Locale::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn noto_families_map_to_the_locale_face_and_kai_stays() {
        let mut db = FontDb::new();
        db.load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts"))
            .unwrap();
        let song = db.find("Noto Serif CJK SC", 400).unwrap();
        let tc = db.localized(song, Locale::HantTw);
        assert_eq!(db.info(tc).family, "Noto Serif CJK TC");
        assert_eq!(db.info(tc).weight, 400);
        let hei = db.find("Noto Sans CJK SC", 700).unwrap();
        assert_eq!(
            db.info(db.localized(hei, Locale::HantHk)).family,
            "Noto Sans CJK HK"
        );
        assert_eq!(db.localized(tc, Locale::Hans), song);
        assert_eq!(db.localized(song, Locale::Hans), song);
        let kai = db.find("LXGW WenKai", 400).unwrap();
        assert_eq!(db.localized(kai, Locale::HantTw), kai);
        assert_eq!(db.without_locale_face(&[song, kai], Locale::HantTw), [kai]);
        assert!(db.without_locale_face(&[kai], Locale::Hans).is_empty());
    }
}
