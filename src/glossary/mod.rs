//! The institutional glossary: a concept-oriented term base ([`model`]), a matcher that finds
//! its terms in any surface form ([`matcher`]), and a translation checker ([`check`]).
//!
//! The data flow: glossary files (CSV, TBX v2/v3, OmegaT TSV, JSON; see [`crate::formats`])
//! are read into [`Glossary`], which merges files concept by concept; the matcher is compiled
//! once, lazily, on first use; [`Glossary::find`] gives term hits with byte spans into the
//! original text, [`Glossary::concepts_in`] the concepts a text mentions (the anchors the
//! aligner uses), [`Glossary::lookup`] the concepts a query denotes.
//!
//! The default glossary (`glossaries/qantara.csv`) is compiled into the binary.

pub mod check;
pub mod export;
pub mod io;
pub mod matcher;
pub mod model;

use crate::lang::Lang;
pub use matcher::{DEFAULT_THRESHOLD, Hit, MatchKind, Matcher};
pub use model::{Concept, ConceptId, Country, Gender, Status, Term, TermType};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The built-in glossary, as CSV.
pub const BUILTIN_CSV: &str = include_str!("../../glossaries/qantara.csv");

/// Errors from reading glossary files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read or decoded.
    #[error(transparent)]
    Input(#[from] crate::Error),
    /// A problem in a glossary file at a given line (and column when known).
    #[error("{path}: line {row}: {msg}")]
    Glossary {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        row: usize,
        /// What is wrong and what to do.
        msg: String,
    },
    /// A file whose format could not be recognised.
    #[error("{path}: {msg}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong and what to do.
        msg: String,
    },
}

/// A problem found in a glossary file, with its position.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (CSV field number or character column), 0 when not known.
    pub column: usize,
    /// What is wrong and what to do.
    pub msg: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column > 0 {
            write!(f, "line {}, column {}: {}", self.line, self.column, self.msg)
        } else {
            write!(f, "line {}: {}", self.line, self.msg)
        }
    }
}

impl Problem {
    /// One problem per character of `text` that XML 1.0 forbids, with its line and column
    /// (see [`crate::formats::xml`]): every glossary reader calls this, so such characters
    /// never enter a glossary.
    pub fn forbidden_chars(text: &str) -> Vec<Problem> {
        crate::formats::xml::find_all(text)
            .map(|f| Problem { line: f.line, column: f.column, msg: crate::formats::xml::refusal(f.ch) })
            .collect()
    }

    /// The problem as an [`Error`] naming `path`.
    pub fn into_error(self, path: &Path) -> Error {
        let msg = if self.column > 0 { format!("column {}: {}", self.column, self.msg) } else { self.msg };
        Error::Glossary { path: path.to_path_buf(), row: self.line, msg }
    }
}

/// A set of concepts with a lazily compiled matcher.
#[derive(Debug, Default)]
pub struct Glossary {
    concepts: Vec<Concept>,
    by_id: HashMap<ConceptId, usize>,
    matcher: OnceLock<Matcher>,
    /// What the readers of its files skipped without it being wrong (see [`Glossary::notes`]).
    pub(crate) notes: Vec<String>,
}

impl Clone for Glossary {
    fn clone(&self) -> Self {
        let mut g = Glossary::from_concepts(self.concepts.clone());
        g.notes = self.notes.clone();
        g
    }
}

impl PartialEq for Glossary {
    fn eq(&self, other: &Self) -> bool {
        self.concepts == other.concepts
    }
}

impl Glossary {
    /// An empty glossary.
    pub fn new() -> Self {
        Self::default()
    }

    /// The built-in glossary.
    pub fn builtin() -> Self {
        let (concepts, problems) = crate::formats::csv::read(BUILTIN_CSV);
        debug_assert!(problems.is_empty(), "built-in glossary: {problems:?}");
        Glossary::from_concepts(concepts)
    }

    /// A glossary of `concepts` (concepts sharing an id are merged).
    pub fn from_concepts(concepts: Vec<Concept>) -> Self {
        let mut g = Glossary::new();
        for c in concepts {
            g.add(c);
        }
        g
    }

