//! Property tests (issue 8): whatever the text, nothing panics and nothing
//! is lost.
//!
//! Random mixes of Han, Latin, digits, every mark of CJK-RULES.md, characters
//! outside the BMP, spaces, tabs, blank lines, very short and very long
//! paragraphs and measures from 2 to 40 characters go through
//!
//! - the source parser: every non-space character of the file except the
//!   `#` markup comes out exactly once, in order (folded punctuation
//!   compared by its ASCII form), or the file is refused with a located error;
//! - the paragraph engine: the lines' byte ranges partition the text, every
//!   visible character has a glyph, no prohibited line start or end unless
//!   the line records the broken rule, no line wider than its measure unless
//!   flagged overfull, every number finite;
//! - composition: every character of every article appears exactly once, in
//!   order, in the display list's glyph runs when the articles are flowed
//!   freely; in a planned module that is too small, what is set is a prefix
//!   and the rest is reported overset; no glyph passes the edge of its
//!   column (body text) or module (headlines), and the frame check reports
//!   nothing;
//! - the text layer: every character of every article — invisible format
//!   characters (U+200B, U+2060, U+00AD, U+FEFF) and characters no font
//!   covers included — is in the text the PDF writer hands to krilla,
//!   exactly once and in order (`tests/pdf.rs` reads a real file back).
//!
//! Each property runs 1,000 cases. Failures are not persisted to files;
//! proptest prints the shrunk input, which goes into a regression test at
//! the bottom of this file.

use std::cell::RefCell;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use broadsheet::compose;
use broadsheet::display::{Item, Role};
use broadsheet::fonts::FontDb;
use broadsheet::layout;
use broadsheet::paragraph::{break_lines, Align, Line, ParagraphSettings, Prohibition, PunctStyle};
use broadsheet::source::{self, Article, Edition, ParseOptions};
use broadsheet::text::{CharClass, FontChain, ShapedText, Shaper, StyleSpan};

const CASES: u32 = 1000;
const SIZE: f32 = 9.0;

fn config() -> Config {
    Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Run a property with the shared configuration; panics with proptest's
/// report (the minimal failing input) on failure.
fn check<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    // A fixed seed keeps CI reproducible; PROPTEST_RANDOM=1 explores new
    // inputs on every run (the fuzz targets do that in CI).
    let config = config();
    let mut runner = if std::env::var_os("PROPTEST_RANDOM").is_some() {
        TestRunner::new(config)
    } else {
        let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
        TestRunner::new_with_rng(config, rng)
    };
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------
// Fonts, loaded once.

fn db() -> &'static FontDb {
    static DB: OnceLock<FontDb> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = FontDb::new();
        db.load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"))
            .expect("bundled fonts");
        db
    })
}

fn body_chain() -> FontChain {
    let db = db();
    FontChain {
        faces: vec![
            db.find("Noto Serif CJK SC", 400).unwrap(),
            db.find("LXGW WenKai", 400).unwrap(),
        ],
        size: SIZE,
        locale: Default::default(),
    }
}

thread_local! {
    static SHAPER: RefCell<Shaper<'static>> = RefCell::new(Shaper::new(db()));
}

fn shape(text: &str) -> ShapedText {
    let spans = [StyleSpan {
        range: 0..text.len(),
        chain: body_chain(),
    }];
    SHAPER.with(|s| s.borrow_mut().shape(text, &spans))
}

// ---------------------------------------------------------------------------
// Text generators.

const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";

/// Every mark of CJK-RULES.md §1 (groups A–J), plus the pairs of G and H.
const MARKS: &[&str] = &[
    // A stop/pause
    "、", "，", "。", "．", "；", "：", "？", "！", // B closing
    "”", "’", "）", "〕", "］", "｝", "】", "〗", "》", "〉", "」", "』", "〙", "〛", "〞", "〟",
    "｠", // C opening
    "“", "‘", "（", "〔", "［", "｛", "【", "〖", "《", "〈", "「", "『", "〘", "〚", "〝", "｟",
    // D connectors
    "–", "‐", "-", "—", "～", // E interpunct
    "·", "‧", "・", // F solidus
    "／", "/", // G two-em dash, H ellipsis
    "——", "⸺", "……", "⋯⋯", "…", // I iteration
    "々", "〃", // J number affixes
    "%", "‰", "℃", "￥", "$", // ASCII folded punctuation
    ",", ":", ";", "(", ")", "!", "?", ".",
];

/// Characters outside the BMP: CJK Extension B–G ideographs (some in no
/// bundled font) and an emoji no font has.
const ASTRAL: &[&str] = &["𠮷", "𠀀", "𪚥", "𤭢", "𨋢", "𫝀", "😀", "𝐀"];

/// Odd but real characters from pasted text.
const ODD: &[&str] = &[
    "\u{3000}",
    "\u{A0}",
    "\u{200B}",
    "\u{2060}",
    "\u{AD}",
    "e\u{301}",
    "中\u{FE00}",
    "\u{FEFF}",
    "ｆｕｌｌ",
    "Ａ",
];

fn han() -> impl Strategy<Value = String> {
    let chars: Vec<char> = HAN.chars().collect();
    proptest::collection::vec(select(chars), 1..8).prop_map(|v| v.into_iter().collect())
}

fn latin_word(max: usize) -> impl Strategy<Value = String> {
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').collect();
    proptest::collection::vec(select(letters), 1..max).prop_map(|v| v.into_iter().collect())
}

