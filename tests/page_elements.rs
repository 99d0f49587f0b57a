//! Issue 19 items 5–7 on real pages: the 栏目 tag, boxed and tinted
//! modules, and the full masthead (刊号, 邮发代号, 农历, weather, 导读) with
//! the folio line, checked on the display list and through the PDF's text
//! layer.

mod common;

use broadsheet::display::{Cmyk, GlyphRun, Item, Page, Rect, Role};
use common::*;

/// Every glyph run of a page with a role.
fn runs(page: &Page, role: Role) -> Vec<&GlyphRun> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(r) if r.role == role => Some(r),
            _ => None,
        })
        .collect()
}

/// Every rectangle of a page with a role.
fn rects(page: &Page, role: Role) -> Vec<&Rect> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Rect(r) if r.role == role => Some(r),
            _ => None,
        })
        .collect()
}

/// The text of a page's runs of one role, in order, spaces removed.
fn text_of(page: &Page, role: Role) -> String {
    runs(page, role)
        .iter()
        .flat_map(|r| r.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The PDF of a build written out and read back through `pdftotext -raw`,
/// whitespace removed.
fn text_layer(built: &Built, name: &str) -> String {
    let dir = scratch(name);
    let pdf = dir.join("out.pdf");
    std::fs::write(&pdf, &built.pdf).unwrap();
    pdf_text(&pdf)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The masthead texts a layout asks for, each as the text layer must
/// hold it, in the masthead's reading order.
fn expected_masthead(built: &Built) -> Vec<String> {
    let p = &built.layout.paper;
    let mut want = vec![
        format!("农历{}", p.lunar_date),
        p.weather.clone(),
        format!("国内统一刊号{}", p.cn),
        format!("邮发代号{}", p.postal_code),
        "导读".to_string(),
    ];
    for t in &p.teasers {
        want.push(format!("第{}版", t.page));
        want.push(t.title.clone());
    }
    want.into_iter().map(|s| squeeze(&s)).collect()
}

/// Every masthead text is in page 1's masthead runs and in the text layer.
fn assert_masthead(built: &Built, name: &str) {
    let page = &built.composition.pages[0];
    let masthead = text_of(page, Role::Masthead);
    let layer = text_layer(built, name);
    for want in expected_masthead(built) {
        assert!(
            masthead.contains(&want),
            "{name}: masthead lacks {want}: {masthead}"
        );
        assert!(layer.contains(&want), "{name}: the text layer lacks {want}");
    }
}

#[test]
fn bundled_masthead_shows_numbers_lunar_date_weather_and_teasers() {
    let built = build("default.toml", &bundled_sample());
    let p = &built.layout.paper;
    // 2026-11-21: the tenth month began with the new moon of 2026-11-09.
    assert_eq!(p.lunar_date, "十月十三");
    assert_eq!(p.teasers.len(), 3);
    assert!(!p.cn.is_empty() && !p.postal_code.is_empty() && !p.weather.is_empty());
    assert_masthead(&built, "elements-bundled-masthead");
    // The teasers sit in a frame between the name and the date block.
    let frame = rects(&built.composition.pages[0], Role::Masthead);
    assert_eq!(frame.len(), 1, "one frame round the 导读");
}

#[test]
fn print_sample_masthead_computes_its_lunar_date() {
    let built = build_at(&print_layout(), &print_sample());
    // 2025-09-19: 七月初一 was 2025-08-23, after the leap sixth month.
    assert_eq!(built.layout.paper.lunar_date, "七月廿八");
    let layer = text_layer(&built, "elements-print-masthead");
    assert!(layer.contains("农历七月廿八"));
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md"]
fn real_sample_masthead_shows_cn_lunar_date_weather_and_three_teasers() {
    let built = build("yuncheng.toml", &real_sample());
    assert_eq!(built.layout.paper.lunar_date, "六月廿四");
    assert_eq!(built.layout.paper.teasers.len(), 3);
    assert_masthead(&built, "elements-real-masthead");
}

#[test]
fn folio_line_names_editor_designer_and_proofreader_on_every_page() {
    let built = build("default.toml", &bundled_sample());
    let layer = text_layer(&built, "elements-folio");
    for (i, page) in built.composition.pages.iter().enumerate() {
        let want = squeeze(
            &built.layout.pages[i]
                .credits
                .line(&broadsheet::layout::masthead::SIMPLIFIED_TITLES),
        );
        assert_eq!(want, "责任编辑周文清美编林小雨校对陈立");
        let header = text_of(page, Role::RunningHeader);
        assert!(header.contains(&want), "page {}: {header}", i + 1);
        // Under the type area, inside the page.
        let g = &built.layout.grid;
        let foot = g.line_top(g.lines) + g.pitch;
        let folio = runs(page, Role::RunningHeader)
            .into_iter()
            .find(|r| r.text.starts_with("责任编辑"))
            .expect("a folio run");
        assert!(folio.y > foot && folio.y < page.height, "page {}", i + 1);
    }
    assert_eq!(layer.matches("责任编辑周文清美编林小雨校对陈立").count(), 2);
}

#[test]
fn front_line_rubric_is_a_reversed_tag_above_the_headline() {
    let built = build("default.toml", &bundled_sample());
    let article = &built.edition.articles[6];
    let rubric = article
        .front
        .rubric
        .clone()
        .expect("article 7 has a rubric");
    let page = &built.composition.pages[0];
    let tag = runs(page, Role::Rubric);
    assert!(!tag.is_empty(), "no rubric run");
    assert!(tag
        .iter()
        .all(|r| r.article == Some(7) && r.color == Cmyk::WHITE));
    assert_eq!(text_of(page, Role::Rubric), squeeze(&rubric));
    // White on black: its ground is drawn first, holds the text, and the
    // headline starts below it.
    let ground = rects(page, Role::Rubric);
    assert_eq!(ground.len(), 1);
    let g = ground[0];
    assert_eq!(g.fill, Some(Cmyk::BLACK));
    let ground_at = page
        .items
        .iter()
        .position(|i| matches!(i, Item::Rect(r) if r.role == Role::Rubric));
    let text_at = page
        .items
        .iter()
        .position(|i| matches!(i, Item::Glyphs(r) if r.role == Role::Rubric));
    assert!(ground_at < text_at);
    for r in &tag {
        assert!(r.x >= g.x && r.end_x() <= g.x + g.width + 0.01);
        assert!(r.y > g.y && r.y < g.y + g.height);
    }
    let headline = runs(page, Role::Headline)
        .into_iter()
        .filter(|r| r.article == Some(7))
        .map(|r| r.y - r.size)
        .fold(f32::INFINITY, f32::min);
    assert!(g.y + g.height <= headline, "the headline overlaps the tag");
    // Left-aligned with the module, on whole grid lines above the headline.
    let module = page.modules.iter().find(|m| m.article == Some(7)).unwrap();
    assert!((g.x - module.x).abs() < 0.01);
    // Read before the headline in the text layer.
    let layer = text_layer(&built, "elements-rubric");
    let at = layer
        .find(&squeeze(&rubric))
        .expect("rubric in the text layer");
    let head = layer
        .find(&squeeze(&article.headline.concat()))
        .expect("headline");
    assert!(at < head);
}

#[test]
fn a_kicker_the_layout_names_is_set_as_the_rubric_and_not_as_a_kicker() {
    let dir = scratch("elements-rubric-names");
    let layout = std::fs::read_to_string(root().join("layouts/default.toml")).unwrap();
    let layout =
        bundled_media_absolute(&layout) + "\n[rubric]\nnames = [\"民生观察\"]\nlook = \"boxed\"\n";
    let path = dir.join("layout.toml");
    std::fs::write(&path, layout).unwrap();
    // Article 7's front line names its rubric; give article 2 a kicker
    // the layout lists.
    let text = std::fs::read_to_string(bundled_sample()).unwrap();
    let text = text.replacen("## 地铁2号线", "### 民生观察\n\n## 地铁2号线", 1);
    let articles = dir.join("edition.md");
    std::fs::write(&articles, text).unwrap();
    copy_dir(&root().join("samples/media"), &dir.join("media"));
    let built = build_at(&path, &articles);
    let page = &built.composition.pages[0];
    let tag: Vec<_> = runs(page, Role::Rubric)
        .into_iter()
        .filter(|r| r.article == Some(2))
        .collect();
    assert!(!tag.is_empty(), "article 2's kicker is not a tag");
    assert!(tag.iter().all(|r| r.color == Cmyk::BLACK));
    assert!(runs(page, Role::Kicker)
        .iter()
        .all(|r| r.article != Some(2)));
    let boxes: Vec<_> = rects(page, Role::Rubric)
        .into_iter()
        .filter(|r| r.fill.is_none() && r.stroke == Some(Cmyk::BLACK))
        .collect();
    assert_eq!(boxes.len(), 2, "both tags are boxed");
}

/// The bundled sample's tinted module: article 4.
const TINTED: usize = 4;

#[test]
fn tinted_box_lies_beneath_its_text_and_keeps_it_on_the_grid() {
    let built = build("default.toml", &bundled_sample());
    let page = &built.composition.pages[0];
    let g = &built.layout.grid;
    let spec = built.layout.pages[0]
        .modules
        .iter()
        .find(|m| m.boxing.tint.is_some())
        .expect("a tinted module");
    assert_eq!(spec.boxing.padding, 1);
    let tints = rects(page, Role::Tint);
    assert_eq!(tints.len(), 1);
    let tint = tints[0];
    assert_eq!(tint.fill, Some(Cmyk(0.0, 0.0, 0.0, 10.0)));
    // Beneath: drawn before any text or picture of the module.
    let tint_at = page
        .items
        .iter()
        .position(|i| matches!(i, Item::Rect(r) if r.role == Role::Tint))
        .unwrap();
    let first_own = page
        .items
        .iter()
        .position(|i| match i {
            Item::Glyphs(r) => r.article == Some(TINTED),
            Item::Image(im) => im.article == Some(TINTED),
            _ => false,
        })
        .unwrap();
    assert!(tint_at < first_own);
    // Padding: body text one 字 inside the columns' box and on the grid,
    // at least one whole grid line below the box's top.
    let body = runs(page, Role::Body);
    let own: Vec<_> = body.iter().filter(|r| r.article == Some(TINTED)).collect();
    assert!(!own.is_empty());
    let inner_left = tint.x + g.gutter() / 2.0 + g.body_size;
    let inner_right = tint.x + tint.width - g.gutter() / 2.0 - g.body_size;
    for r in &own {
        assert!(
            r.x >= inner_left - 0.01,
            "body at {} left of {inner_left}",
            r.x
        );
        assert!(
            r.end_x() <= inner_right + 0.01,
            "body ends at {} past {inner_right}",
            r.end_x()
        );
        let k = r.grid_line.expect("body on the grid");
        assert!((r.y - g.baseline(k)).abs() < 0.01, "baseline off the grid");
        assert!(g.line_top(k) >= tint.y + g.pitch - 0.01);
        assert!(g.line_top(k) + g.pitch <= tint.y + tint.height - g.pitch + 0.01);
    }
    // The headline moves in too.
    for r in runs(page, Role::Headline)
        .iter()
        .filter(|r| r.article == Some(TINTED))
    {
        assert!(r.x >= inner_left - 0.01 && r.end_x() <= inner_right + 0.01);
        assert!(r.y - r.size >= tint.y + g.pitch - 0.01);
    }
    // Thick-thin: a thick frame on the tint's edge and a thin one inside.
    let frames: Vec<_> = rects(page, Role::ModuleRule)
        .into_iter()
        .filter(|r| r.stroke.is_some() && (r.x - tint.x).abs() < 5.0 && (r.y - tint.y).abs() < 5.0)
        .collect();
    assert_eq!(frames.len(), 2, "{frames:?}");
    assert!(frames[0].stroke_width > frames[1].stroke_width);
    assert!(frames[1].x > frames[0].x && frames[1].width < frames[0].width);
}

/// The bundled layout with the tinted module's frame in another rule
/// style, built.
fn with_rule(rule: &str, name: &str) -> Built {
    let dir = scratch(name);
    let layout = std::fs::read_to_string(root().join("layouts/default.toml")).unwrap();
    let layout = bundled_media_absolute(&layout)
        .replace("boxed = \"thick-thin\"", &format!("boxed = \"{rule}\""));
    let path = dir.join("layout.toml");
    std::fs::write(&path, layout).unwrap();
    build_at(&path, &bundled_sample())
}

#[test]
fn double_and_dotted_frames_are_drawn_in_their_style() {
    let double = with_rule("double", "elements-double");
    let tint = rects(&double.composition.pages[0], Role::Tint)[0].clone();
    let near = |x: f32, y: f32| (x - tint.x).abs() < 5.0 && (y - tint.y).abs() < 5.0;
    let frames: Vec<_> = rects(&double.composition.pages[0], Role::ModuleRule)
        .into_iter()
        .filter(|r| r.stroke.is_some() && near(r.x, r.y))
        .collect();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0].stroke_width, frames[1].stroke_width);
    let dotted = with_rule("dotted", "elements-dotted");
    let page = &dotted.composition.pages[0];
    assert!(rects(page, Role::ModuleRule)
        .iter()
        .all(|r| !near(r.x, r.y)));
    let dots: Vec<_> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rule(r)
                if r.role == Role::ModuleRule
                    && (r.x1 - r.x0 - r.width).abs() < 0.01
                    && r.y0 == r.y1 =>
            {
                Some(r)
            }
            _ => None,
        })
        .collect();
    // Square dots all round the box: on its top, bottom, left and right.
    let on = |f: &dyn Fn(&&broadsheet::display::Rule) -> bool| dots.iter().filter(|d| f(d)).count();
    assert!(on(&|d| (d.y0 - tint.y).abs() < 0.01) > 10);
    assert!(on(&|d| (d.y0 - tint.y - tint.height).abs() < 0.01) > 10);
    assert!(on(&|d| ((d.x0 + d.x1) / 2.0 - tint.x).abs() < 0.01) > 10);
    assert!(on(&|d| ((d.x0 + d.x1) / 2.0 - tint.x - tint.width).abs() < 0.01) > 10);
}
