//! The standard a PDF claims (`[output] standard`) and the registration
//! colour of its marks, checked on the real file: each mode's version,
//! keys and output intent; what PDF/X-1a forbids absent from what it
//! writes; crop marks in `Separation /All` and no RGB anywhere; the print
//! finishing refusing a file that breaks the claim; `qpdf --check` and
//! Ghostscript on every mode.

#[macro_use]
mod common;

use std::path::Path;

use broadsheet::compose;
use broadsheet::display::{DocumentInfo, PdfStandard};
use broadsheet::export::{self, prepress};
use broadsheet::layout;
use common::*;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

const STANDARDS: [PdfStandard; 3] = [
    PdfStandard::PdfX4,
    PdfStandard::PdfX1a2003,
    PdfStandard::None,
];

/// The layout file `path` with `output` appended, built on `articles`
/// through the library exactly as the binary builds it.
fn pdf_with_output(path: &Path, output: &str, articles: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        !text.contains("[output]"),
        "{} has its own [output]",
        path.display()
    );
    let layout = layout::parse(&format!("{text}\n[output]\n{output}\n"), path)
        .unwrap_or_else(|e| panic!("{e}"));
    let edition = edition(articles);
    let db = fonts();
    let c = compose::compose(&edition, &layout, &db).unwrap();
    let options = broadsheet::build::export_options(&layout).unwrap_or_else(|e| panic!("{e:#}"));
    export::export(&c.info, &c.pages, &db, &options).unwrap()
}

fn pdf_in(standard: PdfStandard, path: &Path, articles: &Path) -> Vec<u8> {
    pdf_with_output(
        path,
        &format!("standard = \"{}\"", standard.name()),
        articles,
    )
}

fn info_dict(doc: &Document) -> &Dictionary {
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    doc.get_dictionary(info).unwrap()
}

fn xmp(doc: &Document) -> String {
    let id = doc
        .catalog()
        .unwrap()
        .get(b"Metadata")
        .unwrap()
        .as_reference()
        .unwrap();
    let stream = doc.get_object(id).unwrap().as_stream().unwrap();
    String::from_utf8_lossy(&stream.content).into_owned()
}

/// The embedded output profile of the only output intent, if any.
fn output_profile(doc: &Document) -> Option<(Dictionary, Vec<u8>)> {
    let intents = doc.catalog().unwrap().get(b"OutputIntents").ok()?;
    let intents = intents.as_array().unwrap();
    assert_eq!(intents.len(), 1, "one output intent");
    let intent = intents[0].as_dict().unwrap().clone();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFX");
    let id = intent
        .get(b"DestOutputProfile")
        .unwrap()
        .as_reference()
        .unwrap();
    let stream = doc.get_object(id).unwrap().as_stream().unwrap();
    assert_eq!(stream.dict.get(b"N").unwrap().as_i64().unwrap(), 4);
    let icc = stream.decompressed_content().unwrap();
    Some((intent, icc))
}

/// qpdf finds nothing, and Ghostscript renders every page without a word
/// of complaint (it exits 0 on many repaired errors, so its output is read).
fn tools_accept(pdf: &[u8], name: &str) {
    let dir = scratch(&format!("pdfx-{name}"));
    let path = dir.join("page.pdf");
    std::fs::write(&path, pdf).unwrap();
    let path = path.to_str().unwrap();
    let qpdf = tool("qpdf", &["--check", path]);
    assert!(
        qpdf.contains("No syntax or stream encoding errors"),
        "{name}: {qpdf}"
    );
    let out = std::process::Command::new("gs")
        .args([
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dPDFSTOPONERROR",
            "-sDEVICE=nullpage",
            path,
        ])
        .output()
        .expect("gs is needed by the tests");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.trim().is_empty(),
        "{name}: gs said {said}"
    );
}

