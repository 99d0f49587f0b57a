//! Boxes and grounds: a module's frame (`boxed`), tint and inner padding
//! (issue 19 item 6), and the look of the 栏目 tag (`[rubric]`, item 5).
//!
//! The raw types live here beside their resolution, as `[auto]`'s do: the
//! keys are few and belong together.

use serde::Deserialize;
use toml::Spanned;

use super::error::{LayoutError, Locator};
use super::model::Grid;
use crate::display::Cmyk;

/// The rule a boxed module is framed with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BoxRule {
    /// One rule in `furniture.rule_width` (`boxed = true` or `"single"`).
    #[default]
    Single,
    /// Two thin rules a little apart (`"double"`).
    Double,
    /// A thick rule outside a thin one (`"thick-thin"`).
    ThickThin,
    /// A dotted rule (`"dotted"`).
    Dotted,
}

/// The words `boxed` accepts besides `true` and `false`.
const BOX_RULES: &[(&str, BoxRule)] = &[
    ("single", BoxRule::Single),
    ("double", BoxRule::Double),
    ("thick-thin", BoxRule::ThickThin),
    ("dotted", BoxRule::Dotted),
];

/// A module's box: its frame, its tint and its inner padding.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Boxing {
    /// The frame's rule, when the module is boxed.
    pub rule: Option<BoxRule>,
    /// The ground beneath the module's text, in CMYK percent.
    pub tint: Option<Cmyk>,
    /// Inner padding in 字 (body characters): the measure shrinks by this
    /// on each side, and the text starts and ends this far inside, rounded
    /// up to whole grid lines.
    pub padding: u32,
}

/// The most padding a module may have, in 字: more leaves no column.
pub const MAX_PADDING: i64 = 4;

/// The most ink a tint or a ground may lay down, in percent of C+M+Y+K:
/// the newsprint limit the output profile is made for (DESIGN §3).
pub const MAX_INK: f32 = 240.0;

/// `boxed = true`, `false` or a rule's name.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum RawBoxed {
    Flag(bool),
    Rule(String),
}

/// A module's `boxed`, `tint` and `padding`, checked.
pub(super) fn resolve_boxing(
    boxed: Option<&Spanned<RawBoxed>>,
    tint: Option<&Spanned<[f32; 4]>>,
    padding: Option<&Spanned<i64>>,
    loc: &Locator,
) -> Result<Boxing, LayoutError> {
    let rule = match boxed {
        None => None,
        Some(b) => match b.get_ref() {
            RawBoxed::Flag(true) => Some(BoxRule::Single),
            RawBoxed::Flag(false) => None,
            RawBoxed::Rule(word) => Some(
                BOX_RULES
                    .iter()
                    .find(|(name, _)| name == word)
                    .map(|&(_, rule)| rule)
                    .ok_or_else(|| {
                        loc.error(
                            b.span(),
                            format!("boxed = \"{}\" is not a rule style", word.escape_debug()),
                            Some(
                                "write boxed = true, or one of \"single\", \"double\", \"thick-thin\", \"dotted\""
                                    .into(),
                            ),
                        )
                    })?,
            ),
        },
    };
    let tint = tint.map(|t| colour(t, "tint", loc)).transpose()?;
    let padding = match padding {
        None => 0,
        Some(p) => {
            let v = *p.get_ref();
            if !(0..=MAX_PADDING).contains(&v) {
                return Err(loc.error(
                    p.span(),
                    format!("padding = {v} is outside 0–{MAX_PADDING} 字"),
                    Some(
                        "write the inner padding in whole body characters, e.g. padding = 1".into(),
                    ),
                ));
            }
            v as u32
        }
    };
    Ok(Boxing {
        rule,
        tint,
        padding,
    })
}

/// A padding must leave every body column at least one character:
/// `span` grid columns set as `body_columns`, less the padding on both
/// sides and the gutters between them.
pub(super) fn check_padding_room(
    grid: &Grid,
    span: u32,
    body_columns: u32,
    (boxing, written): (&Boxing, Option<&Spanned<i64>>),
    loc: &Locator,
) -> Result<(), LayoutError> {
    let Some(p) = written.filter(|_| boxing.padding > 0) else {
        return Ok(());
    };
    let gutters = body_columns.saturating_sub(1) * grid.gutter_chars;
    let chars = grid
        .span_chars(span)
        .checked_sub(2 * boxing.padding + gutters)
        .map_or(0, |c| c / body_columns.max(1));
    if chars > 0 {
        return Ok(());
    }
    Err(loc.error(
        p.span(),
        format!(
            "padding = {} leaves no room for the module's {body_columns} column(s) across {span} grid column(s)",
            boxing.padding
        ),
        Some("make the padding smaller or the module wider".into()),
    ))
}

