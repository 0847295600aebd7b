//! The three languages qantara knows, and a cheap guess of which one a text is in.
//!
//! Detection is deliberately simple and explainable: the share of Arabic letters among all
//! letters separates Arabic from the Latin-script languages, and counts of a few dozen very
//! frequent function words separate French from English. On a sentence or more of news text
//! this is reliable; on a two-word query it may say "unknown" (`None`), and callers then ask
//! the user for `--lang`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language of qantara's text. `Display` gives the BCP-47 primary tag (`ar`, `fr`, `en`),
/// which is what TMX `xml:lang` and TBX `xml:lang` carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Arabic (Modern Standard Arabic as written in Moroccan and pan-Arab news).
    Ar,
    /// French.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// All languages, in the canonical column order ar, fr, en.
    pub const ALL: [Lang; 3] = [Lang::Ar, Lang::Fr, Lang::En];

    /// The BCP-47 primary language subtag.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// True for right-to-left scripts.
    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }

    /// Parses a comma-separated list such as `ar,fr,en`, rejecting duplicates.
    pub fn parse_list(s: &str) -> Result<Vec<Lang>, LangListError> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let lang: Lang = part.parse()?;
            if out.contains(&lang) {
                return Err(LangListError::Twice { list: s.to_string(), lang });
            }
            out.push(lang);
        }
        Ok(out)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language list (`ar,fr,en`) qantara cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LangListError {
    /// A tag it does not handle.
    #[error(transparent)]
    Unknown(#[from] UnknownLang),
    /// A language named twice (`ar,ar`, `fr,fr-CA`).
    #[error("'{list}' names {lang} twice; give each language once (e.g. ar,fr,en)")]
    Twice {
        /// The list as given.
        list: String,
        /// The repeated language.
        lang: Lang,
    },
}

/// Whether `s` is shaped like a BCP-47 language tag (`de`, `es-ES`, `zh-Hant-TW`, `fil`): a
/// primary subtag of 2 or 3 letters, then subtags of 1 to 8 letters or digits, separated by
/// `-` (or `_`). Tells another language, which a reader may skip, from a value that is no
/// language at all (empty, `french?`), which it must refuse.
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A language tag qantara does not handle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language '{0}': qantara handles ar, fr and en (region subtags like fr-FR are accepted)")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    /// Accepts a BCP-47 tag in any case with any region or script subtags (`ar-MA`, `fr_FR`,
    /// `EN-us`), and the ISO 639-2/3 codes translators meet in TMX files (`ara`, `arb`, `fra`,
    /// `fre`, `eng`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let primary = s.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "ar" | "ara" | "arb" | "ary" => Ok(Lang::Ar),
            "fr" | "fra" | "fre" => Ok(Lang::Fr),
            "en" | "eng" => Ok(Lang::En),
            _ => Err(UnknownLang(s.trim().to_string())),
        }
    }
}

const FRENCH_WORDS: &[&str] = &[
    "le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "pour", "dans", "que", "qui", "sur",
    "au", "aux", "avec", "par", "pas", "ce", "cette", "il", "elle", "sont", "ont", "été", "a", "à", "plus",
    "ne", "se", "son", "sa", "ses", "leur",
];
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "of", "to", "in", "is", "for", "that", "on", "with", "was", "as", "by", "at", "it", "from",
    "his", "her", "has", "have", "are", "were", "be", "this", "an", "which", "he", "she", "they", "their",
    "not", "but", "will", "said",
];

/// Guesses the language of `text`, or `None` when there is too little evidence.
pub fn detect(text: &str) -> Option<Lang> {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if is_arabic_letter(c) {
            arabic += 1;
        } else if c.is_alphabetic() {
            latin += 1;
        }
    }
    if arabic + latin == 0 {
        return None;
    }
    if arabic * 2 > arabic + latin {
        return Some(Lang::Ar);
    }
    let (mut fr, mut en) = (0usize, 0usize);
    for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        let lower = word.to_lowercase();
        fr += FRENCH_WORDS.contains(&lower.as_str()) as usize;
        en += ENGLISH_WORDS.contains(&lower.as_str()) as usize;
        // Elided articles are a strong French signal.
        if word.contains(['\'', '’'])
            && (lower.starts_with("l'")
                || lower.starts_with("d'")
                || lower.starts_with("l’")
                || lower.starts_with("d’"))
        {
            fr += 1;
        }
    }
    if text.chars().any(|c| matches!(c, 'é' | 'è' | 'ê' | 'à' | 'ç' | 'ù' | 'œ' | 'É')) {
        fr += 1;
    }
    match fr.cmp(&en) {
        std::cmp::Ordering::Greater => Some(Lang::Fr),
        std::cmp::Ordering::Less => Some(Lang::En),
        std::cmp::Ordering::Equal => None,
    }
}

/// The languages `texts` look like when they are a reordering of `langs` (each text clearly
/// in another of the listed languages: the files were given in the wrong order), else `None`.
/// A text whose language cannot be told, or a guess outside `langs`, is not a reordering.
pub fn reordering(texts: &[&str], langs: &[Lang]) -> Option<Vec<Lang>> {
    let found: Vec<Lang> = texts.iter().map(|t| detect(t)).collect::<Option<_>>()?;
    let (mut a, mut b) = (found.clone(), langs.to_vec());
    a.sort();
    b.sort();
    (found != langs && a == b).then_some(found)
}

/// True for letters of the Arabic script blocks (base, supplement, extended-A, presentation forms).
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c as u32,
        0x0620..=0x064A | 0x066E..=0x06D3 | 0x06D5 | 0x06FA..=0x06FC | 0x0750..=0x077F
        | 0x08A0..=0x08C9 | 0xFB50..=0xFDFF | 0xFE70..=0xFEFC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_region_and_iso639_2_tags() {
        assert_eq!("ar-MA".parse::<Lang>().unwrap(), Lang::Ar);
        assert_eq!("FR".parse::<Lang>().unwrap(), Lang::Fr);
        assert_eq!("fr_FR".parse::<Lang>().unwrap(), Lang::Fr);
        assert_eq!("eng".parse::<Lang>().unwrap(), Lang::En);
        assert!("de".parse::<Lang>().is_err());
    }

    #[test]
    fn list_rejects_duplicates() {
        assert_eq!(Lang::parse_list("ar,fr,en").unwrap(), vec![Lang::Ar, Lang::Fr, Lang::En]);
        assert_eq!(
            Lang::parse_list("fr,fr-CA").unwrap_err().to_string(),
            "'fr,fr-CA' names fr twice; give each language once (e.g. ar,fr,en)"
        );
    }

    #[test]
    fn detects_the_three_languages() {
        assert_eq!(detect("زار المدير العام للأمن الوطني فرنسا في يونيو."), Some(Lang::Ar));
        assert_eq!(detect("Le directeur général de la Sûreté nationale est arrivé à Paris."), Some(Lang::Fr));
        assert_eq!(detect("The director general of national security arrived in Paris."), Some(Lang::En));
        assert_eq!(detect("2024 — 466"), None);
    }

    #[test]
    fn language_tags_are_told_from_other_values() {
        for tag in ["de", "es-ES", "zh-Hant-TW", "fil", "pt_BR", "AR"] {
            assert!(is_language_tag(tag), "{tag}");
        }
        for not in ["", "french?", "note", "d", "es--ES", "de-abcdefghi", "1a"] {
            assert!(!is_language_tag(not), "{not}");
        }
    }
}
