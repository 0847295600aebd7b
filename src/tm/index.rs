//! The on-disk token index and the candidate filter of fuzzy lookup.
//!
//! # Comparison keys
//! Every text is reduced to a sequence of *comparison keys*, one per word token of
//! [`crate::normalize::tokens`] (so orthography, diacritics, case and accents are already
//! folded): an Arabic token is replaced by its [`crate::normalize::arabic::light_stem`]
//! (`والمديرية`, `المديرية`, `للمديرية` → `مديريه`), so proclitics do not make two words
//! differ; other tokens are kept as they are. Numbers are tokens like any other.
//!
//! # Index
//! Table `terms(id, lang, key, df)` holds each distinct key per language with its document
//! frequency (the number of unit texts containing it); table `pchunks(term_id, first_unit, n,
//! data)` (a `WITHOUT ROWID` B-tree clustered on `(term_id, first_unit)`) holds, for every
//! key, the sorted list of `(unit, ntok)` — the unit texts containing it and their length in
//! keys — in chunks of up to 64 entries (a JSON array of pairs, small enough to stay inside a
//! B-tree page), so a list of 100,000 postings is read
//! as about 1,600 rows and about a megabyte. Both are updated in the transaction that
//! writes a document, so the index is always consistent with the units, lives on disk, and a
//! lookup reads only the few B-tree pages it needs: nothing is loaded or rebuilt at start-up.
//!
//! # The score
//! For a query of `n` keys and a stored text of `m` keys, with `d` the word-level Levenshtein
//! distance between the two key sequences, the fuzzy score is (OmegaT's formula)
//! `s = ⌊100 · (L − d) / L⌋` with `L = max(n, m)`, then minus a penalty for differing numbers
//! (see [`crate::tm::lookup`]); the penalty only ever lowers the score.
//!
//! # The candidate filter never drops a match (proof)
//! Let `o` be the size of the multiset intersection of the two key sequences (how many keys
//! they have in common, counting repeats). Every key outside the intersection, on the longer
//! side at least, needs its own edit, so `d ≥ L − o`. A match with (unpenalized) score at
//! least `t` (in %) therefore satisfies `100·(L − d) ≥ t·L`, hence `100·o ≥ 100·(L − d) ≥ t·L`:
//!
//! 1. **overlap**: `o ≥ k := ⌈t·n / 100⌉` (since `L ≥ n`);
//! 2. **length**: `o ≤ m` and `o ≤ n` give `100·m ≥ t·n` and `100·n ≥ t·m`.
//!
//! *Prefix filter* (Chaudhuri et al., "A primitive operator for similarity joins", ICDE 2006;
//! Bayardo et al., WWW 2007): order the query's `n` key occurrences by increasing document
//! frequency and let `P` be the set of distinct keys among the first `n − k + 1` occurrences.
//! If a text shares no key of `P` with the query, every shared occurrence lies among the other
//! `k − 1` occurrences, so `o ≤ k − 1 < k`, contradicting (1). Hence **every text whose score
//! reaches `t` contains at least one key of `P`** and appears in the union of the posting lists
//! of `P`. The lookup takes that union, drops the entries whose `ntok` violates (2) — both
//! conditions being consequences of `s ≥ t`, nothing scoring `≥ t` is dropped — and scores
//! the rest exactly. Any order of the occurrences would be correct; rarest-first makes the
//! fetched lists short. Because the penalized score is at most the unpenalized one, the
//! result equals a brute-force scan of every unit (tested at 10,000 units in `tests/tm.rs`).
//!
//! *Count pruning* (the "positional/suffix" refinement of the same papers, in its simplest
//! form): a candidate of length `m` in fact needs `o ≥ k_m := ⌈t·max(n, m)/100⌉` (from
//! `100·o ≥ t·L`). After the query keys `T` (a set of distinct keys, the prefix and possibly
//! more) have been checked against a candidate, let `h = Σ q_x` over the keys `x ∈ T` the
//! candidate contains (`q_x` = count of `x` in the query) and `R = Σ q_x` over the keys not in
//! `T`. Each shared occurrence is either of a key of `T` the candidate contains (at most
//! `q_x` of them per key) or of a key outside `T`, so `o ≤ h + R`; a candidate with
//! `h + R < k_m` cannot reach `t` and is dropped. This is sound after any number of checked
//! keys, so [`candidates`] may stop checking whenever the next key would cost more than it
//! saves (a very frequent word); it checks a key either by scanning its posting list or, when
//! few candidates remain, by probing `(key, unit)` in the B-tree.
//!
//! # Cost
//! Per lookup: one index probe per distinct query key (to read its `df`), one range scan per
//! key of `P` — `n − k + 1` occurrences, at `t = 70%` about a third of the query, chosen among
//! the rarest — then, for the next keys, a scan or per-candidate probes (whichever reads fewer
//! rows, and none above [`MAX_CHECK_COST`] rows; checking stops after a key that removed fewer
//! than 1/8 of the candidates, since the keys after it are commoner), plus one primary-key
//! read per surviving candidate. A query made only of very
//! frequent words still has to read their lists; at `t` close to 100 the prefix is a single
//! key. Storage: one posting per distinct key per unit text, 2–4 bytes in a chunk.

