//! The source model: the article format of DESIGN §2 read into an
//! `Edition`, on the print-extract test sample (tests/data/print), the
//! bundled sample and small inputs for every rule and every kind of bad
//! input. The real sample page (../shared) has its own tests, ignored by
//! default because a fresh clone does not have it: run them with
//! `cargo test --release --test source -- --ignored`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use broadsheet::source::{self, Article, Edition, ParagraphKind, ParseOptions, SourceError};

const REAL_SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/samples/yuncheng-evening.md"
);
const BUNDLED_SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/edition.md");
const PRINT_SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/print/qinglan-evening.md"
);

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/source")
        .join(name)
}

fn on() -> ParseOptions {
    ParseOptions::default()
}

fn off() -> ParseOptions {
    ParseOptions {
        fullwidth_punctuation: false,
        ..ParseOptions::default()
    }
}

fn parse_with(text: &str, options: &ParseOptions) -> Result<Edition, SourceError> {
    source::parse(text.as_bytes(), Path::new("test.md"), options)
}

fn parse(text: &str) -> Edition {
    parse_with(text, &on()).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(bytes: &[u8]) -> SourceError {
    match source::parse(bytes, Path::new("test.md"), &on()) {
        Ok(e) => panic!("expected an error, got {e:?}"),
        Err(e) => e,
    }
}

/// The one article of a small input.
fn article(text: &str) -> Article {
    let mut e = parse(text);
    assert_eq!(e.articles.len(), 1, "{e:?}");
    e.articles.remove(0)
}

/// A sample file the test needs: a missing one fails the test, it never
/// passes without having run.
fn required(path: &str) -> PathBuf {
    let p = PathBuf::from(path);
    assert!(
        p.is_file(),
        "{} is missing: this test needs it (the real sample lives in ../shared beside the repository)",
        p.display()
    );
    p
}

// ---------------------------------------------------------------------------
// Losslessness

/// ASCII marks and their full-width forms count as the same character.
fn canonical(c: char) -> char {
    match c {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '!' => '！',
        '?' => '？',
        '(' => '（',
        ')' => '）',
        c => c,
    }
}

/// The source's characters without whitespace and without heading markup.
fn source_chars(text: &str) -> Vec<char> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = Vec::new();
    for line in text.split(['\n', '\r', '\u{2028}', '\u{2029}']) {
        let trimmed = line.trim_start();
        // A picture line's caption and credit are compared on their own
        // (`picture_chars`).
        if trimmed.starts_with("![") {
            continue;
        }
        // A front line is settings; of them, only the 栏目 is printed.
        if trimmed.starts_with('{') && trimmed.trim_end().ends_with('}') {
            let table: toml::Table = toml::from_str(&format!("front = {trimmed}")).unwrap();
            let rubric = table["front"].get("rubric").and_then(|r| r.as_str());
            out.extend(
                rubric
                    .unwrap_or_default()
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .map(canonical),
            );
            continue;
        }
        let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
        let body = if (1..=3).contains(&hashes) && trimmed[hashes..].starts_with([' ', '\t']) {
            &trimmed[hashes..]
        } else if let Some(quote) = trimmed
            .strip_prefix('>')
            .filter(|q| q.starts_with(' ') || q.chars().next().is_some_and(|c| !c.is_ascii()))
            // A lone `>` quotes nothing and is printed.
            .filter(|q| !q.trim_start_matches(['>', ' ']).trim().is_empty())
        {
            // A pull quote's `>` is markup, like a heading's `#`.
            quote
        } else {
            trimmed
        };
        // Bold markup (`**`) is not printed: asterisks are compared on
        // neither side.
        out.extend(
            body.chars()
                .filter(|c| !c.is_whitespace() && *c != '*')
                .map(canonical),
        );
    }
    out
}

/// The model's characters in reading order, without whitespace.
fn model_chars(edition: &Edition) -> Vec<char> {
    let mut s = String::new();
    for a in &edition.articles {
        s.extend(a.front.rubric.iter().map(String::as_str));
        s.extend(a.kicker.iter().map(String::as_str));
        s.extend(a.headline.iter().map(String::as_str));
        s.extend(a.subheadline.iter().map(String::as_str));
        s.extend(a.byline.iter().map(String::as_str));
        s.extend(a.paragraphs.iter().map(String::as_str));
        s.extend(a.credit.iter().map(String::as_str));
    }
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .map(canonical)
        .collect()
}

/// The captions and credits of the source's picture lines, and of the
/// model's pictures, without whitespace.
fn picture_chars(text: &str, edition: &Edition) -> (Vec<char>, Vec<char>) {
    let mut src = String::new();
    for line in text.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("![") else {
            continue;
        };
        let (caption, target) = rest.split_once("](").unwrap();
        src.push_str(caption);
        if let Some((_, credit)) = target.split_once(['"', '“']) {
            src.push_str(credit.trim_end_matches(')').trim_end_matches(['"', '”']));
        }
    }
    let mut model = String::new();
    for p in edition.articles.iter().flat_map(|a| &a.pictures) {
        model.push_str(&p.caption);
        model.extend(p.credit.as_deref());
    }
    let chars = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(canonical)
            .collect()
    };
    (chars(&src), chars(&model))
}

fn assert_lossless(text: &str, edition: &Edition) {
    let (src, model) = picture_chars(text, edition);
    assert_eq!(
        src.iter().collect::<String>(),
        model.iter().collect::<String>(),
        "captions and credits"
    );
    let src = source_chars(text);
    let model = model_chars(edition);
    if src != model {
        let at = src
            .iter()
            .zip(&model)
            .position(|(a, b)| a != b)
            .unwrap_or(src.len().min(model.len()));
        let ctx = |v: &[char]| {
            v[at.saturating_sub(10)..(at + 10).min(v.len())]
                .iter()
                .collect::<String>()
        };
        panic!(
            "model differs from source at character {at} (source {} chars, model {}):\n source …{}…\n model  …{}…",
            src.len(),
            model.len(),
            ctx(&src),
            ctx(&model)
        );
    }
}

