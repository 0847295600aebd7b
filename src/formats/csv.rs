//! qantara's spreadsheet glossary format: one row per term, concept fields repeated (see
//! `glossaries/README.md` for the columns); and the wide form translators keep, one row per
//! concept and one column per language (`ar,fr,en[,note]`), read by [`read_wide`].
//!
//! The separator is taken from the header line ([`separator`]): `,`, `;` (what French-locale
//! Excel writes as "CSV") or tab, whichever occurs most there. A header holds only column
//! names, so the count cannot be fooled by data; quoted fields may hold the other two.
//!
//! Reading never stops at the first problem: [`read`] returns the concepts it could build and
//! every problem with its line and column, so `qantara glossary validate` can list them all.
//! Columns are found by their header name, so a spreadsheet may reorder them. Rows of one
//! concept must be contiguous (a concept id that comes back after another concept is almost
//! always a copy-paste slip, and is reported).

use crate::glossary::model::{Concept, ConceptId, Country, Gender, Status, Term, TermType};
use crate::glossary::{Glossary, Problem};
use crate::lang::Lang;
use std::collections::HashMap;
use std::io::Write;

/// The columns, in canonical order.
pub const COLUMNS: [&str; 11] = [
    "concept",
    "country",
    "subject",
    "definition",
    "lang",
    "term",
    "type",
    "status",
    "gender",
    "note",
    "source",
];

/// The header of the long form, as the messages show it.
fn long_header() -> String {
    COLUMNS.join(",")
}

/// Parses glossary CSV text (a BOM is ignored); returns the concepts and every problem found
/// ([`read_noting`] also gives the notes).
pub fn read(text: &str) -> (Vec<Concept>, Vec<Problem>) {
    let (concepts, problems, _) = read_noting(text);
    (concepts, problems)
}

/// The field separator of a CSV: the one of `,`, `;` and tab found most often in the header
/// line outside quotes (a comma when none is). The header of a glossary holds only column
/// names, none with a separator in it, so the count is unambiguous; French-locale Excel
/// saves "CSV" with semicolons, and tab-separated files come from copying a spreadsheet.
pub fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(c) = counts.iter_mut().find(|(s, _)| *s == b) {
                c.1 += 1;
            }
        }
    }
    // The first maximum: a comma on a tie.
    counts.iter().fold((b',', 0), |best, &c| if c.1 > best.1 { c } else { best }).0
}

