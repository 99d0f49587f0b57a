//! Source stage: an article file → [`Edition`], the first stage of the
//! pipeline (source → layout → text → paragraph → compose → export).
//!
//! The input is the article format of DESIGN §2: Markdown-like headings
//! (`#`/`##` headline, `###` kicker or subheadline) and blank-line separated
//! body blocks, often extracted from a printed page. Reading it faithfully
//! means undoing what the extraction did:
//!
//! * **print fragments** — a blank line where a column or page ended
//!   mid-sentence: a body block that does not end a sentence is continued by
//!   the next one (never across a headline, kicker or credit);
//! * **folded punctuation** — ASCII `,:;()!?` where the paper printed
//!   full width: mapped back next to CJK ([`ParseOptions::fullwidth_punctuation`]);
//! * the **dateline** (电头) at the start of the first paragraph and the
//!   **credit** (署名) block at the end are recognised so that composition can
//!   style them.
//!
//! Nothing is lost or invented: every non-space source character except the
//! `#` markup ends up exactly once, in order, in the model. Later stages
//! never look at the file again; [`Origin`] keeps the line numbers they need
//! for diagnostics. Bad input yields a [`SourceError`] (`file:line:col:`)
//! or, when it can be read anyway (BOM, CRLF or CR line ends, tabs,
//! Markdown habits the format does not have), a warning in
//! [`Edition::warnings`].

mod chars;
mod credit;
mod dateline;
mod elements;
mod emphasis;
mod front;
pub mod generate;
mod habits;
mod lines;
mod model;
mod picture;
mod punct;
pub mod script;

pub use elements::DEFAULT_BYLINE_PREFIXES;
pub use front::{Front, FrontOrigin};
use model::first_body;
pub use model::{Article, Edition, Origin, ParagraphKind};
pub use picture::{Picture, PictureOrigin};

use std::path::{Path, PathBuf};

use lines::BlockKind;

/// Options of the source reader.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Map ASCII-folded punctuation next to CJK back to full width.
    pub fullwidth_punctuation: bool,
    /// What a byline line under the headline block starts with
    /// (`作者：`); none, no byline is recognised.
    pub byline_prefixes: Vec<String>,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            fullwidth_punctuation: true,
            byline_prefixes: DEFAULT_BYLINE_PREFIXES
                .iter()
                .map(|p| p.to_string())
                .collect(),
        }
    }
}

/// An article file that cannot be read (not UTF-8, empty, a headline
/// without body, a stray `###`…); shown as `file:line:col: message`.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct SourceError {
    /// The article file, as named to the parser.
    pub file: PathBuf,
    /// 1-based line, counted as the parser counts them; 0 when the file
    /// could not be read at all.
    pub line: usize,
    /// 1-based column in characters (not bytes); 0 with `line` 0.
    pub column: usize,
    /// What is wrong and, where there is one, the fix.
    pub message: String,
}

/// A paragraph this long is almost certainly several paragraphs whose
/// separating blank lines or sentence ends went missing.
const LONG_PARAGRAPH_CHARS: usize = 5_000;

pub(crate) fn error(
    file: &Path,
    line: usize,
    column: usize,
    message: impl Into<String>,
) -> SourceError {
    SourceError {
        file: file.to_path_buf(),
        line,
        column,
        message: message.into(),
    }
}

pub(crate) fn warning(file: &Path, line: usize, message: impl std::fmt::Display) -> String {
    format!("{}:{line}: {message}", file.display())
}

/// A warning about one spot of a line: `file:line:col: message`.
pub(crate) fn warning_at(
    file: &Path,
    line: usize,
    column: usize,
    message: impl std::fmt::Display,
) -> String {
    format!("{}:{line}:{column}: {message}", file.display())
}

/// A short quote of a text for messages.
fn excerpt(text: &str) -> String {
    const MAX: usize = 16;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}

/// One body block of an article in progress.
struct Body {
    text: String,
    line: usize,
    last_line: usize,
    /// An ASCII space or tab in the source before the first / after the
    /// last character (see [`lines::Block`]).
    space_before: bool,
    space_after: bool,
    /// Where each run of two asterisks stands in the source (empty when
    /// the block has none): the spots of unpaired `**` in warnings.
    spots: Vec<emphasis::Spot>,
    /// The spot of each bold marker in `text`, in order.
    marks: Vec<emphasis::Spot>,
    /// Body text, a 小标题 (`### ` after the first paragraph) or a 引语.
    kind: ParagraphKind,
}

