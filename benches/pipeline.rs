//! Benchmarks of the whole pipeline after parsing: composition (which shapes
//! and breaks every paragraph) and PDF export, on the bundled sample's front
//! page and on a generated 39-copy edition (~146,000 characters of the real
//! sample when `../shared` is present, else of the bundled sample), with its
//! paragraphs repeated and with every paragraph unique.

use std::path::PathBuf;

use broadsheet::compose;
use broadsheet::export::{self, ExportOptions};
use broadsheet::fonts::FontDb;
use broadsheet::layout;
use broadsheet::source::{self, generate, ParseOptions};
use criterion::{criterion_group, criterion_main, Criterion};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pipeline(c: &mut Criterion) {
    let mut db = FontDb::new();
    db.load_dir(&root().join("fonts")).unwrap();
    let page_layout = layout::load(&root().join("layouts/default.toml")).unwrap();
    let page =
        source::parse_file(&root().join("samples/edition.md"), &ParseOptions::default()).unwrap();

    let real = root().join("../shared/samples/yuncheng-evening.md");
    let base = if real.exists() {
        real
    } else {
        root().join("samples/edition.md")
    };
    let base = source::parse_file(&base, &ParseOptions::default()).unwrap();
    let parse = |text: String| {
        source::parse(
            text.as_bytes(),
            "edition-39.md".as_ref(),
            &ParseOptions::default(),
        )
        .unwrap()
    };
    let edition = parse(generate::repeated_edition(&base, 39));
    // Nothing recurs: every paragraph is shaped and broken.
    let unique = parse(generate::unique_edition(&base, 39));
    let edition_layout = page_layout.clone().without_plan();

    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10);
    g.bench_function("compose front page", |b| {
        b.iter(|| compose::compose(&page, &page_layout, &db).unwrap())
    });
    let composed = compose::compose(&page, &page_layout, &db).unwrap();
    g.bench_function("export front page", |b| {
        b.iter(|| {
            export::export(
                &composed.info,
                &composed.pages,
                &db,
                &ExportOptions::default(),
            )
            .unwrap()
        })
    });
    g.bench_function("compose edition x39", |b| {
        b.iter(|| compose::compose(&edition, &edition_layout, &db).unwrap())
    });
    g.bench_function("compose edition x39 unique", |b| {
        b.iter(|| compose::compose(&unique, &edition_layout, &db).unwrap())
    });
    let composed = compose::compose(&edition, &edition_layout, &db).unwrap();
    g.bench_function("export edition x39", |b| {
        b.iter(|| {
            export::export(
                &composed.info,
                &composed.pages,
                &db,
                &ExportOptions::default(),
            )
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