pub use super::keys::{QueryTerm, compare_keys, query_terms, token_key};
use super::store::TmStore;
use super::{Result, UnitId};
use crate::lang::Lang;

/// Largest number of posting entries read (or probe-equivalents) to check one extra
/// (non-prefix) key; beyond it, the key is left unchecked (sound: it stays in `R`).
pub const MAX_CHECK_COST: u64 = 2_000_000;
/// Cost of one `(key, unit)` probe (a B-tree descent and a chunk decode) in posting entries
/// of a sequential scan (measured: about 4 µs against about 10 ns).
const PROBE_COST: u64 = 400;
/// With this many candidates or fewer, scoring them directly beats checking more keys.
const FEW: usize = 8;
/// A check that removes fewer than 1/`USELESS_CHECK` of the candidates ends phase 2.
const USELESS_CHECK: usize = 8;

/// The minimum overlap `k = ⌈t·n/100⌉` (at least 1) a text needs to score `t` against a query
/// of `n` keys.
pub fn min_overlap(n: usize, min_score: u8) -> usize {
    (usize::from(min_score) * n).div_ceil(100).max(1)
}

/// Whether a text of `m` keys may score at least `t` against a query of `n` keys (condition 2).
pub fn length_ok(n: usize, m: usize, min_score: u8) -> bool {
    let t = usize::from(min_score);
    100 * m >= t * n && 100 * n >= t * m
}

/// The prefix `P` (see the module doc): the distinct keys covering the first `n − k + 1`
/// occurrences in increasing document frequency (ties broken by key for determinism).
pub fn prefix(terms: &[QueryTerm], min_score: u8) -> Vec<&QueryTerm> {
    let n: usize = terms.iter().map(|t| t.count).sum();
    if n == 0 {
        return Vec::new();
    }
    let k = min_overlap(n, min_score).min(n);
    let need = n - k + 1;
    let mut order: Vec<&QueryTerm> = terms.iter().collect();
    order.sort_by(|a, b| a.df.cmp(&b.df).then_with(|| a.key.cmp(&b.key)));
    let mut covered = 0;
    let mut out = Vec::new();
    for t in order {
        if covered >= need {
            break;
        }
        covered += t.count;
        out.push(t);
    }
    out
}

/// The minimum overlap a text of `m` keys needs to score `t` against a query of `n` keys.
pub fn min_overlap_for(n: usize, m: usize, min_score: u8) -> usize {
    min_overlap(n.max(m), min_score)
}