/// No ASCII mark that should have been mapped is left beside a Han character.
fn assert_no_folded_punctuation(edition: &Edition) {
    let han = |c: Option<char>| c.is_some_and(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    for a in &edition.articles {
        let texts = a
            .kicker
            .iter()
            .chain(&a.headline)
            .chain(&a.subheadline)
            .chain(&a.paragraphs)
            .chain(&a.credit);
        for t in texts {
            let chars: Vec<char> = t.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                if ",:;!?()".contains(c) {
                    let prev = i.checked_sub(1).map(|j| chars[j]);
                    let next = chars.get(i + 1).copied();
                    assert!(
                        !han(prev) && !han(next),
                        "ASCII {c:?} left beside Han in …{}…",
                        excerpt(&chars, i)
                    );
                }
            }
        }
    }
}

fn excerpt(chars: &[char], i: usize) -> String {
    chars[i.saturating_sub(8)..(i + 8).min(chars.len())]
        .iter()
        .collect()
}

// ---------------------------------------------------------------------------
// The print-extract test sample (tests/data/print/README.md lists its traps)

#[test]
fn print_sample_structure() {
    let path = required(PRINT_SAMPLE);
    let e = source::parse_file(&path, &on()).unwrap();
    let counts: Vec<usize> = e.articles.iter().map(|a| a.paragraphs.len()).collect();
    assert_eq!(counts, [4, 4, 4, 6, 14]);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);

    let levels: Vec<u8> = e.articles.iter().map(|a| a.level).collect();
    assert_eq!(levels, [1, 2, 2, 2, 2]);

    let datelines: Vec<Option<&str>> = e.articles.iter().map(|a| a.dateline.as_deref()).collect();
    assert_eq!(
        datelines,
        [
            Some("青岚晚报讯（记者 韩青禾）"),
            Some("青岚晚报讯（记者 宋知远 通讯员 鲁文昕）"),
            Some("青岚晚报讯（记者 许默然）"),
            Some("青岚晚报讯（记者 宋知远）"),
            None,
        ]
    );
    for a in &e.articles {
        match (&a.dateline, &a.dateline_range) {
            (Some(d), Some(r)) => {
                assert_eq!(r.start, 0);
                assert_eq!(&a.paragraphs[0][r.clone()], d);
            }
            (None, None) => {}
            other => panic!("dateline and its range disagree: {other:?}"),
        }
    }

    let headlines: Vec<&[String]> = e.articles.iter().map(|a| &a.headline[..]).collect();
    assert_eq!(
        headlines,
        [
            &["青岚市启动", "“口袋公园”提质行动"][..],
            &["城区至柏泉镇公交专线", "本月20日开通"],
            &["市医保局与三家银行", "签署便民结算合作协议"],
            &["全市供销系统召开秋粮收购工作会议", "确保颗粒归仓"],
            &["柏泉镇：小小合作社", "带富一方群众"],
        ]
    );
    let a5 = &e.articles[4];
    assert_eq!(
        a5.kicker.as_deref(),
        Some("乡村振兴看一线——百名记者进村入户")
    );
    assert_eq!(a5.subheadline, None);
    assert_eq!(a5.credit.as_deref(), Some("记者 卢思远 许默然"));
    assert!(a5.paragraphs[0].starts_with("“以前种了菜"));
    assert!(e.articles[..4]
        .iter()
        .all(|a| a.credit.is_none() && a.kicker.is_none() && a.subheadline.is_none()));

    // The eight print fragments are joined, with nothing inserted, also
    // inside a number (`1` / `38家`) and between a digit and a letter.
    let all: Vec<&String> = e.articles.iter().flat_map(|a| &a.paragraphs).collect();
    let has = |s: &str| all.iter().filter(|p| p.contains(s)).count();
    for joined in [
        "重要抓手，坚持“一园一策”",
        "在全市138家营业网点",
        "依次进行了交流发言。",
        "收购网点的5G网络覆盖",
        "两千多元，第二年，主动要求入社",
        "走出去的大学生，前年毕业后",
        "新鲜蔬菜，订单一条接一条",
        "多家特产店，每斤小米的售价",
    ] {
        assert_eq!(has(joined), 1, "fragment not joined: {joined}");
    }
    assert_eq!(
        e.articles[3].paragraphs[1],
        "会上，市供销社通报了全市粮食产量预测和收购网点准备情况，枫溪区供销社、云杉县供销社、\
         青岚粮油储运公司、柏泉镇为农服务中心负责人依次进行了交流发言。"
    );

    // Folded punctuation is back to full width, numbers untouched.
    assert!(
        e.articles[1].paragraphs[1].starts_with("该线路首班车6:30从城区客运站发车，末班车19:00从")
    );
    assert!(a5
        .paragraphs
        .iter()
        .any(|p| p.contains("扩大到1,200余亩，")));
    assert!(a5.paragraphs.iter().any(|p| p.contains("贷款1,460万元。")));
    assert!(a5
        .paragraphs
        .iter()
        .any(|p| p.contains("白守成说：“在这里")));
    assert!(e.articles[2].paragraphs[3].contains("已达213.6万人，参保率稳定在97%以上。"));
    assert_no_folded_punctuation(&e);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains(['，', '：', '；', '（', '）']),
        "the sample is folded"
    );
    let model: String = e
        .articles
        .iter()
        .flat_map(|a| a.headline.iter().chain(&a.paragraphs))
        .map(String::as_str)
        .collect();
    // Three commas sit inside numbers (1,200 / 2,800 / 1,460) and stay ASCII.
    assert_eq!(model.matches(',').count(), 3);
    assert_eq!(model.matches('，').count(), text.matches(',').count() - 3);
    assert!(!model.contains([';', '(', ')']));
    assert_eq!(model.matches(':').count(), 2, "6:30 and 19:00 only");

    // Source lines for diagnostics.
    let a1 = &e.articles[0];
    assert_eq!(a1.origin.headline_line, 3);
    assert_eq!(a1.origin.paragraph_lines, [5, 7, 9, 11]);
    assert_eq!(e.articles[2].origin.paragraph_lines, [27, 29, 33, 35]);
    assert_eq!(
        e.articles[3].origin.paragraph_lines,
        [39, 41, 45, 47, 49, 53]
    );
    assert_eq!(a5.origin.kicker_line, Some(55));
    assert_eq!(a5.origin.headline_line, 57);
    assert_eq!(a5.origin.credit_line, Some(95));
    assert_eq!(a5.origin.file, path);
}