/// Parses glossary CSV text (a BOM is ignored; `,`, `;` or tab as separator, see
/// [`separator`]), in the long form (one row per term) or the wide form (one row per
/// concept, see [`read_wide`]); returns the concepts, every problem found and the notes
/// (columns of languages qantara does not handle, skipped).
pub fn read_noting(text: &str) -> (Vec<Concept>, Vec<Problem>, Vec<Problem>) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // The csv crate counts a CRLF-ended record's line from the CR, so the next record would
    // be reported one line up; files are decoded to LF already (`input::read_text`), this is
    // for callers that pass text as it is.
    let lf;
    let text = if text.contains("\r\n") {
        lf = text.replace("\r\n", "\n");
        lf.as_str()
    } else {
        text
    };
    let mut problems = Problem::forbidden_chars(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(text))
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            problems.push(Problem { line: 1, column: 0, msg: format!("unreadable header: {e}") });
            return (Vec::new(), problems, Vec::new());
        }
        None => {
            problems.push(Problem { line: 1, column: 0, msg: "empty file: expected a header row".into() });
            return (Vec::new(), problems, Vec::new());
        }
    };
    if is_wide(&header) {
        return read_wide(&header, records, problems);
    }
    let mut col: HashMap<&str, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        if COLUMNS.contains(&name) {
            if col.insert(COLUMNS[COLUMNS.iter().position(|c| *c == name).unwrap_or(0)], i).is_some() {
                problems.push(Problem {
                    line: 1,
                    column: i + 1,
                    msg: format!("column '{name}' appears twice"),
                });
            }
        } else {
            problems.push(Problem {
                line: 1,
                column: i + 1,
                msg: format!("unknown column '{name}': the columns are {}", COLUMNS.join(", ")),
            });
        }
    }
    let missing: Vec<&str> =
        ["concept", "lang", "term"].into_iter().filter(|c| !col.contains_key(c)).collect();
    if !missing.is_empty() {
        problems.push(Problem {
            line: 1,
            column: 0,
            msg: format!(
                "missing required column(s) {}: a glossary CSV has the header {} (one row per term; see \
                 glossaries/README.md), or the wide form ar,fr,en with an optional note column (one row per \
                 concept)",
                missing.join(", "),
                long_header()
            ),
        });
        return (Vec::new(), problems, Vec::new());
    }
    let width = header.len();
    let mut concepts: Vec<Concept> = Vec::new();
    let mut concept_line: HashMap<String, usize> = HashMap::new();
    let mut term_at: HashMap<(Lang, String), (String, usize)> = HashMap::new();
    for (line, rec) in data_rows(records, width, &mut problems) {
        let get = |name: &str| col.get(name).map_or("", |&i| rec.get(i).unwrap_or("").trim());
        let at = |name: &str| col.get(name).map_or(0, |&i| i + 1);
        let mut bad = false;
        let mut problem = |name: &str, msg: String| {
            problems.push(Problem { line, column: at(name), msg });
            bad = true;
        };
        let id = get("concept");
        if id.is_empty() {
            problem("concept", "empty concept id".into());
        } else if let Err(msg) = ConceptId::check(id) {
            problem("concept", msg);
        }
        let lang = match get("lang").parse::<Lang>() {
            Ok(l) => Some(l),
            Err(e) => {
                problem("lang", e.to_string());
                None
            }
        };
        let term = get("term");
        if term.is_empty() {
            problem("term", "empty term".into());
        } else if crate::normalize::tokens(term).is_empty() {
            problem("term", format!("term '{term}' has no letters or digits"));
        }
        fn parse_or<T: std::str::FromStr<Err = String>>(
            s: &str,
            default: T,
            name: &str,
            problem: &mut impl FnMut(&str, String),
        ) -> T {
            if s.is_empty() {
                return default;
            }
            s.parse().unwrap_or_else(|e| {
                problem(name, e);
                default
            })
        }
        let country = parse_or(get("country"), Country::Intl, "country", &mut problem);
        let kind = parse_or(get("type"), TermType::Full, "type", &mut problem);
        let status = parse_or(get("status"), Status::Admitted, "status", &mut problem);
        let gender = if get("gender").is_empty() {
            None
        } else {
            Some(parse_or(get("gender"), Gender::M, "gender", &mut problem))
        };
        if bad {
            continue;
        }
        let Some(lang) = lang else { continue };
        // Contiguity and concept-level consistency.
        let same_as_last = concepts.last().is_some_and(|c| c.id.0 == id);
        if !same_as_last {
            if let Some(first) = concept_line.get(id) {
                problems.push(Problem {
                    line,
                    column: at("concept"),
                    msg: format!(
                        "duplicate concept id '{id}' (first used at line {first}, then another concept came \
                         between): keep a concept's rows together or give it a new id"
                    ),
                });
                continue;
            }
            concept_line.insert(id.to_string(), line);
            concepts.push(Concept {
                id: ConceptId(id.to_string()),
                country,
                subject: get("subject").to_string(),
                definition: get("definition").to_string(),
                terms: Vec::new(),
            });
        }
        let c = concepts.last_mut().expect("pushed above");
        if same_as_last {
            if !get("country").is_empty() && country != c.country {
                problems.push(Problem {
                    line,
                    column: at("country"),
                    msg: format!("country {country} differs from {} earlier in concept '{id}'", c.country),
                });
            }
            for (name, field) in [("subject", &mut c.subject), ("definition", &mut c.definition)] {
                let v = get(name);
                if !v.is_empty() {
                    if field.is_empty() {
                        *field = v.to_string();
                    } else if field != v {
                        problems.push(Problem {
                            line,
                            column: at(name),
                            msg: format!("{name} differs from the one given earlier for concept '{id}'"),
                        });
                    }
                }
            }
        }
        let tkey = (lang, crate::normalize::key(term));
        if let Some((other, first)) = term_at.get(&tkey) {
            problems.push(Problem {
                line,
                column: at("term"),
                msg: if other == id {
                    format!("duplicate term '{term}' ({lang}) in concept '{id}' (also at line {first})")
                } else {
                    format!(
                        "duplicate term '{term}' ({lang}): also in concept '{other}' at line {first}; a term \
                         denotes one concept"
                    )
                },
            });
            continue;
        }
        term_at.insert(tkey, (id.to_string(), line));
        c.terms.push(Term {
            lang,
            term: term.to_string(),
            kind,
            status,
            gender,
            note: get("note").to_string(),
            source: get("source").to_string(),
        });
    }
    (concepts, problems, Vec::new())
}

