//! A module's picture and advertisement keys: how an article's pictures
//! are placed (`picture_columns`, `anchor`), and the standalone picture
//! (`picture`, `caption`, `credit`) and advertisement (`ad`, `page`, `fit`,
//! `frame`) modules.
//!
//! Only what the layout says is checked here; the files are read with the
//! articles' pictures (build), and an ad whose shape does not match its
//! box is found once composition knows the box (compose), each error
//! pointing back at these keys.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::error::{LayoutError, Locator};
use super::raw::RawModule;

/// Where a picture cropped to fill its frame keeps its middle: the part
/// of the picture the frame shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Anchor {
    /// Crop equally from both sides (the default).
    #[default]
    Center,
    /// Keep the top edge, crop from the bottom.
    Top,
    /// Keep the bottom edge, crop from the top.
    Bottom,
    /// Keep the left edge, crop from the right.
    Left,
    /// Keep the right edge, crop from the left.
    Right,
}

/// Every `anchor` word, as written.
const ANCHORS: [(&str, Anchor); 5] = [
    ("center", Anchor::Center),
    ("top", Anchor::Top),
    ("bottom", Anchor::Bottom),
    ("left", Anchor::Left),
    ("right", Anchor::Right),
];

/// How an ad of another shape than its box is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AdFit {
    /// The ad must have its box's shape (within [`AD_ASPECT_TOLERANCE`]);
    /// it is scaled to fill the box.
    #[default]
    Exact,
    /// Scaled to fit inside the box without distortion, centred.
    Contain,
}

/// How far, as a fraction, an ad's width-to-height ratio may differ from
/// its box's before `fit = "contain"` is needed: an advertiser's PDF made
/// for a box of this size is within a millimetre or two of it.
pub const AD_ASPECT_TOLERANCE: f32 = 0.03;

/// A file the layout names, resolved against the layout file's folder.
#[derive(Debug, Clone)]
pub struct MediaFile {
    /// The file.
    pub path: PathBuf,
    /// Where its key is written, for errors about the file.
    pub span: Range<usize>,
}

/// What a module holds besides (or instead of) an article.
#[derive(Debug, Clone)]
pub enum ModuleMedia {
    /// A standalone picture (`picture = "…"`) with its caption and credit.
    Picture {
        /// The picture file.
        file: MediaFile,
        /// The caption set below it.
        caption: Option<String>,
        /// The credit after the caption.
        credit: Option<String>,
    },
    /// An advertisement (`ad = "…"`): a PDF page or an image filling the
    /// module.
    Ad {
        /// The ad file.
        file: MediaFile,
        /// The PDF page placed, 0-based (`page = 1` is 0).
        page: usize,
        /// How an ad of another shape is placed.
        fit: AdFit,
        /// A hairline frame round the ad.
        frame: bool,
    },
}

/// A module's picture keys, checked.
pub(super) struct MediaKeys {
    pub(super) picture_columns: Option<u32>,
    pub(super) anchor: Anchor,
    pub(super) media: Option<ModuleMedia>,
}

