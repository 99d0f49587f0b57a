//! The free area of a page with fixed modules (a page's own modules,
//! placed by hand): the rectangles guillotine cuts that pass no fixed
//! module leave, in reading order, for the search to fill.

use super::guillotine::Region;

/// The free rectangles of `area` around `fixed` ones, in reading order, as
/// guillotine cuts that cross no fixed rectangle find them; `None` when
/// the fixed rectangles allow no such cuts (a pinwheel).
pub fn free_regions(area: Region, fixed: &[Region]) -> Option<Vec<Region>> {
    let inside: Vec<Region> = fixed
        .iter()
        .copied()
        .filter(|f| overlaps(area, *f))
        .collect();
    if inside.is_empty() {
        return Some(vec![area]);
    }
    if inside.iter().any(|f| covers(*f, area)) {
        return Some(Vec::new());
    }
    let cuts_across = inside
        .iter()
        .flat_map(|f| [f.line, f.line + f.lines])
        .filter(|&y| y > area.line && y < area.line + area.lines)
        .filter(|&y| inside.iter().all(|f| y <= f.line || y >= f.line + f.lines));
    let mut across: Vec<u32> = cuts_across.collect();
    across.sort_unstable();
    if let Some(&y) = across.first() {
        let top = Region {
            lines: y - area.line,
            ..area
        };
        let bottom = Region {
            line: y,
            lines: area.line + area.lines - y,
            ..area
        };
        let mut out = free_regions(top, &inside)?;
        out.extend(free_regions(bottom, &inside)?);
        return Some(out);
    }
    let mut down: Vec<u32> = inside
        .iter()
        .flat_map(|f| [f.column, f.column + f.columns])
        .filter(|&x| x > area.column && x < area.column + area.columns)
        .filter(|&x| {
            inside
                .iter()
                .all(|f| x <= f.column || x >= f.column + f.columns)
        })
        .collect();
    down.sort_unstable();
    let &x = down.first()?;
    let left = Region {
        columns: x - area.column,
        ..area
    };
    let right = Region {
        column: x,
        columns: area.column + area.columns - x,
        ..area
    };
    let mut out = free_regions(left, &inside)?;
    out.extend(free_regions(right, &inside)?);
    Some(out)
}

/// The two rectangles share a grid cell.
pub(super) fn overlaps(a: Region, b: Region) -> bool {
    a.column < b.column + b.columns
        && b.column < a.column + a.columns
        && a.line < b.line + b.lines
        && b.line < a.line + a.lines
}

/// `outer` covers all of `inner`.
pub(super) fn covers(outer: Region, inner: Region) -> bool {
    outer.column <= inner.column
        && outer.line <= inner.line
        && outer.column + outer.columns >= inner.column + inner.columns
        && outer.line + outer.lines >= inner.line + inner.lines
}