/// An article while its blocks are being collected.
struct Draft {
    level: u8,
    headline: String,
    headline_line: usize,
    kicker: Option<(String, usize)>,
    subheadline: Option<(String, usize)>,
    /// The byline and its line.
    byline: Option<(String, usize)>,
    body: Vec<Body>,
    pictures: Vec<Picture>,
    front: Front,
}

/// What follows an article's last paragraph, for the mid-sentence warning.
fn boundary_name(credit: bool, last: bool) -> &'static str {
    match (credit, last) {
        (true, _) => "the credit",
        (false, true) => "the end of the file",
        (false, false) => "the next headline",
    }
}

impl Draft {
    fn finish(
        self,
        file: &Path,
        options: &ParseOptions,
        last: bool,
        warnings: &mut Vec<String>,
    ) -> Result<Article, SourceError> {
        let Draft {
            level,
            headline,
            headline_line,
            kicker,
            subheadline,
            mut byline,
            mut body,
            pictures,
            front,
        } = self;
        // A lone block is the article's text even if it reads as a byline.
        if body.is_empty() {
            if let Some((text, line)) = byline.take() {
                body.push(Body {
                    text,
                    line,
                    last_line: line,
                    space_before: false,
                    space_after: false,
                    spots: Vec::new(),
                    marks: Vec::new(),
                    kind: ParagraphKind::Body,
                });
            }
        }
        if body.is_empty() {
            return Err(error(
                file,
                headline_line,
                1,
                format!(
                    "headline “{}” has no body text (every headline needs at least one paragraph)",
                    excerpt(&headline)
                ),
            ));
        }
        // A lone block is the article's text even if it looks like a byline.
        let credit = if body.len() >= 2
            && body
                .last()
                .is_some_and(|b| b.kind == ParagraphKind::Body && credit::is_credit(&b.text))
        {
            body.pop()
        } else {
            None
        };
        elements::check(&body, file, &headline, headline_line)?;

        // Bold delimiters become markers before fragments are rejoined, so
        // that `**好。**` ends a sentence and a span may cross a column end.
        for b in &mut body {
            b.marks = emphasis::mark_block(&mut b.text, &b.spots, b.line);
        }

        // Rejoin print fragments. A byline-like block inside the body is no
        // sentence and is not continued: no column ends on just names.
        let mut joined: Vec<Body> = Vec::with_capacity(body.len());
        let mut open = false;
        for b in body {
            match joined.last_mut() {
                // A subhead or a pull quote is never joined to or continued.
                _ if b.kind != ParagraphKind::Body => {
                    open = false;
                    joined.push(b);
                }
                Some(p) if open => {
                    // A column end inserts nothing: `截至20` / `26年` is
                    // 2026, `5` / `G` is 5G. Only a space the source kept at
                    // the cut separates two Latin words or numbers.
                    if p.space_after || b.space_before {
                        if let (Some(x), Some(y)) =
                            (p.text.chars().next_back(), b.text.chars().next())
                        {
                            if chars::soft_break_needs_space(x, y) {
                                p.text.push(' ');
                            }
                        }
                    }
                    p.text.push_str(&b.text);
                    p.marks.extend(b.marks);
                    p.last_line = b.last_line;
                    p.space_after = b.space_after;
                    open = !chars::ends_sentence(&p.text);
                }
                _ => {
                    open = !chars::ends_sentence(&b.text) && !credit::is_credit(&b.text);
                    joined.push(b);
                }
            }
        }
        if let Some(p) = joined.last().filter(|p| p.kind == ParagraphKind::Body) {
            if !chars::ends_sentence(&p.text) {
                let tail: String = {
                    let mut t: Vec<char> = p.text.chars().rev().take(8).collect();
                    t.reverse();
                    t.into_iter().collect()
                };
                warnings.push(warning(
                    file,
                    p.last_line,
                    format!(
                        "paragraph ends mid-sentence (“…{tail}”); not joined across {}",
                        boundary_name(credit.is_some(), last)
                    ),
                ));
            }
        }

        let map = |s: &str| {
            if options.fullwidth_punctuation {
                punct::tidy_spaces(&punct::fold(s))
            } else {
                punct::tidy_spaces(s)
            }
        };
        let mut paragraphs = Vec::with_capacity(joined.len());
        let mut paragraph_lines = Vec::with_capacity(joined.len());
        let mut bold = Vec::with_capacity(joined.len());
        for p in &joined {
            let paired = emphasis::pair_or_warn(&p.text, &p.marks, p.line, file, warnings);
            let (text, spans) = emphasis::strip(&map(&paired));
            bold.push(spans);
            let n = text.chars().count();
            if n > LONG_PARAGRAPH_CHARS {
                warnings.push(warning(
                    file,
                    p.line,
                    format!("paragraph of {n} characters (lines {}–{}); is a blank line or a sentence end missing?", p.line, p.last_line),
                ));
            }
            paragraphs.push(text);
            paragraph_lines.push(p.line);
        }
        let paragraph_kinds = emphasis::kinds(
            joined.iter().map(|p| p.kind).collect(),
            &paragraphs,
            &mut bold,
        );
        let opening = first_body(&paragraph_kinds);
        let dateline_range = paragraphs
            .get(opening)
            .filter(|_| paragraph_kinds.get(opening) == Some(&ParagraphKind::Body))
            .and_then(|p| dateline::find(p))
            .map(|end| 0..end);
        let dateline = dateline_range
            .clone()
            .map(|r| paragraphs[opening][r].to_string());

        Ok(Article {
            level,
            kicker: kicker.as_ref().map(|(k, _)| map(k)),
            headline: headline
                .split(' ')
                .filter(|l| !l.is_empty())
                .map(map)
                .collect(),
            subheadline: subheadline.as_ref().map(|(s, _)| map(s)),
            dateline,
            paragraph_kinds,
            emphasis: bold,
            paragraphs,
            byline: byline.as_ref().map(|(b, _)| map(b)),
            front,
            credit: credit.as_ref().map(|c| map(&c.text)),
            pictures: pictures
                .into_iter()
                .map(|p| Picture {
                    caption: map(&p.caption),
                    credit: p.credit.as_deref().map(map),
                    ..p
                })
                .collect(),
            dateline_range,
            origin: Origin {
                file: file.to_path_buf(),
                headline_line,
                paragraph_lines,
                kicker_line: kicker.map(|(_, l)| l),
                subheadline_line: subheadline.map(|(_, l)| l),
                credit_line: credit.map(|c| c.line),
                byline_line: byline.map(|(_, l)| l),
            },
        })
    }
}

