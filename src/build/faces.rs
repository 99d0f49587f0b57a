//! The fonts a build shapes with: the bundled faces, which depend on no
//! input and load while the inputs are read, then the folders and files the
//! layout names, each error at its layout key.

use super::{input_error, layout_error};
use crate::fonts::{self, FontDb};
use crate::layout::Layout;

/// The bundled fonts.
pub(super) fn load_bundled_fonts() -> anyhow::Result<FontDb> {
    let mut db = FontDb::new();
    db.load_dir(&fonts::bundled_font_dir())
        .map_err(input_error)?;
    Ok(db)
}

/// The folders and files the layout names, after the bundled fonts in `db`.
pub(super) fn add_layout_fonts(mut db: FontDb, layout: &Layout) -> anyhow::Result<FontDb> {
    for (dir, span) in &layout.font_dirs {
        db.load_dir(dir)
            .map_err(|e| layout_error(layout.locator().error(span.clone(), e.to_string(), None)))?;
    }
    for f in &layout.font_files {
        db.load_file(&f.path, f.index).map_err(|e| {
            layout_error(layout.locator().error(
                f.span.clone(),
                e.to_string(),
                Some("check the path and face index under [fonts] files".into()),
            ))
        })?;
    }
    Ok(db)
}
