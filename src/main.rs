//! The `broadsheet` command line: a thin shell over the library pipeline.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use broadsheet::compose::{self, Composition};
use broadsheet::diagnostic;
use broadsheet::display;
use broadsheet::export::{self, ExportOptions};
use broadsheet::fonts::{self, FontDb};
use broadsheet::layout::{self, Layout, LayoutError};
use broadsheet::outfile::{self, Input, PlannedOutput};
use broadsheet::source::{self, Edition, ParseOptions, SourceError};

/// Exit code for overset text or characters no font covers.
const EXIT_UNFIT: u8 = 1;
/// Exit code for usage and input errors.
const EXIT_INPUT: u8 = 2;
/// Largest article or layout file read: a mistyped path to a disk image or a
/// log must not fill the memory. The largest real edition is far below it.
const MAX_INPUT_BYTES: u64 = 64 << 20;

#[derive(Parser)]
#[command(
    name = "broadsheet",
    version,
    about = "Set Chinese newspaper articles on a broadsheet grid and write a print-ready PDF",
    after_help = "Examples:\n  broadsheet                                   build the bundled sample into output/\n  broadsheet build --layout layouts/tabloid.toml --articles samples/edition.md -o output/tabloid.pdf\n  broadsheet parse samples/edition.md          print the article model as JSON\n  broadsheet fit --layout layouts/default.toml print the fit report only"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Compose the articles on the layout and write the PDF (the default).
    #[command(
        after_help = "Examples:\n  broadsheet build\n  broadsheet build --articles my-edition.md            every article flowed automatically\n  broadsheet build --layout layouts/tabloid.toml --dump output/tabloid.json"
    )]
    Build(BuildArgs),
    /// Print the article model of a source file as JSON.
    #[command(after_help = "Example:\n  broadsheet parse samples/edition.md")]
    Parse {
        /// The article file.
        file: PathBuf,
        /// Keep ASCII punctuation next to CJK as it is.
        #[arg(long)]
        keep_ascii_punctuation: bool,
    },
    /// Compose and print the fit report without writing a PDF.
    #[command(
        after_help = "Example:\n  broadsheet fit --layout layouts/tabloid.toml --articles samples/edition.md"
    )]
    Fit(InputArgs),
    /// Compose without writing anything: the same report, verdict and exit
    /// code as `build`.
    #[command(after_help = "Example:\n  broadsheet check --layout layouts/default.toml")]
    Check(CheckArgs),
    /// Rebuild whenever the layout, the articles or a font changes.
    #[command(
        after_help = "Prints the fit report and the time taken after every rebuild; an error is printed and\nwatching goes on. Stop with Ctrl-C.\n\nExample:\n  broadsheet watch --layout layouts/tabloid.toml --articles samples/edition.md -o output/tabloid.pdf"
    )]
    Watch(BuildArgs),
    /// List the fonts found and the characters of the articles no font covers.
    #[command(after_help = "Example:\n  broadsheet fonts --articles samples/edition.md")]
    Fonts(InputArgs),
}

#[derive(Args, Clone)]
struct InputArgs {
    /// Layout file (TOML). Default: layouts/default.toml; when only
    /// --articles is given, its grid and styles with every article flowed
    /// automatically.
    #[arg(long)]
    layout: Option<PathBuf>,
    /// Article source file. Default: samples/edition.md.
    #[arg(long)]
    articles: Option<PathBuf>,
    /// Print the time each stage took.
    #[arg(long)]
    timings: bool,
    /// Make warnings about the plan (an article no module names) errors.
    #[arg(long)]
    strict: bool,
}

/// What a build may accept and still exit 0.
#[derive(Args, Clone, Default)]
struct Allow {
    /// Exit 0 even when text is overset.
    #[arg(long)]
    allow_overset: bool,
    /// Exit 0 even when a character has no glyph in any font.
    #[arg(long)]
    allow_missing_glyphs: bool,
}

