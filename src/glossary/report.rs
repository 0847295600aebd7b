//! The JSON shape of a glossary lookup (`qantara term --json`, `GET /v1/term`): for each
//! matched concept, its id, the score, the matched term and its status, the preferred term in
//! each asked language (with the matched term's gender when it has one) and every term.

use super::{Concept, Glossary, LookupMatch, Status};
use crate::lang::Lang;
use serde_json::{Map, Value, json};

#[derive(serde::Serialize)]
struct Match<'a> {
    concept: &'a str,
    score: f64,
    partial: bool,
    matched: &'a str,
    matched_status: Status,
    preferred: Value,
    terms: Value,
}

#[derive(serde::Serialize)]
struct Doc<'a> {
    query: &'a str,
    lang: Option<Lang>,
    matches: Vec<Match<'a>>,
}

/// The report of `matches` (from [`Glossary::lookup`]) of `query` in `lang`, showing the
/// languages `to`.
pub fn term_matches(
    g: &Glossary,
    query: &str,
    lang: Option<Lang>,
    matches: &[LookupMatch],
    to: &[Lang],
) -> Value {
    let matches: Vec<Match<'_>> = matches
        .iter()
        .map(|m| {
            let c = &g.concepts()[m.concept];
            Match {
                concept: c.id.as_str(),
                score: m.score,
                partial: m.partial,
                matched: &c.terms[m.term].term,
                matched_status: c.terms[m.term].status,
                preferred: preferred(c, to, c.terms[m.term].gender),
                terms: terms(c, to),
            }
        })
        .collect();
    serde_json::to_value(Doc { query, lang, matches }).unwrap_or(Value::Null)
}

fn preferred(c: &Concept, to: &[Lang], gender: Option<crate::glossary::Gender>) -> Value {
    let mut m = Map::new();
    for &l in to {
        if let Some(t) = c.preferred_with_gender(l, gender) {
            m.insert(l.to_string(), Value::String(t.term.clone()));
        }
    }
    Value::Object(m)
}

fn terms(c: &Concept, to: &[Lang]) -> Value {
    let mut m = Map::new();
    for &l in to {
        let ts: Vec<Value> = c
            .terms_in(l)
            .map(|t| {
                let mut o = json!({"term": t.term, "type": t.kind, "status": t.status});
                if let Some(g) = t.gender {
                    o["gender"] = json!(g);
                }
                if !t.note.is_empty() {
                    o["note"] = json!(t.note);
                }
                o
            })
            .collect();
        if !ts.is_empty() {
            m.insert(l.to_string(), Value::Array(ts));
        }
    }
    Value::Object(m)
}
