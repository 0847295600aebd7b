//! Reading and writing glossary files in every supported format, chosen by name or guessed
//! from the file's extension and first bytes.

use crate::formats;
use crate::glossary::{Error, Glossary, Problem, export, model::Concept};
use crate::lang::Lang;
use std::fmt;
use std::io::Write;
use std::path::Path;
use std::str::FromStr;

/// A glossary file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// qantara's CSV (one row per term).
    Csv,
    /// OmegaT tab-separated glossary (needs source and target languages).
    Omegat,
    /// TBX v3 TBX-Basic, DCA style.
    Tbx,
    /// TBX v2 `martif`.
    Tbx2,
    /// JSON.
    Json,
    /// Markdown (write only).
    Md,
    /// The XCS a TBX v2 export declares (write only; see [`formats::tbx::write_xcs`]).
    Xcs,
}

impl Format {
    /// Every format, as named on the command line.
    pub const ALL: [Format; 7] =
        [Format::Csv, Format::Omegat, Format::Tbx, Format::Tbx2, Format::Json, Format::Md, Format::Xcs];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Omegat => "omegat",
            Format::Tbx => "tbx",
            Format::Tbx2 => "tbx2",
            Format::Json => "json",
            Format::Md => "md",
            Format::Xcs => "xcs",
        }
    }

    /// Guesses the format of a file from its extension, then its content.
    pub fn guess(path: &Path, text: &str) -> Option<Format> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let head = text.trim_start_matches('\u{FEFF}').trim_start();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "tbx" | "xml" => Some(if head.contains("<martif") { Format::Tbx2 } else { Format::Tbx }),
            // A glossary CSV saved with tabs (or semicolons) under such a name says so by its header.
            "tsv" | "tab" | "txt" | "utf8" if formats::csv::looks_like_header(head) => Some(Format::Csv),
            "tsv" | "tab" | "txt" | "utf8" => Some(Format::Omegat),
            _ if head.starts_with('<') => {
                Some(if head.contains("<martif") { Format::Tbx2 } else { Format::Tbx })
            }
            _ if head.starts_with('{') => Some(Format::Json),
            _ if formats::csv::looks_like_header(head) => Some(Format::Csv),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Format::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            format!("unknown glossary format '{s}': use csv, omegat, tbx, tbx2, json, md or xcs")
        })
    }
}

/// Parses glossary text in `format`; `langs` (source, target) is needed for OmegaT.
/// Returns the concepts and every problem found; a file that parses but holds no concept is
/// a problem too (an empty glossary is a wrong file or a wrong format, never what was meant).
pub fn parse(text: &str, format: Format, langs: (Lang, Lang)) -> (Vec<Concept>, Vec<Problem>) {
    let (concepts, problems, _) = parse_noting(text, format, langs);
    (concepts, problems)
}

/// Parses glossary text in `format` as [`parse`] does; also returns the notes: what the
/// reader skipped without it being wrong (terms in languages qantara does not handle, in TBX
/// and in the wide CSV form), for the commands to report.
pub fn parse_noting(
    text: &str,
    format: Format,
    langs: (Lang, Lang),
) -> (Vec<Concept>, Vec<Problem>, Vec<Problem>) {
    let (concepts, mut problems, mut notes) = parse_any(text, format, langs);
    notes.extend(script_notes(text, &concepts));
    if concepts.is_empty() && problems.is_empty() {
        let what = match format {
            Format::Csv => "no row after the header",
            Format::Omegat => "no source<TAB>target line",
            Format::Tbx | Format::Tbx2 => "no <conceptEntry> or <termEntry>",
            Format::Json => "an empty \"concepts\" list",
            Format::Md | Format::Xcs => "nothing",
        };
        problems.push(Problem {
            line: 1,
            column: 0,
            msg: format!("no concept ({what}): the glossary is empty"),
        });
    }
    (concepts, problems, notes)
}

