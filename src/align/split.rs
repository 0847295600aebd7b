//! Split beads: repairing a segmentation from the other version.
//!
//! # Idea
//! A segmenter cannot see a sentence boundary that has no punctuation: a sub-heading glued to
//! the first sentence (`… contre Dundee Les Dundee Stars ont effacé …`), an Arabic sentence
//! ending in nothing or in a comma, a quotation closed by `»` and run into the next sentence.
//! The other version of the article often *does* cut there. So besides merging whole segments,
//! the search may **cut one segment in two** and pair each half with one segment of the other
//! side: the bead shapes [`SPLIT_A`](super::cost::SPLIT_A) ("1 segment split in 2 ↔ 2
//! segments") and [`SPLIT_B`](super::cost::SPLIT_B) (the mirror).
//!
//! # Where a segment may be cut
//! Only at *candidate points* ([`cut_points`]), the places where a sentence may end without the
//! segmenter having ended it: a line break inside the segment; after `. ! ? ؟ … : ; ؛` or a
//! closing quotation mark or bracket followed by a space (a boundary the segmenter rejected as
//! uncertain, an abbreviation, a quotation); after a dash standing between spaces; after `،`
//! before a word starting with `و` (Arabic "and", the usual opening of a new sentence); in
//! French and English, before a capitalised word that follows a word without a stop; in
//! Arabic, before a word starting with `و` or `ف` that follows a word without punctuation.
//! Each half must hold at least [`MIN_HALF`] non-space characters. A segment longer than
//! [`MAX_SEGMENT_BYTES`] gets no candidates (no translation unit is that long; the limit
//! bounds the work on text without punctuation), and at most [`MAX_CUTS`] are kept per
//! segment, the strongest kinds first.
//!
//! # What a split costs, and why it needs evidence from the other side
//! A split bead costs its prior ([`SPLIT_PRIOR`](super::cost::SPLIT_PRIOR)) plus the cost of
//! each half as a 1-1 bead with the segment it faces (length model, anchors, boundaries), at
//! the cheapest candidate point. **Each half must share at least one anchor with the segment it
//! faces** (a number, a name, a learnt word pair…); otherwise the cut is not considered. This
//! is why the aligner never splits where the other version gives no evidence: without two
//! segments on the other side there is nothing to pair the halves with, and length alone
//! cannot place a cut — a run of twenty words can be cut at many points whose halves fit two
//! given lengths about equally well, so a cut chosen by length would be a guess, and a wrong
//! cut loses text from both of its units. With an anchor on each side of the cut, the cut is
//! where the two other-side sentences say the content changes hands. When the evidence holds,
//! the split still has to beat every other way of covering the same segments (a 1-2 bead, a
//! 1-1 bead and a one-sided bead), so the segment is only cut when its halves fit their
//! partners better than the whole segment fits both.
//!
//! # Reporting
//! A split gives two [`Bead`](super::Bead)s that hold the same segment on the split side, each
//! with the byte range of its half ([`Bead::parts`](super::Bead::parts)); the bytes of every
//! segment are covered exactly once, in order. `segment` itself is unchanged: the cut lives in
//! the alignment.
//!
//! # Cost
//! One normalization of each half per candidate point, at most [`MAX_CUTS`] per segment; in
//! the search, at most `2 × MAX_CUTS` 1-1 costs per node for the split shapes, and none for a
//! segment without candidates.

use crate::lang::Lang;

/// Fewest non-space characters each half of a cut must hold.
pub const MIN_HALF: usize = 12;
/// Most candidate points kept per segment.
pub const MAX_CUTS: usize = 12;
/// Segments longer than this (in bytes) get no candidate points.
pub const MAX_SEGMENT_BYTES: usize = 4000;

/// Byte offsets in `text` where a second sentence could start (see the module doc), in order,
/// each with the extra cost of cutting there (0 after a stop or a line break, more for weaker
/// signs). Each offset is the start of a word, after the whitespace that follows the first
/// half. `common(key)` says whether a word (by its matching key) occurs in lower case in the
/// document: a capitalised common word (`Les`, `The`) opens a sentence more surely than a name.
pub fn cut_points(text: &str, lang: Lang, common: &dyn Fn(&str) -> bool) -> Vec<(usize, f64)> {
    if text.len() > MAX_SEGMENT_BYTES {
        return Vec::new();
    }
    // (strength class, offset): 0 = line break or strong punctuation, 1 = weaker signs
    let mut found: Vec<(u8, usize)> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        if !chars[k].1.is_whitespace() {
            k += 1;
            continue;
        }
        let ws_start = k;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if ws_start == 0 || k == chars.len() {
            continue;
        }
        let (at, next) = chars[k];
        let prev = chars[ws_start - 1].1;
        let newline = chars[ws_start..k].iter().any(|c| c.1 == '\n');
        let before_prev = if ws_start >= 2 { Some(chars[ws_start - 2].1) } else { None };
        let strong = matches!(
            prev,
            '.' | '!' | '?' | '؟' | '…' | ';' | '؛' | ':' | '»' | '”' | '"' | '\'' | ')' | '’'
        );
        let dash = matches!(prev, '-' | '–' | '—') && before_prev.is_none_or(char::is_whitespace);
        let class = if newline || strong {
            Some(0)
        } else if dash || (prev == '،' && next == 'و') {
            Some(1)
        } else if prev.is_alphanumeric() {
            match lang {
                Lang::Fr | Lang::En if next.is_uppercase() => {
                    let word: &str = text[at..].split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                    let key = crate::normalize::key(word);
                    Some(if common(&key) || OPENERS.contains(&key.as_str()) { 1 } else { 3 })
                }
                Lang::Ar if matches!(next, 'و' | 'ف') => Some(2),
                _ => None,
            }
        } else {
            None
        };
        if let Some(c) = class {
            let left = text[..at].chars().filter(|c| !c.is_whitespace()).count();
            let right = text[at..].chars().filter(|c| !c.is_whitespace()).count();
            if left >= MIN_HALF && right >= MIN_HALF {
                found.push((c, at));
            }
        }
    }
    if found.len() > MAX_CUTS {
        found.sort_unstable();
        found.truncate(MAX_CUTS);
    }
    let mut out: Vec<(usize, f64)> = found.into_iter().map(|(c, at)| (at, EXTRA[c as usize])).collect();
    out.sort_unstable_by_key(|x| x.0);
    out
}

