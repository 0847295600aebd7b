//! Matching keys: lossy, comparable forms of text, computed *beside* the original.
//!
//! # Idea
//! Two spellings of the same word should compare equal: `الأمن` / `الامن` / `الأَمْن`,
//! `Sûreté` / `SURETE`, `l’État` / `l'Etat`. [`normalize`] maps a text to a *key* in which
//! those differences are folded away, and keeps, for every byte of the key, the byte offset of
//! the original character it came from. Later stages match on keys and report the original
//! span, so no user ever sees a key.
//!
//! # Order of operations (and why)
//! 1. **NFKC** on each *cluster* (a starter, the combining marks after it, and the starters
//!    NFC may compose with it, such as Hangul vowel jamo: so an NFD text gets the key of its
//!    NFC form). This folds the
//!    Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF), ligatures like `ﻻ`, full-width
//!    and other compatibility characters into ordinary letters. It must come first: presentation
//!    forms of `أ` or `ة` would otherwise slip past the tables of step 2 (the reverse order is a
//!    known bug of other tools).
//! 2. **Folding tables**, character by character: [`arabic`] (harakat, tatweel, hamza and alef
//!    forms, ta marbuta, alef maqsura, Persian letters, Arabic-Indic digits and punctuation) and
//!    [`latin`] (case, diacritics, ligatures, apostrophes and quotes, French elision).
//! 3. **Invisible and space characters**: bidi controls, ZWJ/ZWNJ, soft hyphens and BOMs are
//!    removed; every kind of space and line break becomes one ASCII space, runs collapsed.
//!
//! The tables act on characters, not on a declared language: Arabic text quotes Latin acronyms
//! and French text quotes Arabic names, and the key of a word must not depend on which document
//! it was found in.
//!
//! # Invariants
//! * `offsets` has one entry per key byte plus one, `ends` one per key byte; both are
//!   non-decreasing and each entry is a char boundary of the original, so `span_of` always
//!   returns a valid slice of the original. A span ends where its last key character's
//!   cluster ends: characters the key drops after a word (bidi controls, zero-width
//!   characters, BOMs) are left outside it, so a mark around a span never splits an isolate.
//! * `key(text) == normalize(text).key` (one function builds both).
//!
//! # Cost
//! One pass; ASCII clusters skip NFKC. Allocation: the key plus 8 bytes per key byte for the
//! offset map (start and end of each key byte's source cluster) ([`key`] skips the map when only the key is needed).
//!
//! # Span invariant of tokens
//! For every input, the tokens of [`tokenize`] have spans that are non-empty, lie on char
//! boundaries of the original, and come in order without overlapping:
//! `tok[i].span.end <= tok[i + 1].span.start`. One original character can expand into several
//! key characters and even several words (`½` → `1⁄2`, `ﷺ` → `صلى الله عليه وسلم`, `İ` → `i̇`,
//! `ﬁ` → `fi`); the words of such an expansion all map back to the same original character,
//! so they are kept **inside one token** (its key is the expanded key text, `1⁄2`, with `_` for
//! the spaces of a phrase such as `ﷺ`, since keys are stored space-separated) rather than
//! as several tokens sharing a span. The choice is made here, where tokens are made, so that
//! every consumer may slice the original between two consecutive tokens
//! (`&text[a.span.end..b.span.start]`) and mark tokens in place without checks of its own. The
//! cost is that a query typed as the expansion (`1⁄2`) does not match the token word by word;
//! it still matches the key as a whole.
//!
//! # Tokens
//! [`tokenize`] cuts a key into word tokens (letters and digits; `3.5` and `26.06.2024` stay one
//! token; dotted acronyms `D.G.S.N.` become the token `dgsn`). Arabic proclitics are *not*
//! stripped: [`Token::clitic_splits`] lists the possible analyses (`بالأمن` → `ب+الامن`,
//! `ب+ال+امن`, …) and the caller decides, because blind stripping confuses real words.

pub mod arabic;
pub mod latin;

use crate::span::Span;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// A matching key with a byte map back into the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The folded text.
    pub key: String,
    /// `offsets[i]` is the original byte offset of the character that produced key byte `i`;
    /// `offsets[key.len()]` is the original text's length.
    offsets: Vec<u32>,
    /// `ends[i]` is the end of the original cluster (character and combining marks) that
    /// produced key byte `i`.
    ends: Vec<u32>,
}

