//! `[[pages]]` → [`PageSpec`]s: each module checked against the grid and
//! the masthead, modules against each other, and continuations against the
//! whole plan.
//!
//! After this, composition may trust that modules lie on the grid, do not
//! overlap, and that every `continue_to` names a later, empty module and
//! ends.

use toml::Spanned;

use super::error::{LayoutError, Locator};
use super::limits::{
    num, Limit, MODULE_BODY_COLUMNS, MODULE_COLUMNS, MODULE_HEADLINE_COLUMNS, MODULE_HEADLINE_SIZE,
    MODULE_LINES, PAGES,
};
use super::model::{ArticleRef, ContinueTo, Grid, ModuleSpec, PageCredits, PageSpec};
use super::paper::folio_name;
use super::raw::{RawArticleRef, RawLineEnd, RawModule, RawPageSpec};

/// The fewest characters a body column may hold: as for a grid column,
/// fewer leave no room to set Chinese text by the line-breaking rules.
const MIN_BODY_COLUMN_CHARS: u32 = 4;

/// The word that leaves one end of a module's `lines` to composition.
const AUTO: &str = "auto";

/// How many modules a continuation chain is followed through before the
/// loop check stops looking: bounds the work on a pathological plan, as
/// each step searches the chain so far.
const MAX_CHAIN: usize = 10_000;

/// The page plan, every module and continuation checked.
pub(super) fn resolve_pages(
    raw: &[RawPageSpec],
    grid: &Grid,
    masthead_lines: u32,
    loc: &Locator,
) -> Result<Vec<PageSpec>, LayoutError> {
    if raw.len() as f64 > PAGES.max {
        return Err(loc.error(0..0, format!("more than {} pages planned", num(PAGES.max)), Some("a layout plans one edition; automatic flow adds pages for articles no module names".into())));
    }
    let mut pages = Vec::new();
    for (pi, p) in raw.iter().enumerate() {
        let mut modules = Vec::new();
        for m in &p.modules {
            modules.push(resolve_module(m, grid, loc, pi == 0, masthead_lines)?);
        }
        check_overlaps(&modules, loc, pi + 1)?;
        if p.auto {
            refuse_auto_lines(&modules, loc)?;
        }
        pages.push(PageSpec {
            section: p.section.clone().unwrap_or_default(),
            auto: p.auto,
            modules,
            credits: PageCredits {
                editor: folio_name(&p.editor, pi, "editor", loc)?,
                designer: folio_name(&p.designer, pi, "designer", loc)?,
                proofreader: folio_name(&p.proofreader, pi, "proofreader", loc)?,
            },
        });
    }
    check_continuations(raw, &pages, loc)?;
    Ok(pages)
}

/// One module: its area, headline and body columns, headline size and
/// article, each checked where it is written.
fn resolve_module(
    raw: &Spanned<RawModule>,
    grid: &Grid,
    loc: &Locator,
    first_page: bool,
    masthead_lines: u32,
) -> Result<ModuleSpec, LayoutError> {
    let m = raw.get_ref();
    let ([a, b], [top, bottom], ends) = module_area(m, grid, loc, first_page, masthead_lines)?;
    let span_cols = (b - a + 1) as u32;
    let vertical_headline = super::vertical::vertical_headline(m, span_cols, loc)?;
    let headline_columns = match &m.headline_columns {
        Some(h) => {
            let n = *h.get_ref();
            MODULE_HEADLINE_COLUMNS.check_within(
                loc,
                h.span(),
                None,
                n as f64,
                Some((span_cols.into(), "the module's columns")),
            )?;
            n as u32
        }
        None if vertical_headline.is_some() => 1,
        None => span_cols,
    };
    if vertical_headline.is_some() {
        super::vertical::check_strip(m, span_cols, loc)?;
    }
    let body_columns = match &m.body_columns {
        Some(h) => body_columns(h, span_cols, grid, loc)?,
        None => span_cols,
    };
    let headline_size = match &m.headline_size {
        Some(s) => {
            let v = s.get_ref().to_pt(grid.body_size, grid.pitch);
            MODULE_HEADLINE_SIZE.check(loc, s.span(), None, v.into())?;
            Some(v)
        }
        None => None,
    };
    let media = super::media::resolve_media(m, headline_columns, loc)?;
    let boxing =
        super::boxes::resolve_boxing(m.boxed.as_ref(), m.tint.as_ref(), m.padding.as_ref(), loc)?;
    super::boxes::check_padding_room(
        grid,
        (b - a + 1) as u32,
        body_columns,
        (&boxing, m.padding.as_ref()),
        loc,
    )?;
    Ok(ModuleSpec {
        picture_columns: media.picture_columns.unwrap_or(headline_columns),
        anchor: media.anchor,
        media: media.media,
        article: article_ref(m, loc)?,
        columns: (a as u32, b as u32),
        lines: (top as u32, bottom as u32),
        auto_top: ends.top.is_none(),
        auto_bottom: ends.bottom.is_none(),
        headline_columns,
        headline_size,
        vertical_headline,
        body_columns: if vertical_headline.is_some() {
            span_cols - headline_columns
        } else {
            body_columns
        },
        continue_to: m.continue_to.as_ref().map(|c| ContinueTo {
            page: c.get_ref().page.max(0) as usize,
            module: c.get_ref().module.max(0) as usize,
        }),
        continuation_headline: m.continuation_headline.clone(),
        boxed: boxing.rule.is_some(),
        boxing,
        placeholder: m.placeholder.clone(),
        span: raw.span(),
        lines_span: m.lines.span(),
        article_span: m.article.as_ref().map_or(raw.span(), |a| a.span()),
    })
}