#[test]
fn each_standard_declares_itself_and_nothing_else() {
    let layout = root().join("layouts/default.toml");
    for standard in STANDARDS {
        let pdf = pdf_in(standard, &layout, &bundled_sample());
        let doc = Document::load_mem(&pdf).unwrap();
        let name = standard.name();
        let (header, gts) = match standard {
            PdfStandard::PdfX4 => ("1.6", Some(name)),
            PdfStandard::PdfX1a2003 => ("1.4", Some(name)),
            PdfStandard::None => ("1.7", None),
        };
        assert!(
            pdf.starts_with(format!("%PDF-{header}\n").as_bytes()),
            "{name}"
        );
        let catalog_version = doc.catalog().unwrap().get(b"Version").ok();
        let info = info_dict(&doc);
        let version_key = info.get(b"GTS_PDFXVersion").ok();
        let conformance = info.get(b"GTS_PDFXConformance").ok();
        let xmp = xmp(&doc);
        match gts {
            Some(gts) => {
                assert_eq!(
                    catalog_version.unwrap().as_name().unwrap(),
                    header.as_bytes()
                );
                assert_eq!(version_key.unwrap().as_str().unwrap(), gts.as_bytes());
                assert!(
                    xmp.contains(&format!(
                        "<pdfxid:GTS_PDFXVersion>{gts}</pdfxid:GTS_PDFXVersion>"
                    )),
                    "{xmp}"
                );
                let (intent, icc) = output_profile(&doc).expect("PDF/X has an output intent");
                assert_eq!(
                    intent
                        .get(b"OutputConditionIdentifier")
                        .unwrap()
                        .as_str()
                        .unwrap(),
                    b"IFRA26"
                );
                assert_eq!(icc, prepress::IFRA26_PROFILE, "the IFRA26 profile, whole");
                assert_eq!(
                    (&icc[12..16], &icc[16..20], &icc[20..24]),
                    (&b"prtr"[..], &b"CMYK"[..], &b"Lab "[..])
                );
            }
            None => {
                assert!(catalog_version.is_none() && version_key.is_none(), "{name}");
                assert!(!xmp.contains("pdfxid"), "{xmp}");
                assert!(
                    output_profile(&doc).is_none(),
                    "no output intent without a standard"
                );
            }
        }
        assert_eq!(
            conformance.map(|c| c.as_str().unwrap().to_vec()),
            (standard == PdfStandard::PdfX1a2003).then(|| name.as_bytes().to_vec()),
            "GTS_PDFXConformance is PDF/X-1a's alone"
        );
        tools_accept(&pdf, &name.replace(['/', ':'], "-"));
        // Same input, same bytes, in every mode.
        assert!(
            pdf == pdf_in(standard, &layout, &bundled_sample()),
            "{name} is not deterministic"
        );
    }
}

/// Every stream of page marks: page contents and form XObjects.
fn content_streams(doc: &Document) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = doc
        .get_pages()
        .values()
        .map(|&p| doc.get_page_content(p).unwrap())
        .collect();
    for object in doc.objects.values() {
        if let Object::Stream(s) = object {
            if s.dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|t| t == b"Form")
            {
                out.push(
                    s.decompressed_content()
                        .unwrap_or_else(|_| s.content.clone()),
                );
            }
        }
    }
    out
}

/// Every object's dictionary (a stream's too), with its id.
fn dictionaries(doc: &Document) -> impl Iterator<Item = (ObjectId, &Dictionary)> {
    doc.objects.iter().filter_map(|(id, o)| match o {
        Object::Dictionary(d) => Some((*id, d)),
        Object::Stream(s) => Some((*id, &s.dict)),
        _ => None,
    })
}

/// Every name anywhere in the object, nested arrays and dictionaries too.
fn names(o: &Object, out: &mut Vec<Vec<u8>>) {
    match o {
        Object::Name(n) => out.push(n.clone()),
        Object::Array(a) => a.iter().for_each(|o| names(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, o)| names(o, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, o)| names(o, out)),
        _ => {}
    }
}