impl Normalized {
    /// The original span covered by the key bytes `range` (which must lie on char boundaries).
    ///
    /// The span runs from the first key byte's source character to the end of the last one's
    /// cluster (its combining marks included, removed harakat too), so characters dropped
    /// from the key after it — a bidi isolate closing the word, a zero-width space — are not
    /// part of it: a mark put around the span never splits an isolate pair.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        let start = self.offsets[range.start] as usize;
        if range.is_empty() {
            return Span::new(start, start);
        }
        let end = self.ends[range.end - 1] as usize;
        Span::new(start, end.max(start))
    }

    /// The original byte offset a key byte came from.
    pub fn original_offset(&self, key_byte: usize) -> usize {
        self.offsets[key_byte] as usize
    }
}

/// Normalizes `text` into a key with its offset map.
pub fn normalize(text: &str) -> Normalized {
    let mut out = KeyBuilder {
        key: String::with_capacity(text.len()),
        offsets: Some((Vec::with_capacity(text.len() + 1), Vec::with_capacity(text.len()))),
        cluster_end: 0,
    };
    fold_into(text, &mut out);
    let (mut offsets, mut ends) = out.offsets.unwrap_or_default();
    offsets.push(text.len() as u32);
    // A trailing collapsed space may have been trimmed; keep the map one longer than the key.
    offsets.truncate(out.key.len() + 1);
    *offsets.last_mut().expect("non-empty") = text.len() as u32;
    ends.truncate(out.key.len());
    Normalized { key: out.key, offsets, ends }
}

/// The key of `text` alone, without the offset map (cheaper).
pub fn key(text: &str) -> String {
    let mut out = KeyBuilder { key: String::with_capacity(text.len()), offsets: None, cluster_end: 0 };
    fold_into(text, &mut out);
    out.key
}

struct KeyBuilder {
    key: String,
    /// Per key byte: the start of its source cluster, and its end (see [`Normalized`]).
    offsets: Option<(Vec<u32>, Vec<u32>)>,
    /// The end of the cluster being folded.
    cluster_end: usize,
}

impl KeyBuilder {
    fn push(&mut self, c: char, src: usize) {
        if c == ' ' && (self.key.is_empty() || self.key.ends_with(' ')) {
            return;
        }
        self.key.push(c);
        if let Some((offsets, ends)) = &mut self.offsets {
            offsets.extend(std::iter::repeat_n(src as u32, c.len_utf8()));
            ends.extend(std::iter::repeat_n(self.cluster_end as u32, c.len_utf8()));
        }
    }

    fn finish(&mut self) {
        if self.key.ends_with(' ') {
            self.key.pop();
            if let Some((o, e)) = &mut self.offsets {
                o.pop();
                e.pop();
            }
        }
    }
}

fn fold_into(text: &str, out: &mut KeyBuilder) {
    let mut clusters = Clusters { text, pos: 0 };
    let mut prev_word = PrevWord::default();
    while let Some((start, cluster)) = clusters.next_cluster() {
        out.cluster_end = start + cluster.len();
        if cluster.is_ascii() {
            for c in cluster.chars() {
                fold_char(c, start, out, &mut prev_word);
            }
        } else if unicode_normalization::is_nfkc_quick(cluster.chars())
            == unicode_normalization::IsNormalized::Yes
        {
            // Already NFKC (most Arabic letters, accented Latin letters): NFKC would give the
            // same characters back, at several times the cost.
            for c in cluster.chars() {
                fold_char(c, start, out, &mut prev_word);
            }
        } else {
            for c in cluster.nfkc() {
                fold_char(c, start, out, &mut prev_word);
            }
        }
    }
    out.finish();
}

/// Tracks the current word of the key so far, for French elision (`l'`, `qu'`).
#[derive(Default)]
struct PrevWord {
    start_in_key: usize,
}

