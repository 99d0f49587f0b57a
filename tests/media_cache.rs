//! The prepared-picture cache (src/media/cache.rs) and loading several
//! files at once: a warm cache gives the same assets and the same PDF
//! bytes as a cold one or none, a changed file is prepared again, a
//! damaged entry is ignored and replaced, `off` writes nothing, a folder
//! that cannot be written costs nothing but the time. Each test has its
//! own cache folder; the environment variable is tested in a child
//! process, so no test changes another's environment.

#[macro_use]
mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use broadsheet::display::{DocumentInfo, Image, Item, PdfStandard, Role};
use broadsheet::export::{self, ExportOptions};
use broadsheet::media::{self, Asset, AssetData, AssetKind, LoadOptions, MediaCache};

use common::*;

/// Every fixture that loads, one of each kind and colour.
const FIXTURES: [&str; 7] = [
    "rgb.jpg",
    "progressive.jpg",
    "cmyk.jpg",
    "grey.jpg",
    "grey.png",
    "rgba.png",
    "ad.pdf",
];

/// Longer than the cache's settle time: a file changed more recently is
/// not stored.
const SETTLE: Duration = Duration::from_millis(2100);

fn fixture(name: &str) -> PathBuf {
    let p = root().join("tests/data/media").join(name);
    assert!(p.is_file(), "{} is missing (scripts/media/)", p.display());
    p
}

fn cached_in(dir: &Path) -> LoadOptions {
    LoadOptions {
        cache: MediaCache::Dir(dir.to_path_buf()),
        ..Default::default()
    }
}

fn off() -> LoadOptions {
    LoadOptions {
        cache: MediaCache::Off,
        ..Default::default()
    }
}

fn load(path: &Path, options: &LoadOptions) -> Arc<Asset> {
    Arc::new(media::load(path, 0, options).unwrap_or_else(|e| panic!("{e}")))
}

/// What an asset is, bytes included, for comparing two loads.
#[derive(PartialEq)]
struct Summary {
    kind: AssetKind,
    pixels: (u32, u32),
    natural: (f32, f32),
    form: u8,
    bytes: Vec<u8>,
}

fn summary(asset: &Asset) -> Summary {
    let (form, bytes) = match asset.data().unwrap() {
        AssetData::Jpeg(b) => (1, b),
        AssetData::Cmyk(b) => (2, b),
        AssetData::Gray(b) => (3, b),
        AssetData::Pdf(b, _) => (4, b),
    };
    Summary {
        kind: asset.kind,
        pixels: asset.pixels,
        natural: asset.natural,
        form,
        bytes: bytes.to_vec(),
    }
}

/// The entries in a cache folder, by name, with their inode (a rewrite
/// renames a new file into place).
fn entries(dir: &Path) -> Vec<(String, u64)> {
    use std::os::unix::fs::MetadataExt;
    let Ok(listing) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, u64)> = listing
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().ino(),
            )
        })
        .collect();
    found.sort();
    found
}

/// Every asset side by side on one page, exported.
fn pdf_of(assets: &[Arc<Asset>]) -> Vec<u8> {
    let items = assets
        .iter()
        .enumerate()
        .map(|(i, asset)| {
            let (x, y) = (40.0 + (i % 2) as f32 * 260.0, 40.0 + (i / 2) as f32 * 190.0);
            Item::Image(Image {
                role: if asset.kind == AssetKind::Pdf {
                    Role::Ad
                } else {
                    Role::Picture
                },
                x,
                y,
                width: 240.0,
                height: 160.0,
                placed: (x, y, 240.0, 160.0),
                asset: asset.clone(),
                ppi: asset.ppi(240.0),
                article: None,
                module: None,
            })
        })
        .collect();
    let page = a4_page(items);
    let info = DocumentInfo {
        title: "缓存".into(),
        fingerprint: "media-cache-test".into(),
        date: Some("2026-12-01".into()),
        language: Default::default(),
        article_languages: Vec::new(),
    };
    let options = ExportOptions {
        standard: PdfStandard::PdfX4,
        ..Default::default()
    };
    export::export(&info, &[page], &fonts(), &options).unwrap()
}

