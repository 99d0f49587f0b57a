//! A fuzzed article file composed on a small grid, every article flowed
//! freely: never a panic, and every visible character of every article is
//! set once, in order.
#![no_main]

use std::path::Path;

use broadsheet::display::{Item, Role};
use broadsheet::source::{self, ParagraphKind, ParseOptions};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(edition) = source::parse(data, Path::new("fuzz.md"), &ParseOptions::default()) else {
        return;
    };
    // A file that would need more than the page limit is refused: fine.
    let Ok(c) = broadsheet::compose::compose(&edition, common::small_layout(), common::db()) else {
        return;
    };
    common::assert_finite(&c);
    if c.report.overset_lines() > 0 {
        // Only a headline can make text overset here: one taller than a
        // whole column (a warning), or one whose written lines wrapped at
        // the size make-up gave it (the fit report's cause names the
        // headline block; CI found a packed page where make-up's estimate
        // of a wrapped headline was a line short). Either way the report
        // must say so.
        // Known, left open: make-up does not yet count pull quotes set
        // across a module well on packed pages, and such an article can be
        // overset (found by fuzzing, see the stop's note); it must at least
        // be reported.
        let text = c.report.to_text();
        let spanning_quotes = edition
            .articles
            .iter()
            .any(|a| a.paragraph_kinds.contains(&ParagraphKind::PullQuote));
        assert!(
            c.report.warnings.iter().any(|w| w.contains("headline"))
                || text.contains("headline block takes")
                || (spanning_quotes && text.contains("OVERSET")),
            "{text}"
        );
        return;
    }
    let shown = common::displayed(&c, edition.articles.len());
    for (i, a) in edition.articles.iter().enumerate() {
        let whole = common::article_text(a);
        if shown[i] == whole {
            continue;
        }
        // A pull quote set across the module (`[elements] pull_quote =
        // "span"`) stands above the columns, so it is read before the body
        // text that comes before it in the file (found by CI's fuzz run):
        // then the quotes are set whole, in order, and the rest in order.
        let is_quote = |k: &ParagraphKind| *k == ParagraphKind::PullQuote;
        let quotes: String = a
            .paragraphs
            .iter()
            .zip(&a.paragraph_kinds)
            .filter(|(_, k)| is_quote(k))
            .flat_map(|(p, _)| p.chars())
            .filter(|&c| common::visible(c))
            .collect();
        let mut rest = a.clone();
        rest.paragraphs = a
            .paragraphs
            .iter()
            .zip(&a.paragraph_kinds)
            .filter(|(_, k)| !is_quote(k))
            .map(|(p, _)| p.clone())
            .collect();
        let (shown_quotes, shown_rest) = quotes_apart(&c, i + 1);
        assert!(
            !quotes.is_empty(),
            "article {}: {:?} against {whole:?}",
            i + 1,
            shown[i]
        );
        assert_eq!(shown_quotes, quotes, "article {}: its pull quotes", i + 1);
        assert_eq!(shown_rest, common::article_text(&rest), "article {}", i + 1);
    }
});

/// Article `article`'s visible text in display order: its pull quotes'
/// runs, and every other run (as `common::displayed` counts them).
fn quotes_apart(c: &broadsheet::compose::Composition, article: usize) -> (String, String) {
    let (mut quotes, mut rest) = (String::new(), String::new());
    for page in &c.pages {
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            if run.article != Some(article)
                || matches!(
                    run.role,
                    Role::JumpLine | Role::ContinuationHeadline | Role::OversetMark
                )
            {
                continue;
            }
            let text = run.text.chars().filter(|&c| common::visible(c));
            if run.role == Role::PullQuote {
                quotes.extend(text);
            } else {
                rest.extend(text);
            }
        }
    }
    (quotes, rest)
}
