//! Generate a large edition for benchmarks: the articles of a sample file
//! repeated N times, each copy with its paragraphs in a different order.
//!
//! `gen-edition SAMPLE.md COPIES OUT.md [--unique]` — 39 copies of the real
//! sample's five articles make the ~146,000-character edition of issue 7.
//! With `--unique` every copy's paragraphs are also rotated character-wise,
//! so no paragraph recurs and nothing can be shared between copies.

use std::process::ExitCode;

use broadsheet::source::{self, ParseOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let unique = match args.get(4).map(String::as_str) {
        None => false,
        Some("--unique") => true,
        Some(_) => {
            eprintln!("usage: gen-edition SAMPLE.md COPIES OUT.md [--unique]");
            return ExitCode::from(2);
        }
    };
    if args.len() != 4 && args.len() != 5 {
        eprintln!("usage: gen-edition SAMPLE.md COPIES OUT.md [--unique]");
        return ExitCode::from(2);
    }
    let copies: usize = match args[2].parse() {
        Ok(n) if n > 0 => n,
        _ => {
            eprintln!("COPIES must be a positive number");
            return ExitCode::from(2);
        }
    };
    let edition = match source::parse_file(args[1].as_ref(), &ParseOptions::default()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let out = if unique {
        source::generate::unique_edition(&edition, copies)
    } else {
        source::generate::repeated_edition(&edition, copies)
    };
    let chars = edition
        .articles
        .iter()
        .flat_map(|a| &a.paragraphs)
        .map(|p| p.chars().count())
        .sum::<usize>()
        * copies;
    if let Err(e) = std::fs::write(&args[3], out) {
        eprintln!("cannot write {}: {e}", args[3]);
        return ExitCode::from(2);
    }
    eprintln!(
        "wrote {} ({} articles, {chars} body characters)",
        args[3],
        copies * edition.articles.len()
    );
    ExitCode::SUCCESS
}
