//! Print finishing of krilla's PDF: overprinting black and the PDF/X
//! declarations.
//!
//! krilla writes neither overprint graphics states nor PDF/X output intents
//! (DESIGN §5), so the finished file is opened with lopdf and completed:
//! the graphics state the export put round every mark in 100 % K (and only
//! those: see [`OVERPRINT_MARK`]) becomes overprint on, so black text and
//! rules print over whatever lies beneath while tints, colours and white
//! knock out. Then, for a PDF/X standard (`[output] standard`), once
//! `conformance` has found nothing in the file that the standard forbids:
//! the PDF version in the header and the catalog, an OutputIntent
//! `GTS_PDFX` naming a registered characterisation and embedding its ICC
//! profile (`print/IFRA26S.icc` unless the layout names another), the Info
//! dictionary `GTS_PDFXVersion` (and `GTS_PDFXConformance` for
//! PDF/X-1a:2003), `Trapped` and dates, and the XMP packet
//! `pdfxid:GTS_PDFXVersion`. All values come from the input, never the
//! clock, so the bytes are reproducible.

use lopdf::{dictionary, Document, Object, Stream, StringFormat};

use super::conformance;
use super::threads::{Bead, Thread};
use crate::display::{DocumentInfo, PdfStandard};

/// The export's marker for marks that overprint. krilla 0.8 has no
/// overprint, but it scopes a blend mode to the drawing between a push and
/// its pop and writes it as an ExtGState of its own (`q … /gN gs … Q`), so
/// the export wraps each drawing in 100 % K in this blend mode, which
/// nothing else uses, and [`finish`] turns every ExtGState holding nothing
/// but it into overprint on. Nothing in the content streams is rewritten.
/// Multiply because it is what overprinting 100 % K looks like: were the
/// finishing ever skipped, the page would still look the same.
pub const OVERPRINT_MARK: krilla::blend::BlendMode = krilla::blend::BlendMode::Multiply;

/// [`OVERPRINT_MARK`] as krilla writes it (`/BM /Multiply`).
const OVERPRINT_MARK_NAME: &[u8] = b"Multiply";

/// Whether `dict` is the ExtGState krilla writes for [`OVERPRINT_MARK`]
/// alone: `/Type /ExtGState /BM /Multiply`, nothing else.
fn is_overprint_mark(dict: &lopdf::Dictionary) -> bool {
    let blend = dict.get(b"BM").and_then(Object::as_name);
    let typed = dict
        .get(b"Type")
        .and_then(Object::as_name)
        .map_or(true, |t| t == b"ExtGState");
    let others = dict
        .iter()
        .filter(|(key, _)| !matches!(key.as_slice(), b"BM" | b"Type"))
        .count();
    blend.is_ok_and(|b| b == OVERPRINT_MARK_NAME) && typed && others == 0
}

/// Overprint on for strokes (`OP`) and fills (`op`), in the nonzero mode
/// (`OPM 1`): a 0 % C, M or Y of the black leaves that plate as it was
/// instead of clearing it.
fn overprint_state() -> lopdf::Dictionary {
    dictionary! {
        "Type" => "ExtGState",
        "OP" => true,
        "op" => true,
        "OPM" => 1,
    }
}

/// The ICC output profile of coldset newsprint, built from the IFRA26
/// characterisation data by `scripts/build-output-profile` (provenance and
/// licence in `print/README.md`). Compiled in, so an installed binary needs
/// no file beside it.
pub const IFRA26_PROFILE: &[u8] = crate::media::NEWSPRINT_PROFILE;

/// The print condition the PDF/X OutputIntent declares: its registered name
/// and the ICC profile embedded as `DestOutputProfile` (PDF/X-4 requires the
/// profile itself; only PDF/X-4p may merely reference it).
#[derive(Debug, Clone)]
pub struct OutputCondition {
    /// Registered name (`OutputConditionIdentifier`, e.g. `IFRA26`) that
    /// preflight looks up in the ICC registry at color.org.
    pub identifier: String,
    /// Human-readable description, written as both `OutputCondition` and
    /// `Info` of the output intent.
    pub info: String,
    /// A CMYK output profile (device class `prtr`).
    pub profile: std::borrow::Cow<'static, [u8]>,
}

impl Default for OutputCondition {
    fn default() -> Self {
        // Coldset offset on newsprint, ISO 12647-3: the condition of a daily.
        Self {
            identifier: "IFRA26".into(),
            info: "ISO 12647-3:2004, coldset offset lithography on 45 g/m² newsprint (IFRA26S 2004 Newsprint)".into(),
            profile: std::borrow::Cow::Borrowed(IFRA26_PROFILE),
        }
    }
}

