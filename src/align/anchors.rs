//! Lexical anchors: the few things in a sentence that survive translation unchanged or nearly so.
//!
//! # Idea
//! Length alone cannot tell which of two neighbouring 25-word sentences goes with which; the
//! words that pass through translation can. Between Arabic and French or English almost no word
//! is shared, but some things are:
//!
//! * **numbers** — `41`, `٤١`, `2019`; the key folds Arabic-Indic digits to ASCII, and `1 000`,
//!   `1,000`, `1.000` all become `1000` (a French decimal `3,5` and an English `3.5` both `35`);
//! * **Latin-script tokens inside Arabic text** — acronyms and names left in Latin letters
//!   (`Yandhi`, `FBI`, `COVID-19`), matched exactly (not by sound) against name-like tokens of
//!   the other side;
//! * **proper names across scripts** — both sides are reduced to a *consonant skeleton* over a
//!   dozen sound classes (vowels and the semivowels `w y و ي ا ع` dropped, `sh ch ش` one class,
//!   `k q c g j ج ق ك غ خ` one class, `b p`, `f v`, `t d ث ذ ض ط`, `s z ص ز ظ`, doubled
//!   classes collapsed): `حموشي` and `Hammouchi` both give `hmx`, `برتون` and `Berthon` `brtn`,
//!   `فرنسا` and `France` `frns`. Arabic words are tried with and without their proclitics
//!   (`لفرنسا` → `فرنسا`). Only *name-like* Latin tokens take part: capitalised tokens whose
//!   lower-case form never occurs in the same document (so a sentence-initial `The` or `Pour`
//!   is not a name), all-capital acronyms and tokens mixing letters and digits;
//! * **cognates between French and English** — the first four skeleton classes of words of five
//!   letters or more (`gouvernement`/`government` → `kfrn`, `ministre`/`minister` → `mnst`);
//! * **punctuation that a translator keeps** — `?`, `!`, `%`, quotation marks, parentheses;
//! * **everyday news words** from a small hand-written trilingual list ([`super::common_words`]):
//!   `الخميس` = `jeudi` = `Thursday`, `ثلاثة` = `trois` = `3`;
//! * **glossary concepts** — any [`ConceptAnchors`] implementation (the glossary matcher) can
//!   add concept ids; the same concept on both sides is an anchor like a number.
//!
//! Paragraph and heading boundaries are anchors too, but they live on the segment, not in its
//! text: see [`super::cost`].
//!
//! # Why it is valid
//! Every anchor is an *item* with an id (kind + key). The cost model ([`super::cost`]) rewards a
//! bead by the weight of the items found on both of its sides (multiset intersection). A chance
//! collision (an Arabic common word whose skeleton happens to equal a name's) gives the same
//! small reward to right and wrong beads alike, so it adds noise but no bias; items found on
//! one side of the document only are dropped before alignment and cost nothing.
//!
//! # Cost
//! One tokenisation per segment and a few hashes per token: linear in the text.

use super::common_words::{common_word_anchors, phrase_anchors};
use crate::lang::Lang;
use crate::normalize::{self, Token};
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

/// A source of glossary-concept anchors: the glossary matcher implements it so that the same
/// institutional term on both sides (`المديرية العامة للأمن الوطني` ~ `DGSN`) helps alignment.
pub trait ConceptAnchors: Send + Sync {
    /// The ids of the concepts whose terms occur in `text` (written in `lang`), repeated once
    /// per occurrence.
    fn concepts(&self, text: &str, lang: Lang) -> Vec<u32>;
}

/// What kind of anchor an item is; each kind has its own weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AnchorKind {
    /// A number (digits only, separators removed, leading zeros stripped).
    Number,
    /// A Latin-script token, exactly (acronyms and names).
    Latin,
    /// A proper name's consonant skeleton (cross-script).
    Name,
    /// An everyday news word from the built-in trilingual list ([`super::common_words`]).
    Common,
    /// A cognate's skeleton prefix (between two Latin-script languages).
    Cognate,
    /// A punctuation mark translators keep.
    Punct,
    /// A glossary concept.
    Concept,
    /// Paragraph and heading boundaries (not an item of the text: see [`super::cost`]).
    Boundary,
}

