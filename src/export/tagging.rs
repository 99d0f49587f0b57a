//! The structure tree of the PDF (tagged PDF, issue 17 item 6): each
//! article one `Art` element holding, in reading order, its 栏目 tag
//! (`P`), kicker (`P`), headline (`H1`), subheadline (`H2`), byline (`P`),
//! paragraphs (`P`, the 导语 one of them, the dateline in the first after
//! it) with their 小标题 (`H3`) and 引语 (`BlockQuote`) in place, credit
//! (`P`) and picture captions (`Caption`, the picture's
//! credit inside), however its lines are spread over columns and pages: a
//! paragraph broken across columns is one `P` with one marked-content piece
//! per column. What is not an article's copy is an artifact: the masthead,
//! running headers, continuation headlines and jump lines are pagination
//! (the tree and the article threads already join an article's parts);
//! rules, frames, placeholders and proof marks are layout; crop marks and
//! colour bars are page artifacts.

use std::collections::BTreeMap;
use std::num::NonZeroU16;

use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, SpanTag, Tag, TagGroup, TagKind, TagTree,
};

use crate::display::{GlyphRun, Item, Role};
use crate::fonts::Locale;

/// One element of an article, in the order the article reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Part {
    /// The 栏目 tag, read before the headline block.
    Rubric,
    /// The kicker (引题).
    Kicker,
    /// The headline (主题).
    Headline,
    /// The subheadline (副题).
    Subheadline,
    /// The byline under the headline block.
    Byline,
    /// A picture of the article and then its caption and credit, by page
    /// (0-based) and module: read after the headline block and before the
    /// body, as the page shows them.
    Picture(usize, Option<usize>, PicturePart),
    /// A paragraph, 1-based (its dateline included), a subhead or a pull
    /// quote, in their order in the text.
    Paragraph(usize, Block),
    /// The credit (署名).
    Credit,
}

/// What a paragraph of the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Block {
    /// Body text (`P`).
    Text,
    /// A 小标题 (`H3`, below the subheadline's `H2`).
    Subhead,
    /// A 引语 (`BlockQuote`).
    Quote,
}

/// The two elements a picture makes, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum PicturePart {
    /// The image itself (`Figure`).
    Figure,
    /// Its caption and credit (`Caption`).
    Caption,
}

/// Where a piece of the page goes in the structure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Place {
    /// Part of an article (1-based number), or of none.
    Element(Option<usize>, Part),
    /// Not the page's content.
    Artifact(ArtifactType),
}

/// Where a glyph run goes; `page` is the 0-based page index.
pub(super) fn place_of_run(run: &GlyphRun, page: usize) -> Place {
    let part = match run.role {
        Role::Body | Role::Dateline => Part::Paragraph(run.paragraph.unwrap_or(0), Block::Text),
        Role::Rubric => Part::Rubric,
        // The 导语 is the article's first paragraph, in its own style.
        Role::Lead => Part::Paragraph(run.paragraph.unwrap_or(0), Block::Text),
        Role::Subhead => Part::Paragraph(run.paragraph.unwrap_or(0), Block::Subhead),
        Role::PullQuote => Part::Paragraph(run.paragraph.unwrap_or(0), Block::Quote),
        Role::Byline => Part::Byline,
        Role::Kicker => Part::Kicker,
        Role::Headline => Part::Headline,
        Role::Subheadline => Part::Subheadline,
        Role::Credit => Part::Credit,
        Role::Caption | Role::PictureCredit => {
            Part::Picture(page, run.module, PicturePart::Caption)
        }
        Role::JumpLine | Role::ContinuationHeadline | Role::Masthead | Role::RunningHeader => {
            return Place::Artifact(ArtifactType::PaginationOther)
        }
        _ => return Place::Artifact(ArtifactType::Layout),
    };
    Place::Element(run.article, part)
}

/// Where an item goes.
fn place_of(item: &Item, page: usize) -> Place {
    match item {
        Item::Glyphs(run) => place_of_run(run, page),
        Item::Image(image) if image.role == Role::Picture => Place::Element(
            image.article,
            Part::Picture(page, image.module, PicturePart::Figure),
        ),
        // An advertisement is not the paper's copy.
        _ => Place::Artifact(ArtifactType::Layout),
    }
}