#[derive(Args, Clone)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    allow: Allow,
}

#[derive(Args, Clone)]
struct BuildArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output PDF. Default: output/<articles file name>.pdf in the current
    /// folder. Never an input file; a symlink is followed, a device or pipe
    /// (/dev/stdout) is written through.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Also write the display list of every page as JSON.
    #[arg(long)]
    dump: Option<PathBuf>,
    #[command(flatten)]
    allow: Allow,
}

/// A failure the user must fix in an input: rendered with its location.
#[derive(Debug)]
enum InputError {
    Layout(LayoutError),
    Source(SourceError),
    Other(String),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Layout(e) => write!(f, "{e}"),
            InputError::Source(e) => write!(f, "{e}"),
            InputError::Other(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for InputError {}

impl InputError {
    fn render(&self, color: bool) -> String {
        match self {
            InputError::Layout(e) => diagnostic::render(&e.into(), color),
            InputError::Source(e) => diagnostic::render(&e.into(), color),
            InputError::Other(s) => format!("error: {s}"),
        }
    }
}

fn layout_error(e: LayoutError) -> anyhow::Error {
    InputError::Layout(e).into()
}

fn source_error(e: SourceError) -> anyhow::Error {
    InputError::Source(e).into()
}

fn input_error(e: impl std::fmt::Display) -> anyhow::Error {
    InputError::Other(e.to_string()).into()
}

/// Refuse an input that is not a regular file (a device such as /dev/zero
/// would be read forever, a FIFO blocks) or is larger than any edition.
/// A missing file is left to the reader, which says which option to fix.
fn check_input_file(path: &Path, what: &str) -> anyhow::Result<()> {
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

struct Timings {
    on: bool,
    start: Instant,
    last: Instant,
}

impl Timings {
    fn new(on: bool) -> Self {
        let now = Instant::now();
        Self {
            on,
            start: now,
            last: now,
        }
    }

    fn stage(&mut self, name: &str) {
        let now = Instant::now();
        if self.on {
            eprintln!(
                "  {name:<8} {:>8.1} ms",
                (now - self.last).as_secs_f64() * 1000.0
            );
        }
        self.last = now;
    }

    fn total(&self) {
        if self.on {
            eprintln!(
                "  {:<8} {:>8.1} ms",
                "total",
                self.start.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

struct Inputs {
    layout: Layout,
    edition: Edition,
    db: FontDb,
    articles_path: PathBuf,
}

impl InputArgs {
    /// The layout file a build reads: the given one or the default layout.
    fn layout_path(&self) -> PathBuf {
        self.layout
            .clone()
            .unwrap_or_else(|| broadsheet::bundle::path("layouts/default.toml"))
    }

    /// The article file a build reads: the given one or the bundled sample.
    fn articles_path(&self) -> PathBuf {
        self.articles
            .clone()
            .unwrap_or_else(|| broadsheet::bundle::path("samples/edition.md"))
    }
}

fn load_inputs(args: &InputArgs, t: &mut Timings) -> anyhow::Result<Inputs> {
    let layout_path = args.layout_path();
    check_input_file(&layout_path, "layout file")?;
    check_input_file(&args.articles_path(), "article file")?;
    let mut layout = layout::load(&layout_path).map_err(layout_error)?;
    if args.articles.is_some() && args.layout.is_none() {
        // The default layout plans the bundled sample's articles; any other
        // file is flowed on its grid.
        layout = layout.without_plan();
    }
    let articles_path = args.articles_path();
    let options = ParseOptions {
        fullwidth_punctuation: layout.fullwidth_punctuation,
    };
    let edition = source::parse_file(&articles_path, &options).map_err(source_error)?;
    for w in &edition.warnings {
        eprintln!("warning: {w}");
    }
    t.stage("parse");
    let mut db = FontDb::new();
    db.load_dir(&fonts::bundled_font_dir())
        .map_err(input_error)?;
    for (dir, span) in &layout.font_dirs {
        db.load_dir(dir)
            .map_err(|e| layout_error(layout.locator().error(span.clone(), e.to_string(), None)))?;
    }
    for f in &layout.font_files {
        if let Ok(m) = std::fs::metadata(&f.path) {
            if !m.is_file() {
                return Err(layout_error(layout.locator().error(
                    f.span.clone(),
                    format!("{} is not a regular file", f.path.display()),
                    Some("give the path of a font file under [fonts] files".into()),
                )));
            }
        }
        db.load_file(&f.path, f.index).map_err(|e| {
            layout_error(layout.locator().error(
                f.span.clone(),
                e.to_string(),
                Some("check the path and face index under [fonts] files".into()),
            ))
        })?;
    }
    t.stage("fonts");
    report_unplanned(&layout, &edition, args.strict)?;
    Ok(Inputs {
        layout,
        edition,
        db,
        articles_path,
    })
}

/// Compose for the fit report only: pages are dropped as soon as they are
/// finished.
fn compose_inputs(inputs: &Inputs, t: &mut Timings) -> anyhow::Result<Composition> {
    let c = compose::compose_streaming(
        &inputs.edition,
        &inputs.layout,
        &inputs.db,
        Some(Box::new(drop)),
    )
    .map_err(layout_error)?;
    t.stage("compose");
    Ok(c)
}

/// Warn about articles the layout's page plan names in no module: they are
/// flowed onto automatic pages after the planned ones, which is rarely what
/// the editor meant. `--strict` makes it an error.
fn report_unplanned(layout: &Layout, edition: &Edition, strict: bool) -> anyhow::Result<()> {
    let unplanned = compose::unplanned_articles(edition, layout).map_err(layout_error)?;
    if unplanned.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = unplanned
        .iter()
        .map(|&i| {
            let a = &edition.articles[i];
            format!(
                "{}:{}: article #{} 「{}」 is named by no module of {}; it is flowed onto automatic pages after the planned ones",
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
        eprintln!("warning: {l}");
    }
    Ok(())
}

/// The files a build reads, which no output may replace.
fn build_inputs(inputs: &Inputs) -> Vec<Input> {
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
    out
}

/// Check every output path before anything is composed or written.
fn plan_outputs(args: &BuildArgs, inputs: &Inputs) -> anyhow::Result<Vec<PlannedOutput>> {
    let pdf = args.output_path();
    let mut outputs: Vec<(&'static str, &Path)> = vec![("PDF", &pdf)];
    if let Some(dump) = &args.dump {
        outputs.push(("layout dump", dump));
    }
    outfile::plan(&outputs, &build_inputs(inputs)).map_err(input_error)
}

fn build(args: &BuildArgs) -> anyhow::Result<u8> {
    let mut t = Timings::new(args.input.timings);
    let progress = Progress::new();
    progress.stage("reading");
    let inputs = load_inputs(&args.input, &mut t)?;
    let targets = plan_outputs(args, &inputs)?;
    outfile::test_hold("BROADSHEET_TEST_HOLD_LOADED_MS");
    progress.stage("composing");
    let options = ExportOptions {
        pdfx: true,
        ..Default::default()
    };
    let (c, pages, pdf) = compose_and_export(&inputs, &options, &progress, args.dump.is_some())?;
    t.stage("compose+export");
    progress.finish();
    let json = args.dump.as_ref().map(|_| {
        debug_assert_eq!(c.pages.len(), pages);
        display::dump_json(&c.info, &c.pages, &inputs.db)
    });
    let mut contents: Vec<&[u8]> = vec![&pdf];
    contents.extend(json.as_ref().map(|j| j.as_bytes()));
    outfile::write_all(&targets, &contents).map_err(input_error)?;
    t.stage("write");
    t.total();
    let summary = format!(
        "{}wrote {} ({} page(s), {} bytes)",
        c.report.to_text(),
        targets[0].given.display(),
        pages,
        pdf.len()
    );
    // A PDF sent to a pipe or device (`-o /dev/stdout`) may be standard
    // output itself: the report must not be mixed into it.
    if targets.iter().any(PlannedOutput::is_stream) {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    Ok(unfit_code(&c, &args.allow))
}

/// Compose on a thread of its own and draw each page into the PDF as soon as
/// composition has finished it, so the two stages overlap on a long edition.
/// Drawn pages are dropped unless `keep_pages` (for the layout dump): a
/// 96-page edition's display list is tens of megabytes. Returns the
/// composition, the number of pages and the PDF.
fn compose_and_export(
    inputs: &Inputs,
    options: &ExportOptions,
    progress: &Progress,
    keep_pages: bool,
) -> anyhow::Result<(Composition, usize, Vec<u8>)> {
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
            compose::compose_streaming(&inputs.edition, &inputs.layout, &inputs.db, Some(sink))
        });
        let mut pages = Vec::new();
        let mut count = 0;
        progress.pages();
        let t0 = std::time::Instant::now();
        let mut drawing = std::time::Duration::ZERO;
        for page in pages_in {
            let t = std::time::Instant::now();
            writer.add_page(&page, &inputs.db)?;
            drawing += t.elapsed();
            progress.tick();
            count += 1;
            if keep_pages {
                pages.push(page);
            }
        }
        if std::env::var_os("BROADSHEET_STAGE_TIMES").is_some() {
            eprintln!(
                "  drawing  {:>8.1} ms busy of {:.1} ms",
                drawing.as_secs_f64() * 1000.0,
                t0.elapsed().as_secs_f64() * 1000.0
            );
        }
        let mut c = composer
            .join()
            .map_err(|_| anyhow::anyhow!("composition stopped on an internal error"))?
            .map_err(layout_error)?;
        c.pages = pages;
        let pdf = writer.finish(&c.info)?;
        Ok((c, count, pdf))
    })
}

impl BuildArgs {
    /// The PDF a build writes: the given path, or `output/<articles
    /// stem>.pdf` under the current folder (not the checkout the binary was
    /// built in).
    fn output_path(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| {
            let articles = self.input.articles_path();
            let stem = articles
                .file_stem()
                .map_or("edition".into(), |s| s.to_string_lossy().into_owned());
            PathBuf::from("output").join(format!("{stem}.pdf"))
        })
    }
}

/// A progress bar on stderr for long editions, shown only on a terminal.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new() -> Self {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            Progress(Some(bar))
        } else {
            Progress(None)
        }
    }

    fn stage(&self, name: &'static str) {
        if let Some(bar) = &self.0 {
            bar.set_message(name);
            bar.tick();
        }
    }

    fn pages(&self) {
        if let Some(bar) = &self.0 {
            bar.set_position(0);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos} page(s) written")
            {
                bar.set_style(style);
            }
            bar.set_message("composing and writing PDF");
        }
    }

    fn tick(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Files a build reads: the layout, the articles, the font folders.
fn watched_paths(args: &BuildArgs) -> Vec<PathBuf> {
    let layout = args.input.layout_path();
    let articles = args.input.articles_path();
    let mut paths = vec![layout.clone(), articles, fonts::bundled_font_dir()];
    if let Ok(l) = layout::load(&layout) {
        paths.extend(l.font_dirs.into_iter().map(|(d, _)| d));
        paths.extend(l.font_files.into_iter().map(|f| f.path));
    }
    paths
        .into_iter()
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .collect()
}

/// A path made absolute through its folder, so it compares equal to a
/// watcher's event path whether or not the file exists right now.
fn absolute_output(p: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(p) {
        return real;
    }
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            std::fs::canonicalize(dir)
                .map(|d| d.join(name))
                .unwrap_or_else(|_| p.to_path_buf())
        }
        _ => p.to_path_buf(),
    }
}

fn watch(args: &BuildArgs) -> anyhow::Result<u8> {
    use notify::{EventKind, RecursiveMode, Watcher};
    use std::sync::mpsc::RecvTimeoutError;
    use std::time::Duration;

    // An output that would replace an input is refused at once, not
    // reported after every rebuild.
    if let Ok(inputs) = load_inputs(&args.input, &mut Timings::new(false)) {
        plan_outputs(args, &inputs)?;
    }

    /// Quiet time after the last change before rebuilding: an editor's save
    /// is several events in a row.
    const DEBOUNCE: Duration = Duration::from_millis(150);

    let rebuild = || {
        let start = Instant::now();
        match build(args) {
            Ok(code) => println!(
                "rebuilt in {:.0} ms{}",
                start.elapsed().as_secs_f64() * 1000.0,
                if code == 0 {
                    ""
                } else {
                    " (with problems, see the report)"
                }
            ),
            Err(e) => report_error(&e),
        }
        println!("watching for changes (Ctrl-C to stop)");
    };
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx).context("starting the file watcher")?;
    let mut paths = watched_paths(args);
    // Editors save by writing a new file and renaming it over the old one,
    // which ends a watch on the file itself: watch the folders instead.
    let mut watch_all = |paths: &[PathBuf]| -> anyhow::Result<()> {
        let mut dirs: Vec<PathBuf> = paths
            .iter()
            .map(|p| {
                if p.is_dir() {
                    p.clone()
                } else {
                    p.parent().map(Path::to_path_buf).unwrap_or_default()
                }
            })
            .collect();
        dirs.sort();
        dirs.dedup();
        for d in dirs {
            watcher
                .watch(&d, RecursiveMode::NonRecursive)
                .with_context(|| format!("watching {}", d.display()))?;
        }
        Ok(())
    };
    watch_all(&paths)?;
    // Watching starts before the first build, so a file saved while it runs
    // is not missed; the build's own writes are told apart below.
    rebuild();
    // Only changes to content count: opening or reading a file (which every
    // build does, ours and any other process's) must not trigger a rebuild.
    // Our own writes (the PDF, the dump, their temporary files) may land
    // in a watched folder: they must not trigger the next rebuild.
    let own_outputs: Vec<PathBuf> = std::iter::once(args.output_path())
        .chain(args.dump.clone())
        .map(|p| absolute_output(&p))
        .collect();
    let temp_prefix = format!(".broadsheet-{}-", std::process::id());
    let is_ours = |p: &Path| {
        own_outputs.iter().any(|o| o == p)
            || p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with(&temp_prefix) && n.ends_with(".tmp")
            })
    };
    let changes = |event: &notify::Result<notify::Event>, paths: &[PathBuf]| -> bool {
        let Ok(event) = event else { return false };
        let content = match event.kind {
            EventKind::Create(_) | EventKind::Remove(_) => true,
            EventKind::Modify(m) => !matches!(m, notify::event::ModifyKind::Metadata(_)),
            _ => false,
        };
        content
            && event.paths.iter().any(|e| {
                let p = absolute_output(e);
                !is_ours(&p)
                    && paths
                        .iter()
                        .any(|w| *w == p || (w.is_dir() && p.starts_with(w)))
            })
    };
    while let Ok(event) = rx.recv() {
        if !changes(&event, &paths) {
            continue;
        }
        // Wait until the changes have been quiet for a moment; other
        // events do not hold the rebuild back.
        let mut deadline = Instant::now() + DEBOUNCE;
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(e) if changes(&e, &paths) => deadline = Instant::now() + DEBOUNCE,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Ok(0),
            }
        }
        rebuild();
        // The layout may now name other font folders.
        let now = watched_paths(args);
        if now != paths {
            paths = now;
            watch_all(&paths)?;
        }
    }
    Ok(0)
}

