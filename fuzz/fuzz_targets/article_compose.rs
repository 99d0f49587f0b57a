//! A fuzzed article file composed on a small grid, every article flowed
//! freely: never a panic, and every visible character of every article is
//! set once, in order.
#![no_main]

use std::path::Path;

use broadsheet::source::{self, ParseOptions};
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
        // Only a headline taller than a whole column can be overset here,
        // and the report must say so.
        assert!(
            c.report.warnings.iter().any(|w| w.contains("headline")),
            "{}",
            c.report.to_text()
        );
        return;
    }
    let shown = common::displayed(&c, edition.articles.len());
    for (i, a) in edition.articles.iter().enumerate() {
        assert_eq!(shown[i], common::article_text(a), "article {}", i + 1);
    }
});
