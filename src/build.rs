//! A whole build as one call: load the inputs (layout, articles, fonts),
//! check every output path, compose, export and write the outputs.
//!
//! The command line (`main.rs`) parses arguments, prints messages and picks
//! exit codes; everything between reading the first input and writing the
//! last output is here, so a test or another front end runs exactly the
//! build the command runs. What happens along the way (stage times,
//! warnings, pages drawn) goes to an [`Observer`] the caller supplies.
//!
//! Errors are `anyhow` errors; a problem the user must fix in an input is
//! an [`InputError`] inside them, which the caller renders with its
//! location (see [`InputError::render`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::compose::{self, Composition};
use crate::display;
use crate::export::{self, ExportOptions};
use crate::fonts::FontDb;
use crate::layout::{self, Layout};
pub use crate::observe::{Observer, Quiet};
use crate::outfile::{self, Input, PlannedOutput};
use crate::source::{self, Edition, ParseOptions};

/// Largest article or layout file read: a mistyped path to a disk image or a
/// log must not fill the memory. The largest real edition is far below it.
const MAX_INPUT_BYTES: u64 = 64 << 20;

mod error;
mod faces;
mod locale;
mod media;
pub use media::{load_media, start_media, PendingMedia};
mod pictures;
mod watch;
pub use error::{export_error, input_error, layout_error, source_error, InputError};
use faces::{add_layout_fonts, load_bundled_fonts};
use pictures::Picture;
pub use pictures::Pictures;
pub use watch::{watch, watch_sources};

/// Times the stages of one build for an [`Observer`].
struct Clock<'a> {
    observer: &'a dyn Observer,
    last: Instant,
}

impl<'a> Clock<'a> {
    fn new(observer: &'a dyn Observer) -> Self {
        Clock {
            observer,
            last: Instant::now(),
        }
    }

    /// Report the stage `name` as ended now.
    fn lap(&mut self, name: &str) {
        let now = Instant::now();
        self.observer.stage(name, now - self.last);
        self.last = now;
    }
}

/// Refuse an input that is not a regular file (a device such as /dev/zero
/// would be read forever, a FIFO blocks) or is larger than any edition.
/// A missing file is left to the reader, which says which option to fix.
/// `what` names the file in the message ("article file").
pub fn check_input_file(path: &Path, what: &str) -> anyhow::Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        return Err(input_error(format!(
            "{}: the {what} is {kind}, not a regular file; give the path of a file",
            path.display()
        )));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(input_error(format!(
            "{}: the {what} is {:.1} MiB; the limit is {} MiB (is this the right file?)",
            path.display(),
            meta.len() as f64 / (1 << 20) as f64,
            MAX_INPUT_BYTES >> 20
        )));
    }
    Ok(())
}

/// Which inputs a build reads.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Layout file (TOML); `None`: the bundled default layout, whose page
    /// plan is dropped when `articles` is given (every article is then
    /// flowed on its grid).
    pub layout: Option<PathBuf>,
    /// Article file; `None`: the bundled sample edition.
    pub articles: Option<PathBuf>,
    /// An article the page plan names in no module is an error, not a
    /// warning.
    pub strict: bool,
}

impl Sources {
    /// The layout file a build reads: the given one or the default layout.
    pub fn layout_path(&self) -> PathBuf {
        self.layout
            .clone()
            .unwrap_or_else(|| crate::bundle::path("layouts/default.toml"))
    }

    /// The article file a build reads: the given one or the bundled sample.
    pub fn articles_path(&self) -> PathBuf {
        self.articles
            .clone()
            .unwrap_or_else(|| crate::bundle::path("samples/edition.md"))
    }
}

/// Everything a build reads, loaded and checked.
pub struct Inputs {
    /// The layout, its page plan dropped when only articles were given.
    pub layout: Layout,
    /// The articles.
    pub edition: Edition,
    /// The bundled fonts and those the layout names.
    pub db: FontDb,
    /// The article file read.
    pub articles_path: PathBuf,
    /// The PDF standard and print condition of the layout's `[output]`,
    /// its output profile read and checked.
    pub export_options: ExportOptions,
    /// Every picture and ad the articles and the layout name, loaded.
    pub library: crate::media::Library,
}

