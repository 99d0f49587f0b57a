//! broadsheet: a print-layout typesetting engine for Chinese newspapers.
//!
//! The pipeline, one module per stage, plain data between them:
//!
//! | stage | module | in → out |
//! |---|---|---|
//! | source | [`source`] | article file → [`source::Edition`] |
//! | layout config | [`layout`] | TOML → [`layout::Layout`] |
//! | text | [`text`] | string + fonts → [`text::ShapedText`] |
//! | paragraph | [`paragraph`] | shaped text + measure → [`paragraph::Line`]s |
//! | media | [`media`] | picture and ad files → prepared [`media::Asset`]s |
//! | compose | [`compose`] | edition + layout → [`display::Page`]s + fit report |
//! | export | [`export`] | pages → PDF bytes |
//! | preview | [`preview`] | pages → PNG and SVG pictures, proof overlay |
//!
//! [`fonts`] is shared by shaping and export; [`display`] is the display list
//! that sits between composition and every back end; [`chars`] holds the
//! character classes source, text and paragraph share. [`build`] runs the
//! whole pipeline, from reading the inputs to writing the outputs.
#![warn(missing_docs)]
// Unsafe code is allowed only where an `#[expect(unsafe_code, reason)]`
// says why: mapping font files and the SIGBUS guard that makes a truncated
// font an error (src/fonts.rs, src/outfile.rs).
#![deny(unsafe_code)]

pub mod build;
pub mod bundle;
pub mod chars;
pub mod compose;
pub mod diagnostic;
pub mod display;
pub mod export;
pub mod fonts;
pub mod layout;
pub mod media;
pub mod observe;
pub mod outfile;
pub mod paragraph;
pub mod preview;
pub mod source;
pub mod text;
