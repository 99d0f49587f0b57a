//! Headline blocks, continuation headlines and jump lines.

use super::bind::Resolved;
use super::runs::{align_offset, line_runs, set_block, BlockLine};
use super::Composer;
use crate::display::Role;
use crate::paragraph::Align;

impl<'a> Composer<'a> {
    /// The kicker / headline / subheadline texts of an article with styles.
    pub(super) fn headline_parts(
        &self,
        article: usize,
        size: Option<f32>,
    ) -> Vec<(String, Resolved<'a>, Role)> {
        let a = &self.edition.articles[article];
        let level = &self.styles.levels[if a.level <= 1 { 0 } else { 1 }];
        let mut parts = Vec::new();
        if let Some(k) = &a.kicker {
            parts.push((k.clone(), level[0].clone(), Role::Kicker));
        }
        let main = match size {
            Some(s) => level[1].sized(s),
            None => level[1].clone(),
        };
        for h in &a.headline {
            parts.push((h.clone(), main.clone(), Role::Headline));
        }
        if let Some(s) = &a.subheadline {
            parts.push((s.clone(), level[2].clone(), Role::Subheadline));
        }
        parts
    }

    /// Grid lines a headline block takes, including one blank line below.
    pub(super) fn measure_headline(&self, article: usize, width: f32, size: Option<f32>) -> u32 {
        let parts = self.headline_parts(article, size);
        let total: f32 = parts
            .iter()
            .map(|(t, r, _)| set_block(t, r, width, &self.shaper).len() as f32 * leading(r))
            .sum();
        (total / self.layout.grid.pitch - 0.01).ceil() as u32 + 1
    }

    /// Draw the headline block at the top of a module; returns its grid lines.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn headline_block(
        &mut self,
        page: usize,
        module: usize,
        article: usize,
        x: f32,
        (top_line, last_line): (u32, u32),
        width: f32,
        size: Option<f32>,
    ) -> u32 {
        let parts = self.headline_parts(article, size);
        self.display_block(
            page,
            module,
            article,
            x,
            (top_line, last_line),
            width,
            parts,
            None,
        )
    }

    /// Draw display lines (headlines, kickers) from the top of `top_line`,
    /// centred in whole grid lines plus one blank line below; lines that
    /// would pass `last_line` are reported, not drawn. Returns the grid
    /// lines taken.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn display_block(
        &mut self,
        page: usize,
        module: usize,
        article: usize,
        x: f32,
        (top_line, last_line): (u32, u32),
        width: f32,
        parts: Vec<(String, Resolved<'a>, Role)>,
        layout_key: Option<&str>,
    ) -> u32 {
        let blocks: Vec<(Vec<BlockLine>, Resolved<'_>, Role)> = parts
            .into_iter()
            .map(|(t, r, role)| (set_block(&t, &r, width, &self.shaper), r, role))
            .collect();
        // Offsets across the parts keep two headline lines' characters apart.
        let mut offset = 0;
        for (block, _, role) in &blocks {
            if let Some(first) = block.first() {
                let shaped = first.shaped.clone();
                match layout_key {
                    Some(key) => self.note_missing_in(None, 0, key, offset, &shaped),
                    None => {
                        let element = role_element(*role);
                        self.note_missing_in(Some(article), 0, element, offset, &shaped)
                    }
                }
                offset += shaped.text.len() + 1;
            }
        }
        let total: f32 = blocks
            .iter()
            .map(|(b, r, _)| b.len() as f32 * leading(r))
            .sum();
        let g = &self.layout.grid;
        let lines = (total / g.pitch - 0.01).ceil() as u32 + 1;
        // Centre the text in the block's lines above the blank one.
        let mut y = g.line_top(top_line) + ((lines - 1) as f32 * g.pitch - total) / 2.0;
        let mut items = Vec::new();
        // Lines below the space given are not drawn over what follows; they
        // are reported as overset instead.
        let bottom = g.line_top(last_line) + g.pitch;
        let mut overset = 0;
        for (block, r, role) in &blocks {
            let size = r.chain.size;
            let lead = leading(r);
            for bl in block {
                let baseline = y + (lead - size) / 2.0 + 0.88 * size;
                if y + lead > bottom + 0.01 {
                    overset += 1;
                } else {
                    let off = align_offset(r.style.paragraph.align, width, bl.line.width);
                    items.extend(line_runs(
                        &bl.shaped.text,
                        &bl.line,
                        x + off,
                        baseline,
                        r.style.color,
                        *role,
                        Some(article + 1),
                        Some(module),
                        None,
                        None,
                    ));
                }
                y += lead;
            }
        }
        if overset > 0 {
            self.report.warnings.push(format!(
                "article {}: the headline needs {lines} grid lines but only {} are free; {overset} headline line(s) not set",
                article + 1,
                last_line + 1 - top_line.min(last_line + 1)
            ));
        }
        self.headline_overset = overset;
        self.page_mut(page).items.extend(items);
        lines
    }

    /// The short headline over a continuation (接题); returns its grid lines.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn continuation_head(
        &mut self,
        page: usize,
        article: usize,
        text: &str,
        x: f32,
        lines: (u32, u32),
        width: f32,
        module: usize,
        layout_key: Option<&str>,
    ) -> u32 {
        let r = self.styles.continuation_headline.clone();
        let parts = vec![(text.to_string(), r, Role::ContinuationHeadline)];
        self.display_block(page, module, article, x, lines, width, parts, layout_key)
    }

    /// A jump line (（下转第N版） / （上接第N版）) on one body line.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn jump_line(
        &mut self,
        page: usize,
        module: usize,
        article: usize,
        text: &str,
        x: f32,
        measure: f32,
        line_no: u32,
        at_end: bool,
    ) {
        let r = self.styles.jump.clone();
        let block = set_block(text, &r, measure, &self.shaper);
        if let Some(bl) = block.first() {
            let shaped = bl.shaped.clone();
            self.note_missing_in(Some(article), 0, "jump line", 0, &shaped);
            let off = if at_end {
                align_offset(Align::End, measure, bl.line.width)
            } else {
                0.0
            };
            let items = line_runs(
                &bl.shaped.text,
                &bl.line,
                x + off,
                self.layout.grid.baseline(line_no),
                r.style.color,
                Role::JumpLine,
                Some(article + 1),
                Some(module),
                None,
                Some(line_no),
            );
            self.page_mut(page).items.extend(items);
        }
    }
}

/// The name of a display element in reports.
fn role_element(role: Role) -> &'static str {
    match role {
        Role::Kicker => "kicker",
        Role::Headline => "headline",
        Role::Subheadline => "subheadline",
        Role::ContinuationHeadline => "continuation headline",
        Role::Credit => "credit",
        Role::JumpLine => "jump line",
        _ => "display text",
    }
}

fn leading(r: &Resolved<'_>) -> f32 {
    r.style.leading * r.chain.size / r.style.size
}
