//! The concept-oriented glossary model, after TBX (ISO 30042): a [`Concept`] (an institution,
//! a title, a person, an offence…) holds [`Term`]s in several languages, each with a type, an
//! administrative status and, for titles, a grammatical gender.
//!
//! Invariants kept by [`Glossary::add`](super::Glossary): concept ids are unique; within a
//! concept no two terms share the same language and text. Term texts are stored exactly as
//! written by the terminologist; matching keys are computed beside them by the matcher and
//! never stored or exported.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A concept identifier such as `ma-dgsn` (stable, ASCII, chosen by the terminologist).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConceptId(pub String);

impl fmt::Display for ConceptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ConceptId {
    /// Checks that `id` can be a concept id: an XML `NCName` (a letter or `_` first, then
    /// letters, digits, `-`, `.`, `_`; no colon, no space), because TBX writes it as the
    /// `xs:ID` attribute `id`. Every glossary reader refuses other ids, so every export is
    /// valid and an id reads back exactly as written (no mapping in either direction).
    pub fn check(id: &str) -> Result<(), String> {
        match crate::xml::ncname_problem(id) {
            None => Ok(()),
            Some(why) => Err(format!(
                "concept id {why}; rename the concept (e.g. 'c-{}'), since TBX exports it as an xs:ID",
                id.replace(|c: char| !crate::xml::is_ncname(&format!("a{c}")), "-")
            )),
        }
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Declares a small closed vocabulary with its CSV spelling and its TBX spelling.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $csv:literal / $tbx:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $csv)] $variant),+
        }

        impl $name {
            /// Every value, in canonical order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling in qantara's CSV and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $csv),+ }
            }

            /// The TBX picklist value.
            pub fn tbx(self) -> &'static str {
                match self { $($name::$variant => $tbx),+ }
            }

            /// Parses a TBX picklist value.
            pub fn from_tbx(s: &str) -> Option<Self> {
                match s.trim() { $($tbx => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($csv) || t == $tbx { return Ok($name::$variant); })+
                let all: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                Err(format!("unknown {} '{}': use one of {}", $what, t, all.join(", ")))
            }
        }
    };
}

vocabulary!(
    /// The country a concept belongs to.
    Country, "country" {
        /// Morocco.
        Ma = "MA" / "MA",
        /// France.
        Fr = "FR" / "FR",
        /// International or not tied to one country.
        Intl = "intl" / "intl",
    }
);

vocabulary!(
    /// The form of a term (TBX `termType`).
    TermType, "type" {
        /// The full name.
        Full = "full" / "fullForm",
        /// An acronym (DGSN): matched as a whole word, exactly, never with typos.
        Acronym = "acronym" / "acronym",
        /// A shortened form (Sûreté nationale, Hammouchi).
        Short = "short" / "shortForm",
        /// Another spelling or wording of the full form.
        Variant = "variant" / "variant",
    }
);

vocabulary!(
    /// The administrative status of a term (TBX `administrativeStatus`).
    Status, "status" {
        /// The term to use.
        Preferred = "preferred" / "preferredTerm-admn-sts",
        /// Acceptable.
        Admitted = "admitted" / "admittedTerm-admn-sts",
        /// Wrong or discouraged: `qantara check` reports it as an error.
        Deprecated = "deprecated" / "deprecatedTerm-admn-sts",
        /// A former name: `qantara check` reports it as a warning.
        Superseded = "superseded" / "supersededTerm-admn-sts",
    }
);

vocabulary!(
    /// Grammatical gender, for titles and people.
    Gender, "gender" {
        /// Masculine.
        M = "m" / "masculine",
        /// Feminine.
        F = "f" / "feminine",
    }
);

impl Status {
    /// Preferred or admitted: a correct rendering.
    pub fn is_admitted(self) -> bool {
        matches!(self, Status::Preferred | Status::Admitted)
    }
}

/// One term of a concept in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// The language.
    pub lang: Lang,
    /// The term as written.
    pub term: String,
    /// Full form, acronym, short form or variant.
    #[serde(rename = "type")]
    pub kind: TermType,
    /// Preferred, admitted, deprecated or superseded.
    pub status: Status,
    /// Grammatical gender, for titles and names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Free note for translators (usage, uncertainty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Where the term or fact comes from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// A concept with its terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// Its identifier.
    pub id: ConceptId,
    /// The country it belongs to.
    pub country: Country,
    /// Subject field (institution, title, person, honour, event, crime…).
    pub subject: String,
    /// Definition or note about the concept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub definition: String,
    /// Its terms, in file order.
    pub terms: Vec<Term>,
}

impl Concept {
    /// The terms in `lang`.
    pub fn terms_in(&self, lang: Lang) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(move |t| t.lang == lang)
    }

    /// The preferred term in `lang`: the first preferred one (masculine before feminine when
    /// both are listed), else the first admitted, else the first.
    pub fn preferred(&self, lang: Lang) -> Option<&Term> {
        self.preferred_with_gender(lang, None)
    }

    /// The preferred term in `lang`, of gender `gender` when the concept has gendered terms.
    pub fn preferred_with_gender(&self, lang: Lang, gender: Option<Gender>) -> Option<&Term> {
        let ok_gender = |t: &&Term| gender.is_none() || t.gender.is_none() || t.gender == gender;
        let pick = |st: fn(Status) -> bool| {
            self.terms_in(lang).filter(ok_gender).find(|t| st(t.status) && t.kind != TermType::Acronym)
        };
        pick(|s| s == Status::Preferred)
            .or_else(|| pick(Status::is_admitted))
            .or_else(|| self.terms_in(lang).find(|t| t.status.is_admitted()))
            .or_else(|| self.terms_in(lang).next())
    }

    /// The term to suggest in `lang` for a matched term of type `kind` and gender `gender`:
    /// the first admitted term of the same type when the matched one is a short form or an
    /// acronym (`France` asks for `France`, not `République française`; `DGSN` for `DGSN`),
    /// one of the same gender first (المغربي asks for `marocain`), else (and when there is
    /// none) [`Concept::preferred_with_gender`].
    pub fn preferred_like(&self, lang: Lang, gender: Option<Gender>, kind: TermType) -> Option<&Term> {
        let same = |t: &&Term| {
            t.kind == kind
                && t.status.is_admitted()
                && (gender.is_none() || t.gender.is_none() || t.gender == gender)
        };
        match kind {
            TermType::Short | TermType::Acronym => self
                .terms_in(lang)
                .filter(same)
                .find(|t| gender.is_some() && t.gender == gender)
                .or_else(|| self.terms_in(lang).find(same))
                .or_else(|| self.preferred_with_gender(lang, gender)),
            _ => self.preferred_with_gender(lang, gender),
        }
    }

    /// The acronym in `lang`, if any admitted one exists.
    pub fn acronym(&self, lang: Lang) -> Option<&Term> {
        self.terms_in(lang).find(|t| t.kind == TermType::Acronym && t.status.is_admitted())
    }
}