/// Read the layout, the articles and the fonts. Warnings (about the article
/// file, about articles no module names) go to `observer`.
pub fn load_inputs(sources: &Sources, observer: &dyn Observer) -> anyhow::Result<Inputs> {
    load_timed(sources, &mut Clock::new(observer))
}

/// [`load_inputs`] on a build's clock.
fn load_timed(sources: &Sources, clock: &mut Clock<'_>) -> anyhow::Result<Inputs> {
    let (inputs, pending) = start_timed(sources, clock)?;
    pending.finish(&inputs.layout, &inputs.library)?;
    Ok(inputs)
}

/// [`load_timed`] with the photographs still being prepared (see
/// [`start_media`]).
fn start_timed(sources: &Sources, clock: &mut Clock<'_>) -> anyhow::Result<(Inputs, PendingMedia)> {
    // The bundled fonts depend on no input: they load while the layout and
    // the articles are read (on a front page, each about 1.5 ms). Their
    // errors still come after the inputs'.
    let (parsed, bundled) = std::thread::scope(|scope| {
        let bundled = scope.spawn(load_bundled_fonts);
        let parsed = read_inputs(sources, clock);
        let bundled = bundled
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (parsed, bundled)
    });
    let (layout, edition, articles_path) = parsed?;
    let observer = clock.observer;
    let db = add_layout_fonts(bundled?, &layout)?;
    locale::warn_substitutes(&edition, &layout, &db, observer);
    let export_options = export_options(&layout)?;
    clock.lap("fonts");
    let (library, pending) = media::start_media(&layout, &edition)?;
    clock.lap("media");
    report_unplanned(&layout, &edition, sources.strict, observer)?;
    let inputs = Inputs {
        library,
        layout,
        edition,
        db,
        articles_path,
        export_options,
    };
    Ok((inputs, pending))
}

/// The layout and the articles, read, checked and given their text
/// settings.
fn read_inputs(
    sources: &Sources,
    clock: &mut Clock<'_>,
) -> anyhow::Result<(Layout, Edition, PathBuf)> {
    let observer = clock.observer;
    let layout_path = sources.layout_path();
    check_input_file(&layout_path, "layout file")?;
    check_input_file(&sources.articles_path(), "article file")?;
    let mut layout = layout::load(&layout_path).map_err(layout_error)?;
    if sources.articles.is_some() && sources.layout.is_none() {
        // The default layout plans the bundled sample's articles; any other
        // file is flowed on its grid.
        layout = layout.without_plan();
    }
    let articles_path = sources.articles_path();
    let options = ParseOptions {
        fullwidth_punctuation: layout.fullwidth_punctuation,
        ..ParseOptions::default()
    };
    let options = match &layout.elements.byline_prefixes {
        Some(prefixes) => ParseOptions {
            byline_prefixes: prefixes.clone(),
            ..options
        },
        None => options,
    };
    let mut edition = source::parse_file(&articles_path, &options).map_err(source_error)?;
    for w in &edition.warnings {
        observer.warning(&w.to_string());
    }
    locale::check_languages(&edition, &layout).map_err(source_error)?;
    locale::apply_text_settings(&mut edition, &layout, observer);
    clock.lap("parse");
    Ok((layout, edition, articles_path))
}

