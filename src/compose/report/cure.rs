//! What an editor reads off a module's fit: its figures in 字 (characters
//! at the module's measure), why its text is overset and the cure in
//! numbers.
//!
//! 字 are counted as space, not as characters of the text: a body line
//! holds [`ModuleFit::chars_per_line`] 字, so `n` lines are `n ×` that.
//! A paragraph's short last line counts whole, so cutting a cure's 字 from
//! one paragraph frees its lines (a little less may do); spread over
//! several, a cut frees a line only where it takes a last line away.

use serde::Serialize;

use super::ModuleFit;

/// Body lines and the 字 they hold at the module's measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Amount {
    /// Grid lines.
    pub lines: u32,
    /// Characters those lines hold.
    pub chars: u32,
}

/// Why a module's text is overset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cause {
    /// The headline block needs more grid lines than the module has.
    HeadlineTooTall {
        /// Grid lines the block needs, with the blank line below it.
        needs: u32,
        /// Grid lines the module has.
        has: u32,
    },
    /// A written headline line wrapped: the block takes more grid lines
    /// than its written lines would, and those lines would have held the
    /// overset body.
    HeadlineWrapped {
        /// Grid lines the block takes.
        lines: u32,
        /// Grid lines its written lines take, each on one line.
        written: u32,
    },
    /// More text than the module holds.
    TextTooLong,
}

/// Which way a cure goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CureKind {
    /// Overset: give the text more lines or cut it.
    Cut,
    /// Short: add text or make the module shorter.
    Fill,
}

/// The cure in numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cure {
    /// Which way it goes.
    pub kind: CureKind,
    /// Body lines the text needs more of (cut) or leaves empty (fill).
    pub lines: u32,
    /// The same in 字: the 字 to cut, or to add.
    pub chars: u32,
    /// Grid lines the module would grow by (cut) or could shrink by (fill)
    /// across all its columns; 0 when not a whole grid line.
    pub grid_lines: u32,
}

impl ModuleFit {
    /// The 字 `lines` body lines hold at this module's measure.
    pub fn chars(&self, lines: u32) -> u32 {
        lines.saturating_mul(self.chars_per_line)
    }

    /// `lines` body lines and their 字.
    pub fn amount(&self, lines: u32) -> Amount {
        Amount {
            lines,
            chars: self.chars(lines),
        }
    }

    /// Body lines that did not fit (the headline's own overset apart).
    pub fn body_overset(&self) -> u32 {
        self.overset.saturating_sub(self.head.overset)
    }

    /// Text did not fit and no continuation took it.
    pub fn is_overset(&self) -> bool {
        self.overset > 0 && !self.continued
    }

    /// Why the text is overset; `None` when it fitted or went on.
    pub fn cause(&self) -> Option<Cause> {
        if !self.is_overset() {
            return None;
        }
        let head = &self.head;
        if head.overset > 0 {
            return Some(Cause::HeadlineTooTall {
                needs: head.lines,
                has: self.grid_lines,
            });
        }
        match head.written_lines {
            Some(written)
                if head.lines > written
                    && self.body_overset() <= (head.lines - written) * head.columns_below =>
            {
                Some(Cause::HeadlineWrapped {
                    lines: head.lines,
                    written,
                })
            }
            _ => Some(Cause::TextTooLong),
        }
    }

    /// What would make the text fit: for overset text the lines and 字 it
    /// needs, for short text the lines and 字 left empty.
    pub fn cure(&self) -> Option<Cure> {
        let columns = self.columns.max(1);
        if let Some(cause) = self.cause() {
            let lines = self.body_overset();
            let headline = match cause {
                Cause::HeadlineTooTall { needs, has } => needs.saturating_sub(has),
                _ => 0,
            };
            return Some(Cure {
                kind: CureKind::Cut,
                lines,
                chars: self.chars(lines),
                grid_lines: headline + lines.div_ceil(columns),
            });
        }
        (self.empty > 0 && self.overset == 0).then(|| Cure {
            kind: CureKind::Fill,
            lines: self.empty,
            chars: self.chars(self.empty),
            grid_lines: self.empty / columns,
        })
    }

