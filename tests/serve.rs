//! `broadsheet serve` over real HTTP: the binary on a free port, plain
//! `TcpStream` requests. It serves its own routes and nothing else, binds
//! this machine only unless told otherwise, and pushes a rebuild to an open
//! event stream when the layout changes, keeping the last good pages when
//! the layout breaks.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Longest wait for an answer or an event before the test fails (a hung
/// server must not hang the suite); not a timing assertion.
const GIVE_UP: Duration = Duration::from_secs(60);
/// The lead story's headline in the bundled sample.
const LEAD_HEADLINE: &str = "我市启动";

/// A running `serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `serve` on `layout` and `articles` with `extra` arguments and wait
/// for the address it prints.
fn start(layout: &Path, articles: &Path, extra: &[&str]) -> Server {
    let child = Command::new(bin())
        .args(["serve", "--port", "0", "--layout"])
        .arg(layout)
        .arg("--articles")
        .arg(articles)
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // In the guard at once, so a failure below still stops the server.
    let mut server = Server {
        child,
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
    };
    let mut out = BufReader::new(server.child.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "serve ended without printing its address"
        );
        if let Some(rest) = line.trim().strip_prefix("serving http://") {
            server.addr = rest.split('/').next().unwrap().parse().unwrap();
            // Keep reading stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
            return server;
        }
    }
}

/// A scratch copy of the default layout and the bundled sample.
fn scratch_inputs(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch(&format!("serve_{name}"));
    let layout = dir.join("layout.toml");
    std::fs::copy(root().join("layouts/default.toml"), &layout).unwrap();
    let articles = dir.join("edition.md");
    std::fs::copy(root().join("samples/edition.md"), &articles).unwrap();
    (dir, layout, articles)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(GIVE_UP)).unwrap();
    stream
}

/// Send a raw request line (the path exactly as given, not normalised)
/// and return the status and body.
fn request(addr: SocketAddr, method: &str, path: &str) -> (u16, String) {
    let mut stream = connect(addr);
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_string())
}

fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    request(addr, "GET", path)
}

fn get_ok(addr: SocketAddr, path: &str) -> String {
    let (status, body) = get(addr, path);
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// Where the invisible text of the run that starts with `prefix` begins on
/// the page: the `x` of its `<text>`.
fn text_x(svg: &str, prefix: &str) -> f32 {
    let at = svg
        .find(&format!(">{prefix}"))
        .unwrap_or_else(|| panic!("no text starting {prefix} on the page"));
    let start = svg[..at].rfind("<text ").unwrap();
    let x = svg[start..at].split("x=\"").nth(1).unwrap();
    x[..x.find('"').unwrap()].parse().unwrap()
}

/// An open `/events` stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: SocketAddr) -> Self {
        let mut stream = connect(addr);
        write!(stream, "GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.contains(" 200 "), "{status}");
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line.to_ascii_lowercase().starts_with("content-type:") {
                assert!(line.contains("text/event-stream"), "{line}");
            }
            if line == "\r\n" {
                return Events(reader);
            }
        }
    }

    /// The generation of the next build event.
    fn next(&mut self) -> u64 {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                self.0.read_line(&mut line).unwrap() > 0,
                "event stream ended"
            );
            if let Some(g) = line.trim().strip_prefix("data: ") {
                return g.parse().unwrap();
            }
        }
    }
}

#[test]
fn serves_the_page_the_pictures_and_the_report_and_nothing_else() {
    let (_dir, layout, articles) = scratch_inputs("routes");
    let server = start(&layout, &articles, &[]);
    let addr = server.addr;
    assert!(addr.ip().is_loopback(), "bound {addr} without --host");

    let page = get_ok(addr, "/");
    assert!(page.contains("<!doctype html>") && page.contains("new EventSource(\"/events\")"));

    let plain = get_ok(addr, "/page/1.svg");
    assert!(plain.starts_with("<?xml") && plain.contains("<svg"));
    assert!(
        plain.contains(&format!(">{LEAD_HEADLINE}")),
        "page 1 lacks its lead headline"
    );
    let proof = get_ok(addr, "/page/1.svg?proof=1");
    assert!(proof.len() > plain.len(), "the proof overlay adds nothing");

    let report: serde_json::Value = serde_json::from_str(&get_ok(addr, "/report.json")).unwrap();
    assert_eq!(report["format"], "broadsheet-fit-report");
    let modules = report["modules"].as_array().unwrap();
    assert!(modules.iter().any(|m| m["page"] == 1), "{report}");

    let state: serde_json::Value = serde_json::from_str(&get_ok(addr, "/state.json")).unwrap();
    assert_eq!(state["ok"], true);
    assert_eq!(state["pages"], 2, "{state}");

    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "/Cargo.toml",
        "/page/../../Cargo.toml",
        "/page/0.svg",
        "/page/3.svg",
        "/page/1.svg/../../Cargo.toml",
        "/src/main/serve.html",
    ] {
        let (status, body) = get(addr, path);
        assert_eq!(status, 404, "GET {path}");
        assert!(
            !body.contains("[package]"),
            "GET {path} served the manifest"
        );
    }
    assert_eq!(request(addr, "POST", "/").0, 404);
}

