//! Print finishing of krilla's PDF: overprinting black and PDF/X-4 marks.
//!
//! krilla writes neither overprint graphics states nor PDF/X output intents
//! (DESIGN §5), so the finished file is opened with lopdf and completed:
//! every page gets an ExtGState with overprint on (so 100 % K text and rules
//! print over whatever lies beneath instead of knocking it out), the catalog
//! an OutputIntent `GTS_PDFX` naming a registered characterisation, the Info
//! dictionary `GTS_PDFXVersion`, `Trapped` and dates, and the XMP packet
//! `pdfxid:GTS_PDFXVersion`. All values come from the input, never the clock,
//! so the bytes are reproducible.

use lopdf::{dictionary, Document, Object, Stream, StringFormat};

use crate::display::DocumentInfo;

/// Name under which the overprint state is added to each page's resources.
pub const OVERPRINT_GS: &str = "BSOverprint";

/// A print condition registered with the ICC (www.color.org), referenced by
/// name instead of embedding a profile.
#[derive(Debug, Clone)]
pub struct OutputCondition {
    pub identifier: String,
    pub info: String,
}

impl Default for OutputCondition {
    fn default() -> Self {
        // Coldset offset on newsprint, ISO 12647-3: the condition of a daily.
        Self {
            identifier: "IFRA26".into(),
            info: "ISO 12647-3:2004, coldset offset lithography on 45 g/m² newsprint (ISOnewspaper26v4)".into(),
        }
    }
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

/// `D:YYYYMMDD000000Z` for the edition date, or the PDF epoch if none.
fn pdf_date(info: &DocumentInfo) -> String {
    let digits: String = info
        .date
        .as_deref()
        .unwrap_or("2000-01-01")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let digits = if digits.len() == 8 {
        digits
    } else {
        "20000101".into()
    };
    format!("D:{digits}000000Z")
}

fn xmp_date(info: &DocumentInfo) -> String {
    let d = info
        .date
        .clone()
        .filter(|d| d.len() == 10)
        .unwrap_or_else(|| "2000-01-01".into());
    format!("{d}T00:00:00Z")
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn xmp(info: &DocumentInfo, pdfx: bool) -> String {
    let date = xmp_date(info);
    let title = escape_xml(&info.title);
    let id = &info.fingerprint;
    let pdfx_line = if pdfx {
        "\n   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"
    } else {
        ""
    };
    format!(
        r#"<?xpacket begin="﻿" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>zh-Hans</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>broadsheet</xmp:CreatorTool>
   <xmpMM:DocumentID>uuid:{id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{id}</xmpMM:InstanceID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <pdf:Producer>broadsheet {version}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>{pdfx_line}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        version = env!("CARGO_PKG_VERSION")
    )
}

/// Add overprint (always) and the PDF/X-4 declarations (when `pdfx`).
pub fn finish(
    pdf: &[u8],
    info: &DocumentInfo,
    pdfx: bool,
    condition: &OutputCondition,
) -> Result<Vec<u8>, lopdf::Error> {
    let mut doc = Document::load_mem(pdf)?;
    let gs = doc.add_object(dictionary! {
        "Type" => "ExtGState",
        "OP" => true,
        "op" => true,
        "OPM" => 1,
    });
    let prelude = doc.add_object(Stream::new(
        dictionary! {},
        format!("/{OVERPRINT_GS} gs\n").into_bytes(),
    ));
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for page_id in pages {
        // Resources may be shared or inline; give each page its own copy
        // with the overprint state added.
        let resources = match doc.get_dictionary(page_id)?.get(b"Resources") {
            Ok(Object::Reference(r)) => doc.get_dictionary(*r)?.clone(),
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => lopdf::Dictionary::new(),
        };
        let mut resources = resources;
        let mut states = match resources.get(b"ExtGState") {
            Ok(Object::Dictionary(d)) => d.clone(),
            Ok(Object::Reference(r)) => doc.get_dictionary(*r)?.clone(),
            _ => lopdf::Dictionary::new(),
        };
        states.set(OVERPRINT_GS, Object::Reference(gs));
        resources.set("ExtGState", Object::Dictionary(states));
        let page = doc.get_dictionary_mut(page_id)?;
        page.set("Resources", Object::Dictionary(resources));
        // The state is set by a stream placed before the page's own content.
        let contents = match page.get(b"Contents") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(other) => vec![other.clone()],
            Err(_) => Vec::new(),
        };
        let mut new_contents = vec![Object::Reference(prelude)];
        new_contents.extend(contents);
        page.set("Contents", Object::Array(new_contents));
    }

    let date = pdf_date(info);
    let metadata = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp(info, pdfx).into_bytes(),
    ));
    let mut intents = Vec::new();
    if pdfx {
        intents.push(Object::Dictionary(dictionary! {
            "Type" => "OutputIntent",
            "S" => "GTS_PDFX",
            "OutputConditionIdentifier" => text(&condition.identifier),
            "OutputCondition" => text(&condition.info),
            "RegistryName" => text("http://www.color.org"),
            "Info" => text(&condition.info),
        }));
    }
    {
        let catalog = doc.catalog_mut()?;
        catalog.set("Metadata", Object::Reference(metadata));
        if pdfx {
            catalog.set("OutputIntents", Object::Array(intents));
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
        info_dict.set("GTS_PDFXVersion", text("PDF/X-4"));
    }
    let info_id = doc.add_object(info_dict);
    doc.trailer.set("Info", Object::Reference(info_id));
    if pdfx {
        doc.version = "1.6".into();
    }
    // Drop objects the rewrite orphaned (krilla's own Info and XMP).
    doc.prune_objects();
    let mut out = Vec::with_capacity(pdf.len() + 4096);
    doc.save_to(&mut out)?;
    Ok(out)
}