    /// The cause and cure for a person, one line: `text too long: needs 6
    /// more lines ≈ 78 字 (module 2 grid lines taller), or cut 78 字`.
    pub fn advice(&self) -> Option<String> {
        let cure = self.cure()?;
        let taller = match cure.grid_lines {
            0 => String::new(),
            g => format!(" (module {} taller)", count(g, "grid line")),
        };
        let text = format!(
            "needs {} ≈ {} 字{taller}, or cut {} 字",
            count(cure.lines, "more line"),
            cure.chars,
            cure.chars
        );
        Some(match self.cause() {
            None => {
                let shorter = match cure.grid_lines {
                    0 => String::new(),
                    g => format!(", or make the module {} shorter", count(g, "grid line")),
                };
                format!(
                    "{} ≈ {} 字 to add{shorter}",
                    count(cure.lines, "empty line"),
                    cure.chars
                )
            }
            Some(Cause::TextTooLong) => format!("text too long: {text}"),
            Some(Cause::HeadlineWrapped { lines, written }) => {
                let won = (lines - written) * self.head.columns_below;
                format!(
                    "headline block takes {} where its written lines take {written} (a line wrapped): \
                     keeping each written line on one line (shorter, smaller or over more \
                     columns) wins {} ≈ {} 字; or the text {text}",
                    count(lines, "grid line"),
                    count(won, "line"),
                    self.chars(won)
                )
            }
            Some(Cause::HeadlineTooTall { needs, has }) => format!(
                "headline block needs {} but the module has {has}: shorten the headline or \
                 set it smaller, or make the module taller; the text {text}",
                count(needs, "grid line")
            ),
        })
    }
}

/// `1 line`, `6 lines`.
fn count(n: u32, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        _ => format!("{n} {what}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::HeadFit;
    use super::*;

    /// A three-column module of 13 字 a line, 40 grid lines, its headline
    /// block 4 grid lines over all three columns.
    fn module(overset: u32, empty: u32) -> ModuleFit {
        ModuleFit {
            page: 1,
            module: 1,
            article: 1,
            headline: "标题".into(),
            lines_set: 108 - empty,
            lines_available: 108,
            overset,
            overset_at: None,
            continued: false,
            continued_on: None,
            empty,
            chars_per_line: 13,
            columns: 3,
            grid_lines: 40,
            lines: [1, 40],
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

    #[test]
    fn overset_text_needs_its_lines_in_zi_or_a_cut_of_as_many() {
        let m = module(6, 0);
        assert_eq!(m.cause(), Some(Cause::TextTooLong));
        let cure = m.cure().unwrap();
        assert_eq!((cure.kind, cure.lines, cure.chars), (CureKind::Cut, 6, 78));
        assert_eq!(cure.grid_lines, 2, "6 lines over 3 columns");
        assert_eq!(
            m.advice().unwrap(),
            "text too long: needs 6 more lines ≈ 78 字 (module 2 grid lines taller), or cut 78 字"
        );
    }

    #[test]
    fn short_text_names_the_zi_to_add_and_the_grid_lines_to_spare() {
        let m = module(0, 12);
        let cure = m.cure().unwrap();
        assert_eq!(
            (cure.kind, cure.lines, cure.chars),
            (CureKind::Fill, 12, 156)
        );
        assert_eq!(
            m.advice().unwrap(),
            "12 empty lines ≈ 156 字 to add, or make the module 4 grid lines shorter"
        );
        assert_eq!(module(0, 2).cure().unwrap().grid_lines, 0);
        assert!(module(0, 0).cure().is_none());
    }

    #[test]
    fn a_wrapped_headline_is_named_when_its_extra_lines_explain_the_overset() {
        let mut m = module(3, 0);
        m.head.lines = 5;
        m.head.written_lines = Some(4);
        assert_eq!(
            m.cause(),
            Some(Cause::HeadlineWrapped {
                lines: 5,
                written: 4
            })
        );
        assert!(m.advice().unwrap().contains("wins 3 lines ≈ 39 字"));
        m.overset = 4;
        assert_eq!(m.cause(), Some(Cause::TextTooLong), "one grid line holds 3");
    }

    #[test]
    fn a_headline_taller_than_its_module_is_the_cause() {
        let mut m = module(9, 0);
        m.grid_lines = 3;
        m.head.lines = 5;
        m.head.overset = 3;
        assert_eq!(m.cause(), Some(Cause::HeadlineTooTall { needs: 5, has: 3 }));
        assert_eq!(m.body_overset(), 6);
        let cure = m.cure().unwrap();
        assert_eq!((cure.lines, cure.chars, cure.grid_lines), (6, 78, 2 + 2));
    }

    #[test]
    fn continued_text_has_no_cure() {
        let mut m = module(6, 0);
        m.continued = true;
        assert_eq!((m.cause(), m.cure()), (None, None));
    }
}