#[test]
fn binds_this_machine_only_unless_host_is_given() {
    let (dir, layout, articles) = scratch_inputs("host");
    // An address cannot be slipped in through the port.
    let out = run(
        &[
            "serve",
            "--layout",
            layout.to_str().unwrap(),
            "--articles",
            articles.to_str().unwrap(),
            "--port",
            "0.0.0.0:0",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    // Every interface only when asked for, and then with a warning.
    let mut child = Command::new(bin())
        .args(["serve", "--port", "0", "--host", "0.0.0.0", "--layout"])
        .arg(&layout)
        .arg("--articles")
        .arg(&articles)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("serving") && !line.starts_with("end") {
        line.clear();
        if stdout.read_line(&mut line).unwrap() == 0 {
            line = "ended".into();
        }
    }
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(line.starts_with("serving http://0.0.0.0:"), "{line}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("other machines can reach"), "{stderr}");
}

#[test]
fn a_saved_layout_is_pushed_and_a_broken_one_keeps_the_last_good_pages() {
    let (_dir, layout, articles) = scratch_inputs("rebuild");
    let server = start(&layout, &articles, &[]);
    let addr = server.addr;
    let mut events = Events::open(addr);
    assert_eq!(events.next(), 1, "the stream opens with the current build");
    let before = get_ok(addr, "/page/1.svg");
    let width: f32 = 1105.0;
    assert!(text_x(&before, LEAD_HEADLINE) < width / 2.0);

    // Swap the lead story into the right-hand stack.
    let text = std::fs::read_to_string(&layout).unwrap();
    let swapped = text
        .replacen(
            "article = \"城市书房\"\ncolumns = [1, 4]",
            "article = \"城市书房\"\ncolumns = [5, 8]",
            1,
        )
        .replacen(
            "article = \"地铁2号线\"\ncolumns = [5, 8]",
            "article = \"地铁2号线\"\ncolumns = [1, 4]",
            1,
        );
    assert_ne!(
        swapped, text,
        "the default layout no longer has its lead stack"
    );
    let saved = Instant::now();
    std::fs::write(&layout, &swapped).unwrap();
    assert_eq!(events.next(), 2);
    eprintln!(
        "rebuild-to-event latency: {:.0} ms (debounce included)",
        saved.elapsed().as_secs_f64() * 1000.0
    );
    let after = get_ok(addr, "/page/1.svg");
    eprintln!(
        "save-to-new-page latency: {:.0} ms (the page drawn on request)",
        saved.elapsed().as_secs_f64() * 1000.0
    );
    assert!(
        text_x(&after, LEAD_HEADLINE) > width / 2.0,
        "the lead story did not move to the right-hand stack"
    );

    // Break it: a column past the grid.
    let broken = swapped.replacen("columns = [5, 8]", "columns = [5, 80]", 1);
    let line = broken[..broken.find("[5, 80]").unwrap()].lines().count();
    std::fs::write(&layout, &broken).unwrap();
    assert_eq!(events.next(), 3);
    let state: serde_json::Value = serde_json::from_str(&get_ok(addr, "/state.json")).unwrap();
    assert_eq!(state["ok"], false);
    let error = state["error"].as_str().unwrap();
    assert!(error.contains(&format!("layout.toml:{line}:")), "{error}");
    assert_eq!(
        get_ok(addr, "/page/1.svg"),
        after,
        "the last good page is gone"
    );
}
