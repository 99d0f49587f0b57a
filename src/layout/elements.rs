//! `[elements]` and `[source] byline_prefixes`: how the elements inside an
//! article (issue 19) are read and placed: the prefixes that make a line
//! under the headline a byline, whether a 引语 (pull quote) spans the
//! module's body columns or stands in its column, and whether a 导语 is
//! boxed or tinted.

use serde::Deserialize;
use toml::Spanned;

use super::error::{LayoutError, Locator};

/// Longest byline prefix, in characters: a label, not a sentence.
const MAX_PREFIX_CHARS: usize = 8;

/// `[elements]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawElements {
    /// `"span"` or `"column"`.
    pub(super) pull_quote: Option<Spanned<String>>,
    /// `"plain"`, `"boxed"` or `"tinted"`.
    pub(super) lead: Option<Spanned<String>>,
}

/// How a 导语 (lead paragraph) stands out beyond its style.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LeadLook {
    /// Its style alone.
    #[default]
    Plain,
    /// A thin frame round its lines in each column.
    Boxed,
    /// A light tint beneath its lines in each column.
    Tinted,
}

/// Where a 引语 (pull quote) is set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PullQuotePlacement {
    /// Across the module's body columns, under its headline block and
    /// pictures, in the module that starts the article; in its column
    /// where that cannot be (one body column, columns starting at
    /// different lines beside a narrower headline, a continuation, galley
    /// flow).
    #[default]
    Span,
    /// In its column, where it stands in the text.
    Column,
}

/// How the elements inside articles are read and placed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Elements {
    /// Where pull quotes go (`[elements] pull_quote`).
    pub pull_quote: PullQuotePlacement,
    /// How a 导语 stands out (`[elements] lead`).
    pub lead: LeadLook,
    /// What a byline line starts with (`[source] byline_prefixes`); `None`
    /// when not written: the source reader's defaults.
    pub byline_prefixes: Option<Vec<String>>,
}

/// `[elements]` and `[source] byline_prefixes`, each value checked where
/// it is written.
pub(super) fn resolve_elements(
    raw: &RawElements,
    prefixes: Option<&Vec<Spanned<String>>>,
    loc: &Locator,
) -> Result<Elements, LayoutError> {
    let mut elements = Elements::default();
    if let Some(p) = &raw.pull_quote {
        elements.pull_quote = match p.get_ref().as_str() {
            "span" => PullQuotePlacement::Span,
            "column" => PullQuotePlacement::Column,
            other => {
                return Err(loc.error(
                    p.span(),
                    format!("elements.pull_quote = \"{other}\" is neither \"span\" nor \"column\""),
                    Some("\"span\" sets a 引语 across the module's body columns under its headline (the default); \"column\" sets it in its column where it stands in the text".into()),
                ))
            }
        };
    }
    if let Some(l) = &raw.lead {
        elements.lead = match l.get_ref().as_str() {
            "plain" => LeadLook::Plain,
            "boxed" => LeadLook::Boxed,
            "tinted" => LeadLook::Tinted,
            other => {
                return Err(loc.error(
                    l.span(),
                    format!("elements.lead = \"{other}\" is not \"plain\", \"boxed\" or \"tinted\""),
                    Some("\"plain\" sets a 导语 in its style alone (the default); \"boxed\" frames its lines; \"tinted\" shades them".into()),
                ))
            }
        };
    }
    if let Some(list) = prefixes {
        let mut out = Vec::with_capacity(list.len());
        for p in list {
            let text = p.get_ref();
            let chars = text.chars().count();
            if text.trim().is_empty() || chars > MAX_PREFIX_CHARS || text.contains('\n') {
                return Err(loc.error(
                    p.span(),
                    format!("source.byline_prefixes: {text:?} is no byline prefix"),
                    Some(format!(
                        "a prefix is the label a byline line starts with, 1 to {MAX_PREFIX_CHARS} characters and not blank, e.g. \"作者：\" or \"文/\"; write [] for no bylines"
                    )),
                ));
            }
            out.push(text.clone());
        }
        elements.byline_prefixes = Some(out);
    }
    Ok(elements)
}
