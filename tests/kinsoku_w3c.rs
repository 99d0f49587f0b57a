//! Line-start prohibitions (禁则) against the W3C web-platform-tests
//! (issue 21).
//!
//! The WPT files `css/css-text/i18n/zh/css-text-line-break-zh-{in,po,cpm,
//! hyphens,iteration}-strict.html` each set `文文文文文文X字字字` in a box
//! six characters wide under `line-break: strict` and expect `X` not to
//! start the second line: the last `文` goes down with it. Together they
//! name 36 characters, the CSS Text 3 `line-break` lists of breaks that
//! `strict` forbids and `loose` allows: inseparable characters (UAX #14
//! class IN), postfix signs (class PO, East Asian Width A/F/W), centred
//! punctuation, hyphens and iteration marks. Here they go through the real
//! paragraph engine with the body's font chain at `prohibition = "strict"`;
//! a second table says what `basic` and `gb` allow and why, and the
//! number and ellipsis cases pin what holds at every level.

use broadsheet::fonts::FontDb;
use broadsheet::paragraph::{break_lines, dump_lines, Line, ParagraphSettings, Prohibition};
use broadsheet::text::{shape, FontChain, ShapedText, StyleSpan};

const SIZE: f32 = 9.0;

/// One WPT case: the character, its code point written out (checked
/// against the character, so a look-alike cannot slip in) and its file.
struct W3c {
    ch: char,
    cp: u32,
    file: &'static str,
}

const IN: &str = "css-text-line-break-zh-in-strict";
const PO: &str = "css-text-line-break-zh-po-strict";
const CPM: &str = "css-text-line-break-zh-cpm-strict";
const HYPHENS: &str = "css-text-line-break-zh-hyphens-strict";
const ITERATION: &str = "css-text-line-break-zh-iteration-strict";

const fn w3c(ch: char, cp: u32, file: &'static str) -> W3c {
    W3c { ch, cp, file }
}

/// The 36 characters of the WPT zh strict cases.
const W3C_ZH_STRICT: [W3c; 36] = [
    // Inseparable characters (UAX #14 IN): ellipses and leaders.
    w3c('\u{2024}', 0x2024, IN),   // ․ ONE DOT LEADER
    w3c('\u{2025}', 0x2025, IN),   // ‥ TWO DOT LEADER
    w3c('\u{2026}', 0x2026, IN),   // … HORIZONTAL ELLIPSIS (a single one)
    w3c('\u{22EF}', 0x22EF, IN),   // ⋯ MIDLINE HORIZONTAL ELLIPSIS
    w3c('\u{FE19}', 0xFE19, IN),   // ︙ PRESENTATION FORM FOR VERTICAL HORIZONTAL ELLIPSIS
    w3c('\u{10AF6}', 0x10AF6, IN), // MANICHAEAN PUNCTUATION LINE FILLER
    // Postfix signs (UAX #14 PO with East Asian Width A, F or W).
    w3c('\u{00B0}', 0x00B0, PO), // ° DEGREE SIGN
    w3c('\u{2030}', 0x2030, PO), // ‰ PER MILLE SIGN
    w3c('\u{2032}', 0x2032, PO), // ′ PRIME
    w3c('\u{2033}', 0x2033, PO), // ″ DOUBLE PRIME
    w3c('\u{2035}', 0x2035, PO), // ‵ REVERSED PRIME
    w3c('\u{2103}', 0x2103, PO), // ℃ DEGREE CELSIUS
    w3c('\u{2109}', 0x2109, PO), // ℉ DEGREE FAHRENHEIT
    w3c('\u{FE6A}', 0xFE6A, PO), // ﹪ SMALL PERCENT SIGN
    w3c('\u{FF05}', 0xFF05, PO), // ％ FULLWIDTH PERCENT SIGN
    w3c('\u{FFE0}', 0xFFE0, PO), // ￠ FULLWIDTH CENT SIGN
    // Centred punctuation marks.
    w3c('\u{30FB}', 0x30FB, CPM), // ・ KATAKANA MIDDLE DOT
    w3c('\u{FF1A}', 0xFF1A, CPM), // ： FULLWIDTH COLON
    w3c('\u{FF1B}', 0xFF1B, CPM), // ； FULLWIDTH SEMICOLON
    w3c('\u{FF65}', 0xFF65, CPM), // ･ HALFWIDTH KATAKANA MIDDLE DOT
    w3c('\u{203C}', 0x203C, CPM), // ‼ DOUBLE EXCLAMATION MARK
    w3c('\u{2047}', 0x2047, CPM), // ⁇ DOUBLE QUESTION MARK
    w3c('\u{2048}', 0x2048, CPM), // ⁈ QUESTION EXCLAMATION MARK
    w3c('\u{2049}', 0x2049, CPM), // ⁉ EXCLAMATION QUESTION MARK
    w3c('\u{FF01}', 0xFF01, CPM), // ！ FULLWIDTH EXCLAMATION MARK
    w3c('\u{FF1F}', 0xFF1F, CPM), // ？ FULLWIDTH QUESTION MARK
    // Hyphens and CJK hyphen-like marks.
    w3c('\u{2010}', 0x2010, HYPHENS), // ‐ HYPHEN
    w3c('\u{2013}', 0x2013, HYPHENS), // – EN DASH
    w3c('\u{301C}', 0x301C, HYPHENS), // 〜 WAVE DASH
    w3c('\u{30A0}', 0x30A0, HYPHENS), // ゠ KATAKANA-HIRAGANA DOUBLE HYPHEN
    // Iteration marks.
    w3c('\u{3005}', 0x3005, ITERATION), // 々 IDEOGRAPHIC ITERATION MARK
    w3c('\u{303B}', 0x303B, ITERATION), // 〻 VERTICAL IDEOGRAPHIC ITERATION MARK
    w3c('\u{309D}', 0x309D, ITERATION), // ゝ HIRAGANA ITERATION MARK
    w3c('\u{309E}', 0x309E, ITERATION), // ゞ HIRAGANA VOICED ITERATION MARK
    w3c('\u{30FD}', 0x30FD, ITERATION), // ヽ KATAKANA ITERATION MARK
    w3c('\u{30FE}', 0x30FE, ITERATION), // ヾ KATAKANA VOICED ITERATION MARK
];

