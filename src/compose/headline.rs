//! Headline blocks, continuation headlines and jump lines.

use super::bind::Resolved;
use super::report::Holder;
use super::runs::{
    align_offset, line_runs, set_block, set_display, set_display_in, BlockLine, DisplaySet, Owner,
    Paint, Placement,
};
use super::{Composer, ASCENT_EM, EPSILON_PT, GRID_SNAP};
use crate::display::Role;
use crate::layout::units::ZIHAO;
use crate::paragraph::{Align, Verdict};

/// One piece of a display block: a kicker, a headline line, a subheadline.
pub(super) struct Part<'a> {
    pub(super) text: String,
    pub(super) style: Resolved<'a>,
    pub(super) role: Role,
    /// Set in one line more than it needs (the copyfit ladder).
    extra_line: bool,
}

/// Where a display block goes: which module of which page, for which
/// article, from which grid line to which, how far from the left and how
/// wide.
#[derive(Debug, Clone, Copy)]
pub(super) struct BlockPlace {
    /// 0-based page.
    pub(super) page: usize,
    /// Index of the module frame on the page.
    pub(super) module: usize,
    /// 0-based article.
    pub(super) article: usize,
    /// Left edge, pt.
    pub(super) x: f32,
    /// First grid line of the block.
    pub(super) top_line: u32,
    /// Last grid line the block may take.
    pub(super) last_line: u32,
    /// Width to break and align in, pt.
    pub(super) width: f32,
}

/// Where a jump line goes: one body line of a column.
#[derive(Debug, Clone, Copy)]
pub(super) struct JumpPlace {
    /// 0-based page.
    pub(super) page: usize,
    /// Index of the module frame on the page.
    pub(super) module: usize,
    /// 0-based article.
    pub(super) article: usize,
    /// Column start, pt.
    pub(super) x: f32,
    /// Column measure, pt.
    pub(super) measure: f32,
    /// Grid line.
    pub(super) line: u32,
    /// `Start` for 上接 at the head of a column, `End` for 下转 at its foot.
    pub(super) align: Align,
}

/// A part broken into lines.
struct SetPart<'a> {
    lines: Vec<BlockLine>,
    /// The style it is set in, one 字号 smaller than asked when it shrank.
    style: Resolved<'a>,
    role: Role,
    /// What the report should say about its breaks, if anything.
    note: Option<BreakNote>,
}

/// Why a display part's breaks are worth a warning.
#[derive(Debug, Clone, Copy)]
enum BreakNote {
    /// No good break at the asked size: set one 字号 smaller.
    Shrunk { from: f32, to: f32, why: Verdict },
    /// No good break at either size; set at the asked size as it is.
    Poor(Verdict),
}

/// What a display text was set with: its article, text, style (the
/// layout's, by address: one style object per name for the whole
/// composition), size and width.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct DisplayKey {
    article: usize,
    text: String,
    style: usize,
    size_bits: u32,
    width_bits: u32,
}

/// Points within which a size counts as a named 字号.
pub(super) const SIZE_EPSILON_PT: f32 = 0.01;

/// The next named 字号 below `size` pt (DESIGN §3). `None` above the
/// largest, 初号: no named step is defined there, and stepping to 初号
/// from, say, 200 pt would be no step at all.
pub(super) fn zihao_below(size: f32) -> Option<f32> {
    let largest = ZIHAO.first().map_or(0.0, |&(_, pt)| pt);
    if size > largest + SIZE_EPSILON_PT {
        return None;
    }
    ZIHAO
        .iter()
        .map(|&(_, pt)| pt)
        .find(|&pt| pt < size - SIZE_EPSILON_PT)
}

/// The name of a size if it is a 字号, for reports: `小二 (18pt)`.
pub(super) fn size_name(size: f32) -> String {
    match ZIHAO
        .iter()
        .find(|(_, pt)| (pt - size).abs() < SIZE_EPSILON_PT)
    {
        Some((name, _)) => format!("{name} ({size}pt)"),
        None => format!("{size}pt"),
    }
}

/// How bad a set is, to compare two sizes: breaking inside a word first,
/// then more lines, then a short last line, then a weak break.
fn badness(set: &DisplaySet) -> (bool, usize, bool, bool) {
    (
        set.verdict == Verdict::NoWordBreak,
        set.lines.len(),
        set.verdict == Verdict::ShortLastLine,
        set.verdict == Verdict::WeakBreak,
    )
}

/// What a verdict means in a warning.
fn verdict_reason(v: Verdict) -> &'static str {
    match v {
        Verdict::Good => "it breaks well",
        Verdict::MoreLines => "breaking between words takes one more line",
        Verdict::ShortLastLine => {
            "every break between words leaves a last line of one or two characters"
        }
        Verdict::NoWordBreak => "a word is wider than the measure, so it breaks inside a word",
        Verdict::WeakBreak => "the only breaks tear a number from its unit, a modifier from its head or a quotation apart",
    }
}

