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
    /// 100% K only: text and rules, overprinting on press.
    pub const BLACK: Cmyk = Cmyk(0.0, 0.0, 0.0, 100.0);
    /// No ink at all: knocks out whatever lies beneath.
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
    /// Body text of an article, set on the page's baseline grid.
    Body,
    /// The dateline (电头) opening an article's first paragraph, e.g.
    /// `新华社北京7月21日电`; set in its own style on the first body line.
    Dateline,
    /// The kicker (引题) set above a headline.
    Kicker,
    /// An article's main headline (主题).
    Headline,
    /// The subheadline (副题) set below a headline.
    Subheadline,
    /// The credit (署名) closing an article, e.g. `记者 刘凯华`.
    Credit,
    /// A jump line on one body line: （下转第N版） or （上接第N版）.
    JumpLine,
    /// The headline repeated over an article continued from another page.
    ContinuationHeadline,
    /// The masthead (报头) of page 1: the paper's name and date block.
    Masthead,
    /// The running header (报眉) of every page after the first: name, date,
    /// section and page number.
    RunningHeader,
    /// A vertical rule between two body columns.
    ColumnRule,
    /// A rule or box frame between modules, or under an article on a
    /// flowed page.
    ModuleRule,
    /// A rule across the type area under the masthead (报头) or the running
    /// header (报眉).
    HeaderRule,
    /// The magenta box drawn where a glyph no font has would stand; a proof
    /// mark, never meant for print.
    MissingGlyph,
    /// The magenta frame and note round a module whose text did not fit; a
    /// proof mark.
    OversetMark,
    /// A reserved picture or advertisement space: its tinted frame and label.
    Placeholder,
    /// A photograph or other picture, an article's or a module's own.
    Picture,
    /// An advertisement: an ad PDF page or image filling its module.
    Ad,
    /// A picture's caption (图片说明), set below it.
    Caption,
    /// A picture's credit (摄影 记者 张三), set after its caption.
    PictureCredit,
    /// A 小标题: a subhead between an article's paragraphs.
    Subhead,
    /// The 导语: an article's lead paragraph, in its own style.
    Lead,
    /// A 引语 (pull quote) and its rules.
    PullQuote,
    /// The byline (作者：本报记者 张三) under the headline block.
    Byline,
    /// A 栏目 tag above a headline: its text and its reversed or boxed
    /// ground.
    Rubric,
    /// The tint (shaded ground) of a boxed module.
    Tint,
}

/// One glyph of a [`GlyphRun`], positioned along the run's baseline.
#[derive(Debug, Clone, Serialize)]
pub struct RunGlyph {
    /// Glyph id in the run's face (not a character code).
    pub id: u16,
    /// Pen position relative to the run origin, in pt.
    pub x: f32,
    /// Vertical shift from the baseline in pt, HarfBuzz convention:
    /// positive raises the glyph (against the page's y-down axis).
    pub y_offset: f32,
    /// Width of the glyph's cell in pt: `x + advance` is its right edge;
    /// justification space lies between cells, not inside them.
    pub advance: f32,
    /// Bytes of the run's `text` this glyph stands for.
    pub range: Range<usize>,
}

/// Glyphs of one face and size on one baseline.
#[derive(Debug, Clone, Serialize)]
pub struct GlyphRun {
    /// What the text is (body, headline, furniture, proof mark).
    pub role: Role,
    /// Baseline origin, x in pt from the trimmed page's left edge.
    pub x: f32,
    /// Baseline y in pt from the trimmed page's top edge (y grows down).
    pub y: f32,
    /// The face every glyph of the run is drawn from.
    pub face: FaceId,
    /// The face's family name, for people reading the dump.
    pub font: String,
    /// Font size in pt.
    pub size: f32,
    /// Fill colour of the glyphs.
    pub color: Cmyk,
    /// The characters the run sets, for the dump, searching and the PDF's
    /// text layer; glyph `range`s index into it.
    pub text: String,
    /// The glyphs in drawing order.
    pub glyphs: Vec<RunGlyph>,
    /// 1-based article number in the source, if the run belongs to one.
    pub article: Option<usize>,
    /// Index of the module on its page, if any.
    pub module: Option<usize>,
    /// Index of the column inside the module (body text only).
    pub column: Option<usize>,
    /// Body line number on the page's baseline grid (1-based).
    pub grid_line: Option<u32>,
    /// 1-based line of the article's file (its `origin`) where the text
    /// comes from: the paragraph's first line for body text, the
    /// headline's, kicker's or credit's own line; `None` for text the
    /// layout supplies (furniture, jump lines, placeholders).
    pub source_line: Option<usize>,
    /// 1-based paragraph of the article a body line (or its dateline)
    /// belongs to, so a paragraph broken across columns and pages is one
    /// element of the PDF's structure tree; `None` for other text.
    pub paragraph: Option<usize>,
    /// A vertical line (top to bottom): `x`, `y` are the drawing origin
    /// (left of the cell, on its baseline) of a full-width glyph in the
    /// first cell; each glyph's `x` is its drawing origin's shift right of
    /// that, its `y_offset` the origin's rise (negative: further down the
    /// line), and its `advance` how far the line moves down after it.
    /// Glyphs are the font's vertical forms; `text` and `range` still name
    /// the characters written. Left out of the dump when false.
    #[serde(skip_serializing_if = "is_false")]
    pub vertical: bool,
    /// Turned 90° clockwise about its origin (`x`, `y`): a Latin word or
    /// long number in a vertical line on a vertical page, its baseline
    /// running down the page. Glyph positions are those of a horizontal
    /// run before the turn (`x` along the line, down the page). Left out
    /// of the dump when false.
    #[serde(skip_serializing_if = "is_false")]
    pub rotated: bool,
}

