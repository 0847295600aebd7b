//! Fuzzy lookup: the stored units whose source text is most similar to a query.
//!
//! # Score (what translators know from OmegaT)
//! Query and stored text are reduced to comparison keys ([`super::index::compare_keys`]:
//! normalized word tokens, Arabic words light-stemmed so `والمديرية` and `المديرية` are the
//! same word). With `d` the word-level Levenshtein distance between the two key sequences
//! (insertions, deletions and substitutions of whole words, cost 1 each) and `L` the longer
//! length, the similarity is `⌊100·(L − d)/L⌋`, in [0, 100].
//!
//! **100 means the same text.** Keys ignore case, punctuation, diacritics, hamza spellings and
//! clitics, so texts that differ only in those have identical keys; only the stored text that
//! is the query itself (up to Unicode canonical equivalence and runs of white space) scores
//! 100, and such a variant scores [`VARIANT_SCORE`] (99), as in the CAT tools translators know:
//! a 100% match can be inserted without reading it, a 99% one cannot. So the exact match
//! always ranks first.
//!
//! **Numbers**: a match that differs from the query only by a figure (a date, an amount, a
//! count) is dangerous to reuse unseen, so each number present on one side but not on the
//! other costs a further [`NUMBER_PENALTY`] points (the larger of the two one-sided counts,
//! so a replaced number counts once), and the differing numbers are listed in the match.
//! The penalty only lowers scores, which keeps the index's filter complete (see
//! [`super::index`]).
//!
//! # Result
//! Matches at or above `min`, best first (ties by unit id, so output is deterministic), each
//! with its stored source, its translations, its unit and document, and a word diff of the
//! stored source against the query: `{+word+}` is in the stored source but not the query,
//! `[-word-]` in the query but not the stored source.
//!
//! # Cost
//! See [`super::index`]: a few index probes plus `O(n·m)` per surviving candidate.
//! [`brute_force`] scores every stored text (the reference the tests compare against).
//!
//! **Highest threshold first.** Only the best `limit` matches are shown, so [`lookup`] first
//! runs the filter and scoring at thresholds above `min` (100, 90, 80): the higher the
//! threshold, the shorter the filter's prefix and the fewer the candidates. The filter is
//! complete at every threshold, so the first level that yields `limit` matches has found every
//! match scoring at least that level, and every match it misses scores below all of them: the
//! result is the one `min` gives. In a memory of near-identical boilerplate ("Phrase N numéro
//! M du rapport annuel.", 100,000 units) a query at 70 % shares five of seven words with
//! every unit and scored all 100,000 (a second per query); at 80 % only the units holding
//! one of its two numbers are candidates.
//!
//! The word diff of a match is computed in `O(m·√n)` memory (see [`edit_script`]).

use super::index;
use super::store::TmStore;
use super::{Result, UnitId};
use crate::lang::Lang;
use crate::normalize;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Points subtracted per number that differs between query and match.
pub const NUMBER_PENALTY: u32 = 3;

/// The score of a stored text whose keys equal the query's but whose text does not.
pub const VARIANT_SCORE: u8 = 99;

/// Options of a lookup.
#[derive(Debug, Clone)]
pub struct LookupOptions {
    /// The language of the query.
    pub lang: Lang,
    /// Target languages to show; empty = every other language.
    pub to: Vec<Lang>,
    /// Minimum score, 1–100.
    pub min: u8,
    /// Maximum number of matches.
    pub limit: usize,
}

impl LookupOptions {
    /// Why these options can find no translation at all, or `None` when they can: the only
    /// target languages asked for are the query's own language (a match would have nothing to
    /// show, and "no match" would hide the mistake).
    pub fn targets_problem(&self) -> Option<String> {
        if self.to.is_empty() || self.to.iter().any(|l| *l != self.lang) {
            return None;
        }
        let others: Vec<String> =
            Lang::ALL.iter().filter(|l| **l != self.lang).map(Lang::to_string).collect();
        Some(format!(
            "the query is in {lang} and the only target language asked for (--to {lang}) is its own \
             language: nothing could be shown as a translation; ask for another (--to {}) or leave --to out",
            others.join(","),
            lang = self.lang
        ))
    }
}

/// Numbers that differ between the query and a match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberDiff {
    /// Numbers of the query missing from the match.
    pub query: Vec<String>,
    /// Numbers of the match missing from the query.
    pub source: Vec<String>,
}

