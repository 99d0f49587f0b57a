//! Walks the table of layout limits (`broadsheet::layout::limits::LIMITS`):
//! for every row, a value just below its minimum and just above its maximum
//! is refused at the line where it is written, naming the key, and the
//! bounds themselves are not refused by that row. A row added to the table
//! without a way to write it here fails `every_limit_is_enforced`. The same
//! table must appear, as generated, in `docs/layout.md`.

mod common;

use std::path::Path;

use broadsheet::layout::limits::{self, Limit, Unit, LIMITS};
use broadsheet::layout::{self, LayoutError};

/// A layout that parses: A4, 4 columns of 13 小五 characters, no masthead.
/// `page`, `grid`, `furniture` and `extra` replace or add lines.
struct Parts {
    size: String,
    bleed: String,
    margins: String,
    grid: Vec<(String, String)>,
    furniture: Vec<(String, String)>,
    extra: String,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            size: "\"A4\"".into(),
            bleed: "\"3mm\"".into(),
            margins: margins("20mm"),
            grid: vec![
                ("columns".into(), "4".into()),
                ("column_chars".into(), "13".into()),
                ("gutter_chars".into(), "1".into()),
                ("body_size".into(), "\"9pt\"".into()),
                ("line_pitch".into(), "\"11.5pt\"".into()),
            ],
            furniture: vec![("masthead_lines".into(), "0".into())],
            extra: String::new(),
        }
    }
}

fn margins(top: &str) -> String {
    format!("{{ top = \"{top}\", bottom = \"20mm\", left = \"15mm\", right = \"15mm\" }}")
}

impl Parts {
    fn grid(mut self, key: &str, value: String) -> Self {
        for (k, v) in &mut self.grid {
            if k == key {
                *v = value.clone();
            }
        }
        self
    }

    fn furniture(mut self, key: &str, value: String) -> Self {
        self.furniture.retain(|(k, _)| k != key);
        self.furniture.push((key.into(), value));
        self
    }

    fn extra(mut self, text: &str) -> Self {
        self.extra.push_str(text);
        self
    }

    fn text(&self) -> String {
        let mut t = format!(
            "[page]\nsize = {}\nbleed = {}\nmargins = {}\n\n[grid]\n",
            self.size, self.bleed, self.margins
        );
        for (k, v) in &self.grid {
            t.push_str(&format!("{k} = {v}\n"));
        }
        t.push_str("\n[furniture]\n");
        for (k, v) in &self.furniture {
            t.push_str(&format!("{k} = {v}\n"));
        }
        t.push('\n');
        t.push_str(&self.extra);
        t
    }
}

fn pt(v: f64) -> String {
    format!("\"{v}pt\"")
}

fn module(key_value: &str) -> String {
    format!("[[pages]]\n[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [1, 20]\n{key_value}\n")
}

/// The layout text with `v` written for the row's key, and the text that
/// starts the line the value is on; `None` when `v` cannot be written.
fn write(limit: &Limit, v: f64) -> Option<(String, String)> {
    let p = Parts::default();
    let text = match limit.key {
        "page.size" => Parts {
            size: format!("{{ width = \"{v}pt\", height = \"842pt\" }}"),
            ..p
        }
        .text(),
        "page.bleed" => Parts { bleed: pt(v), ..p }.text(),
        "page.margins" => Parts {
            margins: margins(&format!("{v}pt")),
            ..p
        }
        .text(),
        "grid.columns" | "grid.column_chars" | "grid.gutter_chars" => {
            p.grid(limit.name(), format!("{v}")).text()
        }
        "grid.body_size" => p.grid("body_size", pt(v)).text(),
        "grid.line_pitch" => p.grid("line_pitch", pt(v * 9.0)).text(),
        "furniture.masthead_lines" => p.furniture("masthead_lines", format!("{v}")).text(),
        "furniture.rule_width" => p.furniture("rule_width", pt(v)).text(),
        "styles.NAME.size" => p
            .extra(&format!("[styles.body]\nsize = {}\n", pt(v)))
            .text(),
        "styles.NAME.leading" => p
            .extra(&format!(
                "[styles.headline_1]\nsize = \"20pt\"\nleading = {}\n",
                pt(v * 20.0)
            ))
            .text(),
        "styles.NAME.weight" if v >= 0.0 => {
            p.extra(&format!("[styles.body]\nweight = {v}\n")).text()
        }
        "styles.NAME.color" => p
            .extra(&format!("[styles.body]\ncolor = [0, 0, 0, {v}]\n"))
            .text(),
        "styles.NAME.han_latin_gap" | "styles.NAME.han_digit_gap" | "styles.NAME.indent" => p
            .extra(&format!("[styles.body]\n{} = {v}\n", limit.name()))
            .text(),
        "pages" if v >= 0.0 => p.extra(&"[[pages]]\n".repeat(v as usize)).text(),
        "pages.modules.columns" => p
            .extra(&format!(
                "[[pages]]\n[[pages.modules]]\narticle = 1\ncolumns = [{v}, {v}]\nlines = [1, 20]\n"
            ))
            .text(),
        "pages.modules.lines" => p
            .extra(&format!(
                "[[pages]]\n[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [{v}, {v}]\n"
            ))
            .text(),
        "pages.modules.headline_columns" | "pages.modules.body_columns" => {
            p.extra(&module(&format!("{} = {v}", limit.name()))).text()
        }
        "pages.modules.headline_size" => p
            .extra(&module(&format!("headline_size = {}", pt(v))))
            .text(),
        "fit.headline_steps"
        | "fit.space_below_min"
        | "fit.space_below_max"
        | "fit.gap_lines"
        | "fit.gap_percent" => p.extra(&format!("[fit]\n{} = {v}\n", limit.name())).text(),
        "auto.max_aspect" => p.extra(&format!("[auto]\nmax_aspect = {v}\n")).text(),
        "auto.headlines.columns" => p
            .extra(&format!(
                "[[auto.headlines]]\ncolumns = {v}\nsize = \"9pt\"\n"
            ))
            .text(),
        "auto.headlines.size" => p
            .extra(&format!(
                "[auto]\nlead_size = \"400pt\"\n[[auto.headlines]]\ncolumns = 1\nsize = {}\n",
                pt(v)
            ))
            .text(),
        "auto.headlines.lines" => p
            .extra(&format!(
                "[[auto.headlines]]\ncolumns = 1\nsize = \"9pt\"\nlines = {v}\n"
            ))
            .text(),
        "styles.NAME.weight" | "pages" => return None,
        other => panic!("no way to write `{other}`: add it to tests/layout_limits.rs"),
    };
    let line_start = match limit.key {
        "grid.line_pitch" => "line_pitch".to_string(),
        "page.size" => "size".to_string(),
        _ => limit.name().to_string(),
    };
    Some((text, format!("{line_start} =")))
}

