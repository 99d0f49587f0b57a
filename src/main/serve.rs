//! `broadsheet serve`: a local web page that shows the pages as SVG, the
//! fit report as a table and the last build's error, rebuilt on every
//! change to the inputs and pushed to the browser over server-sent events.
//!
//! Everything is held in memory; nothing is written to disk. The server
//! answers a fixed set of routes and nothing else, so no path a browser
//! sends can reach a file.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;

use broadsheet::build::{self, InputError, Sources};
use broadsheet::compose;
use broadsheet::display::Page;
use broadsheet::fonts::FontDb;
use broadsheet::layout::{line_col, Layout};
use broadsheet::observe::Observer;
use broadsheet::preview;

/// The page itself: HTML with its CSS and script inline, no other asset.
const PAGE: &str = include_str!("serve.html");
/// Address bound when `--host` is not given: this machine only.
pub const DEFAULT_HOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
/// How often an idle event stream sends a comment, so a closed browser tab
/// is noticed and its thread ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// One page of a good build, drawn when a browser first asks for it: the
/// build itself only composes, so the event goes out sooner and a picture
/// nobody looks at (the plain one while the proof box is ticked) is never
/// drawn.
struct PagePictures {
    /// The page's display list.
    page: Page,
    /// The fonts it was set in.
    db: Arc<FontDb>,
    /// The page as it prints, once drawn.
    plain: OnceLock<String>,
    /// The page with the proof overlay, once drawn.
    proof: OnceLock<String>,
}

impl PagePictures {
    /// The page as SVG, with the proof overlay if `proof`.
    fn svg(&self, proof: bool) -> &str {
        let cell = if proof { &self.proof } else { &self.plain };
        cell.get_or_init(|| {
            let options = preview::Options {
                proof,
                ..preview::Options::default()
            };
            preview::svg(&self.page, &self.db, &options)
        })
    }
}

/// What the browser is shown: the last good pages and report, and the last
/// build's error if it failed.
#[derive(Default)]
struct State {
    /// Builds finished, good or bad; 0 before the first.
    generation: u64,
    /// Pages of the last good build.
    pages: Vec<Arc<PagePictures>>,
    /// The fit report of the last good build as JSON.
    report: String,
    /// Where each module of the last good build sits on its page and in
    /// the layout file, as JSON (see [`module_map`]).
    modules: String,
    /// The last build's error, rendered with its file:line:col and snippet.
    error: Option<String>,
    /// How long the last build took, in ms.
    build_ms: f64,
    /// Whether the browser last asked for pages without the proof overlay
    /// (its box is ticked when the page opens): the kind drawn ahead of its
    /// next request.
    plain: bool,
}

/// The state shared by the builder and every connection, with a signal
/// for each finished build.
#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    built: Condvar,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Warnings of a rebuild are printed; the page shows the report.
struct Quiet;

impl Observer for Quiet {
    fn warning(&self, message: &str) {
        eprintln!("warning: {message}");
    }
}

/// The address to bind: `host` when given (any address: the user asked
/// for it), else this machine only.
pub fn bind_address(host: Option<IpAddr>, port: u16) -> SocketAddr {
    SocketAddr::new(host.unwrap_or(DEFAULT_HOST), port)
}

