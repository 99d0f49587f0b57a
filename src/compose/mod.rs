//! Compose stage: [`Edition`] + [`Layout`] → display-list [`Page`]s and a
//! [`FitReport`].
//!
//! Each article becomes a stream of lines (headline block, then body lines
//! broken once per measure) that is dealt into column slots top to bottom,
//! left to right. A slot running out mid-paragraph is a mid-sentence column
//! or page break: the rest of the paragraph is broken again at the next
//! slot's measure, without the first-line indent. Modules named in the
//! layout get fixed slots; every other article is made up, in source order,
//! into modular pages after the planned ones (`auto`; or flowed down whole
//! columns with `[auto] flow = "galley"`).
//!
//! Paragraphs are shaped and broken ahead, on the thread pool, in the order
//! they will be dealt (`prebreak`); with [`compose_streaming`] each page goes
//! to the back end as soon as composition has moved past it.
//!
//! Two steps: [`bind`] finds every style's fonts and every module's article
//! and is the only one that fails (a layout error at file:line:col); [`set`]
//! composes the bound [`Plan`] and reports, in the [`FitReport`], what did
//! not fit. By file: `bind` (fonts, articles to modules), `module` (planned
//! modules), `auto` (automatic make-up), `flow` (galley flow), `fill` (dealing body lines into
//! column slots), `headline` (headline blocks and jump lines), `runs`
//! (broken lines → glyph runs), `transpose` (vertical pages), `pages` (new pages, the hand-off of finished
//! ones), `furniture` (masthead, running header), `frames` (the frame
//! check), `prebreak` (breaking ahead), `report` (the fit report),
//! `pictures` (an article's pictures, effective resolution), `captions`
//! (captions and picture credits), `media_modules` (picture and ad
//! modules), `elements` (小标题 and 引语 among the body lines).

mod auto;
mod balance;
mod bind;
mod boxes;
mod captions;
mod copyfit;
mod elements;
mod fill;
mod flow;
mod frames;
mod furniture;
mod headline;
mod inline;
mod makeup;
mod media_modules;
mod module;
mod pages;
mod pictures;
mod prebreak;
mod report;
mod rubric;
mod runs;
mod transpose;
mod vertical;

use crate::display::{DocumentInfo, Page};
use crate::fonts::FontDb;
use crate::layout::{Layout, LayoutError};
use crate::media::Library;
use crate::source::Edition;

use bind::{Assignment, Styles};
use fill::Cursor;
use runs::ShaperCell;

pub use auto::{MakeupModule, MakeupPage};
pub use bind::{article_locales, bind, check, unplanned_articles, Plan};
pub use flow::MAX_AUTO_PAGES;
pub use pictures::{PictureFit, MIN_PPI, WARN_PPI};
pub use report::{
    Amount, Cause, Copyfit, Cure, CureKind, FitReport, FlowStopped, HeadFit, JsonReport,
    MissingGlyph, ModuleFit, OutsideFrame, SourceLine,
};
pub use runs::{line_runs, BlockLine, Owner, Paint, Placement};

/// Float noise allowed when comparing positions and measures, pt.
const EPSILON_PT: f32 = 0.01;
/// Fraction of a grid line ignored when counting the lines a block takes,
/// so float noise never costs a whole line.
const GRID_SNAP: f32 = 0.01;
/// Height of the em box above the baseline, in em (ideographic fonts put
/// the baseline at 0.88 em of the 1 em body).
const ASCENT_EM: f32 = 0.88;
/// Depth of the em box below the baseline, in em.
const DESCENT_EM: f32 = 0.12;

/// The result of composition.
#[derive(Debug, Clone)]
pub struct Composition {
    /// Title, fingerprint and date for the document's metadata.
    pub info: DocumentInfo,
    /// The pages; empty when they went to a sink.
    pub pages: Vec<Page>,
    /// How the text fitted.
    pub report: FitReport,
    /// Wall time spent setting the pages, for profiling (a build's observer
    /// reports it as the `composed` mark); never part of the output.
    pub composed_in: std::time::Duration,
}