/// The export options `[output]` asks for: its standard, and the output
/// profile file it names (read and checked to be a CMYK output profile the
/// standard can embed) or the built-in IFRA26 one.
pub fn export_options(layout: &Layout) -> anyhow::Result<ExportOptions> {
    let output = &layout.output;
    let mut options = ExportOptions {
        standard: output.standard,
        registration_targets: output.registration_targets,
        color_bar: output.color_bar,
        ..Default::default()
    };
    if let Some(p) = &output.profile {
        let refuse = |why: String| {
            let message = format!("{}: cannot be the output profile: {why}", p.path.display());
            let help = "name an ICC output profile for CMYK printing (device class prtr), e.g. the printing plant's";
            layout_error(
                layout
                    .locator()
                    .error(p.span.clone(), message, Some(help.into())),
            )
        };
        check_input_file(&p.path, "output profile")?;
        let bytes = std::fs::read(&p.path).map_err(|e| refuse(format!("cannot read it: {e}")))?;
        if let Some(why) = export::conformance::profile_problem(&bytes, output.standard) {
            return Err(refuse(why));
        }
        options.output_condition = export::prepress::OutputCondition {
            identifier: p.condition.clone(),
            info: p.condition.clone(),
            profile: bytes.into(),
        };
    }
    Ok(options)
}

/// Warn about articles the layout's page plan names in no module: they are
/// made up on automatic pages after the planned ones, which is rarely what
/// the editor meant. `strict` makes it an error.
fn report_unplanned(
    layout: &Layout,
    edition: &Edition,
    strict: bool,
    observer: &dyn Observer,
) -> anyhow::Result<()> {
    let unplanned = compose::unplanned_articles(edition, layout).map_err(layout_error)?;
    // A plan with automatic pages (`auto = true`) is meant to take them.
    if unplanned.is_empty() || layout.pages.iter().any(|p| p.auto) {
        return Ok(());
    }
    let lines: Vec<String> = unplanned
        .iter()
        .map(|&i| {
            let a = &edition.articles[i];
            format!(
                "{}:{}: article #{} 「{}」 is named by no module of {}; it is made up on automatic pages after the planned ones",
                a.origin.file.display(),
                a.origin.headline_line,
                i + 1,
                a.headline.concat(),
                layout.file.display()
            )
        })
        .collect();
    if strict {
        return Err(input_error(format!(
            "{}\n  help: add a module with article = \"…\" for it, or remove it from the article file",
            lines.join("\nerror: ")
        )));
    }
    for l in lines {
        observer.warning(&l);
    }
    Ok(())
}

/// Compose for the fit report only: pages are dropped as soon as they are
/// finished.
pub fn compose_report(inputs: &Inputs, observer: &dyn Observer) -> anyhow::Result<Composition> {
    let mut clock = Clock::new(observer);
    let c = compose::compose_streaming(
        &inputs.edition,
        &inputs.layout,
        &inputs.db,
        &inputs.library,
        Some(Box::new(drop)),
    )
    .map_err(layout_error)?;
    clock.lap("compose");
    Ok(c)
}

/// A build: where to read and where to write.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The inputs.
    pub sources: Sources,
    /// Output PDF; `None`: `output/<articles file stem>.pdf` under the
    /// current folder.
    pub output: Option<PathBuf>,
    /// Also write the display list of every page as JSON here.
    pub dump: Option<PathBuf>,
    /// Also write PNG or SVG pictures of the pages.
    pub pictures: Pictures,
}

impl Request {
    /// The PDF a build writes: the given path, or `output/<articles
    /// stem>.pdf` under the current folder (not the checkout the binary was
    /// built in).
    pub fn output_path(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| {
            let articles = self.sources.articles_path();
            let stem = articles
                .file_stem()
                .map_or("edition".into(), |s| s.to_string_lossy().into_owned());
            PathBuf::from("output").join(format!("{stem}.pdf"))
        })
    }

    /// Check every output path before anything is composed or written: no
    /// output may replace an input, and each must be writable. The PDF
    /// comes first, then the dump.
    pub fn plan_outputs(&self, inputs: &Inputs) -> anyhow::Result<Vec<PlannedOutput>> {
        self.plan_with(inputs, &[])
    }

    /// [`Request::plan_outputs`] with the page pictures after the dump.
    fn plan_with(
        &self,
        inputs: &Inputs,
        pictures: &[Picture],
    ) -> anyhow::Result<Vec<PlannedOutput>> {
        self.pictures.check_folders()?;
        let pdf = self.output_path();
        let mut outputs: Vec<(&'static str, &Path)> = vec![("PDF", &pdf)];
        if let Some(dump) = &self.dump {
            outputs.push(("layout dump", dump));
        }
        outputs.extend(pictures.iter().map(|p| (p.role, p.path.as_path())));
        outfile::plan(&outputs, &read_files(inputs)).map_err(input_error)
    }
}

