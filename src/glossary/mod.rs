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
//!
//! ## Concept ids across sources
//!
//! A concept id names one concept. Within a file the readers refuse an id used twice (CSV
//! excepted for the consecutive rows of one concept, which is how CSV spells a concept), and
//! ids they make up for concepts without one never take an id the file uses. Across sources
//! (the built-in glossary, then each `--glossary` file in order), [`Glossary::merge_sources`] merges a
//! concept into the one of the same id loaded before only when the two have a term in common
//! (same language, same matching key): that is the documented way to add terms to a built-in
//! concept, and the shared term is what says it is the same concept. Two concepts that share
//! an id and no term are different concepts that happen to share an id (`entry-1` in two
//! TBX exports, a user's `ma-dgsn` that is not the DGSN): merging them would translate one by
//! the other, so the load is refused with both sources and the way out. Every merge is
//! returned as an [`Extension`] so the CLI reports it. The check costs one key per term of the
//! two concepts, only for ids found twice.

pub mod check;
pub mod export;
pub mod matcher;
pub mod model;
pub mod report;

use crate::lang::Lang;
pub use matcher::{DEFAULT_THRESHOLD, Hit, MatchKind, Matcher};
pub use model::{Concept, ConceptId, Country, Gender, Status, Term, TermType};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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
    /// A concept id that a file uses for a concept that an earlier source (the built-in
    /// glossary or another file) already uses for a concept with no term in common.
    #[error(
        "{path}: concept id '{id}' is already used by {other} for another concept (no term in \
         common): {hint}"
    )]
    IdCollision {
        /// The file that came second.
        path: PathBuf,
        /// The id.
        id: ConceptId,
        /// Where the first concept with this id comes from.
        other: Source,
        /// What to do.
        hint: String,
    },
}

/// Where concepts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The glossary compiled into the binary.
    Builtin,
    /// A glossary file.
    File(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Builtin => f.write_str("the built-in glossary"),
            Source::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// What [`Glossary::extend`] changed: terms added, fields filled, statuses changed.
type Extended = (Vec<(Lang, String)>, Vec<&'static str>, Vec<(Lang, String, Status, Status)>);

/// A concept of a file merged by [`Glossary::merge_sources`] into the concept of the same id from an
/// earlier source (they have a term in common), with what it added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// The concept id.
    pub id: ConceptId,
    /// The file whose concept was merged.
    pub path: PathBuf,
    /// Where the concept it was merged into comes from.
    pub onto: Source,
    /// The terms it added, as (language, term).
    pub terms: Vec<(Lang, String)>,
    /// The concept fields it filled (`subject`, `definition`), empty before.
    pub fields: Vec<&'static str>,
    /// The terms both have whose status the file changed, as (language, term, was, now): the
    /// later file wins, as a user's glossary overrides the built-in one.
    pub statuses: Vec<(Lang, String, Status, Status)>,
}

impl fmt::Display for Extension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut added: Vec<String> = self.terms.iter().map(|(l, t)| format!("adds {l} '{t}'")).collect();
        added.extend(self.fields.iter().map(|f| format!("adds its {f}")));
        added.extend(
            self.statuses.iter().map(|(l, t, was, now)| format!("makes {l} '{t}' {now} (it was {was})")),
        );
        write!(
            f,
            "{}: concept '{}' {} in the concept of the same id in {} (they have a term in \
             common); if it is a different concept, give it another id",
            self.path.display(),
            self.id,
            added.join(", "),
            self.onto,
        )
    }
}

/// The result of [`Glossary::merge_sources`].
#[derive(Debug)]
pub struct Loaded {
    /// Every source merged.
    pub glossary: Glossary,
    /// The concepts of files merged into a concept of an earlier source, in load order.
    pub extensions: Vec<Extension>,
}

/// True when `a` and `b` have a term in the same language with the same matching key.
fn share_a_term(a: &Concept, b: &Concept) -> bool {
    let keys: std::collections::HashSet<(Lang, String)> =
        a.terms.iter().map(|t| (t.lang, crate::normalize::key(&t.term))).collect();
    b.terms.iter().any(|t| keys.contains(&(t.lang, crate::normalize::key(&t.term))))
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
    /// (see [`crate::xml`]): every glossary reader calls this, so such characters
    /// never enter a glossary.
    pub fn forbidden_chars(text: &str) -> Vec<Problem> {
        crate::xml::find_all(text)
            .map(|f| Problem { line: f.line, column: f.column, msg: crate::xml::refusal(f.ch) })
            .collect()
    }

    /// The problem as an [`Error`] naming `path`.
    pub fn into_error(self, path: &Path) -> Error {
        let msg = if self.column > 0 { format!("column {}: {}", self.column, self.msg) } else { self.msg };
        Error::Glossary { path: path.to_path_buf(), row: self.line, msg }
    }
}

