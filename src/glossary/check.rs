//! Translation check: does every glossary concept of a source text reach its translation with
//! an admitted term of the right gender, does the translation name nothing the source does not,
//! and is each concept rendered the same way throughout?
//!
//! # Algorithm
//! The two texts are segmented ([`crate::segment`]) and aligned ([`crate::align`]); each bead
//! gives a source/target pair (a pre-aligned TSV or a TMX memory gives the pairs directly). In
//! each pair the matcher finds the source concepts (strictly: short forms and names only with
//! their capitals, see [`crate::glossary::matcher::case_sensitive`]) and the target hits (in any
//! case, and lone names through a typo too: the source already says the concept is there, so
//! `national security` or `Hamouchi` in the translation is the concept, rendered or misspelt).
//!
//! **What renders a concept.** A target hit renders its own concept, the concepts its terms
//! contain (`lutte contre le terrorisme` renders `terrorisme`: [`Renders`]), and, for a title,
//! its institution, and for an institution, the title of its head (`le patron de la DGSE`
//! is a title the matcher composes; `Nicolas Lerner, de la DGSE` for the DGSE's director
//! general is an editorial choice, not a terminology error).
//!
//! **Missing.** A source concept that nothing in the aligned pair's target renders is
//! *missing* (error), unless one of the `window` pairs on either side renders it (sentences
//! split or merged differently, a name moved to the next sentence) **and** the pair itself
//! names no other concept of the same kind instead. The window is for alignment slack only: a
//! lead that names the DGSE where the source names the DGSI is wrong whatever the headline
//! next to it says. A source mention that several concepts share (one text span) is rendered
//! by any of them.
//!
//! **Gender.** A source title or name with a grammatical gender rendered by a term of the
//! same concept with the other gender (المديرة العامة → `le directeur général`) is an error.
//!
//! **Extra.** An institution or title the target names (strictly, as the source side is
//! matched) that nothing in the whole source document accounts for — not the concept itself,
//! nor one it renders or that renders it — is an error: a wrong institution that only the
//! translation has. A person only the target names is a warning (translators add names).
//!
//! **Forms.** A target hit on a deprecated term is an error, on a superseded term a warning; a
//! target hit through a one-edit typo is a warning (misspelt term), an error for a person's
//! name. The expected term follows the matched term's type and gender: a short form asks for
//! the short form (`France`, not `République française`), an acronym for the acronym.
//!
//! **Consistency.** Across all pairs (a document, or every document given), a concept whose
//! target hits use two different full forms or variants of the same gender is
//! **inconsistent** (error). Acronyms and short forms are not counted: `la DGSI` after `la
//! Direction générale de la sécurité intérieure` is normal style, not an inconsistency;
//! masculine and feminine titles are different renderings by design; a rendering that only
//! adds words around another one (`Jeux olympiques d'été` beside `Jeux olympiques`) is a
//! qualified form, not a second one.
//!
//! A concept with no term in the target language cannot be checked and is skipped, and so is
//! a source segment with no translation at all (a heading the translator dropped).
//!
//! # Cost
//! Three matcher passes per segment of each side and one over the source document; the
//! relation [`Renders`] costs one hash probe per contiguous sub-run of every term, once per
//! check; the alignment dominates.

use crate::align::{AlignOptions, Side, align};
use crate::glossary::{DEFAULT_THRESHOLD, Glossary, Hit, MatchKind, Status, TermType};
use crate::lang::Lang;
use crate::segment::segment;
use serde::Serialize;
use std::collections::BTreeMap;

/// How serious an issue is; errors make `qantara check` exit with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The translation must be fixed.
    Error,
    /// Worth a look.
    Warning,
}

/// What kind of issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueKind {
    /// A source concept absent from the target.
    Missing,
    /// A deprecated target term.
    Deprecated,
    /// A superseded (former) target term.
    Superseded,
    /// A misspelt target term.
    Typo,
    /// One concept rendered in two ways.
    Inconsistent,
    /// A title or name rendered with the other grammatical gender.
    Gender,
    /// A concept the target names and the source does not.
    Extra,
}

