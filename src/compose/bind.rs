//! Binding: layout + edition + fonts → a plan, with every error a layout
//! error at its file:line:col.

use crate::fonts::{FaceId, FontDb, Locale};
use crate::layout::{ArticleRef, Layout, LayoutError, ModuleSpec, Style};
use crate::source::Edition;
use crate::text::FontChain;

/// A style with its fonts looked up.
#[derive(Debug, Clone)]
pub(crate) struct Resolved<'a> {
    /// The style as the layout gives it.
    pub style: &'a Style,
    /// Its fonts, at the size it is set in.
    pub chain: FontChain,
}

impl<'a> Resolved<'a> {
    /// The same style set at another size.
    pub(super) fn sized(&self, size: f32) -> Resolved<'a> {
        Resolved {
            style: self.style,
            chain: FontChain {
                faces: self.chain.faces.clone(),
                size,
                locale: self.chain.locale,
            },
        }
    }

    /// The same style for an article set in `locale`: its faces are that
    /// locale's ([`FontChain::localized`]); itself when it already is.
    pub(super) fn in_locale(&self, locale: Locale, db: &FontDb) -> Resolved<'a> {
        if self.chain.locale == locale {
            return self.clone();
        }
        Resolved {
            style: self.style,
            chain: self.chain.localized(locale, db),
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
    let chain = FontChain {
        faces,
        size: style.size,
        locale: Locale::Hans,
    };
    // Written families stand as written for Simplified text; a Traditional
    // layout takes each family's face for its locale.
    let locale = layout.text_settings.locale;
    Ok(Resolved {
        style,
        chain: if locale == Locale::Hans {
            chain
        } else {
            chain.localized(locale, db)
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

/// Every style of the layout, resolved.
pub(crate) struct Styles<'a> {
    pub body: Resolved<'a>,
    pub dateline: Resolved<'a>,
    pub credit: Resolved<'a>,
    pub jump: Resolved<'a>,
    pub continuation_headline: Resolved<'a>,
    pub running_header: Resolved<'a>,
    pub masthead: Resolved<'a>,
    pub masthead_info: Resolved<'a>,
    /// The 栏目 tag above a headline.
    pub rubric: Resolved<'a>,
    /// Headline levels 1 (`# `) and 2 (`## ` and below).
    pub levels: [LevelStyles<'a>; 2],
    /// Picture captions and credits.
    pub caption: Resolved<'a>,
    /// The 导语.
    pub lead: Resolved<'a>,
    /// Bold spans inside body paragraphs.
    pub emphasis: Resolved<'a>,
    /// 小标题 between paragraphs.
    pub subhead: Resolved<'a>,
    /// 引语 (pull quotes).
    pub pull_quote: Resolved<'a>,
    /// The byline under the headline block.
    pub byline: Resolved<'a>,
}

/// The display styles of one headline level.
pub(crate) struct LevelStyles<'a> {
    pub kicker: Resolved<'a>,
    pub headline: Resolved<'a>,
    pub subheadline: Resolved<'a>,
}

impl<'a> Styles<'a> {
    /// Every face of every style, in the layout's locale (repeats kept).
    pub(super) fn faces(&self) -> Vec<crate::fonts::FaceId> {
        let mut all = vec![
            &self.body,
            &self.dateline,
            &self.credit,
            &self.jump,
            &self.continuation_headline,
            &self.running_header,
            &self.masthead,
            &self.masthead_info,
            &self.rubric,
            &self.caption,
            &self.lead,
            &self.emphasis,
            &self.subhead,
            &self.pull_quote,
            &self.byline,
        ];
        for level in &self.levels {
            all.extend([&level.kicker, &level.headline, &level.subheadline]);
        }
        all.iter()
            .flat_map(|r| r.chain.faces.iter().copied())
            .collect()
    }

    /// The styles of an article's headline level.
    pub(super) fn level(&self, level: u8) -> &LevelStyles<'a> {
        &self.levels[if level <= 1 { 0 } else { 1 }]
    }
}

/// Resolve every style, in the order the layout documents them.
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
        rubric: r("rubric", &s.rubric)?,
        levels: [
            LevelStyles {
                kicker: r("kicker_1", &s.levels[0].kicker)?,
                headline: r("headline_1", &s.levels[0].headline)?,
                subheadline: r("subheadline_1", &s.levels[0].subheadline)?,
            },
            LevelStyles {
                kicker: r("kicker_2", &s.levels[1].kicker)?,
                headline: r("headline_2", &s.levels[1].headline)?,
                subheadline: r("subheadline_2", &s.levels[1].subheadline)?,
            },
        ],
        caption: r("caption", &s.caption)?,
        lead: r("lead", &s.lead)?,
        emphasis: r("emphasis", &s.emphasis)?,
        subhead: r("subhead", &s.subhead)?,
        pull_quote: r("pull_quote", &s.pull_quote)?,
        byline: r("byline", &s.byline)?,
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
                [] => Err(no_headline_error(m, needle, edition, layout)),
                many => Err(many_headlines_error(m, needle, many, edition, layout)),
            }
        }
    }
}