/// The files a build reads, which no output may replace.
fn read_files(inputs: &Inputs) -> Vec<Input> {
    let mut out = vec![
        Input::new("the article file", &inputs.articles_path),
        Input::new("the layout file", &inputs.layout.file),
    ];
    let mut fonts: Vec<&Path> = inputs
        .db
        .ids()
        .map(|id| inputs.db.info(id).path.as_path())
        .collect();
    fonts.sort();
    fonts.dedup();
    out.extend(fonts.into_iter().map(|p| Input::new("a font file", p)));
    if let Some(p) = &inputs.layout.output.profile {
        out.push(Input::new("the output profile", &p.path));
    }
    let media = media::media_files(&inputs.library);
    out.extend(media.iter().map(|p| Input::new("a picture or ad file", p)));
    out
}

/// What a finished build made.
pub struct Outcome {
    /// The inputs read.
    pub inputs: Inputs,
    /// The composition: its fit report and document info (its pages were
    /// dropped once drawn and written).
    pub composition: Composition,
    /// The outputs written: the PDF first, then the dump if asked for,
    /// then the page pictures (each page's PNG before its SVG).
    pub outputs: Vec<PlannedOutput>,
    /// Pages in the PDF.
    pub pages: usize,
    /// Size of the PDF in bytes.
    pub bytes: usize,
}

/// Run a whole build: load, check the outputs, compose and export, write.
/// Nothing is written unless everything before succeeded; the outputs are
/// complete on disk when this returns.
pub fn run(request: &Request, observer: &dyn Observer) -> anyhow::Result<Outcome> {
    let mut clock = Clock::new(observer);
    observer.begin("reading");
    // Photographs are prepared while the pages are composed.
    let (inputs, pending) = start_timed(&request.sources, &mut clock)?;
    let mut outputs = request.plan_outputs(&inputs)?;
    outfile::test_hold("BROADSHEET_TEST_HOLD_LOADED_MS");
    observer.begin("composing");
    let keep_pages = request.dump.is_some();
    let options = &inputs.export_options;
    let wanted = &request.pictures;
    let drawn = compose_and_export(&inputs, pending, options, observer, keep_pages, wanted)?;
    let Drawn {
        composition: mut c,
        pages,
        pdf,
        pictures,
    } = drawn;
    clock.lap("compose+export");
    if !pictures.is_empty() {
        // The page files are known now; plan them with the rest.
        outputs = request.plan_with(&inputs, &pictures)?;
    }
    observer.begin("writing");
    let json = request.dump.as_ref().map(|_| {
        debug_assert_eq!(c.pages.len(), pages);
        display::dump_json(&c.info, &c.pages, &inputs.db)
    });
    let mut contents: Vec<&[u8]> = vec![&pdf];
    contents.extend(json.as_ref().map(|j| j.as_bytes()));
    contents.extend(pictures.iter().map(|p| p.bytes.as_slice()));
    outfile::write_all(&outputs, &contents).map_err(input_error)?;
    clock.lap("write");
    c.pages = Vec::new();
    Ok(Outcome {
        inputs,
        composition: c,
        outputs,
        pages,
        bytes: pdf.len(),
    })
}

/// What composing and drawing made.
struct Drawn {
    /// The composition; its pages only if they were kept.
    composition: Composition,
    /// Pages drawn.
    pages: usize,
    /// The PDF.
    pdf: Vec<u8>,
    /// The page pictures asked for, in page order.
    pictures: Vec<Picture>,
}

