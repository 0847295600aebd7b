//! OmegaT's tab-separated glossary: one line per pair, `source<TAB>target<TAB>comment`,
//! UTF-8. The file says nothing about its languages, so both reading and writing take the
//! source and target languages from the caller.
//!
//! Writing lists every admitted term of the source language (acronyms included) with the
//! preferred target term of the same grammatical gender; the comment is the concept id,
//! followed by ` (m)` or ` (f)` for gendered titles, so that reading the file back regroups
//! the lines by concept and writing it again gives the same file.

use crate::glossary::model::{Concept, ConceptId, Country, Gender, Status, Term, TermType};
use crate::glossary::{Glossary, Problem};
use crate::lang::Lang;
use std::io::Write;

/// Writes the `src` → `tgt` pairs of `glossary`.
pub fn write(glossary: &Glossary, src: Lang, tgt: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    for c in glossary.concepts() {
        for t in c.terms_in(src).filter(|t| t.status.is_admitted()) {
            let Some(target) = c.preferred_with_gender(tgt, t.gender) else { continue };
            let gender = match (t.gender, target.gender) {
                (Some(g), _) | (None, Some(g)) => format!(" ({g})"),
                _ => String::new(),
            };
            writeln!(out, "{}\t{}\t{}{}", clean(&t.term), clean(&target.term), c.id, gender)?;
        }
    }
    Ok(())
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Parses an OmegaT glossary whose columns are in `src` and `tgt`; lines whose comment is a
/// concept id are grouped into that concept, other lines become concepts `omegat-N` (N the
/// line; never an id the file uses).
pub fn read(text: &str, src: Lang, tgt: Lang) -> (Vec<Concept>, Vec<Problem>) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut concepts: Vec<Concept> = Vec::new();
    let mut problems = Problem::forbidden_chars(text);
    let mut unnamed: Vec<(usize, usize)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            problems.push(Problem {
                line: line_no,
                column: 1,
                msg: "expected at least two tab-separated columns (source, target)".into(),
            });
            continue;
        }
        let (s, t) = (cols[0].trim(), cols[1].trim());
        if s.is_empty() || t.is_empty() {
            problems.push(Problem {
                line: line_no,
                column: if s.is_empty() { 1 } else { 2 },
                msg: "empty term".into(),
            });
            continue;
        }
        let comment = cols.get(2).map_or("", |c| c.trim());
        let (id_part, gender) = match comment.rsplit_once(" (") {
            Some((id, "m)")) => (id, Some(Gender::M)),
            Some((id, "f)")) => (id, Some(Gender::F)),
            _ => (comment, None),
        };
        // A comment is taken for a concept id when it could be one (ASCII, and an XML NCName
        // as every concept id must be); anything else is a free comment.
        let is_id = id_part.is_ascii() && ConceptId::check(id_part).is_ok();
        // A line without an id is a concept of its own, named once every id is known.
        let id = if is_id { id_part.to_string() } else { String::new() };
        let idx = match concepts.iter().position(|c| is_id && c.id.0 == id) {
            Some(i) => i,
            None => {
                if !is_id {
                    unnamed.push((concepts.len(), line_no));
                }
                concepts.push(Concept {
                    id: ConceptId(id),
                    country: Country::Intl,
                    subject: String::new(),
                    definition: if is_id { String::new() } else { comment.to_string() },
                    terms: Vec::new(),
                });
                concepts.len() - 1
            }
        };
        let c = &mut concepts[idx];
        let kind_of = |s: &str| {
            let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() >= 2 && !s.contains(' ') && letters.iter().all(|c| c.is_uppercase()) {
                TermType::Acronym
            } else {
                TermType::Full
            }
        };
        for (lang, term, status) in [(src, s, Status::Admitted), (tgt, t, Status::Preferred)] {
            if !c.terms.iter().any(|x| x.lang == lang && x.term == term) {
                c.terms.push(Term {
                    lang,
                    term: term.to_string(),
                    kind: kind_of(term),
                    status,
                    gender,
                    note: String::new(),
                    source: String::new(),
                });
            }
        }
    }
    // `omegat-N` (N the line), or `omegat-N-2`… when the file uses that id as a comment: a
    // made-up id never merges with a real one.
    let mut taken: std::collections::HashSet<String> = concepts.iter().map(|c| c.id.0.clone()).collect();
    for (i, line_no) in unnamed {
        let mut id = format!("omegat-{line_no}");
        let mut k = 1;
        while taken.contains(&id) {
            k += 1;
            id = format!("omegat-{line_no}-{k}");
        }
        taken.insert(id.clone());
        concepts[i].id = ConceptId(id);
    }
    (concepts, problems)
}