/// The script a term's letters are in, when they are all in one: Arabic or Latin.
fn script_of(term: &str) -> Option<Lang> {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in term.chars().filter(|c| c.is_alphabetic()) {
        if crate::lang::is_arabic_letter(c) {
            arabic += 1;
        } else if c.is_ascii_alphabetic() || ('\u{C0}'..='\u{24F}').contains(&c) {
            latin += 1;
        }
    }
    match (arabic, latin) {
        (0, 0) => None,
        (_, 0) => Some(Lang::Ar),
        (0, _) => Some(Lang::Fr),
        _ => None,
    }
}

/// One note per term whose script does not fit its language: Arabic letters only in a term
/// labelled `fr` or `en`, Latin letters only in one labelled `ar` (translate-toolkit's
/// `csv2tbx` labels every column with one language, so Arabic arrives as `en`). Such a term
/// is kept as labelled — the label may be right (a Latin acronym in Arabic text) — but it will
/// only match text of the wrong language, so the user should hear of it. The line is that
/// of the term's first occurrence in the file.
fn script_notes(text: &str, concepts: &[Concept]) -> Vec<Problem> {
    let mut notes = Vec::new();
    for c in concepts {
        for t in &c.terms {
            let wrong = match (t.lang, script_of(&t.term)) {
                (Lang::Fr | Lang::En, Some(Lang::Ar)) => Some("Arabic letters only"),
                (Lang::Ar, Some(Lang::Fr)) => Some("Latin letters only"),
                _ => None,
            };
            let Some(what) = wrong else { continue };
            let line = text.find(t.term.as_str()).map_or(1, |at| text[..at].matches('\n').count() + 1);
            notes.push(Problem {
                line,
                column: 0,
                msg: format!(
                    "term '{}' of concept '{}' is labelled '{}' but has {what}: check its language (another \
                     tool may have labelled every column with one language)",
                    t.term, c.id, t.lang
                ),
            });
        }
    }
    notes
}

fn parse_any(text: &str, format: Format, langs: (Lang, Lang)) -> (Vec<Concept>, Vec<Problem>, Vec<Problem>) {
    let none = |(c, p)| (c, p, Vec::new());
    match format {
        Format::Csv => formats::csv::read_noting(text),
        Format::Omegat => none(formats::omegat::read(text, langs.0, langs.1)),
        Format::Tbx | Format::Tbx2 => formats::tbx::read_noting(text),
        Format::Json => none(export::read_json(text)),
        Format::Md => none((
            Vec::new(),
            vec![Problem { line: 1, column: 0, msg: "Markdown glossaries can be written, not read".into() }],
        )),
        Format::Xcs => none((
            Vec::new(),
            vec![Problem {
                line: 1,
                column: 0,
                msg: "an XCS declares data categories and holds no glossary; read the TBX file".into(),
            }],
        )),
    }
}

/// Reads a glossary file (format guessed when `None`; OmegaT languages default to ar → fr).
/// The first problem found is returned as an error; use `qantara glossary validate` to list
/// them all. The notes of the reader are kept in the glossary ([`Glossary::notes`]), each
/// naming the file and line.
pub fn read_file(
    path: &Path,
    format: Option<Format>,
    langs: Option<(Lang, Lang)>,
) -> Result<Glossary, Error> {
    let text = crate::input::read_text(path)?;
    let format = match format.or_else(|| Format::guess(path, &text)) {
        Some(f) => f,
        None => {
            return Err(Error::Format {
                path: path.to_path_buf(),
                msg: "cannot tell the glossary format: name the file .csv, .tbx, .tsv or .json, or pass --format"
                    .into(),
            });
        }
    };
    let (concepts, problems, notes) = parse_noting(&text, format, langs.unwrap_or((Lang::Ar, Lang::Fr)));
    if let Some(p) = problems.into_iter().next() {
        return Err(p.into_error(path));
    }
    let mut g = Glossary::from_concepts(concepts);
    let name = crate::input::display_name(path);
    g.notes = notes.iter().map(|n| format!("{}: line {}: {}", name.display(), n.line, n.msg)).collect();
    Ok(g)
}

