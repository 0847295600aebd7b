//! The built-in rule tables: which characters end a sentence, which close or open a quotation,
//! and the per-language word lists behind the no-break rules.
//!
//! The tables are data, shared by two consumers: the hand-written scanner in
//! [`super::scanner`] (which looks words up in them) and the SRX exporter in
//! [`super::srx::builtin_srx`] (which turns them into `beforebreak`/`afterbreak` regexes). Keeping
//! one source of truth is what lets a test check that the exported SRX segments like the scanner.
//!
//! Word lists are compared case-sensitively against the word just before a period (letters
//! only: "(Mr." → "Mr", "«M." → "M"); every entry is written as it appears in running text.

use crate::lang::Lang;

/// Characters that can end a sentence: `.` `!` `?` `…`, Arabic `؟` (U+061F), Urdu/Arabic full
/// stop `۔` (U+06D4), the double marks `‼ ⁇ ⁈ ⁉` and the ideographic full stop.
pub const TERMINALS: &[char] = &['.', '!', '?', '…', '؟', '۔', '‼', '⁇', '⁈', '⁉', '。'];

/// Characters that may follow a sentence end and still belong to the sentence: closing quotes
/// and brackets (`."` `.»` `?)` `!’`).
pub const CLOSERS: &[char] = &['"', '\'', '»', '”', '’', ')', ']', '}', '›', '」', '』'];

/// Characters skipped before the first letter of the next sentence when looking at its case:
/// opening quotes and brackets, dashes of dialogue, Spanish inverted marks.
pub const OPENERS: &[char] =
    &['"', '\'', '«', '“', '‘', '„', '(', '[', '{', '‹', '¿', '¡', '-', '–', '—', '「', '『'];

/// Closers that may stand after a space in French typography (`fin. »`, `fin. ”`): they close
/// the sentence before them when followed by a space or the end of the line.
pub const DETACHED_CLOSERS: &[char] = &['»', '”'];

/// True for a sentence-ending character.
#[inline]
pub fn is_terminal(c: char) -> bool {
    TERMINALS.contains(&c)
}

/// True for a closing quote or bracket.
#[inline]
pub fn is_closer(c: char) -> bool {
    CLOSERS.contains(&c)
}

/// True for an opening quote, bracket or dash.
#[inline]
pub fn is_opener(c: char) -> bool {
    OPENERS.contains(&c)
}

/// The word lists of one language.
#[derive(Debug)]
pub struct LangRules {
    /// The language.
    pub lang: Lang,
    /// Titles and abbreviations that are never the end of a sentence: a name or a noun always
    /// follows ("Mr. Smith", "M. Dupont", "av. Hassan II").
    pub titles: &'static [&'static str],
    /// Abbreviations that do not end a sentence when a number follows ("No. 5", "p. 12",
    /// "Jan. 26", "art. 3"); before a capital they are taken as a sentence end.
    pub before_number: &'static [&'static str],
    /// Words that start sentences: after a dotted acronym ("U.S.", "D.G.S.N.") a capital usually
    /// continues the sentence ("the U.S. Army"), unless it is one of these ("the U.S. The ...").
    pub starters: &'static [&'static str],
    /// Whether `...`/`…` before a word that is not lower case ends a sentence. False for Arabic,
    /// which has no letter case and writes `...` as a pause inside sentences.
    pub ellipsis_ends_sentence: bool,
    /// One-letter abbreviations that, after a number, end a date and may end the sentence:
    /// Arabic era markers "م." (ميلادي, AD) and "ه." (هجري, AH) in "عام 1956 م.". Elsewhere a
    /// single letter before a period is taken as an initial.
    pub era_markers: &'static [char],
}

impl LangRules {
    /// The built-in tables for `lang`.
    pub fn for_lang(lang: Lang) -> &'static LangRules {
        match lang {
            Lang::Ar => &AR,
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }
}