impl AnchorKind {
    /// The reward (in nats) for one shared item of this kind, before rarity weighting.
    pub fn weight(self) -> f32 {
        match self {
            AnchorKind::Number => 3.0,
            AnchorKind::Latin => 2.5,
            AnchorKind::Name => 2.0,
            AnchorKind::Cognate => 0.8,
            AnchorKind::Common => 1.2,
            AnchorKind::Punct => 1.0,
            AnchorKind::Concept => 2.5,
            AnchorKind::Boundary => 0.0,
        }
    }
}

/// One anchor item of a segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Anchor {
    /// Its kind.
    pub kind: AnchorKind,
    /// Its comparison key (`41`, `yandhi`, `hmx`, `?`, concept id in decimal).
    pub key: String,
}

impl Anchor {
    fn new(kind: AnchorKind, key: impl Into<String>) -> Self {
        Anchor { kind, key: key.into() }
    }

    /// A stable 64-bit id of (kind, key).
    pub fn id(&self) -> u64 {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        self.kind.hash(&mut h);
        self.key.hash(&mut h);
        h.finish()
    }
}

/// FNV-1a: tiny, deterministic across runs and platforms (std's hasher is randomly keyed).
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// What the anchor extractor needs to know about the whole side: the Latin words that occur in
/// lower case somewhere (so are not names).
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    lowercase: HashSet<String>,
}

impl DocContext {
    /// Scans every segment text of one side.
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ctx = DocContext::default();
        for text in texts {
            ctx.add(text, &normalize::tokens(text));
        }
        ctx
    }

    /// True when the word whose matching key is `key` occurs in lower case somewhere in the
    /// side (so a capitalised occurrence is a common word opening a sentence, not a name).
    pub fn occurs_lowercase(&self, key: &str) -> bool {
        self.lowercase.contains(key)
    }

    /// Adds one segment `text` with its tokens.
    pub fn add(&mut self, text: &str, toks: &[Token]) {
        for tok in toks {
            let orig = tok.span.slice(text);
            if orig.chars().next().is_some_and(|c| c.is_lowercase()) && !self.lowercase.contains(&tok.key) {
                self.lowercase.insert(tok.key.clone());
            }
        }
    }
}

/// The anchors of one segment `text` written in `lang`.
pub fn anchors(text: &str, lang: Lang, ctx: &DocContext) -> Vec<Anchor> {
    let norm = normalize::normalize(text);
    anchors_of(text, &norm.key, &normalize::tokenize(&norm), lang, ctx)
}

/// [`anchors`] from the segment's key and tokens, already computed.
pub fn anchors_of(text: &str, key: &str, toks: &[Token], lang: Lang, ctx: &DocContext) -> Vec<Anchor> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        let tok = &toks[k];
        if tok.is_number() {
            let (key, used) = number_key(text, &toks[k..]);
            if !key.is_empty() {
                out.push(Anchor::new(AnchorKind::Number, key));
            }
            k += used;
            continue;
        }
        k += 1;
        let orig = tok.span.slice(text);
        out.extend(common_word_anchors(tok, lang).into_iter().map(|(kind, key)| Anchor::new(kind, key)));
        if tok.is_arabic() {
            let mut skels: Vec<String> = Vec::new();
            let mut push = |s: String| {
                if s.len() >= 2 && !skels.contains(&s) {
                    skels.push(s);
                }
            };
            push(skeleton(&tok.key));
            for split in tok.clitic_splits() {
                push(skeleton(split.stem));
            }
            out.extend(skels.into_iter().map(|s| Anchor::new(AnchorKind::Name, s)));
            continue;
        }
        if !tok.key.chars().next().is_some_and(|c| c.is_alphabetic()) {
            continue;
        }
        if lang == Lang::Ar {
            // a Latin token in Arabic text is matched exactly, not by sound
            out.push(Anchor::new(AnchorKind::Latin, tok.key.clone()));
            continue;
        }
        let name_like = is_name_like(tok, orig, ctx);
        if name_like {
            out.push(Anchor::new(AnchorKind::Latin, tok.key.clone()));
            let s = skeleton(&tok.key);
            if s.len() >= 2 {
                out.push(Anchor::new(AnchorKind::Name, s));
            }
        }
        if tok.key.chars().count() >= 5 {
            let s = skeleton(&tok.key);
            if s.len() >= 3 {
                let prefix: String = s.chars().take(4).collect();
                out.push(Anchor::new(AnchorKind::Cognate, prefix));
            }
        }
    }
    out.extend(phrase_anchors(key, lang).into_iter().map(|(kind, key)| Anchor::new(kind, key)));
    out.extend(punct_anchors(text));
    out
}

