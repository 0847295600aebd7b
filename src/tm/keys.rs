//! Comparison keys: what the index and the scorer compare instead of raw text.
//!
//! Every text is reduced to a sequence of keys, one per word token of
//! [`crate::normalize::tokens`] (orthography, diacritics, case and accents folded); an Arabic
//! token is replaced by its [`crate::normalize::arabic::light_stem`], so proclitics do not make
//! two words differ. The keys are computed by qantara, never by a database (its collation or
//! text search), so every store — SQLite or PostgreSQL, in any locale — indexes and compares
//! exactly the same keys.
//!
//! This module sits below both [`super::store`] (which writes the keys of every text) and
//! [`super::index`] (which reads posting lists through the store), so neither imports the other
//! in a cycle.

use crate::normalize::{self, Token};

/// The comparison key of one token (light stem for Arabic words).
pub fn token_key(t: &Token) -> &str {
    if t.is_arabic() { normalize::arabic::light_stem(&t.key) } else { &t.key }
}

/// The comparison keys of a text, in order.
pub fn compare_keys(text: &str) -> Vec<String> {
    normalize::tokens(text).iter().map(|t| token_key(t).to_string()).collect()
}

/// One distinct query key with its multiplicity in the query and its document frequency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The key.
    pub key: String,
    /// How many times it occurs in the query.
    pub count: usize,
    /// Its document frequency in the index (0 if absent).
    pub df: u64,
}

/// Groups a key sequence into distinct keys with counts (df left at 0), sorted by key.
pub fn query_terms(keys: &[String]) -> Vec<QueryTerm> {
    let mut sorted: Vec<&String> = keys.iter().collect();
    sorted.sort();
    let mut out: Vec<QueryTerm> = Vec::new();
    for k in sorted {
        match out.last_mut() {
            Some(last) if &last.key == k => last.count += 1,
            _ => out.push(QueryTerm { key: k.clone(), count: 1, df: 0 }),
        }
    }
    out
}
