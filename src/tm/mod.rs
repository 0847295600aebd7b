//! Translation memory: an embedded store of aligned units, an on-disk token index, fuzzy
//! lookup, concordance, TMX/TSV exchange and batch alignment of article sets.
//!
//! # Data model
//! A *unit* holds the text of one sentence (or bead of sentences) in each language it has
//! (`ar`, `fr`, `en`; any may be missing), its provenance — the *document* it came from, the
//! segment indices per language, the alignment confidence, its [`Origin`] — and two
//! timestamps. Units belong to exactly one document; a document is the unit of writing:
//! storing a document replaces all of its units in one transaction, so re-aligning or
//! re-importing the same document never duplicates units, and a kill in the middle leaves the
//! memory as it was before that document.
//!
//! # Layers
//! * [`store`] — the [`store::TmStore`] trait (what lookup, exchange and the CLI need) and its
//!   SQLite implementation (one file, WAL, schema versions with migrations).
//! * [`pg`] — the same trait on PostgreSQL (`--tm postgres://…`), with qantara's own keys and
//!   posting lists in tables, so answers do not depend on the database's locale.
//! * [`keys`] — comparison keys (below both the stores and the index: no import cycle).
//! * [`index`] — the candidate filter over the store's posting lists, with its proof of
//!   completeness.
//! * [`lookup`] — OmegaT-style fuzzy match scoring and the lookup itself.
//! * [`concordance`] — units containing a phrase.
//! * [`exchange`] — TMX and TSV import/export through the store.
//! * [`batch`] — aligning a folder of articles in parallel into the store.

pub mod batch;
pub mod concordance;
pub mod exchange;
pub mod index;
pub mod keys;
pub mod lookup;
pub mod pg;
pub mod pins;
pub mod review;
pub mod store;

use crate::lang::Lang;
use serde::Serialize;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::str::FromStr;

/// Identifier of a unit in a store.
pub type UnitId = i64;

/// Where a unit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Produced by qantara's aligner.
    Aligned,
    /// Read from a TMX or TSV file.
    Imported,
    /// Written or corrected by a person.
    Edited,
}

impl Origin {
    /// The lowercase name stored and exported.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Aligned => "aligned",
            Origin::Imported => "imported",
            Origin::Edited => "edited",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Origin {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "aligned" => Ok(Origin::Aligned),
            "imported" => Ok(Origin::Imported),
            "edited" => Ok(Origin::Edited),
            o => Err(format!("unknown origin '{o}' (aligned, imported, edited)")),
        }
    }
}

/// One language's text of a unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitText {
    /// The language.
    pub lang: Lang,
    /// The original text (never a matching key).
    pub text: String,
    /// Segment indices of the source document this text covers (0-based, end exclusive).
    pub segments: Option<Range<usize>>,
}

/// A unit to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUnit {
    /// Texts, at most one per language.
    pub texts: Vec<UnitText>,
    /// Alignment confidence in [0, 1], if known.
    pub confidence: Option<f64>,
    /// Provenance.
    pub origin: Origin,
    /// Creation time `YYYYMMDDThhmmssZ`; `None` = now.
    pub created: Option<String>,
    /// Last change `YYYYMMDDThhmmssZ`; `None` = the creation time.
    pub changed: Option<String>,
    /// Other properties kept for round trips (a TMX `tuid`, foreign `<prop>`s), in order.
    pub extra: Vec<(String, String)>,
}

impl NewUnit {
    /// The unit an alignment bead gives, or `None` when it translates nothing: the texts
    /// [`crate::align::units::translation`] gives (the rule every writer of units shares), with
    /// each text's segment range as provenance.
    pub fn from_bead(sides: &[crate::align::Side<'_>], bead: &crate::align::Bead) -> Option<NewUnit> {
        let texts = crate::align::units::translation(sides, bead)?
            .into_iter()
            .map(|t| UnitText { lang: t.lang, text: t.text, segments: Some(t.segments) })
            .collect();
        Some(NewUnit {
            texts,
            confidence: Some(bead.confidence),
            origin: Origin::Aligned,
            created: None,
            changed: None,
            extra: Vec::new(),
        })
    }
}

/// A stored unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    /// Its id.
    pub id: UnitId,
    /// The name of its document.
    pub doc: String,
    /// Its position in the document.
    pub ord: i64,
    /// Texts in language order ar, fr, en.
    pub texts: Vec<UnitText>,
    /// Alignment confidence.
    pub confidence: Option<f64>,
    /// Provenance.
    pub origin: Origin,
    /// Creation time.
    pub created: String,
    /// Last change.
    pub changed: String,
    /// Other properties.
    pub extra: Vec<(String, String)>,
}