/// What a level does with a break before the character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// The character may start a line.
    Allows,
    /// It never starts a line (the engine pushes a character down with it).
    Forbids,
}
use Verdict::{Allows, Forbids};

/// `basic` and `gb` on each of the 36 after a Han character, and why
/// (docs/layout.md, "Line-start prohibitions by level", has the same rows).
const BELOW_STRICT: [(char, Verdict, Verdict, &str); 36] = [
    ('\u{2024}', Allows, Allows, "as …: a lone leader"),
    ('\u{2025}', Allows, Allows, "as …: a lone leader"),
    ('\u{2026}', Allows, Allows, "GB/T 15834 and clreq ask only that …… stay whole (every level); keeping a lone one off the line start comes from CSS Text 3, so from strict (CJK-RULES H)"),
    ('\u{22EF}', Allows, Allows, "as …"),
    ('\u{FE19}', Allows, Allows, "as …"),
    ('\u{10AF6}', Allows, Allows, "as …"),
    ('\u{00B0}', Allows, Allows, "a sign binds to its number at every level (GB/T 15835); after a Han character GB/T 15834 and clreq say nothing, and only CSS Text 3 keeps it off the line start, so strict does"),
    ('\u{2030}', Allows, Allows, "as °"),
    ('\u{2032}', Allows, Allows, "as °"),
    ('\u{2033}', Allows, Allows, "as °"),
    ('\u{2035}', Allows, Allows, "as °"),
    ('\u{2103}', Allows, Allows, "as °"),
    ('\u{2109}', Allows, Allows, "as °"),
    ('\u{FE6A}', Allows, Allows, "as °"),
    ('\u{FF05}', Allows, Allows, "as °"),
    ('\u{FFE0}', Allows, Allows, "as °"),
    ('\u{30FB}', Forbids, Forbids, "group E interpunct (clreq, GB/T 15834)"),
    ('\u{FF1A}', Forbids, Forbids, "group A stop mark (GB/T 15834: never at a line start)"),
    ('\u{FF1B}', Forbids, Forbids, "group A stop mark"),
    ('\u{FF65}', Forbids, Forbids, "group E interpunct, half-width form"),
    ('\u{203C}', Forbids, Forbids, "！！ in one character: a group A stop mark like ！"),
    ('\u{2047}', Forbids, Forbids, "？？ in one character: group A like ？"),
    ('\u{2048}', Forbids, Forbids, "？！ in one character: group A"),
    ('\u{2049}', Forbids, Forbids, "！？ in one character: group A"),
    ('\u{FF01}', Forbids, Forbids, "group A stop mark"),
    ('\u{FF1F}', Forbids, Forbids, "group A stop mark"),
    ('\u{2010}', Forbids, Forbids, "group D connector (clreq)"),
    ('\u{2013}', Forbids, Forbids, "group D connector (clreq)"),
    ('\u{301C}', Forbids, Forbids, "group D connector, the wave dash ～"),
    ('\u{30A0}', Allows, Allows, "a Japanese double hyphen that neither GB/T 15834 nor clreq lists; CSS Text 3 forbids the break before it only under strict"),
    ('\u{3005}', Forbids, Forbids, "group I iteration mark (clreq)"),
    ('\u{303B}', Forbids, Forbids, "group I iteration mark, the vertical form of 〃"),
    ('\u{309D}', Forbids, Forbids, "group I iteration mark"),
    ('\u{309E}', Forbids, Forbids, "group I iteration mark"),
    ('\u{30FD}', Forbids, Forbids, "group I iteration mark"),
    ('\u{30FE}', Forbids, Forbids, "group I iteration mark"),
];

