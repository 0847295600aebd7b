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
pub fn read_json(text: &str) -> (Vec<Concept>, Vec<Problem>) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    match serde_json::from_str::<JsonGlossary>(text) {
        Ok(doc) => (doc.concepts, Vec::new()),
        Err(e) => (Vec::new(), vec![Problem { line: e.line(), column: e.column(), msg: e.to_string() }]),
    }
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
