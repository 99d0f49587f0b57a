//! The pipeline's shape (DESIGN §4) as a test: each module of `src/` may use
//! only the modules listed for it here. Later stages never reach back into
//! earlier ones, export reads only the display list, and the source reader
//! knows nothing of shaping. A new module must be added to the table, which
//! makes its place in the pipeline a decision someone wrote down.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module → the crate modules it may use. `main` (the command line) and the
/// binaries under `src/bin` may use anything.
const ALLOWED: &[(&str, &[&str])] = &[
    ("bundle", &[]),
    ("chars", &[]),
    ("outfile", &[]),
    ("observe", &[]),
    ("source", &["chars"]),
    ("fonts", &["bundle"]),
    ("media", &[]),
    ("display", &["fonts", "media"]),
    ("text", &["chars", "fonts"]),
    ("paragraph", &["chars", "fonts", "text"]),
    ("layout", &["display", "fonts", "paragraph"]),
    ("diagnostic", &["layout", "source"]),
    (
        "compose",
        &[
            "display",
            "fonts",
            "layout",
            "media",
            "paragraph",
            "source",
            "text",
        ],
    ),
    ("export", &["display", "fonts", "media", "observe"]),
    ("preview", &["display", "fonts", "media", "observe"]),
    (
        "build",
        &[
            "bundle",
            "compose",
            "diagnostic",
            "display",
            "export",
            "fonts",
            "layout",
            "media",
            "observe",
            "outfile",
            "paragraph",
            "preview",
            "source",
            "text",
        ],
    ),
];

const ANYTHING_GOES: &[&str] = &["main", "bin", "lib"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The crate modules a file's code names, outside comments.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for line in code.lines() {
        let code_part = match line.trim_start().starts_with("//") {
            true => continue,
            false => line,
        };
        for prefix in ["crate::", "broadsheet::"] {
            let mut rest = code_part;
            while let Some(at) = rest.find(prefix) {
                rest = &rest[at + prefix.len()..];
                if let Some(group) = rest.strip_prefix('{') {
                    // `use crate::{a, b::c}`: the first segment of each item.
                    let inner = group.split('}').next().unwrap_or("");
                    for item in inner.split(',') {
                        let name: String = item
                            .trim()
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() {
                            used.insert(name);
                        }
                    }
                } else {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        used.insert(name);
                    }
                }
            }
        }
    }
    used
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every use of a module the table does not allow, as `file: uses X`.
fn violations(files: &[(String, String, String)]) -> Vec<String> {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut problems = Vec::new();
    for (module, file, code) in files {
        if ANYTHING_GOES.contains(&module.as_str()) {
            continue;
        }
        let Some(may) = allowed.get(module.as_str()) else {
            problems.push(format!(
                "{file}: module `{module}` is not in the table of tests/architecture.rs; add it with what it may use"
            ));
            continue;
        };
        for used in used_modules(code) {
            if used != *module && !may.contains(&used.as_str()) {
                problems.push(format!(
                    "{file}: `{module}` uses `{used}`, which DESIGN §4 does not allow (it may use {may:?})"
                ));
            }
        }
    }
    problems
}

#[test]
fn every_module_uses_only_what_its_stage_may() {
    let src = root().join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    assert!(
        paths.len() > 20,
        "found only {} files under src/",
        paths.len()
    );
    let files: Vec<(String, String, String)> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap();
            let first = rel.components().next().unwrap().as_os_str();
            let module = first.to_string_lossy().trim_end_matches(".rs").to_string();
            (
                module,
                rel.display().to_string(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect();
    let problems = violations(&files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker itself catches a forbidden import, in each form code uses.
#[test]
fn the_checker_catches_a_forbidden_import() {
    let case = |module: &str, code: &str| {
        violations(&[(module.into(), format!("{module}/x.rs"), code.into())])
    };
    assert_eq!(
        case("export", "use crate::compose::Composition;\n").len(),
        1
    );
    assert_eq!(case("paragraph", "use crate::{text, compose};\n").len(), 1);
    assert_eq!(case("source", "let s = crate::text::shape(x);\n").len(), 1);
    assert_eq!(case("newstage", "fn f() {}\n").len(), 1);
    // Allowed uses and comments are not flagged.
    assert!(case("export", "use crate::display::Page;\n// crate::compose\n").is_empty());
    assert!(case("paragraph", "use crate::{fonts::FontDb, text};\n").is_empty());
}