static EN: LangRules = LangRules {
    lang: Lang::En,
    titles: &[
        "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "St", "Sts", "Mt", "Ft", "Sen", "Sens", "Rep", "Reps", "Gov",
        "Gen", "Lt", "Col", "Maj", "Capt", "Cpt", "Cmdr", "Adm", "Sgt", "Cpl", "Pvt", "Det", "Insp", "Supt",
        "Rev", "Hon", "Pres", "Messrs", "Mmes", "Fr", "Sr", "Jr", "vs", "v", "approx", "cf", "ca", "Gens",
        "Brig",
    ],
    before_number: &[
        "No", "Nos", "no", "nos", "p", "pp", "para", "art", "Art", "fig", "Fig", "vol", "Vol", "ch", "Ch",
        "sec", "Sec", "op", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
        "Dec", "Mon", "Tue", "Tues", "Wed", "Thu", "Thurs", "Fri", "Sat", "Sun", "Rt", "Hwy", "Rte", "est",
        "tel", "Tel", "ext",
    ],
    starters: &[
        "A",
        "An",
        "And",
        "As",
        "At",
        "But",
        "For",
        "He",
        "Her",
        "His",
        "However",
        "I",
        "If",
        "In",
        "It",
        "Its",
        "Meanwhile",
        "My",
        "Officials",
        "On",
        "Our",
        "She",
        "So",
        "That",
        "The",
        "Their",
        "There",
        "These",
        "They",
        "This",
        "Those",
        "We",
        "What",
        "When",
        "While",
        "You",
    ],
    ellipsis_ends_sentence: true,
    era_markers: &[],
};

static FR: LangRules = LangRules {
    lang: Lang::Fr,
    titles: &[
        "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Drs", "Pr", "Me", "Mgr", "St", "Ste", "Sts",
        "Stes", "Gén", "Gal", "Col", "Cdt", "Lt", "Cne", "Sgt", "av", "Av", "bd", "Bd", "boul", "pl", "cf",
        "Cf", "éd", "coll", "dir", "trad", "env", "vs", "c", "resp",
    ],
    before_number: &[
        "p", "pp", "n", "no", "No", "nos", "art", "Art", "al", "fig", "vol", "t", "chap", "ch", "éd", "janv",
        "févr", "avr", "juil", "sept", "oct", "nov", "déc", "tél", "Tél", "réf", "env", "min", "max",
    ],
    starters: &[
        "A", "Au", "Après", "C", "Ce", "Ces", "Cet", "Cette", "D", "Dans", "De", "Depuis", "Des", "Elle",
        "Elles", "En", "Et", "Il", "Ils", "Je", "L", "La", "Le", "Les", "Lors", "Mais", "Nous", "On", "Or",
        "Pour", "Selon", "Un", "Une", "À",
    ],
    ellipsis_ends_sentence: true,
    era_markers: &[],
};

static AR: LangRules = LangRules {
    lang: Lang::Ar,
    // Single Arabic letters before a period ("د." doctor, "م." metre/AD, "ص." page) are handled
    // as initials by the scanner and dotted ones ("أ.د.", "ق.م.") as acronyms; what is left
    // are Latin titles quoted in Arabic text.
    titles: &["Mr", "Mrs", "Dr", "St", "Mme"],
    before_number: &["ص", "ج", "رقم", "No", "p"],
    starters: &[],
    ellipsis_ends_sentence: false,
    era_markers: &['م', 'ه'],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_hold_no_punctuation_or_spaces() {
        for lang in [Lang::Ar, Lang::Fr, Lang::En] {
            let r = LangRules::for_lang(lang);
            for w in r.titles.iter().chain(r.before_number).chain(r.starters) {
                assert!(!w.is_empty() && !w.ends_with('.'), "{lang}: {w:?}");
                assert!(!w.chars().any(|c| c.is_whitespace() || is_terminal(c) && c != '.'));
            }
        }
    }
}
