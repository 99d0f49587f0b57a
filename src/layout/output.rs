//! `[output]`: the PDF standard an edition claims, the print condition
//! its output intent names, and the printer's marks beside the crop marks.
//!
//! Only the words are checked here; the profile file is read and checked
//! with the fonts (build), and what the standard forbids is checked on the
//! finished PDF (export), each error pointing back at these keys.

use super::error::{LayoutError, Locator};
use super::model::{Output, OutputProfile};
use super::raw::RawOutput;
use crate::display::PdfStandard;

/// Every value of `standard`, as written.
const STANDARDS: [PdfStandard; 3] = [
    PdfStandard::PdfX4,
    PdfStandard::PdfX1a2003,
    PdfStandard::None,
];

/// `[output]`, checked: a known standard; `profile` and `condition`
/// together or not at all, and never with `"none"`, which writes no output
/// intent to hold them.
/// Printer's marks other than crop marks sit in the room crop marks make
/// outside the bleed, so they need `crop_marks`.
pub(super) fn resolve_output(
    raw: &RawOutput,
    crop_marks: bool,
    loc: &Locator,
) -> Result<Output, LayoutError> {
    let (standard, standard_span) = match &raw.standard {
        None => (PdfStandard::default(), 0..0),
        Some(s) => {
            let found = STANDARDS.iter().find(|k| k.name() == s.get_ref().as_str());
            let Some(&standard) = found else {
                return Err(loc.error(
                    s.span(),
                    format!("unknown output standard `{}`", s.get_ref()),
                    Some("write \"PDF/X-4\" (the default), \"PDF/X-1a:2003\" or \"none\"".into()),
                ));
            };
            (standard, s.span())
        }
    };
    let profile = match (&raw.profile, &raw.condition) {
        (None, None) => None,
        (Some(p), None) => {
            return Err(loc.error(
                p.span(),
                "an output profile needs the print condition it characterises",
                Some("add condition = \"…\" under [output], its registered name (e.g. \"FOGRA39\") or a description".into()),
            ))
        }
        (None, Some(c)) => {
            return Err(loc.error(
                c.span(),
                "condition names the print condition of an output profile, but no profile is given",
                Some("add profile = \"file.icc\" under [output], or remove condition to keep the built-in IFRA26 newsprint profile".into()),
            ))
        }
        (Some(p), Some(c)) => {
            if c.get_ref().trim().is_empty() {
                return Err(loc.error(c.span(), "the print condition is empty", None));
            }
            let layout_dir = loc.file.parent().unwrap_or(std::path::Path::new("."));
            Some(OutputProfile {
                path: layout_dir.join(p.get_ref()),
                span: p.span(),
                condition: c.get_ref().clone(),
            })
        }
    };
    if let (PdfStandard::None, Some(p)) = (standard, &profile) {
        return Err(loc.error(
            p.span.clone(),
            "standard = \"none\" writes no output intent, so an output profile would be unused",
            Some("remove profile and condition, or choose standard = \"PDF/X-4\" or \"PDF/X-1a:2003\"".into()),
        ));
    }
    let mut marks = [false; 2];
    for (on, key) in marks
        .iter_mut()
        .zip([&raw.registration_targets, &raw.color_bar])
    {
        let Some(key) = key else { continue };
        if *key.get_ref() && !crop_marks {
            return Err(loc.error(
                key.span(),
                "printer's marks need crop_marks = true: they sit in the room crop marks make outside the bleed",
                Some("set crop_marks = true under [page], or remove this key".into()),
            ));
        }
        *on = *key.get_ref();
    }
    Ok(Output {
        standard,
        standard_span,
        profile,
        registration_targets: marks[0],
        color_bar: marks[1],
        allow_low_resolution: raw.allow_low_resolution.unwrap_or(false),
    })
}
