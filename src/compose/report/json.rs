//! The fit report as JSON for scripts and CI: the document `broadsheet fit
//! --json` prints. `docs/fit-report.schema.json` describes it and a test
//! validates the output against it, so a field added here goes there too.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::{
    Amount, Cause, Copyfit, Cure, FitReport, FlowStopped, HeadFit, MissingGlyph, ModuleFit,
    OutsideFrame, SourceLine,
};

/// The document's `format`, so a script can tell it from other JSON.
const FORMAT: &str = "broadsheet-fit-report";
/// The document's `version`: raised when a field changes meaning or goes
/// (adding one does not).
const VERSION: u32 = 1;

/// The fit report as one JSON document; serialise it with `serde_json`.
#[derive(Debug, Serialize)]
pub struct JsonReport<'r> {
    format: &'static str,
    version: u32,
    layout: &'r Path,
    articles: &'r Path,
    verdict: Verdict,
    totals: Totals,
    pages: Vec<PageTotals>,
    modules: Vec<ModuleJson<'r>>,
    missing_glyphs: &'r [MissingGlyph],
    outside_frame: &'r [OutsideFrame],
    warnings: &'r [String],
    flow_stopped: Option<&'r FlowStopped>,
    makeup: &'r [crate::compose::MakeupPage],
    pictures: &'r [crate::compose::PictureFit],
}

/// What the command made of the report.
#[derive(Debug, Serialize)]
struct Verdict {
    /// The command exits 0.
    ok: bool,
    /// Its exit code: 0, or 1 when the page is wrong.
    exit_code: u8,
    /// What is wrong, whether or not allowed: `overset`, `outside_frame`,
    /// `missing_glyphs`, `flow_stopped`.
    problems: Vec<&'static str>,
}

/// Empty and overset body lines, with their 字.
#[derive(Debug, Default, Serialize)]
struct Totals {
    /// Modules set.
    modules: usize,
    /// Lines left empty.
    empty: Amount,
    /// Body lines overset with no continuation.
    overset: Amount,
    /// Every line overset with no continuation, headline lines too: the
    /// number the text report's error gives.
    overset_lines: u32,
}

/// The totals of one page's modules.
#[derive(Debug, Serialize)]
struct PageTotals {
    page: u32,
    #[serde(flatten)]
    totals: Totals,
}

/// One module's figures.
#[derive(Debug, Serialize)]
struct ModuleJson<'r> {
    page: u32,
    module: usize,
    article: usize,
    headline: &'r str,
    columns: u32,
    chars_per_line: u32,
    grid_lines: u32,
    grid_span: [u32; 2],
    auto_height: bool,
    head: &'r HeadFit,
    copyfit: Option<&'r Copyfit>,
    available: Amount,
    set: Amount,
    empty: Amount,
    overset: Amount,
    overset_at: Option<&'r SourceLine>,
    continued: bool,
    continued_on: Option<u32>,
    cause: Option<Cause>,
    cure: Option<Cure>,
    advice: Option<String>,
}

impl Totals {
    /// Count one module in.
    fn add(&mut self, m: &ModuleFit) {
        self.modules += 1;
        self.empty.lines += m.empty;
        self.empty.chars += m.chars(m.empty);
        if m.is_overset() {
            self.overset.lines += m.body_overset();
            self.overset.chars += m.chars(m.body_overset());
            self.overset_lines += m.overset;
        }
    }
}

impl<'r> ModuleJson<'r> {
    fn new(m: &'r ModuleFit) -> Self {
        ModuleJson {
            page: m.page,
            module: m.module,
            article: m.article,
            headline: &m.headline,
            columns: m.columns,
            chars_per_line: m.chars_per_line,
            grid_lines: m.grid_lines,
            grid_span: m.lines,
            auto_height: m.auto_height,
            head: &m.head,
            copyfit: m.copyfit.as_ref(),
            available: m.amount(m.lines_available),
            set: m.amount(m.lines_set),
            empty: m.amount(m.empty),
            overset: m.amount(m.body_overset()),
            overset_at: m.overset_at.as_ref(),
            continued: m.continued,
            continued_on: m.continued_on,
            cause: m.cause(),
            cure: m.cure(),
            advice: m.advice(),
        }
    }
}

impl FitReport {
    /// What is wrong on the pages, whether or not the command allows it:
    /// `overset`, `outside_frame`, `missing_glyphs`, `flow_stopped`.
    pub fn problems(&self) -> Vec<&'static str> {
        [
            ("overset", self.overset_lines() > 0),
            ("outside_frame", !self.outside_frame.is_empty()),
            ("missing_glyphs", !self.missing_glyphs.is_empty()),
            ("flow_stopped", self.flow_stopped.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, found)| found.then_some(name))
        .collect()
    }

    /// The report as a JSON document for the build of `articles` on
    /// `layout`, with the command's `exit_code`.
    pub fn to_json<'r>(
        &'r self,
        layout: &'r Path,
        articles: &'r Path,
        exit_code: u8,
    ) -> JsonReport<'r> {
        let mut totals = Totals::default();
        let mut pages: BTreeMap<u32, Totals> = BTreeMap::new();
        for m in &self.modules {
            totals.add(m);
            pages.entry(m.page).or_default().add(m);
        }
        JsonReport {
            format: FORMAT,
            version: VERSION,
            layout,
            articles,
            verdict: Verdict {
                ok: exit_code == 0,
                exit_code,
                problems: self.problems(),
            },
            totals,
            pages: pages
                .into_iter()
                .map(|(page, totals)| PageTotals { page, totals })
                .collect(),
            modules: self.modules.iter().map(ModuleJson::new).collect(),
            missing_glyphs: &self.missing_glyphs,
            outside_frame: &self.outside_frame,
            warnings: &self.warnings,
            flow_stopped: self.flow_stopped.as_ref(),
            makeup: &self.makeup,
            pictures: &self.pictures,
        }
    }
}