/// For `skip_serializing_if`: horizontal runs keep the dump as it was.
fn is_false(b: &bool) -> bool {
    !*b
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

/// A straight stroked line from (`x0`, `y0`) to (`x1`, `y1`), in pt from
/// the trimmed page's top-left corner, y growing down.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Which kind of rule this is (column, module or header rule).
    pub role: Role,
    /// Start x in pt.
    pub x0: f32,
    /// Start y in pt.
    pub y0: f32,
    /// End x in pt.
    pub x1: f32,
    /// End y in pt.
    pub y1: f32,
    /// Stroke thickness in pt.
    pub width: f32,
    /// Stroke colour.
    pub color: Cmyk,
}

/// An axis-aligned rectangle: a placeholder, a boxed module's frame or a
/// proof mark.
#[derive(Debug, Clone, Serialize)]
pub struct Rect {
    /// What the rectangle is (placeholder, boxed module, proof mark).
    pub role: Role,
    /// Left edge in pt from the trimmed page's left edge.
    pub x: f32,
    /// Top edge in pt from the trimmed page's top edge (y grows down).
    pub y: f32,
    /// Width in pt.
    pub width: f32,
    /// Height in pt, extending downwards from `y`.
    pub height: f32,
    /// Fill colour; `None` leaves the inside unpainted.
    pub fill: Option<Cmyk>,
    /// Outline colour; `None` draws no outline.
    pub stroke: Option<Cmyk>,
    /// Outline thickness in pt; meaningless without `stroke`.
    pub stroke_width: f32,
}

/// One mark on a page; the dump tags each with its `kind`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// Text: glyphs of one face and size on one baseline.
    Glyphs(GlyphRun),
    /// A stroked line.
    Rule(Rule),
    /// A filled and/or outlined rectangle.
    Rect(Rect),
    /// A picture or ad, clipped to its frame.
    Image(Image),
}

/// A picture or ad placed on the page: the asset drawn at `placed`, clipped
/// to the frame (`x`, `y`, `width`, `height`), which lies on the grid. When
/// the picture is cropped to fill, `placed` is larger than the frame.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    /// [`Role::Picture`] or [`Role::Ad`].
    pub role: Role,
    /// Left edge of the visible frame in pt from the trimmed page's left edge.
    pub x: f32,
    /// Top edge of the visible frame in pt from the trimmed page's top edge.
    pub y: f32,
    /// Width of the visible frame in pt.
    pub width: f32,
    /// Height of the visible frame in pt.
    pub height: f32,
    /// Where the whole asset is drawn: x, y, width, height in pt; the part
    /// outside the frame is cropped away.
    pub placed: (f32, f32, f32, f32),
    /// The file drawn, prepared by the media stage; the dump shows its path,
    /// kind and pixel size.
    #[serde(serialize_with = "serialize_asset")]
    pub asset: std::sync::Arc<crate::media::Asset>,
    /// Effective resolution at the placed size, pixels per inch; `None` for
    /// vector artwork.
    pub ppi: Option<f32>,
    /// 1-based article number in the source, if the picture belongs to one.
    pub article: Option<usize>,
    /// Index of the module on its page, if any.
    pub module: Option<usize>,
}

fn serialize_asset<S: serde::Serializer>(
    asset: &std::sync::Arc<crate::media::Asset>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Summary<'a> {
        path: String,
        kind: crate::media::AssetKind,
        pixels: (u32, u32),
        #[serde(skip_serializing_if = "Option::is_none")]
        page: Option<&'a usize>,
    }
    let page = match asset.data() {
        Ok(crate::media::AssetData::Pdf(_, page)) => Some(page),
        _ => None,
    };
    Summary {
        path: asset.path.display().to_string(),
        kind: asset.kind,
        pixels: asset.pixels,
        page,
    }
    .serialize(serializer)
}