#[test]
fn a_warm_cache_gives_the_same_assets_and_pdf_bytes_as_a_cold_one_or_none() {
    let dir = scratch("media-cache-warm");
    let paths: Vec<PathBuf> = FIXTURES.iter().map(|n| fixture(n)).collect();
    let none: Vec<_> = paths.iter().map(|p| load(p, &off())).collect();
    let cold: Vec<_> = paths.iter().map(|p| load(p, &cached_in(&dir))).collect();
    let written = entries(&dir);
    assert_eq!(
        written.len(),
        FIXTURES.len(),
        "one entry a file: {written:?}"
    );
    let warm: Vec<_> = paths.iter().map(|p| load(p, &cached_in(&dir))).collect();
    assert_eq!(entries(&dir), written, "a warm load rewrites nothing");
    for ((name, none), (cold, warm)) in FIXTURES.iter().zip(&none).zip(cold.iter().zip(&warm)) {
        assert!(
            summary(none) == summary(cold),
            "{name}: cold differs from none"
        );
        assert!(
            summary(none) == summary(warm),
            "{name}: warm differs from none"
        );
    }
    let pdf = pdf_of(&none);
    assert!(pdf == pdf_of(&cold), "the PDF differs with a cold cache");
    assert!(pdf == pdf_of(&warm), "the PDF differs with a warm cache");
    // A tighter pixel limit still refuses a picture the cache holds.
    let small = LoadOptions {
        max_pixels: 1000,
        ..cached_in(&dir)
    };
    let refused = media::load(&paths[0], 0, &small).unwrap_err();
    assert!(
        refused.message.contains("limit of 1000 pixels"),
        "{refused}"
    );
}

#[test]
fn a_changed_file_is_prepared_again() {
    let dir = scratch("media-cache-changed");
    let picture = dir.join("picture.jpg");
    std::fs::copy(fixture("rgb.jpg"), &picture).unwrap();
    std::thread::sleep(SETTLE);
    let cache = dir.join("cache");
    assert_eq!(
        load(&picture, &cached_in(&cache)).kind,
        AssetKind::ConvertedCmyk
    );
    assert_eq!(entries(&cache).len(), 1, "a settled file is kept");
    // Another picture under the same name: new size, times and content.
    std::fs::copy(fixture("grey.jpg"), &picture).unwrap();
    let changed = load(&picture, &cached_in(&cache));
    assert!(summary(&changed) == summary(&load(&picture, &off())));
    assert_eq!(changed.kind, AssetKind::Gray);
    // The same size, only the bytes changed: still not the old entry.
    std::thread::sleep(SETTLE);
    let before = load(&picture, &cached_in(&cache));
    let mut bytes = std::fs::read(&picture).unwrap();
    // The second value of the first quantisation table, one step coarser.
    let table = bytes.windows(2).position(|w| w == [0xFF, 0xDB]).unwrap();
    let value = &mut bytes[table + 6];
    *value = if *value < 255 { *value + 1 } else { *value - 1 };
    std::fs::write(&picture, &bytes).unwrap();
    let after = load(&picture, &cached_in(&cache));
    assert!(summary(&after) == summary(&load(&picture, &off())));
    assert!(summary(&after) != summary(&before), "the edit shows");
}

#[test]
fn a_damaged_entry_is_ignored_and_replaced() {
    let dir = scratch("media-cache-damaged");
    let path = fixture("rgb.jpg");
    let good = load(&path, &cached_in(&dir));
    let found = entries(&dir);
    let [(name, _)] = &found[..] else {
        panic!("one entry: {found:?}");
    };
    let entry = dir.join(name);
    let whole = std::fs::read(&entry).unwrap();
    let mut flipped = whole.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x40;
    for damaged in [flipped, whole[..whole.len() / 2].to_vec(), Vec::new()] {
        std::fs::write(&entry, &damaged).unwrap();
        let again = load(&path, &cached_in(&dir));
        assert!(
            summary(&again) == summary(&good),
            "a damaged entry was used"
        );
        assert!(
            std::fs::read(&entry).unwrap() == whole,
            "the entry is written again whole"
        );
    }
}