/// One fuzzy match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// Similarity 0–100 (after the number penalty).
    pub score: u8,
    /// The stored text in the query language.
    pub source: String,
    /// Its translations by language.
    pub targets: BTreeMap<String, String>,
    /// The unit id.
    pub unit: UnitId,
    /// The unit's document.
    pub doc: String,
    /// Word diff of the stored source against the query.
    pub diff: String,
    /// Numbers that differ, when some do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers: Option<NumberDiff>,
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookupResult {
    /// The query as given.
    pub query: String,
    /// Its language.
    pub lang: Lang,
    /// Matches, best first.
    pub matches: Vec<Match>,
}

/// Word-level Levenshtein distance (strsim's generic Levenshtein over the key sequences).
///
/// A common prefix and a common suffix do not change the distance (`d(xay, xby) = d(a, b)`),
/// so they are cut off first: a stored text compared with itself, or with the same text but
/// a word, costs `O(n)` rather than `O(n²)` (a 17,000-word text: 289 million cells).
pub fn word_distance(a: &[&str], b: &[&str]) -> usize {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[pre..], &b[pre..]);
    let suf = common_suffix(a, b);
    strsim::generic_levenshtein(&a[..a.len() - suf].to_vec(), &b[..b.len() - suf].to_vec())
}

/// The number of trailing words `a` and `b` share.
fn common_suffix(a: &[&str], b: &[&str]) -> usize {
    a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count()
}

fn is_number(k: &str) -> bool {
    k.starts_with(|c: char| c.is_ascii_digit())
}

