//! The font-subset cache (src/export/subset_cache.rs and the krilla patch
//! behind it): a warm cache gives the PDF byte for byte that a cold one or
//! none gives, each embedded face leaves one entry, a damaged entry is
//! refused and replaced, other characters make other entries, `off` writes
//! nothing. Each build runs the binary with its own cache folder.

#[macro_use]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Build `articles` (on the default layout, or automatically when they
/// are not the bundled sample) with the subset cache at `cache` (or `off`)
/// into `out`, and return the PDF's bytes.
fn build(cache: &str, articles: &Path, out: &Path) -> Vec<u8> {
    let mut command = Command::new(bin());
    command.args(["build", "--articles"]).arg(articles);
    if articles == bundled_sample() {
        command
            .arg("--layout")
            .arg(root().join("layouts/default.toml"));
    }
    let status = command
        .arg("-o")
        .arg(out)
        .env("BROADSHEET_SUBSET_CACHE", cache)
        .env("BROADSHEET_MEDIA_CACHE", "off")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::read(out).unwrap()
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|x| x == "subset"));
    v.sort();
    v
}

/// Embedded CID fonts of a PDF, by `pdffonts`.
fn embedded_fonts(pdf: &Path) -> usize {
    tool("pdffonts", &[pdf.to_str().unwrap()])
        .lines()
        .skip(2)
        .filter(|l| l.contains("CID"))
        .count()
}

#[test]
fn cold_warm_damaged_and_off_give_the_same_pdf() {
    let dir = scratch("subset_cache");
    let cache = dir.join("cache");
    let cache_arg = cache.to_str().unwrap();
    let sample = bundled_sample();

    let off = build("off", &sample, &dir.join("off.pdf"));
    assert!(entries(&cache).is_empty(), "`off` wrote entries");

    let cold = build(cache_arg, &sample, &dir.join("cold.pdf"));
    let made = entries(&cache);
    let faces = embedded_fonts(&dir.join("cold.pdf"));
    assert!(faces >= 3, "the sample embeds {faces} CID fonts");
    // One entry per face krilla subsets; the ad's own embedded font is
    // copied with the ad, not subset.
    assert!(
        made.len() >= 3 && made.len() <= faces,
        "{} entries for {faces} embedded fonts: {made:?}",
        made.len()
    );
    assert!(cold == off, "a cold cache changed the PDF");

    let warm = build(cache_arg, &sample, &dir.join("warm.pdf"));
    assert!(warm == off, "a warm cache changed the PDF");
    assert_eq!(entries(&cache), made, "a warm build made new entries");

    // Damage every entry in the middle of its program: each is refused,
    // the subset made again and the entry replaced.
    for path in &made {
        let mut bytes = std::fs::read(path).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x5a;
        std::fs::write(path, &bytes).unwrap();
    }
    let damaged: Vec<Vec<u8>> = made.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let mended = build(cache_arg, &sample, &dir.join("mended.pdf"));
    assert!(mended == off, "a damaged cache changed the PDF");
    for (path, before) in made.iter().zip(&damaged) {
        assert_ne!(
            &std::fs::read(path).unwrap(),
            before,
            "{} was not replaced",
            path.display()
        );
    }

    // Other characters, other subsets: the body face's entry is new.
    let other = dir.join("other.md");
    std::fs::write(
        &other,
        "# 另一篇稿件\n\n鹦鹉螺与龟兔赛跑的故事，讲述了坚持与耐心。\n",
    )
    .unwrap();
    build(cache_arg, &other, &dir.join("other.pdf"));
    assert!(
        entries(&cache).len() > made.len(),
        "a different text reused every entry"
    );
}
