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
const GIVE_UP: Duration = Duration::from_secs(20);
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
    let text = std::fs::read_to_string(root().join("layouts/default.toml")).unwrap();
    std::fs::write(&layout, bundled_media_absolute(&text)).unwrap();
    let articles = dir.join("edition.md");
    std::fs::copy(root().join("samples/edition.md"), &articles).unwrap();
    copy_dir(&root().join("samples/media"), &dir.join("media"));
    (dir, layout, articles)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(GIVE_UP)).unwrap();
    stream
}

/// Send a raw request line (the path exactly as given, not normalised)
/// and return the status and body. The body is read to its
/// `Content-Length` where there is one (DevTools keeps the connection
/// open), or chunk by chunk (tiny_http sends a large body in chunks).
fn request(addr: SocketAddr, method: &str, path: &str) -> (u16, String) {
    let mut stream = BufReader::new(connect(addr));
    write!(
        stream.get_mut(),
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut status_line = String::new();
    stream.read_line(&mut status_line).unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .unwrap_or_else(|| panic!("not an HTTP response: {status_line:?}"))
        .parse()
        .unwrap();
    let mut length = None;
    let mut chunked = false;
    let mut line = String::new();
    while line != "\r\n" {
        line.clear();
        assert!(
            stream.read_line(&mut line).unwrap() > 0,
            "headers cut short"
        );
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.trim().parse::<usize>().unwrap());
            }
            if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.trim().eq_ignore_ascii_case("chunked");
            }
        }
    }
    let mut body = Vec::new();
    match length {
        _ if chunked => loop {
            line.clear();
            stream.read_line(&mut line).unwrap();
            let size = usize::from_str_radix(line.trim(), 16).unwrap();
            let start = body.len();
            body.resize(start + size + 2, 0);
            stream.read_exact(&mut body[start..]).unwrap();
            body.truncate(start + size);
            if size == 0 {
                break;
            }
        },
        Some(n) => {
            body.resize(n, 0);
            stream.read_exact(&mut body).unwrap();
        }
        None => {
            stream.read_to_end(&mut body).unwrap();
        }
    }
    (status, String::from_utf8(body).expect("a UTF-8 body"))
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

/// The default layout with its lead story swapped into the right-hand
/// stack and the story there into the left. The lead is 15 lines taller,
/// so the photograph at the foot of the right stack would keep only its
/// caption's line (an error): it gives way to a planning box, as it would
/// for an editor moving the lead.
fn lead_to_the_right(layout: &str) -> String {
    let at = layout
        .find("picture = \"")
        .filter(|&at| {
            layout[at..]
                .lines()
                .next()
                .unwrap_or("")
                .ends_with("riverside.jpg\"")
        })
        .expect("the default layout's right stack ends in the riverside photograph");
    let end = at + layout[at..].find("\n\n").unwrap_or(layout.len() - at);
    let layout = format!("{}placeholder = \"图片\"{}", &layout[..at], &layout[end..]);
    layout
        .replacen(
            "article = \"城市书房\"\ncolumns = [1, 4]",
            "article = \"城市书房\"\ncolumns = [5, 8]",
            1,
        )
        .replacen(
            "article = \"地铁2号线\"\ncolumns = [5, 8]",
            "article = \"地铁2号线\"\ncolumns = [1, 4]",
            1,
        )
}

#[test]
fn a_saved_layout_is_pushed_and_a_broken_one_keeps_the_last_good_pages() {
    let (dir, layout, articles) = scratch_inputs("rebuild");
    let server = start(&layout, &articles, &[]);
    let addr = server.addr;
    let mut events = Events::open(addr);
    assert_eq!(events.next(), 1, "the stream opens with the current build");
    let before = get_ok(addr, "/page/1.svg");
    let width: f32 = 1105.0;
    assert!(text_x(&before, LEAD_HEADLINE) < width / 2.0);

    // Swap the lead story into the right-hand stack.
    let text = std::fs::read_to_string(&layout).unwrap();
    let swapped = lead_to_the_right(&text);
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
    // Nothing written beside the inputs (serve keeps everything in memory).
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["edition.md", "layout.toml", "media"]);
}