    /// Adds a concept; when its id exists, adds the terms that are new and fills empty
    /// concept fields.
    pub fn add(&mut self, concept: Concept) {
        self.matcher = OnceLock::new();
        match self.by_id.get(&concept.id) {
            Some(&i) => {
                let c = &mut self.concepts[i];
                if c.definition.is_empty() {
                    c.definition = concept.definition;
                }
                if c.subject.is_empty() {
                    c.subject = concept.subject;
                }
                for t in concept.terms {
                    if !c.terms.iter().any(|x| x.lang == t.lang && x.term == t.term) {
                        c.terms.push(t);
                    }
                }
            }
            None => {
                self.by_id.insert(concept.id.clone(), self.concepts.len());
                self.concepts.push(concept);
            }
        }
    }

    /// Adds every concept of `other`, and keeps its notes.
    pub fn merge(&mut self, other: Glossary) {
        self.notes.extend(other.notes);
        for c in other.concepts {
            self.add(c);
        }
    }

    /// The built-in glossary (unless `no_default`) merged with the files in `paths`, in order.
    pub fn load(paths: &[PathBuf], no_default: bool) -> Result<Self, Error> {
        let mut g = if no_default { Glossary::new() } else { Glossary::builtin() };
        for p in paths {
            g.merge(io::read_file(p, None, None)?);
        }
        Ok(g)
    }

    /// What the readers skipped in the files this glossary was read from, without it being
    /// wrong (terms in languages qantara does not handle), one message per file naming it:
    /// for the commands to print as warnings. Equality ignores them.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The concepts, in order.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The concept with this id.
    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.by_id.get(&ConceptId(id.to_string())).map(|&i| &self.concepts[i])
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    /// True when there is no concept.
    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// The compiled matcher (built on first use).
    pub fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| Matcher::new(&self.concepts))
    }

    /// Term hits in `text` for terms of `lang` (all languages when `None`), at the default
    /// threshold.
    pub fn find(&self, text: &str, lang: Option<Lang>) -> Vec<Hit> {
        self.find_with(text, lang, DEFAULT_THRESHOLD)
    }

    /// Term hits with an explicit threshold.
    pub fn find_with(&self, text: &str, lang: Option<Lang>, threshold: f64) -> Vec<Hit> {
        self.matcher().find(text, |l| lang.is_none_or(|x| x == l), threshold)
    }

    /// Term hits in `text` at the default threshold, short forms and names in any case (see
    /// [`Matcher::find_any_case`]): for confirming a concept known to be there.
    pub fn find_any_case(&self, text: &str, lang: Option<Lang>) -> Vec<Hit> {
        self.matcher().find_any_case(text, |l| lang.is_none_or(|x| x == l), DEFAULT_THRESHOLD)
    }

    /// The concepts mentioned in `text` (written in `lang`), in order of first mention,
    /// without repeats: anchors for sentence alignment.
    pub fn concepts_in(&self, text: &str, lang: Lang) -> Vec<ConceptId> {
        let mut out: Vec<ConceptId> = Vec::new();
        for h in self.find(text, Some(lang)) {
            let id = &self.concepts[h.concept].id;
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
        out
    }

    /// The term a hit matched.
    pub fn term_of(&self, hit: &Hit) -> &Term {
        &self.concepts[hit.concept].terms[hit.term]
    }

    /// The concepts `query` denotes, best first, at most `limit`: concepts whose term covers
    /// the whole query (score of the match), then concepts with a term containing every
    /// query word (score scaled by the share of the term the query covers, at most 0.7).
    ///
    /// A term found in the query scores the matcher's score for the hit (the same as
    /// `annotate`) times the share of the query it covers. That share is counted in letters
    /// of whole query words, articles left out: the matcher's score already charges a
    /// proclitic (`لحموشي` is a 0.95 clitic hit), so a coverage in bytes of the hit's span,
    /// which excludes the proclitic, charged it a second time (0.79), and `la DGSN` names
    /// the DGSN as fully as `DGSN` does.
    pub fn lookup(&self, query: &str, lang: Option<Lang>, limit: usize) -> Vec<LookupMatch> {
        let qtoks = crate::normalize::tokens(query);
        let letters = |t: &crate::normalize::Token| t.key.chars().count();
        let content = |t: &&crate::normalize::Token| !LOOKUP_ARTICLES.contains(&t.key.as_str());
        // A query made of articles only counts them (it can only match a term made of them).
        let only_articles = !qtoks.iter().any(|t| content(&t));
        let weight = |t: &crate::normalize::Token| if only_articles || content(&t) { letters(t) } else { 0 };
        let total: usize = qtoks.iter().map(weight).sum::<usize>().max(1);
        let mut best: HashMap<usize, LookupMatch> = HashMap::new();
        let mut offer = |m: LookupMatch| {
            let e = best.entry(m.concept).or_insert_with(|| m.clone());
            if m.score > e.score {
                *e = m;
            }
        };
        for h in self.find_with(query, lang, 0.5) {
            let covered: usize = qtoks
                .iter()
                .filter(|t| t.span.start < h.span.end && h.span.start < t.span.end)
                .map(weight)
                .sum();
            let coverage = covered as f64 / total as f64;
            offer(LookupMatch {
                concept: h.concept,
                term: h.term,
                score: (h.score * coverage.min(1.0) * 1000.0).round() / 1000.0,
            });
        }
        if !qtoks.is_empty() {
            for (ci, c) in self.concepts.iter().enumerate() {
                for (ti, t) in c.terms.iter().enumerate() {
                    if lang.is_some_and(|l| l != t.lang) {
                        continue;
                    }
                    let ttoks = crate::normalize::tokens(&t.term);
                    if ttoks.len() <= qtoks.len() {
                        continue;
                    }
                    if qtoks.iter().all(|q| ttoks.iter().any(|x| x.key == q.key)) {
                        let s = 0.7 * qtoks.len() as f64 / ttoks.len() as f64;
                        offer(LookupMatch { concept: ci, term: ti, score: (s * 1000.0).round() / 1000.0 });
                    }
                }
            }
        }
        let mut out: Vec<LookupMatch> = best.into_values().collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.concept.cmp(&b.concept)));
        out.truncate(limit);
        out
    }
}