/// A little past a bound, in the row's unit.
fn step(limit: &Limit) -> f64 {
    match limit.unit {
        Unit::Count => 1.0,
        Unit::Pt => 0.05,
        Unit::Percent => 0.5,
        Unit::Em | Unit::BodySize | Unit::StyleSize | Unit::Ratio => 0.01,
    }
}

fn parse(text: &str) -> Result<layout::Layout, LayoutError> {
    layout::parse(text, Path::new("limits.toml"))
}

/// The key as the error names it: the style written by `write`, the part
/// of the page it changes.
fn named_key(limit: &Limit) -> String {
    match limit.key {
        "page.size" => "page.size.width".into(),
        "page.margins" => "page.margins.top".into(),
        "styles.NAME.leading" => "styles.headline_1.leading".into(),
        k => k.replace("NAME", "body"),
    }
}

#[test]
fn every_limit_is_enforced() {
    for limit in LIMITS {
        let key = named_key(limit);
        for (side, v) in [
            ("below", limit.min - step(limit)),
            ("above", limit.max + step(limit)),
        ] {
            let Some((text, line_start)) = write(limit, v) else {
                continue;
            };
            let e = match parse(&text) {
                Ok(_) => panic!("{key} = {v} ({side} the limit) was accepted:\n{text}"),
                Err(e) => e,
            };
            assert!(
                e.message.contains(&key),
                "{key} = {v} ({side}): the error does not name the key: {e}\n{text}"
            );
            if limit.key != "pages" {
                let lines: Vec<&str> = text.lines().collect();
                let line = lines
                    .iter()
                    .rposition(|l| l.starts_with(&line_start))
                    .unwrap()
                    + 1;
                assert_eq!(
                    e.line, line,
                    "{key} = {v} ({side}): error not on the value's line: {e}\n{text}"
                );
            }
        }
        // The bounds themselves pass this row (another rule may still
        // refuse them, e.g. a page too small for the grid).
        for v in [limit.min, limit.max] {
            let Some((text, _)) = write(limit, v) else {
                continue;
            };
            if let Err(e) = parse(&text) {
                let refused_here = e.message.starts_with(&format!("{key} "))
                    && (e.message.contains("is outside") || e.message.contains("must be between"));
                assert!(
                    !refused_here || !limit.also.is_empty(),
                    "{key} = {v} is the bound itself but was refused: {e}"
                );
            }
        }
    }
}

#[test]
fn docs_print_the_table_of_limits() {
    let docs = std::fs::read_to_string(common::root().join("docs/layout.md")).unwrap();
    let table = limits::markdown_table();
    assert!(
        docs.contains(&table),
        "docs/layout.md must contain the table of limits exactly as generated:\n{table}"
    );
}

#[test]
fn a_rule_width_that_overflows_is_refused() {
    let text = Parts::default()
        .furniture(
            "rule_width",
            "\"300000000000000000000000000000000000000mm\"".into(),
        )
        .text();
    let e = parse(&text).unwrap_err();
    assert!(e.message.contains("too large"), "{e}");
}

#[test]
fn body_columns_whose_gutters_exceed_the_span_are_refused() {
    // One 4-character grid column set as 2 body columns with a 10-character
    // gutter between them: 4 − 10 wrapped to 4 294 967 290 characters.
    let text = Parts::default()
        .grid("column_chars", "4".into())
        .grid("gutter_chars", "10".into())
        .extra("[[pages]]\n[[pages.modules]]\narticle = 1\ncolumns = [1, 1]\nlines = [1, 20]\nbody_columns = 2\n")
        .text();
    let e = parse(&text).unwrap_err();
    assert!(e.message.contains("characters of gutters"), "{e}");
    assert_eq!(
        e.line,
        text.lines()
            .position(|l| l.starts_with("body_columns"))
            .unwrap()
            + 1
    );
}