/// The profile deflated at the fastest level: 113 KB instead of 108 KB at
/// the best, in 1–3 ms instead of 15–25 ms of every build.
fn deflate_profile(profile: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(profile).expect("writing to memory");
    z.finish().expect("writing to memory")
}

/// The output profile's deflated bytes, made on a thread of their own
/// from the moment the PDF is started: they depend on the layout only, and
/// made at [`finish`] time they were 1–3 ms after the last page was drawn,
/// where nothing else runs beside them.
pub struct DeflatedProfile(Option<std::thread::JoinHandle<Vec<u8>>>);

impl DeflatedProfile {
    /// Start deflating `condition`'s profile if `standard` embeds one.
    pub fn start(standard: PdfStandard, condition: &OutputCondition) -> Self {
        if standard == PdfStandard::None {
            return Self(None);
        }
        let profile = condition.profile.clone();
        Self(Some(std::thread::spawn(move || deflate_profile(&profile))))
    }

    /// The deflated bytes: waited for if started, made now if not.
    fn take(self, profile: &[u8]) -> Vec<u8> {
        self.0
            .and_then(|deflating| deflating.join().ok())
            .unwrap_or_else(|| deflate_profile(profile))
    }
}

/// The profile as a PDF ICC stream: 4 components (CMYK), deflated.
fn profile_stream(deflated: Vec<u8>) -> Stream {
    Stream::new(
        dictionary! { "N" => 4, "Filter" => "FlateDecode" },
        deflated,
    )
    .with_compression(false)
}

