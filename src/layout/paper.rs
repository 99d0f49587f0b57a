//! `[paper]` → [`Paper`]: the texts of the masthead, the running headers
//! and the PDF's metadata, and the edition's ISO date.

use toml::Spanned;

use super::error::{LayoutError, Locator};
use super::model::Paper;
use super::raw::RawPaper;

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

/// The paper's texts go into the masthead, the running headers and the
/// PDF's title: refuse control characters, which print as nothing (or a
/// box) and are not allowed in XML metadata; check the ISO date.
pub(super) fn resolve_paper(raw: &RawPaper, loc: &Locator) -> Result<Paper, LayoutError> {
    let text = |v: &Option<Spanned<String>>, key: &str, default: &str| {
        let Some(v) = v else {
            return Ok(default.to_string());
        };
        if let Some((i, c)) = v
            .get_ref()
            .chars()
            .enumerate()
            .find(|(_, c)| c.is_control())
        {
            return Err(loc.error(
                v.span(),
                format!(
                    "paper.{key} holds the control character U+{:04X} (character {})",
                    c as u32,
                    i + 1
                ),
                Some("remove it; a line break or tab cannot be printed in the masthead".into()),
            ));
        }
        Ok(v.get_ref().clone())
    };
    let iso_date = match &raw.iso_date {
        Some(d) => {
            parse_iso_date(d.get_ref()).map_err(|why| {
                loc.error(
                    d.span(),
                    format!("paper.iso_date `{}` {why}", d.get_ref().escape_debug()),
                    Some(
                        "write the edition's date as YYYY-MM-DD, e.g. iso_date = \"2026-11-29\""
                            .into(),
                    ),
                )
            })?;
            Some(d.get_ref().clone())
        }
        None => None,
    };
    Ok(Paper {
        name: text(&raw.name, "name", "清河晚报")?,
        date: text(&raw.date, "date", "")?,
        weekday: text(&raw.weekday, "weekday", "")?,
        issue: text(&raw.issue, "issue", "")?,
        iso_date,
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
