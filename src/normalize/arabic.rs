//! Arabic folding table and proclitic analysis.
//!
//! Folding (applied after NFKC, so presentation forms arrive here as base letters):
//! * dropped: harakat, tanwin, shadda, sukun and the other marks U+064B–U+065F, superscript
//!   alef U+0670, Quranic annotation marks U+06D6–U+06ED, tatweel U+0640;
//! * alef forms `أ إ آ ٱ` → `ا`; `ى` → `ي`; `ة` → `ه`; `ؤ` → `و`; `ئ` → `ي`; Persian `ک`/`ی` →
//!   `ك`/`ي` — the spellings Arabic writers and OCR use interchangeably;
//! * Arabic-Indic `٠–٩` and Extended Arabic-Indic `۰–۹` digits → ASCII digits;
//! * Arabic comma, semicolon and question mark `، ؛ ؟` → `, ; ?`; the Arabic decimal and
//!   thousands separators U+066B `٫` and U+066C `٬` → `.` and `,` (so `٣٫٥` is the number
//!   `3.5` and `١٬٠٠٠` joins into `1,000`, as in Latin digits); Arabic percent `٪` → `%`.
//!
//! Proclitics: a written Arabic word may carry a conjunction (`و`, `ف`), then a preposition
//! (`ب`, `ك`, `ل`), then the article `ال`; `ل` + `ال` is written `لل`. [`clitic_splits`] lists
//! every analysis that leaves a stem of at least two letters; it never decides.

/// What the table does with a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// Remove the character from the key.
    Drop,
    /// Replace it with this one.
    To(char),
}

/// The fold of an Arabic-block character, or `None` for characters this table leaves alone.
#[inline]
pub fn fold(c: char) -> Option<Fold> {
    let u = c as u32;
    if !(0x0600..=0x06FF).contains(&u) {
        return None;
    }
    Some(match c {
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}' => Fold::Drop,
        'أ' | 'إ' | 'آ' | 'ٱ' => Fold::To('ا'),
        'ى' | 'ئ' | 'ی' => Fold::To('ي'),
        'ة' => Fold::To('ه'),
        'ؤ' => Fold::To('و'),
        'ک' => Fold::To('ك'),
        '٠'..='٩' => Fold::To(char::from(b'0' + (u - 0x0660) as u8)),
        '۰'..='۹' => Fold::To(char::from(b'0' + (u - 0x06F0) as u8)),
        '\u{066B}' => Fold::To('.'),
        '\u{066C}' => Fold::To(','),
        '\u{066A}' => Fold::To('%'),
        '،' => Fold::To(','),
        '؛' => Fold::To(';'),
        '؟' => Fold::To('?'),
        _ => Fold::To(c),
    })
}

/// One analysis of an Arabic word's proclitics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CliticSplit<'a> {
    /// `و` or `ف`, if present.
    pub conjunction: Option<char>,
    /// `ب`, `ك` or `ل`, if present.
    pub preposition: Option<char>,
    /// Whether the article `ال` is part of the analysis.
    pub article: bool,
    /// The rest of the word, in key form (for `لل`, without the article's alef).
    pub stem: &'a str,
    /// Byte length of the proclitic prefix in the token key.
    pub prefix_len: usize,
}

impl CliticSplit<'_> {
    /// The stem with the article written back (`الامن` for `بالامن`), which is how glossary
    /// terms are stored; `None` when the analysis has no article.
    pub fn with_article(&self) -> Option<String> {
        self.article.then(|| format!("ال{}", self.stem))
    }
}

/// Every proclitic analysis of a folded Arabic word that leaves a stem of two letters or more,
/// least stripping first. The unsplit word itself is not listed.
pub fn clitic_splits(word: &str) -> Vec<CliticSplit<'_>> {
    let mut out = Vec::new();
    let min_stem = 2;
    for (conj, after_conj) in strip_one(word, &['و', 'ف']) {
        for (prep, after_prep) in strip_one(after_conj, &['ب', 'ك', 'ل']) {
            let prefix_len = word.len() - after_prep.len();
            if (conj.is_some() || prep.is_some()) && after_prep.chars().count() >= min_stem {
                out.push(CliticSplit {
                    conjunction: conj,
                    preposition: prep,
                    article: false,
                    stem: after_prep,
                    prefix_len,
                });
            }
            if let Some(stem) = after_prep.strip_prefix("ال") {
                if stem.chars().count() >= min_stem {
                    out.push(CliticSplit {
                        conjunction: conj,
                        preposition: prep,
                        article: true,
                        stem,
                        prefix_len: word.len() - stem.len(),
                    });
                }
            }
        }
        // لل = ل + ال, the alef of the article dropped in writing.
        if let Some(stem) = after_conj.strip_prefix("لل") {
            if stem.chars().count() >= min_stem {
                out.push(CliticSplit {
                    conjunction: conj,
                    preposition: Some('ل'),
                    article: true,
                    stem,
                    prefix_len: word.len() - stem.len(),
                });
            }
        }
    }
    out.sort_by_key(|s| s.prefix_len);
    out.dedup();
    out
}

/// The word unstripped, and stripped of one of `letters` when it starts with it.
fn strip_one<'a>(word: &'a str, letters: &[char]) -> Vec<(Option<char>, &'a str)> {
    let mut out = vec![(None, word)];
    if let Some(first) = word.chars().next() {
        if letters.contains(&first) {
            out.push((Some(first), &word[first.len_utf8()..]));
        }
    }
    out
}

/// The stem left after stripping the longest analysis whose stem keeps three letters or more:
/// the comparison form fuzzy TM lookup uses for Arabic words (`والمديرية` → `مديريه`).
pub fn light_stem(word: &str) -> &str {
    clitic_splits(word).into_iter().rev().find(|s| s.stem.chars().count() >= 3).map_or(word, |s| s.stem)
}
