//! Acceptance tests of the paragraph engine (issue 3): the print-extract
//! test sample (tests/data/print), the bundled edition and, with
//! `--ignored`, the real sample page set at 13 characters per line at 9 pt in Noto
//! Serif CJK SC, checked for the prohibition rules, exact justification,
//! punctuation widths and 孤字; plus one small case per setting.

use std::path::PathBuf;

use broadsheet::fonts::FontDb;
use broadsheet::paragraph::{
    break_lines, dump_lines, Align, Compression, Line, ParagraphSettings, Prohibition, PunctStyle,
};
use broadsheet::text::{shape, FontChain, ShapedText, Shaper, StyleSpan};

const SIZE: f32 = 9.0;
const MEASURE: f32 = 13.0 * SIZE;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fonts() -> FontDb {
    let mut db = FontDb::new();
    db.load_dir(&root().join("fonts")).unwrap();
    db
}

fn song(db: &FontDb) -> FontChain {
    FontChain {
        faces: vec![db.find("Noto Serif CJK SC", 400).unwrap()],
        size: SIZE,
        locale: Default::default(),
    }
}

fn spans(text: &str, chain: &FontChain) -> Vec<StyleSpan> {
    vec![StyleSpan {
        range: 0..text.len(),
        chain: chain.clone(),
    }]
}

fn set(
    db: &FontDb,
    text: &str,
    measure: f32,
    settings: &ParagraphSettings,
) -> (ShapedText, Vec<Line>) {
    let shaped = shape(text, &spans(text, &song(db)), db);
    let lines = break_lines(&shaped, measure, settings);
    (shaped, lines)
}

fn line_text<'a>(shaped: &'a ShapedText, line: &Line) -> &'a str {
    &shaped.text[line.range.clone()]
}

// --- a small local paragraph splitter (the real parser lives in src/source) ---

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x2018..=0x201D | 0x2026 | 0x2014)
}

/// Map ASCII `,:;()` next to Chinese text to full width.
fn widen(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (k, &c) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(k + 1).copied();
        let near = prev.is_some_and(is_cjk) || next.is_some_and(is_cjk);
        let mapped = match c {
            ',' if near => '，',
            ':' if near => '：',
            ';' if near => '；',
            '(' if near || next.is_some_and(|n| n != ' ') => '（',
            ')' if near || prev.is_some_and(|p| p != ' ') => '）',
            _ => c,
        };
        out.push(mapped);
    }
    out
}

/// Blank-line-separated blocks, headings skipped, a block joined to the next
/// when it does not end a sentence (the sample has paragraphs cut in two).
fn paragraphs(src: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    for block in src.split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        if lines.is_empty() {
            continue;
        }
        blocks.push(widen(&lines.concat()));
    }
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for b in blocks {
        if open {
            out.last_mut().unwrap().push_str(&b);
        } else {
            out.push(b);
        }
        let end = out
            .last()
            .unwrap()
            .trim_end_matches(['”', '’', '」', '』', '）']);
        open = !end.ends_with(['。', '！', '？']);
    }
    out
}

/// The paragraphs of sample files, each with its sample's name. A missing
/// file fails the test: it must never pass without having run.
fn paragraphs_of(samples: &[(&str, PathBuf)]) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for (name, path) in samples {
        let src = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{} is needed by this test: {e}", path.display()));
        for p in paragraphs(&src) {
            all.push((name.to_string(), p));
        }
    }
    all
}

/// The print-extract test sample and the bundled edition, both in the
/// repository.
fn sample_paragraphs() -> Vec<(String, String)> {
    paragraphs_of(&[
        (
            "qinglan",
            root().join("tests/data/print/qinglan-evening.md"),
        ),
        ("edition", root().join("samples/edition.md")),
    ])
}

// --- checks ---

const NO_START: &str = "、，。．；：？！”’）〕］｝】〗》〉」』〙〛〞〟｠–‐-—～·‧・々〃";
const NO_END: &str = "“‘（〔［｛【〖《〈「『〘〚〝｟";

fn is_mark(c: char) -> bool {
    "、，。．；：？！“”‘’（）〔〕［］｛｝【】〖〗《》〈〉「」『』".contains(c)
}

