//! Pictures and ads on the page (issue 16, placement): each case is built
//! by the real binary and checked on its `--dump` display list — frames on
//! the grid and inside their module, captions right below, body text never
//! over a picture, nothing lost from the text layer, cropping that covers
//! the frame, ads scaled without distortion, and the resolution checks.

#[macro_use]
mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// Float noise allowed on positions, pt.
const EPS: f32 = 0.02;

/// The test page: A4, four columns of 13 小五 characters, 11.5 pt pitch.
const LAYOUT_HEAD: &str = concat!(a4_grid!(), "\n[[pages]]\nsection = \"要闻\"\n");

/// Width of `n` grid columns of the test page, pt: 13 characters of 9 pt
/// each and a 1-character gutter between.
fn span(n: u32) -> f32 {
    (n * 13 + (n - 1)) as f32 * 9.0
}

/// A PNG of `width` × `height` pixels, a gradient so that it is a real
/// picture, written into `dir`.
fn png(dir: &Path, name: &str, width: u32, height: u32) {
    let file = std::fs::File::create(dir.join(name)).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            data.extend([(x * 255 / width) as u8, (y * 255 / height) as u8, 160]);
        }
    }
    writer.write_image_data(&data).unwrap();
}

/// One built case: its folder, exit code, output and dump.
struct Case {
    dir: PathBuf,
    code: i32,
    output: String,
    dump: Option<Value>,
}

impl Case {
    fn page(&self) -> &Value {
        &self.dump.as_ref().expect("the build wrote a dump")["pages"][0]
    }

    fn items(&self, kind: &str, role: &str) -> Vec<&Value> {
        self.page()["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == kind && i["role"] == role)
            .collect()
    }

    fn images(&self) -> Vec<&Value> {
        self.items("image", "picture")
    }

    /// The articles' pictures (a standalone picture module's has no
    /// article: it fills its module).
    fn article_images(&self) -> Vec<&Value> {
        self.images()
            .into_iter()
            .filter(|i| !i["article"].is_null())
            .collect()
    }

    /// Every run's text in display-list (reading) order.
    fn page_text(&self) -> String {
        self.page()["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == "glyphs")
            .map(|i| i["text"].as_str().unwrap())
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    fn grid(&self) -> (f32, f32) {
        let g = &self.page()["grid"];
        (f(&g["top"]), f(&g["pitch"]))
    }
}

fn f(v: &Value) -> f32 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}")) as f32
}

/// Build `article` on a layout of `LAYOUT_HEAD` + `modules` in a scratch
/// folder holding the pictures `pictures` (name, width, height).
fn build(name: &str, modules: &str, article: &str, pictures: &[(&str, u32, u32)]) -> Case {
    let dir = scratch(&format!("pictures-{name}"));
    for &(file, w, h) in pictures {
        png(&dir, file, w, h);
    }
    std::fs::write(dir.join("layout.toml"), format!("{LAYOUT_HEAD}{modules}")).unwrap();
    std::fs::write(dir.join("a.md"), article).unwrap();
    let out = run(
        &[
            "build",
            "--layout",
            "layout.toml",
            "--articles",
            "a.md",
            "-o",
            "out.pdf",
            "--dump",
            "out.json",
        ],
        &dir,
    );
    let dump = std::fs::read_to_string(dir.join("out.json"))
        .ok()
        .map(|t| serde_json::from_str(&t).unwrap());
    Case {
        code: out.status.code().unwrap_or(-1),
        output: String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr),
        dir,
        dump,
    }
}

const STORY: &str = "# 滨河公园完成改造 市民晨练有了新去处

