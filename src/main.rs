//! The `broadsheet` command line: a thin shell over the library pipeline.
//! It parses arguments, prints messages and picks exit codes; a build
//! itself is [`broadsheet::build`].

#![deny(unsafe_code)]

#[path = "main/serve.rs"]
mod serve;
#[path = "main/terminal.rs"]
mod terminal;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use broadsheet::build::{self, InputError, Request, Sources};
use broadsheet::compose::Composition;
use broadsheet::outfile::{self, PlannedOutput};
use broadsheet::preview;
use broadsheet::source::{self, ParseOptions};

use terminal::Terminal;

/// Exit code for overset text or characters no font covers.
const EXIT_UNFIT: u8 = 1;
/// Exit code for usage and input errors.
const EXIT_INPUT: u8 = 2;

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
        after_help = "Examples:\n  broadsheet fit --layout layouts/tabloid.toml --articles samples/edition.md\n  broadsheet fit --json | jq '.modules[] | select(.cure) | .advice'\n\nThe JSON is described by docs/fit-report.schema.json."
    )]
    Fit(FitArgs),
    /// Compose without writing anything: the same report, verdict and exit
    /// code as `build`.
    #[command(
        after_help = "Examples:\n  broadsheet check --layout layouts/default.toml\n  broadsheet check --json --allow-overset    the report as JSON for CI (docs/fit-report.schema.json)"
    )]
    Check(CheckArgs),
    /// Rebuild whenever the layout, the articles or a font changes.
    #[command(
        after_help = "Prints the fit report and the time taken after every rebuild; an error is printed and\nwatching goes on. Stop with Ctrl-C.\n\nExample:\n  broadsheet watch --layout layouts/tabloid.toml --articles samples/edition.md -o output/tabloid.pdf"
    )]
    Watch(BuildArgs),
    /// Show the pages, the fit report and errors in a browser, rebuilt on
    /// every change.
    #[command(
        after_help = "Serves one page on this machine only (127.0.0.1) unless --host names another\naddress. The pages are rebuilt in memory whenever the layout, the articles or a\nfont changes, and the browser shows them without reloading. Nothing is written.\nStop with Ctrl-C.\n\nExample:\n  broadsheet serve --layout layouts/tabloid.toml --articles samples/edition.md"
    )]
    Serve(ServeArgs),
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

#[derive(Args, Clone)]
struct ServeArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Port to listen on; 0 picks a free one (the address is printed).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on. Default: 127.0.0.1, this machine only; give
    /// another (0.0.0.0 for every interface) only to let other machines in.
    #[arg(long)]
    host: Option<std::net::IpAddr>,
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
struct FitArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Print the report as JSON (docs/fit-report.schema.json) instead of
    /// text; the exit code is the same.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Clone)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    allow: Allow,
    /// Print the report and verdict as JSON (docs/fit-report.schema.json)
    /// instead of text; the exit code is the same.
    #[arg(long)]
    json: bool,
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
    #[command(flatten)]
    pictures: PictureArgs,
}

/// Screen pictures of the pages, written besides the PDF. The picture
/// options without `--png` or `--svg` are refused, not silently ignored
/// (see [`PictureArgs::check`]).
#[derive(Args, Clone, Default)]
struct PictureArgs {
    /// Also write each page as DIR/page-N.png (created if missing).
    #[arg(long, value_name = "DIR")]
    png: Option<PathBuf>,
    /// Resolution of the PNG pages.
    #[arg(long, value_name = "N", default_value_t = preview::DEFAULT_DPI, requires = "png",
          value_parser = clap::value_parser!(u32).range(preview::MIN_DPI as i64..=preview::MAX_DPI as i64))]
    dpi: u32,
    /// Also write each page as DIR/page-N.svg (glyphs as outlines, text kept for search).
    #[arg(long, value_name = "DIR")]
    svg: Option<PathBuf>,
    /// Draw the proof overlay on the pictures: grid, module outlines and
    /// numbers, empty lines, overset, column ends. Never in the PDF.
    #[arg(long)]
    proof: bool,
    /// Show the bleed round the trimmed page in the pictures.
    #[arg(long)]
    with_bleed: bool,
}

impl PictureArgs {
    /// `--proof` and `--with-bleed` change pictures only: without one to
    /// draw they would be dropped without a word.
    fn check(&self) -> anyhow::Result<()> {
        let asked = [("--proof", self.proof), ("--with-bleed", self.with_bleed)];
        match asked.iter().find(|(_, on)| *on) {
            Some((flag, _)) if self.png.is_none() && self.svg.is_none() => {
                anyhow::bail!("{flag} changes the page pictures only: add --png DIR or --svg DIR")
            }
            _ => Ok(()),
        }
    }
}

impl InputArgs {
    /// The inputs these options name.
    fn sources(&self) -> Sources {
        Sources {
            layout: self.layout.clone(),
            articles: self.articles.clone(),
            strict: self.strict,
        }
    }
}

impl BuildArgs {
    /// The build these options ask for.
    fn request(&self) -> Request {
        Request {
            sources: self.input.sources(),
            output: self.output.clone(),
            dump: self.dump.clone(),
            pictures: build::Pictures {
                png: self.pictures.png.clone(),
                svg: self.pictures.svg.clone(),
                options: preview::Options {
                    dpi: self.pictures.dpi,
                    proof: self.pictures.proof,
                    extent: match self.pictures.with_bleed {
                        true => preview::Extent::Bleed,
                        false => preview::Extent::Trim,
                    },
                },
            },
        }
    }
}