/// The structure of a document being written, page by page.
#[derive(Default)]
pub(super) struct Structure {
    /// Per article number, its elements and their marked-content pieces.
    articles: BTreeMap<usize, BTreeMap<Part, Vec<Identifier>>>,
    /// Elements of no article (a caption of a module's own picture), in
    /// the order they are met.
    loose: Vec<(Part, Vec<Identifier>)>,
}

impl Structure {
    /// Start the marked content of `item` (the first of the items drawn in
    /// one go; the writer draws together only items of one place).
    pub(super) fn start(&mut self, surface: &mut Surface<'_>, item: &Item, page: usize) {
        match place_of(item, page) {
            Place::Artifact(kind) => {
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
            }
            Place::Element(article, part) => {
                let content = match part {
                    Part::Picture(_, _, PicturePart::Figure) => ContentTag::Other,
                    _ => ContentTag::Span(SpanTag::empty()),
                };
                let id = surface.start_tagged(content);
                self.pieces(article, part).push(id);
            }
        }
    }

    /// Start marked content that is a page artifact (crop marks, colour
    /// bars); close it with [`Structure::end`].
    pub(super) fn start_page_artifact(&mut self, surface: &mut Surface<'_>) {
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
            ArtifactType::Page,
        )));
    }

    /// End the marked content started last.
    pub(super) fn end(&mut self, surface: &mut Surface<'_>) {
        surface.end_tagged();
    }

    fn pieces(&mut self, article: Option<usize>, part: Part) -> &mut Vec<Identifier> {
        match article {
            Some(a) => self.articles.entry(a).or_default().entry(part).or_default(),
            None => {
                if self.loose.last().is_none_or(|(p, _)| *p != part) {
                    self.loose.push((part, Vec::new()));
                }
                &mut self.loose.last_mut().expect("just pushed").1
            }
        }
    }

    /// The tag tree: the articles in their order in the source, then the
    /// elements of no article.
    pub(super) fn tree(self, language: Locale, articles: &[Locale]) -> TagTree {
        let mut tree = TagTree::new().with_lang(Some(language.tag().into()));
        for (number, parts) in self.articles {
            // An article set in another locale than the document says so.
            let own = number
                .checked_sub(1)
                .and_then(|i| articles.get(i))
                .filter(|&&l| l != language);
            let tag = Tag::Article.with_lang(own.map(|l| l.tag().into()));
            let mut art = TagGroup::new(tag);
            for (part, ids) in parts {
                art.push(element(part, ids));
            }
            tree.push(art);
        }
        for (part, ids) in self.loose {
            tree.push(element(part, ids));
        }
        tree
    }
}

/// Headings below the article's headline: the subheadline.
const HEADLINE_LEVEL: u16 = 1;
const SUBHEADLINE_LEVEL: u16 = 2;
/// 小标题 head sections of the text, below the subheadline.
const SUBHEAD_LEVEL: u16 = 3;

fn heading(level: u16) -> TagKind {
    Tag::Hn(
        NonZeroU16::new(level).expect("heading levels start at 1"),
        None,
    )
    .into()
}

fn element(part: Part, ids: Vec<Identifier>) -> TagGroup {
    let kind: TagKind = match part {
        Part::Headline => heading(HEADLINE_LEVEL),
        Part::Subheadline => heading(SUBHEADLINE_LEVEL),
        Part::Paragraph(_, Block::Subhead) => heading(SUBHEAD_LEVEL),
        Part::Paragraph(_, Block::Quote) => Tag::BlockQuote.into(),
        Part::Picture(_, _, PicturePart::Caption) => Tag::Caption.into(),
        Part::Picture(_, _, PicturePart::Figure) => Tag::Figure(None).into(),
        Part::Rubric
        | Part::Kicker
        | Part::Byline
        | Part::Paragraph(_, Block::Text)
        | Part::Credit => Tag::P.into(),
    };
    TagGroup::with_children(kind, ids.into_iter().map(Into::into).collect())
}