/// The units whose text in `lang` may score at least `min_score` against the query `keys`:
/// a superset of the true matches (see the module doc for the proof), in unit order.
pub fn candidates(store: &dyn TmStore, lang: Lang, keys: &[String], min_score: u8) -> Result<Vec<UnitId>> {
    let n = keys.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut terms = query_terms(keys);
    let ids = store.terms(lang, &mut terms)?;
    let mut order: Vec<(QueryTerm, Option<i64>)> = terms.into_iter().zip(ids).collect();
    order.sort_by(|a, b| a.0.df.cmp(&b.0.df).then_with(|| a.0.key.cmp(&b.0.key)));
    let k = min_overlap(n, min_score).min(n);
    let need = n - k + 1;
    let mut remaining = n; // R
    let mut covered = 0;
    let mut it = order.into_iter();
    // Phase 1: the prefix P; only here may new candidates appear. Posting lists come sorted by
    // unit, so concatenating and sorting counts hits without hashing.
    let mut hits: Vec<(UnitId, u32, u32)> = Vec::new(); // (unit, m, q_x)
    for (t, id) in it.by_ref() {
        if let Some(id) = id {
            store.postings(id, &mut |u, m| {
                if length_ok(n, m, min_score) {
                    hits.push((u, m as u32, t.count as u32));
                }
                true
            })?;
        }
        covered += t.count;
        remaining -= t.count;
        if covered >= need {
            break;
        }
    }
    hits.sort_unstable_by_key(|h| h.0);
    // (unit, m, h)
    let mut cands: Vec<(UnitId, usize, usize)> = Vec::new();
    for (u, m, c) in hits {
        match cands.last_mut() {
            Some(last) if last.0 == u => last.2 += c as usize,
            _ => cands.push((u, m as usize, c as usize)),
        }
    }
    let keep =
        |c: &(UnitId, usize, usize), remaining: usize| c.2 + remaining >= min_overlap_for(n, c.1, min_score);
    cands.retain(|c| keep(c, remaining));
    // Phase 2: check further keys while it pays, pruning by h + R < k_m.
    for (t, id) in it {
        if cands.len() <= FEW {
            break;
        }
        let Some(id) = id else {
            remaining -= t.count;
            continue;
        };
        let scan = t.df;
        let probe = cands.len() as u64 * PROBE_COST;
        if scan.min(probe) > MAX_CHECK_COST {
            break;
        }
        if probe < scan {
            let units: Vec<UnitId> = cands.iter().map(|c| c.0).collect();
            for (c, has) in cands.iter_mut().zip(store.has_postings(id, &units)?) {
                if has {
                    c.2 += t.count;
                }
            }
        } else {
            // Merge-walk the sorted list against the sorted candidates; stop past the last.
            let mut i = 0;
            store.postings(id, &mut |u, _| {
                while i < cands.len() && cands[i].0 < u {
                    i += 1;
                }
                if i < cands.len() && cands[i].0 == u {
                    cands[i].2 += t.count;
                }
                i < cands.len()
            })?;
        }
        remaining -= t.count;
        let before = cands.len();
        cands.retain(|c| keep(c, remaining));
        // Keys come in increasing document frequency: when this one pruned almost nothing
        // (a word nearly every candidate holds, as in boilerplate), the next, commoner ones
        // will not do better, and reading their lists would cost more than scoring.
        if (before - cands.len()) * USELESS_CHECK < before {
            break;
        }
    }
    Ok(cands.into_iter().map(|c| c.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn arabic_clitics_share_a_key() {
        assert_eq!(compare_keys("والمديرية"), compare_keys("المديرية"));
        assert_eq!(compare_keys("Le Préfet"), vec!["le", "prefet"]);
    }

    /// Multiset overlap of two key sequences.
    fn overlap(a: &[u8], b: &[u8]) -> usize {
        let mut b = b.to_vec();
        let mut o = 0;
        for x in a {
            if let Some(i) = b.iter().position(|y| y == x) {
                b.swap_remove(i);
                o += 1;
            }
        }
        o
    }

    fn lev(a: &[u8], b: &[u8]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, x) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, y) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(x != y)).min(prev[j + 1] + 1).min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    proptest! {
        /// The filter's two conditions hold for every pair whose score reaches t.
        #[test]
        fn filter_is_complete(a in proptest::collection::vec(0u8..6, 1..12),
                              b in proptest::collection::vec(0u8..6, 1..12),
                              t in 1u8..=100) {
            let l = a.len().max(b.len());
            let score = 100 * (l - lev(&a, &b)) / l;
            if score >= usize::from(t) {
                let keys: Vec<String> = a.iter().map(|x| x.to_string()).collect();
                let mut terms = query_terms(&keys);
                for q in &mut terms { q.df = u64::from(q.key.as_bytes()[0]) * 7 % 5; }
                let p = prefix(&terms, t);
                prop_assert!(p.iter().any(|q| b.contains(&q.key.parse::<u8>().unwrap())));
                prop_assert!(length_ok(a.len(), b.len(), t));
                prop_assert!(overlap(&a, &b) >= min_overlap(a.len(), t));
            }
        }
    }
}