impl<'a> Composer<'a> {
    /// [`Self::set_natural`], in one line more when the part asks for it
    /// and that breaks well.
    fn set_part(&self, article: usize, part: Part<'a>, width: f32) -> SetPart<'a> {
        let (extra, text) = (part.extra_line, part.text.clone());
        let set = self.set_natural(article, part, width);
        let more = extra
            .then(|| set_display_in(&text, &set.style, width, &self.shaper, set.lines.len() + 1))
            .flatten();
        match more {
            Some(more) => SetPart {
                lines: more.lines,
                ..set
            },
            None => set,
        }
    }

    /// [`set_display`], remembered for the article: its headline is
    /// measured for the module's height, then drawn (and the copyfit ladder
    /// measures again), and breaking it by meaning each time was a tenth of
    /// a 24-page edition's time. Keyed by article, so two stories with the
    /// same headline are each broken once, as they would be apart.
    fn display_set(
        &self,
        article: usize,
        text: &str,
        style: &Resolved<'_>,
        width: f32,
    ) -> DisplaySet {
        let key = DisplayKey {
            article,
            text: text.to_string(),
            style: std::ptr::from_ref(style.style) as usize,
            size_bits: style.chain.size.to_bits(),
            width_bits: width.to_bits(),
        };
        if let Some(set) = self.display_sets.borrow().get(&key) {
            return set.clone();
        }
        let set = set_display(text, style, width, &self.shaper);
        self.display_sets.borrow_mut().insert(key, set.clone());
        set
    }

    /// Break a display part by meaning at its style's size; when no good
    /// break exists there (issue 14: a desk shrinks the head rather than
    /// tear a word or leave a widow), one 字号 smaller if that sets better,
    /// never smaller still.
    fn set_natural(&self, article: usize, part: Part<'a>, width: f32) -> SetPart<'a> {
        let set = |style: &Resolved<'_>| self.display_set(article, &part.text, style, width);
        let asked = set(&part.style);
        if asked.verdict == Verdict::Good {
            return SetPart {
                lines: asked.lines,
                style: part.style,
                role: part.role,
                note: None,
            };
        }
        let from = part.style.chain.size;
        if let Some(to) = zihao_below(from) {
            let style = part.style.sized(to);
            let smaller = set(&style);
            if smaller.verdict == Verdict::Good || badness(&smaller) < badness(&asked) {
                return SetPart {
                    lines: smaller.lines,
                    style,
                    role: part.role,
                    note: Some(BreakNote::Shrunk {
                        from,
                        to,
                        why: asked.verdict,
                    }),
                };
            }
        }
        // A line more or a weak break between words is a desk's choice
        // too; a torn word or a widow is worth a word to the editor.
        let note = matches!(asked.verdict, Verdict::NoWordBreak | Verdict::ShortLastLine)
            .then_some(BreakNote::Poor(asked.verdict));
        SetPart {
            lines: asked.lines,
            style: part.style,
            role: part.role,
            note,
        }
    }

    /// Warn about a part's breaks, naming the file and line it comes from.
    fn note_breaks(&mut self, article: usize, part: &SetPart<'_>, layout_key: Option<&str>) {
        let Some(note) = part.note else {
            return;
        };
        let text: String = part
            .lines
            .first()
            .map(|l| l.shaped.text.clone())
            .unwrap_or_default();
        let at = match layout_key {
            Some(key) => format!("layout key {key}: "),
            None => match self.source_line(article, self.element_line(article, part.role)) {
                Some(at) => format!("{at}: "),
                None => String::new(),
            },
        };
        let element = role_element(part.role);
        let message = match note {
            BreakNote::Shrunk { from, to, why } => format!(
                "{at}article {}: {element} `{text}` has no good break at {}: {}; set one 字号 smaller, at {}",
                article + 1,
                size_name(from),
                verdict_reason(why),
                size_name(to)
            ),
            BreakNote::Poor(why) => format!(
                "{at}article {}: {element} `{text}` has no good break at {} nor one 字号 smaller: {}; reword or widen it",
                article + 1,
                size_name(part.style.chain.size),
                verdict_reason(why)
            ),
        };
        self.report.warnings.push(message);
    }

    /// The kicker / headline / subheadline / byline texts of an article
    /// with styles.
    /// `extra_line` sets the first headline line in one line more.
    pub(super) fn headline_parts(
        &self,
        article: usize,
        size: Option<f32>,
        extra_line: bool,
    ) -> Vec<Part<'a>> {
        let a = &self.edition.articles[article];
        let level = self.styles.level(a.level);
        let part = |text: &String, style: &Resolved<'a>, role| Part {
            text: text.clone(),
            style: self.article_style(article, style),
            role,
            extra_line: false,
        };
        let mut parts = Vec::new();
        if let Some(k) = a
            .kicker
            .as_ref()
            .filter(|_| !self.kicker_is_rubric(article))
        {
            parts.push(part(k, &level.kicker, Role::Kicker));
        }
        let main = match size {
            Some(s) => level.headline.sized(s),
            None => level.headline.clone(),
        };
        let main = self.article_style(article, &main);
        for (i, h) in a.headline.iter().enumerate() {
            parts.push(Part {
                extra_line: extra_line && i == 0,
                ..part(h, &main, Role::Headline)
            });
        }
        if let Some(s) = &a.subheadline {
            parts.push(part(s, &level.subheadline, Role::Subheadline));
        }
        // The byline closes the headline block, above body and pictures.
        if let Some(b) = &a.byline {
            parts.push(part(b, &self.styles.byline, Role::Byline));
        }
        parts
    }