fn text(s: &str) -> Object {
    // PDF text strings outside ASCII are written as UTF-16BE with a BOM.
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// The edition date as (year, month, day): the layout checked `iso_date`
/// is a calendar date; anything else (a `DocumentInfo` built by hand) is
/// the PDF epoch, never a value pasted into the file.
fn edition_date(info: &DocumentInfo) -> (u16, u8, u8) {
    let parsed = info.date.as_deref().and_then(|d| {
        let mut parts = d.split('-');
        let y: u16 = parts.next()?.parse().ok()?;
        let m: u8 = parts.next()?.parse().ok()?;
        let d: u8 = parts.next()?.parse().ok()?;
        let valid = (1000..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
        (parts.next().is_none() && valid).then_some((y, m, d))
    });
    parsed.unwrap_or((2000, 1, 1))
}

/// `D:YYYYMMDD000000Z` for the edition date.
fn pdf_date(info: &DocumentInfo) -> String {
    let (y, m, d) = edition_date(info);
    format!("D:{y:04}{m:02}{d:02}000000Z")
}

/// Characters XML 1.0 cannot hold even escaped (C0 controls other than
/// tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD.
fn xml_chars(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

/// The XMP packet, written by xmp-writer so that every value is escaped.
fn xmp(info: &DocumentInfo, standard: PdfStandard) -> String {
    use xmp_writer::{DateTime, LangId, RenditionClass, Timezone, XmpWriter};
    let (y, m, d) = edition_date(info);
    let date = DateTime::new(y, m, d, 0, 0, 0, Timezone::Utc);
    let title = xml_chars(&info.title);
    let id = format!("uuid:{}", xml_chars(&info.fingerprint));
    let producer = format!("broadsheet {}", env!("CARGO_PKG_VERSION"));
    let mut w = XmpWriter::new();
    w.format("application/pdf");
    w.title([(Some(LangId("x-default")), title.as_str())]);
    w.language([LangId(info.language.tag())]);
    w.create_date(date);
    w.modify_date(date);
    w.metadata_date(date);
    w.creator_tool("broadsheet");
    w.document_id(&id);
    w.instance_id(&id);
    w.rendition_class(RenditionClass::Default);
    w.version_id("1");
    w.producer(&producer);
    w.trapped(false);
    if standard != PdfStandard::None {
        w.pdfx_version(standard.name());
    }
    w.finish(None)
}

/// Why the print finishing wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum FinishError {
    /// lopdf could not read krilla's file or write the finished one.
    #[error("{0}")]
    Pdf(#[from] lopdf::Error),
    /// The file holds something the standard forbids (the sentence says
    /// what and in which object), so the claim would be false.
    #[error("{0}")]
    Forbidden(String),
}

/// An ad's page becomes a form XObject that krilla (through hayro-write)
/// always isolates in a transparency group blending in DeviceRGB, whatever
/// the page holds. On a CMYK page the group blends in DeviceCMYK; under
/// PDF/X-1a, which forbids transparency, the group goes: an ad that uses
/// transparency is then caught by its own soft masks and blend modes.
fn recolour_embedded_page_groups(doc: &mut Document, standard: PdfStandard) {
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let is_form = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Form");
        let Ok(Object::Dictionary(group)) = stream.dict.get_mut(b"Group") else {
            continue;
        };
        let rgb_blend = group
            .get(b"CS")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"DeviceRGB");
        if !(is_form && rgb_blend) {
            continue;
        }
        if standard == PdfStandard::PdfX1a2003 {
            stream.dict.remove(b"Group");
        } else {
            group.set("CS", Object::Name(b"DeviceCMYK".to_vec()));
        }
    }
}

/// Turn the overprint marks into overprint (always), check that the file
/// holds nothing `standard` forbids, and add its declarations: PDF version,
/// output intent, Info keys and XMP.
pub fn finish(
    pdf: &[u8],
    info: &DocumentInfo,
    standard: PdfStandard,
    condition: &OutputCondition,
) -> Result<Vec<u8>, FinishError> {
    finish_with_threads(pdf, info, standard, condition, &[], DeflatedProfile(None))
}

/// [`finish`], and write the article `threads` (their beads on the pages),
/// embedding the profile `deflated` made beforehand.
pub fn finish_with_threads(
    pdf: &[u8],
    info: &DocumentInfo,
    standard: PdfStandard,
    condition: &OutputCondition,
    threads: &[Thread],
    deflated: DeflatedProfile,
) -> Result<Vec<u8>, FinishError> {
    let mut doc = Document::load_mem(pdf)?;
    // krilla writes each ExtGState once as an indirect object, shared by
    // every page that uses it.
    for object in doc.objects.values_mut() {
        if let Object::Dictionary(dict) = object {
            if is_overprint_mark(dict) {
                *dict = overprint_state();
            }
        }
    }

    recolour_embedded_page_groups(&mut doc, standard);
    if let Some(found) = conformance::forbidden(&doc, standard) {
        return Err(FinishError::Forbidden(found));
    }
    let pdfx = standard != PdfStandard::None;

    let date = pdf_date(info);
    let metadata = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp(info, standard).into_bytes(),
    ));
    let mut intents = Vec::new();
    if pdfx {
        let profile = doc.add_object(profile_stream(deflated.take(&condition.profile)));
        intents.push(Object::Dictionary(dictionary! {
            "Type" => "OutputIntent",
            "S" => "GTS_PDFX",
            "OutputConditionIdentifier" => text(&condition.identifier),
            "OutputCondition" => text(&condition.info),
            "RegistryName" => text("http://www.color.org"),
            "Info" => text(&condition.info),
            "DestOutputProfile" => Object::Reference(profile),
        }));
    }
    let threads = add_threads(&mut doc, threads)?;
    drop_false_suspects(&mut doc)?;
    {
        let catalog = doc.catalog_mut()?;
        catalog.set("Metadata", Object::Reference(metadata));
        if !threads.is_empty() {
            catalog.set("Threads", Object::Array(threads));
        }
        if pdfx {
            catalog.set("OutputIntents", Object::Array(intents));
            let version = conformance::pdf_version(standard);
            catalog.set("Version", Object::Name(version.as_bytes().to_vec()));
        }
    }
    let mut info_dict = dictionary! {
        "Title" => text(&info.title),
        "Creator" => text("broadsheet"),
        "Producer" => text(&format!("broadsheet {}", env!("CARGO_PKG_VERSION"))),
        "CreationDate" => text(&date),
        "ModDate" => text(&date),
        "Trapped" => "False",
    };
    if pdfx {
        info_dict.set("GTS_PDFXVersion", text(standard.name()));
    }
    if standard == PdfStandard::PdfX1a2003 {
        info_dict.set("GTS_PDFXConformance", text(standard.name()));
    }
    let info_id = doc.add_object(info_dict);
    doc.trailer.set("Info", Object::Reference(info_id));
    if pdfx {
        doc.version = conformance::pdf_version(standard).into();
    }
    // Drop objects the rewrite orphaned (krilla's own Info and XMP).
    doc.prune_objects();
    let mut out = Vec::with_capacity(pdf.len() + 4096);
    doc.save_to(&mut out).map_err(lopdf::Error::from)?;
    Ok(out)
}

/// Remove krilla's `/Suspects false` from the MarkInfo: false is the
/// default, and poppler (22.12) reports a false Suspects as a syntax error
/// on every page tool's stderr.
fn drop_false_suspects(doc: &mut Document) -> Result<(), lopdf::Error> {
    let mark_info = match doc.catalog()?.get(b"MarkInfo") {
        Ok(Object::Reference(id)) => Some(*id),
        _ => None,
    };
    let dict = match mark_info {
        Some(id) => doc.get_dictionary_mut(id)?,
        None => match doc.catalog_mut()?.get_mut(b"MarkInfo") {
            Ok(Object::Dictionary(d)) => d,
            _ => return Ok(()),
        },
    };
    if dict
        .get(b"Suspects")
        .is_ok_and(|s| s == &Object::Boolean(false))
    {
        dict.remove(b"Suspects");
    }
    Ok(())
}