/// A CMYK ground (`tint`, `[rubric] ground`): each component 0–100 and
/// the total within [`MAX_INK`].
fn colour(c: &Spanned<[f32; 4]>, key: &str, loc: &Locator) -> Result<Cmyk, LayoutError> {
    let [cy, ma, ye, k] = *c.get_ref();
    let hint = || {
        Some(format!(
            "write {key} = [C, M, Y, K] in percent, e.g. {key} = [0, 0, 0, 10]"
        ))
    };
    if let Some(v) = [cy, ma, ye, k]
        .into_iter()
        .find(|v| !(0.0..=100.0).contains(v))
    {
        return Err(loc.error(
            c.span(),
            format!("{key} has the component {v}, outside 0–100 percent"),
            hint(),
        ));
    }
    let ink = cy + ma + ye + k;
    if ink > MAX_INK {
        return Err(loc.error(
            c.span(),
            format!("{key} lays down {ink}% ink; newsprint takes at most {MAX_INK}%"),
            hint(),
        ));
    }
    Ok(Cmyk(cy, ma, ye, k))
}

/// How a 栏目 tag is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RubricLook {
    /// White text on a ground of this colour (反白).
    Reversed(Cmyk),
    /// Text in the rubric style's colour inside a rule box.
    Boxed,
}

/// `[rubric]`: which kickers are column rubrics and how the tag looks.
#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    /// Kickers (`### ` before a headline) that name a column and are set
    /// as its tag, matched whole (spaces around ignored).
    pub names: Vec<String>,
    /// The tag's look.
    pub look: RubricLook,
}

impl Default for Rubric {
    fn default() -> Self {
        Rubric {
            names: Vec::new(),
            look: RubricLook::Reversed(Cmyk::BLACK),
        }
    }
}

impl Rubric {
    /// Whether a kicker is one of the named rubrics.
    pub fn names_kicker(&self, kicker: &str) -> bool {
        let k = kicker.trim();
        self.names.iter().any(|n| n == k)
    }
}

/// `[rubric]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRubric {
    /// Kickers set as 栏目 tags.
    #[serde(default)]
    names: Vec<Spanned<String>>,
    /// `"reversed"` (default) or `"boxed"`.
    look: Option<Spanned<String>>,
    /// The ground of a reversed tag, CMYK percent.
    ground: Option<Spanned<[f32; 4]>>,
}

/// `[rubric]`, checked: names not blank, a known look, a ground only for
/// a reversed tag.
pub(super) fn resolve_rubric(raw: &RawRubric, loc: &Locator) -> Result<Rubric, LayoutError> {
    let mut names = Vec::new();
    for n in &raw.names {
        let name = super::paper::printable(n, "rubric.names", loc)?;
        if name.trim().is_empty() {
            return Err(loc.error(
                n.span(),
                "rubric.names holds an empty name".to_string(),
                Some(
                    "write each column's name as its kicker reads, e.g. \"百名记者走基层\"".into(),
                ),
            ));
        }
        names.push(name.trim().to_string());
    }
    let ground = raw
        .ground
        .as_ref()
        .map(|g| colour(g, "ground", loc))
        .transpose()?;
    let look = match raw.look.as_ref().map(|l| (l, l.get_ref().as_str())) {
        None | Some((_, "reversed")) => RubricLook::Reversed(ground.unwrap_or(Cmyk::BLACK)),
        Some((_, "boxed")) => {
            if let Some(g) = &raw.ground {
                return Err(loc.error(
                    g.span(),
                    "rubric.ground is set but look = \"boxed\" has no ground".to_string(),
                    Some("remove ground, or write look = \"reversed\"".into()),
                ));
            }
            RubricLook::Boxed
        }
        Some((l, other)) => {
            return Err(loc.error(
                l.span(),
                format!("rubric.look = \"{}\" is not a look", other.escape_debug()),
                Some("write look = \"reversed\" (white on a ground) or \"boxed\"".into()),
            ))
        }
    };
    Ok(Rubric { names, look })
}