/// The state of one composition: pages being made, the report, and what
/// is carried from one module or column to the next.
struct Composer<'a> {
    layout: &'a Layout,
    db: &'a FontDb,
    /// Glyph ink boxes for the frame check.
    inks: frames::InkCache,
    shaper: ShaperCell<'a>,
    edition: &'a Edition,
    /// The pictures and ads the edition and the layout name, loaded.
    library: &'a Library,
    styles: Styles<'a>,
    /// Each article's locale ([`bind::article_locales`]).
    locales: Vec<crate::fonts::Locale>,
    /// The fonts and rules of body paragraphs, shared with the pass that
    /// breaks them ahead.
    body_style: std::sync::Arc<inline::BodyStyle>,
    pages: Vec<Page>,
    report: FitReport,
    /// (article or 0, element, byte) of every missing glyph reported, so a
    /// text set twice (a measured headline, a repeated running header) is
    /// reported once.
    reported_missing: std::collections::HashSet<(usize, String, usize)>,
    /// Paragraphs shaped and broken ahead, by (article, paragraph, measure bits).
    prebroken: prebreak::Prebroken,
    /// Lines of a paragraph cut at the end of the last column filled.
    leftover: Option<fill::Leftover>,
    /// Headline lines the last headline block could not set.
    headline_overset: u32,
    /// Display texts already broken by meaning (see `display_set`).
    display_sets:
        std::cell::RefCell<std::collections::HashMap<headline::DisplayKey, runs::DisplaySet>>,
    /// Where finished pages go when composing for a streaming back end.
    sink: Option<PageSink<'a>>,
    /// Setting a module automatic make-up chose: its headline keeps the
    /// size the table gave it (sizes fall with rank), so the copyfit
    /// ladder does not step it.
    making_up: bool,
    /// Pages before this index are finished and handed to the sink.
    handed_off: usize,
    /// Pull quotes set across their module, waiting for the text to
    /// reach them (see `elements`).
    lifted: Vec<elements::Lifted>,
    /// (article, paragraph) of every pull quote set across its module.
    lifted_quotes: std::collections::HashSet<(usize, usize)>,
    /// Vertical forms of the characters met on vertical pages.
    forms: transpose::Forms,
}

/// Receives each page, in order, as soon as composition has moved past it.
pub type PageSink<'a> = Box<dyn FnMut(Page) + 'a>;

/// FNV-1a over the parts, each closed by a separator byte.
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

/// Compose the edition on the layout: [`bind`], then [`set`]. No picture
/// is loaded: an article's pictures and the layout's picture and ad
/// modules are left out with a warning ([`compose_with_media`] places them).
pub fn compose(
    edition: &Edition,
    layout: &Layout,
    db: &FontDb,
) -> Result<Composition, LayoutError> {
    compose_streaming(edition, layout, db, bind::no_media(), None)
}

/// [`compose`] with the pictures and ads loaded in `library`.
pub fn compose_with_media(
    edition: &Edition,
    layout: &Layout,
    db: &FontDb,
    library: &Library,
) -> Result<Composition, LayoutError> {
    compose_streaming(edition, layout, db, library, None)
}

/// [`compose`], handing each page to `sink` as soon as it is finished, in
/// page order, so a back end can draw one page while the next is composed.
/// With a sink the returned composition has no pages: they went to the sink.
/// Automatic flow stopped at the page limit is an error here, as a wrong
/// grid or article file is (exit 2), not a fit problem; so are a picture
/// below [`MIN_PPI`] (unless allowed) and an ad of the wrong shape, at the
/// article or layout line that named them.
pub fn compose_streaming<'a>(
    edition: &'a Edition,
    layout: &'a Layout,
    db: &'a FontDb,
    library: &'a Library,
    sink: Option<PageSink<'a>>,
) -> Result<Composition, LayoutError> {
    let plan = Plan {
        library,
        ..bind(edition, layout, db)?
    };
    let mut c = set(plan, sink);
    if let Some(e) = c.report.media_errors.drain(..).next() {
        return Err(e);
    }
    match c.report.flow_stopped {
        Some(_) => Err(flow::page_limit_error(layout)),
        None => Ok(c),
    }
}