/// The names of a header line's columns, trimmed, split at [`separator`].
/// The rows after the header that hold data, with their line: an unreadable row or one with
/// another number of fields than the header is a problem, and a blank row is passed over.
fn data_rows(
    records: ::csv::StringRecordsIter<'_, &[u8]>,
    width: usize,
    problems: &mut Vec<Problem>,
) -> Vec<(usize, ::csv::StringRecord)> {
    records
        .filter_map(|rec| {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    problems.push(Problem { line, column: 0, msg: format!("unreadable row: {e}") });
                    return None;
                }
            };
            let line = rec.position().map_or(0, |p| p.line() as usize);
            if rec.iter().all(|f| f.trim().is_empty()) {
                return None;
            }
            if rec.len() != width {
                problems.push(Problem {
                    line,
                    column: rec.len().min(width) + 1,
                    msg: format!(
                        "{} fields where the header has {width}; quote fields that contain the separator",
                        rec.len()
                    ),
                });
                return None;
            }
            Some((line, rec))
        })
        .collect()
}

fn names(header: &::csv::StringRecord) -> Vec<&str> {
    header.iter().map(str::trim).collect()
}

/// Whether `line` (a file's first line, a BOM allowed) is the header of a glossary CSV, long
/// or wide form, with any of the three separators: for telling such a file from an OmegaT
/// glossary when its extension is `.tsv` or `.txt`.
///
/// Stricter than what [`read_noting`] accepts: a wide header must have **every** column
/// recognised ([`Column::of`] is not `Unknown`). An OmegaT line `Police nationale<TAB>الشرطة
/// الوطنية<TAB>fr-pn` has a column that reads as a language tag (its concept id), and was
/// taken for a wide header; its terms are no column names.
pub fn looks_like_header(line: &str) -> bool {
    let line = line.strip_prefix('\u{FEFF}').unwrap_or(line).lines().next().unwrap_or("");
    let header = ::csv::StringRecord::from(line.split(separator(line) as char).collect::<Vec<_>>());
    let n = names(&header);
    ["concept", "lang", "term"].iter().all(|c| n.contains(c))
        || (is_wide(&header) && n.iter().all(|c| !matches!(Column::of(c), Column::Unknown)))
}

/// Whether a header is the wide form: no `lang` or `term` column, and at least one column
/// named by a language qantara handles (`ar`, `fr-FR`, `EN`, `Arabic`, `Arabic (Morocco)`...).
fn is_wide(header: &::csv::StringRecord) -> bool {
    let n = names(header);
    !n.iter().any(|c| ["lang", "term"].contains(c))
        && n.iter().any(|c| matches!(Column::of(c), Column::Lang(_)))
}

/// What a column of the wide form holds, by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    /// Terms in a language qantara handles.
    Lang(Lang),
    /// Terms in another language (skipped, with a note).
    OtherLang,
    /// The concept's note (`note`, memoQ's `Entry_Note`).
    Note,
    /// The concept id (`concept`).
    Concept,
    /// A definition in a language (memoQ's `English_Def`): the concept's note when it has
    /// no other.
    Definition,
    /// Known metadata of another tool, ignored (memoQ's `Entry_ID`, `Entry_Created`,
    /// `Term_Info`...).
    Ignored,
    /// Anything else.
    Unknown,
}

