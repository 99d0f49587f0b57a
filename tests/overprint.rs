//! Overprint on the real PDF: marks in 100 % K (body text, black rules and
//! frames) are painted under an ExtGState with overprint on, so on press
//! they print over whatever lies beneath; everything else (tints, coloured
//! headlines, the magenta proof marks, white) is painted with overprint
//! off and knocks out. Each page's content is decoded with lopdf and walked
//! operator by operator, following `q`/`Q`, the CMYK colours and `gs`, so
//! each painting operator is judged under the state it really runs in.

#[macro_use]
mod common;

use std::path::Path;

use broadsheet::export::{self, ExportOptions};
use broadsheet::{compose, layout, source};
use lopdf::content::Content;
use lopdf::{Document, Object, ObjectId};

use common::*;

/// Two modules of black body text under a red headline, a grey placeholder
/// with its black frame, and a module too small for its article, which
/// gets magenta overset marks.
const LAYOUT: &str = concat!(
    "\n[paper]\nname = \"清河晚报\"\n",
    a4_grid!(),
    r#"
[styles.headline_1]
color = [0, 100, 100, 0]

[[pages]]
[[pages.modules]]
article = 1
columns = [1, 2]
lines = [1, 30]

[[pages.modules]]
columns = [3, 4]
lines = [1, 20]
placeholder = "广告"

[[pages.modules]]
article = 2
columns = [3, 4]
lines = [21, 26]
"#
);

const ARTICLES: &str = "# 清河新区 开通首条环线公交\n\n清河晚报讯 11月20日上午,清河新区首条环线公交正式开通。全程约18.5公里,沿途设站26个,每天6:00—22:00运营。市民张女士说:“以后去医院方便多了!”\n\n# 老楼加装电梯 六户人家的一年\n\n柳荫社区的老楼加装电梯,从征求意见到通过验收用了一年。六户人家有人支持有人犹豫,社区干部一户一户上门,把费用分摊、施工占地、低层住户的采光都摆到桌面上说清楚。一楼的王阿姨起初担心噪声和采光,后来看了设计图,又去邻近小区看了已经装好的电梯,终于签了字。电梯开通那天,住在六楼的李大爷第一次自己下楼买菜。\n";

/// What a painting operator uses: the fill or the outline.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Paint {
    Fill,
    Stroke,
}

/// One painting operator as the page runs it.
#[derive(Debug)]
struct Painted {
    operator: String,
    paint: Paint,
    cmyk: [f32; 4],
    overprint: bool,
}

/// The graphics state the walk follows.
#[derive(Debug, Clone, Default)]
struct State {
    fill: Option<[f32; 4]>,
    stroke: Option<[f32; 4]>,
    /// `op` (fill) and `OP` (stroke) of the last `gs`; both off by default.
    overprint_fill: bool,
    overprint_stroke: bool,
    /// The fill (`cs`) and stroke (`CS`) colour space is `Separation /All`
    /// (registration), whose tint `t` puts `t` on every plate.
    registration_fill: bool,
    registration_stroke: bool,
}

/// Whether the colour space `name` of the page's resources is the
/// registration colour, `[/Separation /All …]`.
fn is_registration(doc: &Document, page: ObjectId, name: &[u8]) -> bool {
    let (inline, referenced) = doc.get_page_resources(page).unwrap();
    let resources = match inline {
        Some(dict) => dict,
        None => doc.get_dictionary(referenced[0]).unwrap(),
    };
    let Ok(spaces) = resources.get(b"ColorSpace") else {
        return false;
    };
    let spaces = doc.dereference(spaces).unwrap().1.as_dict().unwrap();
    let Ok(space) = spaces.get(name) else {
        return false;
    };
    let space = doc.dereference(space).unwrap().1.as_array().unwrap();
    space[0].as_name().unwrap() == b"Separation" && space[1].as_name().unwrap() == b"All"
}

fn number(o: &Object) -> f32 {
    o.as_float()
        .unwrap_or_else(|_| panic!("not a number: {o:?}"))
}