![改造后的滨河公园，市民在步道上晨练。](photo.png \"摄影 记者 张三\")

本报讯（记者 李四）经过半年改造，滨河公园于昨日重新开放。新建的环湖步道全长三点二公里，沿途设置了二十处休息座椅和六处饮水点，夜间照明也全部更换为节能灯具。

公园管理处负责人介绍，改造中保留了园内全部古树，新增绿地一万二千平方米。开放首日，不少市民一早便来到公园散步、打拳、跳舞。

家住附近的王大爷说，以前步道坑坑洼洼，下雨天没法走，现在路面平整，晚上灯也亮，每天都愿意来走一走。王大爷还说，希望公园以后多办些活动，让周边的老人和孩子都有地方去。

记者 李四
";

/// A story long enough to fill the columns beside its picture and go on
/// below it.
fn long_story() -> String {
    let more = "据了解，滨河公园始建于上世纪八十年代，是城区最早的综合性公园之一。此次改造由市园林部门牵头，先后征求了周边社区居民的意见，对园内道路、照明、绿化和服务设施进行了全面提升。\n\n";
    STORY.replace("记者 李四\n", &format!("{}记者 李四\n", more.repeat(6)))
}

/// The story in a module of `lines`, its pictures across `picture_columns`.
fn story(name: &str, lines: &str, picture_columns: u32) -> Case {
    let modules = format!(
        "[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = {lines}\npicture_columns = {picture_columns}\n"
    );
    let c = build(name, &modules, STORY, &[("photo.png", 1600, 1067)]);
    assert_eq!(c.code, 0, "{}", c.output);
    c
}

/// A y that lies on a grid line's top (or the bottom of the one above).
fn on_grid(y: f32, (top, pitch): (f32, f32)) -> bool {
    let k = (y - top) / pitch;
    (k - k.round()).abs() * pitch < EPS
}

/// The invariants of every article picture on the page.
fn assert_picture_placed(c: &Case, columns: u32) {
    let grid = c.grid();
    let images = c.article_images();
    assert!(!images.is_empty(), "no picture on the page");
    for im in images {
        let (x, y, w, h) = (f(&im["x"]), f(&im["y"]), f(&im["width"]), f(&im["height"]));
        let m = &c.page()["modules"][im["module"].as_u64().unwrap() as usize];
        let (mx, my, mw, mh) = (f(&m["x"]), f(&m["y"]), f(&m["width"]), f(&m["height"]));
        assert!(
            x >= mx - EPS && y >= my - EPS && x + w <= mx + mw + EPS && y + h <= my + mh + EPS,
            "picture {x},{y} {w}×{h} outside its module {mx},{my} {mw}×{mh}"
        );
        assert!(
            on_grid(y, grid) && on_grid(y + h, grid),
            "frame {y}–{} off the grid",
            y + h
        );
        assert!(
            (w - span(columns)).abs() < EPS,
            "width {w} is not {columns} columns"
        );
        // Cropped to fill: the whole asset covers the frame, undistorted.
        let p: Vec<f32> = im["placed"].as_array().unwrap().iter().map(f).collect();
        assert!(
            p[0] <= x + EPS && p[1] <= y + EPS,
            "placed {p:?} starts inside the frame"
        );
        assert!(
            p[0] + p[2] >= x + w - EPS && p[1] + p[3] >= y + h - EPS,
            "placed {p:?} short of the frame"
        );
        let px = &im["asset"]["pixels"];
        let aspect = f(&px[0]) / f(&px[1]);
        assert!(
            (p[2] / p[3] - aspect).abs() < 0.01,
            "placed {p:?} distorts {aspect}"
        );
        // The height is the width over the aspect, rounded to grid lines.
        let lines = (w / aspect / grid.1).round().max(1.0);
        assert!(
            (h - lines * grid.1).abs() < EPS,
            "height {h} is not {lines} lines"
        );
        // The caption is on the grid line right below.
        let in_module = |role| -> Vec<&Value> {
            c.items("glyphs", role)
                .into_iter()
                .filter(|r| r["module"] == im["module"])
                .collect()
        };
        let captions = in_module("caption");
        let first = captions.first().expect("a caption run");
        let line_top = grid.0 + (f(&first["grid_line"]) - 1.0) * grid.1;
        assert!(
            (line_top - (y + h)).abs() < EPS,
            "caption line at {line_top}, picture ends at {}",
            y + h
        );
        assert!(f(&first["x"]) >= x - EPS && f(&first["y"]) > y + h);
        // No body line over the picture or its caption.
        let caption_end = captions
            .iter()
            .chain(in_module("picture_credit").iter())
            .map(|r| grid.0 + f(&r["grid_line"]) * grid.1)
            .fold(y + h, f32::max);
        for role in ["body", "dateline", "credit"] {
            for r in c.items("glyphs", role) {
                let (rx, ry, size) = (f(&r["x"]), f(&r["y"]), f(&r["size"]));
                let end = r["glyphs"]
                    .as_array()
                    .unwrap()
                    .last()
                    .map_or(rx, |g| rx + f(&g["x"]) + f(&g["advance"]));
                let beside = rx >= x + w - EPS || end <= x + EPS;
                let (top, bottom) = (ry - 0.88 * size, ry + 0.12 * size);
                let clear = bottom <= y + EPS || top >= caption_end - EPS;
                assert!(
                    beside || clear,
                    "{role} run `{}` at {rx},{ry} over the picture",
                    r["text"]
                );
            }
        }
    }
}

#[test]
fn an_articles_picture_sits_under_its_headline_on_the_grid() {
    let modules =
        "[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [1, 50]\npicture_columns = 3\n";
    let c = build(
        "fixed",
        modules,
        &long_story(),
        &[("photo.png", 1600, 1067)],
    );
    assert_eq!(c.code, 0, "{}", c.output);
    assert_picture_placed(&c, 3);
    // The body goes on below the picture in its columns and from the top
    // in the fourth.
    let image = c.images()[0];
    let bottom = f(&image["y"]) + f(&image["height"]);
    let body = c.items("glyphs", "body");
    assert!(
        body.iter().any(|r| r["column"] == 0 && f(&r["y"]) > bottom),
        "no body below the picture"
    );
    let headline_end = c
        .items("glyphs", "headline")
        .iter()
        .map(|r| f(&r["y"]))
        .fold(0.0, f32::max);
    assert!(body.iter().any(|r| r["column"] == 3
        && f(&r["y"]) < f(&image["y"]) + 2.0 * c.grid().1
        && f(&r["y"]) > headline_end));
}

#[test]
fn picture_columns_default_to_the_headlines_columns() {
    let c = build(
        "default-columns",
        "[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [1, 50]\nheadline_columns = 2\n",
        STORY,
        &[("photo.png", 1600, 1067)],
    );
    assert_eq!(c.code, 0, "{}", c.output);
    assert_picture_placed(&c, 2);
}

#[test]
fn captions_and_credits_are_read_after_the_headline_before_the_body() {
    let c = story("order", "[1, 63]", 4);
    let edition = broadsheet::source::parse_file(&c.dir.join("a.md"), &Default::default()).unwrap();
    let a = &edition.articles[0];
    let p = &a.pictures[0];
    assert_eq!(p.caption, "改造后的滨河公园，市民在步道上晨练。");
    assert_eq!(p.credit.as_deref(), Some("摄影 记者 张三"));
    assert_eq!(p.path, c.dir.join("photo.png"));
    let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let expected = strip(&format!(
        "{}{}{}{}",
        a.headline.concat(),
        p.caption,
        p.credit.as_deref().unwrap(),
        a.paragraphs.concat()
    ));
    // In the display list, whose order the PDF's text layer follows …
    subsequence(&expected, &c.page_text()).unwrap();
    let text = c.page_text();
    let at = |s: &str| {
        text.find(&strip(s))
            .unwrap_or_else(|| panic!("{s} not on the page"))
    };
    assert!(at(&a.headline[1]) < at(&p.caption) && at(&p.caption) < at("本报讯"));
    // … and in the PDF itself.
    let pdf = pdf_text(&c.dir.join("out.pdf"));
    subsequence(
        &strip(&format!(
            "{}{}{}",
            a.headline.concat(),
            p.caption,
            "摄影记者张三"
        )),
        &pdf,
    )
    .unwrap();
}

#[test]
fn a_height_from_the_text_counts_the_pictures_lines() {
    let short = "# 短讯配图\n\n![一张很高的图片](tall.png)\n\n一句话的短讯。\n";
    let modules = "[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [1, \"auto\"]\npicture_columns = 2\n";
    let c = build("auto", modules, short, &[("tall.png", 900, 1350)]);
    assert_eq!(c.code, 0, "{}", c.output);
    assert_picture_placed(&c, 2);
    let m = &c.page()["modules"][0];
    let image = c.images()[0];
    let caption = c.items("glyphs", "caption")[0];
    let (top, pitch) = c.grid();
    let caption_bottom = top + f(&caption["grid_line"]) * pitch;
    assert!(
        f(&m["y"]) + f(&m["height"]) >= caption_bottom - EPS,
        "module ends above its caption"
    );
    assert!(f(&image["height"]) > 20.0 * pitch, "a tall picture");
}

#[test]
fn a_picture_that_does_not_fit_its_module_is_overset_not_dropped() {
    let modules = "[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [1, 20]\n";
    let c = build("overset", modules, STORY, &[("photo.png", 1600, 1067)]);
    assert_eq!(c.code, 1, "{}", c.output);
    assert!(
        c.output.contains("a.md:3:1: article 1 picture 1: needs"),
        "{}",
        c.output
    );
    assert!(c.images().is_empty());
    assert!(
        !c.items("rect", "overset_mark").is_empty(),
        "the module is marked overset"
    );
}

/// A standalone picture module of `anchor` over a square picture in a
/// wide frame.
fn standalone(anchor: &str) -> Case {
    let modules = format!(
        "[[pages.modules]]\ncolumns = [1, 4]\nlines = [1, 20]\npicture = \"square.png\"\ncaption = \"北门远眺\"\ncredit = \"摄影 王五\"\nanchor = \"{anchor}\"\n\n[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [21, 60]\npicture_columns = 2\n"
    );
    let c = build(
        &format!("standalone-{anchor}"),
        &modules,
        STORY,
        &[("square.png", 2000, 2000), ("photo.png", 1600, 1067)],
    );
    assert_eq!(c.code, 0, "{}", c.output);
    c
}

#[test]
fn a_standalone_picture_fills_its_module_above_its_caption() {
    let c = standalone("center");
    let grid = c.grid();
    let im = c.images().into_iter().find(|i| i["module"] == 0).unwrap();
    let (y, h) = (f(&im["y"]), f(&im["height"]));
    assert!((y - grid.0).abs() < EPS && on_grid(y + h, grid));
    assert!((f(&im["width"]) - span(4)).abs() < EPS);
    let caption: Vec<_> = c
        .items("glyphs", "caption")
        .into_iter()
        .filter(|r| r["module"] == 0)
        .collect();
    let credit: Vec<_> = c
        .items("glyphs", "picture_credit")
        .into_iter()
        .filter(|r| r["module"] == 0)
        .collect();
    assert_eq!(caption[0]["text"], "北门远眺");
    assert_eq!(credit[0]["text"], "摄影 王五");
    // On the line below the picture, the last of the module before its
    // blank line: lines 1–19, the picture 18 of them.
    assert_eq!(caption[0]["grid_line"], 19);
    assert!((h - 18.0 * grid.1).abs() < EPS);
}

#[test]
fn the_anchor_keeps_its_side_of_a_cropped_picture() {
    let placed = |anchor| {
        let c = standalone(anchor);
        let im = c
            .images()
            .into_iter()
            .find(|i| i["module"] == 0)
            .unwrap()
            .clone();
        let p: Vec<f32> = im["placed"].as_array().unwrap().iter().map(f).collect();
        (f(&im["y"]), f(&im["height"]), p)
    };
    let (y, h, top) = placed("top");
    assert!((top[1] - y).abs() < EPS, "top keeps the top edge: {top:?}");
    let (_, _, bottom) = placed("bottom");
    assert!(
        (bottom[1] + bottom[3] - (y + h)).abs() < EPS,
        "bottom keeps the bottom edge: {bottom:?}"
    );
    let (_, _, center) = placed("center");
    let above = y - center[1];
    let below = center[1] + center[3] - (y + h);
    assert!(
        above > 1.0 && (above - below).abs() < EPS,
        "centre crops both: {center:?}"
    );
}

/// An ad module of `fit` over a 4:1 ad in a box of lines 41–63.
fn ad(fit: &str) -> Case {
    let modules = format!(
        "[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [1, 40]\npicture_columns = 2\n\n[[pages.modules]]\ncolumns = [1, 4]\nlines = [41, 63]\nad = \"ad.png\"\n{fit}"
    );
    build(
        &format!("ad-{}", fit.len()),
        &modules,
        STORY,
        &[("ad.png", 1600, 400), ("photo.png", 1600, 1067)],
    )
}

#[test]
fn an_ad_is_scaled_into_its_box_centred_without_distortion() {
    let c = ad("fit = \"contain\"\nframe = true\n");
    assert_eq!(c.code, 0, "{}", c.output);
    let ads = c.items("image", "ad");
    let a = ads[0];
    let (x, y, w, h) = (f(&a["x"]), f(&a["y"]), f(&a["width"]), f(&a["height"]));
    let p: Vec<f32> = a["placed"].as_array().unwrap().iter().map(f).collect();
    assert!((p[2] / p[3] - 4.0).abs() < 0.01, "distorted: {p:?}");
    assert!(
        (p[2] - w).abs() < EPS && p[3] <= h + EPS,
        "fits the width: {p:?}"
    );
    assert!(
        ((p[1] - y) - (y + h - p[1] - p[3])).abs() < EPS,
        "centred: {p:?}"
    );
    assert!((p[0] - x).abs() < EPS);
    let frames = c.items("rect", "ad");
    assert_eq!(frames.len(), 1, "the hairline frame");
    assert!((f(&frames[0]["y"]) - y).abs() < EPS && (f(&frames[0]["height"]) - h).abs() < EPS);
}

#[test]
fn an_ad_of_another_shape_is_refused_without_contain() {
    let c = ad("");
    assert_eq!(c.code, 2, "{}", c.output);
    assert!(
        c.output
            .contains("layout.toml:27:6: pages[1].modules[2].ad: the ad is 4.000 wide for 1 high"),
        "{}",
        c.output
    );
    assert!(
        !c.dir.join("out.pdf").exists() && c.dump.is_none(),
        "nothing written"
    );
}

#[test]
fn the_effective_resolution_is_reported_and_checked() {
    // One column (117 pt) of a 200-pixel picture: 123 ppi, a warning.
    let one_column =
        "[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [1, 40]\npicture_columns = 1\n";
    let story = STORY.replace("photo.png", "soft.png");
    let c = build("soft", one_column, &story, &[("soft.png", 200, 133)]);
    assert_eq!(c.code, 0, "{}", c.output);
    let im = c.images()[0];
    let placed_width = f(&im["placed"][2]);
    assert!((f(&im["ppi"]) - 200.0 * 72.0 / placed_width).abs() < 0.01);
    assert!(
        c.output.contains("a.md:3:1: ") && c.output.contains("ppi at its placed size"),
        "{}",
        c.output
    );
    assert!(
        c.output.contains("below 150 ppi: it will print soft"),
        "{}",
        c.output
    );
    // Across all four columns it is below 100 ppi: refused, nothing written.
    let wide = one_column
        .replace("picture_columns = 1", "picture_columns = 4")
        .replace("[1, 40]", "[1, 63]");
    let c = build("blurred", &wide, &story, &[("soft.png", 200, 133)]);
    assert_eq!(c.code, 2, "{}", c.output);
    assert!(
        c.output.contains("a.md:3:1: picture ") && c.output.contains("below 100 ppi"),
        "{}",
        c.output
    );
    assert!(!c.dir.join("out.pdf").exists());
    // Unless the layout allows it.
    let head = LAYOUT_HEAD.replace(
        "\n[[pages]]",
        "\n[output]\nallow_low_resolution = true\n\n[[pages]]",
    );
    let dir = scratch("pictures-allowed");
    png(&dir, "soft.png", 200, 133);
    std::fs::write(dir.join("layout.toml"), format!("{head}{wide}")).unwrap();
    std::fs::write(dir.join("a.md"), &story).unwrap();
    let out = run(
        &[
            "build",
            "--layout",
            "layout.toml",
            "--articles",
            "a.md",
            "-o",
            "out.pdf",
        ],
        &dir,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("below 150 ppi"), "{text}");
}

#[test]
fn articles_made_up_automatically_set_their_pictures_across_their_module() {
    let dir = scratch("pictures-flow");
    png(&dir, "photo.png", 1600, 1067);
    std::fs::write(dir.join("a.md"), STORY).unwrap();
    let out = run(
        &[
            "build",
            "--articles",
            "a.md",
            "-o",
            "out.pdf",
            "--dump",
            "out.json",
        ],
        &dir,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.json")).unwrap()).unwrap();
    let c = Case {
        dir,
        code: 0,
        output: String::new(),
        dump: Some(dump),
    };
    // Made up without a plan: the picture spans its module, whose columns
    // the make-up chose.
    let image = &c.images()[0];
    let module = &c.page()["modules"][image["module"].as_u64().unwrap() as usize];
    let columns = module["columns"].as_array().unwrap().len() as u32;
    assert!(columns > 1, "a lone story is made up wider than a column");
    assert_picture_placed(&c, columns);
}

#[test]
fn the_bundled_sample_places_its_photograph_and_its_ad() {
    let dir = scratch("pictures-bundled");
    let out = run(&["build", "-o", "out.pdf", "--dump", "out.json"], &dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.json")).unwrap()).unwrap();
    let c = Case {
        dir,
        code: 0,
        output: String::new(),
        dump: Some(dump),
    };
    assert_picture_placed(&c, 4);
    // The standalone photograph fills its module above its caption and
    // credit, which are the module's last lines.
    let standalone: Vec<&Value> = c
        .items("image", "picture")
        .into_iter()
        .filter(|i| i["article"].is_null())
        .collect();
    assert_eq!(standalone.len(), 1, "the riverside photograph");
    let im = standalone[0];
    let m = &c.page()["modules"][im["module"].as_u64().unwrap() as usize];
    let (y, h) = (f(&im["y"]), f(&im["height"]));
    assert!(
        (f(&im["x"]) - f(&m["x"])).abs() < EPS && (f(&im["width"]) - f(&m["width"])).abs() < EPS,
        "{im} across {m}"
    );
    assert!((y - f(&m["y"])).abs() < EPS, "{im} at the top of {m}");
    for role in ["caption", "picture_credit"] {
        let runs: Vec<&Value> = c
            .items("glyphs", role)
            .into_iter()
            .filter(|r| r["module"] == im["module"])
            .collect();
        assert!(!runs.is_empty(), "the standalone picture's {role}");
        for r in runs {
            let ry = f(&r["y"]);
            assert!(
                ry > y + h && ry <= f(&m["y"]) + f(&m["height"]) + EPS,
                "{role} at {ry} below the picture, inside its module"
            );
        }
    }
    let ads = c.items("image", "ad");
    assert_eq!(ads.len(), 2, "the library's and the market's ads");
    assert!(ads.iter().all(|ad| ad["asset"]["kind"] == "pdf"));
    let edition = broadsheet::source::parse_file(&bundled_sample(), &Default::default()).unwrap();
    let p = &edition
        .articles
        .iter()
        .flat_map(|a| &a.pictures)
        .next()
        .unwrap();
    let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let pdf = pdf_text(&c.dir.join("out.pdf"));
    subsequence(
        &strip(&format!("{}{}", p.caption, p.credit.as_deref().unwrap())),
        &pdf,
    )
    .unwrap();
}