/// English and French names of languages, as spreadsheet and CAT-tool exports write them in
/// headers (`Arabic`, `Français`); only qantara's three map to a language, the others name
/// columns to skip.
const LANGUAGE_NAMES: [(&str, Option<Lang>); 21] = [
    ("arabic", Some(Lang::Ar)),
    ("arabe", Some(Lang::Ar)),
    ("العربية", Some(Lang::Ar)),
    ("french", Some(Lang::Fr)),
    ("français", Some(Lang::Fr)),
    ("francais", Some(Lang::Fr)),
    ("english", Some(Lang::En)),
    ("anglais", Some(Lang::En)),
    ("german", None),
    ("allemand", None),
    ("spanish", None),
    ("espagnol", None),
    ("italian", None),
    ("italien", None),
    ("portuguese", None),
    ("dutch", None),
    ("russian", None),
    ("chinese", None),
    ("japanese", None),
    ("turkish", None),
    ("amazigh", None),
];

impl Column {
    /// Classifies a header cell: a language tag (`ar`, `fr-FR`, `de`), a language name with an
    /// optional region in parentheses (`Arabic`, `Arabic (Morocco)`, `English (United
    /// Kingdom)`, `Français`), memoQ's columns (`Entry_Note`, `<Language>_Def`, other `Entry_*`
    /// and `Term_*` metadata), `note`, `concept`.
    fn of(name: &str) -> Column {
        let name = name.trim();
        match name {
            "note" => return Column::Note,
            "concept" => return Column::Concept,
            _ => {}
        }
        let lower = name.to_lowercase();
        if lower == "entry_note" {
            return Column::Note;
        }
        if lower.starts_with("entry_") || lower.starts_with("term_") {
            return Column::Ignored;
        }
        let language = |s: &str| -> Option<Column> {
            let base = match s.split_once('(') {
                Some((b, rest)) if rest.trim_end().ends_with(')') => b.trim(),
                _ => s.trim(),
            };
            if let Some((_, l)) = LANGUAGE_NAMES.iter().find(|(n, _)| *n == base) {
                return Some(l.map_or(Column::OtherLang, Column::Lang));
            }
            match base.parse::<Lang>() {
                Ok(l) if crate::lang::is_language_tag(base) => Some(Column::Lang(l)),
                Err(_) if is_language_tag(base) => Some(Column::OtherLang),
                _ => None,
            }
        };
        if let Some(c) = language(&lower) {
            return c;
        }
        match lower.rsplit_once('_') {
            Some((l, "def" | "definition")) if language(l).is_some() => Column::Definition,
            Some((l, _)) if language(l).is_some() => Column::Ignored,
            _ => Column::Unknown,
        }
    }
}

/// Whether a column name is a language tag ([`crate::lang::is_language_tag`]: `de`,
/// `es-ES`), except `id`, which in a spreadsheet's header is far more likely an identifier
/// than Indonesian.
fn is_language_tag(name: &str) -> bool {
    name != "id" && crate::lang::is_language_tag(name)
}

/// The made-up id of the concept of wide-form row `line` with fields `fields`:
/// `row-<line>-<8 hex digits>`, the digits an FNV-1a hash of the fields. The line number
/// finds the row in the spreadsheet; the hash keeps the id apart from row `line` of any
/// other wide file loaded beside it (`--glossary a.csv --glossary b.csv`), whose concept is
/// another one: ids are how glossaries merge, so a bare `row-2` in both would mix two
/// concepts. Rows of equal content get equal ids, and merging those is harmless. The id is
/// an XML NCName (a letter first, then letters, digits and `-`), as concept ids must be,
/// and the built-in glossary uses no id starting with `row-`.
pub fn row_id(line: usize, fields: &::csv::StringRecord) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for (i, f) in fields.iter().enumerate() {
        let sep: &[u8] = if i > 0 { &[0x1f] } else { &[] };
        for &b in sep.iter().chain(f.trim().as_bytes()) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    format!("row-{line}-{h:08x}")
}