/// The module's columns and lines, each pair within the grid and in order,
/// and below the masthead on page 1.
fn module_area(
    m: &RawModule,
    grid: &Grid,
    loc: &Locator,
    first_page: bool,
    masthead_lines: u32,
) -> Result<([i64; 2], [i64; 2], LineEnds), LayoutError> {
    // A range is one value to an editor: say what is wrong with the pair.
    let within = |limit: &Limit, ends: [i64; 2], max: u32| {
        let hi = limit.max.min(max.into());
        ends[0] <= ends[1] && ends.iter().all(|&e| (limit.min..=hi).contains(&(e as f64)))
    };
    let [a, b] = *m.columns.get_ref();
    if !within(&MODULE_COLUMNS, [a, b], grid.columns) {
        return Err(loc.error(
            m.columns.span(),
            format!(
                "{} [{a}, {b}] is outside the grid's {} columns",
                MODULE_COLUMNS.key, grid.columns
            ),
            Some(format!(
                "columns are numbered 1 to {}; write [first, last] with first ≤ last",
                grid.columns
            )),
        ));
    }
    let ends = line_ends(m, loc)?;
    let first_line = if first_page { masthead_lines + 1 } else { 1 };
    let top = ends.top.unwrap_or(i64::from(first_line));
    let bottom = ends.bottom.unwrap_or(i64::from(grid.lines));
    let shown = |e: Option<i64>| e.map_or("\"auto\"".to_string(), |l| l.to_string());
    let written = format!("[{}, {}]", shown(ends.top), shown(ends.bottom));
    if !within(&MODULE_LINES, [top, bottom], grid.lines) {
        return Err(loc.error(
            m.lines.span(),
            format!(
                "{} {written} is outside the grid's {} lines",
                MODULE_LINES.key, grid.lines
            ),
            Some(format!(
                "grid lines are numbered 1 to {}; write [first, last]",
                grid.lines
            )),
        ));
    }
    if first_page && masthead_lines > 0 && top as u32 <= masthead_lines {
        return Err(loc.error(
            m.lines.span(),
            format!("lines {written} overlap the masthead, which takes lines 1–{masthead_lines} of page 1"),
            Some(format!("start the module at line {} or lower furniture.masthead_lines", masthead_lines + 1)),
        ));
    }
    let boxed = [
        ("a placeholder", m.placeholder.is_some()),
        ("a picture module", m.picture.is_some()),
        ("an ad module", m.ad.is_some()),
    ];
    if let Some((what, _)) = boxed.iter().find(|(_, is)| ends.bottom.is_none() && *is) {
        return Err(loc.error(
            m.lines.span(),
            format!("{what} has no text to take its height from: its last line cannot be \"auto\""),
            Some("give the module's last grid line, e.g. lines = [\"auto\", 90]".into()),
        ));
    }
    Ok(([a, b], [top, bottom], ends))
}

/// A module's `lines` as written: each end a grid line, or `None` for
/// `"auto"`.
#[derive(Debug, Clone, Copy)]
struct LineEnds {
    top: Option<i64>,
    bottom: Option<i64>,
}