fn fold_char(c: char, src: usize, out: &mut KeyBuilder, prev: &mut PrevWord) {
    if is_invisible(c) {
        return;
    }
    if c.is_whitespace() {
        out.push(' ', src);
        prev.start_in_key = out.key.len();
        return;
    }
    if let Some(folded) = arabic::fold(c) {
        match folded {
            arabic::Fold::Drop => {}
            arabic::Fold::To(f) => push_word_char(f, src, out, prev),
        }
        return;
    }
    match latin::fold(c) {
        latin::Folded::One(f) => push_word_char(f, src, out, prev),
        latin::Folded::Two(a, b) => {
            push_word_char(a, src, out, prev);
            push_word_char(b, src, out, prev);
        }
        latin::Folded::Many(s) => s.chars().for_each(|f| push_word_char(f, src, out, prev)),
        latin::Folded::Apostrophe => {
            out.push('\'', src);
            if latin::is_elided_clitic(&out.key[prev.start_in_key..out.key.len() - 1]) {
                // Elision split: "l'etat" becomes "l' etat" so "etat" is a word of its own.
                out.push(' ', src);
            }
            prev.start_in_key = out.key.len();
        }
    }
}

fn push_word_char(c: char, src: usize, out: &mut KeyBuilder, prev: &mut PrevWord) {
    if !is_word_char(c) {
        out.push(c, src);
        prev.start_in_key = out.key.len();
    } else {
        out.push(c, src);
    }
}

/// `char::is_alphanumeric`, with ASCII and the Arabic letters answered first: the general
/// Unicode lookup is a binary search that took a sixth of the time of normalizing Arabic text.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{0621}'..='\u{064A}').contains(&c) {
        true
    } else {
        c.is_alphanumeric()
    }
}

/// Characters with no visible form that break matching when pasted from web pages and
/// word processors: bidi controls, zero-width (non-)joiners and spaces, soft hyphens, BOMs.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Iterates over clusters: a character and the combining marks (non-zero combining class)
/// that follow it. NFKC is applied per cluster, which keeps offsets exact.
struct Clusters<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Clusters<'a> {
    fn next_cluster(&mut self) -> Option<(usize, &'a str)> {
        let rest = &self.text[self.pos..];
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        let mut end = first.len_utf8();
        if !first.is_ascii() || rest.as_bytes().get(end).is_some_and(|b| *b >= 0x80) {
            for (i, c) in chars {
                if canonical_combining_class(c) == 0 && !composes_with_previous(c) {
                    end = i;
                    break;
                }
                end = i + c.len_utf8();
            }
        }
        let start = self.pos;
        self.pos += end;
        Some((start, &rest[..end]))
    }
}

/// True for a starter that NFC may compose with the character before it (its NFC quick-check
/// value is Maybe): Hangul vowel and final jamo, the Indic and Sinhala length marks such as
/// U+09BE. A decomposed (NFD) text must fold to the same key as its composed form, so such a
/// character stays in the cluster of the starter before it.
fn composes_with_previous(c: char) -> bool {
    !c.is_ascii()
        && unicode_normalization::is_nfc_quick(std::iter::once(c))
            == unicode_normalization::IsNormalized::Maybe
}

/// A word token of a key, with its span in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token's key (for dotted acronyms, the letters without the dots).
    pub key: String,
    /// Bytes of the normalized key the token covers.
    pub key_range: Range<usize>,
    /// Bytes of the original text the token covers.
    pub span: Span,
}

impl Token {
    /// True when the token is written in Arabic script.
    pub fn is_arabic(&self) -> bool {
        self.key.chars().next().is_some_and(crate::lang::is_arabic_letter)
    }

    /// True when the token is a number (digits, possibly with `.`/`,` inside).
    pub fn is_number(&self) -> bool {
        self.key.starts_with(|c: char| c.is_ascii_digit())
    }

    /// The possible proclitic analyses of an Arabic token, least stripping first
    /// (see [`arabic::clitic_splits`]); empty for other tokens.
    pub fn clitic_splits(&self) -> Vec<arabic::CliticSplit<'_>> {
        if self.is_arabic() { arabic::clitic_splits(&self.key) } else { Vec::new() }
    }
}