/// An aligned pair of texts to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// Source text.
    pub src: String,
    /// Target text.
    pub tgt: String,
    /// Where the pair comes from (`doc:line` or bead number), for messages.
    pub origin: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// Kind of issue.
    pub kind: IssueKind,
    /// Number of the pair, from 1, as the text output prints it (`pair 3`).
    pub pair: usize,
    /// Where the pair comes from.
    pub origin: String,
    /// The concept.
    pub concept: String,
    /// The source surface form (empty for inconsistencies).
    pub source: String,
    /// The target surface form(s) concerned.
    pub target: Vec<String>,
    /// The expected target term.
    pub expected: String,
    /// A sentence for people.
    pub message: String,
}

/// The result of a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Source language.
    pub src_lang: Lang,
    /// Target language.
    pub tgt_lang: Lang,
    /// Number of pairs checked.
    pub pairs: usize,
    /// Number of source concept mentions checked.
    pub mentions: usize,
    /// Findings, in pair order.
    pub issues: Vec<Issue>,
}

impl Report {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.issues.iter().filter(|i| i.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.issues.len() - self.errors()
    }
}

/// Segments and aligns `src` and `tgt`, then checks the pairs.
pub fn check_documents(
    glossary: &Glossary,
    src: &str,
    tgt: &str,
    src_lang: Lang,
    tgt_lang: Lang,
    window: usize,
) -> Report {
    let sides = [
        Side { lang: src_lang, segments: segment(src, src_lang) },
        Side { lang: tgt_lang, segments: segment(tgt, tgt_lang) },
    ];
    // The glossary's own concepts are alignment anchors too: a translation that renders a
    // concept is pulled towards the right source sentence, and one that misses it is aligned
    // by everything else (lengths, numbers, names), so no finding is hidden by the anchors.
    let opts =
        AlignOptions { concepts: Some(std::sync::Arc::new(glossary.clone())), ..AlignOptions::default() };
    let beads = align(&sides, &opts);
    // Line numbers by binary search over the line starts: counting the line breaks before
    // every bead from the start of the text made 100,000 pairs quadratic.
    let line_starts = |full: &str| -> Vec<usize> { full.match_indices('\n').map(|(k, _)| k).collect() };
    let breaks = [line_starts(src), line_starts(tgt)];
    // a split bead holds part of a segment: its span says which (crate::align::Bead::span)
    let text_of = |b: &crate::align::Bead, k: usize, full: &str| -> (String, usize) {
        let Some(span) = b.span(k, &sides[k]) else { return (String::new(), 0) };
        let line = breaks[k].partition_point(|&x| x < span.start) + 1;
        (full[span.start..span.end].to_string(), line)
    };
    let pairs: Vec<Pair> = beads
        .iter()
        .map(|b| {
            let (s, sl) = text_of(b, 0, src);
            let (t, tl) = text_of(b, 1, tgt);
            let origin = match (s.is_empty(), t.is_empty()) {
                (false, false) => format!("source line {sl}, target line {tl}"),
                (false, true) => format!("source line {sl} (no target)"),
                _ => format!("target line {tl} (no source)"),
            };
            Pair { src: s, tgt: t, origin }
        })
        .collect();
    check_pairs(glossary, &pairs, src_lang, tgt_lang, window)
}

/// Which concepts a target hit of each concept renders (see the module doc): itself, the
/// concepts one of its terms contains as a run of words in the same language, and the
/// title ↔ institution link the matcher knows.
pub struct Renders {
    by_concept: Vec<Vec<usize>>,
}