fn build(args: &BuildArgs) -> anyhow::Result<u8> {
    build_once(args).map(|(code, _)| code)
}

/// A build, and what it made, for [`run`] to leave to the operating system:
/// it takes back the fonts' mappings and the heap at exit faster than
/// freeing them piece by piece (2–3 ms of a front page's build).
fn build_once(args: &BuildArgs) -> anyhow::Result<(u8, build::Outcome)> {
    args.pictures.check()?;
    let terminal = Terminal::new(args.input.timings, true);
    let done = build::run(&args.request(), &terminal)?;
    terminal.total();
    let mut summary = format!(
        "{}wrote {} ({} page(s), {} bytes)",
        done.composition.report.to_text(),
        done.outputs[0].given.display(),
        done.pages,
        done.bytes
    );
    for dir in [&args.pictures.png, &args.pictures.svg]
        .into_iter()
        .flatten()
    {
        summary.push_str(&format!(
            "\nwrote {} page picture(s) to {}",
            done.pages,
            dir.display()
        ));
    }
    // A PDF sent to a pipe or device (`-o /dev/stdout`) may be standard
    // output itself: the report must not be mixed into it.
    if done.outputs.iter().any(PlannedOutput::is_stream) {
        eprintln!("{summary}");
    } else {
        println!("{summary}");
    }
    Ok((unfit_code(&done.composition, &args.allow), done))
}

fn watch(args: &BuildArgs) -> anyhow::Result<u8> {
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
    build::watch(&args.request(), &Terminal::new(false, false), rebuild)?;
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
        pictures: PictureArgs {
            dpi: preview::DEFAULT_DPI,
            ..PictureArgs::default()
        },
    }));
    match command {
        Command::Build(args) => {
            let (code, made) = build_once(&args)?;
            // The process ends now (see `build_once`).
            std::mem::forget(made);
            Ok(code)
        }
        Command::Watch(args) => watch(&args),
        Command::Serve(args) => serve::serve(
            args.input.sources(),
            serve::bind_address(args.host, args.port),
            |c| unfit_code(c, &Allow::default()),
        ),
        Command::Parse {
            file,
            keep_ascii_punctuation,
        } => parse(&file, keep_ascii_punctuation),
        Command::Fit(args) => fit(&args),
        Command::Check(args) => check(&args),
        Command::Fonts(args) => list_fonts(&args),
    }
}

fn parse(file: &Path, keep_ascii_punctuation: bool) -> anyhow::Result<u8> {
    build::check_input_file(file, "article file")?;
    let options = ParseOptions {
        fullwidth_punctuation: !keep_ascii_punctuation,
        ..ParseOptions::default()
    };
    let edition = source::parse_file(file, &options).map_err(build::source_error)?;
    for w in &edition.warnings {
        eprintln!("warning: {w}");
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&edition).context("serialising the model")?
    );
    Ok(0)
}

fn fit(args: &FitArgs) -> anyhow::Result<u8> {
    let terminal = Terminal::new(args.input.timings, false);
    let inputs = build::load_inputs(&args.input.sources(), &terminal)?;
    let c = build::compose_report(&inputs, &terminal)?;
    terminal.total();
    let code = unfit_code(&c, &Allow::default());
    if args.json {
        print_json(&inputs, &c, code)?;
    } else {
        print!("{}", c.report.to_text());
    }
    Ok(code)
}

/// The fit report as JSON on standard output, with the command's exit code.
fn print_json(inputs: &build::Inputs, c: &Composition, code: u8) -> anyhow::Result<()> {
    let json = c
        .report
        .to_json(&inputs.layout.file, &inputs.articles_path, code);
    let text = serde_json::to_string_pretty(&json).context("serialising the fit report")?;
    println!("{text}");
    Ok(())
}

/// The same composition as a build, without export: a file that `build`
/// would reject is never passed.
fn check(args: &CheckArgs) -> anyhow::Result<u8> {
    let terminal = Terminal::new(args.input.timings, false);
    let inputs = build::load_inputs(&args.input.sources(), &terminal)?;
    let c = build::compose_report(&inputs, &terminal)?;
    terminal.total();
    let code = unfit_code(&c, &args.allow);
    if args.json {
        print_json(&inputs, &c, code)?;
        return Ok(code);
    }
    print!("{}", c.report.to_text());
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

fn list_fonts(args: &InputArgs) -> anyhow::Result<u8> {
    let terminal = Terminal::new(args.timings, false);
    let inputs = build::load_inputs(&args.sources(), &terminal)?;
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
    let c = build::compose_report(&inputs, &terminal)?;
    if c.report.missing_glyphs.is_empty() {
        println!(
            "every character of {} is covered",
            inputs.articles_path.display()
        );
        return Ok(0);
    }
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

fn report_error(e: &anyhow::Error) {
    let color = std::io::stderr().is_terminal();
    match e.downcast_ref::<InputError>() {
        Some(input) => eprintln!("{}", input.render(color)),
        None => eprintln!("error: {e:#}"),
    }
}

/// Rust ignores SIGPIPE, so printing to a closed pipe (`| head`) would
/// panic; the default action ends the process quietly, as `cat` does.
/// Outputs are complete on disk before anything is printed.
#[cfg(unix)]
#[expect(
    unsafe_code,
    reason = "libc::signal has no safe wrapper; called once, before any other thread exists"
)]
fn restore_sigpipe() {
    // SAFETY: setting a signal's disposition to the default before any
    // other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    #[cfg(unix)]
    restore_sigpipe();
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