/// Reads the wide form, after its header: one row per concept, one column per language,
/// each cell the concept's preferred term in that language (empty when it has none), an
/// optional `note` column (the concept's definition, shown as its note) and an optional
/// `concept` column (its id; without it, ids are made up by [`row_id`]). Columns named by a
/// language qantara does not handle (`de`, `es-ES`) are skipped, with one note; a row whose
/// only terms are in such columns is left out, and counted in that note.
fn read_wide(
    header: &::csv::StringRecord,
    records: ::csv::StringRecordsIter<'_, &[u8]>,
    mut problems: Vec<Problem>,
) -> (Vec<Concept>, Vec<Problem>, Vec<Problem>) {
    let mut langs: Vec<(usize, Lang)> = Vec::new();
    let mut skipped: Vec<(usize, String, usize)> = Vec::new();
    let (mut note, mut id_col) = (None, None);
    let mut definitions: Vec<usize> = Vec::new();
    for (i, name) in names(header).into_iter().enumerate() {
        let mut twice = |first: usize| {
            problems.push(Problem {
                line: 1,
                column: i + 1,
                msg: format!("column '{name}' repeats column {}", first + 1),
            })
        };
        match Column::of(name) {
            c @ (Column::Note | Column::Concept) => {
                let slot = if c == Column::Note { &mut note } else { &mut id_col };
                match *slot {
                    Some(first) => twice(first),
                    None => *slot = Some(i),
                }
            }
            Column::Lang(l) => match langs.iter().find(|(_, x)| *x == l) {
                Some(&(first, _)) => twice(first),
                None => langs.push((i, l)),
            },
            Column::OtherLang => skipped.push((i, name.to_string(), 0)),
            Column::Definition => definitions.push(i),
            Column::Ignored => {}
            Column::Unknown => problems.push(Problem {
                    line: 1,
                    column: i + 1,
                    msg: format!(
                        "unknown column '{name}': this header is the wide form (one row per concept), whose \
                         columns are languages (ar, fr, en or Arabic, French, English, regions accepted; other \
                         languages are skipped), note and concept (the id, optional), or memoQ's Entry_* and \
                         <Language>_Def columns; for more fields use the long form {}",
                    long_header()
                ),
            }),
        }
    }
    let width = header.len();
    let mut concepts: Vec<Concept> = Vec::new();
    let mut id_line: HashMap<String, usize> = HashMap::new();
    let mut term_at: HashMap<(Lang, String), (String, usize)> = HashMap::new();
    let mut left_out = 0usize;
    let mut first_skipped: Option<usize> = None;
    for (line, rec) in data_rows(records, width, &mut problems) {
        let cell = |i: usize| rec.get(i).unwrap_or("").trim();
        let mut other = 0;
        for (_, _, n) in skipped.iter_mut().filter(|(i, _, _)| !cell(*i).is_empty()) {
            *n += 1;
            other += 1;
            first_skipped.get_or_insert(line);
        }
        let id = match id_col {
            Some(c) if cell(c).is_empty() => {
                problems.push(Problem {
                    line,
                    column: c + 1,
                    msg: "empty concept id: fill it in, or remove the concept column to have ids made up"
                        .into(),
                });
                continue;
            }
            Some(c) => cell(c).to_string(),
            None => row_id(line, &rec),
        };
        let before = problems.len();
        if let Err(msg) = ConceptId::check(&id) {
            problems.push(Problem { line, column: id_col.map_or(0, |c| c + 1), msg });
        } else if let Some(first) = id_line.insert(id.clone(), line) {
            problems.push(Problem {
                line,
                column: id_col.map_or(0, |c| c + 1),
                msg: format!(
                    "duplicate concept id '{id}' (first used at line {first}): give each row its own id"
                ),
            });
        }
        let mut terms = Vec::new();
        for &(i, lang) in &langs {
            let term = cell(i);
            if term.is_empty() {
                continue;
            }
            let mut problem = |msg: String| problems.push(Problem { line, column: i + 1, msg });
            if crate::normalize::tokens(term).is_empty() {
                problem(format!("term '{term}' has no letters or digits"));
                continue;
            }
            let key = (lang, crate::normalize::key(term));
            if let Some((other, first)) = term_at.get(&key) {
                problem(format!(
                    "duplicate term '{term}' ({lang}): also in concept '{other}' at line {first}; a term denotes \
                     one concept"
                ));
                continue;
            }
            term_at.insert(key, (id.clone(), line));
            terms.push(Term {
                lang,
                term: term.to_string(),
                kind: TermType::Full,
                status: Status::Preferred,
                gender: None,
                note: String::new(),
                source: String::new(),
            });
        }
        if problems.len() > before {
            continue;
        }
        if terms.is_empty() {
            if other > 0 {
                left_out += 1;
            } else {
                problems.push(Problem {
                    line,
                    column: 0,
                    msg: "no term: a row of the wide form needs a term in ar, fr or en".into(),
                });
            }
            continue;
        }
        concepts.push(Concept {
            id: ConceptId(id),
            country: Country::Intl,
            subject: String::new(),
            definition: note
                .map(cell)
                .filter(|n| !n.is_empty())
                .or_else(|| definitions.iter().map(|&i| cell(i)).find(|d| !d.is_empty()))
                .unwrap_or("")
                .to_string(),
            terms,
        });
    }
    let mut notes = Vec::new();
    let terms: usize = skipped.iter().map(|(_, _, n)| n).sum();
    if let Some(line) = first_skipped {
        let each: Vec<String> = skipped.iter().map(|(_, t, n)| format!("{t} ({n})")).collect();
        let dropped = if left_out > 0 {
            format!(", and {left_out} row(s) that had no other term")
        } else {
            String::new()
        };
        notes.push(Problem {
            line,
            column: skipped[0].0 + 1,
            msg: format!(
                "skipped {terms} term(s) in languages qantara does not handle: {}{dropped}; qantara reads ar, fr \
                 and en (with any region, e.g. fr-FR)",
                each.join(", ")
            ),
        });
    }
    (concepts, problems, notes)
}