// ---------------------------------------------------------------------------
// The page in a real browser: headless Chromium driven over the DevTools
// protocol, through a WebSocket client just big enough for it.

/// A DevTools WebSocket connection to one page.
struct DevTools {
    stream: TcpStream,
    next_id: u64,
}

impl DevTools {
    /// Connect to `ws://addr{path}`.
    fn connect(addr: SocketAddr, path: &str) -> Self {
        let mut stream = connect(addr);
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        // The handshake answer ends with an empty line; read it byte by
        // byte so no frame after it is swallowed.
        let mut head = Vec::new();
        let mut byte = [0u8];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head);
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        DevTools { stream, next_id: 1 }
    }

    /// Send one masked text frame (a client must mask).
    fn send(&mut self, text: &str) {
        const MASK: [u8; 4] = [0x5a, 0x17, 0xc3, 0x08];
        let payload = text.as_bytes();
        let mut frame = vec![0x81];
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n <= 0xffff => {
                frame.push(0x80 | 126);
                frame.extend((n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend((n as u64).to_be_bytes());
            }
        }
        frame.extend(MASK);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ MASK[i % 4]));
        self.stream.write_all(&frame).unwrap();
    }

    /// The next whole text message.
    fn receive(&mut self) -> String {
        let mut message = Vec::new();
        loop {
            let mut head = [0u8; 2];
            self.stream.read_exact(&mut head).unwrap();
            let fin = head[0] & 0x80 != 0;
            let opcode = head[0] & 0x0f;
            let len = match head[1] & 0x7f {
                126 => {
                    let mut n = [0u8; 2];
                    self.stream.read_exact(&mut n).unwrap();
                    u16::from_be_bytes(n) as usize
                }
                127 => {
                    let mut n = [0u8; 8];
                    self.stream.read_exact(&mut n).unwrap();
                    u64::from_be_bytes(n) as usize
                }
                n => n as usize,
            };
            let mut payload = vec![0u8; len];
            self.stream.read_exact(&mut payload).unwrap();
            assert_ne!(opcode, 8, "the browser closed the DevTools connection");
            if opcode <= 2 {
                message.extend(payload);
                if fin {
                    return String::from_utf8(message).unwrap();
                }
            }
        }
    }

    /// Call `method` and return its result.
    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        let id = self.next_id;
        self.next_id += 1;
        let command = serde_json::json!({ "id": id, "method": method, "params": params });
        self.send(&command.to_string());
        loop {
            let reply: serde_json::Value = serde_json::from_str(&self.receive()).unwrap();
            if reply["id"] == id {
                assert!(reply["error"].is_null(), "{method}: {reply}");
                return reply["result"].clone();
            }
        }
    }

    /// The value of the JavaScript `expression` in the page (promises
    /// awaited).
    fn eval(&mut self, expression: &str) -> serde_json::Value {
        let result = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        assert!(result["exceptionDetails"].is_null(), "{result}");
        result["result"]["value"].clone()
    }

    /// Look at the page until `done` holds for what [`PROBE`] sees.
    fn wait_for(
        &mut self,
        what: &str,
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let seen = self.eval(PROBE);
            if done(&seen) {
                return seen;
            }
            assert!(
                start.elapsed() < GIVE_UP,
                "the page never showed {what}: {seen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// What the page shows: its build, its page pictures (loaded or not), its
/// fit table, its error, and a mark set once that a reload would wipe.
const PROBE: &str = r#"(async () => {
  if (!document.getElementById('error')) return { generation: 0 };
  const imgs = [...document.querySelectorAll('#pages img')];
  const box = document.getElementById('error');
  return {
    generation: Number(document.body.dataset.generation || 0),
    images: imgs.length,
    loaded: imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0),
    sources: imgs.map(i => i.getAttribute('src').replace(/&retry=\d+$/, '')),
    widths: imgs.map(i => i.complete ? i.naturalWidth : -1),
    rows: document.querySelectorAll('#fit tbody tr').length,
    error: box.classList.contains('shown') ? document.getElementById('error-text').textContent : null,
    marked: window.notReloaded === true,
  };
})()"#;