/// Serve the pages of `sources` at `addr` until interrupted.
pub fn serve(
    sources: Sources,
    addr: SocketAddr,
    exit_code: fn(&compose::Composition) -> u8,
) -> anyhow::Result<u8> {
    let server = tiny_http::Server::http(addr)
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let bound = server
        .server_addr()
        .to_ip()
        .context("the server has no IP address")?;
    if !bound.ip().is_loopback() {
        eprintln!(
            "warning: serving on {} — other machines can reach this address",
            bound.ip()
        );
    }
    let shared = Arc::new(Shared::default());
    let builder = Arc::clone(&shared);
    std::thread::spawn(move || {
        let rebuild = || rebuild(&sources, &builder, exit_code);
        if let Err(e) = build::watch_sources(&sources, rebuild) {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    });
    // The address is printed once the first build is in, so a browser (or
    // a test) opening it at once sees pages.
    {
        let mut state = shared.lock();
        while state.generation == 0 {
            state = shared
                .built
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
    println!("serving http://{bound}/ (Ctrl-C to stop)");
    std::io::stdout().flush().ok();
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        // A thread each: an event stream stays open as long as its tab.
        std::thread::spawn(move || answer(request, &shared));
    }
    Ok(0)
}

/// Build the pages and the report in memory and publish them; a failed
/// build publishes its error and keeps the last good pages.
fn rebuild(sources: &Sources, shared: &Shared, exit_code: fn(&compose::Composition) -> u8) {
    let start = Instant::now();
    let made = make(sources, exit_code);
    let build_ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut state = shared.lock();
    state.generation += 1;
    state.build_ms = build_ms;
    match made {
        Ok(Made {
            pages,
            report,
            modules,
        }) => {
            println!("rebuilt in {build_ms:.0} ms");
            draw_ahead(&pages, !state.plain);
            state.pages = pages;
            state.report = report;
            state.modules = modules;
            state.error = None;
        }
        Err(e) => {
            let text = match e.downcast_ref::<InputError>() {
                Some(input) => input.render(false),
                None => format!("error: {e:#}"),
            };
            eprintln!("{text}");
            state.error = Some(text);
        }
    }
    shared.built.notify_all();
}

/// Start drawing `pages` as the browser last asked for them, each on a
/// thread of its own, so that its request, which comes once the event has
/// reached it, finds them drawn or being drawn (the `OnceLock` makes it
/// wait for the drawing under way rather than start another).
fn draw_ahead(pages: &[Arc<PagePictures>], proof: bool) {
    for page in pages {
        let page = Arc::clone(page);
        std::thread::spawn(move || {
            page.svg(proof);
        });
    }
}

/// A good build, ready to publish.
struct Made {
    /// The pages, to be drawn.
    pages: Vec<Arc<PagePictures>>,
    /// The fit report as JSON.
    report: String,
    /// The module map as JSON.
    modules: String,
}

/// Build the pages, the fit report and the module map.
fn make(sources: &Sources, exit_code: fn(&compose::Composition) -> u8) -> anyhow::Result<Made> {
    let inputs = build::load_inputs(sources, &Quiet)?;
    let (edition, layout) = (&inputs.edition, &inputs.layout);
    let mut c = compose::compose_with_media(edition, layout, &inputs.db, &inputs.library)
        .map_err(build::layout_error)?;
    let json = c
        .report
        .to_json(&inputs.layout.file, &inputs.articles_path, exit_code(&c));
    let report = serde_json::to_string(&json).context("serialising the fit report")?;
    let modules = module_map(&c.pages, &inputs.layout).to_string();
    let db = Arc::new(inputs.db);
    let pages = std::mem::take(&mut c.pages)
        .into_iter()
        .map(|page| {
            Arc::new(PagePictures {
                page,
                db: Arc::clone(&db),
                plain: OnceLock::new(),
                proof: OnceLock::new(),
            })
        })
        .collect();
    Ok(Made {
        pages,
        report,
        modules,
    })
}

/// For each page, its size and every module frame with the layout section
/// that places it: the file, the line of its `[[pages.modules]]` header
/// and the section's text, so a click on the page can show the editor
/// where to change it. Frames of automatic flow have no section.
fn module_map(pages: &[Page], layout: &Layout) -> serde_json::Value {
    let file = layout.file.display().to_string();
    let pages: Vec<serde_json::Value> = pages
        .iter()
        .enumerate()
        .map(|(pi, page)| {
            let modules: Vec<serde_json::Value> = page
                .modules
                .iter()
                .map(|frame| {
                    let spec = frame
                        .module
                        .and_then(|m| layout.pages.get(pi)?.modules.get(m.checked_sub(1)?));
                    let (line, section) = match spec {
                        Some(spec) => {
                            let (line, text) = toml_section(&layout.text, spec.span.start);
                            (Some(line), Some(text))
                        }
                        None => (None, None),
                    };
                    serde_json::json!({
                        "name": frame.name,
                        "module": frame.module,
                        "article": frame.article,
                        "x": frame.x,
                        "y": frame.y,
                        "width": frame.width,
                        "height": frame.height,
                        "file": spec.map(|_| &file),
                        "line": line,
                        "section": section,
                    })
                })
                .collect();
            serde_json::json!({
                "page": page.number,
                "width": page.width,
                "height": page.height,
                "modules": modules,
            })
        })
        .collect();
    serde_json::Value::Array(pages)
}

/// The TOML table around byte `offset` of `text`: the 1-based line of its
/// `[header]` and its lines up to the next header, trailing blank lines
/// dropped.
fn toml_section(text: &str, offset: usize) -> (usize, String) {
    let (at, _) = line_col(text, offset);
    let lines: Vec<&str> = text.lines().collect();
    let is_header = |l: &str| l.trim_start().starts_with('[');
    let mut first = at.saturating_sub(1).min(lines.len().saturating_sub(1));
    while first > 0 && !is_header(lines[first]) {
        first -= 1;
    }
    let mut end = first + 1;
    while end < lines.len() && !is_header(lines[end]) {
        end += 1;
    }
    while end > first + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    (first + 1, lines[first..end].join("\n"))
}

/// A route's answer.
enum Reply {
    /// A body of this content type.
    Body(&'static str, Vec<u8>),
    /// The event stream.
    Events,
    /// Not one of ours.
    NotFound,
}

/// Answer one request from the fixed routes.
fn answer(request: tiny_http::Request, shared: &Shared) {
    let url = request.url();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let reply = if *request.method() != tiny_http::Method::Get {
        Reply::NotFound
    } else {
        route(path, query, shared)
    };
    let result = match reply {
        Reply::Events => events(request, shared),
        Reply::Body(kind, body) => {
            let response = tiny_http::Response::from_data(body)
                .with_header(header("Content-Type", kind))
                .with_header(header("Cache-Control", "no-store"));
            request.respond(response)
        }
        Reply::NotFound => request.respond(
            tiny_http::Response::from_string("not found\n")
                .with_status_code(404)
                .with_header(header("Content-Type", "text/plain; charset=utf-8")),
        ),
    };
    // A browser that went away is no error of ours.
    let _ = result;
}

/// What `path` (without its query) names.
fn route(path: &str, query: &str, shared: &Shared) -> Reply {
    const HTML: &str = "text/html; charset=utf-8";
    const JSON: &str = "application/json";
    const SVG: &str = "image/svg+xml";
    match path {
        "/" => Reply::Body(HTML, PAGE.as_bytes().to_vec()),
        "/events" => Reply::Events,
        "/report.json" => {
            let state = shared.lock();
            Reply::Body(JSON, state.report.clone().into_bytes())
        }
        "/state.json" => Reply::Body(JSON, state_json(&shared.lock()).into_bytes()),
        "/modules.json" => {
            let state = shared.lock();
            Reply::Body(JSON, state.modules.clone().into_bytes())
        }
        _ => {
            let Some(n) = page_number(path) else {
                return Reply::NotFound;
            };
            let proof = query.split('&').any(|q| q == "proof=1");
            // Drawn outside the lock: other requests go on meanwhile.
            let page = {
                let mut state = shared.lock();
                state.plain = !proof;
                state.pages.get(n.wrapping_sub(1)).cloned()
            };
            match page {
                Some(p) => Reply::Body(SVG, p.svg(proof).as_bytes().to_vec()),
                None => Reply::NotFound,
            }
        }
    }
}

/// The page number of `/page/N.svg`; `None` for any other path.
fn page_number(path: &str) -> Option<usize> {
    let digits = path.strip_prefix("/page/")?.strip_suffix(".svg")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The build's state for the page: generation, page count, error.
fn state_json(state: &State) -> String {
    serde_json::json!({
        "generation": state.generation,
        "pages": state.pages.len(),
        "ok": state.error.is_none(),
        "error": state.error,
        "build_ms": state.build_ms,
    })
    .to_string()
}

/// Keep the connection open and send the generation after every build
/// (and once at once), until the browser goes away.
fn events(request: tiny_http::Request, shared: &Shared) -> std::io::Result<()> {
    // tiny_http buffers a streamed body in 8 KiB chunks; an event must go
    // out the moment it is written, so the response is written by hand.
    let mut out = request.into_writer();
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
    )?;
    let mut sent = 0;
    loop {
        let generation = {
            let state = shared.lock();
            let (state, _) = shared
                .built
                .wait_timeout_while(state, KEEP_ALIVE, |s| s.generation == sent)
                .unwrap_or_else(PoisonError::into_inner);
            state.generation
        };
        if generation == sent {
            out.write_all(b": keep-alive\n\n")?;
        } else {
            sent = generation;
            write!(out, "event: build\ndata: {generation}\n\n")?;
        }
        out.flush()?;
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("a fixed header is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_page_numbers_name_a_page() {
        assert_eq!(page_number("/page/1.svg"), Some(1));
        assert_eq!(page_number("/page/12.svg"), Some(12));
        for p in [
            "/page/.svg",
            "/page/1.svg/",
            "/page/../1.svg",
            "/page/+1.svg",
            "/page/1.png",
        ] {
            assert_eq!(page_number(p), None, "{p}");
        }
    }
}
