//! The units pass of `prepare`: one [`Unit`] per shaped cluster, with its
//! box width after the punctuation style (CJK-RULES §2) and, for spaces,
//! the width its neighbours ask for (§4).

use super::prepare::{PushIn, Unit};
use super::PunctStyle;
use crate::chars::is_cjk;
use crate::text::{CharClass, Cluster};

/// The units of a paragraph, spaces sized. `em` is the paragraph's em,
/// for clusters without a size of their own.
pub(super) fn units(text: &str, clusters: &[Cluster], em: f32, style: PunctStyle) -> Vec<Unit> {
    let mut units: Vec<Unit> = clusters.iter().map(|c| unit(text, c, em, style)).collect();
    size_spaces(&mut units);
    units
}

fn unit(text: &str, c: &Cluster, em: f32, style: PunctStyle) -> Unit {
    let ch = text[c.range.start..].chars().next().unwrap_or(' ');
    let uem = if c.size > 0.0 { c.size } else { em };
    let mut u = Unit {
        class: c.class,
        ch,
        w: c.advance.max(0.0),
        lb: 0.0,
        rb: 0.0,
        dx: 0.0,
        min: 0.0,
        max: 0.0,
        counts: !c.class.is_cjk_punct()
            && !matches!(
                c.class,
                CharClass::Space | CharClass::Control | CharClass::Mark
            ),
        push_in: PushIn::None,
        push_cap: 0.0,
        em: uem,
        cjk: false,
    };
    u.cjk = cjk_side(&u);
    if c.missing {
        u.class = CharClass::Han;
        u.counts = true;
    } else if c.class.is_compressible() && (c.advance - uem).abs() <= 0.1 * uem {
        full_width_mark(&mut u, c, style);
    }
    u
}

/// A full-width mark: is half of its cell really blank? Fonts that centre
/// 、，。 (Taiwan, Hong Kong) must not be compressed. Then the style decides
/// whether that blank goes for good (kaiming, banjiao), stays removable
/// (quanjiao) or stays (plain).
fn full_width_mark(u: &mut Unit, c: &Cluster, style: PunctStyle) {
    let uem = u.em;
    let half = 0.5 * c.advance;
    let (lo, hi) = c.ink.map_or((half, half), |[l, r]| (l, r));
    let tol = 0.05 * uem;
    let (lb, rb) = match c.class {
        CharClass::Opening if lo >= half - tol => (half, 0.0),
        CharClass::Closing | CharClass::Stop if hi <= half + tol => (0.0, half),
        _ => (0.0, 0.0),
    };
    let permanent = match style {
        PunctStyle::Plain => false,
        PunctStyle::Quanjiao => false,
        PunctStyle::Kaiming => !is_full_stop(u.ch),
        PunctStyle::Banjiao => true,
    };
    if style == PunctStyle::Plain {
        // no adjustment at all
    } else if permanent {
        u.w -= lb + rb;
        u.dx = -lb;
    } else {
        u.lb = lb;
        u.rb = rb;
    }
    if style == PunctStyle::Quanjiao {
        u.push_in = match c.class {
            CharClass::Opening | CharClass::Closing => PushIn::Bracket,
            CharClass::Stop if matches!(u.ch, '，' | '、' | '；' | '：') => PushIn::Comma,
            _ => PushIn::None,
        };
    }
}

/// Spaces: a word space between Latin words is ⅓ em (¼–½, CJK-RULES §4);
/// a space between two Chinese characters (`记者 李婷`) is a full cell
/// that may shrink to ½ em, so the line stays on the grid. The neighbours
/// of each run of spaces are found in two linear passes.
fn size_spaces(units: &mut [Unit]) {
    let n = units.len();
    let mut prev_cjk = vec![false; n];
    let mut last = None;
    for (k, u) in units.iter().enumerate() {
        prev_cjk[k] = last.unwrap_or(false);
        if u.class != CharClass::Space {
            last = Some(u.cjk);
        }
    }
    let mut next = None;
    for k in (0..n).rev() {
        let u = &mut units[k];
        if u.class == CharClass::Space {
            let chinese = prev_cjk[k] && next.unwrap_or(false);
            let uem = u.em;
            let (w, min, max) = if chinese {
                (uem, 0.5 * uem, uem)
            } else {
                (uem / 3.0, uem / 4.0, uem / 2.0)
            };
            u.w = w;
            u.min = min;
            u.max = max;
        } else {
            next = Some(u.cjk);
        }
    }
}

fn is_full_stop(ch: char) -> bool {
    matches!(ch, '。' | '？' | '！' | '．' | '｡')
}

/// Side of a boundary that makes it Chinese (so breaks are allowed by
/// default and only the prohibition table removes them): [`is_cjk`], the
/// Chinese marks by class, and `—`, which [`is_cjk`] leaves to its
/// neighbours but which breaks like Chinese.
fn cjk_side(u: &Unit) -> bool {
    is_cjk(u.ch)
        || matches!(
            u.class,
            CharClass::Opening
                | CharClass::Closing
                | CharClass::Stop
                | CharClass::Iteration
                | CharClass::Ellipsis
                | CharClass::Interpunct
        )
        || u.ch == '—'
}
