//! What each PDF standard forbids, checked on the finished file, and the
//! output profile a PDF/X output intent may embed.
//!
//! A PDF/X claim is a promise to the printing plant's preflight; the export
//! writes it only after walking every object of the file krilla wrote (and
//! the print finishing changed) and finding nothing the standard forbids.
//! The walk reads what is in the file, not what the export meant to draw,
//! so a new kind of mark that brings transparency or RGB is caught the day
//! it is added.

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::display::PdfStandard;

/// Length of an ICC profile header, before its tag count.
const ICC_HEADER: usize = 128;

/// Why `profile` cannot be the output profile of a `standard` output
/// intent, as a sentence; `None` when it can. Only the header is read: a
/// CMYK (`CMYK`) output (`prtr`) profile with a Lab or XYZ connection
/// space, of an ICC version the standard's PDF version knows (2 for
/// PDF/X-1a's PDF 1.4, up to 4.1 for PDF/X-4's PDF 1.6).
pub fn profile_problem(profile: &[u8], standard: PdfStandard) -> Option<String> {
    if profile.len() < ICC_HEADER + 4 || &profile[36..40] != b"acsp" {
        return Some("it is not an ICC profile (no `acsp` signature in a 128-byte header)".into());
    }
    let declared = u32::from_be_bytes([profile[0], profile[1], profile[2], profile[3]]);
    if declared as usize != profile.len() {
        return Some(format!(
            "its header gives {declared} bytes but the file has {} (truncated or padded?)",
            profile.len()
        ));
    }
    let field = |at: usize| {
        String::from_utf8_lossy(&profile[at..at + 4])
            .trim_end()
            .to_string()
    };
    let (class, space, pcs) = (field(12), field(16), field(20));
    if class != "prtr" {
        return Some(format!(
            "its device class is `{class}`, not `prtr` (an output profile)"
        ));
    }
    if space != "CMYK" {
        return Some(format!("its colour space is `{space}`, not `CMYK`"));
    }
    if pcs != "Lab" && pcs != "XYZ" {
        return Some(format!(
            "its connection space is `{pcs}`, not `Lab` or `XYZ`"
        ));
    }
    let (major, minor) = (profile[8], profile[9] >> 4);
    let known = match standard {
        PdfStandard::PdfX1a2003 => major == 2,
        PdfStandard::PdfX4 | PdfStandard::None => major == 2 || (major == 4 && minor <= 1),
    };
    (!known).then(|| {
        format!(
            "it is an ICC version {major}.{minor} profile, which {} (PDF {}) cannot hold",
            standard.name(),
            pdf_version(standard)
        )
    })
}

/// The PDF version a standard writes.
pub fn pdf_version(standard: PdfStandard) -> &'static str {
    match standard {
        PdfStandard::PdfX1a2003 => "1.4",
        PdfStandard::PdfX4 => "1.6",
        PdfStandard::None => "1.7",
    }
}

/// The first thing in `doc` that `standard` forbids, described with the
/// object it was found in; `None` when the file may make the claim.
pub fn forbidden(doc: &Document, standard: PdfStandard) -> Option<String> {
    if standard == PdfStandard::None {
        return None;
    }
    let x1a = standard == PdfStandard::PdfX1a2003;
    for (&id, object) in &doc.objects {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        let found = font_not_embedded(doc, dict)
            .or_else(|| x1a.then(|| transparency(dict)).flatten())
            .or_else(|| colour_space_in(object, x1a));
        if let Some(what) = found {
            return Some(format!("{what} (object {} {})", id.0, id.1));
        }
    }
    // Inflating and reading every page's content is most of this check on
    // a long edition; the streams are independent, and the first in file
    // order is still the one reported.
    use rayon::prelude::*;
    content_streams(doc).into_par_iter().find_map_first(|id| {
        let Ok(Object::Stream(stream)) = doc.get_object(id) else {
            return None;
        };
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        device_rgb_operator(&content).map(|op| {
            format!(
                "DeviceRGB colour (`{op}`) in a content stream (object {} {})",
                id.0, id.1
            )
        })
    })
}