impl Unit {
    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> Option<&str> {
        self.texts.iter().find(|t| t.lang == lang).map(|t| t.text.as_str())
    }
}

/// A stored document, as listed by [`store::TmStore::documents`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInfo {
    /// Its name (its identity in the memory).
    pub name: String,
    /// The origin recorded when it was last written.
    pub origin: Origin,
    /// Where it came from (canonical path of an article folder or a file), if recorded.
    pub source: Option<String>,
    /// The hash of its inputs (batch runs skip unchanged articles with it).
    pub content_hash: Option<String>,
    /// Units it holds.
    pub units: u64,
    /// When it was first stored (`YYYYMMDDThhmmssZ`).
    pub created: String,
    /// When it was last written.
    pub updated: String,
}

/// Errors of the translation memory.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite failed.
    #[error("{path}: translation memory: {source}{hint}")]
    Sqlite {
        /// The TM file.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
        /// What to do.
        hint: &'static str,
    },
    /// PostgreSQL failed (connection or statement).
    #[error("{location}: translation memory: {msg}{hint}")]
    Postgres {
        /// The server URL, password redacted.
        location: String,
        /// The server's or the client's reason.
        msg: String,
        /// What to do.
        hint: &'static str,
    },
    /// A file given as the memory is another application's SQLite database, or no SQLite
    /// database at all; it is left untouched.
    #[error(
        "{path}: not a qantara translation memory ({why}); it was left untouched; give the path of a \
         memory, or a new file name to create one"
    )]
    NotAMemory {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        why: String,
    },
    /// The TM file was written by a newer qantara.
    #[error(
        "{path}: schema version {found} is newer than this qantara understands ({known}); upgrade qantara"
    )]
    TooNew {
        /// The TM file.
        path: PathBuf,
        /// Its version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// The TM directory could not be created.
    #[error("{path}: cannot create the translation memory's directory: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A document would replace one of the same name that came from another source (two
    /// folders both named `article1`, two vendors' files both named `memory.tmx`).
    #[error(
        "document {name:?}: the memory holds a document of this name from {stored}, and {new} would \
         replace it; rename one of them (the folder, the manifest id or the file), or pass \
         --replace-other-sources if {new} is meant to replace it"
    )]
    OtherSource {
        /// The document name.
        name: String,
        /// Where the stored document came from.
        stored: String,
        /// Where the new one comes from.
        new: String,
    },
    /// A TMX file is malformed.
    #[error(transparent)]
    Tmx(#[from] crate::formats::tmx::LocatedError),
    /// A TSV/CSV file is malformed.
    #[error("{path}: row {row}: {msg}")]
    Tsv {
        /// The file.
        path: PathBuf,
        /// 1-based row (the header is row 1).
        row: u64,
        /// What is wrong.
        msg: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// An input file could not be read or decoded.
    #[error(transparent)]
    Input(#[from] crate::error::Error),
    /// Any other problem with a message.
    #[error("{0}")]
    Other(String),
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The TM used when neither `--tm` nor `QANTARA_TM` is given:
/// `$XDG_DATA_HOME/qantara/tm.sqlite`, else `~/.local/share/qantara/tm.sqlite`, else
/// `./qantara-tm.sqlite`.
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("QANTARA_TM").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|p| !p.is_empty()) {
        return PathBuf::from(d).join("qantara").join("tm.sqlite");
    }
    if let Some(h) = std::env::var_os("HOME").filter(|p| !p.is_empty()) {
        return PathBuf::from(h).join(".local/share/qantara/tm.sqlite");
    }
    PathBuf::from("qantara-tm.sqlite")
}

/// Opens (creating on first use) the memory at `location`: a PostgreSQL URL
/// (`postgres://…`, see [`pg`]) or the path of an SQLite file (see [`store`]).
pub fn open(location: &str) -> Result<Box<dyn store::TmStore + Send>> {
    open_shared(location, None)
}

/// [`open`], a PostgreSQL store sharing `cache` (its own cache when `None`; an SQLite file
/// has none: its pages are in the operating system's cache already).
pub fn open_shared(
    location: &str,
    cache: Option<std::sync::Arc<pg::Cache>>,
) -> Result<Box<dyn store::TmStore + Send>> {
    if pg::is_url(location) {
        Ok(Box::new(match cache {
            Some(c) => pg::PgStore::open_with_cache(location, c)?,
            None => pg::PgStore::open(location)?,
        }))
    } else {
        Ok(Box::new(store::SqliteStore::open(std::path::Path::new(location))?))
    }
}

/// Whether a memory already exists at `location` (without creating it).
pub fn exists(location: &str) -> Result<bool> {
    if pg::is_url(location) {
        pg::PgStore::exists(location)
    } else {
        Ok(std::path::Path::new(location).exists())
    }
}

/// The current UTC time as TMX writes dates: `YYYYMMDDThhmmssZ`.
pub fn now_stamp() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    stamp(secs)
}