#[test]
fn pdfx_1a_holds_no_transparency_no_icc_colour_and_only_embedded_fonts() {
    for (layout, articles) in [
        (root().join("layouts/default.toml"), bundled_sample()),
        (print_layout(), print_sample()),
    ] {
        let pdf = pdf_in(PdfStandard::PdfX1a2003, &layout, &articles);
        let doc = Document::load_mem(&pdf).unwrap();
        let mut all_names = Vec::new();
        for (id, dict) in dictionaries(&doc) {
            names(&Object::Dictionary(dict.clone()), &mut all_names);
            if dict.has(b"BM") || dict.has(b"ca") || dict.has(b"CA") || dict.has(b"SMask") {
                let bm = dict.get(b"BM").map(|b| b.as_name().unwrap().to_vec());
                assert!(
                    bm.is_err() || bm.as_ref().unwrap() == b"Normal",
                    "{id:?}: blend mode {dict:?}"
                );
                for key in [&b"ca"[..], b"CA"] {
                    assert!(
                        dict.get(key).map_or(1.0, |a| a.as_float().unwrap()) >= 1.0,
                        "{id:?}: {dict:?}"
                    );
                }
                assert!(
                    dict.get(b"SMask")
                        .map_or(true, |m| m.as_name().is_ok_and(|n| n == b"None")),
                    "{id:?}"
                );
            }
            assert!(
                !dict
                    .get(b"S")
                    .and_then(Object::as_name)
                    .is_ok_and(|s| s == b"Transparency"),
                "{id:?}: transparency group"
            );
            if dict
                .get(b"Type")
                .and_then(Object::as_name)
                .is_ok_and(|t| t == b"FontDescriptor")
            {
                assert!(
                    dict.has(b"FontFile") || dict.has(b"FontFile2") || dict.has(b"FontFile3"),
                    "{id:?}: font not embedded"
                );
            }
        }
        for forbidden in ["ICCBased", "DeviceRGB", "CalRGB", "CalGray", "Lab"] {
            assert!(
                !all_names.iter().any(|n| n == forbidden.as_bytes()),
                "{forbidden} in a PDF/X-1a file"
            );
        }
        // PDF 1.4's implementation limit on reals (krilla also refuses more).
        for content in content_streams(&doc) {
            for op in Content::decode(&content).unwrap().operations {
                for o in op.operands.iter().chain(
                    op.operands
                        .iter()
                        .filter_map(|o| o.as_array().ok())
                        .flatten(),
                ) {
                    if let Ok(v) = o.as_float() {
                        assert!(
                            v.abs() <= 32767.0,
                            "{} operand {v} beyond PDF 1.4's ±32767",
                            op.operator
                        );
                    }
                }
            }
        }
    }
}

/// A 2-D affine matrix `[a b c d e f]` as PDF writes it.
type Matrix = [f32; 6];