/// Compose on a thread of its own and draw each page into the PDF (and its
/// pictures, if asked for) as soon as composition has finished it, so the
/// stages overlap on a long edition; the photographs `media` is still
/// preparing are waited for before the first page is drawn, so they are
/// converted while composition runs. Drawn pages are dropped unless
/// `keep_pages` (for the layout dump): a 96-page edition's display list is
/// tens of megabytes.
fn compose_and_export(
    inputs: &Inputs,
    media: PendingMedia,
    options: &ExportOptions,
    observer: &dyn Observer,
    keep_pages: bool,
    wanted: &Pictures,
) -> anyhow::Result<Drawn> {
    let mut writer = export::PdfWriter::new(options)?;
    // A page or two in flight: composition runs ahead of drawing only as far
    // as that, so a long edition never holds all its display lists at once.
    let (pages_out, pages_in) = std::sync::mpsc::sync_channel(2);
    std::thread::scope(|scope| {
        let composer = scope.spawn(move || {
            let sink = Box::new(move |page| {
                // A closed channel means export failed; its error is reported.
                let _ = pages_out.send(page);
            });
            let (edition, layout) = (&inputs.edition, &inputs.layout);
            compose::compose_streaming(edition, layout, &inputs.db, &inputs.library, Some(sink))
        });
        // Nothing is drawn before every picture is ready: a damaged one
        // stops the build here, at the line that named it.
        media.finish(&inputs.layout, &inputs.library)?;
        let mut pages = Vec::new();
        let mut pictures = Vec::new();
        let mut count = 0;
        observer.begin("drawing");
        let t0 = Instant::now();
        let mut drawing = Duration::ZERO;
        for page in pages_in {
            let t = Instant::now();
            writer.add_page(&page, &inputs.db)?;
            if wanted.any() {
                pictures.extend(wanted.render(&page, &inputs.db)?);
            }
            drawing += t.elapsed();
            observer.page_drawn();
            count += 1;
            if keep_pages {
                pages.push(page);
            }
        }
        observer.busy("drawing", drawing, t0.elapsed());
        let mut c = composer
            .join()
            .map_err(|_| anyhow::anyhow!("composition stopped on an internal error"))?
            .map_err(layout_error)?;
        c.pages = pages;
        observer.mark("composed", c.composed_in);
        let pdf = writer
            .finish(&c.info, observer)
            .map_err(|e| export_error(&inputs.layout, e))?;
        Ok(Drawn {
            composition: c,
            pages: count,
            pdf,
            pictures,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Records every stage and warning, in order.
    #[derive(Default)]
    struct Record(Mutex<Vec<String>>);

    impl Observer for Record {
        fn warning(&self, message: &str) {
            self.0.lock().unwrap().push(format!("warning {message}"));
        }
        fn stage(&self, name: &str, _elapsed: Duration) {
            self.0.lock().unwrap().push(name.to_string());
        }
        fn page_drawn(&self) {
            self.0.lock().unwrap().push("page".to_string());
        }
    }

    /// The bundled sample builds through the library alone, reporting its
    /// stages in order and writing both outputs.
    #[test]
    fn a_build_reports_its_stages_and_writes_its_outputs() {
        let dir = std::env::temp_dir().join(format!("broadsheet-build-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let request = Request {
            output: Some(dir.join("sample.pdf")),
            dump: Some(dir.join("sample.json")),
            ..Request::default()
        };
        let record = Record::default();
        let done = run(&request, &record).unwrap();
        let events = record.0.into_inner().unwrap();
        let pages: Vec<&str> = (0..done.pages).map(|_| "page").collect();
        let expected = [
            &["parse", "fonts", "media"][..],
            &pages,
            &["compose+export", "write"],
        ]
        .concat();
        assert_eq!(events, expected);
        assert!(done.pages > 0 && done.composition.pages.is_empty());
        let pdf = std::fs::metadata(dir.join("sample.pdf")).unwrap();
        assert_eq!(pdf.len() as usize, done.bytes);
        assert!(dir.join("sample.json").is_file());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
