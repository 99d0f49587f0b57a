//! What automatic make-up tells the fit report: per page, the modules
//! chosen (columns, lines, headline size), how the page was filled, the
//! articles left for the next page and what the search tried for them.

use serde::Serialize;

use super::guillotine::{Fill, Solution};
use super::{fill_name, Composer};
use crate::compose::headline::size_name;

/// One module make-up placed.
#[derive(Debug, Clone, Serialize)]
pub struct MakeupModule {
    /// 1-based module on its page (the frame's number).
    pub module: usize,
    /// 1-based article.
    pub article: usize,
    /// First and last grid column, 1-based.
    pub columns: [u32; 2],
    /// First and last grid line, 1-based.
    pub lines: [u32; 2],
    /// The headline size the table gave it, pt.
    pub headline_size: f32,
}

/// One page made up automatically.
#[derive(Debug, Clone, Serialize)]
pub struct MakeupPage {
    /// 1-based page.
    pub page: u32,
    /// How it was filled: `exact` (every module as tall as its text),
    /// `one_line` (some module one grid line taller), `tall_module` (as
    /// `one_line`, past `max_aspect`), `two_lines` (some module one grid
    /// line taller and a grid line left empty below it), `packed`
    /// (no tiling fills the page: packed from the top).
    pub fill: &'static str,
    /// Its modules, in reading order.
    pub modules: Vec<MakeupModule>,
    /// 1-based articles the search weighed and left for the next page.
    pub deferred: Vec<usize>,
    /// What the search tried, one line per mode.
    pub tried: Vec<String>,
    /// Time the search took, µs (never part of any output file).
    #[serde(skip)]
    pub search_micros: u128,
}

impl MakeupPage {
    /// The page's lines in the text report.
    pub fn to_text(&self) -> String {
        let mut out = format!("make-up: page {} ({}):", self.page, self.fill);
        for m in &self.modules {
            out.push_str(&format!(
                " #{} columns {}–{} lines {}–{} {};",
                m.article,
                m.columns[0],
                m.columns[1],
                m.lines[0],
                m.lines[1],
                size_name(m.headline_size)
            ));
        }
        out.pop();
        out.push('\n');
        if !self.deferred.is_empty() {
            let ids: Vec<String> = self.deferred.iter().map(|a| format!("#{a}")).collect();
            out.push_str(&format!(
                "  left for the next page: {} (tried: {})\n",
                ids.join(" "),
                self.tried.join("; ")
            ));
        }
        out
    }
}

impl<'a> Composer<'a> {
    /// Note a page's make-up in the report.
    pub(super) fn report_makeup(
        &mut self,
        pi: usize,
        modules: Vec<MakeupModule>,
        solution: &Solution,
        deferred: &[usize],
        searched: std::time::Duration,
    ) {
        let tried = solution
            .tried
            .iter()
            .map(|t| match t.best {
                Some((n, span)) => format!(
                    "{}: {n} article(s) with a {span}-column lead",
                    mode_words(t.fill)
                ),
                None => format!("{}: no tiling", mode_words(t.fill)),
            })
            .collect();
        self.report.makeup.push(MakeupPage {
            page: pi as u32 + 1,
            fill: fill_name(solution.fill),
            modules,
            deferred: deferred.iter().map(|a| a + 1).collect(),
            tried,
            search_micros: searched.as_micros(),
        });
    }
}

/// A mode of the search as the report names it.
fn mode_words(fill: Fill) -> &'static str {
    match fill {
        Fill::Exact => "modules as tall as their text",
        Fill::OneLine => "up to one line over",
        Fill::TallModule => "past max_aspect",
        Fill::TwoLines => "up to one line over and one empty below",
        Fill::Packed => "packed from the top",
    }
}