/// Product codes: one token with no break opportunity, sometimes much
/// longer than any measure.
fn long_token() -> impl Strategy<Value = String> {
    let chars: Vec<char> = ('a'..='z').chain('0'..='9').collect();
    proptest::collection::vec(select(chars), 20..400).prop_map(|v| v.into_iter().collect())
}

/// URLs: break opportunities after `/`, `.` and `-` only.
fn url() -> impl Strategy<Value = String> {
    let chars: Vec<char> = ('a'..='z')
        .chain('0'..='9')
        .chain("._/-?=&".chars())
        .collect();
    proptest::collection::vec(select(chars), 5..120)
        .prop_map(|v| format!("http://www.{}", v.into_iter().collect::<String>()))
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..100_000).prop_map(|n| n.to_string()),
        (0u32..1000, 0u32..100).prop_map(|(a, b)| format!("{a}.{b}%")),
        Just("3,000".to_string()),
        Just("7:30".to_string()),
        Just("2026年11月21日".to_string()),
        Just("37.5℃".to_string()),
        Just("￥128".to_string()),
    ]
}

fn space() -> impl Strategy<Value = String> {
    select(vec![" ", "  ", "\t", " \t ", "\u{3000}"]).prop_map(str::to_string)
}

/// One token of paragraph text (no line breaks).
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        30 => han(),
        12 => select(MARKS.to_vec()).prop_map(str::to_string),
        6 => latin_word(12),
        4 => number(),
        4 => space(),
        2 => select(ASTRAL.to_vec()).prop_map(str::to_string),
        1 => select(ODD.to_vec()).prop_map(str::to_string),
        1 => long_token(),
        1 => url(),
    ]
}

fn tokens(range: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(token(), range).prop_map(|v| v.concat())
}

/// Paragraph text: mostly short, sometimes very short or long.
fn paragraph_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => tokens(0..3),
        10 => tokens(1..40),
        3 => tokens(40..120),
        // Line breaks and blank lines inside text handed to the engine
        // directly (the parser never does this; the engine must cope).
        1 => proptest::collection::vec(
            prop_oneof![4 => token(), 1 => select(vec!["\n", "\n\n", "\r\n"]).prop_map(str::to_string)],
            1..40
        )
        .prop_map(|v| v.concat()),
    ]
}

fn settings() -> impl Strategy<Value = ParagraphSettings> {
    (
        select(vec![
            Prohibition::None,
            Prohibition::Basic,
            Prohibition::Gb,
            Prohibition::Strict,
        ]),
        select(vec![
            PunctStyle::Quanjiao,
            PunctStyle::Kaiming,
            PunctStyle::Banjiao,
            PunctStyle::Plain,
        ]),
        select(vec![0.0f32, 2.0]),
        any::<bool>(),
        select(vec![
            Align::Justify,
            Align::Justify,
            Align::Start,
            Align::Center,
            Align::End,
        ]),
        any::<bool>(),
    )
        .prop_map(
            |(prohibition, punct, indent, hanging, align, orphan)| ParagraphSettings {
                prohibition,
                punct,
                indent,
                hanging,
                align,
                avoid_orphan_char: orphan,
                ..ParagraphSettings::default()
            },
        )
}

// ---------------------------------------------------------------------------
// Source parser.

/// Folded punctuation compared by its ASCII form; whitespace and control
/// characters (which the parser drops with a warning) removed.
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '\u{FEFF}')
        .map(|c| match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '！' => '!',
            '？' => '?',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

fn article_text(a: &Article) -> String {
    let mut s = String::new();
    s.extend(a.kicker.iter().cloned());
    s.extend(a.headline.iter().cloned());
    s.extend(a.subheadline.iter().cloned());
    s.extend(a.byline.iter().cloned());
    s.extend(a.paragraphs.iter().cloned());
    s.extend(a.credit.iter().cloned());
    s
}

/// One source line of body text: never starts with `#` (that would be a
/// heading), may carry stray whitespace and control characters.
fn body_line() -> impl Strategy<Value = String> {
    (
        select(vec!["", "", "", "  ", "\t", "\u{3000}\u{3000}", "\u{7}"]),
        tokens(1..30),
        select(vec!["", "", "", " ", "\t", "\r", "\u{1b}"]),
    )
        .prop_map(|(lead, text, trail)| {
            let text = text.trim_start_matches('#').to_string();
            // Blank as the parser sees it: a line of nothing but spaces,
            // controls or stray U+FEFF holds no body text.
            let blank = text
                .chars()
                .all(|c| c.is_whitespace() || c.is_control() || c == '\u{FEFF}');
            let text = if blank { "文".to_string() } else { text };
            format!("{lead}{text}{trail}")
        })
}

/// A body block: one or more lines; an occasional block ends mid-sentence
/// (a print fragment the parser joins to the next one).
fn body_block(credits: bool) -> impl Strategy<Value = String> {
    let special = if credits {
        vec![
            "记者 刘凯华 樊朋展",
            "文/图 张三",
            "(李四 整理)",
            "本报讯(记者 王明)今天。",
        ]
    } else {
        // bug_credit_split_across_columns_is_set_twice
        vec!["本报讯(记者 王明)今天。", "新华社北京7月21日电 今天。"]
    };
    prop_oneof![
        6 => proptest::collection::vec(body_line(), 1..4).prop_map(|v| v.join("\n")),
        1 => select(special).prop_map(str::to_string),
    ]
}

/// Heading text: no leading `#`, not empty after trimming.
fn heading_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::collection::vec(han(), 1..4).prop_map(|v| v.join(" ")),
        1 => tokens(1..12),
    ]
    .prop_map(|t| {
        let t = t.replace(['\n', '\r'], "");
        if normalise(&t).is_empty() || t.trim_start().starts_with('#') {
            format!("标题{t}")
        } else {
            t
        }
    })
}