/// Words that open sentences in French and English (matching keys): a capitalised one after a
/// word without a stop is a likely sentence start even in a short document.
const OPENERS: [&str; 48] = [
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "his",
    "her",
    "their",
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "des",
    "ce",
    "cette",
    "ces",
    "il",
    "elle",
    "ils",
    "elles",
    "on",
    "nous",
    "selon",
    "mais",
    "en",
    "dans",
    "the",
    "a",
    "an",
    "this",
    "these",
    "it",
    "he",
    "she",
    "they",
    "we",
    "in",
    "on",
    "at",
    "but",
    "according",
    "after",
    "apres",
    "depuis",
    "since",
    "there",
];

/// Extra cost of a cut by strength class: after a stop, a colon, a closing quote or at a line
/// break; after a dash or `،` before `و`, or before a capitalised common word; before `و`/`ف`
/// in Arabic without punctuation; before a capitalised name.
const EXTRA: [f64; 4] = [0.0, 0.3, 0.5, 0.8];

#[cfg(test)]
mod tests {
    use super::*;

    fn cut_points(text: &str, lang: Lang) -> Vec<usize> {
        super::cut_points(text, lang, &|k| ["les", "la", "le", "the"].contains(&k))
            .into_iter()
            .map(|x| x.0)
            .collect()
    }

    fn halves(text: &str, lang: Lang) -> Vec<(&str, &str)> {
        cut_points(text, lang).into_iter().map(|at| (&text[..at], &text[at..])).collect()
    }

    #[test]
    fn a_capital_after_a_word_without_a_stop_is_a_candidate_in_french() {
        let t = "Victoire nette contre Dundee Les Stars ont effacé leur retard en dix minutes.";
        let h = halves(t, Lang::Fr);
        assert!(
            h.contains(&(
                "Victoire nette contre Dundee ",
                "Les Stars ont effacé leur retard en dix minutes."
            )),
            "{h:?}"
        );
        // before the common word `Les` it costs less than before the name `Dundee`
        let c = super::cut_points(t, Lang::Fr, &|k| k == "les");
        let extra = |at: usize| c.iter().find(|x| x.0 == at).unwrap().1;
        assert!(extra(t.find("Les").unwrap()) < extra(t.find("Dundee").unwrap()), "{c:?}");
    }

    #[test]
    fn arabic_comma_before_wa_and_a_line_break_are_candidates() {
        let t = "وصل الوفد إلى المدينة صباح اليوم، وعقد اجتماعا مطولا مع المسؤولين.";
        assert_eq!(halves(t, Lang::Ar)[0].1, "وعقد اجتماعا مطولا مع المسؤولين.");
        let t = "Un titre sans point final\nLa première phrase de l'article suit ici.";
        assert_eq!(
            halves(t, Lang::Fr),
            vec![("Un titre sans point final\n", "La première phrase de l'article suit ici.")]
        );
    }

    #[test]
    fn no_candidate_inside_a_plain_sentence_or_too_close_to_an_end() {
        assert!(
            cut_points("La ville a ouvert une bibliothèque dans le quartier du port.", Lang::Fr).is_empty()
        );
        // "M." before a name: the first half would be too short
        assert!(cut_points("M. Dupont a ouvert la séance ce matin.", Lang::Fr).is_empty());
        assert!(cut_points(&"a".repeat(MAX_SEGMENT_BYTES + 1), Lang::Fr).is_empty());
    }

    #[test]
    fn candidates_are_char_boundaries_and_capped() {
        let t = "Les Bleus. ".repeat(40);
        let c = cut_points(&t, Lang::Fr);
        assert!(c.len() <= MAX_CUTS && !c.is_empty());
        assert!(c.iter().all(|&at| t.is_char_boundary(at)));
        assert!(c.windows(2).all(|w| w[0] < w[1]));
    }
}