/// Numbers on each side missing from the other (multisets), sorted.
fn number_diff(q: &[&str], c: &[&str]) -> NumberDiff {
    let mut qn: Vec<&str> = q.iter().copied().filter(|k| is_number(k)).collect();
    let mut cn: Vec<&str> = c.iter().copied().filter(|k| is_number(k)).collect();
    qn.sort_unstable();
    cn.sort_unstable();
    let (mut i, mut j) = (0, 0);
    let (mut only_q, mut only_c) = (Vec::new(), Vec::new());
    while i < qn.len() || j < cn.len() {
        match (qn.get(i), cn.get(j)) {
            (Some(a), Some(b)) if a == b => {
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a < b => {
                only_q.push(a.to_string());
                i += 1;
            }
            (Some(a), None) => {
                only_q.push(a.to_string());
                i += 1;
            }
            (_, Some(b)) => {
                only_c.push(b.to_string());
                j += 1;
            }
            (None, None) => break,
        }
    }
    NumberDiff { query: only_q, source: only_c }
}

/// The score of a stored key sequence against a query's, with the number penalty.
pub fn score(q: &[&str], c: &[&str]) -> u8 {
    score_with_numbers(q, c).0
}

/// The score of a stored text against the query: [`score`] from the keys, lowered to
/// [`VARIANT_SCORE`] when the keys are identical but the texts are not. Only ever lowers the
/// key score, so the index's filter stays complete.
fn score_text(query: &str, q: &[&str], text: &str, c: &[&str]) -> (u8, Option<NumberDiff>) {
    let (s, numbers) = score_with_numbers(q, c);
    if s == 100 && !same_text(query, text) {
        return (VARIANT_SCORE, numbers);
    }
    (s, numbers)
}

/// Equal up to Unicode canonical equivalence (NFC) and white space (runs, ends).
fn same_text(a: &str, b: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let words = |s: &str| s.split_whitespace().flat_map(|w| w.nfc().chain([' '])).collect::<String>();
    a == b || words(a) == words(b)
}

fn score_with_numbers(q: &[&str], c: &[&str]) -> (u8, Option<NumberDiff>) {
    let l = q.len().max(c.len());
    if l == 0 {
        return (0, None);
    }
    let d = word_distance(q, c);
    let base = (100 * (l - d) / l) as u32;
    let nd = number_diff(q, c);
    let differing = nd.query.len().max(nd.source.len()) as u32;
    let s = base.saturating_sub(differing * NUMBER_PENALTY) as u8;
    (s, (differing > 0).then_some(nd))
}

struct Scored {
    unit: UnitId,
    score: u8,
    source: String,
    numbers: Option<NumberDiff>,
}

/// Looks `query` up through the index. Fails when [`LookupOptions::targets_problem`] says the
/// options can show no translation.
pub fn lookup(store: &dyn TmStore, query: &str, opts: &LookupOptions) -> Result<LookupResult> {
    if let Some(msg) = opts.targets_problem() {
        return Err(super::Error::Other(msg));
    }
    let min = opts.min.clamp(1, 100);
    let keys = index::compare_keys(query);
    let q: Vec<&str> = keys.iter().map(String::as_str).collect();
    if keys.is_empty() {
        return finish(store, query, &q, Vec::new(), opts);
    }
    // Descending thresholds (see "Cost" in the module doc): the first at which `limit`
    // matches score at least the level gives the same result as `min` would, with far fewer
    // candidates. A text is scored once, at the first level whose filter lets it through:
    // `seen` keeps its score (or that it scores below `min`) for the lower levels.
    let mut seen: HashMap<UnitId, Option<Scored>> = HashMap::new();
    let score_level = |seen: &mut HashMap<UnitId, Option<Scored>>, level: u8| -> Result<usize> {
        let candidates: Vec<UnitId> = index::candidates(store, opts.lang, &keys, level)?
            .into_iter()
            .filter(|u| !seen.contains_key(u))
            .collect();
        let texts = store.unit_texts(&candidates, opts.lang)?;
        for (u, found) in candidates.into_iter().zip(texts) {
            let scored = found.and_then(|(text, ckeys)| {
                let c: Vec<&str> = ckeys.split(' ').filter(|k| !k.is_empty()).collect();
                let (score, numbers) = score_text(query, &q, &text, &c);
                (score >= min).then_some(Scored { unit: u, score, source: text, numbers })
            });
            seen.insert(u, scored);
        }
        Ok(seen.values().flatten().filter(|s| s.score >= level).count())
    };
    for level in LEVELS.into_iter().filter(|&l| l > min) {
        // Fewer texts than `limit` at this level cannot make `limit` matches: no diff is built.
        if score_level(&mut seen, level)? >= opts.limit {
            let r = finish(store, query, &q, at_least(&seen, level), opts)?;
            // (a text without a translation in the asked languages makes no match)
            if r.matches.len() >= opts.limit {
                return Ok(r);
            }
        }
    }
    score_level(&mut seen, min)?;
    finish(store, query, &q, at_least(&seen, min), opts)
}

/// The scored texts of `seen` at or above `level`.
fn at_least(seen: &HashMap<UnitId, Option<Scored>>, level: u8) -> Vec<&Scored> {
    seen.values().flatten().filter(|s| s.score >= level).collect()
}

/// The thresholds [`lookup`] tries before the asked minimum, highest first.
const LEVELS: [u8; 3] = [100, 90, 80];

/// Looks `query` up by scoring every stored text in the query language (the reference).
pub fn brute_force(store: &dyn TmStore, query: &str, opts: &LookupOptions) -> Result<LookupResult> {
    if let Some(msg) = opts.targets_problem() {
        return Err(super::Error::Other(msg));
    }
    let min = opts.min.clamp(1, 100);
    let keys = index::compare_keys(query);
    let q: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut scored = Vec::new();
    if !q.is_empty() {
        store.for_each_text(opts.lang, &mut |u, text, ckeys| {
            let c: Vec<&str> = ckeys.split(' ').filter(|k| !k.is_empty()).collect();
            let (s, numbers) = score_text(query, &q, text, &c);
            if s >= min {
                scored.push(Scored { unit: u, score: s, source: text.to_string(), numbers });
            }
            Ok(())
        })?;
    }
    finish(store, query, &q, scored.iter().collect(), opts)
}

fn finish(
    store: &dyn TmStore,
    query: &str,
    q: &[&str],
    mut scored: Vec<&Scored>,
    opts: &LookupOptions,
) -> Result<LookupResult> {
    // Equal scores: the stored text that is byte for byte the query first (`X` before `X `,
    // both 100 since white space does not count), then by unit.
    scored.sort_by(|a, b| {
        b.score.cmp(&a.score).then((b.source == query).cmp(&(a.source == query))).then(a.unit.cmp(&b.unit))
    });
    let mut matches = Vec::new();
    for s in scored {
        if matches.len() >= opts.limit {
            break;
        }
        let Some(unit) = store.unit(s.unit)? else { continue };
        let targets: BTreeMap<String, String> = unit
            .texts
            .iter()
            .filter(|t| t.lang != opts.lang && (opts.to.is_empty() || opts.to.contains(&t.lang)))
            .map(|t| (t.lang.to_string(), t.text.clone()))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let diff = word_diff(query, q, &s.source);
        matches.push(Match {
            score: s.score,
            source: s.source.clone(),
            targets,
            unit: s.unit,
            doc: unit.doc,
            diff,
            numbers: s.numbers.clone(),
        });
    }
    Ok(LookupResult { query: query.to_string(), lang: opts.lang, matches })
}

/// The stored source with the words it does not share with the query marked `{+…+}` and the
/// query's words it lacks inserted as `[-…-]` (from one optimal word alignment).
pub fn word_diff(query: &str, q: &[&str], source: &str) -> String {
    let qt = normalize::tokens(query);
    let st = normalize::tokens(source);
    let s: Vec<&str> = st.iter().map(index::token_key).collect();
    debug_assert_eq!(qt.len(), q.len());
    let (marked, deleted_before) = edit_script(q, &s);
    let m = s.len();
    let qword = |k: usize| qt.get(k).map_or("", |t| t.span.slice(query));
    let mut out = String::with_capacity(source.len() + 16);
    let mut pos = 0;
    for (j, tok) in st.iter().enumerate() {
        out.push_str(&source[pos..tok.span.start]);
        let mut del = deleted_before[j].clone();
        del.sort_unstable();
        for k in del {
            out.push_str(&format!("[-{}-] ", qword(k)));
        }
        if marked[j] {
            out.push_str(&format!("{{+{}+}}", tok.span.slice(source)));
        } else {
            out.push_str(tok.span.slice(source));
        }
        pos = tok.span.end;
    }
    let mut tail = deleted_before[m].clone();
    tail.sort_unstable();
    out.push_str(&source[pos..]);
    for k in tail {
        out.push_str(&format!(" [-{}-]", qword(k)));
    }
    out
}

/// One row of the word-level edit-distance table: `row` (row `i`, for query word `qi`) from
/// `prev` (row `i - 1`).
fn dp_row(prev: &[u32], i: usize, qi: &str, s: &[&str], row: &mut [u32]) {
    row[0] = i as u32;
    for j in 1..row.len() {
        row[j] = (prev[j - 1] + u32::from(qi != s[j - 1])).min(prev[j] + 1).min(row[j - 1] + 1);
    }
}

/// One optimal word alignment of query keys `q` with source keys `s`, as per-source-word marks
/// and the query words to insert before each source word (index `s.len()`: after the last).
///
/// The backtrace is the classic one over the full `(n+1)·(m+1)` table (diagonal first, then a
/// query word deleted, then a source word inserted), but the table is never held whole: rows
/// are kept every `k ≈ √n` rows (checkpoints) and the `k` rows of one block are recomputed from
/// their checkpoint when the backtrace enters it. Same cells, so the same alignment as the full
/// table, in `O(m·√n)` memory instead of `O(n·m)` (a 17,000-word text took 2.8 GB) for twice
/// the `O(n·m)` time.
///
/// A common suffix is cut off first: where the last words are equal the table's last cell
/// equals its diagonal neighbour, so the backtrace takes the diagonal through the whole
/// suffix, and the rest of the table is unchanged by cutting it; the alignment is the same.
/// (A common prefix is not cut: the backtrace may leave the diagonal inside it, and the
/// alignment would differ in its tie-breaks.) A text diffed against itself costs `O(n)`.
fn edit_script(q: &[&str], s: &[&str]) -> (Vec<bool>, Vec<Vec<usize>>) {
    let suf = common_suffix(q, s);
    let (mut marked, mut deleted_before) = edit_script_table(&q[..q.len() - suf], &s[..s.len() - suf]);
    marked.resize(s.len(), false);
    deleted_before.resize(s.len() + 1, Vec::new());
    (marked, deleted_before)
}

/// [`edit_script`] over the whole table.
fn edit_script_table(q: &[&str], s: &[&str]) -> (Vec<bool>, Vec<Vec<usize>>) {
    let (n, m) = (q.len(), s.len());
    let k = ((n as f64).sqrt().ceil() as usize).max(1);
    // Checkpoint rows 0, k, 2k, ... (each row i depends only on row i - 1).
    let mut checkpoints: Vec<Vec<u32>> = vec![(0..=m as u32).collect()];
    let mut prev: Vec<u32> = checkpoints[0].clone();
    let mut row = vec![0u32; m + 1];
    for i in 1..=n {
        dp_row(&prev, i, q[i - 1], s, &mut row);
        std::mem::swap(&mut prev, &mut row);
        if i % k == 0 {
            checkpoints.push(prev.clone());
        }
    }
    drop(prev);
    drop(row);
    // The rows base..=base+k (clamped to n) of the block starting at checkpoint base/k.
    let block = |base: usize| -> Vec<Vec<u32>> {
        let mut rows = vec![checkpoints[base / k].clone()];
        for i in base + 1..=(base + k).min(n) {
            let mut r = vec![0u32; m + 1];
            dp_row(&rows[i - base - 1], i, q[i - 1], s, &mut r);
            rows.push(r);
        }
        rows
    };
    let mut marked = vec![false; m];
    let mut deleted_before: Vec<Vec<usize>> = vec![Vec::new(); m + 1];
    let (mut i, mut j) = (n, m);
    let mut base = usize::MAX;
    let mut rows: Vec<Vec<u32>> = Vec::new();
    while i > 0 || j > 0 {
        if i > 0 {
            let b = (i - 1) / k * k;
            if b != base {
                base = b;
                rows = block(base);
            }
        }
        let dp = |r: usize, c: usize| rows[r - base][c];
        if i > 0 && j > 0 && dp(i, j) == dp(i - 1, j - 1) + u32::from(q[i - 1] != s[j - 1]) {
            if q[i - 1] != s[j - 1] {
                marked[j - 1] = true;
                deleted_before[j - 1].push(i - 1);
            }
            i -= 1;
            j -= 1;
        } else if i > 0 && dp(i, j) == dp(i - 1, j) + 1 {
            deleted_before[j].push(i - 1);
            i -= 1;
        } else {
            marked[j - 1] = true;
            j -= 1;
        }
    }
    (marked, deleted_before)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The full-table backtrace [`edit_script`] replaced (kept as the reference).
    fn edit_script_full_table(q: &[&str], s: &[&str]) -> (Vec<bool>, Vec<Vec<usize>>) {
        let (n, m) = (q.len(), s.len());
        let mut dp = vec![vec![0usize; m + 1]; n + 1];
        for (i, row) in dp.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in dp[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=n {
            for j in 1..=m {
                dp[i][j] = (dp[i - 1][j - 1] + usize::from(q[i - 1] != s[j - 1]))
                    .min(dp[i - 1][j] + 1)
                    .min(dp[i][j - 1] + 1);
            }
        }
        let mut marked = vec![false; m];
        let mut deleted_before: Vec<Vec<usize>> = vec![Vec::new(); m + 1];
        let (mut i, mut j) = (n, m);
        while i > 0 || j > 0 {
            if i > 0 && j > 0 && dp[i][j] == dp[i - 1][j - 1] + usize::from(q[i - 1] != s[j - 1]) {
                if q[i - 1] != s[j - 1] {
                    marked[j - 1] = true;
                    deleted_before[j - 1].push(i - 1);
                }
                i -= 1;
                j -= 1;
            } else if i > 0 && dp[i][j] == dp[i - 1][j] + 1 {
                deleted_before[j].push(i - 1);
                i -= 1;
            } else {
                marked[j - 1] = true;
                j -= 1;
            }
        }
        (marked, deleted_before)
    }

    /// The checkpointed backtrace gives exactly the full table's alignment: every pair of
    /// word sequences up to 9 words over a 3-word alphabet (ties everywhere), then longer
    /// random ones (blocks of several rows, a last block shorter than the others).
    #[test]
    fn checkpointed_edit_script_equals_the_full_table_and_distances_hold() {
        let words = ["a", "b", "c"];
        let seq = |mut x: usize, len: usize| -> Vec<&str> {
            (0..len)
                .map(|_| {
                    let w = words[x % 3];
                    x /= 3;
                    w
                })
                .collect()
        };
        for n in 0..=5 {
            for m in 0..=4 {
                for x in 0..3usize.pow(n as u32) {
                    for y in 0..3usize.pow(m as u32) {
                        let (q, s) = (seq(x, n), seq(y, m));
                        assert_eq!(edit_script(&q, &s), edit_script_full_table(&q, &s), "{q:?} {s:?}");
                        // cutting the common prefix and suffix keeps the distance
                        assert_eq!(word_distance(&q, &s), strsim::generic_levenshtein(&q, &s), "{q:?} {s:?}");
                    }
                }
            }
        }
        let mut state = 7u64;
        let mut next = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        for _ in 0..200 {
            let (n, m) = (next() % 60, next() % 60);
            let q: Vec<&str> = (0..n).map(|_| words[next() % 3]).collect();
            let s: Vec<&str> = (0..m).map(|_| words[next() % 3]).collect();
            assert_eq!(edit_script(&q, &s), edit_script_full_table(&q, &s), "{q:?} {s:?}");
        }
    }

    fn keys(s: &str) -> Vec<String> {
        index::compare_keys(s)
    }

    #[test]
    fn only_the_query_language_as_target_is_a_problem() {
        let opts = |to: Vec<Lang>| LookupOptions { lang: Lang::Fr, to, min: 70, limit: 5 };
        let msg = opts(vec![Lang::Fr]).targets_problem().expect("--to fr for a French query");
        assert!(msg.contains("--to ar,en") && msg.contains("leave --to out"), "{msg}");
        assert!(opts(vec![]).targets_problem().is_none());
        assert!(opts(vec![Lang::Fr, Lang::En]).targets_problem().is_none());
        assert!(opts(vec![Lang::Ar]).targets_problem().is_none());
    }

    fn sc(a: &str, b: &str) -> u8 {
        let (a, b) = (keys(a), keys(b));
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let b: Vec<&str> = b.iter().map(String::as_str).collect();
        score(&a, &b)
    }

    #[test]
    fn identical_keys_score_100_and_clitics_do_not_count() {
        assert_eq!(sc("La Sûreté nationale.", "la surete nationale"), 100);
        assert_eq!(sc("زار المدير المديرية", "زار المدير والمديرية"), 100);
        assert_eq!(sc("a b c d", "a b x d"), 75);
        assert_eq!(sc("a b", "c d"), 0);
    }

    #[test]
    fn differing_numbers_are_penalized_and_listed() {
        let (a, b) = (keys("le bilan de 2023 est bon pour tous"), keys("le bilan de 2024 est bon pour tous"));
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let b: Vec<&str> = b.iter().map(String::as_str).collect();
        let (s, nd) = score_with_numbers(&a, &b);
        assert_eq!(s, 87 - NUMBER_PENALTY as u8);
        assert_eq!(nd.unwrap(), NumberDiff { query: vec!["2023".into()], source: vec!["2024".into()] });
    }

    #[test]
    fn only_the_same_text_scores_100_and_variants_99() {
        let query = "La police a interpellé cinq personnes.";
        let qk = keys(query);
        let q: Vec<&str> = qk.iter().map(String::as_str).collect();
        let at = |text: &str| {
            let ck = keys(text);
            let c: Vec<&str> = ck.iter().map(String::as_str).collect();
            score_text(query, &q, text, &c).0
        };
        assert_eq!(at(query), 100);
        // White space and canonical equivalence (é as e + U+0301) do not make a variant.
        assert_eq!(at("  La police a  interpellé cinq personnes.\n"), 100);
        assert_eq!(at("La police a interpelle\u{301} cinq personnes."), 100);
        // Punctuation, case and accents do: the keys are equal, the texts are not.
        for variant in [
            "La police a interpellé cinq personnes !",
            "LA POLICE A INTERPELLÉ CINQ PERSONNES.",
            "La police a interpelle cinq personnes.",
        ] {
            assert_eq!(at(variant), VARIANT_SCORE, "{variant}");
        }
        // Arabic: harakat and a hamza spelling.
        let ar = "أوقفت الشرطة خمسة أشخاص.";
        let ak = keys(ar);
        let a: Vec<&str> = ak.iter().map(String::as_str).collect();
        let v = "أَوْقَفَتِ الشُّرْطَةُ خَمْسَةَ اشخاص.";
        let vk = keys(v);
        let c: Vec<&str> = vk.iter().map(String::as_str).collect();
        assert_eq!(score_text(ar, &a, v, &c).0, VARIANT_SCORE);
        assert_eq!(score_text(ar, &a, ar, &a).0, 100);
    }

    #[test]
    fn diff_marks_changed_words() {
        let q = "Le directeur a visité Paris hier";
        let k = keys(q);
        let qk: Vec<&str> = k.iter().map(String::as_str).collect();
        assert_eq!(
            word_diff(q, &qk, "Le directeur général a visité Paris."),
            "Le directeur {+général+} a visité Paris. [-hier-]"
        );
        assert_eq!(
            word_diff(q, &qk, "Le préfet a visité Paris hier"),
            "Le [-directeur-] {+préfet+} a visité Paris hier"
        );
    }
}