/// A Latin token that is probably a name: capitalised and never lower-case in the document,
/// an acronym, or letters mixed with digits.
fn is_name_like(tok: &Token, orig: &str, ctx: &DocContext) -> bool {
    let letters: Vec<char> = orig.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        return true;
    }
    if tok.key.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    letters.first().is_some_and(|c| c.is_uppercase()) && !ctx.lowercase.contains(&tok.key)
}

/// The key of the number starting at `toks[0]`, joining French/English thousands groups written
/// with spaces (`1 000 000`), and how many tokens it used.
fn number_key(text: &str, toks: &[Token]) -> (String, usize) {
    let mut digits: String = toks[0].key.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut used = 1;
    while let Some(next) = toks.get(used) {
        let gap = &text[toks[used - 1].span.end..next.span.start];
        let is_group = next.key.len() == 3 && next.key.bytes().all(|b| b.is_ascii_digit());
        if is_group && !gap.is_empty() && gap.chars().all(|c| c.is_whitespace()) && gap.chars().count() == 1 {
            digits.push_str(&next.key);
            used += 1;
        } else {
            break;
        }
    }
    let trimmed = digits.trim_start_matches('0');
    let key = if trimmed.is_empty() && !digits.is_empty() { "0" } else { trimmed };
    (key.to_string(), used)
}

/// Punctuation anchors: one item per `?`, `!`, `%`, `(`, and per pair of quotation marks.
fn punct_anchors(text: &str) -> Vec<Anchor> {
    let mut out = Vec::new();
    let mut quotes = 0usize;
    for c in text.chars() {
        let key = match c {
            '?' | '؟' | '¿' => "?",
            '!' => "!",
            '%' | '٪' => "%",
            '(' => "(",
            '"' | '«' | '»' | '“' | '”' | '„' => {
                quotes += 1;
                continue;
            }
            _ => continue,
        };
        out.push(Anchor::new(AnchorKind::Punct, key));
    }
    for _ in 0..quotes.div_ceil(2) {
        out.push(Anchor::new(AnchorKind::Punct, "\""));
    }
    out
}

