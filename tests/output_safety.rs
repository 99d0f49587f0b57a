//! A build never destroys a user's file and never dies noisily (issue 12):
//! outputs naming an input, devices, links, all-or-nothing writes, signals,
//! closed pipes, unreadable inputs, watch loops, and where the bundled files
//! and the default output are found. Everything runs the real binary.

#[macro_use]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

const ARTICLES: &str = "# 清河新区 开通首条环线公交\n\n清河晚报讯(记者 王明)11月20日上午,清河新区首条环线公交正式开通。\n\n## 城市书房再添新址\n\n清河晚报讯(记者 李华)第十二家城市书房开门迎客。\n";

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A scratch folder with `articles.md` and a grid-only `layout.toml`.
fn setup(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch(&format!("safety_{name}"));
    let a = dir.join("articles.md");
    std::fs::write(&a, ARTICLES).unwrap();
    let l = dir.join("layout.toml");
    std::fs::write(&l, grid_layout!()).unwrap();
    (dir, l, a)
}

fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

// ---------------------------------------------------------------------------
// Item 1: an output naming an input

#[test]
fn an_output_naming_an_input_is_refused_and_the_input_kept() {
    let (dir, l, a) = setup("input_as_output");
    let font = root().join("fonts/NotoSerifCJK-Regular.ttc");
    let font_len = std::fs::metadata(&font).unwrap().len();
    std::fs::hard_link(&a, dir.join("linked.md")).unwrap();
    std::os::unix::fs::symlink(&l, dir.join("layout-link.toml")).unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["-o".into(), a.to_str().unwrap().into()],
            "the article file",
        ),
        (
            vec!["-o".into(), "./sub/../articles.md".into()],
            "the article file",
        ),
        (vec!["-o".into(), "linked.md".into()], "the article file"),
        (
            vec!["-o".into(), "layout-link.toml".into()],
            "the layout file",
        ),
        (
            vec!["--dump".into(), l.to_str().unwrap().into()],
            "the layout file",
        ),
        (
            vec!["-o".into(), font.to_str().unwrap().into()],
            "a font file",
        ),
        (
            vec![
                "-o".into(),
                "x.pdf".into(),
                "--dump".into(),
                "./x.pdf".into(),
            ],
            "the same file",
        ),
    ];
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for (extra, says) in cases {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let out = build_to(&dir, &l, &a, &extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", text(&out));
        assert!(text(&out).contains(says), "{extra:?}: {}", text(&out));
        assert_eq!(std::fs::read_to_string(&a).unwrap(), ARTICLES, "{extra:?}");
        assert_eq!(
            std::fs::read_to_string(&l).unwrap(),
            grid_layout!(),
            "{extra:?}"
        );
        assert!(!dir.join("x.pdf").exists(), "{extra:?}");
        assert!(temporaries(&dir).is_empty(), "{extra:?}");
    }
    assert_eq!(std::fs::metadata(&font).unwrap().len(), font_len);
}

#[test]
fn watch_refuses_an_output_naming_an_input_at_once() {
    let (dir, l, a) = setup("watch_input_as_output");
    let mut child = Command::new(bin())
        .args([
            "watch",
            "--layout",
            l.to_str().unwrap(),
            "--articles",
            a.to_str().unwrap(),
            "-o",
            a.to_str().unwrap(),
        ])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_or_kill(&mut child, Duration::from_secs(60));
    assert_eq!(status.and_then(|s| s.code()), Some(2));
    assert_eq!(std::fs::read_to_string(&a).unwrap(), ARTICLES);
}

