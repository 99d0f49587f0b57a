//! Throughput of the text and paragraph stages on the real sample page:
//! every paragraph shaped (Noto Serif CJK SC, 9 pt) and broken at 13
//! characters per line. Reports characters per second (issue 3, issue 7).

use std::path::PathBuf;

use broadsheet::fonts::FontDb;
use broadsheet::paragraph::{break_lines, ParagraphSettings};
use broadsheet::text::{FontChain, Shaper, StyleSpan};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Paragraphs of the sample: blank-line-separated blocks, headings skipped.
fn paragraphs() -> Vec<String> {
    let path = root().join("../shared/samples/yuncheng-evening.md");
    let src = std::fs::read_to_string(&path)
        .or_else(|_| std::fs::read_to_string(root().join("samples/edition.md")))
        .unwrap_or_else(|_| {
            "运城晚报讯（记者 李婷）近日，市妇联召开“绿色家庭”创建工作推进会。".repeat(20)
        });
    src.split("\n\n")
        .map(|b| {
            b.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect::<String>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut db = FontDb::new();
    db.load_dir(&root().join("fonts")).unwrap();
    let chain = FontChain {
        faces: vec![db.find("Noto Serif CJK SC", 400).unwrap()],
        size: 9.0,
        locale: Default::default(),
    };
    let paras = paragraphs();
    let chars: usize = paras.iter().map(|p| p.chars().count()).sum();
    let settings = ParagraphSettings::default();
    let spans = |p: &str| {
        vec![StyleSpan {
            range: 0..p.len(),
            chain: chain.clone(),
        }]
    };
    let mut group = c.benchmark_group("sample");
    group.throughput(Throughput::Elements(chars as u64));
    // Warm shaper, as the composer keeps one for a whole edition.
    let mut shaper = Shaper::new(&db);
    let shaped: Vec<_> = paras.iter().map(|p| shaper.shape(p, &spans(p))).collect();
    group.bench_function("shape", |b| {
        b.iter(|| {
            for p in &paras {
                std::hint::black_box(shaper.shape(p, &spans(p)));
            }
        })
    });
    // What `text::shape` costs per call: faces parsed afresh each time.
    group.bench_function("shape (text::shape, no cache)", |b| {
        b.iter(|| {
            for p in &paras {
                std::hint::black_box(broadsheet::text::shape(p, &spans(p), &db));
            }
        })
    });
    group.bench_function("break_lines", |b| {
        b.iter(|| {
            for s in &shaped {
                std::hint::black_box(break_lines(s, 117.0, &settings));
            }
        })
    });
    group.bench_function("shape+break", |b| {
        b.iter(|| {
            for p in &paras {
                let s = shaper.shape(p, &spans(p));
                std::hint::black_box(break_lines(&s, 117.0, &settings));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