/// Read `lines`: `[first, last]`, `[first]` (= `[first, "auto"]`), either
/// end `"auto"`.
fn line_ends(m: &RawModule, loc: &Locator) -> Result<LineEnds, LayoutError> {
    let help = || {
        Some("write lines = [first, last] with grid line numbers; either end may be \"auto\" ([first, \"auto\"]: as tall as the text; [\"auto\", last]: below the modules above)".to_string())
    };
    let end = |e: &RawLineEnd| match e {
        RawLineEnd::Line(l) => Ok(Some(*l)),
        RawLineEnd::Word(w) if w == AUTO => Ok(None),
        RawLineEnd::Word(w) => Err(loc.error(
            m.lines.span(),
            format!("lines: \"{w}\" is neither a grid line number nor \"auto\""),
            help(),
        )),
    };
    match m.lines.get_ref().as_slice() {
        [first] => Ok(LineEnds {
            top: end(first)?,
            bottom: None,
        }),
        [first, last] => Ok(LineEnds {
            top: end(first)?,
            bottom: end(last)?,
        }),
        other => Err(loc.error(
            m.lines.span(),
            format!(
                "lines has {} values; it takes a first and a last grid line",
                other.len()
            ),
            help(),
        )),
    }
}

/// `body_columns` (破栏): within its limit, and each column wide enough
/// once the gutters between them are taken out.
fn body_columns(
    h: &Spanned<i64>,
    span_cols: u32,
    grid: &Grid,
    loc: &Locator,
) -> Result<u32, LayoutError> {
    let n = *h.get_ref();
    MODULE_BODY_COLUMNS.check_within(
        loc,
        h.span(),
        None,
        n as f64,
        Some(((span_cols * 2).into(), "twice the module's columns")),
    )?;
    let n = n as u32;
    let chars = grid.body_column_chars(span_cols, n);
    if chars.is_none_or(|c| c < MIN_BODY_COLUMN_CHARS) {
        let total = grid.span_chars(span_cols);
        let gutters = (n - 1) * grid.gutter_chars;
        return Err(loc.error(
            h.span(),
            match chars {
                Some(c) => format!("{n} body columns leave only {c} characters per line"),
                None => format!(
                    "{n} body columns need {gutters} characters of gutters ({} × gutter_chars = {}) but the module is only {total} characters wide",
                    n - 1,
                    grid.gutter_chars
                ),
            },
            Some(format!("each body column needs at least {MIN_BODY_COLUMN_CHARS} characters: use fewer body_columns, a wider module or a smaller gutter_chars")),
        ));
    }
    Ok(n)
}

/// The article a module names, if any; a placeholder names none.
fn article_ref(m: &RawModule, loc: &Locator) -> Result<Option<ArticleRef>, LayoutError> {
    if let (Some(_), Some(a)) = (&m.placeholder, &m.article) {
        return Err(loc.error(
            a.span(),
            "a module cannot both set an article and be a placeholder",
            Some("remove `article` or `placeholder`".into()),
        ));
    }
    Ok(match m.article.as_ref().map(|a| (a, a.get_ref())) {
        Some((a, RawArticleRef::Number(n))) if *n < 1 => {
            return Err(loc.error(
                a.span(),
                format!("article = {n}: articles are numbered from 1 in source order"),
                Some(
                    "give the article's number (1 for the first) or a part of its headline".into(),
                ),
            ))
        }
        Some((_, RawArticleRef::Number(n))) => Some(ArticleRef::Number(*n as usize)),
        Some((_, RawArticleRef::Headline(s))) => Some(ArticleRef::Headline(s.clone())),
        None => None,
    })
}

/// The fixed modules of an automatic page stand where written: make-up
/// tiles the area around them, so neither end of their lines is "auto".
fn refuse_auto_lines(modules: &[ModuleSpec], loc: &Locator) -> Result<(), LayoutError> {
    match modules.iter().find(|m| m.auto_top || m.auto_bottom) {
        Some(m) => Err(loc.error(
            m.lines_span.clone(),
            "a module of an automatic page (auto = true) needs fixed lines, not \"auto\"",
            Some("give its first and last grid lines; make-up fills the area around it".into()),
        )),
        None => Ok(()),
    }
}

/// The grid lines a module surely takes, as far as the layout says: a
/// top that stacks is placed by composition, a height from the text takes
/// at least its first line.
fn known_lines(m: &ModuleSpec) -> Option<(u32, u32)> {
    match (m.auto_top, m.auto_bottom) {
        (true, _) => None,
        (false, true) => Some((m.lines.0, m.lines.0)),
        (false, false) => Some(m.lines),
    }
}

/// Modules on one page may share an edge but no grid cell.
fn check_overlaps(modules: &[ModuleSpec], loc: &Locator, page: usize) -> Result<(), LayoutError> {
    for (i, a) in modules.iter().enumerate() {
        for b in &modules[..i] {
            let cols = a.columns.0 <= b.columns.1 && b.columns.0 <= a.columns.1;
            let (Some(la), Some(lb)) = (known_lines(a), known_lines(b)) else {
                continue;
            };
            let lines = la.0 <= lb.1 && lb.0 <= la.1;
            if cols && lines {
                return Err(loc.error(
                    a.lines_span.clone(),
                    format!(
                        "this module (columns {}–{}, lines {}–{}) overlaps another module on page {page} (columns {}–{}, lines {}–{})",
                        a.columns.0, a.columns.1, a.lines.0, a.lines.1, b.columns.0, b.columns.1, b.lines.0, b.lines.1
                    ),
                    Some("modules may share an edge but not grid cells; change `columns` or `lines`".into()),
                ));
            }
        }
    }
    Ok(())
}