fn unfit_code(c: &Composition, allow: &Allow) -> u8 {
    // A glyph outside its frame is marked like overset and allowed with it.
    let overset = (c.report.overset_lines() > 0 || !c.report.outside_frame.is_empty())
        && !allow.allow_overset;
    let missing = !c.report.missing_glyphs.is_empty() && !allow.allow_missing_glyphs;
    if overset || missing {
        EXIT_UNFIT
    } else {
        0
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let command = cli.command.unwrap_or(Command::Build(BuildArgs {
        input: InputArgs {
            layout: None,
            articles: None,
            timings: false,
            strict: false,
        },
        output: None,
        dump: None,
        allow: Allow::default(),
    }));
    match command {
        Command::Build(args) => build(&args),
        Command::Watch(args) => watch(&args),
        Command::Parse {
            file,
            keep_ascii_punctuation,
        } => {
            check_input_file(&file, "article file")?;
            let options = ParseOptions {
                fullwidth_punctuation: !keep_ascii_punctuation,
            };
            let edition = source::parse_file(&file, &options).map_err(source_error)?;
            for w in &edition.warnings {
                eprintln!("warning: {w}");
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&edition).context("serialising the model")?
            );
            Ok(0)
        }
        Command::Fit(args) => {
            let mut t = Timings::new(args.timings);
            let inputs = load_inputs(&args, &mut t)?;
            let c = compose_inputs(&inputs, &mut t)?;
            t.total();
            print!("{}", c.report.to_text());
            Ok(unfit_code(&c, &Allow::default()))
        }
        Command::Check(args) => {
            // The same composition as a build, without export: a file that
            // `build` would reject is never passed.
            let mut t = Timings::new(args.input.timings);
            let inputs = load_inputs(&args.input, &mut t)?;
            let c = compose_inputs(&inputs, &mut t)?;
            t.total();
            print!("{}", c.report.to_text());
            let code = unfit_code(&c, &args.allow);
            println!(
                "{}: {} and {} ({} articles){}",
                if code == 0 { "ok" } else { "not ok" },
                inputs.layout.file.display(),
                inputs.articles_path.display(),
                inputs.edition.articles.len(),
                if code == 0 {
                    " compose without a problem"
                } else {
                    ": build would exit 1, see the report"
                }
            );
            Ok(code)
        }
        Command::Fonts(args) => {
            let mut t = Timings::new(args.timings);
            let inputs = load_inputs(&args, &mut t)?;
            for id in inputs.db.ids() {
                let f = inputs.db.info(id);
                println!(
                    "{:>3}  {:<24} weight {:<4} {}#{}",
                    id.0,
                    f.family,
                    f.weight,
                    f.path.display(),
                    f.index
                );
            }
            let c = compose_inputs(&inputs, &mut t)?;
            if c.report.missing_glyphs.is_empty() {
                println!(
                    "every character of {} is covered",
                    inputs.articles_path.display()
                );
                Ok(0)
            } else {
                for g in &c.report.missing_glyphs {
                    println!(
                        "not covered: U+{:04X} '{}' ({})",
                        g.code_point,
                        g.ch,
                        g.place()
                    );
                }
                Ok(EXIT_UNFIT)
            }
        }
    }
}

fn report_error(e: &anyhow::Error) {
    let color = std::io::stderr().is_terminal();
    match e.downcast_ref::<InputError>() {
        Some(input) => eprintln!("{}", input.render(color)),
        None => eprintln!("error: {e:#}"),
    }
}

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so printing to a closed pipe (`| head`) would
    // panic; the default action ends the process quietly, as `cat` does.
    // Outputs are complete on disk before anything is printed.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default before any
    // other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    outfile::install_signal_cleanup();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            report_error(&e);
            ExitCode::from(EXIT_INPUT)
        }
    }
}
