//! Tagged PDF and article threads (issue 17 item 6), read back from the
//! real file with lopdf: the structure tree holds each article as one `Art`
//! element whose children's text (through their marked content) is the
//! article's kicker, headline, subheadline, paragraphs and credit in order,
//! a paragraph broken across columns or pages being one element; the
//! catalog has one thread per article set in more than one column, its
//! beads in reading order and across the jump to a later page.

#[macro_use]
mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use broadsheet::display::{Item, Page, Role};
use broadsheet::source::ParagraphKind;
use common::*;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// A PDF text string: UTF-16BE with a byte-order mark, or PDFDocEncoding.
fn text_string(obj: &Object) -> String {
    lopdf::decode_text_string(obj).expect("a text string")
}

/// A Type0 font's ToUnicode map (two-byte codes, `bfchar` entries as
/// krilla writes them; lopdf 0.36 cannot parse its CMap).
fn to_unicode(doc: &Document, font: &Dictionary) -> HashMap<u16, String> {
    let stream = doc
        .get_object(font.get(b"ToUnicode").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap();
    let cmap = String::from_utf8(stream.decompressed_content().unwrap()).unwrap();
    let hex = |h: &str| -> Vec<u16> {
        let h = h.trim_matches(|c| c == '<' || c == '>');
        (0..h.len())
            .step_by(4)
            .map(|i| u16::from_str_radix(&h[i..i + 4], 16).unwrap())
            .collect()
    };
    let mut map = HashMap::new();
    let mut in_chars = false;
    for line in cmap.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            in_chars = true;
        } else if line == "endbfchar" {
            in_chars = false;
        } else if line.contains("bfrange") {
            panic!("ToUnicode ranges are not read by this test: {line}");
        } else if in_chars {
            let mut parts = line.split_whitespace();
            let (Some(code), Some(text)) = (parts.next(), parts.next()) else {
                continue;
            };
            let text = String::from_utf16(&hex(text)).unwrap();
            map.insert(hex(code)[0], text);
        }
    }
    map
}

/// The text of each marked-content id of a page, ActualText taking the
/// place of the glyphs it spans.
fn marked_text(doc: &Document, page: ObjectId) -> HashMap<i64, String> {
    let fonts: BTreeMap<Vec<u8>, HashMap<u16, String>> = doc
        .get_page_fonts(page)
        .unwrap()
        .into_iter()
        .map(|(name, font)| (name, to_unicode(doc, font)))
        .collect();
    let content = Content::decode(&doc.get_page_content(page).unwrap()).unwrap();
    // Per open marked-content sequence: its id, and whether it replaces
    // its glyphs with ActualText.
    let mut stack: Vec<(Option<i64>, bool)> = Vec::new();
    let mut texts: HashMap<i64, String> = HashMap::new();
    let mut font: Option<&HashMap<u16, String>> = None;
    let current = |stack: &[(Option<i64>, bool)]| stack.iter().rev().find_map(|f| f.0);
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" => {
                let props = match op.operands.get(1) {
                    Some(Object::Dictionary(d)) => d.clone(),
                    _ => Dictionary::new(),
                };
                let mcid = props.get(b"MCID").ok().and_then(|o| o.as_i64().ok());
                let actual = props.get(b"ActualText").ok().map(text_string);
                stack.push((mcid, actual.is_some()));
                if let (Some(actual), Some(id)) = (actual, current(&stack)) {
                    texts.entry(id).or_default().push_str(&actual);
                }
            }
            "BMC" => stack.push((None, false)),
            "EMC" => {
                stack.pop();
            }
            "Tf" => {
                let name = op.operands[0].as_name().unwrap();
                font = fonts.get(name);
            }
            "Tj" | "TJ" => {
                if stack.iter().any(|f| f.1) {
                    continue;
                }
                let Some(id) = current(&stack) else { continue };
                let strings: Vec<&[u8]> = match &op.operands[0] {
                    Object::String(s, _) => vec![s],
                    Object::Array(items) => items
                        .iter()
                        .filter_map(|o| match o {
                            Object::String(s, _) => Some(s.as_slice()),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let map = font.expect("a font is set before text");
                for s in strings {
                    for code in s.chunks(2) {
                        let code = u16::from_be_bytes([code[0], code[1]]);
                        texts.entry(id).or_default().push_str(&map[&code]);
                    }
                }
            }
            _ => {}
        }
    }
    texts
}

/// One structure element: its type and its marked-content pieces as
/// (page object, MCID).
struct Element {
    kind: Vec<u8>,
    pieces: Vec<(ObjectId, i64)>,
}