#[derive(Debug, Clone)]
struct ArticleSrc {
    kicker: Option<String>,
    level: u8,
    headline: String,
    subheadline: Option<String>,
    body: Vec<String>,
}

/// Headings that fit any column the composition properties use (a
/// headline taller than its column is bug_headline_taller_than_the_column).
/// Articles for composition also carry no credit block (see body_block).
fn short_heading_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(han(), 1..3).prop_map(|v| v.join(" "))
}

fn article_src(short_headings: bool) -> impl Strategy<Value = ArticleSrc> {
    let heading = move || {
        if short_headings {
            short_heading_text().boxed()
        } else {
            heading_text().boxed()
        }
    };
    (
        proptest::option::weighted(0.2, heading()),
        1u8..=2,
        heading(),
        proptest::option::weighted(0.2, heading()),
        proptest::collection::vec(body_block(!short_headings), 1..6),
    )
        .prop_map(|(kicker, level, headline, subheadline, body)| ArticleSrc {
            kicker,
            level,
            headline,
            subheadline,
            body,
        })
}

/// A whole article file and the text it holds (markup excluded).
fn article_file(articles: &[ArticleSrc], blank: &str, newline: &str) -> (String, String) {
    let mut file = String::new();
    let mut content = String::new();
    let push_block = |file: &mut String, text: &str| {
        file.push_str(&text.replace('\n', newline));
        file.push_str(newline);
        file.push_str(blank);
        file.push_str(newline);
    };
    for a in articles {
        if let Some(k) = &a.kicker {
            push_block(&mut file, &format!("### {k}"));
            content.push_str(k);
        }
        let hashes = if a.level == 1 { "#" } else { "##" };
        push_block(&mut file, &format!("{hashes} {}", a.headline));
        content.push_str(&a.headline);
        if let Some(s) = &a.subheadline {
            push_block(&mut file, &format!("### {s}"));
            content.push_str(s);
        }
        for b in &a.body {
            push_block(&mut file, b);
            content.push_str(b);
        }
    }
    (file, content)
}

fn edition_strategy() -> impl Strategy<Value = (String, String)> {
    (
        proptest::collection::vec(article_src(false), 1..4),
        select(vec!["", "  ", "\t", "\u{3000}"]),
        select(vec!["\n", "\n", "\r\n"]),
        any::<bool>(),
    )
        .prop_map(|(articles, blank, newline, bom)| {
            let (file, content) = article_file(&articles, blank, newline);
            let file = if bom { format!("\u{FEFF}{file}") } else { file };
            (file, content)
        })
}

#[test]
fn source_parser_keeps_every_character_once_in_order() {
    check(
        (edition_strategy(), any::<bool>()),
        |((file, content), full)| {
            let options = ParseOptions {
                fullwidth_punctuation: full,
                ..ParseOptions::default()
            };
            let edition =
                source::parse(file.as_bytes(), Path::new("p.md"), &options).map_err(|e| {
                    TestCaseError::fail(format!("refused a well-formed file: {e}\n{file:?}"))
                })?;
            let got: String = edition.articles.iter().map(article_text).collect();
            prop_assert_eq!(normalise(&got), normalise(&content), "file {:?}", file);
            for a in &edition.articles {
                prop_assert!(!a.headline.is_empty());
                prop_assert!(!a.paragraphs.is_empty());
                if let (Some(d), Some(r)) = (&a.dateline, &a.dateline_range) {
                    prop_assert_eq!(&a.paragraphs[0][r.clone()], d.as_str());
                }
            }
            Ok(())
        },
    );
}

/// Arbitrary text, including `#` lines, stray `###`, text before the first
/// headline and empty headings: never a panic; an error names a real line.
fn messy_file() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        4 => tokens(0..12),
        1 => (select(vec!["#", "##", "###", "####", "# ", "## ", "### ", "#话题#"]), tokens(0..6)).prop_map(|(h, t)| format!("{h}{t}")),
        1 => Just(String::new()),
    ];
    (
        proptest::collection::vec(line, 0..30),
        any::<bool>(),
        proptest::collection::vec(any::<u8>(), 0..4),
    )
        .prop_map(|(lines, junk, bytes)| {
            let mut b = lines.join("\n").into_bytes();
            if junk {
                let at = b.len() / 2;
                b.splice(at..at, bytes);
            }
            b
        })
}