/// A rectangle on the page occupied by a module, for overlap and containment
/// checks.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleFrame {
    /// Human-readable label for messages, e.g. `page 1 module 2 article 3`
    /// (all 1-based).
    pub name: String,
    /// Left edge in pt from the trimmed page's left edge.
    pub x: f32,
    /// Top edge in pt from the trimmed page's top edge (y grows down).
    pub y: f32,
    /// Width in pt.
    pub width: f32,
    /// Height in pt.
    pub height: f32,
    /// Column boxes of the body text: (x, width).
    pub columns: Vec<(f32, f32)>,
    /// 1-based number of the module in the layout's page plan (what
    /// `continue_to` names); `None` for a frame of automatic flow.
    pub module: Option<usize>,
    /// 1-based number of the article set in the frame, if any.
    pub article: Option<usize>,
    /// Per body column (parallel to `columns`), the grid lines the body
    /// may fill; empty where no body was planned (placeholders, empty
    /// modules, automatic flow, whose frames end with their text). The
    /// proof view tints those of them no line was set on.
    pub body_lines: Vec<GridLines>,
}

/// A range of grid lines, 1-based and inclusive; empty when `last < first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GridLines {
    /// First grid line.
    pub first: u32,
    /// Last grid line.
    pub last: u32,
}

/// The page's baseline grid: body baselines lie at `first + k * pitch`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct BaselineGrid {
    /// Top of grid line 1's box (the line pitch high), in pt from the
    /// trimmed page's top edge: line `k`'s box starts `(k - 1) * pitch`
    /// below it.
    pub top: f32,
    /// y of the first body line's baseline, in pt from the trimmed page's
    /// top edge.
    pub first: f32,
    /// Distance between consecutive body baselines (the line pitch), in pt.
    pub pitch: f32,
    /// Number of body lines on the page; grid lines are numbered 1..=lines.
    pub lines: u32,
    /// A vertical page's grid: its lines are vertical, and `top` and
    /// `first` are measured leftward from the trimmed page's right edge
    /// (`top` to the right edge of line 1's box, `first` to where the
    /// frame's baseline of line 1 turned to). Left out of the dump when false.
    #[serde(skip_serializing_if = "is_false")]
    pub vertical: bool,
}

/// One composed page: its geometry and every mark on it, ready for any
/// back end.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// 1-based page (版) number.
    pub number: u32,
    /// Trim size in pt.
    pub width: f32,
    /// Trim height in pt.
    pub height: f32,
    /// Bleed on every side, in pt.
    pub bleed: f32,
    /// Whether the PDF adds corner crop marks outside the bleed (and the
    /// room for them).
    pub crop_marks: bool,
    /// The baseline grid body text is set on.
    pub grid: BaselineGrid,
    /// The area each module occupies, for overlap and containment checks.
    pub modules: Vec<ModuleFrame>,
    /// Everything drawn on the page, in reading order.
    pub items: Vec<Item>,
}

/// Everything the back ends need besides the pages.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentInfo {
    /// The PDF title: the paper's name and the edition's date as the
    /// layout writes them.
    pub title: String,
    /// A stable string derived from the inputs, for the PDF id and dates.
    pub fingerprint: String,
    /// `YYYY-MM-DD` of the edition, if the layout gives one.
    pub date: Option<String>,
    /// The document's language (`Lang`, XMP `dc:language`): the layout's
    /// `[text] language`.
    pub language: crate::fonts::Locale,
    /// Each article's language (1-based article `n` at `n - 1`), where a
    /// front line may set it apart from the document's: the structure
    /// tree's `Art` element says so. Empty: all in `language`.
    #[serde(skip)]
    pub article_languages: Vec<crate::fonts::Locale>,
}

/// The PDF standard an edition claims (`[output] standard`): what the
/// layout asks for and what the export declares and checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum PdfStandard {
    /// PDF/X-4 (PDF 1.6): an embedded output profile, transparency allowed,
    /// no device RGB.
    #[default]
    PdfX4,
    /// PDF/X-1a:2003 (PDF 1.4): CMYK and spot colour only, no transparency,
    /// no ICC-based colour.
    PdfX1a2003,
    /// No standard: no output intent and no PDF/X keys.
    None,
}

impl PdfStandard {
    /// The value as the layout writes it, which is also the
    /// `GTS_PDFXVersion` of the PDF/X ones.
    pub fn name(self) -> &'static str {
        match self {
            PdfStandard::PdfX4 => "PDF/X-4",
            PdfStandard::PdfX1a2003 => "PDF/X-1a:2003",
            PdfStandard::None => "none",
        }
    }
}

/// Serialise pages as the JSON dump read by tests and reviewers.
pub fn dump_json(info: &DocumentInfo, pages: &[Page], db: &FontDb) -> String {
    #[derive(Serialize)]
    struct Font<'a> {
        id: FaceId,
        family: &'a str,
        /// 400 regular, 700 bold: tells a bold run's face from the body's.
        weight: u16,
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
                weight: info.weight,
                path: info.path.display().to_string(),
                index: info.index,
            }
        })
        .collect();
    serde_json::to_string_pretty(&Dump { info, fonts, pages }).expect("display list serialises")
}