fn dict<'a>(doc: &'a Document, obj: &'a Object) -> &'a Dictionary {
    doc.dereference(obj).unwrap().1.as_dict().unwrap()
}

/// The marked-content pieces under `elem` (its kids that are MCIDs or
/// marked-content references), in order.
fn pieces(doc: &Document, elem: &Dictionary) -> Vec<(ObjectId, i64)> {
    let page = elem.get(b"Pg").ok().and_then(|p| p.as_reference().ok());
    let kids = match elem.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    };
    let mut out = Vec::new();
    for kid in kids {
        match doc.dereference(&kid).unwrap().1 {
            Object::Integer(mcid) => {
                out.push((page.expect("an element with MCIDs has /Pg"), *mcid))
            }
            Object::Dictionary(d) if d.get(b"MCID").is_ok() => {
                let pg = d
                    .get(b"Pg")
                    .ok()
                    .and_then(|p| p.as_reference().ok())
                    .or(page)
                    .expect("a marked-content reference has a page");
                out.push((pg, d.get(b"MCID").unwrap().as_i64().unwrap()));
            }
            Object::Dictionary(d) => out.extend(pieces(doc, d)),
            _ => {}
        }
    }
    out
}

/// The `Art` elements of the structure tree in order, each with its child
/// elements.
fn articles(doc: &Document) -> Vec<Vec<Element>> {
    let catalog = doc.catalog().unwrap();
    let root = dict(doc, catalog.get(b"StructTreeRoot").unwrap());
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(elem) = stack.pop() {
        let kids = match elem.get(b"K") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(other) => vec![other.clone()],
            Err(_) => Vec::new(),
        };
        let kids: Vec<Dictionary> = kids
            .iter()
            .filter_map(|k| doc.dereference(k).ok()?.1.as_dict().ok().cloned())
            .filter(|d| d.get(b"S").is_ok())
            .collect();
        if elem.get(b"S").and_then(Object::as_name).ok() == Some(b"Art".as_slice()) {
            out.push(
                kids.iter()
                    .map(|k| Element {
                        kind: k.get(b"S").unwrap().as_name().unwrap().to_vec(),
                        pieces: pieces(doc, k),
                    })
                    .collect(),
            );
        } else {
            // Depth first, in order.
            stack.extend(kids.into_iter().rev());
        }
    }
    out
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The article numbers set on the pages, in order.
fn set_articles(pages: &[Page]) -> BTreeSet<usize> {
    pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(r) => r.article,
            _ => None,
        })
        .collect()
}

