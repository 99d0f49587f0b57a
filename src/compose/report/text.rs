//! The fit report as a terminal shows it: one row per module, its columns
//! padded by display width (a Han or full-width character takes two
//! cells, a Latin letter or digit one) so headlines mixing them keep the
//! figures in line; the cause and cure under a module that needs one; then
//! the problems.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{FitReport, ModuleFit};

/// Display cells the headline column takes; a longer headline is cut and
/// ends with `…`.
const HEADLINE_CELLS: usize = 24;

/// Cells between two columns.
const GAP: &str = "  ";

/// The columns of a module row: title, cells, right-aligned.
const COLUMNS: [(&str, usize, bool); 9] = [
    ("page", 4, true),
    ("module", 6, true),
    ("article", 7, true),
    ("headline", HEADLINE_CELLS, false),
    ("head", 4, true),
    ("set/avail", 9, true),
    ("empty (字)", 11, true),
    ("overset (字)", 12, true),
    ("字/line", 7, true),
];

impl FitReport {
    /// The report for a terminal: a row per module with lines set and
    /// available, the headline block's grid lines, empty and overset lines
    /// with their 字, the characters a line holds, and under it the cause
    /// and cure when the text is overset or a grid line or more short; then
    /// each picture's effective resolution, missing glyphs, warnings, glyphs
    /// outside their frame and the totals.
    pub fn to_text(&self) -> String {
        let mut out = row(COLUMNS.map(|(title, _, _)| title.to_string()));
        for m in &self.modules {
            out.push_str(&module_row(m));
            if let Some(c) = &m.copyfit {
                out.push_str(&indent());
                out.push_str(&format!("copyfit: {}\n", c.note));
            }
            if let Some(advice) = advice_shown(m) {
                out.push_str(&indent());
                out.push_str(&advice);
                out.push('\n');
            }
        }
        for page in &self.makeup {
            out.push_str(&page.to_text());
        }
        self.push_totals(&mut out);
        for p in &self.pictures {
            let ppi = p
                .ppi
                .map_or("vector".to_string(), |ppi| format!("{ppi:.0} ppi"));
            out.push_str(&format!(
                "picture page {} module {}: {} at {ppi} ({})\n",
                p.page,
                p.module,
                p.path.display(),
                p.named_at
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
        if let Some(s) = &self.flow_stopped {
            let at =
                s.at.as_ref()
                    .map(|at| format!(" ({at})"))
                    .unwrap_or_default();
            out.push_str(&format!(
                "error: the articles need more than {} pages on this grid; stopped in article {}{at}\n",
                s.pages, s.article
            ));
        }
        out
    }

    /// Empty and overset lines of all modules, with their 字.
    fn push_totals(&self, out: &mut String) {
        let empty: u32 = self.modules.iter().map(|m| m.empty).sum();
        let empty_chars: u32 = self.modules.iter().map(|m| m.chars(m.empty)).sum();
        let unfit = self.modules.iter().filter(|m| m.is_overset());
        let (overset, overset_chars) = unfit.fold((0, 0), |(l, c), m| {
            (l + m.body_overset(), c + m.chars(m.body_overset()))
        });
        out.push_str(&format!(
            "total: {empty} empty line(s) ≈ {empty_chars} 字; {overset} body line(s) overset ≈ {overset_chars} 字\n"
        ));
    }
}

/// One module's row.
fn module_row(m: &ModuleFit) -> String {
    let state = match (m.overset, m.continued) {
        (0, _) => String::new(),
        (_, true) => match m.continued_on {
            Some(page) => format!("{GAP}→ continued on page {page}"),
            None => format!("{GAP}→ continued"),
        },
        (_, false) => match &m.overset_at {
            Some(at) => format!("{GAP}OVERSET from {at}"),
            None => format!("{GAP}OVERSET"),
        },
    };
    let figures = |lines: u32| match lines {
        0 => "0".to_string(),
        n => format!("{n} ({})", m.chars(n)),
    };
    let mut line = row([
        m.page.to_string(),
        m.module.to_string(),
        format!("#{}", m.article),
        clip(&m.headline, HEADLINE_CELLS),
        m.head.lines.to_string(),
        format!("{}/{}", m.lines_set, m.lines_available),
        figures(m.empty),
        figures(m.body_overset()),
        m.chars_per_line.to_string(),
    ]);
    let height = if m.auto_height {
        format!(
            "{GAP}height {} (lines {}–{}, auto)",
            m.lines[1] + 1 - m.lines[0],
            m.lines[0],
            m.lines[1]
        )
    } else {
        String::new()
    };
    line.insert_str(line.len() - 1, &format!("{state}{height}"));
    line
}

/// The advice printed under a module: always for overset text, for short
/// text when a whole grid line of the module or more is empty (less is
/// what balanced columns leave).
fn advice_shown(m: &ModuleFit) -> Option<String> {
    let cure = m.cure()?;
    let shown = m.is_overset() || m.empty >= m.columns.max(1);
    shown
        .then(|| m.advice())
        .flatten()
        .filter(|_| cure.lines > 0)
}

/// Spaces up to the headline column, where advice lines start.
fn indent() -> String {
    let cells: usize = COLUMNS[..3].iter().map(|c| c.1 + GAP.len()).sum();
    " ".repeat(cells)
}

/// Cells padded to their columns' widths, trailing spaces trimmed.
fn row(cells: [String; 9]) -> String {
    let mut out = String::new();
    for (i, (cell, (_, width, right))) in cells.iter().zip(COLUMNS).enumerate() {
        if i > 0 {
            out.push_str(GAP);
        }
        let pad = " ".repeat(width.saturating_sub(cell.width()));
        if right {
            out.push_str(&pad);
            out.push_str(cell);
        } else {
            out.push_str(cell);
            out.push_str(&pad);
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// `text` cut to at most `cells` display cells, ending with `…` when cut.
fn clip(text: &str, cells: usize) -> String {
    if text.width() <= cells {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + '…'.width().unwrap_or(1) > cells {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::super::{HeadFit, SourceLine};
    use super::*;
    use std::path::PathBuf;

    fn module(headline: &str, overset: u32, empty: u32) -> ModuleFit {
        ModuleFit {
            page: 1,
            module: 2,
            article: 3,
            headline: headline.into(),
            lines_set: 30 - empty,
            lines_available: 30,
            overset,
            overset_at: Some(SourceLine {
                file: PathBuf::from("samples/edition.md"),
                line: 17,
            }),
            continued: false,
            continued_on: None,
            empty,
            chars_per_line: 13,
            columns: 3,
            grid_lines: 14,
            lines: [1, 14],
            auto_height: false,
            head: HeadFit {
                lines: 4,
                written_lines: Some(4),
                overset: 0,
                columns_below: 3,
            },
            copyfit: None,
        }
    }

    /// Display cell where each column of `line` ends (right-aligned) or
    /// starts (the headline), found from the header's layout.
    fn cell_text(line: &str, column: usize) -> String {
        let start: usize = COLUMNS[..column].iter().map(|c| c.1 + GAP.len()).sum();
        let end = start + COLUMNS[column].1;
        let mut at = 0;
        let mut out = String::new();
        for ch in line.chars() {
            let w = ch.width().unwrap_or(0);
            if at >= start && at + w <= end {
                out.push(ch);
            }
            at += w;
        }
        out.trim().to_string()
    }

    #[test]
    fn columns_stay_aligned_with_latin_digits_and_full_width_in_headlines() {
        let headlines = [
            "G20峰会 2025年",
            "我市启动“城市书房”建设三年行动计划",
            "ＡＢＣ全角字母与１２３数字",
            "PM2.5 falls below 35 in November for the first time",
            "短",
        ];
        let report = FitReport {
            modules: headlines
                .iter()
                .enumerate()
                .map(|(i, h)| module(h, i as u32 * 5, 5 - i as u32))
                .collect(),
            ..Default::default()
        };
        let text = report.to_text();
        let rows: Vec<&str> = text
            .lines()
            .skip(1)
            .filter(|l| l.starts_with("   1"))
            .collect();
        assert_eq!(rows.len(), headlines.len(), "{text}");
        for (row, m) in rows.iter().zip(&report.modules) {
            assert!(
                m.headline
                    .starts_with(&cell_text(row, 3).trim_end_matches('…').to_string()),
                "{text}"
            );
            assert_eq!(cell_text(row, 4), "4", "{text}");
            let set = format!("{}/{}", m.lines_set, m.lines_available);
            assert_eq!(cell_text(row, 5), set, "{text}");
            assert_eq!(cell_text(row, 8), "13", "{text}");
            // Every row is as wide up to the last column as the header.
            let figures = row.split("  OVERSET").next().unwrap();
            let header = text.lines().next().unwrap();
            assert_eq!(figures.width(), header.width(), "{text}");
        }
        assert!(
            text.contains("10 (130)"),
            "overset lines and their 字: {text}"
        );
    }

    #[test]
    fn overset_names_where_the_unset_text_starts_and_the_cure() {
        let report = FitReport {
            modules: vec![module("标题", 6, 0)],
            ..Default::default()
        };
        let text = report.to_text();
        assert!(
            text.contains("OVERSET from samples/edition.md:17\n"),
            "{text}"
        );
        assert!(
            text.contains("text too long: needs 6 more lines ≈ 78 字 (module 2 grid lines taller), or cut 78 字"),
            "{text}"
        );
        assert!(text.contains("error: 6 line(s) overset"), "{text}");
        assert!(!report.is_clean());
    }
}
