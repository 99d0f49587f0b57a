//! Article threads (issue 17 item 6): for each article whose body runs
//! through more than one column, a chain of beads over its headline block
//! and its column rectangles in reading order, page after page, so an
//! e-paper reader can follow the story from column to column and across a
//! jump. krilla writes no threads; the beads are gathered here from the
//! display list and written by [`super::prepress::finish`].

use std::collections::BTreeMap;

use crate::display::{GlyphRun, Item, Page, Role};

/// One bead: a rectangle of a page an article's thread passes through.
#[derive(Debug, Clone, PartialEq)]
pub struct Bead {
    /// 0-based page index in the document.
    pub page: usize,
    /// `[x0, y0, x1, y1]` in PDF user space (pt, origin at the media box's
    /// lower-left corner, y up).
    pub rect: [f32; 4],
}

/// An article's thread: its title (the headline) and its beads in reading
/// order.
#[derive(Debug, Clone, PartialEq)]
pub struct Thread {
    /// The article's headline, the thread's `/Title`.
    pub title: String,
    /// The beads in reading order.
    pub beads: Vec<Bead>,
}

/// Room round the glyphs of a bead: a line's box reaches this far (in
/// em) below its baseline.
const DESCENT_EM: f32 = 0.2;

/// Where a piece of an article lies on a page: the headline block above
/// its columns, then its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Area {
    Heading,
    Column(usize),
}

/// A rectangle growing to hold glyph boxes, in page coordinates (y down).
#[derive(Debug, Clone, Copy)]
struct Bounds {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Bounds {
    fn of(run: &GlyphRun) -> Self {
        let first = run.glyphs.first().map_or(0.0, |g| g.x);
        let along = run.end_x() - run.x;
        if run.rotated {
            // Turned clockwise: the line runs down from the origin, the
            // glyphs' tops to the right.
            return Bounds {
                x0: run.x - DESCENT_EM * run.size,
                y0: run.y + first,
                x1: run.x + run.size,
                y1: run.y + along,
            };
        }
        if run.vertical {
            let down = |g: &crate::display::RunGlyph| run.y - g.y_offset;
            let top = run.glyphs.iter().map(down).fold(run.y, f32::min);
            let bottom = run
                .glyphs
                .iter()
                .map(|g| down(g) + g.advance)
                .fold(run.y, f32::max);
            return Bounds {
                x0: run.x,
                y0: top - run.size,
                x1: run.x + run.size,
                y1: bottom,
            };
        }
        Bounds {
            x0: run.x + first,
            y0: run.y - run.size,
            x1: run.end_x(),
            y1: run.y + DESCENT_EM * run.size,
        }
    }

    fn join(self, other: Bounds) -> Self {
        Bounds {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }
}

/// An article's thread as it is gathered.
#[derive(Default)]
struct Gathered {
    /// The headline's text.
    title: String,
    /// The beads so far.
    beads: Vec<Bead>,
    /// How many of them are columns.
    columns: usize,
}

/// An article's pieces in one module of a page: the article, the module
/// and the bounds of each area.
struct ModuleAreas {
    article: usize,
    module: Option<usize>,
    areas: BTreeMap<Area, Bounds>,
}

/// The beads of the articles being written, page by page.
#[derive(Default)]
pub(super) struct Threads {
    /// Per article number, its thread so far.
    articles: BTreeMap<usize, Gathered>,
}

impl Threads {
    /// Gather the beads of page `index` (0-based), whose trimmed page's
    /// corner lies at (`offset`, `offset`) of a media box `media_height`
    /// high.
    pub(super) fn add_page(&mut self, index: usize, page: &Page, offset: f32, media_height: f32) {
        // Per article and module, in the order met.
        let mut met: Vec<ModuleAreas> = Vec::new();
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            let Some(article) = run.article else { continue };
            let area = match (run.role, run.column) {
                (Role::Kicker | Role::Headline | Role::Subheadline | Role::Byline, _) => {
                    Area::Heading
                }
                (
                    Role::Body | Role::Dateline | Role::Credit | Role::Lead | Role::Subhead,
                    Some(c),
                ) => Area::Column(c),
                _ => continue,
            };
            if run.glyphs.is_empty() {
                continue;
            }
            let at = match met
                .iter()
                .position(|m| m.article == article && m.module == run.module)
            {
                Some(at) => at,
                None => {
                    met.push(ModuleAreas {
                        article,
                        module: run.module,
                        areas: BTreeMap::new(),
                    });
                    met.len() - 1
                }
            };
            let bounds = Bounds::of(run);
            met[at]
                .areas
                .entry(area)
                .and_modify(|b| *b = b.join(bounds))
                .or_insert(bounds);
            // Only the article's first part has a headline (a continued
            // part repeats it as a continuation headline).
            if run.role == Role::Headline {
                let gathered = self.articles.entry(article).or_default();
                gathered.title.push_str(&run.text);
            }
        }
        for m in met {
            // A module's frame gives the columns their full width.
            let frame = m.module.and_then(|i| page.modules.get(i));
            let entry = self.articles.entry(m.article).or_default();
            for (area, b) in m.areas {
                let (x0, x1) = match (area, frame) {
                    (Area::Column(c), Some(f)) => {
                        f.columns.get(c).map_or((b.x0, b.x1), |&(x, w)| (x, x + w))
                    }
                    _ => (b.x0, b.x1),
                };
                if matches!(area, Area::Column(_)) {
                    entry.columns += 1;
                }
                entry.beads.push(Bead {
                    page: index,
                    rect: [
                        x0 + offset,
                        media_height - (b.y1 + offset),
                        x1 + offset,
                        media_height - (b.y0 + offset),
                    ],
                });
            }
        }
    }

    /// One thread per article whose body runs through more than one column.
    pub(super) fn finish(self) -> Vec<Thread> {
        self.articles
            .into_values()
            .filter(|g| g.columns > 1)
            .map(|g| Thread {
                title: g.title,
                beads: g.beads,
            })
            .collect()
    }
}