#[test]
fn print_sample_is_lossless() {
    let path = required(PRINT_SAMPLE);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_lossless(&text, &source::parse_file(&path, &on()).unwrap());
    assert_lossless(&text, &source::parse_file(&path, &off()).unwrap());
}

#[test]
fn print_sample_without_mapping_keeps_ascii() {
    let path = required(PRINT_SAMPLE);
    let e = source::parse_file(&path, &off()).unwrap();
    assert_eq!(
        e.articles[0].dateline.as_deref(),
        Some("青岚晚报讯(记者 韩青禾)")
    );
    assert_eq!(e.articles[4].headline[0], "柏泉镇:小小合作社");
    let counts: Vec<usize> = e.articles.iter().map(|a| a.paragraphs.len()).collect();
    assert_eq!(counts, [4, 4, 4, 6, 14]);
    let text = std::fs::read_to_string(&path).unwrap();
    let model: String = e
        .articles
        .iter()
        .flat_map(|a| &a.paragraphs)
        .map(String::as_str)
        .collect();
    assert_eq!(model.matches(',').count(), text.matches(',').count());
    assert!(!model.contains('，'));
    assert!(model.contains("全市138家") && model.contains("5G网络"));
}

// ---------------------------------------------------------------------------
// The real sample

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md; run with --ignored"]
fn real_sample_structure() {
    let path = required(REAL_SAMPLE);
    let e = source::parse_file(&path, &on()).unwrap();
    let counts: Vec<usize> = e.articles.iter().map(|a| a.paragraphs.len()).collect();
    assert_eq!(counts, [3, 3, 3, 4, 11]);
    assert_eq!(counts.iter().sum::<usize>(), 24);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);

    let levels: Vec<u8> = e.articles.iter().map(|a| a.level).collect();
    assert_eq!(levels, [1, 2, 2, 2, 2]);

    let datelines: Vec<Option<&str>> = e.articles.iter().map(|a| a.dateline.as_deref()).collect();
    assert_eq!(
        datelines,
        [
            Some("运城晚报讯（记者 李婷）"),
            Some("运城晚报讯（记者 祁克宁 通讯员 薛焜）"),
            Some("运城晚报讯（记者 刘凯华）"),
            Some("运城晚报讯（记者 陶登肖）"),
            None,
        ]
    );
    for a in &e.articles {
        match (&a.dateline, &a.dateline_range) {
            (Some(d), Some(r)) => {
                assert_eq!(r.start, 0);
                assert_eq!(&a.paragraphs[0][r.clone()], d);
            }
            (None, None) => {}
            other => panic!("dateline and its range disagree: {other:?}"),
        }
    }

    let a1 = &e.articles[0];
    assert_eq!(a1.headline, ["我市积极推进", "“绿色家庭”创建工作"]);
    assert_eq!(a1.kicker, None);
    assert_eq!(a1.credit, None);
    assert_eq!(
        e.articles[2].headline,
        ["夏县人民政府与农发行运城市分行", "签订战略合作协议"]
    );

    let a5 = &e.articles[4];
    assert_eq!(
        a5.kicker.as_deref(),
        Some("抓党建促基层治理能力提升——百名记者走基层")
    );
    assert_eq!(a5.headline, ["临猗住建局：助力基层治理", "“走”心下沉社区"]);
    assert_eq!(a5.subheadline, None);
    assert_eq!(a5.credit.as_deref(), Some("记者 刘凯华 樊朋展"));
    assert!(e.articles[..4]
        .iter()
        .all(|a| a.credit.is_none() && a.kicker.is_none()));

    // The six print fragments are joined.
    let all: Vec<&String> = e.articles.iter().flat_map(|a| &a.paragraphs).collect();
    let has = |s: &str| all.iter().filter(|p| p.contains(s)).count();
    assert_eq!(has("推进“绿色家庭”创建工作的重要意义"), 1);
    assert_eq!(has("进行了表态发言"), 1);
    assert_eq!(has("克服遇到事故就想隐瞒的侥幸心理"), 1);
    assert_eq!(has("成立党员先锋岗和核酸检测岗。"), 1);
    assert_eq!(has("面对群众的诉求，该局严格落实"), 1);
    assert_eq!(has("就更有抓手了，通过整合各方资源"), 1);

    // Folded punctuation is back to full width, numbers untouched.
    assert!(a1.paragraphs[0].contains("近日，市妇联"));
    assert!(a1.paragraphs[0].contains("各县（市、区）妇联"));
    assert!(a5.paragraphs.iter().any(|p| p.contains("诉求3000余次")));
    assert_no_folded_punctuation(&e);
    let text = std::fs::read_to_string(&path).unwrap();
    let model: String = e
        .articles
        .iter()
        .flat_map(|a| a.headline.iter().chain(&a.paragraphs))
        .map(String::as_str)
        .collect();
    assert_eq!(model.matches('，').count(), text.matches(',').count());
    assert!(!model.contains([',', ':', ';', '(', ')']));

    // Source lines for diagnostics.
    assert_eq!(a1.origin.headline_line, 3);
    assert_eq!(a1.origin.paragraph_lines, [5, 7, 9]);
    assert_eq!(e.articles[3].origin.paragraph_lines, [31, 33, 37, 39]);
    assert_eq!(a5.origin.kicker_line, Some(43));
    assert_eq!(a5.origin.headline_line, 45);
    assert_eq!(a5.origin.credit_line, Some(75));
    assert_eq!(a5.origin.file, path);
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md; run with --ignored"]
fn real_sample_is_lossless() {
    let path = required(REAL_SAMPLE);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_lossless(&text, &source::parse_file(&path, &on()).unwrap());
    assert_lossless(&text, &source::parse_file(&path, &off()).unwrap());
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md; run with --ignored"]
fn real_sample_without_mapping_keeps_ascii() {
    let path = required(REAL_SAMPLE);
    let e = source::parse_file(&path, &off()).unwrap();
    assert_eq!(
        e.articles[0].dateline.as_deref(),
        Some("运城晚报讯(记者 李婷)")
    );
    assert_eq!(e.articles[4].headline[0], "临猗住建局:助力基层治理");
    let counts: Vec<usize> = e.articles.iter().map(|a| a.paragraphs.len()).collect();
    assert_eq!(counts, [3, 3, 3, 4, 11]);
    let text = std::fs::read_to_string(&path).unwrap();
    let model: String = e
        .articles
        .iter()
        .flat_map(|a| &a.paragraphs)
        .map(String::as_str)
        .collect();
    assert_eq!(model.matches(',').count(), text.matches(',').count());
    assert!(!model.contains('，'));
}

#[test]
fn a_picture_line_keeps_its_caption_and_credit_and_fragments_join_across_it() {
    let text = "# 标题\n\n正文第一段写到一半,\n\n![市民在公园晨练。](media/a.jpg \"摄影 记者 张三\")\n\n接着写完。\n";
    let e = parse(text);
    let a = &e.articles[0];
    assert_eq!(a.paragraphs, vec!["正文第一段写到一半，接着写完。"]);
    assert_eq!(a.pictures.len(), 1);
    assert_eq!(a.pictures[0].caption, "市民在公园晨练。");
    assert_eq!(a.pictures[0].credit.as_deref(), Some("摄影 记者 张三"));
    assert_eq!(
        (a.pictures[0].origin.line, a.pictures[0].origin.column),
        (5, 1)
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert_lossless(text, &e);
}

#[test]
fn bundled_sample_is_lossless() {
    let path = required(BUNDLED_SAMPLE);
    let text = std::fs::read_to_string(&path).unwrap();
    let e = source::parse_file(&path, &on()).unwrap();
    assert!(e.articles.len() >= 5, "{} articles", e.articles.len());
    assert_lossless(&text, &e);
    assert_no_folded_punctuation(&e);
}

// ---------------------------------------------------------------------------
// Structure

#[test]
fn headline_levels_and_lines() {
    let e = parse("# 头条 两行标题\n\n正文一。\n\n## 二条\n\n正文二。\n");
    assert_eq!(e.articles.len(), 2);
    assert_eq!((e.articles[0].level, e.articles[1].level), (1, 2));
    assert_eq!(e.articles[0].headline, ["头条", "两行标题"]);
    assert_eq!(e.articles[1].headline, ["二条"]);
    assert_eq!(e.articles[1].origin.headline_line, 5);
    assert_eq!(e.articles[1].origin.paragraph_lines, [7]);
}

#[test]
fn leading_blank_lines_and_no_final_newline() {
    let a = article("\n \n\t\n# 标题\n   \n正文。");
    assert_eq!(a.paragraphs, ["正文。"]);
    assert_eq!(a.origin.headline_line, 4);
}

#[test]
fn kicker_and_subheadline() {
    let a = article("### 引题在前\n\n# 主题\n\n### 副题在后\n\n正文。\n");
    assert_eq!(a.kicker.as_deref(), Some("引题在前"));
    assert_eq!(a.headline, ["主题"]);
    assert_eq!(a.subheadline.as_deref(), Some("副题在后"));
    assert_eq!(a.paragraphs, ["正文。"]);
    assert_eq!(
        (a.origin.kicker_line, a.origin.subheadline_line),
        (Some(1), Some(5))
    );
    // Headings need no blank lines around them.
    let b = article("### 引题\n## 主题\n### 副题\n正文。");
    assert_eq!(
        (b.kicker.as_deref(), b.subheadline.as_deref()),
        (Some("引题"), Some("副题"))
    );
    // A kicker keeps its inner space; only headlines split on it.
    let c = article("### 百名记者 走基层\n## 主题\n\n正文。");
    assert_eq!(c.kicker.as_deref(), Some("百名记者 走基层"));
}

#[test]
fn lines_of_a_block_join_without_space_between_han() {
    let a = article("# 标题\n\n第一行\n第二行，\n“引号”\n“再引”。\nPM2.5 is\nhigh.\n");
    assert_eq!(a.paragraphs, ["第一行第二行，“引号”“再引”。PM2.5 is high."]);
}

#[test]
fn meaningful_spaces_are_kept() {
    let a = article("# 标题\n\n开展了“在职党员进社区 融入群众办实事”实践活动,PM2.5 is   high。");
    assert_eq!(
        a.paragraphs,
        ["开展了“在职党员进社区 融入群众办实事”实践活动，PM2.5 is high。"]
    );
}

// ---------------------------------------------------------------------------
// Datelines

#[test]
fn datelines() {
    let cases = [
        (
            "运城晚报讯(记者 李婷)近日,市妇联召开会议。",
            Some("运城晚报讯（记者 李婷）"),
        ),
        (
            "本报讯(记者 张三 通讯员 李四)昨天,会议召开。",
            Some("本报讯（记者 张三 通讯员 李四）"),
        ),
        ("本报讯 近日,会议召开。", Some("本报讯")),
        (
            "新华社北京7月21日电 记者从会上获悉。",
            Some("新华社北京7月21日电"),
        ),
        (
            "新华社北京7月21日电(记者 王五)当地时间。",
            Some("新华社北京7月21日电（记者 王五）"),
        ),
        (
            "中新社太原7月21日电（记者 赵六）山西省。",
            Some("中新社太原7月21日电（记者 赵六）"),
        ),
        ("通讯技术发展迅速。", None),
        ("国家电网运城供电公司(记者 张三)表示。", None),
        ("“真心感谢临猗县住建局。”", None),
    ];
    for (text, want) in cases {
        let a = article(&format!("# 标题\n\n{text}\n"));
        assert_eq!(a.dateline.as_deref(), want, "{text}");
        if let (Some(d), Some(r)) = (&a.dateline, &a.dateline_range) {
            assert_eq!(&a.paragraphs[0][r.clone()], d);
            assert!(a.paragraphs[0].starts_with(d.as_str()));
        } else {
            assert!(a.dateline_range.is_none());
        }
    }
}

#[test]
fn dateline_only_in_the_first_paragraph() {
    let a = article("# 标题\n\n会上,大家发言。\n\n本报讯(记者 张三)这不是电头。\n");
    assert_eq!(a.dateline, None);
}

#[test]
fn dateline_without_mapping() {
    let a = parse_with("# 标题\n\n运城晚报讯(记者 李婷)近日,会议召开。", &off()).unwrap();
    let a = &a.articles[0];
    assert_eq!(a.dateline.as_deref(), Some("运城晚报讯(记者 李婷)"));
    assert_eq!(a.dateline_range, Some(0.."运城晚报讯(记者 李婷)".len()));
}

// ---------------------------------------------------------------------------
// Credits

#[test]
fn credits() {
    for (credit, want) in [
        ("记者 刘凯华 樊朋展", "记者 刘凯华 樊朋展"),
        ("文/图 张三", "文/图 张三"),
        ("(李四 整理)", "（李四 整理）"),
        ("通讯员 王五", "通讯员 王五"),
        ("摄影 赵六", "摄影 赵六"),
        ("本报记者 张三 摄", "本报记者 张三 摄"),
    ] {
        let a = article(&format!("# 标题\n\n正文。\n\n{credit}\n"));
        assert_eq!(a.paragraphs, ["正文。"], "{credit}");
        assert_eq!(a.credit.as_deref(), Some(want));
        assert_eq!(a.origin.credit_line, Some(5));
    }
}

#[test]
fn credit_only_as_last_block() {
    let a = article("# 标题\n\n正文。\n\n记者 张三\n\n又一段。\n");
    assert_eq!(a.credit, None);
    assert_eq!(a.paragraphs, ["正文。", "记者 张三", "又一段。"]);
    // A lone block is the body, whatever it looks like.
    let b = article("# 标题\n\n记者 张三\n");
    assert_eq!((b.paragraphs.len(), b.credit.as_deref()), (1, None));
}

#[test]
fn sentence_is_not_a_credit() {
    let a = article("# 标题\n\n正文。\n\n记者从会上获悉,今年全市增长。\n");
    assert_eq!(a.credit, None);
    assert_eq!(a.paragraphs.len(), 2);
}

// ---------------------------------------------------------------------------
// Print fragments

#[test]
fn fragments_are_joined() {
    let a = article(
        "# 标题\n\n各成员单位要深刻认识推进“绿色家庭”创建工作\n\n的重要意义。\n\n\
         公司工会进行了表\n\n态发言。\n\n在基层治理中,面对群众的诉求,\n\n该局严格落实。\n\n\
         短句。\n\n他感慨地说:\n\n“好。”\n",
    );
    assert_eq!(
        a.paragraphs,
        [
            "各成员单位要深刻认识推进“绿色家庭”创建工作的重要意义。",
            "公司工会进行了表态发言。",
            "在基层治理中，面对群众的诉求，该局严格落实。",
            "短句。",
            "他感慨地说：“好。”",
        ]
    );
    assert_eq!(a.origin.paragraph_lines, [3, 7, 11, 15, 17]);
}

#[test]
fn fragments_rejoin_numbers_and_latin_without_a_space() {
    // A column that ended inside a number or a word: nothing was there.
    let a = article(
        "# 标题\n\n截至20\n\n26年底,全市共有1\n\n38家网点,完成5\n\nG覆盖,App\n\nStore上架,PM\n\n2.5浓度下降。\n",
    );
    assert_eq!(
        a.paragraphs,
        ["截至2026年底，全市共有138家网点，完成5G覆盖，AppStore上架，PM2.5浓度下降。"]
    );
    assert_eq!(a.origin.paragraph_lines, [3]);
    // A space the source kept at the cut (trailing or leading) is kept.
    let a = article("# 标题\n\n下载App \n\nStore上的应用,PM2.5 is\n\n high,共3\n\n\t000人。\n");
    assert_eq!(
        a.paragraphs,
        ["下载App Store上的应用，PM2.5 is high，共3 000人。"]
    );
    // ...but never between Han characters.
    let a = article("# 标题\n\n进行了表 \n\n 态发言。\n");
    assert_eq!(a.paragraphs, ["进行了表态发言。"]);
}

#[test]
fn fragment_that_cannot_be_rejoined_is_still_reported() {
    let e = parse("# 一\n\n截至20\n\n## 二\n\n正文。\n");
    assert_eq!(e.articles[0].paragraphs, ["截至20"]);
    assert_eq!(e.warnings.len(), 1, "{:?}", e.warnings);
    assert!(
        e.warnings[0].starts_with("test.md:3: paragraph ends mid-sentence (“…截至20”)")
            && e.warnings[0].contains("next headline"),
        "{}",
        e.warnings[0]
    );
}

#[test]
fn closers_after_sentence_end_do_not_join() {
    let a = article("# 标题\n\n他说:“得心应手。”\n\n有“温度”。\n\n（完）\n\n真的吗?\n\n好!\n\nEnd.\n\n最后……\n\n一段。");
    assert_eq!(a.paragraphs.len(), 7, "{:?}", a.paragraphs);
}

#[test]
fn fragments_never_join_across_headline_kicker_or_credit() {
    let e = parse(
        "# 一\n\n没有句号的结尾,\n\n## 二\n\n正文,\n\n记者 张三\n\n### 引题\n\n## 三\n\n正文未完\n",
    );
    assert_eq!(e.articles.len(), 3);
    assert_eq!(e.articles[0].paragraphs, ["没有句号的结尾，"]);
    assert_eq!(e.articles[1].paragraphs, ["正文，"]);
    assert_eq!(e.articles[1].credit.as_deref(), Some("记者 张三"));
    assert_eq!(e.articles[2].kicker.as_deref(), Some("引题"));
    assert_eq!(e.articles[2].paragraphs, ["正文未完"]);
    // Each cut-off ending is reported with its line.
    assert_eq!(e.warnings.len(), 3, "{:?}", e.warnings);
    assert!(e.warnings[0].starts_with("test.md:3: ") && e.warnings[0].contains("next headline"));
    assert!(e.warnings[1].starts_with("test.md:7: ") && e.warnings[1].contains("credit"));
    assert!(e.warnings[2].starts_with("test.md:15: ") && e.warnings[2].contains("end of the file"));
}

// ---------------------------------------------------------------------------
// Folded punctuation

#[test]
fn punctuation_mapping_on() {
    let a =
        article("# 临猗住建局:助力 治理!\n\n近日,市妇联召开会议;会上(各县)发言:“好!”真的?是的。\n");
    assert_eq!(a.headline, ["临猗住建局：助力", "治理！"]);
    assert_eq!(
        a.paragraphs,
        ["近日，市妇联召开会议；会上（各县）发言：“好！”真的？是的。"]
    );
}

#[test]
fn punctuation_mapping_off() {
    let text = "# 临猗住建局:助力\n\n近日,市妇联召开会议;会上(各县)发言:“好!”真的?是的。\n";
    let e = parse_with(text, &off()).unwrap();
    assert_eq!(e.articles[0].headline, ["临猗住建局:助力"]);
    assert_eq!(
        e.articles[0].paragraphs,
        ["近日,市妇联召开会议;会上(各县)发言:“好!”真的?是的。"]
    );
    assert_lossless(text, &e);
}

#[test]
fn numbers_and_latin_are_kept() {
    let a = article(
        "# 标题\n\n共3,000人,时间7:30,网址www.a.cn/?id=1;PM2.5浓度(PM2.5)下降。Hello, world! (ok) 完。\n",
    );
    assert_eq!(
        a.paragraphs,
        ["共3,000人，时间7:30，网址www.a.cn/?id=1;PM2.5浓度（PM2.5）下降。Hello, world! (ok) 完。"]
    );
}

#[test]
fn folded_and_full_width_brackets_pair_up() {
    let a = article("# 标题\n\n运城晚报讯（记者 李婷)近日,(1)加强管理。\n");
    assert_eq!(
        a.paragraphs,
        ["运城晚报讯（记者 李婷）近日，（1）加强管理。"]
    );
    assert_eq!(a.dateline.as_deref(), Some("运城晚报讯（记者 李婷）"));
}

// ---------------------------------------------------------------------------
// Bad input

#[test]
fn invalid_utf8_names_line_and_column() {
    let e = parse_err(b"# \xE6\xA0\x87\xE9\xA2\x98\n\n\xE6\xAD\xA3\xE6\x96\x87\xFF\xE3\x80\x82\n");
    assert_eq!((e.line, e.column), (3, 3));
    assert!(
        e.message.contains("UTF-8") && e.message.contains("0xFF"),
        "{e}"
    );
    assert_eq!(e.to_string(), format!("test.md:3:3: {}", e.message));
    // A GBK file, as Chinese text often arrives.
    let path = data("gbk.md");
    let e = source::parse_file(&path, &on()).unwrap_err();
    assert_eq!((e.line, e.column), (3, 1));
    assert!(e.message.contains("GB18030"), "{e}");
    assert!(e
        .to_string()
        .starts_with(&format!("{}:3:1: ", path.display())));
}

#[test]
fn utf16_is_named() {
    let e = parse_err(b"\xFF\xFE#\x00 \x00");
    assert_eq!((e.line, e.column), (1, 1));
    assert!(e.message.contains("UTF-16"), "{e}");
}

#[test]
fn empty_file_is_an_error() {
    for text in ["", "\n\n", "   \n\t\n \u{3000}\n", "\u{FEFF}"] {
        let e = parse_err(text.as_bytes());
        assert_eq!((e.line, e.column), (1, 1), "{text:?}");
        assert!(e.message.contains("empty"), "{e}");
        assert!(e.to_string().starts_with("test.md:1:1: "));
    }
}

#[test]
fn headline_without_body_is_an_error() {
    let e = parse_err("# 一\n\n正文。\n\n## 二\n\n## 三\n\n正文。\n".as_bytes());
    assert_eq!(e.line, 5);
    assert!(e.message.contains("no body"), "{e}");
    let e = parse_err("# 一\n\n正文。\n\n\n## 最后的标题\n".as_bytes());
    assert_eq!(e.line, 6);
    assert!(e.message.contains("最后的标题"), "{e}");
    // A subheadline is not a body.
    let e = parse_err("# 一\n### 副题\n".as_bytes());
    assert_eq!(e.line, 1);
}

#[test]
fn stray_triple_hash_is_an_error() {
    for (text, line) in [
        ("### 孤立的引题\n\n正文。\n", 1),
        ("# 标题\n### 副题\n### 第二个副题\n\n正文。\n", 3),
    ] {
        let e = parse_err(text.as_bytes());
        assert_eq!(e.line, line, "{text:?}: {e}");
        assert!(e.message.contains("no headline next to it"), "{e}");
        assert!(e.to_string().starts_with(&format!("test.md:{line}:1: ")));
    }
    // Between paragraphs a `###` is a 小标题; after the last one it has
    // no text to head.
    let e = parse("# 标题\n\n正文。\n\n### 中间的三级标题\n\n更多正文。\n");
    assert_eq!(
        e.articles[0].paragraph_kinds,
        [
            ParagraphKind::Body,
            ParagraphKind::Subhead,
            ParagraphKind::Body
        ]
    );
    let e = parse_err("# 标题\n\n正文。\n\n### 末尾\n".as_bytes());
    assert_eq!((e.line, e.column), (5, 1), "{e}");
}

#[test]
fn other_structure_errors() {
    let e = parse_err("开头没有标题的正文。\n\n# 标题\n\n正文。".as_bytes());
    assert_eq!(e.line, 1);
    assert!(e.message.contains("before the first headline"), "{e}");
    let e = parse_err("# 标题\n\n#### 四级\n\n正文。".as_bytes());
    assert_eq!(e.line, 3);
    let e = parse_err("# 标题\n\n正文。\n\n##\n\n正文。".as_bytes());
    assert_eq!(e.line, 5);
    assert!(e.message.contains("empty heading"), "{e}");
    // `#` glued to text is text.
    let a = article("# 标题\n\n#话题#正文。");
    assert_eq!(a.paragraphs, ["#话题#正文。"]);
}

#[test]
fn bom_is_accepted_with_a_warning() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("# 标题\n\n正文。\n".as_bytes());
    let e = source::parse(&bytes, Path::new("test.md"), &on()).unwrap();
    assert_eq!(e.articles[0].headline, ["标题"]);
    assert_eq!(e.warnings.len(), 1);
    assert!(e.warnings[0].starts_with("test.md:1: ") && e.warnings[0].contains("byte-order mark"));
}

#[test]
fn crlf_is_accepted() {
    let e = parse("# 标题 二行\r\n\r\n第一段\r\n续行。\r\n \r\n第二段。\r\n");
    let a = &e.articles[0];
    assert_eq!(a.headline, ["标题", "二行"]);
    assert_eq!(a.paragraphs, ["第一段续行。", "第二段。"]);
    assert!(a.paragraphs.iter().all(|p| !p.contains('\r')));
    assert_eq!(e.warnings, ["test.md:1: CRLF (Windows) line ends accepted"]);
}

#[test]
fn lone_cr_file_keeps_its_paragraphs_and_lines() {
    let text = "# 标题 二行\r\r第一段\r续行。\r\r第二段。\r\r## 二\r\r正文。";
    let e = parse(text);
    assert_eq!(e.articles.len(), 2);
    let a = &e.articles[0];
    assert_eq!(a.headline, ["标题", "二行"]);
    assert_eq!(a.paragraphs, ["第一段续行。", "第二段。"]);
    assert_eq!(a.origin.paragraph_lines, [3, 6]);
    assert_eq!(e.articles[1].origin.headline_line, 8);
    assert_eq!(e.articles[1].paragraphs, ["正文。"]);
    assert_eq!(
        e.warnings,
        ["test.md:1: CR line ends (classic Mac OS) accepted: each CR ends a line"]
    );
    assert_lossless(text, &e);
    // Errors name the line an editor shows.
    let e = parse_err(b"# \xE6\xA0\x87\r\r\xE6\xAD\xA3\xE6\x96\x87\xFF\r");
    assert_eq!((e.line, e.column), (3, 3), "{e}");
    // A `###` after the last paragraph is a 小标题 with no text after it.
    let e = parse_err("# 标题\r\r正文。\r\r### 孤立".as_bytes());
    assert_eq!((e.line, e.column), (5, 1), "{e}");
    let e = parse_err("# 标题\r\n\r正文。\n\r\n#### 四级".as_bytes());
    assert_eq!((e.line, e.column), (5, 1), "{e}");
}

#[test]
fn unicode_line_and_paragraph_separators() {
    let text = "# 标题\u{2029}第一段\u{2028}续行。\u{2029}第二段。\u{2029}## 二\u{2029}正文。";
    let e = parse(text);
    let lf = parse("# 标题\n\n第一段\n续行。\n\n第二段。\n\n## 二\n\n正文。");
    let paragraphs = |e: &Edition| -> Vec<Vec<String>> {
        e.articles.iter().map(|a| a.paragraphs.clone()).collect()
    };
    assert_eq!(paragraphs(&e), paragraphs(&lf));
    assert_eq!(
        paragraphs(&e),
        [vec!["第一段续行。", "第二段。"], vec!["正文。"]]
    );
    // One line per separator, as for LF.
    assert_eq!(e.articles[0].origin.paragraph_lines, [2, 4]);
    assert_eq!(e.articles[1].origin.headline_line, 5);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert_lossless(text, &e);
    // U+2028 alone never separates paragraphs; U+2029 always does, even
    // after a fragment.
    assert_eq!(
        article("# 标题\n\n甲\u{2028}乙。\u{2028}丙。").paragraphs,
        ["甲乙。丙。"]
    );
    assert_eq!(
        article("# 标题\n\n甲。\u{2029}乙。").paragraphs,
        ["甲。", "乙。"]
    );
    let e = parse_err("# 标题\u{2029}正文。\u{2029}### 孤立\u{2029}".as_bytes());
    assert_eq!((e.line, e.column), (3, 1), "{e}");
    let mut bytes = "# 标题\u{2028}\u{2028}正\u{2029}文".as_bytes().to_vec();
    bytes.push(0xFF);
    let e = parse_err(&bytes);
    assert_eq!((e.line, e.column), (4, 2), "{e}");
}

#[test]
fn invisible_format_characters_survive() {
    let text = "# 标\u{200B}题 二\u{2060}行\n\n正文\u{200B}A\u{2060}B,\u{200B}中文。\u{200B}\n\n第二\u{2060}段,\u{2060}\n\n续完。\n";
    let e = parse(text);
    let a = &e.articles[0];
    assert_eq!(a.headline, ["标\u{200B}题", "二\u{2060}行"]);
    assert_eq!(
        a.paragraphs,
        [
            // The comma's neighbour behind U+200B is Han: it is mapped.
            "正文\u{200B}A\u{2060}B，\u{200B}中文。\u{200B}",
            // U+200B after 。 still ends the paragraph; a fragment ending
            // in U+2060 still continues.
            "第二\u{2060}段，\u{2060}续完。",
        ]
    );
    let count = |s: &str, c: char| s.matches(c).count();
    let model: String = a
        .headline
        .iter()
        .chain(&a.paragraphs)
        .map(String::as_str)
        .collect();
    for c in ['\u{200B}', '\u{2060}'] {
        assert_eq!(count(&model, c), count(text, c), "U+{:04X}", c as u32);
    }
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert_lossless(text, &e);
}

#[test]
fn markdown_habits_are_warned_with_the_fix() {
    let text = "# 头条\n\n正文。\n\n##二条标题\n\n正文**重点**内容。\n\n＃＃ 三条标题\n\n> 引用一句话。\n\n见图![现场照片](photo.jpg)。\n";
    let e = parse(text);
    // Still text until the format gives them a meaning.
    assert_eq!(e.articles.len(), 1);
    assert_lossless(text, &e);
    let w = &e.warnings;
    assert_eq!(w.len(), 3, "{w:#?}");
    assert_eq!(
        w[0],
        "test.md:5:1: `##二条标题` looks like a headline but has no ASCII space after the `#`, \
         so it is read as body text: write `## 二条标题`"
    );
    // Bold is the format's own now: no warning, a span.
    let a = &e.articles[0];
    let p = a
        .paragraphs
        .iter()
        .position(|p| p.ends_with("正文重点内容。"))
        .unwrap();
    assert_eq!(a.emphasis[p].len(), 1);
    assert_eq!(
        w[1],
        "test.md:9:1: `＃＃ 三条标题` looks like a headline but uses the full-width `＃`, \
         so it is read as body text: write `## 三条标题`"
    );
    // A `> ` line is a 引语 now, not a habit.
    assert!(a.paragraph_kinds.contains(&ParagraphKind::PullQuote));
    assert!(
        w[2].starts_with("test.md:13:3: `![现场照片](photo.jpg)` is a Markdown image"),
        "{}",
        w[2]
    );
    // A hashtag, a real heading and ASCII in ordinary text stay quiet.
    let e = parse("# 标题\n\n#话题#正文2**10,a>b,见!图。\n\n## 二\n\n>5%的人。\n");
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
}

#[test]
fn tabs_are_spaces() {
    let e = parse("#\t标题\t二行\n\t\n\t运城晚报讯(记者\t李婷)近日,\t\t会议召开。\t\n");
    let a = &e.articles[0];
    assert_eq!(a.headline, ["标题", "二行"]);
    assert_eq!(a.paragraphs, ["运城晚报讯（记者 李婷）近日，会议召开。"]);
    assert_eq!(a.dateline.as_deref(), Some("运城晚报讯（记者 李婷）"));
    assert_eq!(e.warnings.len(), 1);
    assert!(e.warnings[0].starts_with("test.md:1: ") && e.warnings[0].contains("tab"));
}

#[test]
fn windows_file_with_bom_crlf_and_tabs() {
    let path = data("windows.md");
    let e = source::parse_file(&path, &on()).unwrap();
    let a = &e.articles[0];
    assert_eq!(a.kicker.as_deref(), Some("引题"));
    assert_eq!(
        a.headline,
        ["夏县人民政府与农发行运城市分行", "签订战略合作协议"]
    );
    assert_eq!(a.dateline.as_deref(), Some("运城晚报讯（记者 刘凯华）"));
    assert_eq!(a.paragraphs.len(), 2);
    assert_eq!(
        a.paragraphs[1],
        "当前，夏县经济社会发展正保持着强劲的发展势头。"
    );
    assert_eq!(a.credit.as_deref(), Some("记者 刘凯华"));
    assert_eq!(e.warnings.len(), 3, "{:?}", e.warnings);
    let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
    assert_lossless(&text, &e);
}

#[test]
fn control_characters_are_dropped_with_a_warning() {
    let e = parse("# 标题\n\n正\u{7}文\u{0}。\n");
    assert_eq!(e.articles[0].paragraphs, ["正文。"]);
    assert_eq!(e.warnings.len(), 1);
    assert!(e.warnings[0].starts_with("test.md:3: "));
}

#[test]
fn one_megabyte_paragraph() {
    let mut body = String::new();
    while body.len() < 1 << 20 {
        body.push_str("在基层治理中,面对群众的诉求3,000次(PM2.5)");
    }
    body.push('。');
    let text = format!("# 标题\n\n{body}\n");
    let t = Instant::now();
    let e = parse(&text);
    let took = t.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(e.articles[0].paragraphs.len(), 1);
    assert!(e.articles[0].paragraphs[0].len() > 1 << 20);
    assert_eq!(e.warnings.len(), 1, "{:?}", e.warnings);
    assert!(e.warnings[0].starts_with("test.md:3: ") && e.warnings[0].contains("characters"));
    assert_lossless(&text, &e);
}

#[test]
fn many_fragments_and_brackets_stay_linear() {
    // 100,000 blocks that never end a sentence, then a line of open brackets.
    let mut text = String::from("# 标题\n\n");
    for _ in 0..100_000 {
        text.push_str("片段,\n\n");
    }
    text.push_str(&"(".repeat(200_000));
    text.push_str(&"“".repeat(200_000));
    text.push('中');
    let t = Instant::now();
    let e = parse(&text);
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(e.articles[0].paragraphs.len(), 1);
    assert_lossless(&text, &e);
}

#[test]
fn missing_file_is_an_error() {
    let e = source::parse_file(Path::new("/nonexistent/articles.md"), &on()).unwrap_err();
    assert!(
        e.to_string().starts_with("/nonexistent/articles.md:"),
        "{e}"
    );
}

#[test]
fn json_shape() {
    let e = parse("# 标题 二行\n\n运城晚报讯(记者 李婷)近日,开会。\n\n记者 李婷\n");
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"articles": [{
            "level": 1,
            "kicker": null,
            "headline": ["标题", "二行"],
            "subheadline": null,
            "dateline": "运城晚报讯（记者 李婷）",
            "paragraphs": ["运城晚报讯（记者 李婷）近日，开会。"],
            "paragraph_kinds": ["body"],
            "emphasis": [[]],
            "byline": null,
            "front": {"rubric": null, "language": null},
            "credit": "记者 李婷",
            "pictures": []
        }]})
    );
}

