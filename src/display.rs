//! The display list: what composition hands to every back end.
//!
//! A [`Page`] is a flat list of positioned glyph runs, rules and rectangles
//! in reading order, in pt, with the origin at the top-left corner of the
//! trimmed page and y growing downwards. The PDF writer, the JSON dump
//! (`--dump`) and the tests read only this; nothing after composition looks
//! back at articles, fonts' tables or the layout file.

use std::ops::Range;

use serde::Serialize;

use crate::fonts::{FaceId, FontDb};

/// A process colour in percent (0–100) of cyan, magenta, yellow and black.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Cmyk(pub f32, pub f32, pub f32, pub f32);

impl Cmyk {
    pub const BLACK: Cmyk = Cmyk(0.0, 0.0, 0.0, 100.0);
    pub const WHITE: Cmyk = Cmyk(0.0, 0.0, 0.0, 0.0);

    /// Pure K: such marks overprint on press instead of knocking out.
    pub fn is_pure_black(self) -> bool {
        self.0 == 0.0 && self.1 == 0.0 && self.2 == 0.0 && self.3 >= 100.0
    }
}

/// What a piece of the page is, for tests, the dump and styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Body,
    Dateline,
    Kicker,
    Headline,
    Subheadline,
    Credit,
    JumpLine,
    ContinuationHeadline,
    Masthead,
    RunningHeader,
    ColumnRule,
    ModuleRule,
    HeaderRule,
    MissingGlyph,
    OversetMark,
    Placeholder,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunGlyph {
    pub id: u16,
    /// Pen position relative to the run origin, in pt.
    pub x: f32,
    pub y_offset: f32,
    pub advance: f32,
    /// Bytes of the run's `text` this glyph stands for.
    pub range: Range<usize>,
}

/// Glyphs of one face and size on one baseline.
#[derive(Debug, Clone, Serialize)]
pub struct GlyphRun {
    pub role: Role,
    /// Baseline origin.
    pub x: f32,
    pub y: f32,
    pub face: FaceId,
    /// The face's family name, for people reading the dump.
    pub font: String,
    pub size: f32,
    pub color: Cmyk,
    pub text: String,
    pub glyphs: Vec<RunGlyph>,
    /// 1-based article number in the source, if the run belongs to one.
    pub article: Option<usize>,
    /// Index of the module on its page, if any.
    pub module: Option<usize>,
    /// Index of the column inside the module (body text only).
    pub column: Option<usize>,
    /// Body line number on the page's baseline grid (1-based).
    pub grid_line: Option<u32>,
}

impl GlyphRun {
    /// Right edge of the last glyph.
    pub fn end_x(&self) -> f32 {
        self.glyphs
            .last()
            .map(|g| self.x + g.x + g.advance)
            .unwrap_or(self.x)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub role: Role,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub width: f32,
    pub color: Cmyk,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rect {
    pub role: Role,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub fill: Option<Cmyk>,
    pub stroke: Option<Cmyk>,
    pub stroke_width: f32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    Glyphs(GlyphRun),
    Rule(Rule),
    Rect(Rect),
}

/// A rectangle on the page occupied by a module, for overlap and containment
/// checks.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleFrame {
    pub name: String,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    /// Column boxes of the body text: (x, width).
    pub columns: Vec<(f32, f32)>,
}

/// The page's baseline grid: body baselines lie at `first + k * pitch`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct BaselineGrid {
    pub first: f32,
    pub pitch: f32,
    pub lines: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// 1-based page (版) number.
    pub number: u32,
    /// Trim size in pt.
    pub width: f32,
    pub height: f32,
    /// Bleed on every side, in pt.
    pub bleed: f32,
    pub crop_marks: bool,
    pub grid: BaselineGrid,
    pub modules: Vec<ModuleFrame>,
    pub items: Vec<Item>,
}

/// Everything the back ends need besides the pages.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentInfo {
    pub title: String,
    /// A stable string derived from the inputs, for the PDF id and dates.
    pub fingerprint: String,
    /// `YYYY-MM-DD` of the edition, if the layout gives one.
    pub date: Option<String>,
}

/// Serialise pages as the JSON dump read by tests and reviewers.
pub fn dump_json(info: &DocumentInfo, pages: &[Page], db: &FontDb) -> String {
    #[derive(Serialize)]
    struct Font<'a> {
        id: FaceId,
        family: &'a str,
        path: String,
        index: u32,
    }
    #[derive(Serialize)]
    struct Dump<'a> {
        info: &'a DocumentInfo,
        fonts: Vec<Font<'a>>,
        pages: &'a [Page],
    }
    let fonts = db
        .ids()
        .map(|id| {
            let info = db.info(id);
            Font {
                id,
                family: &info.family,
                path: info.path.display().to_string(),
                index: info.index,
            }
        })
        .collect();
    serde_json::to_string_pretty(&Dump { info, fonts, pages }).expect("display list serialises")
}