/// Every `continue_to` of the plan names a valid target and its chain
/// ends; errors point at the `continue_to` as written.
fn check_continuations(
    raw: &[RawPageSpec],
    pages: &[PageSpec],
    loc: &Locator,
) -> Result<(), LayoutError> {
    for (pi, p) in pages.iter().enumerate() {
        for (mi, m) in p.modules.iter().enumerate() {
            let Some(c) = m.continue_to else { continue };
            let span = raw[pi].modules[mi]
                .get_ref()
                .continue_to
                .as_ref()
                .map_or(m.span.clone(), |c| c.span());
            let refuse = |message: String, help: Option<&str>| {
                loc.error(span.clone(), message, help.map(Into::into))
            };
            check_target(pages, (pi + 1, mi + 1), c, &refuse)?;
            check_chain_ends(pages, (pi + 1, mi + 1), c, &refuse)?;
        }
    }
    Ok(())
}

/// A continuation from module `from` (page, module) must name an existing
/// module later in reading order that is empty: no article, no
/// placeholder.
fn check_target(
    pages: &[PageSpec],
    from: (usize, usize),
    c: ContinueTo,
    refuse: &dyn Fn(String, Option<&str>) -> LayoutError,
) -> Result<(), LayoutError> {
    if c.page < 1 || c.page > pages.len() {
        return Err(refuse(
            format!(
                "continue_to names page {} but the layout has {} page(s)",
                c.page,
                pages.len()
            ),
            Some("add a [[pages]] entry for the continuation or fix the page number"),
        ));
    }
    let target_page = &pages[c.page - 1];
    if c.module < 1 || c.module > target_page.modules.len() {
        return Err(refuse(
            format!(
                "continue_to names module {} of page {} which has {} module(s)",
                c.module,
                c.page,
                target_page.modules.len()
            ),
            None,
        ));
    }
    if (c.page, c.module) == from {
        return Err(refuse("a module cannot continue into itself".into(), None));
    }
    if (c.page, c.module) < from {
        return Err(refuse(
            format!(
                "continue_to names page {} module {}, which comes before this module",
                c.page, c.module
            ),
            Some("text continues forward in reading order: on a later page, or later on this page"),
        ));
    }
    let target = &target_page.modules[c.module - 1];
    if target.media.is_some() {
        return Err(refuse(
            format!("continue_to names module {} of page {}, which holds a picture or an ad; the text would be set over it", c.module, c.page),
            Some("point continue_to at an empty module (no `article`, `placeholder`, `picture` or `ad`), or add one"),
        ));
    }
    if target.article.is_some() {
        return Err(refuse(
            format!("module {} of page {} already sets an article; a continuation target must have no `article`", c.module, c.page),
            None,
        ));
    }
    // The continuation would be set over the reserved picture.
    if let Some(label) = &target.placeholder {
        return Err(refuse(
            format!(
                "continue_to names module {} of page {}, which is reserved as a placeholder (`{label}`); the text would be set over it",
                c.module, c.page
            ),
            Some("point continue_to at an empty module (no `article`, no `placeholder`), or add one"),
        ));
    }
    Ok(())
}

/// Follow the chain from `from` to refuse loops (A → B → A).
fn check_chain_ends(
    pages: &[PageSpec],
    from: (usize, usize),
    c: ContinueTo,
    refuse: &dyn Fn(String, Option<&str>) -> LayoutError,
) -> Result<(), LayoutError> {
    let looped = || {
        refuse(
            "continuations form a loop".into(),
            Some("a chain of continue_to must end"),
        )
    };
    let mut seen = vec![from];
    let mut cur = c;
    while let Some(next) = pages
        .get(cur.page.wrapping_sub(1))
        .and_then(|p| p.modules.get(cur.module.wrapping_sub(1)))
        .and_then(|m| m.continue_to)
    {
        if seen.contains(&(cur.page, cur.module)) {
            return Err(looped());
        }
        seen.push((cur.page, cur.module));
        cur = next;
        if seen.len() > MAX_CHAIN {
            break;
        }
    }
    if seen.contains(&(cur.page, cur.module)) {
        return Err(looped());
    }
    Ok(())
}
