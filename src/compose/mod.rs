//! Compose stage: [`Edition`] + [`Layout`] → display-list [`Page`]s and a
//! [`FitReport`].
//!
//! Each article becomes a stream of lines (headline block, then body lines
//! broken once per measure) that is dealt into column slots top to bottom,
//! left to right. A slot running out mid-paragraph is a mid-sentence column
//! or page break: the rest of the paragraph is broken again at the next
//! slot's measure, without the first-line indent. Modules named in the
//! layout get fixed slots; every other article is flowed, in source order,
//! into whole columns of new pages after the planned ones.
//!
//! Paragraphs are shaped and broken ahead, on the thread pool, in the order
//! they will be dealt (`prebreak`); with [`compose_streaming`] each page goes
//! to the back end as soon as composition has moved past it.

mod frames;
mod furniture;
mod lines;
mod prebreak;

use serde::Serialize;

use crate::display::{BaselineGrid, Cmyk, DocumentInfo, Item, ModuleFrame, Page, Rect, Role, Rule};
use crate::fonts::{FaceId, FontDb};
use crate::layout::{ArticleRef, Layout, LayoutError, ModuleSpec, Style};
use crate::source::Edition;
use crate::text::FontChain;

pub use frames::OutsideFrame;
pub use lines::{line_runs, BlockLine};
use lines::{set_block, ShaperCell};

/// Pages automatic flow may add before giving up.
const MAX_AUTO_PAGES: usize = 1000;

/// The result of composition.
#[derive(Debug, Clone)]
pub struct Composition {
    pub info: DocumentInfo,
    pub pages: Vec<Page>,
    pub report: FitReport,
}

/// How each module's text fitted, and what could not be set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FitReport {
    pub modules: Vec<ModuleFit>,
    /// Characters no font covers.
    pub missing_glyphs: Vec<MissingGlyph>,
    /// Glyph runs that pass the edge of their column, module, type area or
    /// page (marked on the page; the build fails like overset).
    pub outside_frame: Vec<OutsideFrame>,
    /// Lines set wider than their measure or with a broken rule.
    pub warnings: Vec<String>,
}

impl FitReport {
    /// Lines that did not fit anywhere (no continuation took them).
    pub fn overset_lines(&self) -> u32 {
        self.modules
            .iter()
            .filter(|m| !m.continued)
            .map(|m| m.overset)
            .sum()
    }

    pub fn is_clean(&self) -> bool {
        self.overset_lines() == 0 && self.missing_glyphs.is_empty() && self.outside_frame.is_empty()
    }

    /// One line per module, for the terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str("page module  article                          set/avail  overset  empty\n");
        for m in &self.modules {
            let mut headline: String = m.headline.chars().take(14).collect();
            if m.headline.chars().count() > 14 {
                headline.push('…');
            }
            let state = if m.overset == 0 {
                String::new()
            } else if m.continued {
                format!("  → continued on page {}", m.continued_on.unwrap_or(0))
            } else {
                "  OVERSET".to_string()
            };
            out.push_str(&format!(
                "{:>4} {:>6}  #{:<2} {}{}  {:>4}/{:<4}  {:>7}  {:>5}{}\n",
                m.page,
                m.module,
                m.article,
                headline,
                "　".repeat(15usize.saturating_sub(headline.chars().count())),
                m.lines_set,
                m.lines_available,
                m.overset,
                m.empty,
                state
            ));
        }
        for g in &self.missing_glyphs {
            out.push_str(&format!(
                "missing glyph U+{:04X} '{}' in {}: no font covers it (drawn as a box)\n",
                g.code_point,
                g.ch,
                g.place()
            ));
        }
        for w in &self.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        for o in &self.outside_frame {
            out.push_str(&format!("error: {}\n", o.to_text()));
        }
        let overset = self.overset_lines();
        if overset > 0 {
            out.push_str(&format!(
                "error: {overset} line(s) overset without a continuation\n"
            ));
        }
        out
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ModuleFit {
    pub page: u32,
    /// 1-based module number on the page; automatic modules count on.
    pub module: usize,
    pub article: usize,
    pub headline: String,
    pub lines_set: u32,
    pub lines_available: u32,
    /// Body lines that did not fit in this module.
    pub overset: u32,
    /// The overset went on to a continuation.
    pub continued: bool,
    pub continued_on: Option<u32>,
    pub empty: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct MissingGlyph {
    /// 1-based article number; 0 for text from the layout (paper name,
    /// section, date line of the masthead, a placeholder's label).
    pub article: usize,
    /// 1-based paragraph number (0 for headlines and other blocks).
    pub paragraph: usize,
    /// What holds the character: `paragraph 3`, `headline`, `kicker`,
    /// `subheadline`, `credit`, `jump line`, `continuation headline`, or for
    /// layout text the key to change (`paper.name`, `pages[2].section`).
    pub element: String,
    pub ch: char,
    pub code_point: u32,
}

impl MissingGlyph {
    /// Where the character is, for a person: `article 2 headline`,
    /// `layout key paper.name`.
    pub fn place(&self) -> String {
        if self.article == 0 {
            format!("layout key {}", self.element)
        } else {
            format!("article {} {}", self.article, self.element)
        }
    }
}

/// A style with its fonts looked up.
#[derive(Debug, Clone)]
pub(crate) struct Resolved<'a> {
    pub style: &'a Style,
    pub chain: FontChain,
}

impl<'a> Resolved<'a> {
    fn sized(&self, size: f32) -> Resolved<'a> {
        Resolved {
            style: self.style,
            chain: FontChain {
                faces: self.chain.faces.clone(),
                size,
            },
        }
    }
}

