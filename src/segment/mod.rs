//! Sentence segmentation: paragraphs, lines, then sentences — every segment an exact slice.
//!
//! # Algorithm
//!
//! Segmentation works in three nested levels, each a hard boundary for the next:
//!
//! 1. **Paragraphs.** A *blank line* — empty, or holding only whitespace such as the no-break
//!    spaces scraped articles are full of — ends a paragraph. [`Segment::paragraph`] counts
//!    paragraphs from 0; runs of blank lines count once.
//! 2. **Lines.** A sentence never crosses a line end. News sites and word processors put a
//!    heading, a dateline, a byline or a stray counter ("466") on a line of its own without a
//!    final stop; such a line, or the unpunctuated tail of a line, is its own segment of kind
//!    [`SegmentKind::Line`].
//! 3. **Sentences.** Inside a line, the built-in rules ([`scanner`], tables in [`rules`]) find
//!    sentence ends: `. ! ? …` and Arabic `؟ ۔`, with closing quotes and brackets after them,
//!    and no-break rules for abbreviations, initials, acronyms, numbers, URLs and ellipses.
//!    Alternatively an SRX 2.0 rule set ([`srx`], `--srx`) decides the breaks inside each line.
//!
//! # Invariants
//!
//! * Every segment is `&input[span]`, non-empty, with no leading or trailing whitespace.
//! * Segments are in input order and do not overlap; the text between two consecutive segments
//!   (and before the first, after the last) is whitespace only. Hence concatenating segments and
//!   gaps gives back the input byte for byte — tested as a property on arbitrary input.
//! * A segment holds no `\n`, so the `lines` output format is one segment a line.
//! * `kind` is [`SegmentKind::Sentence`] exactly when the segment ends in sentence punctuation,
//!   possibly followed by closing quotes/brackets ([`ends_in_terminal`]).
//!
//! # Costs
//!
//! The built-in scanner looks at each byte once (one table look-up for bytes that cannot end
//! a sentence) and consults the word tables only at candidate ends (a terminal followed by a
//! space), looking at the word before and the word after: time is linear in the input, and
//! the only allocation is the output vector (16 + 16 + 8 + 1 bytes a segment). On the NTREX dev
//! corpus repeated 50 times it runs at 0.8–1.9 million sentences per CPU-second (figures and
//! the command in `bench/seg-report.md`). The SRX engine tests, at each position of a line, a
//! union of the break rules' `beforebreak` regexes run backwards from the position, and tries
//! the rules in order only where that matches: linear in the input times the length of the
//! `beforebreak` matches; four to six times slower than the scanner on the exported rules.
//!
//! # Example
//!
//! ```
//! use qantara::{Lang, segment::{segment, SegmentKind}};
//! let text = "Rabat\n\nM. Dupont est arrivé à 9 h. Il a vu la D.G.S.N. à Rabat.\n";
//! let segs: Vec<_> = segment(text, Lang::Fr).iter().map(|s| (s.text, s.kind)).collect();
//! assert_eq!(segs, [
//!     ("Rabat", SegmentKind::Line),
//!     ("M. Dupont est arrivé à 9 h.", SegmentKind::Sentence),
//!     ("Il a vu la D.G.S.N. à Rabat.", SegmentKind::Sentence),
//! ]);
//! ```

pub mod rules;
pub mod scanner;
pub mod srx;

use crate::lang::Lang;
use crate::span::Span;
use rules::{LangRules, is_closer, is_terminal};
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

/// A configured segmenter: the built-in rules of a language, or compiled SRX rules.
#[derive(Debug)]
pub struct Segmenter {
    engine: Engine,
}

#[derive(Debug)]
enum Engine {
    Builtin(&'static LangRules),
    Srx(Box<srx::SrxSegmenter>),
}

impl Segmenter {
    /// The built-in rules for `lang`.
    pub fn builtin(lang: Lang) -> Self {
        Segmenter { engine: Engine::Builtin(LangRules::for_lang(lang)) }
    }

    /// SRX rules, already compiled for one language (see [`srx::SrxSegmenter::new`]).
    pub fn srx(rules: srx::SrxSegmenter) -> Self {
        Segmenter { engine: Engine::Srx(Box::new(rules)) }
    }

    /// Segments `text`.
    pub fn segment<'t>(&self, text: &'t str) -> Vec<Segment<'t>> {
        let mut out = Vec::new();
        let mut breaks = Vec::new();
        let mut paragraph = 0;
        let mut blank_since_last = false;
        let mut offset = 0;
        for line in text.split('\n') {
            let line_start = offset;
            offset += line.len() + 1;
            let trimmed = line.trim_start();
            if trimmed.trim_end().is_empty() {
                blank_since_last = true;
                continue;
            }
            if blank_since_last && !out.is_empty() {
                paragraph += 1;
            }
            blank_since_last = false;
            breaks.clear();
            match &self.engine {
                Engine::Builtin(rules) => scanner::line_breaks(line, rules, &mut breaks),
                Engine::Srx(srx) => srx.line_breaks(line, &mut breaks),
            }
            let mut from = 0;
            for &cut in breaks.iter().chain(std::iter::once(&line.len())) {
                push_piece(text, line_start, &line[from..cut], from, paragraph, &mut out);
                from = cut;
            }
        }
        out
    }
}

/// Pushes `piece` (which starts at byte `from` of the line starting at `line_start`), trimmed
/// of whitespace, unless nothing is left.
fn push_piece<'t>(
    text: &'t str,
    line_start: usize,
    piece: &str,
    from: usize,
    paragraph: usize,
    out: &mut Vec<Segment<'t>>,
) {
    let lead = piece.len() - piece.trim_start().len();
    let body = piece.trim();
    if body.is_empty() {
        return;
    }
    let start = line_start + from + lead;
    let span = Span::new(start, start + body.len());
    let text = span.slice(text);
    let kind = if ends_in_terminal(text) { SegmentKind::Sentence } else { SegmentKind::Line };
    out.push(Segment { text, span, paragraph, kind });
}

/// True when `s` ends in sentence punctuation, possibly followed by closing quotes and brackets
/// and spaces (`fin. »`).
pub fn ends_in_terminal(s: &str) -> bool {
    s.trim_end_matches(|c: char| is_closer(c) || c.is_whitespace())
        .chars()
        .next_back()
        .is_some_and(is_terminal)
}

/// Segments `text` with the built-in rules for `lang`.
pub fn segment(text: &str, lang: Lang) -> Vec<Segment<'_>> {
    Segmenter::builtin(lang).segment(text)
}

#[cfg(test)]
mod tests;
