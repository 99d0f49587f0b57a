//! Issue 16's acceptance through the command line: an article file with an
//! RGB JPEG, a CMYK JPEG and a grey PNG, and a layout with a vector PDF ad,
//! built by `broadsheet build`; the PDF read back with lopdf and pdftotext.

#[macro_use]
mod common;

use std::path::Path;

use broadsheet::media::{max_total_ink, INK_LIMIT};
use common::*;
use lopdf::{Document, Object, Stream};

const LAYOUT: &str = concat!(
    a4_grid!(),
    r#"
[[pages]]
section = "要闻"

[[pages.modules]]
article = 1
columns = [1, 2]
lines = [1, 30]
picture_columns = 1

[[pages.modules]]
article = 2
columns = [3, 4]
lines = [1, 30]
picture_columns = 1

[[pages.modules]]
article = 3
columns = [1, 2]
lines = [31, 63]
picture_columns = 1

[[pages.modules]]
ad = "ad.pdf"
fit = "contain"
columns = [3, 4]
lines = [31, 42]
"#
);

/// Three stories, each with a picture of another kind.
const ARTICLES: &str = "# 滨河公园完成改造

![改造后的滨河公园步道。](rgb.jpg \"摄影 记者 张三\")

本报讯（记者 李四）经过半年改造，滨河公园于昨日重新开放。新建的环湖步道全长三点二公里，沿途设置了二十处休息座椅和六处饮水点。

# 老街修缮工程启动

![修缮前的老街。](cmyk.jpg \"摄影 记者 王五\")

本报讯（记者 赵六）老街修缮工程昨日启动，将对沿街四十二栋老建筑进行加固和立面修复，工期一年。

# 冬季供暖今起试运行

![换热站的工作人员在检查管道。](grey.png \"摄影 记者 孙七\")

本报讯（记者 周八）今起全市集中供暖试运行，热力公司提醒居民检查家中阀门，发现漏水及时报修。
";

fn images(doc: &Document) -> Vec<&Stream> {
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        .collect()
}

/// The image's colour space, a name or the family of an array (`ICCBased`
/// with its component count).
fn colour_space(doc: &Document, image: &Stream) -> String {
    match image.dict.get(b"ColorSpace").unwrap() {
        Object::Name(n) => String::from_utf8_lossy(n).into_owned(),
        Object::Array(a) => {
            let family = String::from_utf8_lossy(a[0].as_name().unwrap()).into_owned();
            let n = a
                .get(1)
                .and_then(|o| o.as_reference().ok())
                .and_then(|r| doc.get_object(r).ok())
                .and_then(|o| o.as_stream().ok())
                .and_then(|s| s.dict.get(b"N").and_then(Object::as_i64).ok());
            format!("{family} {n:?}")
        }
        other => panic!("colour space {other:?}"),
    }
}

fn copy_fixture(name: &str, dir: &Path) {
    let from = root().join("tests/data/media").join(name);
    std::fs::copy(&from, dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
}

#[test]
fn an_edition_with_photos_and_an_ad_prints_in_cmyk_with_its_text() {
    let dir = scratch("pictures-pdf");
    for name in ["rgb.jpg", "cmyk.jpg", "grey.png", "ad.pdf"] {
        copy_fixture(name, &dir);
    }
    std::fs::write(dir.join("layout.toml"), LAYOUT).unwrap();
    std::fs::write(dir.join("a.md"), ARTICLES).unwrap();
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
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{said}");

    let pdf = std::fs::read(dir.join("out.pdf")).unwrap();
    let doc = Document::load_mem(&pdf).unwrap();
    let images = images(&doc);
    let mut spaces: Vec<String> = images.iter().map(|i| colour_space(&doc, i)).collect();
    spaces.sort();
    assert_eq!(
        spaces,
        ["DeviceCMYK", "DeviceCMYK", "DeviceGray"],
        "no RGB picture, device or ICC-based"
    );

    let cmyk = std::fs::read(dir.join("cmyk.jpg")).unwrap();
    let filter =
        |s: &Stream| s.dict.get(b"Filter").and_then(Object::as_name).ok() == Some(b"DCTDecode");
    assert!(
        images.iter().any(|s| filter(s) && s.content == cmyk),
        "the CMYK JPEG is embedded byte for byte"
    );
    let converted: Vec<&&Stream> = images
        .iter()
        .filter(|s| colour_space(&doc, s) == "DeviceCMYK" && s.content != cmyk)
        .collect();
    assert_eq!(converted.len(), 1, "the RGB JPEG, converted");
    let ink = match filter(converted[0]) {
        true => max_total_ink(&inverted_jpeg_ink(&converted[0].content)),
        false => max_total_ink(&converted[0].decompressed_content().unwrap()),
    };
    assert!(ink <= INK_LIMIT, "the converted photo has {ink} % ink");
    assert!(ink > 100.0, "read as ink, not paper: {ink} %");

    let forms = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form"))
        .count();
    assert!(forms >= 1, "the ad is a form XObject");

    let text: String = tool(
        "pdftotext",
        &[
            "-raw",
            "-enc",
            "UTF-8",
            dir.join("out.pdf").to_str().unwrap(),
            "-",
        ],
    )
    .chars()
    .filter(|c| !c.is_whitespace())
    .collect();
    assert!(text.contains("冬季读书月"), "the ad's own text: {text}");
    for (headline, caption, credit) in [
        ("滨河公园完成改造", "改造后的滨河公园步道。", "摄影记者张三"),
        ("老街修缮工程启动", "修缮前的老街。", "摄影记者王五"),
        (
            "冬季供暖今起试运行",
            "换热站的工作人员在检查管道。",
            "摄影记者孙七",
        ),
    ] {
        let at = |what: &str| {
            text.find(what)
                .unwrap_or_else(|| panic!("{what} is not in the text layer: {text}"))
        };
        assert!(
            at(headline) < at(caption) && at(caption) < at(credit),
            "{headline}: headline, caption, credit out of order in {text}"
        );
    }
}

/// A photograph is converted while the page is composed, after its header
/// was read: one whose compressed data is damaged past a whole header
/// still stops the build with exit 2 at the article line that names it,
/// before anything is written.
#[test]
fn a_photograph_damaged_past_its_header_stops_the_build_at_its_line() {
    let dir = scratch("pictures-damaged-scan");
    let mut jpeg = std::fs::read(root().join("tests/data/media/rgb.jpg")).unwrap();
    let scan = jpeg.windows(2).position(|m| m == [0xFF, 0xDA]).unwrap();
    let data = scan + 2 + usize::from(u16::from_be_bytes([jpeg[scan + 2], jpeg[scan + 3]]));
    // A marker no decoder knows, halfway through the compressed data.
    let middle = data + (jpeg.len() - data) / 2;
    jpeg[middle..middle + 2].copy_from_slice(&[0xFF, 0xC8]);
    std::fs::write(dir.join("damaged.jpg"), &jpeg).unwrap();
    let articles = "# 标题\n\n正文一段。\n\n![说明](damaged.jpg \"摄影 张三\")\n";
    std::fs::write(dir.join("a.md"), articles).unwrap();
    let out = run(&["build", "--articles", "a.md", "-o", "out.pdf"], &dir);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("a.md:5:1"), "{said}");
    assert!(
        said.contains("damaged.jpg") && said.contains("damaged"),
        "{said}"
    );
    assert!(!dir.join("out.pdf").exists(), "nothing is written");
}

/// The front page `scripts/bench-edition` times for issue 16 (the bundled
/// sample with a second photograph, tests/data/bench) must stay a page an
/// editor would print: built with exit 0, nothing overset, both photographs
/// converted to CMYK and the ad embedded. A bench of a broken page would
/// time the wrong thing.
#[test]
fn the_benched_front_page_has_two_photographs_and_the_ad() {
    let bench = root().join("tests/data/bench");
    let BinaryBuild {
        pdf, stdout: said, ..
    } = build_dumped_at(
        "bench-two-photos",
        &bench.join("two-photos.toml"),
        &bench.join("front-two-photos.md"),
    );
    assert!(said.contains("0 body line(s) overset"), "{said}");
    let photos: Vec<&str> = said
        .lines()
        .filter(|l| l.starts_with("picture page 1") && l.contains(".jpg at "))
        .collect();
    assert_eq!(photos.len(), 2, "{said}");
    assert!(said.contains("ad-library.pdf at vector"), "{said}");
    let doc = Document::load_mem(&std::fs::read(&pdf).unwrap()).unwrap();
    let images = images(&doc);
    let spaces: Vec<String> = images.iter().map(|i| colour_space(&doc, i)).collect();
    assert_eq!(spaces, ["DeviceCMYK", "DeviceCMYK"], "{said}");
    // Both compressed, and within the ink limit once decoded: compression
    // takes one strip of the riverside photograph past it, which is held
    // lower on its own (media/encode.rs).
    for image in images {
        let filter = image.dict.get(b"Filter").and_then(Object::as_name).ok();
        assert_eq!(filter, Some(&b"DCTDecode"[..]), "{said}");
        let ink = max_total_ink(&inverted_jpeg_ink(&image.content));
        assert!((100.0..=INK_LIMIT).contains(&ink), "{ink} % ink");
    }
}