#[test]
fn a_folder_that_cannot_be_written_still_loads() {
    let dir = scratch("media-cache-unwritable");
    // A folder inside a regular file cannot be made, even by root.
    let file = dir.join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let cache = cached_in(&file.join("cache"));
    for name in FIXTURES {
        let path = fixture(name);
        let asset = load(&path, &cache);
        assert!(summary(&asset) == summary(&load(&path, &off())), "{name}");
    }
}

#[test]
fn load_many_answers_each_request_in_order_as_load_does() {
    let dir = scratch("media-cache-many");
    let request = |name: &str, page| (fixture(name), page);
    let missing = root().join("tests/data/media/nothing.jpg");
    let requests = vec![
        request("rgb.jpg", 0),
        request("ad.pdf", 0),
        (missing.clone(), 0),
        request("grey.png", 0),
        request("rgb.jpg", 0),
        request("ad.pdf", 2),
        request("cmyk.jpg", 0),
    ];
    let mut library = media::Library::default();
    let results = library.load_many(&requests, &cached_in(&dir));
    assert_eq!(results.len(), requests.len());
    for ((path, page), result) in requests.iter().zip(&results) {
        match (media::load(path, *page, &off()), result) {
            (Ok(one), Ok(many)) => {
                assert!(summary(&one) == summary(many), "{}", path.display());
                assert_eq!(&many.path, path);
                let kept = library.get(path, *page).expect("kept in the library");
                assert!(Arc::ptr_eq(kept, many));
            }
            (Err(one), Err(many)) => assert_eq!(one.message, many.message),
            (one, many) => panic!("{}: {one:?} against {many:?}", path.display()),
        }
    }
    assert!(results[2].is_err() && results[5].is_err());
    let (Ok(first), Ok(again)) = (&results[0], &results[4]) else {
        panic!("rgb.jpg loads");
    };
    assert!(
        Arc::ptr_eq(first, again),
        "a file asked for twice is loaded once"
    );
    // Already loaded: the same assets, nothing loaded again.
    let twice = library.load_many(&requests[..2], &off());
    assert!(Arc::ptr_eq(twice[0].as_ref().unwrap(), first));
}

/// Set in the child process [`the_environment_names_the_folder_or_off`]
/// starts: load every fixture with the default options and stop.
const CHILD: &str = "BROADSHEET_MEDIA_CACHE_TEST_CHILD";

#[test]
fn the_environment_names_the_folder_or_off() {
    if std::env::var_os(CHILD).is_some() {
        for name in FIXTURES {
            load(&fixture(name), &LoadOptions::default());
        }
        return;
    }
    let dir = scratch("media-cache-environment");
    let home = dir.join("home");
    let named = dir.join("named");
    let child = |value: Option<&Path>| {
        let mut command = std::process::Command::new(std::env::current_exe().unwrap());
        command
            .args(["--exact", "the_environment_names_the_folder_or_off"])
            .env(CHILD, "1")
            .env("HOME", &home)
            .env_remove("XDG_CACHE_HOME");
        match value {
            Some(v) => command.env("BROADSHEET_MEDIA_CACHE", v),
            None => command.env_remove("BROADSHEET_MEDIA_CACHE"),
        };
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    child(Some(Path::new("off")));
    assert!(!home.exists() && !named.exists(), "off writes nothing");
    child(Some(&named));
    assert_eq!(entries(&named).len(), FIXTURES.len());
    assert!(!home.exists());
    child(None);
    assert_eq!(
        entries(&home.join(".cache/broadsheet/media")).len(),
        FIXTURES.len()
    );
}
