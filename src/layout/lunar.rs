//! The 农历 (Chinese lunisolar) date printed in the masthead, from the
//! edition's ISO date: month and day as a mainland paper prints them
//! (`六月廿四`, `闰二月初一`, `腊月三十`).
//!
//! The month lengths, leap months and new-year offsets are the tables of
//! the `chinese-lunisolar-calendar` crate (MIT), which cover the solar
//! dates 1901-02-19 to 2101-01-28; outside them there is no 农历 to print.

use chinese_lunisolar_calendar::{ChineseVariant, LunisolarDate, SolarDate};

use crate::fonts::Locale;

/// The years the calendar's tables cover, for messages.
pub const RANGE: &str = "1901-02-19 to 2101-01-28";

/// The 农历 month and day of a Gregorian date (`六月廿四`), in the script
/// of `locale` (`閏二月初一` on a Traditional page), or `None` outside
/// [`RANGE`].
pub fn lunar_date(year: u16, month: u8, day: u8, locale: Locale) -> Option<String> {
    let variant = match locale.is_hant() {
        true => ChineseVariant::Traditional,
        false => ChineseVariant::Simple,
    };
    let solar = SolarDate::from_ymd(year, month, day).ok()?;
    let lunar = LunisolarDate::from_solar_date(solar).ok()?;
    Some(format!(
        "{}{}",
        lunar.to_lunar_month().to_str(variant),
        lunar.to_lunar_day().to_str()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dates whose 农历 is known from the published calendar: festivals
    /// (春节 正月初一, 端午 五月初五, 中秋 八月十五, 除夕), the first and
    /// last days of leap months, and the edition dates of the samples.
    const KNOWN: &[((u16, u8, u8), &str)] = &[
        ((2022, 7, 22), "六月廿四"),
        ((2023, 3, 22), "闰二月初一"),
        ((2023, 4, 19), "闰二月廿九"),
        ((2023, 4, 20), "三月初一"),
        ((2020, 5, 23), "闰四月初一"),
        ((2017, 7, 23), "闰六月初一"),
        ((2025, 7, 25), "闰六月初一"),
        ((2012, 5, 21), "闰四月初一"),
        ((2014, 10, 24), "闰九月初一"),
        ((2000, 2, 5), "正月初一"),
        ((2019, 2, 5), "正月初一"),
        ((2020, 1, 25), "正月初一"),
        ((2021, 2, 12), "正月初一"),
        ((2022, 2, 1), "正月初一"),
        ((2023, 1, 22), "正月初一"),
        ((2024, 2, 10), "正月初一"),
        ((2025, 1, 29), "正月初一"),
        ((2026, 2, 17), "正月初一"),
        ((2023, 1, 21), "腊月三十"),
        ((2024, 2, 9), "腊月三十"),
        ((2025, 1, 28), "腊月廿九"),
        ((2022, 6, 3), "五月初五"),
        ((2023, 6, 22), "五月初五"),
        ((2024, 6, 10), "五月初五"),
        ((2022, 9, 10), "八月十五"),
        ((2023, 9, 29), "八月十五"),
        ((2024, 9, 17), "八月十五"),
        ((1901, 2, 19), "正月初一"),
    ];

    #[test]
    fn lunar_dates_match_the_published_calendar() {
        let wrong: Vec<String> = KNOWN
            .iter()
            .filter_map(|&((y, m, d), want)| {
                let got = lunar_date(y, m, d, Locale::Hans);
                (got.as_deref() != Some(want))
                    .then(|| format!("{y}-{m:02}-{d:02}: {got:?}, want {want}"))
            })
            .collect();
        assert!(KNOWN.len() >= 20);
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn a_traditional_page_gets_traditional_months() {
        let leap = lunar_date(2023, 3, 22, Locale::HantTw);
        assert_eq!(leap.as_deref(), Some("閏二月初一"));
        let last = lunar_date(2023, 1, 21, Locale::HantHk);
        assert_eq!(last.as_deref(), Some("臘月三十"));
        assert_eq!(
            lunar_date(2022, 7, 22, Locale::HantTw).as_deref(),
            Some("六月廿四")
        );
    }

    #[test]
    fn dates_outside_the_tables_have_no_lunar_date() {
        assert_eq!(lunar_date(1901, 2, 18, Locale::Hans), None);
        assert_eq!(lunar_date(1850, 6, 1, Locale::Hans), None);
        assert_eq!(lunar_date(2150, 6, 1, Locale::Hans), None);
    }
}