/// Where the lead headline sits on the picture the page shows as page 1:
/// the `x` of its text in the SVG at the picture's address.
const LEAD_X: &str = r#"(async () => {
  const svg = await (await fetch(document.querySelector('#pages img').src)).text();
  const m = svg.match(/<text x="([0-9.]+)"[^>]*>我市启动/);
  return m && Number(m[1]);
})()"#;

/// Where to click, in the browser window's CSS pixels, to hit the lead
/// headline on page 1: its `<text>` anchor in the page's SVG, mapped from
/// pt onto the picture's place in the window.
const LEAD_POINT: &str = r#"(async () => {
  const img = document.querySelector('#pages img');
  img.scrollIntoView();
  const svg = await (await fetch(img.src)).text();
  const width = Number(svg.match(/width="([0-9.]+)pt"/)[1]);
  const height = Number(svg.match(/height="([0-9.]+)pt"/)[1]);
  const m = svg.match(/<text x="([0-9.]+)" y="([0-9.]+)"[^>]*>我市启动/);
  const r = img.getBoundingClientRect();
  return {
    x: r.left + (Number(m[1]) + 4) / width * r.width,
    y: r.top + (Number(m[2]) - 4) / height * r.height,
  };
})()"#;

/// A running headless Chromium, stopped when dropped.
struct Chromium(Child);

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Open `url` in headless Chromium and connect to its page; `None` when
/// Chromium is not installed and CI does not require it.
fn open_in_chromium(url: &str, profile: &Path) -> Option<(Chromium, DevTools)> {
    let spawned = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1400,1000",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => Chromium(child),
        // A browser test that cannot run fails: `bash scripts/test`
        // installs Chromium with the other tools the tests use.
        Err(e) => panic!(
            "chromium cannot be started ({e}): install it (`bash scripts/test` does, apt-get install chromium)"
        ),
    };
    let mut stderr = BufReader::new(child.0.stderr.take().unwrap());
    let mut line = String::new();
    let port: u16 = loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "chromium ended without DevTools"
        );
        if let Some(rest) = line.trim().strip_prefix("DevTools listening on ws://") {
            let host_port = rest.split('/').next().unwrap();
            break host_port.rsplit(':').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let devtools = SocketAddr::from(([127, 0, 0, 1], port));
    let start = Instant::now();
    let target = loop {
        let list: serde_json::Value =
            serde_json::from_str(&get_ok(devtools, "/json/list")).unwrap();
        let page = list
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page" && t["url"] == url)
            .cloned();
        if let Some(page) = page {
            break page;
        }
        assert!(
            start.elapsed() < GIVE_UP,
            "chromium never opened {url}: {list}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let ws = target["webSocketDebuggerUrl"].as_str().unwrap();
    let path = &ws[ws.find("/devtools/").unwrap()..];
    Some((child, DevTools::connect(devtools, path)))
}

#[test]
fn the_page_in_a_browser_follows_the_layout_without_reloading() {
    let (dir, layout, articles) = scratch_inputs("browser");
    let server = start(&layout, &articles, &[]);
    let url = format!("http://{}/", server.addr);
    let Some((_chromium, mut page)) = open_in_chromium(&url, &dir.join("profile")) else {
        return;
    };
    let first = page.wait_for("the first build", |s| {
        s["generation"] == 1 && s["loaded"] == true && s["rows"].as_u64() > Some(0)
    });
    assert_eq!(first["images"], 2, "{first}");
    assert!(first["error"].is_null(), "{first}");
    let half = 1105.0 / 2.0;
    assert!(page.eval(LEAD_X).as_f64().unwrap() < half, "{first}");
    page.eval("window.notReloaded = true");

    // A click on the lead story's headline shows its module's layout
    // section with the file and line of its `[[pages.modules]]` header.
    let text = std::fs::read_to_string(&layout).unwrap();
    let lead = text.find("article = \"城市书房\"").unwrap();
    let header = text[..lead].rfind("[[pages.modules]]").unwrap();
    let header_line = text[..header].lines().count() + 1;
    let at = page.eval(LEAD_POINT);
    for kind in ["mousePressed", "mouseReleased"] {
        page.call(
            "Input.dispatchMouseEvent",
            serde_json::json!({ "type": kind, "x": at["x"], "y": at["y"], "button": "left", "clickCount": 1 }),
        );
    }
    let shown = page.eval("document.getElementById('module').textContent");
    let shown = shown.as_str().unwrap_or_default();
    assert!(
        shown.contains(&format!("layout.toml:{header_line}\n[[pages.modules]]")),
        "clicking the lead story at {at} showed {shown:?}, not layout.toml:{header_line}"
    );
    assert!(shown.contains("article = \"城市书房\""), "{shown:?}");
    assert!(shown.contains("fit: "), "no fit line: {shown:?}");

    let text = std::fs::read_to_string(&layout).unwrap();
    let swapped = lead_to_the_right(&text);
    assert_ne!(swapped, text);
    let saved = Instant::now();
    std::fs::write(&layout, &swapped).unwrap();
    let moved = page.wait_for("the rebuilt pages", |s| {
        s["generation"] == 2 && s["loaded"] == true
    });
    eprintln!(
        "save-to-browser latency: {:.0} ms (pages loaded in the page; polled every 20 ms)",
        saved.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(moved["marked"], true, "the page was reloaded: {moved}");
    let lead_x = page.eval(LEAD_X);
    assert!(
        lead_x.as_f64().unwrap() > half,
        "the lead story did not move: {lead_x}"
    );
    if let Some(shot) = std::env::var_os("BROADSHEET_SCREENSHOT") {
        let png = page.call("Page.captureScreenshot", serde_json::json!({}));
        std::fs::write(shot, png["data"].as_str().unwrap()).unwrap();
    }

    let broken = swapped.replacen("columns = [5, 8]", "columns = [5, 80]", 1);
    let line = broken[..broken.find("[5, 80]").unwrap()].lines().count();
    std::fs::write(&layout, &broken).unwrap();
    let failed = page.wait_for("the error", |s| s["generation"] == 3);
    let error = failed["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error shown: {failed}"));
    assert!(error.contains(&format!("layout.toml:{line}:")), "{error}");
    assert_eq!(
        failed["sources"], moved["sources"],
        "the last good pages were replaced"
    );
    assert_eq!(failed["images"], 2);
    assert_eq!(failed["marked"], true, "the page was reloaded");
}

/// The latency the issue asks about, on the real sample page: each save of
/// the layout (a comment added, so the pages stay the same) until the
/// browser has loaded the rebuilt pictures. Logged, not asserted.
#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md"]
fn the_real_sample_reaches_the_browser_after_each_save() {
    const SAVES: usize = 7;
    let dir = scratch("serve_real_latency");
    let layout = dir.join("yuncheng.toml");
    std::fs::copy(root().join("layouts/yuncheng.toml"), &layout).unwrap();
    let articles = dir.join("yuncheng-evening.md");
    std::fs::copy(real_sample(), &articles).unwrap();
    let server = start(&layout, &articles, &[]);
    let url = format!("http://{}/", server.addr);
    let Some((_chromium, mut page)) = open_in_chromium(&url, &dir.join("profile")) else {
        return;
    };
    page.wait_for("the first build", |s| {
        s["generation"] == 1 && s["loaded"] == true
    });
    let mut text = std::fs::read_to_string(&layout).unwrap();
    let mut took = Vec::new();
    for save in 0..SAVES {
        text.push_str(&format!("# save {save}\n"));
        let saved = Instant::now();
        std::fs::write(&layout, &text).unwrap();
        let generation = 2 + save as u64;
        page.wait_for("the rebuilt pages", |s| {
            s["generation"] == generation && s["loaded"] == true
        });
        took.push(saved.elapsed().as_secs_f64() * 1000.0);
        // Let the watcher's pause end before the next save.
        std::thread::sleep(Duration::from_millis(300));
    }
    took.sort_by(f64::total_cmp);
    eprintln!(
        "real sample, save-to-browser latency over {SAVES} saves: median {:.0} ms, min {:.0}, max {:.0}",
        took[SAVES / 2],
        took[0],
        took[SAVES - 1]
    );
}