    /// Grid lines a headline block takes, including one blank line below.
    pub(super) fn measure_headline(
        &self,
        article: usize,
        width: f32,
        size: Option<f32>,
        extra_line: bool,
    ) -> u32 {
        let parts = self.headline_parts(article, size, extra_line);
        let total: f32 = parts
            .into_iter()
            .map(|p| {
                let set = self.set_part(article, p, width);
                set.lines.len() as f32 * leading(&set.style)
            })
            .sum();
        self.rubric_lines(article, width) + block_lines(total, self.layout.grid.pitch)
    }

    /// Grid lines a headline block at `size` across `width` takes (as
    /// [`Self::measure_headline`]), or `None` when its main headline
    /// (every written line, not the kicker or the subheadline) takes more
    /// than `max_lines`: automatic make-up keeps it within its table row.
    pub(super) fn measure_headline_within(
        &self,
        article: usize,
        width: f32,
        size: f32,
        max_lines: usize,
    ) -> Option<u32> {
        let (mut total, mut main) = (0.0, 0);
        for p in self.headline_parts(article, Some(size), false) {
            let role = p.role;
            let set = self.set_part(article, p, width);
            if role == Role::Headline {
                main += set.lines.len();
            }
            total += set.lines.len() as f32 * leading(&set.style);
        }
        (main <= max_lines)
            .then(|| self.rubric_lines(article, width) + block_lines(total, self.layout.grid.pitch))
    }

    /// Draw the headline block at the top of a module; returns its grid lines.
    pub(super) fn headline_block(
        &mut self,
        place: BlockPlace,
        size: Option<f32>,
        extra_line: bool,
    ) -> u32 {
        let rubric = self.rubric_tag(place);
        let parts = self.headline_parts(place.article, size, extra_line);
        let below = BlockPlace {
            top_line: place.top_line + rubric,
            ..place
        };
        rubric + self.display_block(below, parts, None)
    }

    /// The short headline over a continuation (接题); returns its grid lines.
    /// `layout_key` names the layout text it comes from, if any.
    pub(super) fn continuation_head(
        &mut self,
        place: BlockPlace,
        text: &str,
        layout_key: Option<&str>,
    ) -> u32 {
        let part = Part {
            text: text.to_string(),
            style: self.styles.continuation_headline.clone(),
            role: Role::ContinuationHeadline,
            extra_line: false,
        };
        self.display_block(place, vec![part], layout_key)
    }

    /// Draw display lines (headlines, kickers) from the top of the place's
    /// first line, centred in whole grid lines plus one blank line below;
    /// lines that would pass its last line are reported, not drawn. Returns
    /// the grid lines taken.
    fn display_block(
        &mut self,
        place: BlockPlace,
        parts: Vec<Part<'a>>,
        layout_key: Option<&str>,
    ) -> u32 {
        let BlockPlace {
            top_line,
            last_line,
            article,
            ..
        } = place;
        let blocks: Vec<SetPart<'a>> = parts
            .into_iter()
            .map(|p| self.set_part(article, p, place.width))
            .collect();
        for b in &blocks {
            self.note_breaks(article, b, layout_key);
        }
        self.note_missing_in_block(article, &blocks, layout_key);
        let total: f32 = blocks
            .iter()
            .map(|b| b.lines.len() as f32 * leading(&b.style))
            .sum();
        let g = &self.layout.grid;
        let lines = block_lines(total, g.pitch);
        // Centre the text in the block's lines above the blank one.
        let y = g.line_top(top_line) + ((lines - 1) as f32 * g.pitch - total) / 2.0;
        let overset = self.draw_block(place, &blocks, y, layout_key.is_some());
        if overset > 0 {
            let at = match self.headline_line(article) {
                Some(at) => format!("{at}: "),
                None => String::new(),
            };
            self.report.warnings.push(format!(
                "{at}article {}: the headline needs {lines} grid lines but only {} are free; {overset} headline line(s) not set",
                article + 1,
                last_line + 1 - top_line.min(last_line + 1)
            ));
        }
        self.headline_overset = overset;
        lines
    }