/// Writes `glossary` in `format`; `langs` (source, target) is used by OmegaT. Returns how
/// many characters XML 1.0 forbids were replaced (TBX only; see [`formats::xml::escape`]),
/// for the command to report.
pub fn write(
    glossary: &Glossary,
    format: Format,
    langs: (Lang, Lang),
    out: &mut dyn Write,
) -> std::io::Result<u64> {
    match format {
        Format::Csv => formats::csv::write(glossary, out).map(|()| 0),
        Format::Omegat => formats::omegat::write(glossary, langs.0, langs.1, out).map(|()| 0),
        Format::Tbx => formats::tbx::write(glossary, formats::tbx::Dialect::V3, out),
        Format::Tbx2 => formats::tbx::write(glossary, formats::tbx::Dialect::V2, out),
        Format::Json => export::write_json(glossary, out).map(|()| 0),
        Format::Md => export::write_markdown(glossary, out).map(|()| 0),
        Format::Xcs => formats::tbx::write_xcs(out).map(|()| 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str, format: Format) -> Vec<String> {
        parse(text, format, (Lang::Ar, Lang::Fr))
            .1
            .iter()
            .map(|p| format!("{}:{} {}", p.line, p.column, p.msg))
            .collect()
    }

    #[test]
    fn every_reader_refuses_characters_xml_forbids() {
        let csv = "concept,lang,term,note\nc1,fr,terme,note\u{B}vt\nc1,ar,مصطلح,\nc2,fr,sonn\u{7}erie,\n";
        let p = problems(csv, Format::Csv);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("2:17 U+000B (vertical tab)"), "{p:?}");
        assert!(p[1].starts_with("4:11 U+0007 (bell)"), "{p:?}");
        let omegat = "المديرية\tla direction\nالشرطة\tla police\u{FFFF}\n";
        let p = problems(omegat, Format::Omegat);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("2:17 U+FFFF (non-character)"), "{p:?}");
        let json = r#"{"concepts": [{"id": "c1", "country": "MA", "subject": "", "definition": "",
  "terms": [{"lang": "fr", "term": "a\u000bb", "type": "full", "status": "preferred", "note": "\\u000b"}]}]}"#;
        let p = problems(json, Format::Json);
        // `\u000b` is a vertical tab; `\\u000b` is a backslash and text.
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("2:38 U+000B (vertical tab)"), "{p:?}");
        let p = problems(&json.replace(r"a\u000bb", "a\u{C}b").replace(r"\\u000b", ""), Format::Json);
        assert!(p.iter().any(|m| m.starts_with("2:38 U+000C (form feed)")), "{p:?}");
    }

    #[test]
    fn concept_ids_must_be_xml_ids() {
        let csv = "concept,lang,term\n2024-jo,fr,jeux olympiques\nns:x,fr,espace\nc-ok,fr,correct\n";
        let p = problems(csv, Format::Csv);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("2:1 concept id '2024-jo' starts with '2'") && p[0].contains("c-2024-jo"),
            "{p:?}"
        );
        assert!(p[1].starts_with("3:1 concept id 'ns:x' contains ':'"), "{p:?}");
        let json = "{\"concepts\": [\n{\"id\": \"2024-jo\", \"country\": \"FR\", \"subject\": \"\", \"definition\": \"\", \"terms\": []}]}";
        let p = problems(json, Format::Json);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("2:8 concept id '2024-jo'"), "{p:?}");
        // In OmegaT a comment that is not an id is a free comment, not an error.
        let (concepts, p) = parse("المديرية\tla direction\t2024 ok\n", Format::Omegat, (Lang::Ar, Lang::Fr));
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(concepts[0].id.as_str(), "omegat-1");
    }
}