/// Glossary concepts as alignment anchors: the index of every concept found, once per
/// occurrence (the same institution named on both sides pulls the two sentences together).
impl crate::align::ConceptAnchors for Glossary {
    fn concepts(&self, text: &str, lang: Lang) -> Vec<u32> {
        self.find(text, Some(lang)).into_iter().map(|h| h.concept as u32).collect()
    }
}

/// French and English articles (as token keys): left out of a query's coverage by
/// [`Glossary::lookup`], since `la DGSN` and `the DGSN` denote what `DGSN` does.
const LOOKUP_ARTICLES: &[&str] = &["le", "la", "les", "l", "un", "une", "des", "du", "the", "a", "an"];

/// A concept found by [`Glossary::lookup`].
#[derive(Debug, Clone, PartialEq)]
pub struct LookupMatch {
    /// Index of the concept.
    pub concept: usize,
    /// Index of the term that matched.
    pub term: usize,
    /// Score in [0, 1].
    pub score: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_without_problems() {
        let (concepts, problems) = crate::formats::csv::read(BUILTIN_CSV);
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(concepts.len() >= 25);
        for c in &concepts {
            for l in Lang::ALL {
                assert!(c.preferred(l).is_some(), "{} has no {l} term", c.id);
            }
        }
    }

    /// `term` used to measure coverage in bytes of the hit's span, which leaves out a stripped
    /// proclitic: the clitic was charged twice (0.792 for لحموشي, a 0.95 hit in `annotate`).
    #[test]
    fn lookup_scores_a_whole_query_hit_as_the_matcher_does() {
        let g = Glossary::builtin();
        for (query, lang) in [
            ("لحموشي", Lang::Ar),
            ("والإرهاب", Lang::Ar),
            ("بالمديرية العامة للأمن الوطني", Lang::Ar),
            ("la DGSN", Lang::Fr),
            ("the DGSN", Lang::En),
            ("D.G.S.N", Lang::Fr),
            ("Abdellatif Hamouchi", Lang::Fr),
        ] {
            let hits = g.find_with(query, Some(lang), 0.5);
            assert_eq!(hits.len(), 1, "{query}: {hits:?}");
            let best = &g.lookup(query, Some(lang), 1)[0];
            assert_eq!(best.concept, hits[0].concept, "{query}");
            assert_eq!(best.score, (hits[0].score * 1000.0).round() / 1000.0, "{query}");
        }
        assert_eq!(g.lookup("لحموشي", None, 1)[0].score, 0.95);
        // A query with more than the term still scores below the term alone.
        let partial = g.lookup("DGSN headquarters", Some(Lang::En), 1)[0].score;
        assert!(partial > 0.0 && partial < 1.0, "{partial}");
    }
}
