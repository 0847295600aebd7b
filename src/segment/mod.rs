//! Sentence segmentation (stub: one segment per non-empty line until the real rules land).

pub mod rules;

use crate::lang::Lang;
use crate::span::Span;
use serde::Serialize;

/// What kind of unit a segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    /// A sentence ending in sentence punctuation.
    Sentence,
    /// A line without final punctuation: heading, dateline, byline, stray counter.
    Line,
}

/// A segment: an exact slice of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment<'t> {
    /// The text, `span.slice(input)`.
    pub text: &'t str,
    /// Byte span in the input.
    pub span: Span,
    /// 0-based paragraph index (paragraphs are separated by blank lines).
    pub paragraph: usize,
    /// Sentence or line.
    pub kind: SegmentKind,
}

/// Segments `text` with the built-in rules for `lang`.
pub fn segment(text: &str, lang: Lang) -> Vec<Segment<'_>> {
    let _ = lang;
    let mut out = Vec::new();
    let mut offset = 0;
    let mut paragraph = 0;
    let mut blank = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            blank = true;
        } else {
            if blank && !out.is_empty() {
                paragraph += 1;
            }
            blank = false;
            let start = offset + (line.len() - line.trim_start().len());
            let span = Span::new(start, start + trimmed.len());
            out.push(Segment { text: span.slice(text), span, paragraph, kind: SegmentKind::Sentence });
        }
        offset += line.len();
    }
    out
}