/// Look a style's families up; a family we do not have is a layout error.
fn resolve<'a>(
    name: &str,
    style: &'a Style,
    layout: &Layout,
    db: &FontDb,
) -> Result<Resolved<'a>, LayoutError> {
    let mut faces: Vec<FaceId> = Vec::new();
    for family in &style.fonts {
        match db.find(family, style.weight) {
            Some(id) => faces.push(id),
            None if !db.weights(family).is_empty() => {
                return Err(wrong_weight(name, family, style, layout, db))
            }
            None => {
                return Err(layout.locator().error(
                    style.font_span.clone(),
                    format!(
                        "style `{name}` names the font family `{family}`, which no loaded font has"
                    ),
                    Some(format!(
                        "families available: {}; add the file under [fonts] files or fonts/",
                        db.family_names().join(", ")
                    )),
                ))
            }
        }
    }
    Ok(Resolved {
        style,
        chain: FontChain {
            faces,
            size: style.size,
        },
    })
}

/// A family that exists, but not in the style's weight: name the style,
/// where it is written and the weights there are.
fn wrong_weight(
    name: &str,
    family: &str,
    style: &Style,
    layout: &Layout,
    db: &FontDb,
) -> LayoutError {
    let weight = style.weight;
    let weights = db.weights(family);
    let have = weights
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let set = match weights.as_slice() {
        [one] => format!("set weight = {one}"),
        _ => format!("set weight to one of {have}"),
    };
    let span = [&style.weight_span, &style.font_span]
        .into_iter()
        .find(|s| !s.is_empty())
        .cloned()
        .unwrap_or(0..0);
    let listed = if style.font_span.is_empty() {
        " (in its default font list)"
    } else {
        ""
    };
    layout.locator().error(
        span,
        format!(
            "style `{name}` asks for weight {weight}, but `{family}`{listed} is loaded only in weight {have}"
        ),
        Some(format!(
            "{set} in [styles.{name}], name families that have weight {weight} in its `font`, or add that face under [fonts] files; `broadsheet fonts` lists what is loaded"
        )),
    )
}

pub(crate) struct Styles<'a> {
    pub body: Resolved<'a>,
    pub dateline: Resolved<'a>,
    pub credit: Resolved<'a>,
    pub jump: Resolved<'a>,
    pub continuation_headline: Resolved<'a>,
    pub running_header: Resolved<'a>,
    pub masthead: Resolved<'a>,
    pub masthead_info: Resolved<'a>,
    /// kicker, headline, subheadline per level.
    pub levels: [[Resolved<'a>; 3]; 2],
}

fn resolve_all<'a>(layout: &'a Layout, db: &FontDb) -> Result<Styles<'a>, LayoutError> {
    let s = &layout.styles;
    let r = |name: &str, st: &'a Style| resolve(name, st, layout, db);
    Ok(Styles {
        body: r("body", &s.body)?,
        dateline: r("dateline", &s.dateline)?,
        credit: r("credit", &s.credit)?,
        jump: r("jump", &s.jump)?,
        continuation_headline: r("continuation_headline", &s.continuation_headline)?,
        running_header: r("running_header", &s.running_header)?,
        masthead: r("masthead", &s.masthead)?,
        masthead_info: r("masthead_info", &s.masthead_info)?,
        levels: [
            [
                r("kicker_1", &s.levels[0].kicker)?,
                r("headline_1", &s.levels[0].headline)?,
                r("subheadline_1", &s.levels[0].subheadline)?,
            ],
            [
                r("kicker_2", &s.levels[1].kicker)?,
                r("headline_2", &s.levels[1].headline)?,
                r("subheadline_2", &s.levels[1].subheadline)?,
            ],
        ],
    })
}