/// No headline contains what a module's `article` names.
fn no_headline_error(
    m: &ModuleSpec,
    needle: &str,
    edition: &Edition,
    layout: &Layout,
) -> LayoutError {
    let headlines = edition
        .articles
        .iter()
        .map(|a| format!("「{}」", a.headline.concat()))
        .collect::<Vec<_>>()
        .join(" ");
    layout.locator().error(
        m.article_span.clone(),
        format!("no article headline contains `{needle}`"),
        Some(format!("headlines are: {headlines}")),
    )
}

/// Several headlines contain what a module's `article` names.
fn many_headlines_error(
    m: &ModuleSpec,
    needle: &str,
    many: &[usize],
    edition: &Edition,
    layout: &Layout,
) -> LayoutError {
    let listed = many
        .iter()
        .map(|&i| format!("#{} 「{}」", i + 1, edition.articles[i].headline.concat()))
        .collect::<Vec<_>>()
        .join(", ");
    layout.locator().error(
        m.article_span.clone(),
        format!("`{needle}` matches {} headlines: {listed}", many.len()),
        Some("use a longer substring or the article number".into()),
    )
}

/// An edition bound to a layout and loaded fonts: every style's fonts
/// found, every planned module's article found and named by one module
/// only. Setting a plan ([`super::set`]) cannot fail: what does not fit is
/// reported in its [`super::FitReport`].
pub struct Plan<'a> {
    pub(super) edition: &'a Edition,
    pub(super) layout: &'a Layout,
    pub(super) db: &'a FontDb,
    pub(super) styles: Styles<'a>,
    pub(super) assignment: Assignment,
    /// The locale of each article: its front line's `language`, else the
    /// layout's `[text] language`.
    pub(super) locales: Vec<Locale>,
    /// The pictures and ads loaded; empty unless given.
    pub(super) library: &'a crate::media::Library,
}

/// The library of a composition without pictures.
pub(super) fn no_media() -> &'static crate::media::Library {
    static EMPTY: std::sync::OnceLock<crate::media::Library> = std::sync::OnceLock::new();
    EMPTY.get_or_init(crate::media::Library::default)
}

impl Plan<'_> {
    /// Articles the page plan names in no module, in source order (0-based);
    /// they are made up on automatic pages after the planned ones.
    pub fn unplaced(&self) -> &[usize] {
        &self.assignment.unplaced
    }
}

/// Bind an edition to a layout and fonts. Every error is a layout error at
/// the file, line and column of the layout text to change: a font family or
/// weight no loaded font has, a module's article that does not exist, is
/// ambiguous or is set by another module too.
pub fn bind<'a>(
    edition: &'a Edition,
    layout: &'a Layout,
    db: &'a FontDb,
) -> Result<Plan<'a>, LayoutError> {
    let styles = resolve_all(layout, db)?;
    let assignment = assign(edition, layout)?;
    let locales = article_locales(edition, layout);
    Ok(Plan {
        edition,
        layout,
        db,
        styles,
        assignment,
        locales,
        library: no_media(),
    })
}

/// Each article's locale. A front line's `language` the build has not
/// checked (a library caller's edition) and that names no locale falls
/// back to the layout's: [`crate::fonts::Locale::parse`] is the check.
pub fn article_locales(edition: &Edition, layout: &Layout) -> Vec<Locale> {
    edition
        .articles
        .iter()
        .map(|a| {
            a.front
                .language
                .as_deref()
                .and_then(Locale::parse)
                .unwrap_or(layout.text_settings.locale)
        })
        .collect()
}

/// Check that the layout's plan fits this edition without composing.
pub fn check(edition: &Edition, layout: &Layout, db: &FontDb) -> Result<(), LayoutError> {
    bind(edition, layout, db).map(|_| ())
}

/// Articles the layout's page plan names in no module, in source order; they
/// are made up on automatic pages after the planned ones. Empty when the
/// layout has no plan (every article is flowed). Needs no fonts: this is
/// the article half of [`bind`].
pub fn unplanned_articles(edition: &Edition, layout: &Layout) -> Result<Vec<usize>, LayoutError> {
    if layout.pages.is_empty() {
        return Ok(Vec::new());
    }
    Ok(assign(edition, layout)?.unplaced)
}

/// For every planned module, the article it sets (or continues).
pub(super) struct Assignment {
    /// [page][module] → article index.
    pub(super) articles: Vec<Vec<Option<usize>>>,
    /// Article indices no module names, in source order.
    pub(super) unplaced: Vec<usize>,
}

/// Match every planned module to its article; continuation targets inherit
/// their source's.
fn assign(edition: &Edition, layout: &Layout) -> Result<Assignment, LayoutError> {
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
    Ok(Assignment { articles, unplaced })
}