fn cmyk(operands: &[Object]) -> [f32; 4] {
    assert_eq!(operands.len(), 4, "k/K takes four operands");
    [
        number(&operands[0]),
        number(&operands[1]),
        number(&operands[2]),
        number(&operands[3]),
    ]
}

/// The ExtGState named `name` in the page's resources, as (OP, op, OPM).
fn ext_g_state(doc: &Document, page: ObjectId, name: &[u8]) -> (bool, bool, i64) {
    let (inline, referenced) = doc.get_page_resources(page).unwrap();
    let resources = match inline {
        Some(dict) => dict,
        None => doc.get_dictionary(referenced[0]).unwrap(),
    };
    let states = match resources.get(b"ExtGState").unwrap() {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        other => other.as_dict().unwrap(),
    };
    let state = match states.get(name).unwrap() {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        other => other.as_dict().unwrap(),
    };
    let flag = |key: &[u8]| state.get(key).ok().map(|o| o.as_bool().unwrap());
    let stroke = flag(b"OP").unwrap_or(false);
    // `op` defaults to `OP` (PDF 32000-1 table 58).
    let fill = flag(b"op").unwrap_or(stroke);
    let mode = state.get(b"OPM").map_or(0, |o| o.as_i64().unwrap());
    (stroke, fill, mode)
}

/// Every painting operator of the page with its colour and overprint flag.
fn painted(doc: &Document, page: ObjectId) -> Vec<Painted> {
    let content = Content::decode(&doc.get_page_content(page).unwrap()).unwrap();
    let mut stack = vec![State::default()];
    let mut out = Vec::new();
    for op in &content.operations {
        let state = stack.last_mut().unwrap();
        let mut paint = |paint: Paint, state: &State| {
            let (cmyk, overprint) = match paint {
                Paint::Fill => (state.fill, state.overprint_fill),
                Paint::Stroke => (state.stroke, state.overprint_stroke),
            };
            out.push(Painted {
                operator: op.operator.clone(),
                paint,
                // The initial colour is black in DeviceGray (PDF 32000-1
                // 8.4.1), never 100 % K: the writer always sets its colour.
                cmyk: cmyk.unwrap_or_else(|| panic!("{} before any CMYK colour", op.operator)),
                overprint,
            });
        };
        match op.operator.as_str() {
            "q" => {
                let copy = state.clone();
                stack.push(copy);
            }
            "Q" => {
                stack.pop();
                assert!(!stack.is_empty(), "Q without q");
            }
            "k" => {
                state.fill = Some(cmyk(&op.operands));
                state.registration_fill = false;
            }
            "K" => {
                state.stroke = Some(cmyk(&op.operands));
                state.registration_stroke = false;
            }
            "cs" | "CS" if is_registration(doc, page, op.operands[0].as_name().unwrap()) => {
                let stroking = op.operator == "CS";
                if stroking {
                    state.registration_stroke = true;
                } else {
                    state.registration_fill = true;
                }
            }
            "scn" | "SCN"
                if (op.operator == "SCN" && state.registration_stroke)
                    || (op.operator == "scn" && state.registration_fill) =>
            {
                let tint = number(&op.operands[0]);
                let colour = Some([tint; 4]);
                match op.operator.as_str() {
                    "SCN" => state.stroke = colour,
                    _ => state.fill = colour,
                }
            }
            "g" | "G" | "rg" | "RG" | "cs" | "CS" | "sc" | "SC" | "scn" | "SCN" => {
                panic!("colour outside DeviceCMYK: {op:?}")
            }
            "gs" => {
                let name = op.operands[0].as_name().unwrap();
                let (stroke, fill, mode) = ext_g_state(doc, page, name);
                if stroke || fill {
                    assert_eq!(mode, 1, "overprint without OPM 1 knocks out 0 % channels");
                }
                state.overprint_stroke = stroke;
                state.overprint_fill = fill;
            }
            "Tr" => assert_eq!(number(&op.operands[0]), 0.0, "text is only filled"),
            "Tj" | "TJ" | "'" | "\"" | "f" | "F" | "f*" => paint(Paint::Fill, state),
            "S" | "s" => paint(Paint::Stroke, state),
            "B" | "B*" | "b" | "b*" => {
                paint(Paint::Fill, state);
                paint(Paint::Stroke, state);
            }
            // A picture or an ad's form paints in its own colours and
            // knocks out what is beneath it (tests/media.rs looks inside).
            "Do" => assert!(
                !state.overprint_fill && !state.overprint_stroke,
                "an image or form drawn in overprint mode: {op:?}"
            ),
            "sh" | "BI" => panic!("unexpected painting operator {op:?}"),
            _ => {}
        }
    }
    out
}

