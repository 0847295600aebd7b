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

/// Reads the JSON written by [`write_json`]. Two concepts with one id are a problem (they
/// would be merged), as is an empty id.
pub fn read_json(text: &str) -> (Vec<Concept>, Vec<Problem>) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    match serde_json::from_str::<JsonGlossary>(text) {
        Ok(doc) => {
            let problems = id_problems(text, &doc.concepts);
            (doc.concepts, problems)
        }
        Err(e) => (Vec::new(), vec![Problem { line: e.line(), column: e.column(), msg: e.to_string() }]),
    }
}

/// Empty and repeated concept ids of a JSON glossary, with their lines. serde gives no
/// positions, so the k-th concept with id X is placed at the k-th `"id": "X"` of the text
/// (only concepts have an `id` key); line 0 when the id is spelled differently there
/// (with `\u` escapes).
fn id_problems(text: &str, concepts: &[Concept]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    let line_of = |id: &str, k: usize| -> usize {
        let json = serde_json::to_string(id).unwrap_or_default();
        regex::Regex::new(&format!(r#""id"\s*:\s*{}"#, regex::escape(&json)))
            .ok()
            .and_then(|re| re.find_iter(text).nth(k))
            .map_or(0, |m| text[..m.start()].matches('\n').count() + 1)
    };
    for (i, c) in concepts.iter().enumerate() {
        let id = c.id.as_str();
        let uses = seen.entry(id).or_default();
        uses.push(i);
        if id.trim().is_empty() {
            problems.push(Problem {
                line: line_of(id, uses.len() - 1),
                column: 0,
                msg: format!("concept {} has an empty id: give it one", i + 1),
            });
        } else if uses.len() > 1 {
            problems.push(Problem {
                line: line_of(id, uses.len() - 1),
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
