//! Lengths as editors write them: `3mm`, `9pt`, `小五`, `2字`, `3行`.
//!
//! Character (字) and grid-line (行) lengths depend on the body size and line
//! pitch, which are only known once the grid is read, so they are kept
//! symbolic here and resolved by [`Length::to_pt`].

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// Points in a millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Chinese type sizes (字号) in pt, DESIGN §3.
pub const ZIHAO: &[(&str, f32)] = &[
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
    ("六号", 7.5),
    ("小六", 6.5),
    ("七号", 5.5),
    ("八号", 5.0),
];

/// A length as written: absolute, or relative to the grid until the grid
/// is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    /// Points, whatever absolute unit it was written in.
    Pt(f32),
    /// Body characters (em of the body size).
    Chars(f32),
    /// Grid lines (line pitch).
    Lines(f32),
}

impl Length {
    /// The length in pt on a grid of this body size and line pitch.
    pub fn to_pt(self, body_size: f32, pitch: f32) -> f32 {
        match self {
            Length::Pt(v) => v,
            Length::Chars(v) => v * body_size,
            Length::Lines(v) => v * pitch,
        }
    }

    /// The value in pt if it does not depend on the grid.
    pub fn absolute(self) -> Option<f32> {
        match self {
            Length::Pt(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Length {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Length::Pt(v) => write!(f, "{v}pt"),
            Length::Chars(v) => write!(f, "{v}字"),
            Length::Lines(v) => write!(f, "{v}行"),
        }
    }
}

const UNIT_HELP: &str =
    "write a number with a unit: 3mm, 9pt, 2字 (body characters), 1行 (grid lines) or a 字号 name such as 小五";

/// Parses a length as an editor writes it; the error says how to write
/// one.
pub fn parse_length(text: &str) -> Result<Length, String> {
    let s = text.trim();
    if let Some(&(_, pt)) = ZIHAO.iter().find(|(name, _)| *name == s) {
        return Ok(Length::Pt(pt));
    }
    let split = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '-' || *c == '+'))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let value: f32 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a length; {UNIT_HELP}"))?;
    if !value.is_finite() {
        return Err(format!("`{text}` is not a finite length"));
    }
    match unit.trim() {
        "pt" => Ok(Length::Pt(value)),
        "mm" => Ok(Length::Pt(value * PT_PER_MM)),
        "cm" => Ok(Length::Pt(value * 10.0 * PT_PER_MM)),
        "in" => Ok(Length::Pt(value * 72.0)),
        "字" | "em" | "char" | "chars" => Ok(Length::Chars(value)),
        "行" | "line" | "lines" => Ok(Length::Lines(value)),
        "" => Err(format!("`{text}` has no unit; {UNIT_HELP}")),
        other => Err(format!("unknown unit `{other}` in `{text}`; {UNIT_HELP}")),
    }
}

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LengthVisitor;
        impl Visitor<'_> for LengthVisitor {
            type Value = Length;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a length such as \"3mm\", \"9pt\", \"小五\", \"2字\" or \"1行\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Length, E> {
                parse_length(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Length, E> {
                if v == 0 {
                    return Ok(Length::Pt(0.0));
                }
                Err(E::custom(format!(
                    "the length {v} has no unit; write it as a string with a unit, e.g. \"{v}pt\" or \"{v}mm\""
                )))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Length, E> {
                if v == 0.0 {
                    return Ok(Length::Pt(0.0));
                }
                Err(E::custom(format!(
                    "the length {v} has no unit; write it as a string with a unit, e.g. \"{v}pt\" or \"{v}mm\""
                )))
            }
        }
        deserializer.deserialize_any(LengthVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_to_pt() {
        assert_eq!(parse_length("9pt"), Ok(Length::Pt(9.0)));
        assert_eq!(parse_length("小五"), Ok(Length::Pt(9.0)));
        assert_eq!(parse_length("初号"), Ok(Length::Pt(42.0)));
        assert!((parse_length("25.4mm").unwrap().to_pt(9.0, 12.0) - 72.0).abs() < 1e-3);
        assert_eq!(parse_length("2字").unwrap().to_pt(9.0, 12.0), 18.0);
        assert_eq!(parse_length("3行").unwrap().to_pt(9.0, 12.0), 36.0);
    }

    #[test]
    fn a_bare_number_or_unknown_unit_is_refused_with_help() {
        assert!(parse_length("12").unwrap_err().contains("no unit"));
        assert!(parse_length("12px")
            .unwrap_err()
            .contains("unknown unit `px`"));
        assert!(parse_length("abc").unwrap_err().contains("not a length"));
    }
}