fn is_pure_black(c: [f32; 4]) -> bool {
    c == [0.0, 0.0, 0.0, 1.0]
}

/// Every paint in 100 % K overprints and every other paint knocks out;
/// returns what was painted, for the caller's own checks.
fn assert_only_black_overprints(pdf: &[u8], what: &str) -> Vec<Painted> {
    let doc = Document::load_mem(pdf).unwrap();
    let mut all = Vec::new();
    for (number, page) in doc.get_pages() {
        for p in painted(&doc, page) {
            assert_eq!(
                p.overprint,
                is_pure_black(p.cmyk),
                "{what} page {number}: {} in {:?} ({:?}) has overprint {}",
                p.operator,
                p.cmyk,
                p.paint,
                p.overprint
            );
            all.push(p);
        }
    }
    all
}

fn pdf_of(layout_toml: &str, articles: &str) -> Vec<u8> {
    let layout = layout::parse(layout_toml, Path::new("overprint.toml")).unwrap();
    let edition = source::parse(
        articles.as_bytes(),
        Path::new("overprint.md"),
        &Default::default(),
    )
    .unwrap();
    let db = fonts();
    let c = compose::compose(&edition, &layout, &db).unwrap();
    export::export(&c.info, &c.pages, &db, &ExportOptions::default()).unwrap()
}

#[test]
fn black_overprints_and_colour_and_tints_knock_out() {
    let pdf = pdf_of(LAYOUT, ARTICLES);
    let painted = assert_only_black_overprints(&pdf, "fixture");
    // Colours are written in 8 bits: 12 % is 31/255.
    let near = |a: [f32; 4], b: [f32; 4]| {
        a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() < 0.5 / 255.0 + 0.001)
    };
    let has = |paint: Paint, cmyk: [f32; 4], text: bool| {
        painted
            .iter()
            .any(|p| p.paint == paint && near(p.cmyk, cmyk) && p.operator.starts_with('T') == text)
    };
    let black = [0.0, 0.0, 0.0, 1.0];
    // Each kind of mark is there to be judged.
    assert!(has(Paint::Fill, black, true), "black body text");
    assert!(has(Paint::Fill, [0.0, 1.0, 1.0, 0.0], true), "red headline");
    assert!(has(Paint::Fill, [0.0, 0.0, 0.0, 0.12], false), "grey tint");
    assert!(has(Paint::Stroke, black, false), "black frame");
    assert!(
        has(Paint::Stroke, [0.0, 1.0, 0.0, 0.0], false),
        "magenta mark"
    );
    // Same input, same bytes.
    assert!(pdf == pdf_of(LAYOUT, ARTICLES), "two builds differ");
}