/// The error for a concept of `path` whose id `first` (from `other`) already has, with no
/// term in common.
fn collision(path: &Path, first: &Concept, other: Source) -> Error {
    let example = first.terms.first().map_or(String::new(), |t| format!(" ({} '{}')", t.lang, t.term));
    let mut hint = format!(
        "if it is a different concept, give it another id in {}; if it is the same one, repeat one \
         of the terms of '{}'{example} there so it adds to it",
        path.display(),
        first.id
    );
    hint.push_str(&match &other {
        Source::Builtin => "; or pass --no-default-glossary to use only your files".to_string(),
        Source::File(p) => format!("; or leave out {} or {}", p.display(), path.display()),
    });
    Error::IdCollision { path: path.to_path_buf(), id: first.id.clone(), other, hint }
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

    /// A glossary of `concepts` (concepts sharing an id are merged, as [`Glossary::add`]
    /// does: the readers never return two concepts with one id, so this only merges for
    /// callers that build concepts themselves).
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
        match self.by_id.get(&concept.id) {
            Some(&i) => {
                self.extend(i, concept);
            }
            None => {
                self.matcher = OnceLock::new();
                self.by_id.insert(concept.id.clone(), self.concepts.len());
                self.concepts.push(concept);
            }
        }
    }

    /// Merges `concept` into concept `i`: its new terms are added, the empty fields of
    /// concept `i` filled, and a term both have takes the status `concept` gives it (the later
    /// source wins). Returns the terms added, the fields filled and the statuses changed.
    fn extend(&mut self, i: usize, concept: Concept) -> Extended {
        let c = &mut self.concepts[i];
        let mut fields = Vec::new();
        if c.definition.is_empty() && !concept.definition.is_empty() {
            c.definition = concept.definition;
            fields.push("definition");
        }
        if c.subject.is_empty() && !concept.subject.is_empty() {
            c.subject = concept.subject;
            fields.push("subject");
        }
        let mut terms = Vec::new();
        let mut statuses = Vec::new();
        for t in concept.terms {
            match c.terms.iter_mut().find(|x| x.lang == t.lang && x.term == t.term) {
                None => {
                    terms.push((t.lang, t.term.clone()));
                    c.terms.push(t);
                }
                Some(x) if x.status != t.status => {
                    statuses.push((t.lang, t.term.clone(), x.status, t.status));
                    x.status = t.status;
                }
                Some(_) => {}
            }
        }
        if !terms.is_empty() || !statuses.is_empty() {
            self.matcher = OnceLock::new();
        }
        (terms, fields, statuses)
    }

    /// Adds every concept of `other`, and keeps its notes.
    pub fn merge(&mut self, other: Glossary) {
        self.notes.extend(other.notes);
        for c in other.concepts {
            self.add(c);
        }
    }

    /// `base` (the built-in glossary, or an empty one) merged with the glossaries read from
    /// `files`, in order (reading them is [`crate::formats::glossary::load`]'s part).
    ///
    /// A concept whose id an earlier source already uses is merged into that concept when
    /// the two have a term in common (an [`Extension`], returned so it can be reported), and
    /// refused with [`Error::IdCollision`] when they have none: they are different concepts
    /// (see the module documentation). Concepts of `base` count as built-in.
    pub fn merge_sources(base: Glossary, files: Vec<(PathBuf, Glossary)>) -> Result<Loaded, Error> {
        let mut g = base;
        let mut origin: HashMap<ConceptId, Source> =
            g.concepts.iter().map(|c| (c.id.clone(), Source::Builtin)).collect();
        let mut extensions = Vec::new();
        for (p, file) in files {
            let p = &p;
            g.notes.extend(file.notes);
            for c in file.concepts {
                let Some(&i) = g.by_id.get(&c.id) else {
                    origin.insert(c.id.clone(), Source::File(p.clone()));
                    g.add(c);
                    continue;
                };
                let other = origin.get(&c.id).cloned().unwrap_or(Source::Builtin);
                if !share_a_term(&g.concepts[i], &c) {
                    return Err(collision(p, &g.concepts[i], other));
                }
                let id = c.id.clone();
                let (terms, fields, statuses) = g.extend(i, c);
                if !terms.is_empty() || !fields.is_empty() || !statuses.is_empty() {
                    extensions.push(Extension { id, path: p.clone(), onto: other, terms, fields, statuses });
                }
            }
        }
        Ok(Loaded { glossary: g, extensions })
    }

    /// Sets what the reader of this glossary's file skipped without it being wrong, one
    /// message per note naming the file and line (see [`Glossary::notes`]).
    pub fn set_notes(&mut self, notes: Vec<String>) {
        self.notes = notes;
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

    /// The hits of the segments of one document (one list per segment), without the short
    /// forms of national institutions that are also common phrases (الأمن الوطني, `National
    /// Security`: national security) when nothing around them confirms the institution: the
    /// document names it by another term (full form, acronym), or the same segment names its
    /// country (الأمن الوطني المغربي, `Morocco's National Security`). `check` and `annotate`
    /// use it; one hit list is a document of one segment.
    pub fn in_context(&self, mut hits: Vec<Vec<Hit>>) -> Vec<Vec<Hit>> {
        let needs_context = |h: &Hit| {
            let c = &self.concepts[h.concept];
            self.term_of(h).kind == TermType::Short
                && c.subject.eq_ignore_ascii_case("institution")
                && c.country != Country::Intl
        };
        let named: Vec<usize> =
            hits.iter().flatten().filter(|h| !needs_context(h)).map(|h| h.concept).collect();
        for seg in &mut hits {
            let countries: Vec<Country> = seg
                .iter()
                .filter(|h| self.concepts[h.concept].subject.eq_ignore_ascii_case("country"))
                .map(|h| self.concepts[h.concept].country)
                .collect();
            seg.retain(|h| {
                !needs_context(h)
                    || named.contains(&h.concept)
                    || countries.contains(&self.concepts[h.concept].country)
            });
        }
        hits
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
        let opts = matcher::Options { cased: true, name_typos: true };
        for h in self.matcher().find_opts(query, |l| lang.is_none_or(|x| x == l), 0.5, opts) {
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
                partial: coverage < 1.0,
            });
        }
        if !qtoks.is_empty() {
            for (ci, c) in self.concepts.iter().enumerate() {
                for (ti, t) in c.terms.iter().enumerate() {
                    if lang.is_some_and(|l| l != t.lang) {
                        continue;
                    }
                    let ttoks = crate::normalize::tokens(&t.term);
                    if ttoks.len() <= qtoks.len() || t.kind == TermType::Acronym {
                        continue;
                    }
                    // Each query word is a word of the term, with the term's capital when the
                    // term has one in a Latin script (`national security` is no part of
                    // `General Directorate of National Security`, `veaux` none of `Frédéric
                    // Veaux`): a part of a name is a name only with its capitals.
                    let latin = !t.term.chars().any(crate::lang::is_arabic_letter);
                    let word_in_term = |q: &crate::normalize::Token| {
                        ttoks.iter().any(|x| {
                            x.key == q.key
                                && (!latin || !starts_upper(&t.term, x.span) || starts_upper(query, q.span))
                        })
                    };
                    if qtoks.iter().all(word_in_term) {
                        let s = 0.7 * qtoks.len() as f64 / ttoks.len() as f64;
                        offer(LookupMatch {
                            concept: ci,
                            term: ti,
                            score: (s * 1000.0).round() / 1000.0,
                            partial: true,
                        });
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

/// French and English articles and courtesy titles, Arabic courtesy titles (as token keys):
/// left out of a query's coverage by [`Glossary::lookup`], since `la DGSN`, `the DGSN` denote
/// what `DGSN` does, and `M. Hammouchi`, `السيد حموشي` whom `Hammouchi` does.
const LOOKUP_ARTICLES: &[&str] = &[
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "des",
    "du",
    "the",
    "a",
    "an",
    "m",
    "mme",
    "mr",
    "mrs",
    "ms",
    "السيد",
    "السيده",
];

/// A concept found by [`Glossary::lookup`].
#[derive(Debug, Clone, PartialEq)]
pub struct LookupMatch {
    /// Index of the concept.
    pub concept: usize,
    /// Index of the term that matched.
    pub term: usize,
    /// Score in [0, 1].
    pub score: f64,
    /// The query is only part of the term, or the term only part of the query: not a term
    /// the query names (`qantara term` says so and exits with status 1 when every match is
    /// partial).
    pub partial: bool,
}

/// True when the text of `span` in `text` starts with an upper-case letter.
fn starts_upper(text: &str, span: crate::span::Span) -> bool {
    span.slice(text).chars().next().is_some_and(char::is_uppercase)
}