impl Renders {
    /// Computes the relation for `glossary`.
    pub fn new(glossary: &Glossary) -> Self {
        let concepts = glossary.concepts();
        let key_of = |t: &crate::glossary::Term| -> Vec<String> {
            crate::normalize::tokens(&t.term).into_iter().map(|k| k.key).collect()
        };
        let mut terms: std::collections::HashMap<(Lang, Vec<String>), Vec<usize>> =
            std::collections::HashMap::new();
        for (ci, c) in concepts.iter().enumerate() {
            for t in &c.terms {
                let v = terms.entry((t.lang, key_of(t))).or_default();
                if !v.contains(&ci) {
                    v.push(ci);
                }
            }
        }
        let mut by_concept: Vec<Vec<usize>> = (0..concepts.len()).map(|ci| vec![ci]).collect();
        for (ci, c) in concepts.iter().enumerate() {
            for t in &c.terms {
                let keys = key_of(t);
                for len in 1..keys.len() {
                    for w in keys.windows(len) {
                        if let Some(others) = terms.get(&(t.lang, w.to_vec())) {
                            for &o in others {
                                if !by_concept[ci].contains(&o) {
                                    by_concept[ci].push(o);
                                }
                            }
                        }
                    }
                }
            }
            if let Some(inst) = glossary.matcher().institution_of(ci) {
                for (a, b) in [(ci, inst), (inst, ci)] {
                    if !by_concept[a].contains(&b) {
                        by_concept[a].push(b);
                    }
                }
            }
        }
        Renders { by_concept }
    }

    /// The concepts a hit of `concept` renders (itself first).
    pub fn of(&self, concept: usize) -> &[usize] {
        &self.by_concept[concept]
    }

    /// True when a hit of `a` renders `b` or a hit of `b` renders `a`.
    fn related(&self, a: usize, b: usize) -> bool {
        self.of(a).contains(&b) || self.of(b).contains(&a)
    }
}

