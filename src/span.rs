//! Byte spans into an original text.
//!
//! Every piece qantara cuts out of a text (a segment, a token, a term hit) keeps the half-open
//! byte range `start..end` it came from, so output can always quote the source exactly and
//! lossy matching keys never have to be shown to a user.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A half-open byte range `start..end` into an original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `start <= end` is the caller's promise.
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The slice of `text` this span covers.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    /// The span as a `Range`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Counts characters (Unicode scalar values) up to byte offsets of one text, for output that
/// gives character offsets beside byte offsets (what JavaScript, Python and most editors
/// index by — JavaScript strings by UTF-16 units, which differ only outside the BMP).
///
/// Offsets asked in increasing order cost one pass over the text in all; an offset behind the
/// last one asked restarts from the beginning. An offset inside a character counts the
/// characters that start before it.
#[derive(Debug, Clone)]
pub struct CharCounter<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharCounter<'t> {
    /// A counter at the start of `text`.
    pub fn new(text: &'t str) -> Self {
        CharCounter { text, byte: 0, chars: 0 }
    }

    /// The number of characters that start before byte `offset` (clamped to the text's length).
    pub fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.byte {
            (self.byte, self.chars) = (0, 0);
        }
        let bytes = &self.text.as_bytes()[self.byte..offset];
        // A character starts at every byte that is not a UTF-8 continuation byte (10xxxxxx).
        self.chars += bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
        self.byte = offset;
        self.chars
    }

    /// A byte span as a character span.
    pub fn span(&mut self, span: Span) -> Span {
        let start = self.at(span.start);
        Span { start, end: self.at(span.end) }
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Character offsets agree with `char_indices` for every char boundary, asked in any order.
        #[test]
        fn char_counter_agrees_with_char_indices(text in any::<String>(), order in any::<Vec<usize>>()) {
            let bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
            let mut counter = CharCounter::new(&text);
            for k in order.iter().map(|k| k % bounds.len()) {
                prop_assert_eq!(counter.at(bounds[k]), k);
            }
        }
    }
}