/// Compose a bound plan. Cannot fail: lines that do not fit, characters no
/// font has, glyphs outside their frame and flow stopped at the page limit
/// are in the composition's [`FitReport`]. With a sink, pages go to it as
/// in [`compose_streaming`].
pub fn set<'a>(plan: Plan<'a>, sink: Option<PageSink<'a>>) -> Composition {
    let Plan {
        edition,
        layout,
        db,
        styles,
        assignment,
        locales,
        library,
    } = plan;
    let body_style = std::sync::Arc::new(inline::BodyStyle {
        body: styles.body.chain.clone(),
        dateline: styles.dateline.chain.clone(),
        emphasis: styles.emphasis.chain.clone(),
        lead: styles.lead.chain.clone(),
        settings: styles.body.style.paragraph.clone(),
        lead_settings: styles.lead.style.paragraph.clone(),
        locales: locales.clone(),
        upright_digits: layout
            .page
            .vertical
            .then_some(layout.text_settings.upright_digits),
    });
    // One set of parsed faces for the composer and the pool threads that
    // break paragraphs; the styles' faces are parsed side by side first,
    // rather than one after another when the composer first meets them.
    let faces = std::sync::Arc::new(crate::text::SharedFaces::new(db));
    faces.parse_ahead(styles.faces());
    let mut c = Composer {
        layout,
        db,
        inks: Default::default(),
        shaper: ShaperCell::new(body_style.shaper(&faces)),
        edition,
        library,
        styles,
        locales: locales.clone(),
        body_style: body_style.clone(),
        pages: Vec::new(),
        report: FitReport::default(),
        reported_missing: Default::default(),
        prebroken: Default::default(),
        leftover: None,
        headline_overset: 0,
        display_sets: Default::default(),
        sink,
        handed_off: 0,
        making_up: false,
        lifted: Vec::new(),
        lifted_quotes: Default::default(),
        forms: Default::default(),
    };
    let jobs = c.prebreak_jobs(&assignment);
    let (prebroken, batches, send) = prebreak::plan(edition, &jobs);
    c.prebroken = prebroken;
    let body = body_style;
    // A short edition fits in the channel: break it all first, without a
    // thread of its own (a spawn costs more than a page of paragraphs).
    if batches.len() <= prebreak::BATCHES_AHEAD {
        prebreak::run(edition, &faces, &body, batches, send);
        return c.set_all(&assignment);
    }
    // Paragraphs are shaped and broken on the pool while the composer deals
    // those already done. Should composition stop early, dropping the
    // composer closes the channel and the producer stops too.
    std::thread::scope(|scope| {
        scope.spawn(move || prebreak::run(edition, &faces, &body, batches, send));
        c.set_all(&assignment)
    })
}

impl<'a> Composer<'a> {
    /// A style as an article sets it: in the article's locale.
    fn article_style(&self, article: usize, r: &bind::Resolved<'a>) -> bind::Resolved<'a> {
        r.in_locale(self.locales[article], self.db)
    }

    /// Set the planned pages, in page and module order; a continuation is
    /// set when its source runs over.
    fn set_planned(&mut self, plan: &Assignment) {
        let layout = self.layout;
        for (pi, spec) in layout.pages.iter().enumerate() {
            self.new_page(pi, &spec.section);
        }
        let mut continued_into: Vec<Vec<Option<Cursor>>> = layout
            .pages
            .iter()
            .map(|p| vec![None; p.modules.len()])
            .collect();
        for (pi, spec) in layout.pages.iter().enumerate() {
            let mut placed = vec![None; spec.modules.len()];
            for mi in 0..spec.modules.len() {
                self.set_planned_module(pi, mi, plan, &mut continued_into, &mut placed);
            }
        }
    }

    /// Set the planned modules, then flow the unplaced articles.
    fn set_all(mut self, plan: &Assignment) -> Composition {
        let t0 = std::time::Instant::now();
        let (layout, edition) = (self.layout, self.edition);
        let c = &mut self;
        c.set_planned(plan);
        let left = c.make_up_planned(&plan.unplaced);
        // Automatic make-up and flow only add pages after the planned ones.
        c.hand_off(layout.pages.len());
        match layout.auto.flow {
            crate::layout::Flow::Modular => c.make_up_pages(left),
            crate::layout::Flow::Galley => c.flow_unplaced(&left.articles_left()),
        }
        let composed_in = t0.elapsed();
        c.hand_off(c.pages.len());
        let pages = if self.sink.is_some() {
            Vec::new()
        } else {
            self.pages
        };
        Composition {
            info: document_info(edition, layout),
            pages,
            report: self.report,
            composed_in,
        }
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
        language: layout.text_settings.locale,
        article_languages: bind::article_locales(edition, layout),
    }
}

impl<'a> Composer<'a> {
    /// Every paragraph with the measure it will most likely be set at (its
    /// first module's body columns, or one grid column when flowed
    /// automatically), in the order composition will set them: planned
    /// modules page by page, then the articles flowed automatically.
    fn prebreak_jobs(&self, plan: &Assignment) -> Vec<prebreak::Job> {
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
                (0..self.edition.articles[a].paragraphs.len()).map(move |p| prebreak::Job {
                    article: a,
                    paragraph: p,
                    measure: m,
                })
            })
            .collect()
    }
}