/// Parse article text. `file` is only used in diagnostics.
pub fn parse(bytes: &[u8], file: &Path, options: &ParseOptions) -> Result<Edition, SourceError> {
    let mut warnings = Vec::new();
    let source = lines::decode(bytes, file, &mut warnings)?;
    let blocks = lines::blocks(source, file, &mut warnings)?;
    if blocks.is_empty() {
        return Err(error(
            file,
            1,
            1,
            "the article file is empty: expected a `# ` headline and its text",
        ));
    }

    let mut articles = Vec::new();
    let mut draft: Option<Draft> = None;
    let mut kicker: Option<(String, usize)> = None;
    let mut front: Option<Front> = None;
    let mut blocks = blocks.into_iter().peekable();
    while let Some(block) = blocks.next() {
        let quote = matches!(block.kind, BlockKind::Quote(_));
        if front.is_some() && !matches!(block.kind, BlockKind::Heading { .. }) {
            let f = front.take().unwrap_or_default();
            return Err(error(
                file,
                f.origin.line,
                1,
                "a front line (`{ … }`) belongs directly before an article's kicker or headline",
            ));
        }
        match block.kind {
            BlockKind::Front(f) => {
                let next_is_heading = matches!(
                    blocks.peek().map(|b| &b.kind),
                    Some(BlockKind::Heading { .. })
                );
                if !next_is_heading {
                    return Err(error(
                        file,
                        block.line,
                        1,
                        "a front line (`{ … }`) belongs directly before an article's kicker or headline",
                    ));
                }
                front = Some(*f);
            }
            BlockKind::Heading { level: 3, text } => {
                let next_is_headline = matches!(
                    blocks.peek().map(|b| &b.kind),
                    Some(BlockKind::Heading { level: 1 | 2, .. })
                );
                if front.is_some() && !next_is_headline {
                    return Err(error(
                        file,
                        block.line,
                        1,
                        "a front line (`{ … }`) and a kicker must be followed by the article's `#`/`##` headline",
                    ));
                }
                match &mut draft {
                    Some(d) if d.body.is_empty() && d.subheadline.is_none() && d.byline.is_none() => {
                        d.subheadline = Some((text, block.line));
                    }
                    _ if next_is_headline => kicker = Some((text, block.line)),
                    // After the article's first paragraph: a 小标题.
                    Some(d) if d.body.iter().any(|b| b.kind == ParagraphKind::Body) => {
                        d.body.push(Body {
                            text,
                            line: block.line,
                            last_line: block.line,
                            space_before: false,
                            space_after: false,
                            spots: Vec::new(),
                            marks: Vec::new(),
                            kind: ParagraphKind::Subhead,
                        })
                    }
                    _ => {
                        return Err(error(
                            file,
                            block.line,
                            1,
                            format!(
                                "`### {}` has no headline next to it: a kicker goes directly before a `#`/`##` headline, \
                                 a subheadline directly after one, a 小标题 after an article's first paragraph",
                                excerpt(&text)
                            ),
                        ))
                    }
                }
            }
            BlockKind::Heading { level, text } => {
                if let Some(d) = draft.take() {
                    articles.push(d.finish(file, options, false, &mut warnings)?);
                }
                draft = Some(Draft {
                    level,
                    headline: text,
                    headline_line: block.line,
                    kicker: kicker.take(),
                    subheadline: None,
                    byline: None,
                    body: Vec::new(),
                    pictures: Vec::new(),
                    front: front.take().unwrap_or_default(),
                });
            }
            BlockKind::Picture(picture) => match &mut draft {
                Some(d) => d.pictures.push(*picture),
                None => {
                    return Err(error(
                        file,
                        block.line,
                        picture.origin.column,
                        "a picture before the first headline: a picture belongs to the article it stands in, after its `# ` or `## ` line",
                    ))
                }
            },
            BlockKind::Text(text)
                if draft.as_ref().is_some_and(|d| {
                    d.body.is_empty()
                        && d.byline.is_none()
                        && block.line == block.last_line
                        && elements::is_byline(&text, &options.byline_prefixes)
                }) =>
            {
                if let Some(d) = &mut draft {
                    d.byline = Some((text, block.line));
                }
            }
            BlockKind::Text(text) | BlockKind::Quote(text) => match &mut draft {
                Some(d) => d.body.push(Body {
                    spots: emphasis::block_spots(source, &text, block.line, block.last_line),
                    marks: Vec::new(),
                    kind: if quote {
                        ParagraphKind::PullQuote
                    } else {
                        ParagraphKind::Body
                    },
                    text,
                    line: block.line,
                    last_line: block.last_line,
                    space_before: block.space_before,
                    space_after: block.space_after,
                }),
                None => {
                    return Err(error(
                        file,
                        block.line,
                        1,
                        format!("text “{}” before the first headline: every article starts with a `# ` or `## ` line", excerpt(&text)),
                    ))
                }
            },
        }
    }
    if let Some(d) = draft {
        articles.push(d.finish(file, options, true, &mut warnings)?);
    }
    Ok(Edition { articles, warnings })
}

/// Line `number` (1-based) of an article file's text, counted as the
/// parser counts lines (LF, CRLF, CR, U+2028, U+2029 each end one): its byte
/// offset and its text, so that a message's `line:col` can be shown.
pub fn source_line(text: &str, number: usize) -> (usize, &str) {
    lines::line_at(text, number)
}

/// Read and parse an article file.
pub fn parse_file(path: &Path, options: &ParseOptions) -> Result<Edition, SourceError> {
    let bytes = std::fs::read(path).map_err(|e| SourceError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read article file: {e}"),
    })?;
    parse(&bytes, path, options)
}