    /// Report the characters of a display block no font covers. Offsets
    /// across the parts keep two headline lines' characters apart.
    fn note_missing_in_block(
        &mut self,
        article: usize,
        blocks: &[SetPart<'_>],
        layout_key: Option<&str>,
    ) {
        let mut offset = 0;
        for b in blocks {
            if let Some(first) = b.lines.first() {
                let shaped = first.shaped.clone();
                let holder = match layout_key {
                    Some(key) => Holder::layout(key),
                    None => {
                        let line = self.element_line(article, b.role);
                        Holder::article(article, role_element(b.role), line)
                    }
                };
                self.note_missing_in(holder, offset, &shaped);
                offset += shaped.text.len() + 1;
            }
        }
    }

    /// The line of an article's file a display element starts on.
    pub(super) fn element_line(&self, article: usize, role: Role) -> Option<usize> {
        let o = &self.edition.articles[article].origin;
        match role {
            Role::Kicker => o.kicker_line,
            Role::Subheadline => o.subheadline_line,
            Role::Byline => o.byline_line,
            Role::Headline | Role::ContinuationHeadline => Some(o.headline_line),
            _ => None,
        }
    }

    /// Draw a block's lines from `y` down; returns the lines below the
    /// place's last grid line, which are not drawn over what follows.
    /// Text `from_layout` has no line in the article's file.
    fn draw_block(
        &mut self,
        place: BlockPlace,
        blocks: &[SetPart<'_>],
        mut y: f32,
        from_layout: bool,
    ) -> u32 {
        let g = &self.layout.grid;
        let bottom = g.line_top(place.last_line) + g.pitch;
        let owner = Owner {
            article: Some(place.article + 1),
            module: Some(place.module),
            ..Owner::default()
        };
        let mut items = Vec::new();
        let mut overset = 0;
        for b in blocks {
            let owner = Owner {
                source_line: (!from_layout)
                    .then(|| self.element_line(place.article, b.role))
                    .flatten(),
                ..owner
            };
            let r = &b.style;
            let size = r.chain.size;
            let lead = leading(r);
            let paint = Paint {
                color: r.style.color,
                role: b.role,
            };
            for bl in &b.lines {
                let baseline = y + (lead - size) / 2.0 + ASCENT_EM * size;
                if y + lead > bottom + EPSILON_PT {
                    overset += 1;
                } else {
                    let at = Placement {
                        x: place.x
                            + align_offset(r.style.paragraph.align, place.width, bl.line.width),
                        baseline,
                    };
                    items.extend(line_runs(&bl.shaped.text, &bl.line, at, paint, owner));
                }
                y += lead;
            }
        }
        self.page_mut(place.page).items.extend(items);
        overset
    }

    /// A jump line (（下转第N版） / （上接第N版）) on one body line.
    pub(super) fn jump_line(&mut self, place: JumpPlace, text: &str) {
        let r = self.styles.jump.clone();
        let block = set_block(text, &r, place.measure, &self.shaper);
        if let Some(bl) = block.first() {
            let shaped = bl.shaped.clone();
            let holder = Holder::article(place.article, "jump line", None);
            self.note_missing_in(holder, 0, &shaped);
            let at = Placement {
                x: place.x + align_offset(place.align, place.measure, bl.line.width),
                baseline: self.layout.grid.baseline(place.line),
            };
            let paint = Paint {
                color: r.style.color,
                role: Role::JumpLine,
            };
            let owner = Owner {
                article: Some(place.article + 1),
                module: Some(place.module),
                column: None,
                grid_line: Some(place.line),
                source_line: None,
            };
            let items = line_runs(&bl.shaped.text, &bl.line, at, paint, owner);
            self.page_mut(place.page).items.extend(items);
        }
    }
}

/// Whole grid lines a block of `height` pt takes, plus the blank one below.
fn block_lines(height: f32, pitch: f32) -> u32 {
    (height / pitch - GRID_SNAP).ceil() as u32 + 1
}

/// The name of a display element in reports.
pub(super) fn role_element(role: Role) -> &'static str {
    match role {
        Role::Kicker => "kicker",
        Role::Headline => "headline",
        Role::Subheadline => "subheadline",
        Role::Byline => "byline",
        Role::ContinuationHeadline => "continuation headline",
        Role::Credit => "credit",
        Role::JumpLine => "jump line",
        _ => "display text",
    }
}

/// A style's leading at the size it is set in (a headline may be set
/// smaller than its style).
pub(super) fn leading(r: &Resolved<'_>) -> f32 {
    r.style.leading * r.chain.size / r.style.size
}