// ---------------------------------------------------------------------------
// Robustness

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

#[test]
fn never_panics_and_stays_lossless() {
    let pieces = [
        "# ",
        "## ",
        "### ",
        "#### ",
        "#",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\t",
        " ",
        "\u{3000}",
        "中",
        "文",
        "。",
        "，",
        ",",
        ":",
        ";",
        "(",
        ")",
        "（",
        "）",
        "!",
        "?",
        "“",
        "”",
        "‘",
        "’",
        "记者 ",
        "张三",
        "讯",
        "电",
        "本报",
        "运城晚报讯",
        "新华社北京7月21日电",
        "3,000",
        "7:30",
        "PM2.5",
        "abc",
        "文/图",
        "…",
        "》",
        "\u{FEFF}",
        "\u{1}",
        "é",
        "𠀀",
        "\u{2028}",
        "\u{2029}",
        "\u{200B}",
        "\u{2060}",
        "##",
        "＃",
        "**",
        "> ",
        "![a](b)",
        "20",
        "26年",
    ];
    let mut rng = Lcg(0x5eed);
    let mut ok = 0;
    for round in 0..3000 {
        let n = 1 + rng.next() as usize % 40;
        let text: String = (0..n).map(|_| rng.pick(&pieces)).collect();
        for options in [on(), off()] {
            match parse_with(&text, &options) {
                Ok(e) => {
                    ok += 1;
                    // Control characters and stray BOMs are removed on purpose.
                    if !text.contains(['\u{1}', '\u{FEFF}']) {
                        assert_lossless(&text, &e);
                    }
                    for a in &e.articles {
                        assert!(
                            !a.paragraphs.is_empty() && !a.headline.is_empty(),
                            "round {round}: {text:?}"
                        );
                        assert!(
                            a.paragraphs.iter().all(|p| !p.is_empty()),
                            "round {round}: {text:?}: {:?}",
                            a.paragraphs
                        );
                        if let Some(r) = &a.dateline_range {
                            assert!(a.paragraphs[0].get(r.clone()).is_some());
                        }
                    }
                }
                Err(e) => assert!(e.line >= 1 && e.column >= 1, "round {round}: {e}"),
            }
        }
    }
    assert!(
        ok > 100,
        "only {ok} inputs parsed; the generator is too hostile"
    );

    // Random bytes: errors or editions, never a panic.
    for _ in 0..2000 {
        let n = rng.next() as usize % 64;
        let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
        let _ = source::parse(&bytes, Path::new("r.md"), &on());
    }
}