fn multiply(m: Matrix, n: Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// One stroked path: its points on the page, its stroke colour space's
/// resource value and its tint operands.
struct Stroked {
    points: Vec<(f32, f32)>,
    space: Option<Object>,
    tint: Vec<f32>,
}

/// Every `S` of the page with where it is and what it is stroked in.
fn strokes(doc: &Document, page: ObjectId) -> Vec<Stroked> {
    let (inline, referenced) = doc.get_page_resources(page).unwrap();
    let resources = inline
        .cloned()
        .unwrap_or_else(|| doc.get_dictionary(referenced[0]).unwrap().clone());
    let space_of = |name: &[u8]| {
        let spaces = doc
            .dereference(resources.get(b"ColorSpace").ok()?)
            .ok()?
            .1
            .as_dict()
            .ok()?;
        Some(doc.dereference(spaces.get(name).ok()?).ok()?.1.clone())
    };
    let content = Content::decode(&doc.get_page_content(page).unwrap()).unwrap();
    let mut stack: Vec<(Matrix, Option<Object>, Vec<f32>)> =
        vec![([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], None, vec![])];
    let mut path = Vec::new();
    let mut out = Vec::new();
    let nums = |ops: &[Object]| {
        ops.iter()
            .map(|o| o.as_float().unwrap())
            .collect::<Vec<f32>>()
    };
    for op in content.operations {
        let top = stack.last_mut().unwrap();
        match op.operator.as_str() {
            "q" => {
                let copy = top.clone();
                stack.push(copy);
            }
            "Q" => {
                stack.pop();
            }
            "cm" => {
                let n = nums(&op.operands);
                top.0 = multiply([n[0], n[1], n[2], n[3], n[4], n[5]], top.0);
            }
            "CS" => {
                top.1 = Some(
                    space_of(op.operands[0].as_name().unwrap()).unwrap_or(op.operands[0].clone()),
                );
            }
            "K" => top.1 = Some(Object::Name(b"DeviceCMYK".to_vec())),
            "RG" => top.1 = Some(Object::Name(b"DeviceRGB".to_vec())),
            "G" => top.1 = Some(Object::Name(b"DeviceGray".to_vec())),
            "SC" | "SCN" => top.2 = nums(&op.operands),
            "m" | "l" => {
                let n = nums(&op.operands);
                let m = top.0;
                path.push((
                    m[0] * n[0] + m[2] * n[1] + m[4],
                    m[1] * n[0] + m[3] * n[1] + m[5],
                ));
            }
            "S" => out.push(Stroked {
                points: std::mem::take(&mut path),
                space: top.1.clone(),
                tint: top.2.clone(),
            }),
            "n" | "f" | "F" | "f*" | "B" | "b" | "B*" | "b*" | "s" | "re" => path.clear(),
            _ => {}
        }
    }
    out
}

fn rect(doc: &Document, page: ObjectId, key: &[u8]) -> [f32; 4] {
    let v: Vec<f32> = doc
        .get_dictionary(page)
        .unwrap()
        .get(key)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_float().unwrap())
        .collect();
    [v[0], v[1], v[2], v[3]]
}

/// The crop marks of every page are strokes wholly outside the bleed box,
/// eight per page (two at each corner), each in `[/Separation /All
/// /DeviceCMYK f]` at tint 1 whose alternate is 100 % of every ink; and the
/// file holds no RGB colour: no DeviceRGB or CalRGB, no 3-component ICC
/// space, no `rg`/`RG`.
fn assert_registration_marks_and_no_rgb(pdf: &[u8], what: &str, targets: bool) {
    let doc = Document::load_mem(pdf).unwrap();
    for (number, page) in doc.get_pages() {
        let bleed = rect(&doc, page, b"BleedBox");
        let outside =
            |(x, y): (f32, f32)| x < bleed[0] || x > bleed[2] || y < bleed[1] || y > bleed[3];
        let marks: Vec<Stroked> = strokes(&doc, page)
            .into_iter()
            .filter(|s| !s.points.is_empty() && s.points.iter().all(|&p| outside(p)))
            .collect();
        // Move-to and line-to points: two per crop mark, and per target two
        // for the cross and the circle's start.
        let points: usize = marks.iter().map(|m| m.points.len()).sum();
        let want = 16 + if targets { 4 * 5 } else { 0 };
        assert_eq!(
            points, want,
            "{what} page {number}: mark points outside the bleed"
        );
        for mark in &marks {
            let space = mark.space.as_ref().unwrap_or_else(|| {
                panic!("{what} page {number}: mark stroked in the default grey")
            });
            let space = space.as_array().unwrap_or_else(|_| {
                panic!("{what} page {number}: marks in {space:?}, not a Separation")
            });
            assert_eq!(space[0].as_name().unwrap(), b"Separation", "{what}");
            assert_eq!(
                space[1].as_name().unwrap(),
                b"All",
                "{what}: the registration colourant"
            );
            assert_eq!(
                space[2].as_name().unwrap(),
                b"DeviceCMYK",
                "{what}: alternate"
            );
            let function = doc.dereference(&space[3]).unwrap().1.as_dict().unwrap();
            let c1: Vec<f32> = function
                .get(b"C1")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_float().unwrap())
                .collect();
            assert_eq!(c1, [1.0; 4], "{what}: full tint is 100 % of every ink");
            assert_eq!(mark.tint, [1.0], "{what}: full tint");
        }
    }
    let mut all = Vec::new();
    for (_, dict) in dictionaries(&doc) {
        names(&Object::Dictionary(dict.clone()), &mut all);
        let icc_rgb = dict
            .get(b"N")
            .and_then(Object::as_i64)
            .is_ok_and(|n| n == 3);
        assert!(!icc_rgb, "{what}: a 3-component (RGB) ICC profile");
    }
    for rgb in ["DeviceRGB", "CalRGB"] {
        assert!(!all.iter().any(|n| n == rgb.as_bytes()), "{what}: {rgb}");
    }
    for content in content_streams(&doc) {
        for op in Content::decode(&content).unwrap().operations {
            assert!(
                !matches!(op.operator.as_str(), "rg" | "RG"),
                "{what}: RGB colour operator"
            );
        }
    }
}

