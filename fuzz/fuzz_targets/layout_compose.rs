//! A fuzzed layout composing a fixed two-article edition with the bundled
//! fonts: never a panic, every coordinate a number.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use broadsheet::source::{self, Edition, ParseOptions};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const ARTICLES: &str = "### 引题\n# 清河新区 开通首条环线公交\n### 副题在此\n\n清河晚报讯(记者 王明)11月20日上午,清河新区首条环线公交正式开通。全程约18公里,沿途设站26个,“绿色出行”成为新风尚。\n\n市民表示:“以后去医院方便多了!”\n\n记者 王明\n\n## 城市书房再添新址\n\n清河晚报讯(记者 李华)第十二家城市书房开门迎客,藏书3,000余册,开放时间为7:30至21:00。\n";

fn edition() -> &'static Edition {
    static E: OnceLock<Edition> = OnceLock::new();
    E.get_or_init(|| {
        source::parse(
            ARTICLES.as_bytes(),
            Path::new("fuzz.md"),
            &ParseOptions::default(),
        )
        .expect("fixed articles")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(layout) = broadsheet::layout::parse(text, Path::new("fuzz.toml")) else {
        return;
    };
    let db = common::db();
    let _ = broadsheet::compose::check(edition(), &layout, db);
    if let Ok(c) = broadsheet::compose::compose(edition(), &layout, db) {
        common::assert_finite(&c);
        let _ = c.report.to_text();
    }
});