/// A font dictionary whose program is not in the file.
fn font_not_embedded(doc: &Document, dict: &Dictionary) -> Option<String> {
    if !dict
        .get(b"Type")
        .and_then(Object::as_name)
        .is_ok_and(|t| t == b"Font")
    {
        return None;
    }
    let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok()?;
    let descriptor_of = |font: &Dictionary| {
        let d = font.get(b"FontDescriptor").ok()?;
        doc.dereference(d).ok()?.1.as_dict().ok().cloned()
    };
    let descriptor = match subtype {
        b"Type3" | b"Type0" => return None, // drawn by the file / checked on its CIDFont
        _ => descriptor_of(dict),
    };
    let embedded = descriptor.is_some_and(|d| {
        [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
            .iter()
            .any(|k| d.has(k))
    });
    let name = dict
        .get(b"BaseFont")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    (!embedded).then(|| format!("a font that is not embedded ({name})"))
}

/// Transparency, which PDF/X-1a forbids: a soft mask, an alpha below 1, a
/// blend mode other than Normal, a transparency group.
fn transparency(dict: &Dictionary) -> Option<String> {
    if let Ok(mask) = dict.get(b"SMask") {
        if mask.as_name().map_or(true, |n| n != b"None") {
            return Some("a soft mask (transparency)".into());
        }
    }
    for key in [&b"CA"[..], b"ca"] {
        if let Ok(alpha) = dict.get(key).and_then(Object::as_float) {
            if alpha < 1.0 {
                return Some(format!(
                    "an opacity of {alpha} (/{}, transparency)",
                    String::from_utf8_lossy(key)
                ));
            }
        }
    }
    if let Ok(blend) = dict.get(b"BM") {
        let modes = match blend {
            Object::Array(a) => a.iter().filter_map(|o| o.as_name().ok()).collect(),
            other => other.as_name().into_iter().collect::<Vec<_>>(),
        };
        if let Some(mode) = modes
            .iter()
            .find(|m| !matches!(&m[..], b"Normal" | b"Compatible"))
        {
            return Some(format!(
                "the blend mode {} (transparency)",
                String::from_utf8_lossy(mode)
            ));
        }
    }
    if dict
        .get(b"SMaskInData")
        .and_then(Object::as_i64)
        .is_ok_and(|n| n != 0)
    {
        return Some("an image with an alpha channel (transparency)".into());
    }
    if dict
        .get(b"S")
        .and_then(Object::as_name)
        .is_ok_and(|s| s == b"Transparency")
    {
        return Some("a transparency group".into());
    }
    // A form XObject's group is usually written inside its dictionary
    // (an embedded ad page's is), not as an object of its own.
    if let Ok(Object::Dictionary(group)) = dict.get(b"Group") {
        return transparency(group);
    }
    None
}

/// A colour space the standard forbids, anywhere in the object: DeviceRGB
/// always (neither PDF/X allows it without a default space), and for
/// PDF/X-1a every colour space that is not CMYK, grey or spot.
fn colour_space_in(object: &Object, x1a: bool) -> Option<String> {
    let forbidden = |name: &[u8]| match name {
        b"DeviceRGB" => true,
        b"CalRGB" | b"CalGray" | b"Lab" | b"ICCBased" => x1a,
        _ => false,
    };
    match object {
        Object::Name(n) if forbidden(n) => {
            Some(format!("the colour space {}", String::from_utf8_lossy(n)))
        }
        Object::Array(items) => items.iter().find_map(|o| colour_space_in(o, x1a)),
        Object::Dictionary(d) => d.iter().find_map(|(_, o)| colour_space_in(o, x1a)),
        Object::Stream(s) => s.dict.iter().find_map(|(_, o)| colour_space_in(o, x1a)),
        _ => None,
    }
}

/// Every stream holding page marks: page contents, form XObjects, tiling
/// patterns and Type 3 glyphs.
fn content_streams(doc: &Document) -> Vec<ObjectId> {
    let refs = |o: &Object| -> Vec<ObjectId> {
        match o {
            Object::Reference(id) => vec![*id],
            Object::Array(a) => a.iter().filter_map(|r| r.as_reference().ok()).collect(),
            Object::Dictionary(d) => d
                .iter()
                .filter_map(|(_, r)| r.as_reference().ok())
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut ids = Vec::new();
    for (&id, object) in &doc.objects {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        let name = |key: &[u8]| dict.get(key).and_then(Object::as_name).ok();
        if name(b"Type") == Some(b"Page") {
            ids.extend(dict.get(b"Contents").map(refs).unwrap_or_default());
        } else if name(b"Subtype") == Some(b"Form") || dict.has(b"PatternType") {
            ids.push(id);
        } else if name(b"Subtype") == Some(b"Type3") {
            if let Ok(procs) = dict.get(b"CharProcs") {
                let procs = doc.dereference(procs).map(|(_, o)| o.clone());
                ids.extend(procs.as_ref().map(refs).unwrap_or_default());
            }
        }
    }
    ids
}

/// Bytes that end a token in a content stream: ASCII white space and the
/// delimiters `()<>[]{}/%`.
const DELIMITERS: [bool; 256] = {
    let mut table = [false; 256];
    let set = b"()<>[]{}/% \t\n\x0c\r";
    let mut k = 0;
    while k < set.len() {
        table[set[k] as usize] = true;
        k += 1;
    }
    table
};

/// The first DeviceRGB operator or name in a content stream: `rg`, `RG`,
/// `/DeviceRGB`, or `/RGB` (an inline image's abbreviation). Strings,
/// comments and inline image data are skipped.
fn device_rgb_operator(content: &[u8]) -> Option<&'static str> {
    // A table, not a search of the set per byte: every byte of every page's
    // content passes here (a vertical page's content is large).
    let delimiter = |b: u8| DELIMITERS[usize::from(b)];
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b'(' => {
                let mut depth = 0usize;
                while i < content.len() {
                    match content[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'<' if content.get(i + 1) != Some(&b'<') => {
                while i < content.len() && content[i] != b'>' {
                    i += 1;
                }
                i += 1;
            }
            b'%' => {
                while i < content.len() && content[i] != b'\n' && content[i] != b'\r' {
                    i += 1;
                }
            }
            b if delimiter(b) && b != b'/' => i += 1,
            _ => {
                let start = i;
                i += 1;
                while i < content.len() && !delimiter(content[i]) {
                    i += 1;
                }
                match &content[start..i] {
                    b"rg" => return Some("rg"),
                    b"RG" => return Some("RG"),
                    b"/DeviceRGB" => return Some("/DeviceRGB"),
                    b"/RGB" => return Some("/RGB"),
                    b"ID" => {
                        // Inline image data runs to the first `EI` between
                        // white space.
                        while i + 3 < content.len()
                            && !(content[i].is_ascii_whitespace()
                                && &content[i + 1..i + 3] == b"EI"
                                && (content[i + 3].is_ascii_whitespace()))
                        {
                            i += 1;
                        }
                        i += 3;
                    }
                    _ => {}
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb_operators_are_found_outside_strings_only() {
        assert_eq!(device_rgb_operator(b"q 1 0 0 rg 0 0 m Q"), Some("rg"));
        assert_eq!(device_rgb_operator(b"0 0 1 RG"), Some("RG"));
        assert_eq!(
            device_rgb_operator(b"/DeviceRGB cs 1 0 0 sc"),
            Some("/DeviceRGB")
        );
        assert_eq!(
            device_rgb_operator(b"1 1 1 1 k (rg) Tj <7267> Tj % rg\n"),
            None
        );
        assert_eq!(device_rgb_operator(b"(a\\) rg) Tj /cs0 cs 1 scn"), None);
        assert_eq!(device_rgb_operator(b"/P <</MCID 0>> BDC 0 g EMC"), None);
    }

    #[test]
    fn only_a_cmyk_output_profile_is_an_output_profile() {
        let good = crate::export::prepress::IFRA26_PROFILE;
        assert_eq!(profile_problem(good, PdfStandard::PdfX4), None);
        assert_eq!(profile_problem(good, PdfStandard::PdfX1a2003), None);
        let with = |at: usize, bytes: &[u8]| {
            let mut p = good.to_vec();
            p[at..at + bytes.len()].copy_from_slice(bytes);
            profile_problem(&p, PdfStandard::PdfX1a2003).unwrap_or_default()
        };
        assert!(with(12, b"mntr").contains("`mntr`"));
        assert!(with(16, b"RGB ").contains("`RGB`"));
        assert!(with(20, b"Luv ").contains("`Luv`"));
        assert!(with(8, &[4, 0x20]).contains("version 4.2"));
        assert!(with(36, b"xxxx").contains("not an ICC profile"));
        assert!(profile_problem(&good[..4000], PdfStandard::PdfX4)
            .unwrap()
            .contains("truncated"));
        assert!(profile_problem(b"%PDF-1.4", PdfStandard::PdfX4).is_some());
    }
}