/// Each article of the tree reads as the source article: its elements'
/// texts are the rubric, kicker, headline, subheadline, pictures (an empty
/// `Figure` and its `Caption`), paragraphs and credit in order. Returns the number of paragraphs in more than one piece (broken
/// across columns or pages) and of articles on more than one page.
fn assert_tree_reads_articles(name: &str, built: &Built) -> (usize, usize) {
    let doc = Document::load_mem(&built.pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let marked = catalog.get(b"MarkInfo").map(|m| dict(&doc, m)).unwrap();
    assert_eq!(
        marked.get(b"Marked").unwrap(),
        &Object::Boolean(true),
        "{name}: MarkInfo"
    );
    let texts: HashMap<ObjectId, HashMap<i64, String>> = doc
        .get_pages()
        .values()
        .map(|&p| (p, marked_text(&doc, p)))
        .collect();
    let trees = articles(&doc);
    let numbers: Vec<usize> = set_articles(&built.composition.pages).into_iter().collect();
    assert_eq!(
        trees.len(),
        numbers.len(),
        "{name}: one Art element per article set"
    );
    let mut split = 0;
    let mut across_pages = 0;
    for (elements, number) in trees.iter().zip(&numbers) {
        let a = &built.edition.articles[number - 1];
        let mut want: Vec<(&[u8], String)> = Vec::new();
        // The 栏目 tag reads first, before the headline block.
        if let Some(r) = &a.front.rubric {
            want.push((b"P", squeeze(r)));
        }
        if let Some(k) = &a.kicker {
            want.push((b"P", squeeze(k)));
        }
        want.push((b"H1", squeeze(&a.headline.concat())));
        if let Some(s) = &a.subheadline {
            want.push((b"H2", squeeze(s)));
        }
        if let Some(b) = &a.byline {
            want.push((b"P", squeeze(b)));
        }
        // A picture reads after the headline block: the image, then its
        // caption and credit.
        for picture in &a.pictures {
            want.push((b"Figure", String::new()));
            let credit = picture.credit.as_deref().unwrap_or_default();
            want.push((b"Caption", squeeze(&format!("{}{credit}", picture.caption))));
        }
        for (p, kind) in a.paragraphs.iter().zip(&a.paragraph_kinds) {
            let tag: &[u8] = match kind {
                ParagraphKind::Subhead => b"H3",
                ParagraphKind::PullQuote => b"BlockQuote",
                ParagraphKind::Body | ParagraphKind::Lead => b"P",
            };
            want.push((tag, squeeze(p)));
        }
        if let Some(c) = &a.credit {
            want.push((b"P", squeeze(c)));
        }
        let got: Vec<(&[u8], String)> = elements
            .iter()
            .map(|e| {
                let text: String = e
                    .pieces
                    .iter()
                    .map(|(pg, id)| texts[pg].get(id).cloned().unwrap_or_default())
                    .collect();
                (e.kind.as_slice(), squeeze(&text))
            })
            .collect();
        let show = |v: &[(&[u8], String)]| {
            v.iter()
                .map(|(k, t)| format!("{}: {t}", String::from_utf8_lossy(k)))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            show(&got),
            show(&want),
            "{name}: article {number} as its structure elements read"
        );
        for e in elements {
            split += usize::from(e.pieces.len() > 1 && e.kind == b"P");
        }
        let pages: BTreeSet<ObjectId> = elements
            .iter()
            .flat_map(|e| &e.pieces)
            .map(|p| p.0)
            .collect();
        across_pages += usize::from(pages.len() > 1);
    }
    (split, across_pages)
}

/// Articles whose body is set in more than one column, with the pages
/// (0-based) they are set on.
fn multi_column_articles(pages: &[Page]) -> BTreeMap<usize, BTreeSet<usize>> {
    let mut columns: BTreeMap<usize, BTreeSet<(usize, Option<usize>, usize)>> = BTreeMap::new();
    for (pi, page) in pages.iter().enumerate() {
        for item in &page.items {
            let Item::Glyphs(r) = item else { continue };
            if let (Some(a), Some(c), Role::Body) = (r.article, r.column, r.role) {
                columns.entry(a).or_default().insert((pi, r.module, c));
            }
        }
    }
    columns
        .into_iter()
        .filter(|(_, cols)| cols.len() > 1)
        .map(|(a, cols)| (a, cols.iter().map(|c| c.0).collect()))
        .collect()
}

/// One thread per article set in more than one column, its beads a closed
/// chain in reading order: pages never go back, columns on a page go left
/// to right after the headline block, and each bead is on its page's `/B`.
/// Returns the number of threads that reach a later page.
fn assert_threads(name: &str, built: &Built) -> usize {
    let doc = Document::load_mem(&built.pdf).unwrap();
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let page_index: HashMap<ObjectId, usize> =
        pages.iter().enumerate().map(|(i, &p)| (p, i)).collect();
    let want = multi_column_articles(&built.composition.pages);
    let catalog = doc.catalog().unwrap();
    let threads = catalog.get(b"Threads").unwrap().as_array().unwrap();
    assert_eq!(
        threads.len(),
        want.len(),
        "{name}: one thread per multi-column article"
    );
    let mut jumps = 0;
    for (t, (article, on_pages)) in threads.iter().zip(&want) {
        let thread_id = t.as_reference().unwrap();
        let thread = doc.get_dictionary(thread_id).unwrap();
        let first = thread.get(b"F").unwrap().as_reference().unwrap();
        let title = text_string(dict(&doc, thread.get(b"I").unwrap()).get(b"Title").unwrap());
        let headline = squeeze(&built.edition.articles[article - 1].headline.concat());
        assert_eq!(squeeze(&title), headline, "{name}: thread title");
        let mut bead = first;
        let mut seen: Vec<(usize, f32)> = Vec::new();
        loop {
            let b = doc.get_dictionary(bead).unwrap();
            let page = b.get(b"P").unwrap().as_reference().unwrap();
            let r: Vec<f32> = b
                .get(b"R")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_float().unwrap())
                .collect();
            assert!(r[0] < r[2] && r[1] < r[3], "{name}: bead rectangle {r:?}");
            let on_b = doc
                .get_dictionary(page)
                .unwrap()
                .get(b"B")
                .unwrap()
                .as_array()
                .unwrap();
            assert!(
                on_b.contains(&Object::Reference(bead)),
                "{name}: bead not on its page's /B"
            );
            if bead == first {
                assert_eq!(b.get(b"T").unwrap().as_reference().unwrap(), thread_id);
            }
            seen.push((page_index[&page], r[0]));
            let next = b.get(b"N").unwrap().as_reference().unwrap();
            let back = doc.get_dictionary(next).unwrap().get(b"V").unwrap();
            assert_eq!(
                back.as_reference().unwrap(),
                bead,
                "{name}: /V is /N reversed"
            );
            bead = next;
            if bead == first {
                break;
            }
            assert!(seen.len() < 1000, "{name}: the bead chain does not close");
        }
        for w in seen.windows(2) {
            assert!(
                w[0].0 <= w[1].0,
                "{name}: article {article} thread goes back a page"
            );
        }
        // After each page's first bead (the headline block, or the first
        // column of a continued part), columns go left to right.
        for (k, w) in seen.windows(2).enumerate() {
            let first_on_page = k == 0 || seen[k - 1].0 != w[0].0;
            if w[0].0 == w[1].0 && !first_on_page {
                assert!(w[0].1 < w[1].1, "{name}: article {article} beads {seen:?}");
            }
        }
        let bead_pages: BTreeSet<usize> = seen.iter().map(|s| s.0).collect();
        assert_eq!(
            &bead_pages, on_pages,
            "{name}: article {article} beads' pages"
        );
        jumps += usize::from(bead_pages.len() > 1);
    }
    jumps
}

