//! `[paper]` and `[masthead]` → [`Paper`]: the texts of the masthead, the
//! running headers and the PDF's metadata, the edition's ISO date and
//! 农历 date, and the 导读 teasers.

use toml::Spanned;

use super::error::{LayoutError, Locator};
use super::lunar;
use super::model::{Paper, Teaser};
use super::raw::{RawMasthead, RawPaper, RawTeaser};

/// `YYYY-MM-DD` as a date of the (proleptic Gregorian) calendar, years
/// 1000–9999 as PDF dates hold them; otherwise what is wrong with it.
pub fn parse_iso_date(s: &str) -> Result<(u16, u8, u8), String> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return Err("is not written YYYY-MM-DD".into());
    }
    let (y, m, d): (u16, u8, u8) = (
        s[0..4].parse().map_err(|_| "has no year")?,
        s[5..7].parse().map_err(|_| "has no month")?,
        s[8..10].parse().map_err(|_| "has no day")?,
    );
    if y < 1000 {
        return Err(format!("has the year {y}; PDF dates need 1000–9999"));
    }
    if !(1..=12).contains(&m) {
        return Err(format!("has the month {m}; months are 01–12"));
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days).contains(&d) {
        return Err(format!("has the day {d}; {y}-{m:02} has {days} days"));
    }
    Ok((y, m, d))
}

/// A text of the layout that is printed (the paper's texts, teasers, a
/// page's folio names): control characters print as nothing (or a box)
/// and are not allowed in XML metadata, so they are refused.
pub(super) fn printable(
    v: &Spanned<String>,
    key: &str,
    loc: &Locator,
) -> Result<String, LayoutError> {
    if let Some((i, c)) = v
        .get_ref()
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control())
    {
        return Err(loc.error(
            v.span(),
            format!(
                "{key} holds the control character U+{:04X} (character {})",
                c as u32,
                i + 1
            ),
            Some(
                "remove it; a line break or tab cannot be printed in the masthead or folio".into(),
            ),
        ));
    }
    Ok(v.get_ref().clone())
}

/// A name of a page's folio line (`pages[N].editor`…, `page` 0-based),
/// printable; empty when not written.
pub(super) fn folio_name(
    v: &Option<Spanned<String>>,
    page: usize,
    key: &str,
    loc: &Locator,
) -> Result<String, LayoutError> {
    match v {
        Some(v) => printable(v, &format!("pages[{}].{key}", page + 1), loc),
        None => Ok(String::new()),
    }
}

/// The highest page a 导读 may name: a paper of more pages than this is
/// not printed in one edition.
const TEASER_PAGE_MAX: i64 = 999;

/// `[paper]` and `[masthead]` → [`Paper`]: every text printable, the ISO
/// date a calendar date, the 农历 date computed from it when not written
/// (in the script of `locale`), and each 导读 a title and a page.
pub(super) fn resolve_paper(
    raw: &RawPaper,
    masthead: &RawMasthead,
    locale: crate::fonts::Locale,
    loc: &Locator,
) -> Result<Paper, LayoutError> {
    let text = |v: &Option<Spanned<String>>, key: &str, default: &str| match v {
        Some(v) => printable(v, &format!("paper.{key}"), loc),
        None => Ok(default.to_string()),
    };
    let iso_date = match &raw.iso_date {
        Some(d) => Some((
            d,
            parse_iso_date(d.get_ref()).map_err(|why| {
                loc.error(
                    d.span(),
                    format!("paper.iso_date `{}` {why}", d.get_ref().escape_debug()),
                    Some(
                        "write the edition's date as YYYY-MM-DD, e.g. iso_date = \"2026-11-29\""
                            .into(),
                    ),
                )
            })?,
        )),
        None => None,
    };
    let lunar_date = match (&raw.lunar_date, &iso_date) {
        (Some(v), _) => printable(v, "paper.lunar_date", loc)?,
        (None, Some((d, (y, m, day)))) => {
            let outside = || {
                loc.error(
                    d.span(),
                    format!(
                        "paper.iso_date {} has no 农历 date: the calendar's tables cover {}",
                        d.get_ref(),
                        lunar::RANGE
                    ),
                    Some(
                        "write paper.lunar_date = \"六月廿四\" yourself, or lunar_date = \"\" for none"
                            .into(),
                    ),
                )
            };
            lunar::lunar_date(*y, *m, *day, locale).ok_or_else(outside)?
        }
        (None, None) => String::new(),
    };
    let teasers = masthead
        .teasers
        .iter()
        .enumerate()
        .map(|(i, t)| teaser(t.get_ref(), i + 1, loc))
        .collect::<Result<_, _>>()?;
    Ok(Paper {
        name: text(&raw.name, "name", "清河晚报")?,
        date: text(&raw.date, "date", "")?,
        weekday: text(&raw.weekday, "weekday", "")?,
        issue: text(&raw.issue, "issue", "")?,
        iso_date: iso_date.map(|(d, _)| d.get_ref().clone()),
        cn: text(&raw.cn, "cn", "")?,
        postal_code: text(&raw.postal_code, "postal_code", "")?,
        lunar_date,
        weather: text(&raw.weather, "weather", "")?,
        teasers,
    })
}

/// One `[[masthead.teasers]]` entry (1-based `n`): a printable title that
/// is not blank and a page from 1 to [`TEASER_PAGE_MAX`].
fn teaser(raw: &RawTeaser, n: usize, loc: &Locator) -> Result<Teaser, LayoutError> {
    let key = format!("masthead.teasers[{n}]");
    let title = printable(&raw.title, &format!("{key}.title"), loc)?;
    if title.trim().is_empty() {
        return Err(loc.error(
            raw.title.span(),
            format!("{key}.title is empty"),
            Some("write the story's title as the 导读 prints it, or remove the teaser".into()),
        ));
    }
    let page = *raw.page.get_ref();
    if !(1..=TEASER_PAGE_MAX).contains(&page) {
        return Err(loc.error(
            raw.page.span(),
            format!("{key}.page = {page} is not a page"),
            Some(format!(
                "write the page the story is on, 1 to {TEASER_PAGE_MAX}"
            )),
        ));
    }
    Ok(Teaser {
        title: title.trim().to_string(),
        page: page as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_calendar_dates() {
        assert_eq!(parse_iso_date("2026-11-29"), Ok((2026, 11, 29)));
        assert_eq!(parse_iso_date("2024-02-29"), Ok((2024, 2, 29)));
        assert_eq!(parse_iso_date("2000-02-29"), Ok((2000, 2, 29)));
        assert!(parse_iso_date("1900-02-29")
            .unwrap_err()
            .contains("28 days"));
        assert!(parse_iso_date("2026-02-29").is_err());
        assert!(parse_iso_date("2026-13-45")
            .unwrap_err()
            .contains("month 13"));
        assert!(parse_iso_date("2026-04-31")
            .unwrap_err()
            .contains("30 days"));
        assert!(parse_iso_date("2026-00-10").is_err());
        assert!(parse_iso_date("0999-01-01").is_err());
        assert!(parse_iso_date("2026-1-1").is_err());
        assert!(parse_iso_date("<a>&b</a>").is_err());
        assert!(parse_iso_date("２０２６-11-29").is_err());
    }
}
