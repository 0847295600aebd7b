//! Concordance: the units whose text in one language contains a phrase.
//!
//! # Idea
//! The phrase and every candidate text are reduced to comparison keys
//! ([`super::index::compare_keys`]), so case, accents, Arabic diacritics and orthographic
//! variants, and Arabic proclitics (`و`, `ف`, `ب`, `ك`, `ل`, `ال`) are ignored: `المديرية
//! العامة` finds `والمديرية العامة` and `للمديرية العامة`. A text matches when the phrase's
//! keys occur there *contiguously and in order*; the original words covering them are marked
//! `⟦…⟧` (and given as byte spans in JSON).
//!
//! # Why it is complete and what it costs
//! A text containing the phrase contains each of its keys, in particular the rarest one, so
//! scanning that key's posting list (in unit order) and verifying each text finds every hit;
//! the scan stops after `limit` hits.

use super::index::{self, QueryTerm};
use super::store::TmStore;
use super::{Result, UnitId};
use crate::lang::Lang;
use crate::normalize;
use serde::Serialize;
use std::collections::BTreeMap;

/// One unit containing the phrase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The unit id.
    pub unit: UnitId,
    /// Its document.
    pub doc: String,
    /// The text containing the phrase.
    pub text: String,
    /// The text with each occurrence marked `⟦…⟧`.
    pub marked: String,
    /// Byte spans (UTF-8, `[start, end)`) of the occurrences in `text`.
    pub spans: Vec<(usize, usize)>,
    /// The same spans in characters (Unicode scalar values), for tools that index strings so.
    pub chars: Vec<(usize, usize)>,
    /// The unit's other languages.
    pub targets: BTreeMap<String, String>,
}

/// Units whose `lang` text contains `phrase`, in unit order, at most `limit`.
pub fn concordance(
    store: &dyn TmStore,
    phrase: &str,
    lang: Lang,
    to: &[Lang],
    limit: usize,
) -> Result<Vec<Hit>> {
    let keys = index::compare_keys(phrase);
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut terms: Vec<QueryTerm> = index::query_terms(&keys);
    let ids = store.terms(lang, &mut terms)?;
    if ids.iter().any(Option::is_none) {
        return Ok(Vec::new());
    }
    let rarest = terms.iter().zip(&ids).min_by_key(|(t, _)| t.df).and_then(|(_, id)| *id).expect("non-empty");
    let mut units = Vec::new();
    store.postings(rarest, &mut |u, m| {
        if m >= keys.len() {
            units.push(u);
        }
        true
    })?;
    let mut hits = Vec::new();
    for u in units {
        if hits.len() >= limit {
            break;
        }
        let Some((text, _)) = store.unit_text(u, lang)? else { continue };
        let spans = find(&text, &keys);
        if spans.is_empty() {
            continue;
        }
        let Some(unit) = store.unit(u)? else { continue };
        let targets = unit
            .texts
            .iter()
            .filter(|t| t.lang != lang && (to.is_empty() || to.contains(&t.lang)))
            .map(|t| (t.lang.to_string(), t.text.clone()))
            .collect();
        let mut marked = String::with_capacity(text.len() + 8);
        let mut pos = 0;
        for &(s, e) in &spans {
            marked.push_str(&text[pos..s]);
            marked.push('⟦');
            marked.push_str(&text[s..e]);
            marked.push('⟧');
            pos = e;
        }
        marked.push_str(&text[pos..]);
        let mut counter = crate::span::CharCounter::new(&text);
        let chars = spans.iter().map(|&(s, e)| (counter.at(s), counter.at(e))).collect();
        hits.push(Hit { unit: u, doc: unit.doc, text, marked, spans, chars, targets });
    }
    Ok(hits)
}

/// Byte spans of the non-overlapping occurrences of the key sequence `phrase` in `text`.
pub fn find(text: &str, phrase: &[String]) -> Vec<(usize, usize)> {
    let toks = normalize::tokens(text);
    let keys: Vec<&str> = toks.iter().map(index::token_key).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + phrase.len() <= keys.len() {
        if keys[i..i + phrase.len()].iter().zip(phrase).all(|(a, b)| *a == b) {
            out.push((toks[i].span.start, toks[i + phrase.len() - 1].span.end));
            i += phrase.len();
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_phrase_ignoring_clitics_and_diacritics() {
        let text = "وأكد أن المديريةَ العامة للأمن الوطني والمديرية العامة ستعملان معا";
        let spans = find(text, &index::compare_keys("المديرية العامة"));
        let got: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(got, vec!["المديريةَ العامة", "والمديرية العامة"]);
        assert!(find("La Sûreté Nationale", &index::compare_keys("surete nationale")).len() == 1);
    }
}
