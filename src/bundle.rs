//! Where the files shipped with broadsheet are found: the bundled fonts, the
//! default layout and the sample edition.
//!
//! They are looked up beside the executable (the checkout a `cargo build`
//! ran in, or a copy of `fonts/`, `layouts/` and `samples/` next to an
//! installed binary or in its `../share/broadsheet/`), then in the checkout
//! the binary was compiled from. Never in the current folder: an unrelated
//! `fonts/` where a user happens to run the command must not change a build.
//! `BROADSHEET_HOME` names the folder explicitly.

use std::path::{Path, PathBuf};

/// Folders that may hold the bundled files, most specific first.
fn candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(home) = std::env::var_os("BROADSHEET_HOME") {
        out.push(PathBuf::from(home));
        // An explicit home is the only place looked at.
        return out;
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.canonicalize().ok())
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        // target/release/broadsheet and target/release/deps/… sit two or
        // three folders below the checkout.
        for dir in exe_dir.ancestors().take(4) {
            out.push(dir.to_path_buf());
            out.push(dir.join("share/broadsheet"));
        }
    }
    out.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    out
}

/// The bundled file or folder `relative` (e.g. `fonts`,
/// `layouts/default.toml`): the first candidate folder holding it, or the
/// compile-time checkout's path (whose absence the reader reports).
pub fn path(relative: &str) -> PathBuf {
    // A folder counts only when it holds the fonts and layouts together, so
    // a stray `fonts/` beside an installed binary is not mistaken for ours.
    let complete = |dir: &Path| dir.join("fonts").is_dir() && dir.join("layouts").is_dir();
    candidates()
        .into_iter()
        .find(|dir| complete(dir) && dir.join(relative).exists())
        .map(|dir| dir.join(relative))
        .unwrap_or_else(|| {
            std::env::var_os("BROADSHEET_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
                .join(relative)
        })
}
