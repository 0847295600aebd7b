//! JSON and Markdown renderings of a glossary.
//!
//! JSON is the model serialized as is (`{"concepts": [...]}`) and reads back losslessly.
//! Markdown is for people (a section per concept with a table of its terms) and is not read.

use crate::glossary::model::Concept;
use crate::glossary::{Glossary, Problem};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::io::Write;

#[derive(Serialize, Deserialize)]
struct JsonGlossary {
    concepts: Vec<Concept>,
}

/// Writes `glossary` as pretty-printed JSON.
pub fn write_json(glossary: &Glossary, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = JsonGlossary { concepts: glossary.concepts().to_vec() };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Reads the JSON written by [`write_json`].
/// Refuses (as problems) the characters XML 1.0 forbids, raw or written as `\u` escapes,
/// concept ids that are not XML NCNames (see [`crate::glossary::ConceptId::check`]), and an id
/// used by two concepts (they would be merged).
pub fn read_json(text: &str) -> (Vec<Concept>, Vec<Problem>) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut problems = Problem::forbidden_chars(text);
    problems.extend(escaped_forbidden(text));
    match serde_json::from_str::<JsonGlossary>(text) {
        Ok(doc) => {
            for c in &doc.concepts {
                if let Err(msg) = crate::glossary::ConceptId::check(c.id.as_str()) {
                    // serde forgets positions: point at the id's first occurrence as a string.
                    let at = text.find(&serde_json::to_string(c.id.as_str()).unwrap_or_default());
                    let (line, column) = at.map_or((0, 0), |at| line_col(text, at));
                    problems.push(Problem { line, column, msg });
                }
            }
            problems.extend(repeated_ids(text, &doc.concepts));
            (doc.concepts, problems)
        }
        Err(e) => {
            problems.push(Problem { line: e.line(), column: e.column(), msg: e.to_string() });
            (Vec::new(), problems)
        }
    }
}

/// Concept ids used again, with their lines. serde gives no positions, so the k-th concept
/// with id X is placed at the k-th `"id": "X"` of the text (only concepts have an `id` key);
/// line 0 when the id is spelled differently there (with `\u` escapes).
fn repeated_ids(text: &str, concepts: &[Concept]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let line_of = |id: &str, k: usize| -> usize {
        let json = serde_json::to_string(id).unwrap_or_default();
        regex::Regex::new(&format!(r#""id"\s*:\s*{}"#, regex::escape(&json)))
            .ok()
            .and_then(|re| re.find_iter(text).nth(k))
            .map_or(0, |m| text[..m.start()].matches('\n').count() + 1)
    };
    for c in concepts {
        let id = c.id.as_str();
        let n = uses.entry(id).or_default();
        *n += 1;
        if *n > 1 {
            problems.push(Problem {
                line: line_of(id, *n - 1),
                column: 0,
                msg: format!(
                    "concept id '{id}' is used again (first at line {}): two concepts with one id would \
                     be merged; give each concept its own id",
                    line_of(id, 0)
                ),
            });
        }
    }
    problems
}

/// 1-based line and character column of byte `at` of `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1)
}

/// The `\uXXXX` escapes of `text` that stand for a character XML 1.0 forbids. A backslash
/// only occurs inside JSON strings, and `\\` is skipped as a pair, so every escape is seen
/// once and none is invented. (Lone surrogates need no check: serde_json refuses them.)
fn escaped_forbidden(text: &str) -> Vec<Problem> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'u') {
            let c =
                text.get(i + 2..i + 6).and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32);
            if let Some(c) = c.filter(|&c| crate::xml::is_forbidden(c)) {
                let (line, column) = line_col(text, i);
                out.push(Problem { line, column, msg: crate::xml::refusal(c) });
            }
        }
        i += 2;
    }
    out
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Writes `glossary` as Markdown.
pub fn write_markdown(glossary: &Glossary, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "# qantara glossary\n")?;
    writeln!(out, "{} concepts.\n", glossary.len())?;
    for c in glossary.concepts() {
        let title = c.preferred(Lang::Fr).or_else(|| c.terms.first()).map_or("", |t| t.term.as_str());
        writeln!(out, "## {} — {}\n", c.id, md(title))?;
        writeln!(out, "Country: {} · Subject: {}\n", c.country, md(&c.subject))?;
        if !c.definition.is_empty() {
            writeln!(out, "{}\n", md(&c.definition))?;
        }
        writeln!(out, "| lang | term | type | status | gender | note |")?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        for t in &c.terms {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                t.lang,
                md(&t.term),
                t.kind,
                t.status,
                t.gender.map_or("", |g| g.as_str()),
                md(&t.note)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}