/// Write each thread and its beads (PDF 1.7 §12.4.3): a circular list of
/// beads, each on its page's `/B` array in the thread's order; returns the
/// threads for the catalog's `/Threads`.
fn add_threads(doc: &mut Document, threads: &[Thread]) -> Result<Vec<Object>, lopdf::Error> {
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    let mut on_page: Vec<Vec<Object>> = vec![Vec::new(); pages.len()];
    let mut out = Vec::with_capacity(threads.len());
    for thread in threads {
        let beads: Vec<&Bead> = thread
            .beads
            .iter()
            .filter(|b| b.page < pages.len())
            .collect();
        if beads.is_empty() {
            continue;
        }
        let thread_id = doc.new_object_id();
        let ids: Vec<lopdf::ObjectId> = beads.iter().map(|_| doc.new_object_id()).collect();
        for (k, bead) in beads.iter().enumerate() {
            let next = ids[(k + 1) % ids.len()];
            let prev = ids[(k + ids.len() - 1) % ids.len()];
            let mut dict = dictionary! {
                "Type" => "Bead",
                "N" => Object::Reference(next),
                "V" => Object::Reference(prev),
                "P" => Object::Reference(pages[bead.page]),
                "R" => bead.rect.iter().map(|&v| Object::Real(v)).collect::<Vec<_>>(),
            };
            if k == 0 {
                dict.set("T", Object::Reference(thread_id));
            }
            doc.objects.insert(ids[k], Object::Dictionary(dict));
            on_page[bead.page].push(Object::Reference(ids[k]));
        }
        doc.objects.insert(
            thread_id,
            Object::Dictionary(dictionary! {
                "Type" => "Thread",
                "F" => Object::Reference(ids[0]),
                "I" => dictionary! { "Title" => text(&thread.title) },
            }),
        );
        out.push(Object::Reference(thread_id));
    }
    for (page, beads) in pages.iter().zip(on_page) {
        if !beads.is_empty() {
            doc.get_dictionary_mut(*page)?
                .set("B", Object::Array(beads));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(title: &str, date: Option<&str>) -> DocumentInfo {
        DocumentInfo {
            title: title.into(),
            fingerprint: "0123456789abcdef".into(),
            date: date.map(str::to_string),
            language: Default::default(),
            article_languages: Vec::new(),
        }
    }

    #[test]
    fn every_xmp_value_is_escaped() {
        let x = xmp(
            &info("A&B <i>\"晚报\"</i> ]]> \u{7}", Some("2026-11-21")),
            PdfStandard::PdfX4,
        );
        assert!(
            x.contains("A&amp;B &lt;i&gt;&quot;晚报&quot;&lt;/i&gt; ]]&gt; \u{fffd}"),
            "{x}"
        );
        assert!(!x.contains("<i>") && !x.contains('\u{7}'), "{x}");
        assert!(x.contains("<xmp:CreateDate>2026-11-21T00:00:00Z</xmp:CreateDate>"));
        assert!(x.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"));
        // Same input, same bytes.
        assert_eq!(
            x,
            xmp(
                &info("A&B <i>\"晚报\"</i> ]]> \u{7}", Some("2026-11-21")),
                PdfStandard::PdfX4
            )
        );
    }

    #[test]
    fn only_the_bare_marker_state_becomes_overprint() {
        let mark = dictionary! { "Type" => "ExtGState", "BM" => "Multiply" };
        assert!(is_overprint_mark(&mark));
        assert!(is_overprint_mark(&dictionary! { "BM" => "Multiply" }));
        // A multiply with transparency, another blend mode, or another
        // object's dictionary is someone else's state.
        let mut alpha = mark.clone();
        alpha.set("ca", 0.5);
        assert!(!is_overprint_mark(&alpha));
        assert!(!is_overprint_mark(
            &dictionary! { "Type" => "ExtGState", "BM" => "Darken" }
        ));
        assert!(!is_overprint_mark(
            &dictionary! { "Type" => "Font", "BM" => "Multiply" }
        ));
    }

    #[test]
    fn a_date_that_is_not_a_date_never_reaches_the_file() {
        for bad in ["</x:x>&<ab", "2026-13-45", "20261121", ""] {
            let i = info("t", Some(bad));
            assert_eq!(pdf_date(&i), "D:20000101000000Z", "{bad}");
            assert!(
                xmp(&i, PdfStandard::None).contains("2000-01-01T00:00:00Z"),
                "{bad}"
            );
        }
        assert_eq!(
            pdf_date(&info("t", Some("2026-11-21"))),
            "D:20261121000000Z"
        );
    }
}