/// Checks aligned pairs (see the module doc).
///
/// `window` is the alignment tolerance: a source concept counts as rendered when its target
/// hit lies in the same pair or in one of the `window` pairs before or after it (translators
/// move a name to the next sentence, and an aligner may be off by a sentence), unless the pair
/// itself names another concept of the same kind instead; 0 for strict pair-by-pair checking
/// (pre-aligned TSV).
pub fn check_pairs(
    glossary: &Glossary,
    pairs: &[Pair],
    src_lang: Lang,
    tgt_lang: Lang,
    window: usize,
) -> Report {
    let mut issues = Vec::new();
    let concepts = glossary.concepts();
    let renders = Renders::new(glossary);
    let relaxed = crate::glossary::matcher::Options { cased: false, name_typos: true };
    let lang_is = |l: Lang| move |x: Lang| x == l;
    // Target hits of each pair, in any case and with name typos (for confirming what the
    // source names), and strictly (for what the target names on its own).
    let tgt_relaxed: Vec<Vec<Hit>> = pairs
        .iter()
        .map(|p| glossary.matcher().find_opts(&p.tgt, lang_is(tgt_lang), DEFAULT_THRESHOLD, relaxed))
        .collect();
    // A short form of a national institution that is also a common phrase (الأمن الوطني,
    // `National Security`: national security) names the institution only in context: when the
    // same side of the document also names it in full (or by its acronym), or the same pair
    // names its country (الأمن الوطني المغربي, `Morocco's National Security`).
    let src_hits_all: Vec<Vec<Hit>> =
        in_context(glossary, pairs.iter().map(|p| glossary.find(&p.src, Some(src_lang))).collect());
    let tgt_strict: Vec<Vec<Hit>> =
        in_context(glossary, pairs.iter().map(|p| glossary.find(&p.tgt, Some(tgt_lang))).collect());
    // What the target of each pair renders.
    let rendered: Vec<Vec<usize>> = tgt_relaxed
        .iter()
        .map(|hs| {
            let mut v: Vec<usize> = hs.iter().flat_map(|h| renders.of(h.concept).iter().copied()).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    // Every concept the source document names, in any case and through name typos: what
    // accounts for a concept of the target.
    let mut src_doc: Vec<usize> = pairs
        .iter()
        .flat_map(|p| glossary.matcher().find_opts(&p.src, lang_is(src_lang), DEFAULT_THRESHOLD, relaxed))
        .map(|h| h.concept)
        .collect();
    src_doc.sort_unstable();
    src_doc.dedup();
    let mut mentions = 0;
    // concept → gender → term index → (surface, pair indices)
    type Renderings =
        BTreeMap<usize, BTreeMap<Option<crate::glossary::Gender>, BTreeMap<usize, (String, Vec<usize>)>>>;
    let mut renderings: Renderings = BTreeMap::new();
    let mut extra_seen: Vec<usize> = Vec::new();
    let surface = |text: &str, h: &Hit| h.span.slice(text).to_string();
    for (pi, pair) in pairs.iter().enumerate() {
        // A source segment the translation left out (a dropped heading) is an editorial choice
        // the alignment already shows, not a terminology error: nothing to check in it.
        if pair.tgt.trim().is_empty() {
            continue;
        }
        let src_hits = &src_hits_all[pi];
        let lo = pi.saturating_sub(window);
        let hi = (pi + window + 1).min(pairs.len());
        // The concepts the source names in the window: the target may name them, and the
        // target's status and typo findings are about them.
        let src_window: Vec<usize> = src_hits_all[lo..hi].iter().flatten().map(|h| h.concept).collect();
        let explained_here = |c: usize| src_hits.iter().any(|s| renders.related(s.concept, c));
        // Same-kind concepts the pair's target names that its source does not account for:
        // what the translation says instead of a missing concept.
        let instead_of = |c: &crate::glossary::Concept| -> Vec<&Hit> {
            tgt_relaxed[pi]
                .iter()
                .filter(|t| {
                    let tc = &concepts[t.concept];
                    (tc.subject == c.subject || (is_body(&tc.subject) && is_body(&c.subject)))
                        && !explained_here(t.concept)
                })
                .collect()
        };
        // Source mentions, one per span (a span several concepts share is rendered by any).
        let mut by_span: Vec<(crate::span::Span, Vec<&Hit>)> = Vec::new();
        for h in src_hits {
            match by_span.iter_mut().find(|(s, _)| *s == h.span) {
                Some((_, v)) => v.push(h),
                None => by_span.push((h.span, vec![h])),
            }
        }
        let mut seen_src: Vec<usize> = Vec::new();
        let mut instead_here: Vec<usize> = Vec::new();
        for (_, group) in &by_span {
            if group.iter().all(|h| seen_src.contains(&h.concept)) {
                continue;
            }
            seen_src.extend(group.iter().map(|h| h.concept));
            let h = group[0];
            let c = &concepts[h.concept];
            let term = glossary.term_of(h);
            let gender = term.gender;
            let Some(expected) = preferred_like(c, tgt_lang, gender, term.kind) else { continue };
            mentions += 1;
            let here = group.iter().any(|g| rendered[pi].contains(&g.concept));
            let instead = if here { Vec::new() } else { instead_of(c) };
            let near = !here
                && instead.is_empty()
                && (lo..hi).any(|k| group.iter().any(|g| rendered[k].contains(&g.concept)));
            // A country's short name or adjective (`Maroc`, `française`, المغربي) is often
            // dropped or recast (`la DGSN marocaine` → `the DGSN`): only another country in
            // its place is an error.
            let weak = c.subject.eq_ignore_ascii_case("country") && term.kind == TermType::Short;
            if weak && !here && instead.is_empty() {
                continue;
            }
            if here || near {
                // Gender: a title or a person rendered by a term of the other gender (the
                // agreement of adjectives differs between languages and is not checked).
                let gendered =
                    c.subject.eq_ignore_ascii_case("title") || c.subject.eq_ignore_ascii_case("person");
                if let Some(g) = gender.filter(|_| gendered) {
                    // Only when no rendering of the concept in the pair has the right gender:
                    // a pair may name two holders of one title (the former and the new head).
                    let of_concept = || tgt_relaxed[pi].iter().filter(|t| t.concept == h.concept);
                    let right = of_concept().any(|t| glossary.term_of(t).gender.is_none_or(|x| x == g));
                    let wrong = of_concept()
                        .find(|t| glossary.term_of(t).gender.is_some_and(|x| x != g))
                        .filter(|_| !right);
                    if let Some(t) = wrong {
                        let right = c
                            .preferred_with_gender(tgt_lang, Some(g))
                            .map_or(String::new(), |p| p.term.clone());
                        issues.push(Issue {
                            severity: Severity::Error,
                            kind: IssueKind::Gender,
                            pair: pi + 1,
                            origin: pair.origin.clone(),
                            concept: c.id.to_string(),
                            source: surface(&pair.src, h),
                            target: vec![surface(&pair.tgt, t)],
                            expected: right.clone(),
                            message: format!(
                                "'{}' is {} and '{}' {}; use '{}'",
                                surface(&pair.src, h),
                                gender_name(g),
                                surface(&pair.tgt, t),
                                glossary.term_of(t).gender.map_or("", gender_name),
                                right
                            ),
                        });
                    }
                }
                continue;
            }
            let mut message = format!(
                "'{}' ({}) has no rendering in the target; expected '{}'",
                surface(&pair.src, h),
                c.id,
                expected.term
            );
            instead_here.extend(instead.iter().map(|t| t.concept));
            if !instead.is_empty() {
                let said: Vec<String> = instead
                    .iter()
                    .map(|t| format!("'{}' ({})", surface(&pair.tgt, t), concepts[t.concept].id))
                    .collect();
                message.push_str(&format!("; the target has {} instead", said.join(", ")));
            }
            issues.push(Issue {
                severity: Severity::Error,
                kind: IssueKind::Missing,
                pair: pi + 1,
                origin: pair.origin.clone(),
                concept: c.id.to_string(),
                source: surface(&pair.src, h),
                target: instead.iter().map(|t| surface(&pair.tgt, t)).collect(),
                expected: expected.term.clone(),
                message,
            });
        }
        let strict = &tgt_strict[pi];
        for h in &tgt_relaxed[pi] {
            let named = src_window.iter().any(|&s| renders.related(s, h.concept));
            let is_strict = strict.iter().any(|s| s.span == h.span && s.concept == h.concept);
            if !named && !is_strict {
                // A look-alike (lower-case `veaux`, a name-like typo) of a concept the source
                // does not name: not the concept.
                continue;
            }
            let c = &concepts[h.concept];
            let t = glossary.term_of(h);
            let src_surface = src_hits
                .iter()
                .find(|s| s.concept == h.concept)
                .map_or(String::new(), |s| surface(&pair.src, s));
            let expected =
                preferred_like(c, tgt_lang, t.gender, t.kind).map_or(String::new(), |p| p.term.clone());
            // Already named as what the target says instead of a missing concept.
            let said_instead = instead_here.contains(&h.concept);
            let mut push = |severity, kind, message: String| {
                issues.push(Issue {
                    severity,
                    kind,
                    pair: pi + 1,
                    origin: pair.origin.clone(),
                    concept: c.id.to_string(),
                    source: src_surface.clone(),
                    target: vec![surface(&pair.tgt, h)],
                    expected: expected.clone(),
                    message,
                })
            };
            match t.status {
                Status::Deprecated => push(
                    Severity::Error,
                    IssueKind::Deprecated,
                    format!(
                        "'{}' is deprecated for {}; use '{}'{}",
                        surface(&pair.tgt, h),
                        c.id,
                        expected,
                        note(&t.note)
                    ),
                ),
                Status::Superseded => push(
                    Severity::Warning,
                    IssueKind::Superseded,
                    format!(
                        "'{}' is a former name of {}; use '{}'{}",
                        surface(&pair.tgt, h),
                        c.id,
                        expected,
                        note(&t.note)
                    ),
                ),
                _ => {}
            }
            if h.kind == MatchKind::Typo {
                let person = c.subject.eq_ignore_ascii_case("person");
                push(
                    if person { Severity::Error } else { Severity::Warning },
                    IssueKind::Typo,
                    format!("'{}' looks like a misspelling of '{}'", surface(&pair.tgt, h), t.term),
                );
            }
            // A body, title or person that nothing in the source document accounts for.
            let accounted = src_doc.iter().any(|&s| renders.related(s, h.concept));
            if is_strict
                && !accounted
                && !said_instead
                && (is_body(&c.subject) || c.subject.eq_ignore_ascii_case("person"))
                && !extra_seen.contains(&h.concept)
            {
                extra_seen.push(h.concept);
                let person = c.subject.eq_ignore_ascii_case("person");
                push(
                    if person { Severity::Warning } else { Severity::Error },
                    IssueKind::Extra,
                    format!(
                        "the target names '{}' ({}), which the source does not name anywhere",
                        surface(&pair.tgt, h),
                        c.id
                    ),
                );
            }
            if named && t.status.is_admitted() && matches!(t.kind, TermType::Full | TermType::Variant) {
                let e = renderings
                    .entry(h.concept)
                    .or_default()
                    .entry(t.gender)
                    .or_default()
                    .entry(h.term)
                    .or_insert_with(|| (t.term.clone(), Vec::new()));
                if !e.1.contains(&pi) {
                    e.1.push(pi);
                }
            }
        }
    }
    for (ci, by_gender) in renderings {
        for (gender, mut terms) in by_gender {
            // A rendering that only adds words around another one used in the document
            // ("Jeux olympiques d'été" beside "Jeux olympiques") is a qualified form, not a
            // second rendering.
            let keys: Vec<(usize, Vec<String>)> = terms
                .iter()
                .map(|(&ti, (t, _))| (ti, crate::normalize::tokens(t).into_iter().map(|k| k.key).collect()))
                .collect();
            terms.retain(|ti, _| {
                let mine = &keys.iter().find(|(k, _)| k == ti).expect("listed").1;
                !keys.iter().any(|(other, ks)| other != ti && ks.len() < mine.len() && contains_run(mine, ks))
            });
            if terms.len() < 2 {
                continue;
            }
            let c = &concepts[ci];
            let expected =
                c.preferred_with_gender(tgt_lang, gender).map_or(String::new(), |p| p.term.clone());
            let first_pair = terms.values().flat_map(|(_, p)| p.iter().copied()).min().unwrap_or(0);
            let listing: Vec<String> = terms
                .values()
                .map(|(term, ps)| {
                    let ps: Vec<String> = ps.iter().map(|p| (p + 1).to_string()).collect();
                    format!("'{term}' (pairs {})", ps.join(", "))
                })
                .collect();
            issues.push(Issue {
                severity: Severity::Error,
                kind: IssueKind::Inconsistent,
                pair: first_pair + 1,
                origin: pairs.get(first_pair).map_or(String::new(), |p| p.origin.clone()),
                concept: c.id.to_string(),
                source: String::new(),
                target: terms.values().map(|(t, _)| t.clone()).collect(),
                expected: expected.clone(),
                message: format!(
                    "{} is rendered in {} ways: {}; use '{}' throughout",
                    c.id,
                    terms.len(),
                    listing.join(", "),
                    expected
                ),
            });
        }
    }
    issues.sort_by(|a, b| a.pair.cmp(&b.pair).then(a.kind.cmp(&b.kind)).then(a.concept.cmp(&b.concept)));
    Report { src_lang, tgt_lang, pairs: pairs.len(), mentions, issues }
}

fn in_context(glossary: &Glossary, hits: Vec<Vec<Hit>>) -> Vec<Vec<Hit>> {
    glossary.in_context(hits)
}

/// Institutions and titles: the concepts a wrong one of which is a mistranslation.
fn is_body(subject: &str) -> bool {
    subject.eq_ignore_ascii_case("institution") || subject.eq_ignore_ascii_case("title")
}

fn gender_name(g: crate::glossary::Gender) -> &'static str {
    match g {
        crate::glossary::Gender::M => "masculine",
        crate::glossary::Gender::F => "feminine",
    }
}

fn preferred_like(
    c: &crate::glossary::Concept,
    lang: Lang,
    gender: Option<crate::glossary::Gender>,
    kind: TermType,
) -> Option<&crate::glossary::Term> {
    c.preferred_like(lang, gender, kind)
}

/// True when `needle` occurs as a contiguous run in `hay`.
fn contains_run(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn note(n: &str) -> String {
    if n.is_empty() { String::new() } else { format!(" ({n})") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(src: &str, tgt: &str) -> Pair {
        Pair { src: src.into(), tgt: tgt.into(), origin: "test".into() }
    }

    /// QA report: the common noun `national security` in an English source was taken for the
    /// DGSN's short form `National Security`, and its French rendering reported missing.
    #[test]
    fn common_words_in_the_source_are_not_concepts() {
        let g = crate::formats::glossary::builtin();
        let r = check_pairs(
            &g,
            &[pair(
                "The national security adviser of the United States arrived in Rabat.",
                "Le conseiller à la sécurité nationale des États-Unis est arrivé à Rabat.",
            )],
            Lang::En,
            Lang::Fr,
            0,
        );
        assert_eq!(r.issues, [], "{:?}", r.issues);
        assert_eq!(r.mentions, 0);
        let r = check_pairs(
            &g,
            &[pair("The farmer sold his calves at the market.", "Le fermier a vendu ses veaux au marché.")],
            Lang::En,
            Lang::Fr,
            0,
        );
        assert_eq!((r.mentions, r.issues.len()), (0, 0));
    }

    /// The target side is searched in any case: a source concept rendered by a lower-case
    /// short form is rendered, not missing.
    #[test]
    fn a_lower_case_short_form_renders_a_source_concept() {
        let g = crate::formats::glossary::builtin();
        let r = check_pairs(
            &g,
            &[pair(
                "La Sûreté nationale marocaine renforce sa coopération.",
                "Moroccan national security steps up cooperation.",
            )],
            Lang::Fr,
            Lang::En,
            0,
        );
        // The DGSN and Morocco (the adjective `marocaine`).
        assert_eq!((r.mentions, r.issues.len()), (2, 0), "{:?}", r.issues);
        let r = check_pairs(
            &g,
            &[pair(
                "La Sûreté nationale marocaine renforce sa coopération.",
                "Morocco steps up cooperation.",
            )],
            Lang::Fr,
            Lang::En,
            0,
        );
        assert_eq!(r.issues.iter().map(|i| i.kind).collect::<Vec<_>>(), [IssueKind::Missing]);
    }

    /// A wrong institution is named in the report, not only the missing one.
    #[test]
    fn a_missing_concept_names_what_the_target_says_instead() {
        let g = crate::formats::glossary::builtin();
        let r = check_pairs(
            &g,
            &[pair(
                "استقبلت المديرية العامة للأمن الوطني الوفد.",
                "La Direction générale de la surveillance du territoire a reçu la délégation.",
            )],
            Lang::Ar,
            Lang::Fr,
            0,
        );
        assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
        let i = &r.issues[0];
        assert_eq!((i.kind, i.concept.as_str()), (IssueKind::Missing, "ma-dgsn"));
        assert_eq!(i.target, ["Direction générale de la surveillance du territoire"]);
        assert!(
            i.message.ends_with(
                "the target has 'Direction générale de la surveillance du territoire' (ma-dgst) instead"
            ),
            "{}",
            i.message
        );
    }
}