/// Find the article a module names; none or several is a layout error.
fn find_article(
    m: &ModuleSpec,
    edition: &Edition,
    layout: &Layout,
) -> Result<Option<usize>, LayoutError> {
    let loc = layout.locator();
    match &m.article {
        None => Ok(None),
        Some(ArticleRef::Number(n)) => {
            if *n < 1 || *n > edition.articles.len() {
                Err(loc.error(
                    m.article_span.clone(),
                    format!(
                        "article number {n} does not exist: the articles file has {}",
                        edition.articles.len()
                    ),
                    Some("articles are numbered from 1 in source order".into()),
                ))
            } else {
                Ok(Some(n - 1))
            }
        }
        Some(ArticleRef::Headline(needle)) => {
            let matches: Vec<usize> = edition
                .articles
                .iter()
                .enumerate()
                .filter(|(_, a)| {
                    a.headline.concat().contains(needle.as_str())
                        || a.headline.join(" ").contains(needle.as_str())
                })
                .map(|(i, _)| i)
                .collect();
            match matches.as_slice() {
                [one] => Ok(Some(*one)),
                [] => Err(loc.error(
                    m.article_span.clone(),
                    format!("no article headline contains `{needle}`"),
                    Some(format!(
                        "headlines are: {}",
                        edition
                            .articles
                            .iter()
                            .map(|a| format!("「{}」", a.headline.concat()))
                            .collect::<Vec<_>>()
                            .join(" ")
                    )),
                )),
                many => Err(loc.error(
                    m.article_span.clone(),
                    format!(
                        "`{needle}` matches {} headlines: {}",
                        many.len(),
                        many.iter()
                            .map(|&i| format!(
                                "#{} 「{}」",
                                i + 1,
                                edition.articles[i].headline.concat()
                            ))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    Some("use a longer substring or the article number".into()),
                )),
            }
        }
    }
}

/// Check that the layout's plan fits this edition without composing.
pub fn check(edition: &Edition, layout: &Layout, db: &FontDb) -> Result<(), LayoutError> {
    resolve_all(layout, db)?;
    plan(edition, layout).map(|_| ())
}

/// Articles the layout's page plan names in no module, in source order; they
/// are flowed onto automatic pages after the planned ones. Empty when the
/// layout has no plan (every article is flowed).
pub fn unplanned_articles(edition: &Edition, layout: &Layout) -> Result<Vec<usize>, LayoutError> {
    if layout.pages.is_empty() {
        return Ok(Vec::new());
    }
    Ok(plan(edition, layout)?.unplaced)
}

/// For every planned module, the article it sets (or continues).
struct Plan {
    /// [page][module] → article index.
    articles: Vec<Vec<Option<usize>>>,
    /// Article indices no module names, in source order.
    unplaced: Vec<usize>,
}

fn plan(edition: &Edition, layout: &Layout) -> Result<Plan, LayoutError> {
    let mut articles: Vec<Vec<Option<usize>>> = Vec::new();
    let mut used = vec![false; edition.articles.len()];
    for page in &layout.pages {
        let mut row = Vec::new();
        for m in &page.modules {
            let a = find_article(m, edition, layout)?;
            if let Some(a) = a {
                if used[a] {
                    return Err(layout.locator().error(
                        m.article_span.clone(),
                        format!(
                            "article #{} 「{}」 is already set by another module",
                            a + 1,
                            edition.articles[a].headline.concat()
                        ),
                        Some("to continue it elsewhere use continue_to on the first module".into()),
                    ));
                }
                used[a] = true;
            }
            row.push(a);
        }
        articles.push(row);
    }
    // Continuation targets inherit their source's article.
    for (pi, page) in layout.pages.iter().enumerate() {
        for (mi, m) in page.modules.iter().enumerate() {
            if let (Some(c), Some(a)) = (m.continue_to, articles[pi][mi]) {
                articles[c.page - 1][c.module - 1] = Some(a);
            }
        }
    }
    let unplaced = (0..edition.articles.len()).filter(|&i| !used[i]).collect();
    Ok(Plan { articles, unplaced })
}

/// A column the body text can fill.
#[derive(Debug, Clone)]
struct Slot {
    page: usize,
    x: f32,
    /// Measure in pt.
    measure: f32,
    /// Grid lines, 1-based inclusive.
    first_line: u32,
    last_line: u32,
    module: usize,
    column: usize,
}

impl Slot {
    fn capacity(&self) -> u32 {
        if self.last_line < self.first_line {
            0
        } else {
            self.last_line - self.first_line + 1
        }
    }
}

/// Where an article's body text stands: paragraph and byte offset in it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Cursor {
    paragraph: usize,
    offset: usize,
    /// Lines of the credit already set (a long one may span columns).
    credit_lines: usize,
}

struct Composer<'a> {
    layout: &'a Layout,
    db: &'a FontDb,
    /// Glyph ink boxes for the frame check.
    inks: frames::InkCache,
    shaper: ShaperCell<'a>,
    edition: &'a Edition,
    styles: Styles<'a>,
    pages: Vec<Page>,
    report: FitReport,
    /// (article or 0, element, byte) of every missing glyph reported, so a
    /// text set twice (a measured headline, a repeated running header) is
    /// reported once.
    reported_missing: std::collections::HashSet<(usize, String, usize)>,
    /// Paragraphs shaped and broken ahead, by (article, paragraph, measure bits).
    prebroken: prebreak::Prebroken,
    /// Lines of a paragraph cut at the end of the last column filled.
    leftover: Option<lines::Leftover>,
    /// Headline lines the last headline block could not set.
    headline_overset: u32,
    /// Where finished pages go when composing for a streaming back end.
    sink: Option<PageSink<'a>>,
    /// Pages before this index are finished and handed to the sink.
    handed_off: usize,
}

/// Receives each page, in order, as soon as composition has moved past it.
pub type PageSink<'a> = Box<dyn FnMut(Page) + 'a>;

fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in parts {
        for b in part.iter() {
            h ^= *b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Compose the edition on the layout.
pub fn compose(
    edition: &Edition,
    layout: &Layout,
    db: &FontDb,
) -> Result<Composition, LayoutError> {
    compose_streaming(edition, layout, db, None)
}

/// [`compose`], handing each page to `sink` as soon as it is finished, in
/// page order, so a back end can draw one page while the next is composed.
/// With a sink the returned composition has no pages: they went to the sink.
pub fn compose_streaming<'a>(
    edition: &'a Edition,
    layout: &'a Layout,
    db: &'a FontDb,
    sink: Option<PageSink<'a>>,
) -> Result<Composition, LayoutError> {
    let styles = resolve_all(layout, db)?;
    let plan = plan(edition, layout)?;
    let mut c = Composer {
        layout,
        db,
        inks: Default::default(),
        shaper: ShaperCell::new(crate::text::Shaper::new(db)),
        edition,
        styles,
        pages: Vec::new(),
        report: FitReport::default(),
        reported_missing: Default::default(),
        prebroken: Default::default(),
        leftover: None,
        headline_overset: 0,
        sink,
        handed_off: 0,
    };
    let jobs = c.prebreak_jobs(&plan);
    let (prebroken, batches, send) = prebreak::plan(edition, &jobs);
    c.prebroken = prebroken;
    let body = prebreak::BodyStyle {
        body: c.styles.body.chain.clone(),
        dateline: c.styles.dateline.chain.clone(),
        settings: c.styles.body.style.paragraph.clone(),
    };
    // A short edition fits in the channel: break it all first, without a
    // thread of its own (a spawn costs more than a page of paragraphs).
    if batches.len() <= prebreak::BATCHES_AHEAD {
        prebreak::run(edition, db, &body, batches, send);
        return c.set_all(&plan);
    }
    // Paragraphs are shaped and broken on the pool while the composer deals
    // those already done. Should composition stop early, dropping the
    // composer closes the channel and the producer stops too.
    std::thread::scope(|scope| {
        scope.spawn(move || prebreak::run(edition, db, &body, batches, send));
        c.set_all(&plan)
    })
}

impl<'a> Composer<'a> {
    /// Set the planned modules, then flow the unplaced articles.
    fn set_all(mut self, plan: &Plan) -> Result<Composition, LayoutError> {
        let t0 = std::time::Instant::now();
        let (layout, edition) = (self.layout, self.edition);
        let c = &mut self;
        for (pi, spec) in layout.pages.iter().enumerate() {
            c.new_page(pi, &spec.section);
        }
        // Planned modules, in page and module order; continuations are set when
        // their source runs over.
        let mut continued_into: Vec<Vec<Option<Cursor>>> = layout
            .pages
            .iter()
            .map(|p| vec![None; p.modules.len()])
            .collect();
        for (pi, spec) in layout.pages.iter().enumerate() {
            for (mi, m) in spec.modules.iter().enumerate() {
                let Some(article) = plan.articles[pi][mi] else {
                    match &m.placeholder {
                        Some(label) => c.placeholder(pi, mi, m, label),
                        None => c.empty_module(pi, mi, m),
                    }
                    continue;
                };
                let cursor = match (&m.article, continued_into[pi][mi]) {
                    (Some(_), _) => Cursor::default(),
                    (None, Some(cursor)) => cursor,
                    // A continuation target whose source fitted: nothing to set.
                    (None, None) => {
                        c.empty_module(pi, mi, m);
                        continue;
                    }
                };
                let rest = c.set_module(pi, mi, m, article, cursor);
                if let (Some(rest), Some(to)) = (rest, m.continue_to) {
                    continued_into[to.page - 1][to.module - 1] = Some(rest);
                }
            }
        }
        // Automatic flow only adds pages after the planned ones.
        c.hand_off(layout.pages.len());
        c.flow_unplaced(&plan.unplaced)?;
        if std::env::var_os("BROADSHEET_STAGE_TIMES").is_some() {
            eprintln!("  composed {:>8.1} ms", t0.elapsed().as_secs_f64() * 1000.0);
        }
        c.hand_off(c.pages.len());
        let pages = if self.sink.is_some() {
            Vec::new()
        } else {
            self.pages
        };
        Ok(Composition {
            info: document_info(edition, layout),
            pages,
            report: self.report,
        })
    }
}

/// Title, fingerprint and date of the edition.
fn document_info(edition: &Edition, layout: &Layout) -> DocumentInfo {
    let fingerprint = {
        let mut parts: Vec<&[u8]> = vec![layout.text.as_bytes()];
        for a in &edition.articles {
            parts.push(
                a.headline
                    .iter()
                    .map(|s| s.as_bytes())
                    .next()
                    .unwrap_or(b""),
            );
            for p in &a.paragraphs {
                parts.push(p.as_bytes());
            }
        }
        format!("{:016x}", fnv1a(&parts))
    };
    DocumentInfo {
        title: format!("{} {}", layout.paper.name, layout.paper.date)
            .trim()
            .to_string(),
        fingerprint,
        date: layout.paper.iso_date.clone(),
    }
}

impl<'a> Composer<'a> {
    /// Every paragraph with the measure it will most likely be set at (its
    /// first module's body columns, or one grid column when flowed
    /// automatically), in the order composition will set them: planned
    /// modules page by page, then the articles flowed automatically.
    fn prebreak_jobs(&self, plan: &Plan) -> Vec<prebreak::Job> {
        let mut order: Vec<(usize, f32)> = Vec::new();
        let mut seen = vec![false; self.edition.articles.len()];
        for (pi, page) in self.layout.pages.iter().enumerate() {
            for (mi, m) in page.modules.iter().enumerate() {
                if let (Some(a), Some(_)) = (plan.articles[pi][mi], &m.article) {
                    if let Some(&(_, measure)) = self.body_columns(m).first() {
                        if !seen[a] {
                            seen[a] = true;
                            order.push((a, measure));
                        }
                    }
                }
            }
        }
        for &a in &plan.unplaced {
            if !seen[a] {
                seen[a] = true;
                order.push((a, self.grid().column_width()));
            }
        }
        order
            .into_iter()
            .flat_map(|(a, m)| {
                (0..self.edition.articles[a].paragraphs.len()).map(move |p| (a, p, m))
            })
            .collect()
    }

    /// A page still being composed. Touching a page already handed to the
    /// sink would lose what is added, so it is a bug and stops here.
    fn page_mut(&mut self, index: usize) -> &mut Page {
        assert!(
            index >= self.handed_off,
            "page {} was changed after it was finished",
            index + 1
        );
        &mut self.pages[index]
    }

    /// Pages before `upto` are finished: give them to the sink, if any.
    fn hand_off(&mut self, upto: usize) {
        // Finished pages get the frame check before anyone sees them.
        let overhang = if self.layout.styles.body.paragraph.hanging {
            self.layout.grid.body_size
        } else {
            0.0
        };
        for i in self.handed_off..upto.min(self.pages.len()) {
            let found = frames::check_page(
                &mut self.pages[i],
                self.layout,
                self.edition,
                overhang,
                (self.db, &mut self.inks),
            );
            self.report.outside_frame.extend(found);
        }
        let Some(sink) = self.sink.as_mut() else {
            self.handed_off = self.handed_off.max(upto);
            return;
        };
        while self.handed_off < upto.min(self.pages.len()) {
            let done = &mut self.pages[self.handed_off];
            let page = Page {
                modules: std::mem::take(&mut done.modules),
                items: std::mem::take(&mut done.items),
                ..done.clone()
            };
            sink(page);
            self.handed_off += 1;
        }
    }

    fn grid(&self) -> &'a crate::layout::Grid {
        &self.layout.grid
    }

    fn new_page(&mut self, index: usize, section: &str) {
        let l = self.layout;
        let g = &l.grid;
        let mut page = Page {
            number: index as u32 + 1,
            width: l.page.width,
            height: l.page.height,
            bleed: l.page.bleed,
            crop_marks: l.page.crop_marks,
            grid: BaselineGrid {
                first: g.baseline(1),
                pitch: g.pitch,
                lines: g.lines,
            },
            modules: Vec::new(),
            items: Vec::new(),
        };
        let mut shown = Vec::new();
        if index == 0 {
            furniture::masthead(&mut page, l, &self.styles, &self.shaper, &mut shown);
        } else {
            let key = format!("pages[{}].section", index + 1);
            let section = (section, key.as_str());
            furniture::running_header(
                &mut page,
                l,
                &self.styles,
                &self.shaper,
                section,
                &mut shown,
            );
        }
        self.pages.push(page);
        for (shaped, keys) in shown {
            for m in &shaped.missing {
                let key = keys
                    .iter()
                    .rev()
                    .find(|(start, _)| *start <= m.byte)
                    .map_or("styles.running_header", |(_, k)| k.as_str());
                let one = crate::text::ShapedText {
                    missing: vec![m.clone()],
                    ..Default::default()
                };
                self.note_missing_in(None, 0, key, 0, &one);
            }
        }
    }

    fn rule(&mut self, page: usize, role: Role, x0: f32, y0: f32, x1: f32, y1: f32) {
        let width = self.layout.rule_width;
        self.page_mut(page).items.push(Item::Rule(Rule {
            role,
            x0,
            y0,
            x1,
            y1,
            width,
            color: Cmyk::BLACK,
        }));
    }

    /// Geometry of a planned module.
    fn module_box(&self, m: &ModuleSpec) -> (f32, f32, f32, f32) {
        let g = self.grid();
        let x0 = g.column_x(m.columns.0 - 1);
        let x1 = g.column_x(m.columns.1 - 1) + g.column_width();
        let y0 = g.line_top(m.lines.0);
        let y1 = g.line_top(m.lines.1) + g.pitch;
        (x0, y0, x1, y1)
    }

    fn empty_module(&mut self, pi: usize, mi: usize, m: &ModuleSpec) {
        let (x0, y0, x1, y1) = self.module_box(m);
        self.page_mut(pi).modules.push(ModuleFrame {
            name: format!("page {} module {} (empty)", pi + 1, mi + 1),
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
            columns: Vec::new(),
        });
    }

    /// A reserved picture or advertisement space: a tinted frame with its
    /// label in the middle.
    fn placeholder(&mut self, pi: usize, mi: usize, m: &ModuleSpec, label: &str) {
        let g = self.grid();
        let (x0, y0, x1, mut y1) = self.module_box(m);
        if m.lines.1 < g.lines {
            // Keep the blank last line like every module above another.
            y1 -= g.pitch;
        }
        let stroke_width = self.layout.rule_width;
        self.page_mut(pi).items.push(Item::Rect(Rect {
            role: Role::Placeholder,
            x: x0,
            y: y0 + g.pitch / 2.0,
            width: x1 - x0,
            height: y1 - y0 - g.pitch / 2.0,
            fill: Some(Cmyk(0.0, 0.0, 0.0, 12.0)),
            stroke: Some(Cmyk::BLACK),
            stroke_width,
        }));
        let style = self.styles.continuation_headline.clone();
        let block = set_block(label, &style, x1 - x0, &self.shaper);
        if let Some(bl) = block.first() {
            let key = format!("pages[{}].modules[{}].placeholder", pi + 1, mi + 1);
            let shaped = bl.shaped.clone();
            self.note_missing_in(None, 0, &key, 0, &shaped);
            let off = lines::align_offset(crate::paragraph::Align::Center, x1 - x0, bl.line.width);
            let baseline = (y0 + y1) / 2.0 + style.chain.size * 0.38;
            let items = line_runs(
                &bl.shaped.text,
                &bl.line,
                x0 + off,
                baseline,
                style.style.color,
                Role::Placeholder,
                None,
                Some(mi),
                None,
                None,
            );
            self.page_mut(pi).items.extend(items);
        }
        self.page_mut(pi).modules.push(ModuleFrame {
            name: format!("page {} module {} ({label})", pi + 1, mi + 1),
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
            columns: Vec::new(),
        });
    }

    /// Body columns of a module: (x, measure in pt).
    fn body_columns(&self, m: &ModuleSpec) -> Vec<(f32, f32)> {
        let g = self.grid();
        let span = m.columns.1 - m.columns.0 + 1;
        let x0 = g.column_x(m.columns.0 - 1);
        if m.body_columns == span {
            return (0..span)
                .map(|c| (g.column_x(m.columns.0 - 1 + c), g.column_width()))
                .collect();
        }
        // 破栏: equal whole-character columns; the remainder widens the gutters.
        let k = m.body_columns;
        let total = g.span_chars(span);
        let chars = g
            .body_column_chars(span, k)
            .expect("layout::resolve_module refuses body_columns whose gutters exceed the span");
        let gutter = if k > 1 {
            (total - k * chars) as f32 * g.body_size / (k - 1) as f32
        } else {
            0.0
        };
        let measure = chars as f32 * g.body_size;
        (0..k)
            .map(|c| (x0 + c as f32 * (measure + gutter), measure))
            .collect()
    }

    /// Set an article (or the rest of one) into a planned module. Returns
    /// where the text stands if it did not all fit.
    fn set_module(
        &mut self,
        pi: usize,
        mi: usize,
        m: &ModuleSpec,
        article: usize,
        cursor: Cursor,
    ) -> Option<Cursor> {
        let g = self.grid();
        let (x0, y0, x1, y1) = self.module_box(m);
        let a = &self.edition.articles[article];
        let continuation = m.article.is_none();
        let head_width = g.span_chars(m.headline_columns) as f32 * g.body_size;
        let top_line = m.lines.0;
        let head_lines = if continuation {
            let key = format!(
                "pages[{}].modules[{}].continuation_headline",
                pi + 1,
                mi + 1
            );
            let (text, key) = match &m.continuation_headline {
                Some(t) => (t.clone(), Some(key.as_str())),
                None => (a.headline.concat(), None),
            };
            self.continuation_head(pi, article, &text, x0, m.lines, head_width, mi, key)
        } else {
            self.headline_block(pi, mi, article, x0, m.lines, head_width, m.headline_size)
        };
        let headline_overset = if continuation {
            0
        } else {
            self.headline_overset
        };
        // Leave a blank grid line at the bottom for the rule when another
        // module follows below.
        let bottom_line = if m.lines.1 < g.lines && m.lines.1 > m.lines.0 {
            m.lines.1 - 1
        } else {
            m.lines.1
        };
        let head_right = x0 + head_width + 0.01;
        let mut slots: Vec<Slot> = self
            .body_columns(m)
            .into_iter()
            .enumerate()
            .map(|(ci, (x, measure))| Slot {
                page: pi,
                x,
                measure,
                first_line: if x < head_right {
                    top_line + head_lines
                } else {
                    top_line
                },
                last_line: bottom_line,
                module: mi,
                column: ci,
            })
            .collect();
        let available: u32 = slots.iter().map(Slot::capacity).sum();
        let continues_to_page = m.continue_to.map(|c| c.page as u32);
        if continuation {
            // The first body line says where the text comes from.
            if let Some(first) = slots.iter_mut().find(|s| s.capacity() > 0) {
                let from = self.continued_from_page(pi, mi);
                let text = format!("（上接第{from}版）");
                let (x, measure, line) = (first.x, first.measure, first.first_line);
                first.first_line += 1;
                self.jump_line(pi, mi, article, &text, x, measure, line, false);
            }
        }
        let reserve_jump = continues_to_page.is_some();
        let outcome = self.fill_slots(article, cursor, &mut slots, reserve_jump);
        let (set, rest) = outcome;
        let overset = headline_overset
            + match rest {
                Some(r) => self.count_remaining_lines(
                    article,
                    r,
                    slots.last().map_or(g.column_width(), |s| s.measure),
                ),
                None => 0,
            };
        if let (Some(_), Some(page)) = (rest, continues_to_page) {
            if let Some(last) = slots.last() {
                let text = format!("（下转第{page}版）");
                self.jump_line(
                    pi,
                    mi,
                    article,
                    &text,
                    last.x,
                    last.measure,
                    last.last_line,
                    true,
                );
            }
        }
        let frame_columns: Vec<(f32, f32)> = self.body_columns(m);
        // Column rules in the middle of the gutters between body columns.
        if self.layout.column_rules {
            for pair in frame_columns.windows(2) {
                let x = (pair[0].0 + pair[0].1 + pair[1].0) / 2.0;
                let top = g.line_top(
                    top_line
                        + if pair[1].0 < head_right {
                            head_lines
                        } else {
                            0
                        },
                );
                let bottom = g.line_top(bottom_line) + g.pitch;
                self.rule(pi, Role::ColumnRule, x, top, x, bottom);
            }
        }
        // Rules between modules: below and to the right when something can follow.
        if m.lines.1 < g.lines {
            let y = g.line_top(m.lines.1) + g.pitch / 2.0;
            self.rule(pi, Role::ModuleRule, x0, y, x1, y);
        }
        if m.columns.1 < g.columns {
            let x = x1 + g.gutter() / 2.0;
            self.rule(pi, Role::ModuleRule, x, y0, x, y1);
        }
        if m.boxed {
            let stroke_width = self.layout.rule_width;
            self.page_mut(pi).items.push(Item::Rect(Rect {
                role: Role::ModuleRule,
                x: x0 - g.body_size / 2.0,
                y: y0,
                width: x1 - x0 + g.body_size,
                height: y1 - y0,
                fill: None,
                stroke: Some(Cmyk::BLACK),
                stroke_width,
            }));
        }
        let continued = rest.is_some() && continues_to_page.is_some() && headline_overset == 0;
        if overset > 0 && !continued {
            self.overset_mark(pi, x0, y0, x1, y1, overset);
        }
        let used = set + u32::from(continued) + u32::from(continuation);
        let avail = available;
        self.report.modules.push(ModuleFit {
            page: pi as u32 + 1,
            module: mi + 1,
            article: article + 1,
            headline: a.headline.concat(),
            lines_set: used.min(avail),
            lines_available: avail,
            overset,
            continued,
            continued_on: if continued { continues_to_page } else { None },
            empty: avail.saturating_sub(used),
        });
        self.page_mut(pi).modules.push(ModuleFrame {
            name: format!("page {} module {} article {}", pi + 1, mi + 1, article + 1),
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
            columns: frame_columns,
        });
        rest
    }

    fn continued_from_page(&self, pi: usize, mi: usize) -> usize {
        for (spi, p) in self.layout.pages.iter().enumerate() {
            for m in &p.modules {
                if m.continue_to
                    .is_some_and(|c| c.page == pi + 1 && c.module == mi + 1)
                {
                    return spi + 1;
                }
            }
        }
        pi + 1
    }

    fn overset_mark(&mut self, pi: usize, x0: f32, y0: f32, x1: f32, y1: f32, lines: u32) {
        // Magenta frame and a note: visible on proofs, and the report
        // already failed the build unless overset was allowed.
        let magenta = Cmyk(0.0, 100.0, 0.0, 0.0);
        self.page_mut(pi).items.push(Item::Rect(Rect {
            role: Role::OversetMark,
            x: x0 - 2.0,
            y: y0 - 2.0,
            width: x1 - x0 + 4.0,
            height: y1 - y0 + 4.0,
            fill: None,
            stroke: Some(magenta),
            stroke_width: 2.0,
        }));
        let size = self.grid().body_size;
        let text = format!("超版 {lines} 行 OVERSET");
        let style = self.styles.jump.clone();
        let runs = set_block(&text, &style, x1 - x0, &self.shaper);
        if let Some(line) = runs.first() {
            let mut items = line_runs(
                &line.shaped.text,
                &line.line,
                x0,
                y1 - size * 0.3,
                magenta,
                Role::OversetMark,
                None,
                None,
                None,
                None,
            );
            self.page_mut(pi).items.append(&mut items);
        }
    }

    /// Flow articles no module names into whole columns of new pages.
    fn flow_unplaced(&mut self, unplaced: &[usize]) -> Result<(), LayoutError> {
        if unplaced.is_empty() {
            return Ok(());
        }
        let g = self.grid();
        let mut page = if self.pages.is_empty() {
            self.new_auto_page(0, "要闻");
            0
        } else {
            let n = self.pages.len();
            self.new_auto_page(n, "");
            n
        };
        let mut column = 0u32;
        let mut line = self.auto_first_line(page);
        for (n, &article) in unplaced.iter().enumerate() {
            let a = &self.edition.articles[article];
            let size = Some(self.auto_headline_size(a.level));
            // Start a headline only where it and a few body lines fit.
            let head_lines = self.measure_headline(article, g.column_width(), size);
            if line + head_lines + 3 > g.lines {
                self.next_column(&mut page, &mut column)?;
                line = self.auto_first_line(page);
            }
            let start_page = page;
            // Each column segment of the article is a frame of its own, so
            // the frames of articles sharing a column never overlap.
            let mut frame = self.auto_frame(page, column, line, article);
            self.headline_block(
                page,
                frame,
                article,
                g.column_x(column),
                (line, g.lines),
                g.column_width(),
                size,
            );
            let headline_overset = self.headline_overset;
            let mut cursor = Cursor::default();
            let mut start = line + head_lines;
            let mut set_total = 0;
            loop {
                let mut slots = vec![Slot {
                    page,
                    x: g.column_x(column),
                    measure: g.column_width(),
                    first_line: start,
                    last_line: g.lines,
                    module: frame,
                    column: 0,
                }];
                let (set, rest) = self.fill_slots(article, cursor, &mut slots, false);
                set_total += set;
                let end_line = (start + set).min(g.lines + 1);
                let frame_box = &mut self.page_mut(page).modules[frame];
                frame_box.height = g.line_top(end_line) - frame_box.y;
                match rest {
                    None => {
                        line = start + set + 1;
                        break;
                    }
                    Some(r) => {
                        cursor = r;
                        self.next_column(&mut page, &mut column)?;
                        start = self.auto_first_line(page);
                        frame = self.auto_frame(page, column, start, article);
                    }
                }
            }
            // A rule under the article across its column.
            if line <= g.lines {
                let y = g.line_top(line - 1) + g.pitch / 2.0;
                let x = g.column_x(column);
                self.rule(page, Role::ModuleRule, x, y, x + g.column_width(), y);
            }
            self.report.modules.push(ModuleFit {
                page: start_page as u32 + 1,
                module: n + 1,
                article: article + 1,
                headline: a.headline.concat(),
                lines_set: set_total,
                lines_available: set_total,
                overset: headline_overset,
                continued: page != start_page && headline_overset == 0,
                continued_on: None,
                empty: 0,
            });
        }
        Ok(())
    }

    /// A page of automatic flow, with its column rules.
    fn new_auto_page(&mut self, index: usize, section: &str) {
        self.new_page(index, section);
        if !self.layout.column_rules {
            return;
        }
        let g = self.grid();
        let top = g.line_top(self.auto_first_line(index));
        let bottom = g.line_top(g.lines) + g.pitch;
        for c in 1..g.columns {
            let x = g.column_x(c) - g.gutter() / 2.0;
            self.rule(index, Role::ColumnRule, x, top, x, bottom);
        }
    }

    /// First grid line automatic flow uses on a page: below the masthead
    /// on page 1.
    fn auto_first_line(&self, page: usize) -> u32 {
        if page == 0 {
            self.layout.masthead_lines + 1
        } else {
            1
        }
    }

    /// Move automatic flow to the next column, on a new page after the last.
    fn next_column(&mut self, page: &mut usize, column: &mut u32) -> Result<(), LayoutError> {
        *column += 1;
        if *column >= self.grid().columns {
            let n = self.pages.len();
            self.page_limit(n)?;
            self.hand_off(n);
            self.new_auto_page(n, "");
            *page = n;
            *column = 0;
        }
        Ok(())
    }

    /// Refuse to run away: an article file that would need more pages than
    /// any edition has is almost certainly a wrong grid or a wrong file.
    fn page_limit(&self, pages: usize) -> Result<(), LayoutError> {
        if pages >= MAX_AUTO_PAGES {
            return Err(self.layout.locator().error(
                0..0,
                format!("the articles need more than {MAX_AUTO_PAGES} pages on this grid; stopped"),
                Some("check the grid (columns, column_chars, page size) and that the right article file was given".into()),
            ));
        }
        Ok(())
    }

    /// A frame for one column segment of an automatically flowed article;
    /// its height is set once the segment is filled.
    fn auto_frame(&mut self, page: usize, column: u32, first_line: u32, article: usize) -> usize {
        let g = self.grid();
        let frames = &mut self.page_mut(page).modules;
        frames.push(ModuleFrame {
            name: format!(
                "page {} column {} article {} (automatic)",
                page + 1,
                column + 1,
                article + 1
            ),
            x: g.column_x(column),
            y: g.line_top(first_line),
            width: g.column_width(),
            height: 0.0,
            columns: vec![(g.column_x(column), g.column_width())],
        });
        frames.len() - 1
    }

    fn auto_headline_size(&self, level: u8) -> f32 {
        let s = self.layout.styles.level(level).headline.size;
        s.min(18.0)
    }
}