#[test]
fn crop_marks_are_registration_and_no_rgb_is_anywhere() {
    for standard in STANDARDS {
        let pdf = pdf_in(
            standard,
            &root().join("layouts/default.toml"),
            &bundled_sample(),
        );
        assert_registration_marks_and_no_rgb(
            &pdf,
            &format!("bundled sample, {}", standard.name()),
            false,
        );
    }
    let pdf = pdf_in(PdfStandard::PdfX4, &print_layout(), &print_sample());
    assert_registration_marks_and_no_rgb(&pdf, "print sample", false);
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md"]
fn crop_marks_are_registration_on_the_real_sample() {
    for standard in STANDARDS {
        let pdf = pdf_in(
            standard,
            &root().join("layouts/yuncheng.toml"),
            &real_sample(),
        );
        assert_registration_marks_and_no_rgb(
            &pdf,
            &format!("real sample, {}", standard.name()),
            false,
        );
        tools_accept(
            &pdf,
            &format!("real-{}", standard.name().replace(['/', ':'], "-")),
        );
    }
}

#[test]
fn another_output_profile_is_embedded_with_its_condition() {
    let dir = scratch("pdfx-profile");
    // The IFRA26 profile under another creator, so the bytes tell them apart.
    let mut custom = prepress::IFRA26_PROFILE.to_vec();
    custom[4..8].copy_from_slice(b"test");
    std::fs::write(dir.join("plant.icc"), &custom).unwrap();
    let layout = dir.join("plant.toml");
    let text = std::fs::read_to_string(root().join("layouts/default.toml")).unwrap();
    std::fs::write(&layout, text).unwrap();
    for standard in [PdfStandard::PdfX4, PdfStandard::PdfX1a2003] {
        let output = format!(
            "standard = \"{}\"\nprofile = \"plant.icc\"\ncondition = \"Plant 7 newsprint\"",
            standard.name()
        );
        let pdf = pdf_with_output(&layout, &output, &bundled_sample());
        let doc = Document::load_mem(&pdf).unwrap();
        let (intent, icc) = output_profile(&doc).unwrap();
        assert_eq!(icc, custom, "{}", standard.name());
        for key in [&b"OutputConditionIdentifier"[..], b"Info"] {
            assert_eq!(
                intent.get(key).unwrap().as_str().unwrap(),
                b"Plant 7 newsprint"
            );
        }
    }
}

fn info() -> DocumentInfo {
    DocumentInfo {
        language: Default::default(),
        article_languages: Vec::new(),
        title: "t".into(),
        fingerprint: "0123456789abcdef".into(),
        date: Some("2026-12-01".into()),
    }
}

/// A one-page krilla PDF with a square filled in `paint` at `opacity`.
fn krilla_pdf(paint: krilla::paint::Paint, opacity: f32) -> Vec<u8> {
    use krilla::geom::{PathBuilder, Rect};
    let mut doc = krilla::Document::new();
    let mut page = doc.start_page_with(krilla::page::PageSettings::from_wh(100.0, 100.0).unwrap());
    let mut surface = page.surface();
    surface.set_fill(Some(krilla::paint::Fill {
        paint,
        opacity: krilla::num::NormalizedF32::new(opacity).unwrap(),
        rule: Default::default(),
    }));
    let mut pb = PathBuilder::new();
    pb.push_rect(Rect::from_xywh(10.0, 10.0, 50.0, 50.0).unwrap());
    surface.draw_path(&pb.finish().unwrap());
    surface.finish();
    page.finish();
    doc.finish().unwrap()
}

fn refusal(pdf: &[u8], standard: PdfStandard) -> Option<String> {
    match prepress::finish(pdf, &info(), standard, &Default::default()) {
        Ok(_) => None,
        Err(prepress::FinishError::Forbidden(found)) => Some(found),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_finishing_refuses_what_the_standard_forbids() {
    use krilla::color::{cmyk, rgb};
    let cyan: krilla::paint::Paint = cmyk::Color::new(255, 0, 0, 0).into();
    // CMYK at full opacity: every standard may claim it.
    let plain = krilla_pdf(cyan.clone(), 1.0);
    for standard in STANDARDS {
        assert_eq!(refusal(&plain, standard), None, "{}", standard.name());
    }
    // Transparency: PDF/X-4 allows it, PDF/X-1a does not.
    let half = krilla_pdf(cyan, 0.5);
    assert_eq!(refusal(&half, PdfStandard::PdfX4), None);
    assert_eq!(refusal(&half, PdfStandard::None), None);
    let found = refusal(&half, PdfStandard::PdfX1a2003).expect("X-1a refuses transparency");
    assert!(
        found.contains("opacity of 0.5") && found.contains("(object "),
        "{found}"
    );
    // Device RGB: neither PDF/X allows it (krilla writes `rg` in the
    // content, which the check reads).
    let red = krilla_pdf(rgb::Color::new(255, 0, 0).into(), 1.0);
    for standard in [PdfStandard::PdfX4, PdfStandard::PdfX1a2003] {
        let found =
            refusal(&red, standard).unwrap_or_else(|| panic!("{} accepts RGB", standard.name()));
        assert!(found.contains("DeviceRGB"), "{found}");
    }
    assert_eq!(refusal(&red, PdfStandard::None), None);
}

#[test]
fn a_font_that_is_not_embedded_breaks_every_pdfx_claim() {
    use lopdf::dictionary;
    let mut doc = Document::with_version("1.4");
    let font = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    let content = doc.add_object(lopdf::Stream::new(
        Dictionary::new(),
        b"BT /F1 12 Tf (a) Tj ET".to_vec(),
    ));
    let pages = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut pdf = Vec::new();
    doc.save_to(&mut pdf).unwrap();
    for standard in [PdfStandard::PdfX4, PdfStandard::PdfX1a2003] {
        let found =
            refusal(&pdf, standard).unwrap_or_else(|| panic!("{} accepts it", standard.name()));
        assert!(found.contains("not embedded (Helvetica)"), "{found}");
    }
    assert_eq!(refusal(&pdf, PdfStandard::None), None);
}

/// Page 1 rendered by Ghostscript in CMYK at 72 dpi (one pixel a point):
/// width and the pixels, four bytes each.
fn cmyk_render(pdf: &[u8], name: &str) -> (usize, Vec<u8>) {
    let dir = scratch(&format!("pdfx-render-{name}"));
    let (input, output) = (dir.join("page.pdf"), dir.join("page.pam"));
    std::fs::write(&input, pdf).unwrap();
    tool(
        "gs",
        &[
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-sDEVICE=pamcmyk32",
            "-r72",
            "-dFirstPage=1",
            "-dLastPage=1",
            &format!("-sOutputFile={}", output.display()),
            input.to_str().unwrap(),
        ],
    );
    let pam = std::fs::read(&output).unwrap();
    let end = pam.windows(7).position(|w| w == b"ENDHDR\n").unwrap() + 7;
    let header = String::from_utf8_lossy(&pam[..end]).into_owned();
    let width = header
        .lines()
        .find_map(|l| l.strip_prefix("WIDTH "))
        .unwrap()
        .parse()
        .unwrap();
    (width, pam[end..].to_vec())
}

/// The most ink of each plate within a pixel of (x, y).
fn ink_near((width, px): &(usize, Vec<u8>), x: f32, y: f32) -> [u8; 4] {
    let mut most = [0u8; 4];
    for dy in -1..=1 {
        for dx in -1..=1 {
            let (x, y) = (
                (x.round() as i64 + dx) as usize,
                (y.round() as i64 + dy) as usize,
            );
            let at = (y * width + x) * 4;
            for k in 0..4 {
                most[k] = most[k].max(px[at + k]);
            }
        }
    }
    most
}

#[test]
fn registration_targets_and_the_color_bar_follow_their_switches() {
    let path = root().join("layouts/default.toml");
    let layout = layout_at(&path);
    let mm = 72.0 / 25.4;
    let (w, h, bleed) = (layout.page.width, layout.page.height, layout.page.bleed);
    let off = bleed + export::MARK_SPACE;
    // The bar's patch centres, 1 mm below the bleed, from 10 mm right of the
    // trim's left edge; the targets' centres, 3.5 mm beyond the bleed.
    let patch_y = off + h + bleed + mm + 2.5 * mm;
    let patch = |i: usize| (off + 10.0 * mm + (i as f32 + 0.5) * 5.0 * mm, patch_y);
    let d = bleed + mm + 2.5 * mm;
    let targets = [
        (off + w / 2.0, off - d),
        (off + w / 2.0, off + h + d),
        (off - d, off + h / 2.0),
        (off + w + d, off + h / 2.0),
    ];
    let expected: [[u8; 4]; 8] = [
        [255, 0, 0, 0],
        [0, 255, 0, 0],
        [0, 0, 255, 0],
        [0, 0, 0, 255],
        [128, 0, 0, 0],
        [0, 128, 0, 0],
        [0, 0, 128, 0],
        [0, 0, 0, 128],
    ];
    let on = pdf_with_output(
        &path,
        "registration_targets = true\ncolor_bar = true",
        &bundled_sample(),
    );
    assert_registration_marks_and_no_rgb(&on, "with targets and bar", true);
    tools_accept(&on, "marks");
    let render = cmyk_render(&on, "marks-on");
    for (i, want) in expected.iter().enumerate() {
        let (x, y) = patch(i);
        let got = ink_near(&render, x, y);
        assert!(
            got.iter().zip(want).all(|(g, w)| g.abs_diff(*w) <= 2),
            "patch {i}: {got:?}, want {want:?}"
        );
    }
    for (x, y) in targets {
        assert_eq!(
            ink_near(&render, x, y),
            [255; 4],
            "target at ({x}, {y}) on every plate"
        );
    }
    let off_render = cmyk_render(
        &pdf_in(PdfStandard::PdfX4, &path, &bundled_sample()),
        "marks-off",
    );
    for (x, y) in targets.into_iter().chain((0..8).map(patch)) {
        assert_eq!(
            ink_near(&off_render, x, y),
            [0; 4],
            "a mark at ({x}, {y}) without its switch"
        );
    }
}