/// Cuts a normalized text into word tokens (see the module doc).
pub fn tokenize(norm: &Normalized) -> Vec<Token> {
    let key = &norm.key;
    let bytes = key.as_bytes();
    let mut tokens = Vec::new();
    let mut iter = key.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        if !is_word_char(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut prev = c;
        while let Some(&(i, c)) = iter.peek() {
            let joins_number = matches!(c, '.' | ',')
                && bytes[start].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            // A proclitic glued to a number (`و٣٫٥`, `ب20`) is a word of its own: the number
            // keeps its key (and its anchor), the clitic is one more token.
            let clitic_before_number = c.is_ascii_digit() && crate::lang::is_arabic_letter(prev);
            if (is_word_char(c) && !clitic_before_number) || joins_number {
                prev = c;
                end = i + c.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        tokens.push(Token {
            key: key[start..end].to_string(),
            key_range: start..end,
            span: norm.span_of(start..end),
        });
    }
    merge_shared_spans(key, merge_dotted_acronyms(key, tokens, norm))
}

/// Joins tokens whose original spans overlap into one token (see "Span invariant" in the
/// module doc): they came from one original character that NFKC or case folding expanded
/// (`½` → `1⁄2`, `ﷺ` → four words), and no original byte lies between them. The joined key is
/// the key text from the first token's start to the last one's end (`1⁄2`, so `½` never
/// equals the number `12`), white space inside it written `_` (`ﷺ` → `صلي_الله_عليه_وسلم`):
/// a token key never holds a space, since the memory stores a text's keys space-separated.
fn merge_shared_spans(key: &str, tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for tok in tokens {
        match out.last_mut() {
            Some(last) if tok.span.start < last.span.end => {
                let mut joined = std::mem::take(&mut last.key);
                let gap = &key[last.key_range.end..tok.key_range.start];
                joined.extend(gap.chars().map(|c| if c.is_whitespace() { '_' } else { c }));
                joined.push_str(&tok.key);
                last.key = joined;
                last.key_range = last.key_range.start..tok.key_range.end;
                last.span = Span::new(last.span.start, last.span.end.max(tok.span.end));
            }
            _ => out.push(tok),
        }
    }
    debug_assert!(out.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    out
}

/// Normalizes and tokenizes in one call.
pub fn tokens(text: &str) -> Vec<Token> {
    tokenize(&normalize(text))
}

/// `d.g.s.n.` → one token `dgsn`: single Latin letters each followed by a dot, two or more.
/// The last letter may lack its dot when it is written right after the previous one's
/// (`D.G.S.N`: writers drop it, and a sentence-final `D.G.S.N.` is the same acronym whose dot
/// also ends the sentence); with spaces (`D. G. S. N`) a bare letter is not taken, since
/// `M. A. N a dit` is as likely an initial and a name as an acronym.
fn merge_dotted_acronyms(key: &str, tokens: Vec<Token>, norm: &Normalized) -> Vec<Token> {
    let is_letter = |t: &Token| {
        let mut cs = t.key.chars();
        cs.next().is_some_and(|c| c.is_alphabetic() && !crate::lang::is_arabic_letter(c))
            && cs.next().is_none()
    };
    let is_initial = |t: &Token| is_letter(t) && key[t.key_range.end..].starts_with('.');
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        // Consecutive initials: each next token starts right after the previous one's dot
        // (optionally followed by one space, as in "D. G. S. N.").
        while j < tokens.len() && is_initial(&tokens[j]) {
            let dot_end = tokens[j].key_range.end + 1;
            let next_ok = tokens.get(j + 1).is_some_and(|n| {
                n.key_range.start == dot_end
                    || (n.key_range.start == dot_end + 1 && key.as_bytes()[dot_end] == b' ')
            });
            j += 1;
            if !next_ok {
                break;
            }
        }
        // A final letter without its dot, glued to the last initial's dot (`D.G.S.N`). The
        // loop above stopped at it because it is not an initial (it was adjacent, so
        // `next_ok` held).
        let mut dotless_end = false;
        if j > i
            && tokens.get(j).is_some_and(|n| {
                is_letter(n) && !is_initial(n) && n.key_range.start == tokens[j - 1].key_range.end + 1
            })
        {
            j += 1;
            dotless_end = true;
        }
        if j - i >= 2 {
            let end = tokens[j - 1].key_range.end + usize::from(!dotless_end);
            let range = tokens[i].key_range.start..end;
            let letters: String = tokens[i..j].iter().map(|t| t.key.as_str()).collect();
            out.push(Token { key: letters, span: norm.span_of(range.clone()), key_range: range });
            i = j;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests;
