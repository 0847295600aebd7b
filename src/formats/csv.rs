//! qantara's spreadsheet glossary format: one row per term, concept fields repeated (see
//! `glossaries/README.md` for the columns).
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

/// Parses glossary CSV text (a BOM is ignored); returns the concepts and every problem found.
pub fn read(text: &str) -> (Vec<Concept>, Vec<Problem>) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut problems = Problem::forbidden_chars(text);
    let mut rdr = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            problems.push(Problem { line: 1, column: 0, msg: format!("unreadable header: {e}") });
            return (Vec::new(), problems);
        }
        None => {
            problems.push(Problem { line: 1, column: 0, msg: "empty file: expected a header row".into() });
            return (Vec::new(), problems);
        }
    };
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
    for required in ["concept", "lang", "term"] {
        if !col.contains_key(required) {
            problems.push(Problem {
                line: 1,
                column: 0,
                msg: format!("missing required column '{required}'"),
            });
        }
    }
    if !["concept", "lang", "term"].iter().all(|c| col.contains_key(c)) {
        return (Vec::new(), problems);
    }
    let width = header.len();
    let mut concepts: Vec<Concept> = Vec::new();
    let mut concept_line: HashMap<String, usize> = HashMap::new();
    let mut term_at: HashMap<(Lang, String), (String, usize)> = HashMap::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(Problem { line, column: 0, msg: format!("unreadable row: {e}") });
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != width {
            problems.push(Problem {
                line,
                column: rec.len().min(width) + 1,
                msg: format!(
                    "{} fields where the header has {width}; quote fields that contain commas",
                    rec.len()
                ),
            });
            continue;
        }
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
    (concepts, problems)
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