#[test]
fn only_black_overprints_on_the_bundled_pages() {
    let front = build("default.toml", &bundled_sample());
    let painted = assert_only_black_overprints(&front.pdf, "samples/edition.md");
    assert!(painted.iter().any(|p| p.overprint), "nothing overprints");
    let print = build_at(&print_layout(), &print_sample());
    assert_only_black_overprints(&print.pdf, "qinglan-evening.md");
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md"]
fn only_black_overprints_on_the_real_sample() {
    let b = build("yuncheng.toml", &real_sample());
    assert_only_black_overprints(&b.pdf, "yuncheng-evening.md");
}

/// The first page of `pdf` as Ghostscript prints it on CMYK plates
/// (`pamcmyk32`: one byte per plate and pixel, C M Y K, 255 full ink),
/// with the image's width in pixels.
fn cmyk_render(pdf: &[u8], dpi: f32) -> (usize, Vec<u8>) {
    let dir = scratch("overprint-ghostscript");
    std::fs::write(dir.join("tint.pdf"), pdf).unwrap();
    let out = std::process::Command::new("gs")
        .args(["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER"])
        .args(["-sDEVICE=pamcmyk32", "-dFirstPage=1", "-dLastPage=1"])
        .arg(format!("-r{dpi}"))
        .arg(format!("-sOutputFile={}", dir.join("tint.pam").display()))
        .arg(dir.join("tint.pdf"))
        .output()
        .expect("this test needs Ghostscript (`gs`): apt-get install ghostscript");
    assert!(
        out.status.success(),
        "gs: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pam = std::fs::read(dir.join("tint.pam")).unwrap();
    let end = pam.windows(7).position(|w| w == b"ENDHDR\n").unwrap() + 7;
    let header = String::from_utf8_lossy(&pam[..end]);
    let field = |key: &str| -> usize {
        header
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    assert_eq!(field("DEPTH "), 4, "{header}");
    (field("WIDTH "), pam[end..].to_vec())
}

/// A cyan tint under the fixture's headline and first body lines, rendered
/// by Ghostscript into CMYK plates (`pamcmyk32` simulates a press: it keeps
/// each plate and honours overprint). Where the black body text stands the
/// cyan plate must still carry the tint; where the red headline stands it
/// must be empty. Today's page-wide overprint kept the cyan under the red
/// headline too, which printed it dark purple.
#[test]
fn ghostscript_keeps_the_tint_under_black_text_only() {
    use broadsheet::display::{Cmyk, Item, Rect, Role};
    let layout = layout::parse(LAYOUT, Path::new("overprint.toml")).unwrap();
    let edition = source::parse(
        ARTICLES.as_bytes(),
        Path::new("overprint.md"),
        &Default::default(),
    )
    .unwrap();
    let db = fonts();
    let mut c = compose::compose(&edition, &layout, &db).unwrap();
    // 40 % cyan over module 1's top, drawn first so everything lies on it.
    let (x, y, width, height) = (30.0, 40.0, 240.0, 200.0);
    c.pages[0].items.insert(
        0,
        Item::Rect(Rect {
            role: Role::Placeholder,
            x,
            y,
            width,
            height,
            fill: Some(Cmyk(40.0, 0.0, 0.0, 0.0)),
            stroke: None,
            stroke_width: 0.0,
        }),
    );
    let off = export::trim_offset(&c.pages[0]);
    let pdf = export::export(&c.info, &c.pages[..1], &db, &ExportOptions::default()).unwrap();
    const DPI: f32 = 72.0;
    let (w, px) = cmyk_render(&pdf, DPI);
    let scale = DPI / 72.0;
    // Inside the tint, two pixels clear of its edges.
    let (x0, y0) = (
        ((x + off) * scale) as usize + 2,
        ((y + off) * scale) as usize + 2,
    );
    let (x1, y1) = (
        ((x + off + width) * scale) as usize - 2,
        ((y + off + height) * scale) as usize - 2,
    );
    const FULL: u8 = 230;
    let (mut black, mut black_kept, mut red, mut red_cleared) = (0, 0, 0, 0);
    for row in y0..y1 {
        for col in x0..x1 {
            let at = (row * w + col) * 4;
            let [cyan, magenta, _, k] = [px[at], px[at + 1], px[at + 2], px[at + 3]];
            if k >= FULL {
                black += 1;
                // 40 % of 255 is 102.
                black_kept += usize::from((90..=115).contains(&cyan));
            }
            if magenta >= FULL {
                red += 1;
                red_cleared += usize::from(cyan == 0);
            }
        }
    }
    assert!(
        black > 100 && red > 100,
        "black {black} red {red} pixels on the tint"
    );
    assert_eq!(black_kept, black, "black text knocked the tint out");
    assert_eq!(red_cleared, red, "the red headline overprinted the tint");
}