#[derive(Default, Debug)]
struct Counts {
    lines: usize,
    marks: usize,
    adjacent: usize,
    line_end: usize,
    line_start: usize,
    other: usize,
    orphans: usize,
}

/// Check one paragraph; returns a list of problems.
fn check(
    shaped: &ShapedText,
    lines: &[Line],
    measure: f32,
    indent: f32,
    counts: &mut Counts,
) -> Vec<String> {
    let mut bad = Vec::new();
    let text = &shaped.text;
    // Ranges partition the text.
    let mut at = 0;
    for l in lines {
        if l.range.start != at {
            bad.push(format!("line range {:?} does not start at {at}", l.range));
        }
        at = l.range.end;
    }
    if at != text.len() {
        bad.push(format!("lines end at {at}, text at {}", text.len()));
    }
    for (n, l) in lines.iter().enumerate() {
        counts.lines += 1;
        let t = line_text(shaped, l);
        let first = t.chars().next().unwrap();
        let last_c = t.chars().last().unwrap();
        if n > 0 && NO_START.contains(first) {
            bad.push(format!("line {} starts with {first}: |{t}|", n + 1));
        }
        if !l.last && NO_END.contains(last_c) {
            bad.push(format!("line {} ends with {last_c}: |{t}|", n + 1));
        }
        // —— …… and numbers never split.
        let next_first = lines
            .get(n + 1)
            .and_then(|nl| line_text(shaped, nl).chars().next());
        if let Some(nf) = next_first {
            if (last_c == '—' && nf == '—') || (last_c == '…' && nf == '…') {
                bad.push(format!("line {} splits ——/……", n + 1));
            }
            if last_c.is_ascii_digit() && (nf.is_ascii_digit() || nf == '.' || nf == '%') {
                bad.push(format!("line {} splits a number", n + 1));
            }
        }
        // Width from the glyphs themselves.
        let g_last = l.glyphs.last().unwrap();
        let right = g_last.x + g_last.advance;
        if !l.last && (right - measure).abs() > 0.01 {
            bad.push(format!(
                "line {} ends at {right:.3}, measure {measure}: |{t}|",
                n + 1
            ));
        }
        if l.overfull || l.broken_rule.is_some() {
            bad.push(format!(
                "line {} overfull/broken: {:?}",
                n + 1,
                l.broken_rule
            ));
        }
        // Gaps and mark widths: the cell of glyph k runs from the end of
        // cell k-1 (or the line start) to x + advance.
        let em = SIZE;
        let line_start = if n == 0 { indent } else { 0.0 };
        let mut prev_end = line_start;
        let gs = &l.glyphs;
        for (k, g) in gs.iter().enumerate() {
            let gap = g.x - prev_end;
            if k > 0
                && gap > 0.5 * em + 1e-3
                && !text[g.range.clone()].starts_with([' ', '“', '‘', '（', '《'])
            {
                bad.push(format!(
                    "line {} gap {gap:.2} before byte {}",
                    n + 1,
                    g.range.start
                ));
            }
            let ch = text[g.range.clone()].chars().next().unwrap();
            let end = g.x + g.advance;
            let occupied = end - prev_end;
            if is_mark(ch) {
                counts.marks += 1;
                if occupied < em - 0.01 {
                    let prev_mark =
                        k > 0 && is_mark(text[gs[k - 1].range.clone()].chars().next().unwrap());
                    let next_mark = gs
                        .get(k + 1)
                        .is_some_and(|h| is_mark(text[h.range.clone()].chars().next().unwrap()));
                    if k + 1 == gs.len() {
                        counts.line_end += 1;
                    } else if k == 0 && NO_END.contains(ch) {
                        counts.line_start += 1;
                    } else if prev_mark || next_mark {
                        counts.adjacent += 1;
                    } else {
                        counts.other += 1;
                        bad.push(format!(
                            "line {} mark {ch} squeezed to {occupied:.2} mid-line: |{t}|",
                            n + 1
                        ));
                    }
                }
            }
            prev_end = end;
        }
    }
    // 孤字
    if lines.len() > 1 {
        let t = line_text(shaped, lines.last().unwrap());
        let chars = t
            .chars()
            .filter(|c| !is_mark(*c) && !NO_START.contains(*c))
            .count();
        if chars <= 1 {
            counts.orphans += 1;
            bad.push(format!("孤字 last line |{t}|"));
        }
    }
    bad
}

