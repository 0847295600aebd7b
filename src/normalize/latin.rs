//! Latin-script folding: case, diacritics, ligatures, apostrophes and quotes, French elision.
//!
//! * Case: full Unicode lower-casing (`É` → `é` → `e`).
//! * Diacritics: canonical decomposition, combining marks dropped (`Sûreté` → `surete`).
//! * Ligatures and special letters: `œ` → `oe`, `æ` → `ae`, `ß` → `ss`, `ø` → `o`, `ł` → `l`,
//!   `đ` → `d`, `þ` → `th`.
//! * Apostrophes `’ ‘ ‛ ʼ ′ ´ \`` → `'`; quotes `« » “ ” „ ‟ ‹ ›` → `"`; dashes → `-`.
//! * French elision: after `l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu' quoiqu'` a space
//!   is inserted, so `l'État` gives the words `l'` and `etat` (see [`is_elided_clitic`]).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The result of folding one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folded {
    /// One character.
    One(char),
    /// Two characters (ligatures).
    Two(char, char),
    /// A longer expansion (rare lower-casings).
    Many(&'static str),
    /// An apostrophe of any kind (elision is decided by the caller).
    Apostrophe,
}

/// Folds one (NFKC-normalized) character.
#[inline]
pub fn fold(c: char) -> Folded {
    if c.is_ascii() {
        return match c {
            '\'' | '`' => Folded::Apostrophe,
            _ => Folded::One(c.to_ascii_lowercase()),
        };
    }
    match c {
        '’' | '‘' | '‛' | 'ʼ' | '′' | '´' => Folded::Apostrophe,
        '«' | '»' | '“' | '”' | '„' | '‟' | '‹' | '›' => Folded::One('"'),
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => Folded::One('-'),
        '…' => Folded::Many("..."),
        'œ' | 'Œ' => Folded::Two('o', 'e'),
        'æ' | 'Æ' => Folded::Two('a', 'e'),
        'ß' | 'ẞ' => Folded::Two('s', 's'),
        'þ' | 'Þ' => Folded::Two('t', 'h'),
        'ø' | 'Ø' => Folded::One('o'),
        'ł' | 'Ł' => Folded::One('l'),
        'đ' | 'Đ' => Folded::One('d'),
        'ı' => Folded::One('i'),
        _ if is_combining_mark(c) && !crate::lang::is_arabic_letter(c) => Folded::Many(""),
        _ => strip_accent(lower(c)),
    }
}

fn lower(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(one), None) => one,
        (Some(first), Some(_)) => first, // İ → i + combining dot: the dot is a diacritic anyway
        _ => c,
    }
}

fn strip_accent(c: char) -> Folded {
    if !c.is_alphabetic() || (c as u32) >= 0x0250 {
        return Folded::One(c);
    }
    let mut base = None;
    decompose_canonical(c, |d| {
        if base.is_none() && !is_combining_mark(d) {
            base = Some(d);
        }
    });
    Folded::One(base.unwrap_or(c))
}

/// French elided words that attach to the next word with an apostrophe.
const ELIDED: &[&str] =
    &["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"];

/// True when `word` (folded, without the apostrophe) is a French elided clitic.
pub fn is_elided_clitic(word: &str) -> bool {
    ELIDED.contains(&word)
}