fn check(name: &str, built: &Built) {
    let (split, across_pages) = assert_tree_reads_articles(name, built);
    assert!(split > 0, "{name}: no paragraph broken across columns");
    assert!(
        across_pages > 0,
        "{name}: no article continued on a later page"
    );
    assert!(
        assert_threads(name, built) > 0,
        "{name}: no thread across a jump"
    );
}

/// poppler sees a tagged file and finds nothing wrong in its MarkInfo
/// (krilla's `/Suspects false` made every poppler tool print a syntax error).
#[test]
fn poppler_reads_a_tagged_file_without_complaint() {
    let b = build("default.toml", &bundled_sample());
    let dir = scratch("tagged-pdfinfo");
    let path = dir.join("t.pdf");
    std::fs::write(&path, &b.pdf).unwrap();
    let out = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo is needed by the tests (scripts/test installs it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "{stderr}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{stdout}"
    );
}

#[test]
fn bundled_sample_is_tagged_and_threaded() {
    check("bundled", &build("default.toml", &bundled_sample()));
}

#[test]
fn print_sample_is_tagged_and_threaded() {
    check("print", &build_at(&print_layout(), &print_sample()));
}

/// A vertical edition (issue 20): the structure reads each article whole
/// in reading order, across tiers and the jump to page 2. (Its thread's
/// beads go down the tiers, not left to right: `check`'s order test is
/// for horizontal pages.)
#[test]
fn vertical_edition_is_tagged_in_reading_order() {
    let layout = root().join("layouts/vertical-hant.toml");
    let articles = root().join("tests/data/hant/vertical-edition.md");
    let (split, across_pages) =
        assert_tree_reads_articles("vertical", &build_at(&layout, &articles));
    assert!(split > 0, "no paragraph broken across tiers");
    assert!(across_pages > 0, "no article continued on page 2");
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md"]
fn real_sample_is_tagged_and_threaded() {
    check("real", &build("yuncheng.toml", &real_sample()));
}

/// Exactly the articles' copy is in the structure: every character of
/// the runs of kickers, headlines, subheadlines, body, datelines and
/// credits, and nothing of the masthead, running headers, continuation
/// headlines or jump lines (artifacts).
#[test]
fn only_the_copy_is_in_the_structure() {
    let b = build("default.toml", &bundled_sample());
    let doc = Document::load_mem(&b.pdf).unwrap();
    let mut structured: Vec<char> = doc
        .get_pages()
        .values()
        .flat_map(|&p| marked_text(&doc, p).into_values())
        .flat_map(|t| squeeze(&t).chars().collect::<Vec<_>>())
        .collect();
    let mut copy: Vec<char> = Vec::new();
    let mut furniture = 0;
    for page in &b.composition.pages {
        for item in &page.items {
            let Item::Glyphs(r) = item else { continue };
            match r.role {
                Role::Rubric
                | Role::Kicker
                | Role::Headline
                | Role::Subheadline
                | Role::Body
                | Role::Dateline
                | Role::Lead
                | Role::Subhead
                | Role::PullQuote
                | Role::Byline
                | Role::Credit
                | Role::Caption
                | Role::PictureCredit => copy.extend(squeeze(&r.text).chars()),
                _ => furniture += 1,
            }
        }
    }
    assert!(furniture > 3, "the sample has furniture and jump lines");
    structured.sort_unstable();
    copy.sort_unstable();
    assert!(
        structured == copy,
        "the structure holds other text than the copy"
    );
}