/// Formats seconds since the Unix epoch as `YYYYMMDDThhmmssZ`.
pub fn stamp(secs: u64) -> String {
    let days = (secs / 86400) as i64;
    let rem = secs % 86400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// A stable 64-bit FNV-1a hash (the same on every platform and release). Not an identity:
/// 64 bits collide (two different units, an edited article); it only names things that may
/// share a name safely (a temporary folder). Content identity is [`content_id`].
pub fn fnv64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in *p {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // Separator so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The identity of some content: SHA-256 (FIPS 180-4) of its parts, each preceded by its length
/// as 8 little-endian bytes (so `("ab","c")` and `("a","bc")` differ), as 64 lowercase hex
/// digits. Two contents with the same id are taken as equal (a collision of SHA-256 is not
/// known to anyone); the 64-bit FNV-1a hash used before did collide on real-looking units, so
/// a different unit was dropped as a duplicate and an edited article kept as "unchanged".
pub fn content_id(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The content identity of a unit ([`content_id`] of its texts by language).
pub fn unit_hash(texts: &[UnitText]) -> String {
    let mut sorted: Vec<&UnitText> = texts.iter().collect();
    sorted.sort_by_key(|t| t.lang);
    let parts: Vec<&[u8]> =
        sorted.iter().flat_map(|t| [t.lang.code().as_bytes(), t.text.as_bytes()]).collect();
    content_id(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_tmx_dates() {
        assert_eq!(stamp(0), "19700101T000000Z");
        assert_eq!(stamp(1_719_396_900), "20240626T101500Z");
        assert_eq!(stamp(951_782_400), "20000229T000000Z");
    }

    #[test]
    fn unit_hash_ignores_language_order() {
        let a = UnitText { lang: Lang::Ar, text: "س".into(), segments: None };
        let f = UnitText { lang: Lang::Fr, text: "s".into(), segments: Some(0..1) };
        assert_eq!(unit_hash(&[a.clone(), f.clone()]), unit_hash(&[f, a]));
    }

    /// Two units differing in their French side only, whose FNV-1a hashes (as the unit hash
    /// once laid them out) are equal; their content ids differ.
    #[test]
    fn an_fnv_collision_is_two_content_ids() {
        let unit = |fr: &str| {
            [
                UnitText { lang: Lang::Ar, text: "رمز".into(), segments: None },
                UnitText { lang: Lang::Fr, text: fr.into(), segments: None },
            ]
        };
        let (a, b) = (unit("Code 4b4d4724ad619bad"), unit("Code 426d2d2ddb974f52"));
        let fnv = |u: &[UnitText]| {
            fnv64(&u.iter().flat_map(|t| [t.lang.code().as_bytes(), t.text.as_bytes()]).collect::<Vec<_>>())
        };
        assert_eq!(fnv(&a), fnv(&b), "the pair no longer collides under FNV-1a");
        assert_ne!(unit_hash(&a), unit_hash(&b));
        assert_eq!(unit_hash(&a).len(), 64);
        assert_ne!(content_id(&[b"ab", b"c"]), content_id(&[b"a", b"bc"]));
    }
}