/// The picture and ad keys of one module. `headline_columns` bounds
/// `picture_columns`: an article's pictures stand under its headline.
pub(super) fn resolve_media(
    m: &RawModule,
    headline_columns: u32,
    loc: &Locator,
) -> Result<MediaKeys, LayoutError> {
    let err = |span: Range<usize>, message: String, help: &str| {
        loc.error(span, message, Some(help.to_string()))
    };
    let folder = loc.file.parent().unwrap_or(Path::new(""));
    let file = |s: &Spanned<String>, key: &str| -> Result<MediaFile, LayoutError> {
        if s.get_ref().trim().is_empty() {
            return Err(err(
                s.span(),
                format!("{key} is empty"),
                "name the file, relative to the layout file",
            ));
        }
        Ok(MediaFile {
            path: folder.join(s.get_ref()),
            span: s.span(),
        })
    };
    let exclusive = [
        ("picture", m.picture.as_ref().map(Spanned::span)),
        ("ad", m.ad.as_ref().map(Spanned::span)),
    ];
    for (key, span) in exclusive {
        let Some(span) = span else { continue };
        let other = [
            ("article", m.article.is_some()),
            ("placeholder", m.placeholder.is_some()),
            ("continue_to", m.continue_to.is_some()),
            ("continuation_headline", m.continuation_headline.is_some()),
            ("picture", key == "ad" && m.picture.is_some()),
        ];
        if let Some((o, _)) = other.iter().find(|(_, set)| *set) {
            return Err(err(
                span,
                format!("a module cannot both be {} and set `{o}`", a_what(key)),
                "give the picture or ad a module of its own",
            ));
        }
    }
    let only = |set: Option<Range<usize>>, key: &str, with: &str| match set {
        Some(span) => Err(err(
            span,
            format!("`{key}` belongs to {with}"),
            "remove it, or add what it belongs to",
        )),
        None => Ok(()),
    };
    if m.picture.is_none() {
        only(m.caption.as_ref().map(Spanned::span), "caption", "a standalone picture module (`picture = \"…\"`); an article's captions are in the article file")?;
        only(
            m.credit.as_ref().map(Spanned::span),
            "credit",
            "a standalone picture module (`picture = \"…\"`)",
        )?;
    }
    if m.ad.is_none() {
        only(
            m.page.as_ref().map(Spanned::span),
            "page",
            "an ad module (`ad = \"…\"`)",
        )?;
        only(
            m.fit.as_ref().map(Spanned::span),
            "fit",
            "an ad module (`ad = \"…\"`)",
        )?;
        only(
            m.frame.as_ref().map(Spanned::span),
            "frame",
            "an ad module (`ad = \"…\"`)",
        )?;
    } else {
        only(
            m.anchor.as_ref().map(Spanned::span),
            "anchor",
            "a picture cropped to fill its frame; an ad is never cropped",
        )?;
    }
    if m.article.is_none() {
        only(
            m.picture_columns.as_ref().map(Spanned::span),
            "picture_columns",
            "a module that sets an `article` with pictures",
        )?;
    }
    let picture_columns = match &m.picture_columns {
        Some(n) if !(1..=i64::from(headline_columns)).contains(n.get_ref()) => {
            return Err(err(
                n.span(),
                format!(
                    "picture_columns = {} is outside 1–{headline_columns}, the columns of the module's headline",
                    n.get_ref()
                ),
                "an article's pictures stand under its headline: give at most headline_columns",
            ))
        }
        Some(n) => Some(*n.get_ref() as u32),
        None => None,
    };
    let anchor =
        match &m.anchor {
            None => Anchor::Center,
            Some(a) => match ANCHORS.iter().find(|(w, _)| *w == a.get_ref().as_str()) {
                Some(&(_, anchor)) => anchor,
                None => return Err(err(
                    a.span(),
                    format!("unknown anchor `{}`", a.get_ref()),
                    "write \"center\" (the default), \"top\", \"bottom\", \"left\" or \"right\"",
                )),
            },
        };
    let media = if let Some(p) = &m.picture {
        Some(ModuleMedia::Picture {
            file: file(p, "picture")?,
            caption: m.caption.as_ref().map(|c| c.get_ref().trim().to_string()),
            credit: m.credit.as_ref().map(|c| c.get_ref().trim().to_string()),
        })
    } else if let Some(a) = &m.ad {
        let page = match &m.page {
            None => 0,
            Some(p) if *p.get_ref() >= 1 => (*p.get_ref() - 1) as usize,
            Some(p) => {
                return Err(err(
                    p.span(),
                    format!("page = {}: a PDF's pages are numbered from 1", p.get_ref()),
                    "write page = 1 for the first page",
                ))
            }
        };
        let fit = match m.fit.as_ref().map(|f| (f, f.get_ref().as_str())) {
            None | Some((_, "exact")) => AdFit::Exact,
            Some((_, "contain")) => AdFit::Contain,
            Some((f, other)) => {
                return Err(err(
                    f.span(),
                    format!("unknown fit `{other}`"),
                    "write fit = \"contain\" to scale the ad into its box without distortion, or leave it out (\"exact\": the ad must have the box's shape)",
                ))
            }
        };
        Some(ModuleMedia::Ad {
            file: file(a, "ad")?,
            page,
            fit,
            frame: m.frame.as_ref().is_some_and(|f| *f.get_ref()),
        })
    } else {
        None
    };
    Ok(MediaKeys {
        picture_columns,
        anchor,
        media,
    })
}

/// "a standalone picture" or "an ad", for messages.
fn a_what(key: &str) -> &'static str {
    match key {
        "picture" => "a standalone picture (`picture`)",
        _ => "an ad (`ad`)",
    }
}