#[test]
fn source_parser_never_panics_and_locates_its_errors() {
    check(messy_file(), |bytes| {
        let lines = bytes.split(|&b| b == b'\n').count();
        match source::parse(&bytes, Path::new("m.md"), &ParseOptions::default()) {
            Ok(edition) => {
                // Lossless on whatever it accepted: the parser's output,
                // markup aside, is the file's text.
                let text = String::from_utf8_lossy(&bytes);
                let file_chars = normalise(&text);
                let got: String = edition.articles.iter().map(article_text).collect();
                let got = normalise(&got);
                let mut rest = file_chars.chars();
                for c in got.chars() {
                    prop_assert!(
                        rest.any(|f| f == c),
                        "{:?} is not in the file in order: {:?}",
                        c,
                        text
                    );
                }
                let dropped: String = file_chars.chars().filter(|&c| c != '#').count().to_string();
                let kept = got.chars().filter(|&c| c != '#').count().to_string();
                prop_assert_eq!(
                    kept,
                    dropped,
                    "characters other than # markup lost: {:?}",
                    text
                );
            }
            Err(e) => {
                prop_assert!(
                    e.line >= 1 && e.line <= lines,
                    "error line {} of {}: {}",
                    e.line,
                    lines,
                    e
                );
                prop_assert!(e.column >= 1, "{}", e);
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------
// Paragraph engine.

/// The cluster classes a line may not start with at each level.
fn forbidden_start(class: CharClass, level: Prohibition, starts_pair: bool) -> bool {
    let basic = level != Prohibition::None;
    let gb = matches!(level, Prohibition::Gb | Prohibition::Strict);
    let strict = level == Prohibition::Strict;
    match class {
        CharClass::Stop | CharClass::Closing | CharClass::Interpunct | CharClass::Iteration => {
            basic
        }
        CharClass::Connector if !starts_pair => basic,
        CharClass::Solidus => gb,
        _ => strict && starts_pair,
    }
}

fn forbidden_end(class: CharClass, level: Prohibition) -> bool {
    match class {
        CharClass::Opening => level != Prohibition::None,
        CharClass::Solidus => matches!(level, Prohibition::Gb | Prohibition::Strict),
        _ => false,
    }
}

fn visible(c: char) -> bool {
    !c.is_whitespace()
        && !c.is_control()
        && broadsheet::text::class::class_of(c) != CharClass::Control
}

fn check_lines(
    shaped: &ShapedText,
    lines: &[Line],
    measure: f32,
    settings: &ParagraphSettings,
) -> Result<(), TestCaseError> {
    let text = &shaped.text;
    if text.is_empty() {
        prop_assert!(lines.is_empty());
        return Ok(());
    }
    prop_assert!(!lines.is_empty(), "no lines for a non-empty text");
    // The lines' ranges partition the text, in order.
    let mut at = 0;
    let mut rebuilt = String::new();
    for l in lines {
        prop_assert_eq!(l.range.start, at, "line ranges leave a gap or overlap");
        prop_assert!(
            l.range.end > l.range.start || text.is_empty(),
            "empty line range {:?}",
            l.range
        );
        prop_assert!(text.is_char_boundary(l.range.start) && text.is_char_boundary(l.range.end));
        rebuilt.push_str(&text[l.range.clone()]);
        at = l.range.end;
    }
    prop_assert_eq!(at, text.len());
    prop_assert_eq!(&rebuilt, text);
    prop_assert!(
        lines.last().unwrap().last,
        "the final line is not marked last"
    );
    prop_assert!(
        lines[..lines.len() - 1].iter().all(|l| !l.last),
        "a middle line is marked last"
    );

    // Every visible character is drawn by exactly one glyph cluster of its line.
    let mut covered = vec![false; text.len()];
    for l in lines {
        let mut prev_start = l.range.start;
        for g in &l.glyphs {
            prop_assert!(
                g.range.start >= l.range.start && g.range.end <= l.range.end,
                "glyph range {:?} outside its line {:?}",
                g.range,
                l.range
            );
            prop_assert!(g.range.start >= prev_start, "glyphs out of order");
            prev_start = g.range.start;
            prop_assert!(
                g.x.is_finite() && g.advance.is_finite() && g.y_offset.is_finite(),
                "non-finite glyph {:?}",
                g
            );
            for b in g.range.clone() {
                covered[b] = true;
            }
        }
        prop_assert!(l.width.is_finite(), "non-finite width");
    }
    for (i, c) in text.char_indices() {
        if visible(c) {
            prop_assert!(covered[i], "{:?} at byte {} has no glyph", c, i);
        }
    }

    // Width: no line wider than the measure unless flagged.
    let em = SIZE;
    for (n, l) in lines.iter().enumerate() {
        let extent = l
            .glyphs
            .iter()
            .map(|g| g.x + g.advance)
            .fold(0.0f32, f32::max);
        let allowed = measure + 0.01 + if l.adjust.hung { em } else { 0.0 };
        if !l.overfull {
            prop_assert!(
                l.width <= allowed && extent <= allowed,
                "line {} is {:.2}pt (glyphs to {:.2}pt) at a {:.2}pt measure, not flagged overfull: |{}|",
                n + 1,
                l.width,
                extent,
                measure,
                &text[l.range.clone()]
            );
        }
    }

    // Prohibitions at each break, unless a rule is recorded.
    let clusters = &shaped.clusters;
    let first_visible = |from: usize| {
        clusters.iter().position(|c| {
            c.range.start >= from && !matches!(c.class, CharClass::Space | CharClass::Mark)
        })
    };
    for pair in lines.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let recorded = a.broken_rule.is_some() || b.broken_rule.is_some();
        if recorded {
            continue;
        }
        let before = clusters.iter().rposition(|c| c.range.end <= a.range.end);
        let Some(before) = before else { continue };
        // After a line feed or another control character any start is fine.
        if clusters[before].class == CharClass::Control {
            continue;
        }
        let end_cluster = clusters[..=before].iter().rposition(|c| {
            !matches!(
                c.class,
                CharClass::Space | CharClass::Control | CharClass::Mark
            )
        });
        if let Some(e) = end_cluster {
            let c = &clusters[e];
            prop_assert!(
                !forbidden_end(c.class, settings.prohibition),
                "line ends with {:?} ({:?}) at level {:?} without a recorded rule: |{}|{}|",
                &text[c.range.clone()],
                c.class,
                settings.prohibition,
                &text[a.range.clone()],
                &text[b.range.clone()]
            );
            // The characters either side of the break itself (a space
            // between two pairs separates them: `…… ……` is not a split).
            let last = text[..a.range.end].chars().next_back().unwrap();
            let first_next = text[b.range.clone()].chars().next().unwrap();
            prop_assert!(
                !((last == '—' && first_next == '—')
                    || (matches!(last, '…' | '⋯') && matches!(first_next, '…' | '⋯'))),
                "—— or …… split without a recorded rule: |{}|{}|",
                &text[a.range.clone()],
                &text[b.range.clone()]
            );
        }
        if let Some(s) = first_visible(b.range.start) {
            let c = &clusters[s];
            if c.range.start >= b.range.end {
                continue;
            }
            let ch = text[c.range.start..].chars().next().unwrap();
            let cluster_text = &text[c.range.clone()];
            let next_ch = clusters
                .get(s + 1)
                .and_then(|n| text[n.range.start..].chars().next());
            let starts_pair = (ch == '—'
                && (cluster_text.chars().count() > 1 || next_ch == Some('—')))
                || (matches!(ch, '…' | '⋯') && matches!(next_ch, Some('…' | '⋯')))
                || ch == '⸺';
            prop_assert!(
                !forbidden_start(c.class, settings.prohibition, starts_pair),
                "line starts with {:?} ({:?}) at level {:?} without a recorded rule: |{}|{}|",
                cluster_text,
                c.class,
                settings.prohibition,
                &text[a.range.clone()],
                &text[b.range.clone()]
            );
        }
    }
    Ok(())
}

#[test]
fn paragraph_lines_partition_the_text_and_keep_the_rules() {
    check(
        (paragraph_text(), 2u32..=40, settings()),
        |(text, chars, settings)| {
            let measure = chars as f32 * SIZE;
            let shaped = shape(&text);
            // Shaping: the clusters partition the text.
            let mut at = 0;
            for c in &shaped.clusters {
                prop_assert_eq!(c.range.start, at, "clusters leave a gap in {:?}", text);
                at = c.range.end;
            }
            prop_assert_eq!(at, text.len());
            let lines = break_lines(&shaped, measure, &settings);
            check_lines(&shaped, &lines, measure, &settings).map_err(|e| {
                TestCaseError::fail(format!(
                    "{e}\n  text {text:?}\n  measure {chars} chars, {settings:?}"
                ))
            })
        },
    );
}

/// Clusters of marks that meet in real text (Traditional and Simplified),
/// where the pair rules of CJK-RULES §2 overlap.
const MARK_CLUSTERS: &[&str] = &[
    "！？」",
    "？！」",
    "？？」",
    "。」",
    "。」』",
    "！」」",
    "？」，",
    "」。",
    "）。",
    "！？",
    "…」",
    "——」",
    "：「",
    "。”",
    "？”）",
    "》，《",
    "、「",
    "；『",
    "」（",
];

#[test]
fn paragraph_mark_clusters_never_pass_the_measure() {
    // Issue 12 item 15: `嗎！？」` at a line end counted ？'s blank twice
    // (the ！？ pair and the closing mark after it each removed it), so the
    // line was set half an em wider than the breaker believed.
    let trad: Vec<char> = "嗎這是一個很長的句子測試文字內容關於城市發展引來熱議"
        .chars()
        .collect();
    let piece = (
        proptest::collection::vec(select(trad), 0..14)
            .prop_map(|v| v.into_iter().collect::<String>()),
        select(MARK_CLUSTERS.to_vec()),
    )
        .prop_map(|(h, m)| format!("{h}{m}"));
    check(
        (
            proptest::collection::vec(piece, 1..6),
            han(),
            4u32..=20,
            select(vec![0.0f32, 2.0]),
            select(vec![
                Prohibition::Basic,
                Prohibition::Gb,
                Prohibition::Strict,
            ]),
        ),
        |(pieces, tail, chars, indent, prohibition)| {
            let text = format!("{}{tail}", pieces.concat());
            let measure = chars as f32 * SIZE;
            let settings = ParagraphSettings {
                indent,
                prohibition,
                ..ParagraphSettings::default()
            };
            let shaped = shape(&text);
            let lines = break_lines(&shaped, measure, &settings);
            check_lines(&shaped, &lines, measure, &settings)?;
            for (n, l) in lines.iter().enumerate() {
                let extent = l
                    .glyphs
                    .iter()
                    .map(|g| g.x + g.advance)
                    .fold(0.0f32, f32::max);
                prop_assert!(
                    !l.overfull && l.width <= measure + 0.01 && extent <= measure + 0.01,
                    "line {} is {:.2} pt (glyphs to {:.2}) at {:.2}: |{}|\n{}",
                    n + 1,
                    l.width,
                    extent,
                    measure,
                    &text[l.range.clone()],
                    broadsheet::paragraph::dump_lines(&shaped, &lines)
                );
            }
            Ok(())
        },
    );
}

#[test]
fn paragraph_long_tokens_are_broken_not_overflowing() {
    // Issue 8 item 4: a URL or product code longer than the measure is broken
    // at a character boundary as a last resort and reported, never set past
    // the column edge.
    check(
        (han(), long_token(), han(), 2u32..=40),
        |(a, token, b, chars)| {
            let text = format!("{a}{token}{b}");
            let measure = chars as f32 * SIZE;
            let shaped = shape(&text);
            // No indent: at a 2-character measure a 2-em indent alone fills the
            // first line (flagged overfull, which is allowed, but not the point here).
            let settings = ParagraphSettings {
                indent: 0.0,
                ..ParagraphSettings::default()
            };
            let lines = break_lines(&shaped, measure, &settings);
            check_lines(&shaped, &lines, measure, &settings)?;
            for (n, l) in lines.iter().enumerate() {
                prop_assert!(
                    !l.overfull,
                    "line {} overfull: |{}| at {} chars",
                    n + 1,
                    &text[l.range.clone()],
                    chars
                );
            }
            let token_width: f32 = shaped
                .clusters
                .iter()
                .filter(|c| c.range.start >= a.len() && c.range.end <= a.len() + token.len())
                .map(|c| c.advance)
                .sum();
            if token_width > measure + 0.01 {
                prop_assert!(
                    lines.iter().any(|l| l.broken_rule.is_some()),
                    "a token wider than the measure was broken without a report"
                );
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------
// Composition.

/// A small layout: `columns` columns of `chars` characters at 9 pt on a
/// page just wide enough, no masthead.
fn small_layout(columns: u32, chars: u32, plan: Option<(u32, u32)>) -> layout::Layout {
    let width_pt = (columns * chars + columns.saturating_sub(1)) as f32 * SIZE + 40.0;
    let mut text = format!(
        r#"[page]
size = {{ width = "{width_pt}pt", height = "300pt" }}
margins = {{ top = "20pt", bottom = "20pt", left = "20pt", right = "20pt" }}

[grid]
columns = {columns}
column_chars = {chars}
gutter_chars = 1
body_size = "9pt"
line_pitch = "11.5pt"

[furniture]
masthead_lines = 0

[styles.headline_1]
size = "12pt"

[styles.headline_2]
size = "10.5pt"

[styles.kicker_1]
size = "9pt"

[styles.subheadline_1]
size = "9pt"

[styles.kicker_2]
size = "9pt"

[styles.subheadline_2]
size = "9pt"
"#
    );
    if let Some((cols, lines)) = plan {
        text.push_str(&format!("\n[[pages]]\n[[pages.modules]]\narticle = 1\ncolumns = [1, {cols}]\nlines = [1, {lines}]\n"));
    }
    layout::parse(&text, Path::new("prop.toml"))
        .unwrap_or_else(|e| panic!("test layout refused: {e}\n{text}"))
}

/// Per article, the text of its glyph runs in display order (jump lines and
/// other furniture excluded).
fn displayed(c: &compose::Composition, articles: usize) -> Vec<String> {
    let mut out = vec![String::new(); articles];
    for page in &c.pages {
        for item in &page.items {
            if let Item::Glyphs(run) = item {
                if matches!(
                    run.role,
                    Role::JumpLine | Role::ContinuationHeadline | Role::OversetMark
                ) {
                    continue;
                }
                if let Some(a) = run.article {
                    out[a - 1].push_str(&run.text);
                }
            }
        }
    }
    out
}

/// The characters a reader sees: whitespace and invisible format
/// characters (zero-width space, joiners) aside.
fn squeeze(s: &str) -> String {
    s.chars().filter(|&c| visible(c)).collect()
}

fn compose_input() -> impl Strategy<Value = (String, u32, u32)> {
    (
        proptest::collection::vec(article_src(true), 1..3),
        1u32..=3,
        4u32..=20,
    )
        .prop_map(|(articles, columns, chars)| {
            let (file, _) = article_file(&articles, "", "\n");
            (file, columns, chars)
        })
}

#[test]
fn composition_sets_every_character_once_in_order() {
    check(compose_input(), |(file, columns, chars)| {
        let edition = source::parse(file.as_bytes(), Path::new("c.md"), &ParseOptions::default())
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let layout = small_layout(columns, chars, None);
        let c = compose::compose(&edition, &layout, db())
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(c.report.overset_lines(), 0, "automatic flow never oversets");
        let shown = displayed(&c, edition.articles.len());
        for (i, a) in edition.articles.iter().enumerate() {
            prop_assert_eq!(
                squeeze(&shown[i]),
                squeeze(&article_text(a)),
                "article {} at {} columns of {} characters:\n{}",
                i + 1,
                columns,
                chars,
                file
            );
        }
        for page in &c.pages {
            for item in &page.items {
                if let Item::Glyphs(run) = item {
                    prop_assert!(run.x.is_finite() && run.y.is_finite());
                    prop_assert!(
                        run.y > 0.0 && run.y < page.height,
                        "a run off the page at y = {}",
                        run.y
                    );
                }
            }
        }
        Ok(())
    });
}

#[test]
fn composition_in_a_small_module_sets_a_prefix_and_reports_the_rest() {
    check(
        (compose_input(), 1u32..=3, 1u32..=20),
        |((file, columns, chars), cols, lines)| {
            let edition =
                source::parse(file.as_bytes(), Path::new("c.md"), &ParseOptions::default())
                    .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            let cols = cols.min(columns);
            let layout = small_layout(columns, chars, Some((cols, lines)));
            let c = compose::compose(&edition, &layout, db())
                .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            let outside = glyphs_outside_frames(&c);
            prop_assert!(
                outside.is_empty() && c.report.outside_frame.is_empty(),
                "glyphs outside their frame in a planned module: {:?}",
                outside
            );
            let shown = squeeze(&displayed(&c, edition.articles.len())[0]);
            let whole = squeeze(&article_text(&edition.articles[0]));
            prop_assert!(
                whole.starts_with(&shown),
                "what the module shows is not a prefix of the article:\n  shown {:?}\n  whole {:?}",
                shown,
                whole
            );
            let fit = c
                .report
                .modules
                .iter()
                .find(|m| m.page == 1 && m.module == 1)
                .expect("module 1 reported");
            if shown.len() < whole.len() {
                prop_assert!(
                    fit.overset > 0,
                    "text missing from the page but no overset reported: {:?}",
                    fit
                );
            } else {
                prop_assert_eq!(fit.overset, 0);
            }
            Ok(())
        },
    );
}

/// Glyphs of the display list outside their frame, computed from the
/// display list alone (not from the composer's own check): body text,
/// datelines and credits inside their column, headline blocks inside their
/// module.
fn glyphs_outside_frames(c: &compose::Composition) -> Vec<String> {
    let mut out = Vec::new();
    for page in &c.pages {
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            let Some(m) = run.module.and_then(|m| page.modules.get(m)) else {
                continue;
            };
            let (x0, x1) = match run.role {
                Role::Body | Role::Dateline | Role::Credit | Role::Lead => {
                    let Some(&(x, w)) = run.column.and_then(|k| m.columns.get(k)) else {
                        out.push(format!("{:?} run {:?} names no column", run.role, run.text));
                        continue;
                    };
                    (x, x + w)
                }
                Role::Kicker | Role::Headline | Role::Subheadline => (m.x, m.x + m.width),
                _ => continue,
            };
            let inside = |a: f32, b: f32| a >= x0 - 0.01 && b <= x1 + 0.01;
            for g in &run.glyphs {
                let (a, b) = (run.x + g.x, run.x + g.x + g.advance.max(0.0));
                // A glyph drawn off its cell (a centred `·`) counts by its
                // ink; one that draws nothing by nothing.
                let ink = (g.id != 0).then(|| {
                    let face = db().ttf_face(run.face);
                    let upem = face.units_per_em() as f32;
                    face.glyph_bounding_box(ttf_parser::GlyphId(g.id)).map(|r| {
                        let pen = run.x + g.x;
                        (
                            pen + r.x_min as f32 * run.size / upem,
                            pen + r.x_max as f32 * run.size / upem,
                        )
                    })
                });
                let ink_inside = match ink {
                    Some(None) => true,
                    Some(Some((l, r))) => inside(l, r),
                    None => false,
                };
                if !inside(a, b) && !ink_inside {
                    out.push(format!(
                        "page {} {:?} {:?}: glyph at {a:.2}..{b:.2} outside {x0:.2}..{x1:.2}",
                        page.number, run.role, run.text
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn composition_keeps_every_glyph_inside_its_frame() {
    check(
        (compose_input(), 0u32..=4),
        |((file, columns, chars), indent)| {
            let edition =
                source::parse(file.as_bytes(), Path::new("c.md"), &ParseOptions::default())
                    .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            let mut layout = small_layout(columns, chars, None);
            // Any indent the layout accepts (0–4 em), even one as wide as a
            // 4-character column.
            layout.styles.body.paragraph.indent = indent as f32;
            let c = compose::compose(&edition, &layout, db())
                .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            let outside = glyphs_outside_frames(&c);
            let reported: Vec<String> =
                c.report.outside_frame.iter().map(|o| o.to_text()).collect();
            if chars > indent {
                prop_assert!(
                    outside.is_empty() && reported.is_empty(),
                    "glyphs outside their frame at {} columns of {} characters, indent {}:\n{:?}\nreported {:?}\n{}",
                    columns,
                    chars,
                    indent,
                    outside,
                    reported,
                    file
                );
            } else {
                // An indent as wide as the column cannot be set: whatever
                // leaves the column is reported (the build fails).
                prop_assert!(
                    outside.is_empty() || !reported.is_empty(),
                    "glyphs outside their frame, none reported: {:?}",
                    outside
                );
            }
            Ok(())
        },
    );
}

/// Text with every kind of character the text layer has lost before:
/// invisible format characters and characters no font covers, among the
/// usual tokens.
fn layer_text(range: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            6 => token(),
            1 => select(vec!["\u{200B}", "\u{2060}", "\u{AD}", "\u{FEFF}", "😀", "𫝀", "\u{E000}"])
                .prop_map(str::to_string),
        ],
        range,
    )
    .prop_map(|v| v.concat())
}

/// A short heading (it must fit a narrow column) that may hold an invisible
/// or uncovered character.
fn layer_heading() -> impl Strategy<Value = String> {
    (
        short_heading_text(),
        select(vec![
            "", "", "\u{200B}", "\u{2060}", "\u{FEFF}", "😀", "\u{AD}",
        ]),
        han(),
    )
        .prop_map(|(a, odd, b)| format!("{a}{odd}{b}"))
}

fn layer_article() -> impl Strategy<Value = Article> {
    (
        proptest::option::weighted(0.3, layer_heading()),
        layer_heading(),
        proptest::option::weighted(0.3, layer_heading()),
        proptest::collection::vec(layer_text(1..30), 1..4),
        proptest::option::weighted(0.3, layer_heading()),
        0usize..6,
    )
        .prop_map(
            |(kicker, headline, subheadline, paragraphs, credit, dateline)| {
                // A dateline: the first few characters of the first paragraph.
                let p0 = &paragraphs[0];
                let end = p0.char_indices().nth(dateline).map_or(p0.len(), |(i, _)| i);
                let dateline = (dateline > 0 && end > 0).then(|| p0[..end].to_string());
                Article {
                    level: 1,
                    kicker,
                    headline: vec![headline],
                    subheadline,
                    dateline_range: dateline.as_ref().map(|d| 0..d.len()),
                    dateline,
                    paragraphs,
                    credit,
                    ..Default::default()
                }
            },
        )
}

/// What a reader must find of an article: everything but white space.
fn reader_text(a: &Article) -> String {
    article_text(a)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn text_layer_holds_every_character_once_in_order() {
    check(
        (
            proptest::collection::vec(layer_article(), 1..3),
            1u32..=3,
            4u32..=20,
        ),
        |(articles, columns, chars)| {
            // Built directly, not parsed: the parser's own handling of
            // U+FEFF is not what this checks.
            let edition = Edition {
                articles,
                warnings: Vec::new(),
            };
            let layout = small_layout(columns, chars, None);
            let c = compose::compose(&edition, &layout, db())
                .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            for (i, a) in edition.articles.iter().enumerate() {
                let mut layer = String::new();
                for page in &c.pages {
                    let mut mine = page.clone();
                    mine.items.retain(|item| {
                        matches!(item, Item::Glyphs(r) if r.article == Some(i + 1)
                            && !matches!(r.role, Role::JumpLine | Role::ContinuationHeadline | Role::OversetMark))
                    });
                    layer.push_str(&broadsheet::export::page_text(&mine, db()));
                }
                let layer: String = layer.chars().filter(|c| !c.is_whitespace()).collect();
                prop_assert_eq!(
                    &layer,
                    &reader_text(a),
                    "article {} at {} columns of {} characters",
                    i + 1,
                    columns,
                    chars
                );
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------
// Regressions: bugs the properties found, one small case each. Those marked
// `ignore` are open bugs outside this file's reach (the properties steer
// around them, see short_heading_text and body_block).

fn set_plain(
    text: &str,
    chars: u32,
    prohibition: Prohibition,
) -> (ShapedText, Vec<Line>, ParagraphSettings) {
    let settings = ParagraphSettings {
        prohibition,
        indent: 0.0,
        avoid_orphan_char: false,
        ..ParagraphSettings::default()
    };
    let shaped = shape(text);
    let lines = break_lines(&shaped, chars as f32 * SIZE, &settings);
    (shaped, lines, settings)
}

/// Found by the paragraph property (fixed): the line-end check looked only
/// at the unit before the break, which was the space.
#[test]
fn regression_mark_before_a_space_never_ends_a_line() {
    for (text, chars, level) in [
        ("的的的的“ 的的的的的的的的", 5, Prohibition::Basic),
        ("的的的的（ 的的的的的的的的", 5, Prohibition::Strict),
        (
            "的的的的的的的的的的的的的的／ \u{3000}的的、的的的",
            8,
            Prohibition::Gb,
        ),
    ] {
        let (shaped, lines, settings) = set_plain(text, chars, level);
        let dump = broadsheet::paragraph::dump_lines(&shaped, &lines);
        check_lines(&shaped, &lines, chars as f32 * SIZE, &settings)
            .unwrap_or_else(|e| panic!("{e}\n{dump}"));
    }
}

fn compose_file(file: &str, columns: u32, chars: u32) -> (source::Edition, compose::Composition) {
    let edition =
        source::parse(file.as_bytes(), Path::new("r.md"), &ParseOptions::default()).unwrap();
    let layout = small_layout(columns, chars, None);
    let c = compose::compose(&edition, &layout, db()).unwrap();
    (edition, c)
}

#[test]
fn bug_credit_split_across_columns_is_set_twice() {
    let file = "# 的 的的的的的的的\n\n的的的的的的的的的的的aGGkaammamaAiu的的的的的的的aam的的\n\n的的的的的的的的\n\n记者 刘凯华 樊朋展\n";
    let (edition, c) = compose_file(file, 1, 4);
    let shown = squeeze(&displayed(&c, 1)[0]);
    assert_eq!(shown, squeeze(&article_text(&edition.articles[0])));
}

#[test]
fn bug_headline_taller_than_the_column() {
    let file = format!("# {}\n\n正文。\n", "a".repeat(170));
    let (_, c) = compose_file(&file, 1, 4);
    for page in &c.pages {
        for item in &page.items {
            if let Item::Glyphs(run) = item {
                assert!(
                    run.y < page.height,
                    "run {:?} at y = {} on a page {} high",
                    run.text,
                    run.y,
                    page.height
                );
            }
        }
    }
}