#[test]
fn samples_obey_the_rules_at_13_characters() {
    let paras = sample_paragraphs();
    // Every paragraph of both samples, print fragments rejoined (the local
    // splitter takes the print sample's credit line for a 33rd, and joins
    // the edition's credits to the next article's text, and its two 导语,
    // which end in `**`, to the paragraph after them; its 小标题 and 引语
    // are paragraphs of their own).
    let count = |name: &str| paras.iter().filter(|(n, _)| n == name).count();
    assert_eq!((count("qinglan"), count("edition")), (33, 36));
    obey_the_rules_at_13_characters(&paras);
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md; run with --ignored"]
fn real_sample_obeys_the_rules_at_13_characters() {
    let paras = paragraphs_of(&[(
        "yuncheng",
        root().join("../shared/samples/yuncheng-evening.md"),
    )]);
    assert_eq!(paras.len(), 25, "24 paragraphs and the credit line");
    obey_the_rules_at_13_characters(&paras);
}

fn obey_the_rules_at_13_characters(paras: &[(String, String)]) {
    let db = fonts();
    let chain = song(&db);
    let settings = ParagraphSettings::default();
    let mut problems = Vec::new();
    let mut shaper = Shaper::new(&db);
    assert!(!paras.is_empty());
    let mut by_sample: Vec<(String, Counts, std::collections::BTreeMap<String, usize>)> =
        Vec::new();
    for (name, p) in paras {
        if by_sample.last().is_none_or(|(n, _, _)| n != name) {
            by_sample.push((name.clone(), Counts::default(), Default::default()));
        }
        let (_, counts, rules) = by_sample.last_mut().unwrap();
        let shaped = shaper.shape(p, &spans(p, &chain));
        assert!(
            shaped.missing.is_empty(),
            "{name}: missing {:?}",
            shaped.missing
        );
        let lines = break_lines(&shaped, MEASURE, &settings);
        let bad = check(&shaped, &lines, MEASURE, 2.0 * SIZE, counts);
        for l in &lines {
            for m in &l.adjust.marks {
                *rules.entry(format!("{:?}", m.rule)).or_default() += 1;
            }
            if l.adjust.spread > 0.0 {
                *rules.entry("spread lines".into()).or_default() += 1;
            }
        }
        if std::env::var_os("DUMP").is_some() {
            println!("{name}:\n{}", dump_lines(&shaped, &lines));
        }
        if !bad.is_empty() {
            problems.push(format!(
                "{name}:\n{}{}",
                dump_lines(&shaped, &lines),
                bad.join("\n")
            ));
        }
    }
    for (name, counts, rules) in &by_sample {
        println!("{name}: {counts:?}; engine record: {rules:?}");
        assert_eq!(counts.other, 0, "{name}: marks squeezed mid-line");
        assert_eq!(counts.orphans, 0, "{name}: 孤字");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn dump_shows_the_sample() {
    let db = fonts();
    let paras = sample_paragraphs();
    // The lead paragraph of the print sample, long enough for many lines.
    let (name, p) = &paras[0];
    assert_eq!(name, "qinglan");
    let (shaped, lines) = set(&db, p, MEASURE, &ParagraphSettings::default());
    assert!(lines.len() > 5, "{} lines", lines.len());
    let dump = dump_lines(&shaped, &lines);
    println!("{dump}");
    let rows: Vec<&str> = dump.lines().collect();
    assert_eq!(rows.len(), lines.len(), "one row per line:\n{dump}");
    let mut shown = String::new();
    for (n, (row, line)) in rows.iter().zip(&lines).enumerate() {
        // `  N   WIDTH FLAGS |TEXT|`: the number, the set width, `L` on the
        // last line only, then the line's own text between bars.
        let mut fields = row.split_whitespace();
        assert_eq!(fields.next(), Some((n + 1).to_string().as_str()), "{row}");
        assert_eq!(
            fields.next(),
            Some(format!("{:.2}", line.width).as_str()),
            "{row}"
        );
        let flags = row[..row.find('|').unwrap()]
            .split_whitespace()
            .nth(2)
            .unwrap_or("");
        assert_eq!(flags.contains('L'), line.last, "{row}");
        assert_eq!(line.last, n + 1 == lines.len(), "{row}");
        let text = row[row.find('|').unwrap() + 1..].split('|').next().unwrap();
        assert_eq!(text, line_text(&shaped, line), "{row}");
        assert!(!text.is_empty(), "{row}");
        shown.push_str(text);
    }
    assert_eq!(shown, *p, "the dump's lines together are the paragraph");
}

// --- one small case per setting ---

fn em(n: f32) -> f32 {
    n * SIZE
}

fn no_indent() -> ParagraphSettings {
    ParagraphSettings {
        indent: 0.0,
        ..ParagraphSettings::default()
    }
}

fn texts(shaped: &ShapedText, lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|l| line_text(shaped, l).to_string())
        .collect()
}

#[test]
fn level_none_lets_an_interpunct_start_a_line_basic_does_not() {
    let db = fonts();
    let text = "一二三四五·六七八九十甲乙丙";
    let none = ParagraphSettings {
        prohibition: Prohibition::None,
        ..no_indent()
    };
    let (s, l) = set(&db, text, em(5.0), &none);
    assert!(texts(&s, &l)[1].starts_with('·'), "{}", dump_lines(&s, &l));
    let basic = ParagraphSettings {
        prohibition: Prohibition::Basic,
        ..no_indent()
    };
    let (s, l) = set(&db, text, em(5.0), &basic);
    assert!(
        texts(&s, &l).iter().all(|t| !t.starts_with('·')),
        "{}",
        dump_lines(&s, &l)
    );
    assert_eq!(
        texts(&s, &l)[0],
        "一二三四",
        "push-out: 五 goes down with the interpunct"
    );
}

#[test]
fn level_gb_keeps_the_solidus_off_line_edges_basic_does_not() {
    let db = fonts();
    let text = "一二三四五／六七八九十甲乙丙丁";
    let basic = ParagraphSettings {
        prohibition: Prohibition::Basic,
        ..no_indent()
    };
    let (s, l) = set(&db, text, em(5.0), &basic);
    assert!(texts(&s, &l)[1].starts_with('／'), "{}", dump_lines(&s, &l));
    let gb = ParagraphSettings {
        prohibition: Prohibition::Gb,
        ..no_indent()
    };
    let (s, l) = set(&db, text, em(5.0), &gb);
    for t in texts(&s, &l) {
        assert!(
            !t.starts_with('／') && !t.ends_with('／'),
            "{}",
            dump_lines(&s, &l)
        );
    }
}

#[test]
fn level_strict_keeps_the_dash_off_the_line_start_gb_does_not() {
    let db = fonts();
    let text = "一二三四五——六七八甲乙丙丁戊";
    let gb = ParagraphSettings {
        prohibition: Prohibition::Gb,
        ..no_indent()
    };
    let (s, l) = set(&db, text, em(5.0), &gb);
    assert!(texts(&s, &l)[1].starts_with("——"), "{}", dump_lines(&s, &l));
    let (s, l) = set(&db, text, em(5.0), &no_indent());
    for t in texts(&s, &l) {
        assert!(!t.starts_with('—'), "{}", dump_lines(&s, &l));
    }
}

#[test]
fn dash_and_ellipsis_pairs_never_split_even_at_level_none() {
    let db = fonts();
    let none = ParagraphSettings {
        prohibition: Prohibition::None,
        ..no_indent()
    };
    for text in ["一二三四——五六七八九十", "一二三四……五六七八九十"] {
        let (s, l) = set(&db, text, em(5.0), &none);
        for t in texts(&s, &l) {
            assert!(
                !t.ends_with("—") || t.ends_with("——"),
                "{}",
                dump_lines(&s, &l)
            );
            assert!(
                !t.ends_with("…") || t.ends_with("……"),
                "{}",
                dump_lines(&s, &l)
            );
        }
    }
    // Noto joins the dash pair into one two-em glyph.
    let chain = song(&db);
    let shaped = shape("甲——乙", &spans("甲——乙", &chain), &db);
    let dash = &shaped.clusters[1];
    assert_eq!(dash.range.len(), 6, "one cluster covers both dashes");
    assert!((dash.advance - em(2.0)).abs() < 0.01);
}

#[test]
fn no_break_between_closing_and_opening_marks() {
    let db = fonts();
    let text = "一二三四五）（六七八九";
    let (s, l) = set(&db, text, em(6.0), &no_indent());
    for t in texts(&s, &l) {
        assert!(!t.ends_with('）'), "{}", dump_lines(&s, &l));
    }
}

fn natural_width(db: &FontDb, text: &str, punct: PunctStyle) -> f32 {
    let settings = ParagraphSettings {
        punct,
        align: Align::Start,
        ..no_indent()
    };
    let (s, l) = set(db, text, em(40.0), &settings);
    assert_eq!(l.len(), 1, "{}", dump_lines(&s, &l));
    l[0].width
}

#[test]
fn punctuation_styles_set_marks_to_their_widths() {
    let db = fonts();
    // 他说 ：“ 好 。” 我们走 。
    let text = "他说：“好。”我们走。";
    let w = |p| natural_width(&db, text, p) / SIZE;
    // quanjiao: ：“ and 。” share a blank (1.5 em each).
    assert!(
        (w(PunctStyle::Quanjiao) - 10.0).abs() < 0.01,
        "{}",
        w(PunctStyle::Quanjiao)
    );
    // kaiming: 。 stays full, the others are half.
    assert!(
        (w(PunctStyle::Kaiming) - 9.5).abs() < 0.01,
        "{}",
        w(PunctStyle::Kaiming)
    );
    // banjiao: every mark half.
    assert!(
        (w(PunctStyle::Banjiao) - 8.5).abs() < 0.01,
        "{}",
        w(PunctStyle::Banjiao)
    );
    // plain: every mark a full cell.
    assert!(
        (w(PunctStyle::Plain) - 11.0).abs() < 0.01,
        "{}",
        w(PunctStyle::Plain)
    );
}

#[test]
fn adjacent_marks_follow_the_gb_pairs() {
    let db = fonts();
    let w = |t: &str| natural_width(&db, t, PunctStyle::Quanjiao) / SIZE;
    assert!((w("甲。”") - 2.5).abs() < 0.01, "。” = 1.5 em");
    assert!((w("甲），") - 2.5).abs() < 0.01, "）， = 1.5 em");
    assert!((w("甲）（乙") - 3.5).abs() < 0.01, "）（ = 1.5 em");
    assert!((w("甲。”）") - 3.0).abs() < 0.01, "。”） = 2 em");
    assert!((w("甲？！") - 2.0).abs() < 0.01, "？！ = 1 em");
}

#[test]
fn line_end_mark_takes_half_width_when_that_fits_the_line() {
    let db = fonts();
    // Four characters and 。” (1.5 em) on a five-em line: the closing quote
    // at the line end takes ½ em.
    let (s, l) = set(&db, "一二三四。”六七八九。", em(5.0), &no_indent());
    assert_eq!(texts(&s, &l)[0], "一二三四。”", "{}", dump_lines(&s, &l));
    let comma = l[0].glyphs.last().unwrap();
    assert!((comma.x + comma.advance - em(5.0)).abs() < 0.01);
    assert!(l[0]
        .adjust
        .marks
        .iter()
        .any(|m| m.rule == Compression::LineEnd));
}

#[test]
fn han_digit_gap_setting_spaces_digits() {
    let db = fonts();
    let settings = |gap| ParagraphSettings {
        han_digit_gap: gap,
        align: Align::Start,
        ..no_indent()
    };
    let (_, solid) = set(&db, "共93名", em(40.0), &settings(0.0));
    let (_, spaced) = set(&db, "共93名", em(40.0), &settings(0.25));
    assert!(
        (spaced[0].width - solid[0].width - em(0.5)).abs() < 0.01,
        "{} vs {}",
        spaced[0].width,
        solid[0].width
    );
}

#[test]
fn han_latin_gap_setting_spaces_latin_words() {
    let db = fonts();
    let settings = |gap| ParagraphSettings {
        han_latin_gap: gap,
        align: Align::Start,
        ..no_indent()
    };
    let (_, solid) = set(&db, "使用GPS定位", em(40.0), &settings(0.0));
    let (s, spaced) = set(&db, "使用GPS定位", em(40.0), &settings(0.25));
    assert!(
        (spaced[0].width - solid[0].width - em(0.5)).abs() < 0.01,
        "{}",
        dump_lines(&s, &spaced)
    );
    // The gap sits between 用 and G.
    let g = &spaced[0].glyphs;
    assert!((g[2].x - (g[1].x + g[1].advance) - em(0.25)).abs() < 0.01);
}

#[test]
fn han_latin_gap_never_at_line_start_or_end() {
    let db = fonts();
    let (s, l) = set(&db, "一二三四五GPS", em(5.0), &no_indent());
    assert_eq!(texts(&s, &l)[0], "一二三四五", "{}", dump_lines(&s, &l));
    assert_eq!(l[0].adjust.spread, 0.0, "no gap at the line end");
    assert!(l[1].glyphs[0].x.abs() < 0.01, "no gap at the line start");
}

#[test]
fn hanging_puts_the_comma_past_the_measure() {
    let db = fonts();
    // Plain style: the comma cannot be compressed, so without hanging 五
    // must go down with it.
    let plain = ParagraphSettings {
        punct: PunctStyle::Plain,
        ..no_indent()
    };
    let (s, l) = set(&db, "一二三四五，六七八九十。", em(5.0), &plain);
    assert_eq!(texts(&s, &l)[0], "一二三四", "{}", dump_lines(&s, &l));
    let hanging = ParagraphSettings {
        hanging: true,
        ..plain
    };
    let (s, l) = set(&db, "一二三四五，六七八九十。", em(5.0), &hanging);
    assert_eq!(texts(&s, &l)[0], "一二三四五，", "{}", dump_lines(&s, &l));
    assert!(l[0].adjust.hung);
    assert!((l[0].width - em(5.0)).abs() < 0.01);
    let comma = l[0].glyphs.last().unwrap();
    assert!(
        comma.x >= em(5.0) - 0.01,
        "the comma hangs: x = {}",
        comma.x
    );
}

#[test]
fn first_line_indent_is_two_em_and_last_line_flush_start() {
    let db = fonts();
    let (s, l) = set(
        &db,
        "一二三四五六七八九十甲乙丙丁。",
        em(6.0),
        &ParagraphSettings::default(),
    );
    assert!(
        (l[0].glyphs[0].x - em(2.0)).abs() < 0.01,
        "{}",
        dump_lines(&s, &l)
    );
    assert!((l[0].width - em(6.0)).abs() < 0.01);
    let last = l.last().unwrap();
    assert!(last.last);
    assert!(last.glyphs[0].x.abs() < 0.01);
    assert!(last.width < em(6.0));
}

#[test]
fn orphan_character_is_avoided() {
    let db = fonts();
    let text = "一二三四五六七八九十甲。";
    let off = ParagraphSettings {
        avoid_orphan_char: false,
        ..no_indent()
    };
    let (s, l) = set(&db, text, em(5.0), &off);
    assert_eq!(
        texts(&s, &l).last().unwrap(),
        "甲。",
        "{}",
        dump_lines(&s, &l)
    );
    let (s, l) = set(&db, text, em(5.0), &no_indent());
    let last = texts(&s, &l).last().unwrap().clone();
    assert!(last.chars().count() >= 3, "{}", dump_lines(&s, &l));
    for line in &l[..l.len() - 1] {
        let g = line.glyphs.last().unwrap();
        assert!((g.x + g.advance - em(5.0)).abs() < 0.01);
    }
}

#[test]
fn align_start_and_center_lines_keep_natural_width() {
    let db = fonts();
    for align in [Align::Start, Align::Center, Align::End] {
        let settings = ParagraphSettings {
            align,
            ..no_indent()
        };
        let (s, l) = set(
            &db,
            "我市召开灵宝至永济高速公路项目对接洽谈会",
            em(8.0),
            &settings,
        );
        assert!(l.len() >= 3, "{}", dump_lines(&s, &l));
        for line in &l {
            assert!(line.adjust.spread == 0.0);
            assert!(line.width <= em(8.0) + 0.01);
            let g = line.glyphs.last().unwrap();
            assert!((g.x + g.advance - line.width).abs() < 0.01);
        }
    }
}

#[test]
fn curly_quotes_between_chinese_are_full_width_even_in_kai() {
    let db = fonts();
    let kai = FontChain {
        faces: vec![db.find("LXGW WenKai", 400).unwrap()],
        size: SIZE,
        locale: Default::default(),
    };
    let text = "他说“好”。";
    let shaped = shape(text, &spans(text, &kai), &db);
    for c in &shaped.clusters {
        assert!(
            (c.advance - SIZE).abs() < 0.01,
            "{:?} {}",
            &text[c.range.clone()],
            c.advance
        );
    }
    // In English the quote stays proportional.
    let text = "say “hi” now";
    let shaped = shape(text, &spans(text, &kai), &db);
    let q = shaped
        .clusters
        .iter()
        .find(|c| &text[c.range.clone()] == "“")
        .unwrap();
    assert!(q.advance < 0.5 * SIZE);
}

#[test]
fn interpunct_is_half_em() {
    let db = fonts();
    let text = "马克·吐温";
    let shaped = shape(text, &spans(text, &song(&db)), &db);
    let dot = &shaped.clusters[2];
    assert!((dot.advance - 0.5 * SIZE).abs() < 0.01);
    let [l, r] = dot.ink.unwrap();
    assert!(
        ((l + r) / 2.0 - 0.25 * SIZE).abs() < 0.05 * SIZE,
        "centred: {l} {r}"
    );
}

#[test]
fn fallback_takes_the_next_face_and_missing_chars_are_reported() {
    let db = fonts();
    let kai = db.find("LXGW WenKai", 400).unwrap();
    let song = db.find("Noto Serif CJK SC", 400).unwrap();
    let chain = FontChain {
        faces: vec![kai, song],
        size: SIZE,
        locale: Default::default(),
    };
    let text = "中ᄀ\u{E000}文";
    let shaped = shape(text, &spans(text, &chain), &db);
    assert_eq!(shaped.clusters[0].glyphs[0].face, kai);
    if db.ttf_face(kai).glyph_index('ᄀ').is_none() {
        assert_eq!(shaped.clusters[1].glyphs[0].face, song, "fallback to Noto");
    }
    let missing = shaped.clusters.iter().find(|c| c.missing).unwrap();
    assert!((missing.advance - SIZE).abs() < 0.01, "a one-em box");
    assert_eq!(shaped.missing.len(), 1);
    assert_eq!(shaped.missing[0].ch, '\u{E000}');
    assert_eq!(shaped.missing[0].byte, text.find('\u{E000}').unwrap());
    let lines = break_lines(&shaped, em(10.0), &no_indent());
    assert!(lines[0].glyphs.iter().any(|g| g.missing));
}

#[test]
fn clusters_partition_mixed_text() {
    let db = fonts();
    let text = "“绿色家庭”——COVID-19疫情……37.5%的人ĉe a\u{301}\n完";
    let shaped = shape(text, &spans(text, &song(&db)), &db);
    let mut at = 0;
    for c in &shaped.clusters {
        assert_eq!(c.range.start, at);
        at = c.range.end;
    }
    assert_eq!(at, text.len());
}

#[test]
fn unbreakable_latin_longer_than_the_measure_is_broken_and_flagged() {
    let db = fonts();
    let text = "词Pneumonoultramicroscopicsilicovolcanoconiosis中文";
    let (s, l) = set(&db, text, em(5.0), &no_indent());
    let mut at = 0;
    for line in &l {
        assert_eq!(line.range.start, at);
        at = line.range.end;
        assert!(line.width <= em(5.0) + 0.01, "{}", dump_lines(&s, &l));
    }
    assert_eq!(at, text.len());
    assert!(
        l.iter().any(|x| x.broken_rule.is_some()),
        "{}",
        dump_lines(&s, &l)
    );
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let db = fonts();
    let (_, l) = set(&db, "", em(5.0), &no_indent());
    assert!(l.is_empty());
    for measure in [0.0, -5.0, f32::NAN, 1.0, em(0.5)] {
        let (s, l) = set(
            &db,
            "一二，三“四”五——六",
            measure,
            &ParagraphSettings::default(),
        );
        let total: usize = l.iter().map(|x| x.range.len()).sum();
        assert_eq!(total, s.text.len());
    }
    let (s, l) = set(&db, "一二\n三四五六七八九十", em(5.0), &no_indent());
    assert_eq!(texts(&s, &l)[0], "一二\n", "{}", dump_lines(&s, &l));
    assert!(l[0].width < em(5.0));
    let many = "，".repeat(50);
    let (s, l) = set(&db, &many, em(5.0), &no_indent());
    assert_eq!(l.iter().map(|x| x.range.len()).sum::<usize>(), s.text.len());
    let spaces = format!("甲{}乙", " ".repeat(100));
    let (s, l) = set(&db, &spaces, em(5.0), &no_indent());
    assert_eq!(l.iter().map(|x| x.range.len()).sum::<usize>(), s.text.len());
}

#[test]
fn centred_lines_are_balanced() {
    let db = fonts();
    let settings = ParagraphSettings {
        align: Align::Center,
        ..no_indent()
    };
    // 20 characters at 12 per line: 10 + 10, not 12 + 8.
    let (s, l) = set(
        &db,
        "我市召开灵宝至永济高速公路项目对接洽谈会",
        em(12.0),
        &settings,
    );
    let n: Vec<usize> = texts(&s, &l).iter().map(|t| t.chars().count()).collect();
    assert_eq!(n, vec![10, 10], "{}", dump_lines(&s, &l));
}

#[test]
fn cached_and_one_shot_shaping_agree_on_the_samples() {
    let db = fonts();
    let chain = song(&db);
    let mut shaper = Shaper::new(&db);
    for (_, p) in sample_paragraphs().iter().take(12) {
        let a = shaper.shape(p, &spans(p, &chain));
        let b = shape(p, &spans(p, &chain), &db);
        assert_eq!(a.clusters.len(), b.clusters.len());
        for (x, y) in a.clusters.iter().zip(&b.clusters) {
            assert_eq!(x.range, y.range);
            assert_eq!(x.class, y.class);
            assert!(
                (x.advance - y.advance).abs() < 1e-4,
                "{:?}",
                &p[x.range.clone()]
            );
            let gx: Vec<u16> = x.glyphs.iter().map(|g| g.glyph_id).collect();
            let gy: Vec<u16> = y.glyphs.iter().map(|g| g.glyph_id).collect();
            assert_eq!(gx, gy, "{:?}", &p[x.range.clone()]);
        }
    }
}

#[test]
fn a_mark_before_a_space_never_ends_a_line() {
    // Trailing spaces vanish at the line end, so the mark before them would
    // end the line (found by the property tests).
    let db = fonts();
    for (text, chars, level) in [
        ("的的的的“ 的的的的的的的的", 5.0, Prohibition::Basic),
        (
            "的的的的（\u{200B} 的的的的的的的的",
            5.0,
            Prohibition::Basic,
        ),
        ("的的的的／ 的的的的的的的的", 5.0, Prohibition::Gb),
    ] {
        let settings = ParagraphSettings {
            prohibition: level,
            ..no_indent()
        };
        let (s, l) = set(&db, text, em(chars), &settings);
        for line in &l[..l.len() - 1] {
            let t = line_text(&s, line).trim_end_matches([' ', '\u{200B}']);
            assert!(!t.ends_with(['“', '（', '／']), "{}", dump_lines(&s, &l));
        }
    }
}

#[test]
fn a_newline_forces_a_break_and_lines_never_cross_it() {
    let db = fonts();
    for text in [
        "一二三四五六七八九十\n甲乙丙丁戊己庚辛壬癸\n子丑寅卯辰巳午未申酉",
        "一二三四五六七\n八九十甲乙丙",
        "一二三四五六\n七八九十甲乙丙",
        "一二三四五六七\n八九十甲乙丙丁戊己",
    ] {
        let (s, l) = set(&db, text, em(5.0), &no_indent());
        for (n, line) in l.iter().enumerate() {
            let t = line_text(&s, line);
            assert!(
                !t.trim_end_matches('\n').contains('\n'),
                "{}",
                dump_lines(&s, &l)
            );
            if t.ends_with('\n') {
                assert!(
                    !line.last && line.width <= em(5.0),
                    "line {n} is set at natural width"
                );
            }
        }
        let breaks = l
            .iter()
            .filter(|x| line_text(&s, x).ends_with('\n'))
            .count();
        assert_eq!(breaks, text.matches('\n').count(), "{}", dump_lines(&s, &l));
    }
}
