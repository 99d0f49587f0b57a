//! The source stage's model: an edition of articles, each with its
//! paragraphs and their kinds, and where each piece came from.

use std::ops::Range;
use std::path::PathBuf;

use super::{Front, Picture};

/// A whole input file.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Edition {
    /// The articles in file order, each from one `#`/`##` headline.
    pub articles: Vec<Article>,
    /// Non-fatal findings, `file:line: message` (a BOM, tabs) or
    /// `file:line:col: message` when they point at a spot (Markdown habits).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One article.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Article {
    /// 1 for `# `, 2 for `## `.
    pub level: u8,
    /// The kicker or column rubric (引题/栏目): a `### ` line directly before
    /// the headline.
    pub kicker: Option<String>,
    /// The headline's lines: the `#` line split at its ASCII spaces.
    pub headline: Vec<String>,
    /// The subheadline (副题): a `### ` line directly after the headline.
    pub subheadline: Option<String>,
    /// The dateline text; also the start of the first paragraph after the
    /// 导语 (`paragraphs[0]` when there is no 导语).
    pub dateline: Option<String>,
    /// Body paragraphs, print fragments rejoined and punctuation mapped;
    /// never empty (a headline without body text is an error).
    pub paragraphs: Vec<String>,
    /// What each of `paragraphs` is (same length): body text, the 导语, a
    /// 小标题 or a 引语.
    pub paragraph_kinds: Vec<ParagraphKind>,
    /// The bold spans (`**…**`, the markers removed) of each of
    /// `paragraphs` (same length): byte ranges, in order, not overlapping.
    pub emphasis: Vec<Vec<Range<usize>>>,
    /// The byline (`作者：本报记者 张三`) directly under the headline block.
    pub byline: Option<String>,
    /// The article's front line (`{ rubric = "…" }`), empty if it has none.
    pub front: Front,
    /// The sign-off (署名, `记者 刘凯华`): a last block of only role words and
    /// names, set in the credit style and not among `paragraphs`.
    pub credit: Option<String>,
    /// The pictures (`![说明](photo.jpg "摄影 张三")` lines) in file order,
    /// captions and credits punctuation-mapped like the text.
    pub pictures: Vec<Picture>,
    /// Byte range of the dateline inside the paragraph it opens,
    /// `paragraphs[Article::dateline_paragraph()]`.
    #[serde(skip)]
    pub dateline_range: Option<Range<usize>>,
    /// Where each piece came from, for diagnostics.
    #[serde(skip)]
    pub origin: Origin,
}

impl Article {
    /// The paragraph a dateline opens: the first one after the 导语.
    pub fn dateline_paragraph(&self) -> usize {
        first_body(&self.paragraph_kinds)
    }
}

/// The first paragraph that is not the 导语 (0 when there is none).
pub(super) fn first_body(kinds: &[ParagraphKind]) -> usize {
    kinds
        .iter()
        .position(|&k| k != ParagraphKind::Lead)
        .unwrap_or(0)
}

/// Source positions (1-based lines) of an article's pieces.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The article file, as named to the parser.
    pub file: PathBuf,
    /// The line of the `#`/`##` headline.
    pub headline_line: usize,
    /// The first source line of each paragraph.
    pub paragraph_lines: Vec<usize>,
    /// The kicker's `###` line, if there is a kicker.
    pub kicker_line: Option<usize>,
    /// The subheadline's `###` line, if there is a subheadline.
    pub subheadline_line: Option<usize>,
    /// The first line of the credit block, if there is a credit.
    pub credit_line: Option<usize>,
    /// The byline's line, if there is a byline.
    pub byline_line: Option<usize>,
}

/// What a paragraph of an article is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParagraphKind {
    /// Body text.
    #[default]
    Body,
    /// The 导语: a paragraph wholly in `**…**` directly after the headline.
    Lead,
    /// A 小标题: a `### ` line between paragraphs.
    Subhead,
    /// A 引语 (pull quote): a `> ` paragraph.
    PullQuote,
}