fn fonts() -> FontDb {
    let mut db = FontDb::new();
    db.load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"))
        .unwrap();
    db
}

/// The body's fallback chain (layout defaults: Song, then Kai).
fn body_chain(db: &FontDb) -> FontChain {
    FontChain {
        faces: vec![
            db.find("Noto Serif CJK SC", 400).unwrap(),
            db.find("LXGW WenKai", 400).unwrap(),
        ],
        size: SIZE,
        locale: Default::default(),
    }
}

fn settings(level: Prohibition) -> ParagraphSettings {
    ParagraphSettings {
        prohibition: level,
        indent: 0.0,
        ..ParagraphSettings::default()
    }
}

fn set(db: &FontDb, text: &str, measure: f32, level: Prohibition) -> (ShapedText, Vec<Line>) {
    let spans = [StyleSpan {
        range: 0..text.len(),
        chain: body_chain(db),
    }];
    let shaped = shape(text, &spans, db);
    let lines = break_lines(&shaped, measure, &settings(level));
    (shaped, lines)
}

/// Byte offsets where a line starts (the first line's excepted).
fn line_starts(lines: &[Line]) -> Vec<usize> {
    lines.iter().skip(1).map(|l| l.range.start).collect()
}

/// The WPT setting: six `文`, the character, then `字字字`, in a measure of
/// six characters. Returns whether the character starts a line, and the dump.
fn wpt_case(db: &FontDb, ch: char, level: Prohibition) -> (bool, String, ShapedText, Vec<Line>) {
    let text = format!("文文文文文文{ch}字字字");
    let at = "文文文文文文".len();
    let (shaped, lines) = set(db, &text, 6.0 * SIZE, level);
    let starts = line_starts(&lines).contains(&at);
    let dump = dump_lines(&shaped, &lines);
    (starts, dump, shaped, lines)
}

#[test]
fn the_table_holds_the_36_public_cases() {
    let mut seen = std::collections::HashSet::new();
    for case in &W3C_ZH_STRICT {
        assert_eq!(
            case.ch as u32, case.cp,
            "{} is not U+{:04X}",
            case.ch, case.cp
        );
        assert!(seen.insert(case.ch), "U+{:04X} twice", case.cp);
    }
    let count = |file: &str| W3C_ZH_STRICT.iter().filter(|c| c.file == file).count();
    assert_eq!(
        [
            count(IN),
            count(PO),
            count(CPM),
            count(HYPHENS),
            count(ITERATION)
        ],
        [6, 10, 10, 4, 6]
    );
    // The level table covers the same characters in the same order.
    for (case, row) in W3C_ZH_STRICT.iter().zip(BELOW_STRICT.iter()) {
        assert_eq!(case.ch, row.0, "BELOW_STRICT row for U+{:04X}", case.cp);
    }
}