/// The consonant skeleton of a word key (Arabic or Latin script): see the module doc.
///
/// Classes: `b` (b p پ ب), `f` (f v ف ڤ), `t` (t d th ت ث د ذ ض ط), `s` (s z c+e/i/y ç س ز ص
/// ظ), `x` (sh ch sch ش چ), `k` (k q c g j x kh gh ck ك ق ج غ خ گ), `h` (h ح ه), `l`, `m`,
/// `n`, `r`. Vowels, `w`, `y`, `ا و ي ى ء ع` and a word-final `h`/`ه` are dropped; runs of one
/// class collapse to one letter.
pub fn skeleton(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut push = |c: char| {
        if !out.ends_with(c) {
            out.push(c);
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let last = i + 1 == chars.len();
        i += 1;
        let class = match c {
            'ب' | 'پ' => Some('b'),
            'ف' | 'ڤ' => Some('f'),
            'ت' | 'ث' | 'د' | 'ذ' | 'ض' | 'ط' => Some('t'),
            'س' | 'ز' | 'ص' | 'ظ' => Some('s'),
            'ش' | 'چ' => Some('x'),
            'ك' | 'ق' | 'ج' | 'غ' | 'خ' | 'گ' | 'ک' => Some('k'),
            'ح' => Some('h'),
            'ه' | 'ة' => (!last).then_some('h'),
            'ل' => Some('l'),
            'م' => Some('m'),
            'ن' => Some('n'),
            'ر' => Some('r'),
            'b' | 'p' => {
                if c == 'p' && next == Some('h') {
                    i += 1;
                    Some('f')
                } else {
                    Some('b')
                }
            }
            'f' | 'v' => Some('f'),
            't' | 'd' => {
                if next == Some('h') {
                    i += 1;
                } else if c == 'd' && next == Some('j') {
                    // "dj" (Djamel) is one sound, written ج
                    i += 1;
                    push('k');
                    continue;
                }
                Some('t')
            }
            's' => {
                if next == Some('h') {
                    i += 1;
                    Some('x')
                } else if next == Some('c') && chars.get(i + 1) == Some(&'h') {
                    i += 2;
                    Some('x')
                } else {
                    Some('s')
                }
            }
            'z' => Some('s'),
            'c' => match next {
                Some('h') => {
                    i += 1;
                    Some('x')
                }
                Some('e' | 'i' | 'y') => Some('s'),
                Some('k') => {
                    i += 1;
                    Some('k')
                }
                _ => Some('k'),
            },
            'k' | 'g' | 'q' | 'j' => {
                if next == Some('h') {
                    i += 1;
                }
                if c == 'q' && next == Some('u') {
                    i += 1;
                }
                Some('k')
            }
            'x' => {
                push('k');
                Some('s')
            }
            'h' => (!last).then_some('h'),
            'l' | 'm' | 'n' | 'r' => Some(c),
            _ => None,
        };
        if let Some(class) = class {
            push(class);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str, lang: Lang, kind: AnchorKind) -> Vec<String> {
        let ctx = DocContext::new([text]);
        anchors(text, lang, &ctx).into_iter().filter(|a| a.kind == kind).map(|a| a.key).collect()
    }

    #[test]
    fn skeletons_match_across_scripts() {
        assert_eq!(skeleton("حموشي"), skeleton("hammouchi"));
        assert_eq!(skeleton("برتون"), skeleton("berthon"));
        assert_eq!(skeleton("فرنسا"), skeleton("france"));
        assert_eq!(skeleton("باريس"), skeleton("paris"));
        assert_eq!(skeleton("ماكرون"), skeleton("macron"));
        assert_ne!(skeleton("حموشي"), skeleton("berthon"));
    }

    #[test]
    fn numbers_fold_digits_and_groups() {
        assert_eq!(keys("زار ٣ مدن في ٢٠٢٤.", Lang::Ar, AnchorKind::Number), ["3", "2024"]);
        assert_eq!(keys("Il a versé 1 500 euros en 2024.", Lang::Fr, AnchorKind::Number), ["1500", "2024"]);
        assert_eq!(keys("He paid 1,500 euros.", Lang::En, AnchorKind::Number), ["1500"]);
    }

    #[test]
    fn names_need_capitals_not_seen_in_lower_case() {
        let latin =
            keys("Pour la police, Hammouchi a parlé. la police pour tous.", Lang::Fr, AnchorKind::Latin);
        assert_eq!(latin, ["hammouchi"]);
    }

    #[test]
    fn arabic_side_keeps_latin_tokens_and_stripped_stems() {
        let text = "أطلق ألبوم Yandhi لفرنسا";
        assert_eq!(keys(text, Lang::Ar, AnchorKind::Latin), ["yandhi"]);
        assert!(keys(text, Lang::Ar, AnchorKind::Name).contains(&skeleton("france")));
    }

    #[test]
    fn punctuation_counts_quote_pairs() {
        let p = keys("Il a dit « oui » ? Non !", Lang::Fr, AnchorKind::Punct);
        assert_eq!(p, ["?", "!", "\""]);
    }
}