fn wait_or_kill(
    child: &mut std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(s) = child.try_wait().unwrap() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

// ---------------------------------------------------------------------------
// Item 2: devices, symlinks, hard links, permissions

// These tests never name the machine's own /dev/null or /dev/stdout: a
// regression that renames over its target would replace them for every
// process on the machine (as root, which CI is). A private device node, a
// FIFO and a symlink to the standard output's descriptor stand in for them.

#[test]
fn a_device_or_a_pipe_stays_what_it_is_and_receives_the_pdf() {
    use std::os::unix::fs::FileTypeExt;
    let (dir, l, a) = setup("devices");
    let fifo = dir.join("pipe.pdf");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let (tx, rx) = std::sync::mpsc::channel();
    let reading = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::read(&reading));
    });
    let out = build_to(&dir, &l, &a, &["-o", "pipe.pdf"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let got = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("nothing reached the pipe")
        .unwrap();
    assert!(got.starts_with(b"%PDF-"));
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());

    // A private null device, where the test may make one (root can).
    let null = dir.join("null");
    let made = Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let out = build_to(&dir, &l, &a, &["-o", "null"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(std::fs::symlink_metadata(&null)
            .unwrap()
            .file_type()
            .is_char_device());
    } else {
        eprintln!("note: mknod is not allowed here; the FIFO case stands for devices");
    }
}

#[test]
fn a_pdf_to_standard_output_is_the_whole_pdf_and_nothing_else() {
    let (dir, l, a) = setup("stdout");
    // What /dev/stdout is: a link to the process's descriptor 1.
    std::os::unix::fs::symlink("/proc/self/fd/1", dir.join("stdout")).unwrap();
    let out = build_to(&dir, &l, &a, &["-o", "stdout"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(out.stdout.starts_with(b"%PDF-"), "stdout is not a PDF");
    let tail = String::from_utf8_lossy(&out.stdout[out.stdout.len() - 8..]).into_owned();
    assert!(tail.contains("%%EOF"), "stdout ends with {tail:?}");
    // The report goes to stderr, not into the PDF.
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote stdout"));
    assert!(std::fs::symlink_metadata(dir.join("stdout"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn links_are_written_through_and_the_mode_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, l, a) = setup("links");
    let real = dir.join("real.pdf");
    std::fs::write(&real, b"old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let sym = dir.join("sym.pdf");
    std::os::unix::fs::symlink(&real, &sym).unwrap();
    let out = build_to(&dir, &l, &a, &["-o", "sym.pdf"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(std::fs::symlink_metadata(&sym)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read(&real).unwrap().starts_with(b"%PDF-"));
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let hard = dir.join("hard.pdf");
    std::fs::hard_link(&real, &hard).unwrap();
    std::fs::write(&real, b"old").unwrap();
    let out = build_to(&dir, &l, &a, &["-o", "hard.pdf"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(std::fs::read(&real).unwrap().starts_with(b"%PDF-"));
}

// ---------------------------------------------------------------------------
// Items 3 and 4: all or nothing; temporary files

#[test]
fn a_dump_that_cannot_be_written_leaves_no_pdf() {
    let (dir, l, a) = setup("dump_fails");
    std::fs::write(dir.join("plain-file"), b"").unwrap();
    for dump in ["plain-file/dump.json", "."] {
        let out = build_to(&dir, &l, &a, &["-o", "new.pdf", "--dump", dump]);
        assert_eq!(out.status.code(), Some(2), "{dump}: {}", text(&out));
        assert!(!dir.join("new.pdf").exists(), "{dump}: a PDF was written");
        assert!(temporaries(&dir).is_empty());
    }
    // The OS error is said once, and names the output.
    let out = build_to(&dir, &l, &a, &["-o", "plain-file/x.pdf"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(t.matches("os error").count(), 1, "{t}");
    assert!(t.contains("plain-file/x.pdf"), "{t}");
}

#[test]
fn an_output_name_of_255_bytes_is_written() {
    let (dir, l, a) = setup("long_name");
    let name = format!("{}.pdf", "长".repeat(83)); // 249 + 4 bytes
    assert!(name.len() > 246 && name.len() <= 255);
    let out = build_to(&dir, &l, &a, &["-o", &name]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(dir.join(&name).exists());
}

#[test]
fn a_terminating_signal_during_the_write_removes_the_temporary_file() {
    let (dir, l, a) = setup("signal");
    for signal in ["-TERM", "-INT"] {
        let mut child = Command::new(bin())
            .args([
                "build",
                "--layout",
                l.to_str().unwrap(),
                "--articles",
                a.to_str().unwrap(),
                "-o",
                "out.pdf",
            ])
            .env("BROADSHEET_TEST_HOLD_WRITE_MS", "20000")
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The temporary file is complete once it is there and the write is
        // held: send the signal then.
        let deadline = Instant::now() + Duration::from_secs(60);
        while temporaries(&dir).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(!temporaries(&dir).is_empty(), "no temporary file appeared");
        let kill = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = wait_or_kill(&mut child, Duration::from_secs(30));
        assert!(status.is_some(), "{signal}: the build did not stop");
        assert!(
            temporaries(&dir).is_empty(),
            "{signal}: left {:?}",
            temporaries(&dir)
        );
        assert!(!dir.join("out.pdf").exists());
    }
}

// ---------------------------------------------------------------------------
// Item 7: a closed standard output

#[test]
fn a_closed_standard_output_ends_quietly() {
    let (dir, l, a) = setup("closed_stdout");
    let (ls, as_) = (l.to_str().unwrap(), a.to_str().unwrap());
    let commands: Vec<Vec<&str>> = vec![
        vec!["parse", as_],
        vec!["fit", "--layout", ls, "--articles", as_],
        vec!["check", "--layout", ls, "--articles", as_],
        vec!["fonts", "--layout", ls, "--articles", as_],
        vec!["build", "--layout", ls, "--articles", as_, "-o", "o.pdf"],
        vec!["--help"],
    ];
    for args in commands {
        let mut child = Command::new(bin())
            .args(&args)
            .current_dir(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the program writes anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {stderr}");
    }
}

// ---------------------------------------------------------------------------
// Item 8: inputs that are not files, or far too large

#[test]
fn devices_pipes_and_huge_files_are_refused_as_inputs() {
    let (dir, l, a) = setup("odd_inputs");
    let fifo = dir.join("fifo.md");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let huge = dir.join("huge.md");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    let l = l.to_str().unwrap();
    let a = a.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["build", "--layout", l, "--articles", "/dev/zero"],
            "not a regular file",
        ),
        (
            vec!["build", "--layout", "/dev/zero", "--articles", a],
            "not a regular file",
        ),
        (
            vec!["build", "--layout", l, "--articles", "fifo.md"],
            "not a regular file",
        ),
        (vec!["parse", "/dev/zero"], "not a regular file"),
        (
            vec!["check", "--layout", l, "--articles", "huge.md"],
            "limit is 64 MiB",
        ),
        (vec!["build", "--layout", l, "--articles", "."], "a folder"),
    ];
    for (args, says) in cases {
        let mut child = Command::new(bin())
            .args(&args)
            .current_dir(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = wait_or_kill(&mut child, Duration::from_secs(30));
        assert_eq!(status.and_then(|s| s.code()), Some(2), "{args:?}");
        let out = child.wait_with_output().unwrap();
        assert!(text(&out).contains(says), "{args:?}: {}", text(&out));
    }
}

// ---------------------------------------------------------------------------
// Item 9: watch does not rebuild on its own output

#[test]
fn watch_ignores_its_own_output_in_a_watched_font_folder() {
    use std::io::{BufRead, BufReader};
    let (dir, _, a) = setup("watch_own_output");
    let fonts = dir.join("myfonts");
    std::fs::create_dir_all(&fonts).unwrap();
    std::os::unix::fs::symlink(
        root().join("fonts/LXGWWenKai-Regular.ttf"),
        fonts.join("kai.ttf"),
    )
    .unwrap();
    let l = dir.join("layout.toml");
    std::fs::write(
        &l,
        format!("{}\n[fonts]\ndirs = [\"myfonts\"]\n", grid_layout!()),
    )
    .unwrap();
    let mut child = Command::new(bin())
        .args([
            "watch",
            "--layout",
            l.to_str().unwrap(),
            "--articles",
            a.to_str().unwrap(),
            "-o",
            "myfonts/out.pdf",
            "--dump",
            "myfonts/out.json",
        ])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut rebuilt = 0;
    let mut seen = Vec::new();
    // The first build runs before watching starts, so its writes are never
    // seen: wait for it to be watching, change the articles once, then allow
    // 3 s in which only the second build's own writes happen.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut quiet_until = None;
    loop {
        let now = Instant::now();
        let until = quiet_until.unwrap_or(deadline);
        if now >= until {
            break;
        }
        match rx.recv_timeout(until - now) {
            Ok(line) => {
                if line.starts_with("rebuilt in") {
                    rebuilt += 1;
                }
                if line.starts_with("watching for changes") && quiet_until.is_none() {
                    std::fs::write(&a, format!("{ARTICLES}\n改动一次。\n")).unwrap();
                    quiet_until = Some(Instant::now() + Duration::from_secs(4));
                }
                seen.push(line);
            }
            Err(_) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        rebuilt,
        2,
        "expected the first build and one rebuild for the change:\n{}",
        seen.join("\n")
    );
    assert!(fonts.join("out.pdf").exists());
}

// ---------------------------------------------------------------------------
// Item 25: bundled files and the default output, wherever the command runs

#[test]
fn an_unrelated_fonts_folder_in_the_current_folder_changes_nothing() {
    let dir = scratch("safety_foreign_cwd");
    std::fs::create_dir_all(dir.join("fonts")).unwrap();
    std::fs::write(dir.join("fonts/Broken.ttf"), b"not a font").unwrap();
    std::fs::create_dir_all(dir.join("layouts")).unwrap();
    std::fs::write(dir.join("layouts/default.toml"), "this is not toml [").unwrap();
    let out = run(&[], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // The default output goes under the current folder.
    let pdf = dir.join("output/edition.pdf");
    assert!(pdf.exists(), "{}", text(&out));
    let same = run(&["build", "-o", "again.pdf"], &dir);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        std::fs::read(dir.join("again.pdf")).unwrap()
    );
}

// ---------------------------------------------------------------------------
// Item 26: a missing file has no line to point at

#[test]
fn a_missing_input_is_named_without_a_made_up_location() {
    let (dir, l, _) = setup("missing_input");
    let out = build_to(&dir, &l, Path::new("nowhere.md"), &["-o", "x.pdf"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(t.contains("nowhere.md: cannot read article file"), "{t}");
    assert!(!t.contains(":0:0"), "{t}");
    assert_eq!(t.matches("os error").count(), 1, "{t}");
}

// ---------------------------------------------------------------------------
// Item 25: the README's examples run from a fresh clone

#[test]
fn the_readme_examples_run_from_the_checkout() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("## Everyday use")
        .nth(1)
        .and_then(|s| s.split("```sh").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("README has an Everyday use section with a sh block");
    let out_dir = scratch("safety_readme");
    let mut ran = 0;
    for line in section.lines() {
        let line = line.split(" # ").next().unwrap().trim();
        let Some(rest) = line.strip_prefix("broadsheet ") else {
            continue;
        };
        // A placeholder for the reader's own file; watch and serve never end.
        if rest.contains("my-edition.md") || rest.starts_with("watch") || rest.starts_with("serve")
        {
            continue;
        }
        let args: Vec<String> = rest
            .split_whitespace()
            .map(|a| match a.strip_prefix("output/") {
                Some(name) => out_dir.join(name).to_string_lossy().into_owned(),
                None => a.to_string(),
            })
            .collect();
        for a in &args {
            if a.ends_with(".md") || a.ends_with(".toml") {
                assert!(
                    root().join(a).exists(),
                    "README names {a}, which is not in the repository"
                );
            }
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args, &root());
        assert_eq!(out.status.code(), Some(0), "`{line}`: {}", text(&out));
        ran += 1;
    }
    assert!(ran >= 5, "only {ran} README examples found");
}

// ---------------------------------------------------------------------------
// Item 10: a font truncated while the build runs

#[test]
fn a_font_truncated_during_the_build_is_an_error_not_a_crash() {
    let dir = scratch("safety_font_truncated");
    // A private copy of the bundle, so truncating its font harms nothing.
    let home = dir.join("home");
    for sub in ["fonts", "layouts", "samples"] {
        copy_dir(&root().join(sub), &home.join(sub));
    }
    let mut child = Command::new(bin())
        .args(["build", "-o", "out.pdf"])
        .env("BROADSHEET_HOME", &home)
        .env("BROADSHEET_TEST_HOLD_LOADED_MS", "1000")
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The fonts are mapped once the hold starts; truncating them all within
    // the hold makes the build's next read of any of them fault.
    use std::io::{BufRead, BufReader, Read};
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.starts_with("holding"), "{first}");
    for e in std::fs::read_dir(home.join("fonts")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "ttc" || x == "ttf") {
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_len(0)
                .unwrap();
        }
    }
    let status = wait_or_kill(&mut child, Duration::from_secs(60));
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let stderr = rest;
    let status = status.expect("the build hung");
    assert_eq!(status.code(), Some(2), "{status:?}: {stderr}");
    assert!(stderr.contains("font file was truncated"), "{stderr}");
    assert!(!dir.join("out.pdf").exists());
    assert!(temporaries(&dir).is_empty());
}