/// Writes `glossary` as CSV: header, then one row per term; the definition only on a
/// concept's first row.
pub fn write(glossary: &Glossary, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    w.write_record(COLUMNS)?;
    for c in glossary.concepts() {
        for (i, t) in c.terms.iter().enumerate() {
            w.write_record([
                c.id.as_str(),
                c.country.as_str(),
                &c.subject,
                if i == 0 { &c.definition } else { "" },
                t.lang.code(),
                &t.term,
                t.kind.as_str(),
                t.status.as_str(),
                t.gender.map_or("", Gender::as_str),
                &t.note,
                &t.source,
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "concept,country,subject,definition,lang,term,type,status,gender,note,source\n\
        t-wali,MA,title,\"Représentant du roi, à la tête d'une région\",fr,wali,full,preferred,m,,\n\
        t-wali,MA,title,,ar,والي,full,preferred,m,,\n\
        t-wali,MA,title,,en,wali,full,preferred,m,\"governor, in the press\",\n";

    /// `LONG` with `sep` between fields (commas inside quoted fields stay), BOM and CRLF.
    fn excel(sep: &str) -> String {
        let mut out = String::from("\u{FEFF}");
        for line in LONG.lines() {
            let mut fields = Vec::new();
            let mut rdr = ::csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
            for f in rdr.records().next().unwrap().unwrap().iter() {
                fields.push(if f.contains(',') { format!("\"{f}\"") } else { f.to_string() });
            }
            out += &fields.join(sep);
            out += "\r\n";
        }
        out
    }

    #[test]
    fn semicolon_and_tab_separated_glossaries_read_like_comma_separated_ones() {
        let (want, p) = read(LONG);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(want[0].definition, "Représentant du roi, à la tête d'une région");
        for sep in [";", "\t"] {
            let text = excel(sep);
            assert_eq!(separator(text.trim_start_matches('\u{FEFF}')), sep.as_bytes()[0]);
            let (got, p) = read(&text);
            assert!(p.is_empty(), "{sep:?}: {p:?}");
            assert_eq!(got, want, "{sep:?}");
        }
        // A tie, or no separator at all: a comma.
        assert_eq!(separator("ar;fr,en;note,x\n"), b',');
        assert_eq!(separator("concept\n"), b',');
        // Separators inside a quoted header name do not count.
        assert_eq!(separator("\"a;b;c\",fr\n"), b',');
    }

    #[test]
    fn a_header_of_neither_form_shows_the_expected_headers() {
        let (c, p) = read("source,target\nالشرطة,la police\n");
        assert!(c.is_empty());
        let last = &p.last().unwrap().msg;
        assert!(last.starts_with("missing required column(s) concept, lang, term"), "{p:?}");
        assert!(last.contains(&COLUMNS.join(",")) && last.contains("wide form ar,fr,en"), "{p:?}");
    }

    const WIDE: &str = "ar,fr-FR,EN,de,note\n\
        والي الجهة,wali de la région,regional governor,Regionalgouverneur,nommé par dahir\n\
        عامل,gouverneur,,Gouverneur,\n\
        \n\
        ,,,Bürgermeister,\n";

    #[test]
    fn the_wide_form_reads_one_concept_per_row() {
        let (c, p, notes) = read_noting(WIDE);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c.len(), 2);
        assert!(c[0].id.as_str().starts_with("row-2-") && c[1].id.as_str().starts_with("row-3-"), "{c:?}");
        for k in &c {
            assert!(ConceptId::check(k.id.as_str()).is_ok(), "{}", k.id);
            assert!(k.terms.iter().all(|t| t.status == Status::Preferred && t.kind == TermType::Full));
        }
        let langs: Vec<Lang> = c[0].terms.iter().map(|t| t.lang).collect();
        assert_eq!(langs, [Lang::Ar, Lang::Fr, Lang::En]);
        assert_eq!(c[0].definition, "nommé par dahir");
        assert_eq!(c[1].preferred(Lang::Fr).unwrap().term, "gouverneur");
        assert!(c[1].preferred(Lang::En).is_none());
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!((notes[0].line, notes[0].column), (2, 4));
        assert_eq!(
            notes[0].msg,
            "skipped 3 term(s) in languages qantara does not handle: de (3), and 1 row(s) that had no other \
             term; qantara reads ar, fr and en (with any region, e.g. fr-FR)"
        );
        // The same table with semicolons reads the same.
        let (c2, p, _) = read_noting(&WIDE.replace(',', ";"));
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c2.len(), 2);
        assert_eq!(c2[0].terms, c[0].terms);
        // A concept column gives the ids.
        let (c3, p, _) = read_noting("concept,fr,en\nc-wali,wali,governor\n");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c3[0].id.as_str(), "c-wali");
    }

    #[test]
    fn the_wide_form_reports_its_problems() {
        let text = "ar,fr,en,source,id\n\
            عامل,gouverneur,governor,x,1\n\
            ,préfet,governor,,\n\
            ,,,y,\n\
            ,---,,,\n";
        let p: Vec<String> =
            read(text).1.iter().map(|p| format!("{}:{} {}", p.line, p.column, p.msg)).collect();
        assert_eq!(p.len(), 5, "{p:?}");
        assert!(
            p[0].starts_with("1:4 unknown column 'source'") && p[0].contains(&COLUMNS.join(",")),
            "{p:?}"
        );
        assert!(p[1].starts_with("1:5 unknown column 'id'"), "{p:?}");
        assert!(p[2].starts_with("3:3 duplicate term 'governor' (en): also in concept 'row-2-"), "{p:?}");
        assert!(p[3].starts_with("4:0 no term"), "{p:?}");
        assert!(p[4].starts_with("5:2 term '---' has no letters"), "{p:?}");
        let p = read("concept,ar,fr\nc-a,عامل,gouverneur\n,والي,wali\nc-a,قائد,caïd\n").1;
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].msg.starts_with("empty concept id") && p[1].msg.contains("first used at line 2"),
            "{p:?}"
        );
    }

    /// Ids are how glossaries merge: two wide files loaded together must not merge their
    /// row 2 unless it is the same row, and no made-up id may take a built-in one.
    #[test]
    fn made_up_row_ids_do_not_collide() {
        let a = read("fr,en\nwali,governor\n").0;
        let b = read("fr,en\ncaïd,caid\n").0;
        let a2 = read("fr;en\r\nwali;governor\r\n").0;
        assert_ne!(a[0].id, b[0].id);
        assert_eq!(a[0].id, a2[0].id);
        let (builtin, _) = read(crate::formats::glossary::BUILTIN_CSV);
        assert!(builtin.iter().all(|c| !c.id.as_str().starts_with("row-")));
        assert!(looks_like_header("ar\tfr\ten\n") && looks_like_header("\u{FEFF}concept;lang;term"));
        assert!(!looks_like_header("الشرطة\tla police"));
    }
}
