//! Large editions for benchmarks and scale tests, made from a real one.

use super::Edition;

/// Write `edition`'s articles `copies` times back into the source format,
/// each copy with its paragraphs rotated by the copy number so that no two
/// copies set alike. Only the first copy keeps a level-1 headline.
pub fn repeated_edition(edition: &Edition, copies: usize) -> String {
    let mut out = String::new();
    for copy in 0..copies {
        for a in &edition.articles {
            if let Some(k) = &a.kicker {
                out.push_str(&format!("### {k}\n\n"));
            }
            let marks = if a.level <= 1 && copy == 0 { "#" } else { "##" };
            out.push_str(&format!("{marks} {}\n\n", a.headline.join(" ")));
            if let Some(s) = &a.subheadline {
                out.push_str(&format!("### {s}\n\n"));
            }
            let n = a.paragraphs.len();
            for i in 0..n {
                out.push_str(&a.paragraphs[(i + copy) % n]);
                out.push_str("\n\n");
            }
            if let Some(c) = &a.credit {
                out.push_str(c);
                out.push_str("\n\n");
            }
        }
    }
    out
}