#[test]
fn w3c_zh_strict_cases_never_start_a_line() {
    let db = fonts();
    let mut failures = Vec::new();
    for case in &W3C_ZH_STRICT {
        let (starts, dump, shaped, lines) = wpt_case(&db, case.ch, Prohibition::Strict);
        // The WPT reference: the sixth 文 goes down with the character.
        let first = &shaped.text[lines[0].range.clone()];
        if starts || first != "文文文文文" {
            failures.push(format!(
                "U+{:04X} {} ({}):\n{dump}",
                case.cp, case.ch, case.file
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 36 start a line at the strict level:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_level(level: Prohibition, column: fn(&(char, Verdict, Verdict, &str)) -> Verdict) {
    let db = fonts();
    let mut failures = Vec::new();
    for row in &BELOW_STRICT {
        let (starts, dump, _, _) = wpt_case(&db, row.0, level);
        // Allowed: six 文 fill the measure exactly, so the break before
        // the character is the best one and must be taken.
        let expected = column(row) == Allows;
        if starts != expected {
            failures.push(format!(
                "U+{:04X} {}: expected {:?} ({}), got:\n{dump}",
                row.0 as u32,
                row.0,
                column(row),
                row.3
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{level:?} does not follow its table:\n{}",
        failures.join("\n")
    );
}

#[test]
fn level_basic_follows_its_table() {
    check_level(Prohibition::Basic, |row| row.1);
}

#[test]
fn level_gb_follows_its_table() {
    check_level(Prohibition::Gb, |row| row.2);
}

#[test]
fn level_none_lets_every_one_start_a_line() {
    let db = fonts();
    for case in &W3C_ZH_STRICT {
        let (starts, dump, _, _) = wpt_case(&db, case.ch, Prohibition::None);
        assert!(starts, "U+{:04X} at level none:\n{dump}", case.cp);
    }
}

const LEVELS: [Prohibition; 4] = [
    Prohibition::None,
    Prohibition::Basic,
    Prohibition::Gb,
    Prohibition::Strict,
];

/// Set `before` + `after` + `字字字` in a measure exactly as wide as
/// `before`: the break at the join is the best one unless a rule forbids
/// it. Returns whether a line starts at the join.
fn breaks_at_join(db: &FontDb, before: &str, after: &str, level: Prohibition) -> (bool, String) {
    let text = format!("{before}{after}字字字");
    let spans = [StyleSpan {
        range: 0..text.len(),
        chain: body_chain(db),
    }];
    let shaped = shape(&text, &spans, db);
    let measure: f32 = shaped
        .clusters
        .iter()
        .filter(|c| c.range.end <= before.len())
        .map(|c| c.advance)
        .sum();
    let lines = break_lines(&shaped, measure, &settings(level));
    (
        line_starts(&lines).contains(&before.len()),
        dump_lines(&shaped, &lines),
    )
}

/// Postfix signs after a number (CJK-RULES J, GB/T 15835: a number and its
/// sign are one word): never separated, whatever the level.
const NUMBERS: [(&str, &str); 9] = [
    ("文文文文37.5", "%"),
    ("文文文文37.5", "％"),
    ("文文文文-5", "℃"),
    ("文文文文文3", "‰"),
    ("文文文文98.6", "°"),
    ("文文文文98.6", "℉"),
    ("文文文文文5", "﹪"),
    ("文文文文文5", "￠"),
    ("文文文文１２", "％"),
];

#[test]
fn postfix_signs_stay_with_their_number_at_every_level() {
    let db = fonts();
    for level in LEVELS {
        for (before, sign) in NUMBERS {
            let (split, dump) = breaks_at_join(&db, before, sign, level);
            assert!(!split, "{before}|{sign} split at {level:?}:\n{dump}");
        }
    }
    // The measure really ends at the join: after a Han character the same
    // sign is taken to the next line where the level allows it.
    let (split, dump) = breaks_at_join(&db, "文文文文文", "％", Prohibition::Gb);
    assert!(split, "{dump}");
}

#[test]
fn full_width_numbers_never_split_at_any_level() {
    let db = fonts();
    for level in LEVELS {
        for (before, after) in [("文文文文文１", "２％"), ("文文文文3", "５")] {
            let (split, dump) = breaks_at_join(&db, before, after, level);
            assert!(!split, "{before}|{after} split at {level:?}:\n{dump}");
        }
    }
}

#[test]
fn ellipsis_halves_never_split_at_any_level() {
    let db = fonts();
    for level in LEVELS {
        for pair in ["……", "⋯⋯", "‥‥", "․․"] {
            let mut halves = pair.chars();
            let first = halves.next().unwrap();
            let second = halves.next().unwrap();
            let before = format!("文文文文文{first}");
            let (split, dump) = breaks_at_join(&db, &before, &second.to_string(), level);
            assert!(!split, "{pair} split at {level:?}:\n{dump}");
        }
    }
}
