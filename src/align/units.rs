//! Which beads are translation units, and their texts.
//!
//! A bead is a translation when at least two of its languages have text. A version with no
//! segment in the bead, or whose segments are blank (an empty line of a pre-segmented file),
//! contributes nothing; a one-sided bead (1-0, 0-1) or one of blank lines is no translation:
//! TMX validators refuse a `<tu>` with a single `<tuv>`, and a lookup could never return it.
//! Every writer of translation units — the memory (`tm::NewUnit::from_bead`), `align`'s TSV
//! and TMX output, `batch --out` — keeps exactly the beads [`translation`] accepts, and writes
//! their texts as it gives them: a bead's segments (or, for a split bead, its part of a segment,
//! see [`super::split`]) trimmed and joined by one space.

use super::{Bead, Side};
use crate::lang::Lang;
use std::ops::Range;

/// One language's text of a translation bead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeadText {
    /// The language.
    pub lang: Lang,
    /// The bead's text in it: its segments trimmed and joined by one space.
    pub text: String,
    /// The segment indices it covers (0-based, end exclusive).
    pub segments: Range<usize>,
}

/// The texts of `bead` in each language of `sides` that has text in it, in side order, or
/// `None` when fewer than two languages do (the bead is no translation unit).
pub fn translation(sides: &[Side<'_>], bead: &Bead) -> Option<Vec<BeadText>> {
    let mut texts = Vec::new();
    for (k, (side, range)) in sides.iter().zip(&bead.ranges).enumerate() {
        if range.is_empty() {
            continue;
        }
        let text = bead.texts(k, side).iter().map(|t| t.trim()).collect::<Vec<_>>().join(" ");
        if !text.trim().is_empty() {
            texts.push(BeadText { lang: side.lang, text, segments: range.clone() });
        }
    }
    (texts.len() >= 2).then_some(texts)
}
