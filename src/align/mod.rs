//! Sentence alignment (stub: 1-1 pairs in order until the real aligner lands).

pub mod anchors;
pub mod cost;

use crate::lang::Lang;
use crate::segment::Segment;
use std::ops::Range;

/// One alignment unit: for each side, the contiguous range of segment indices it covers
/// (an empty range for a side that has nothing here), and a confidence in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Bead {
    /// One range per side, in the order the sides were given.
    pub ranges: Vec<Range<usize>>,
    /// Confidence in [0, 1].
    pub confidence: f64,
}

/// Options of the aligner.
#[derive(Debug, Clone, Default)]
pub struct AlignOptions {}

/// A document version to align: its language and its segments.
#[derive(Debug, Clone)]
pub struct Side<'t> {
    /// The language of this version.
    pub lang: Lang,
    /// Its segments, in order.
    pub segments: Vec<Segment<'t>>,
}

/// Aligns two or three sides; beads are monotone and cover every segment of every side once.
pub fn align(sides: &[Side<'_>], _opts: &AlignOptions) -> Vec<Bead> {
    let n = sides.iter().map(|s| s.segments.len()).max().unwrap_or(0);
    (0..n)
        .map(|i| Bead {
            ranges: sides
                .iter()
                .map(|s| if i < s.segments.len() { i..i + 1 } else { s.segments.len()..s.segments.len() })
                .collect(),
            confidence: 0.5,
        })
        .collect()
}
