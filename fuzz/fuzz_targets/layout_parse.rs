//! Layout loading on arbitrary TOML: never a panic; an error is located
//! inside the file; an accepted layout's grid fits its page.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match broadsheet::layout::parse(text, Path::new("fuzz.toml")) {
        Ok(l) => {
            let g = &l.grid;
            assert!(g.columns >= 1 && g.column_chars >= 1 && g.lines >= 1);
            assert!(
                g.body_size.is_finite()
                    && g.body_size > 0.0
                    && g.pitch.is_finite()
                    && g.pitch > 0.0
            );
            assert!(l.page.width.is_finite() && l.page.height.is_finite());
            assert!(
                g.left + g.type_width() <= l.page.width + 0.1,
                "grid wider than the page"
            );
            assert!(
                g.top + g.lines as f32 * g.pitch <= l.page.height + 0.1,
                "grid taller than the page"
            );
            for (_, s) in l.styles.all() {
                assert!(s.size.is_finite() && s.size > 0.0, "style size {}", s.size);
            }
            for p in &l.pages {
                for m in &p.modules {
                    assert!(
                        m.columns.0 >= 1 && m.columns.0 <= m.columns.1 && m.columns.1 <= g.columns
                    );
                    assert!(m.lines.0 >= 1 && m.lines.0 <= m.lines.1 && m.lines.1 <= g.lines);
                    if let Some(c) = m.continue_to {
                        assert!(c.page >= 1 && c.page <= l.pages.len());
                    }
                }
            }
        }
        Err(e) => {
            let lines = text.split('\n').count();
            assert!(
                e.line >= 1 && e.line <= lines,
                "error at line {} of {lines}: {e}",
                e.line
            );
            assert!(e.column >= 1, "{e}");
            let _ = e.to_string();
        }
    }
});
