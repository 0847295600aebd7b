//! The cost of a bead: bead-type prior + length model − shared anchors ± boundaries.
//!
//! All costs are in nats (negative log-probabilities up to a constant), so that the soft-min
//! over paths in [`super::band`] is a posterior.
//!
//! # Length model (Gale & Church 1993, in log space)
//! A translation's length is proportional to the original's. For a bead with `a` characters on
//! one side and `b` on the other (normalized keys, one space counted per joined segment),
//! `x = ln((b + c) / (a + c))` is close to normal with mean `μ` and deviation `σ`; the cost is
//! `(x − μ)² / 2σ²`. The smoothing `c` (8 characters) keeps a three-character heading from
//! costing like a wild ratio. `μ` is *re-estimated from the document itself*
//! (`ln(Σb / Σa)` over all segments, then the median over confident 1–1 beads of the first
//! pass), and so is `σ` (robust deviation of the same beads, clamped to `[0.12, 0.45]`), so no
//! per-language-pair table is needed; the prior `σ₀ = 0.28` only serves the first pass.
//!
//! # Anchors
//! Each unit carries its anchor items ([`super::anchors`]) as sorted `(id, weight)` pairs, the
//! weight already divided by `sqrt(df_a · df_b)` (how many units of each side hold the id), so
//! that a name repeated in every sentence counts less than a date that occurs once. A bead's
//! reward is the weight of the multiset intersection of its two sides.
//!
//! # Unmatched anchors
//! A two-sided bead also pays `0.3` per unit of anchor weight found on one of its sides only
//! (an anchor that the other side of the *document* holds, but not this bead's other side).
//! One-sided beads do not pay it, so a sentence whose names and numbers find no partner is
//! more readily left unaligned than forced onto a neighbour.
//!
//! # Number clash
//! A bead whose two sides both hold numbers but share none (`0 466` facing `June 29, 2024`)
//! pays a small penalty: translators keep numbers, so such a pair is rarely a translation.
//!
//! # Boundaries
//! A bead whose two sides both open a paragraph earns a small bonus; a bead that merges across a
//! paragraph break on one side pays a penalty (translators split and join sentences, rarely
//! paragraphs); two headings (segments without final punctuation) together earn a bonus.

use std::ops::Range;

/// The bead shapes the aligner considers, `(units of side a, units of side b)`. The last two
/// are *split beads* ([`SPLIT_A`], [`SPLIT_B`]): one unit of one side cut in two at one of its
/// [`Unit::cuts`], each half facing one unit of the other side ([`super::split`]).
pub const SHAPES: [(usize, usize); 10] =
    [(1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 2), (2, 1)];

/// Shape index of a split bead: the one unit of side a cut in two, facing two units of side b.
pub const SPLIT_A: usize = 8;
/// Shape index of a split bead: the one unit of side b cut in two, facing two units of side a.
pub const SPLIT_B: usize = 9;

/// A place where a unit may be cut in two ([`super::split`]): the byte offset in the
/// segment's text where the second half starts, and the two halves as units of their own.
#[derive(Debug, Clone, Default)]
pub struct Cut {
    /// Byte offset, in the segment's text, of the start of the second half.
    pub at: usize,
    /// Extra cost of cutting here (weaker signs of a sentence end cost more).
    pub extra: f64,
    /// The halves before and after `at` (their `cuts` are empty).
    pub halves: [Unit; 2],
    /// Word ids of each half, for the learnt lexicon.
    pub words: [Vec<u64>; 2],
}

/// One thing to align: a segment, a block of segments (coarse levels) or a pivot bead (3-way).
#[derive(Debug, Clone, Default)]
pub struct Unit {
    /// Length in characters of the normalized text.
    pub len: f32,
    /// Anchor items: `(id, weight)`, sorted by id, repeated ids kept.
    pub feats: Vec<(u64, f32)>,
    /// True when the unit opens a paragraph.
    pub par_start: bool,
    /// True for a heading-like line (no final punctuation).
    pub heading: bool,
    /// Ids of the numbers in the unit (all of them, matched on the other side or not).
    pub nums: Vec<u64>,
    /// Candidate cuts of a single segment (empty for blocks and pivot beads).
    pub cuts: Vec<Cut>,
}

/// Tunable parameters of the cost.
#[derive(Debug, Clone)]
pub struct Params {
    /// Mean of the log length ratio `ln(b / a)`.
    pub mu: f64,
    /// Its standard deviation.
    pub sigma: f64,
    /// Prior cost of each shape in [`SHAPES`].
    pub prior: [f64; SHAPES.len()],
    /// Multiplier of anchor rewards.
    pub lex: f64,
    /// Bonus when both sides open a paragraph.
    pub par_bonus: f64,
    /// Penalty per paragraph break inside a merged side.
    pub par_cross: f64,
    /// Bonus when both sides are headings.
    pub heading_bonus: f64,
    /// Penalty when both sides hold numbers and share none (`466` facing `2024`).
    pub num_clash: f64,
    /// Cost per unit of anchor weight left unmatched in a two-sided bead.
    pub unmatched: f64,
}

/// Prior cost of a split bead, on top of the costs of its two halves as 1-1 beads and of the
/// cut's own extra cost ([`super::split`]). Two 1-1 halves already pay two length costs where
/// a 1-2 bead pays one, so the prior is low: raw-article link F1 on seeds 7, 11, 23 (seed 42
/// held out) rose on every pair from 3.0 to 1.5 and on average again at 0.5 (bench/align.md).
pub const SPLIT_PRIOR: f64 = 1.0;

/// Prior σ of the log length ratio.
pub const SIGMA0: f64 = 0.28;
const SMOOTH: f64 = 8.0;

impl Params {
    /// Default parameters for a document whose sides have `total_a` and `total_b` characters.
    pub fn new(total_a: f64, total_b: f64) -> Self {
        let mu = if total_a > 0.0 && total_b > 0.0 { (total_b / total_a).ln() } else { 0.0 };
        Params {
            mu,
            sigma: SIGMA0,
            // 2-2 costs as much as a 1-3: cheaper, it swallowed pairs of honest 1-1 beads whose
            // lengths deviate moderately (bench/align.md: strict and link F1 rose or held for
            // every pair and seed, held-out seed 42 included, when it went from 5.5 to 6.5).
            // A split bead pays for the cut on top of its two 1-1 halves (super::split).
            //       1-1  1-0  0-1  1-2  2-1  2-2  1-3  3-1  1s-2 2-1s
            prior: [0.0, 2.5, 2.5, 3.8, 3.8, 6.5, 6.5, 6.5, SPLIT_PRIOR, SPLIT_PRIOR],
            lex: 2.0,
            par_bonus: 0.7,
            par_cross: 2.0,
            heading_bonus: 0.5,
            num_clash: 1.0,
            unmatched: 0.3,
        }
    }

    /// The log length ratio of a bead with `a` and `b` characters.
    pub fn log_ratio(a: f64, b: f64) -> f64 {
        ((b + SMOOTH) / (a + SMOOTH)).ln()
    }
}

/// The cost of beads between two unit sequences.
#[derive(Debug)]
pub struct Model<'u> {
    a: &'u [Unit],
    b: &'u [Unit],
    /// Anchors of each unit with ids renumbered densely (`0..n_ids`), for [`Model::shared`].
    dense_a: Vec<Vec<(u32, f32)>>,
    dense_b: Vec<Vec<(u32, f32)>>,
    /// Scratch counts indexed by dense id; all zero between calls.
    scratch: std::cell::RefCell<Vec<u16>>,
    cum_a: Vec<f64>,
    cum_b: Vec<f64>,
    /// Prefix sums of the units' total anchor weight.
    weight_a: Vec<f64>,
    weight_b: Vec<f64>,
    /// The parameters.
    pub params: Params,
}

impl<'u> Model<'u> {
    /// A model over units `a` and `b`.
    pub fn new(a: &'u [Unit], b: &'u [Unit], params: Params) -> Self {
        let cum = |u: &[Unit]| {
            let mut c = Vec::with_capacity(u.len() + 1);
            c.push(0.0);
            for x in u {
                c.push(c.last().unwrap() + x.len as f64);
            }
            c
        };
        let mut ids: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
        let mut dense = |u: &[Unit]| -> Vec<Vec<(u32, f32)>> {
            u.iter()
                .map(|x| {
                    x.feats
                        .iter()
                        .map(|&(id, w)| {
                            let next = ids.len() as u32;
                            (*ids.entry(id).or_insert(next), w)
                        })
                        .collect()
                })
                .collect()
        };
        let (dense_a, dense_b) = (dense(a), dense(b));
        let scratch = std::cell::RefCell::new(vec![0u16; ids.len()]);
        let weight = |u: &[Unit]| {
            let mut c = Vec::with_capacity(u.len() + 1);
            c.push(0.0);
            for x in u {
                c.push(c.last().unwrap() + x.feats.iter().map(|f| f.1 as f64).sum::<f64>());
            }
            c
        };
        Model {
            cum_a: cum(a),
            cum_b: cum(b),
            weight_a: weight(a),
            weight_b: weight(b),
            a,
            b,
            dense_a,
            dense_b,
            scratch,
            params,
        }
    }

    /// Weight of the multiset intersection of the anchors of `a[ra]` and `b[rb]` (the same
    /// as [`shared`], by counting in a scratch array instead of merging sorted lists).
    pub fn shared(&self, ra: Range<usize>, rb: Range<usize>) -> f64 {
        if ra.len() == 1 && rb.len() == 1 {
            return intersect(&self.a[ra.start].feats, &self.b[rb.start].feats);
        }
        let mut cnt = self.scratch.borrow_mut();
        let mut any = false;
        for u in &self.dense_a[ra.clone()] {
            for &(id, _) in u {
                cnt[id as usize] = cnt[id as usize].saturating_add(1);
                any = true;
            }
        }
        let mut s = 0.0f64;
        if any {
            for u in &self.dense_b[rb] {
                for &(id, w) in u {
                    let c = &mut cnt[id as usize];
                    if *c > 0 {
                        *c -= 1;
                        s += w as f64;
                    }
                }
            }
            for u in &self.dense_a[ra] {
                for &(id, _) in u {
                    cnt[id as usize] = 0;
                }
            }
        }
        s
    }

    /// Number of units of side a.
    pub fn len_a(&self) -> usize {
        self.a.len()
    }

    /// Number of units of side b.
    pub fn len_b(&self) -> usize {
        self.b.len()
    }

    /// Characters of `a[r]` joined with spaces.
    pub fn chars_a(&self, r: Range<usize>) -> f64 {
        self.cum_a[r.end] - self.cum_a[r.start] + r.len().saturating_sub(1) as f64
    }

    /// Characters of `b[r]` joined with spaces.
    pub fn chars_b(&self, r: Range<usize>) -> f64 {
        self.cum_b[r.end] - self.cum_b[r.start] + r.len().saturating_sub(1) as f64
    }

    /// The cost of the bead of shape `SHAPES[shape]` ending at `(i, j)`.
    pub fn cost(&self, shape: usize, i: usize, j: usize) -> f64 {
        if shape >= SPLIT_A {
            return self.split(shape, i, j).map_or(f64::INFINITY, |(c, _)| c);
        }
        let (k, l) = SHAPES[shape];
        let ra = i - k..i;
        let rb = j - l..j;
        let p = &self.params;
        let mut c = p.prior[shape];
        if k > 0 && l > 0 {
            let x = Params::log_ratio(self.chars_a(ra.clone()), self.chars_b(rb.clone())) - p.mu;
            c += x * x / (2.0 * p.sigma * p.sigma);
            let sh = self.shared(ra.clone(), rb.clone());
            c -= p.lex * sh;
            if p.unmatched > 0.0 {
                let total = self.weight_a[ra.end] - self.weight_a[ra.start] + self.weight_b[rb.end]
                    - self.weight_b[rb.start];
                c += p.unmatched * (total - 2.0 * sh).max(0.0);
            }
            let (ua, ub) = (&self.a[ra.start], &self.b[rb.start]);
            if ua.par_start && ub.par_start {
                c -= p.par_bonus;
            }
            if k == 1 && l == 1 && ua.heading && ub.heading {
                c -= p.heading_bonus;
            }
            if p.num_clash > 0.0 && numbers_clash(&self.a[ra.clone()], &self.b[rb.clone()]) {
                c += p.num_clash;
            }
        }
        let crossings = self.a[ra.start.min(ra.end)..ra.end].iter().skip(1).filter(|u| u.par_start).count()
            + self.b[rb.start.min(rb.end)..rb.end].iter().skip(1).filter(|u| u.par_start).count();
        c + p.par_cross * crossings as f64
    }
}

impl Model<'_> {
    /// The cheapest cut of a split bead ending at `(i, j)`: its cost and the byte offset of
    /// the cut, or `None` when no cut has evidence on both halves. A half counts as evidenced
    /// when it shares an anchor with the unit it faces ([`super::split`] explains why).
    pub fn split(&self, shape: usize, i: usize, j: usize) -> Option<(f64, usize)> {
        let (k, l) = SHAPES[shape];
        if k > i || l > j {
            return None;
        }
        let (whole, pair): (&Unit, [&Unit; 2]) = if shape == SPLIT_A {
            (&self.a[i - 1], [&self.b[j - 2], &self.b[j - 1]])
        } else {
            (&self.b[j - 1], [&self.a[i - 2], &self.a[i - 1]])
        };
        let mut best: Option<(f64, usize)> = None;
        for cut in &whole.cuts {
            let (h0, h1) = (&cut.halves[0], &cut.halves[1]);
            let c = if shape == SPLIT_A {
                self.pair(h0, pair[0]).zip(self.pair(h1, pair[1]))
            } else {
                self.pair(pair[0], h0).zip(self.pair(pair[1], h1))
            };
            let Some((c0, c1)) = c else { continue };
            let c = c0 + c1 + cut.extra;
            if best.is_none_or(|b| c < b.0) {
                best = Some((c, cut.at));
            }
        }
        let p = &self.params;
        // the second unit of the other side opening a paragraph: the split side crosses it
        best.map(|(c, at)| (c + p.prior[shape] + if pair[1].par_start { p.par_cross } else { 0.0 }, at))
    }

    /// The cost of two units as a 1-1 bead, or `None` when they share no anchor.
    fn pair(&self, ua: &Unit, ub: &Unit) -> Option<f64> {
        let p = &self.params;
        let sh = intersect(&ua.feats, &ub.feats);
        if sh <= 0.0 {
            return None;
        }
        let x = Params::log_ratio(ua.len as f64, ub.len as f64) - p.mu;
        let mut c = x * x / (2.0 * p.sigma * p.sigma) - p.lex * sh;
        if p.unmatched > 0.0 {
            let total: f64 = ua.feats.iter().chain(&ub.feats).map(|f| f.1 as f64).sum();
            c += p.unmatched * (total - 2.0 * sh).max(0.0);
        }
        if ua.par_start && ub.par_start {
            c -= p.par_bonus;
        }
        if ua.heading && ub.heading {
            c -= p.heading_bonus;
        }
        if p.num_clash > 0.0 && numbers_clash(std::slice::from_ref(ua), std::slice::from_ref(ub)) {
            c += p.num_clash;
        }
        Some(c)
    }
}

/// True when both runs hold numbers and none is shared.
fn numbers_clash(a: &[Unit], b: &[Unit]) -> bool {
    let (mut na, mut nb) =
        (a.iter().flat_map(|u| &u.nums).peekable(), b.iter().flat_map(|u| &u.nums).peekable());
    if na.peek().is_none() || nb.peek().is_none() {
        return false;
    }
    !a.iter().flat_map(|u| &u.nums).any(|x| b.iter().flat_map(|u| &u.nums).any(|y| x == y))
}

/// Weight of the multiset intersection of the anchors of two runs of units.
///
/// Each unit's list is sorted, so the pooled lists of a run are walked as a k-way merge:
/// no allocation, linear in the number of anchors.
pub fn shared(a: &[Unit], b: &[Unit]) -> f64 {
    if a.len() == 1 && b.len() == 1 {
        return intersect(&a[0].feats, &b[0].feats);
    }
    let mut ma = Merged::new(a);
    let mut mb = Merged::new(b);
    let (mut x, mut y) = (ma.next(), mb.next());
    let mut s = 0.0f64;
    while let (Some(p), Some(q)) = (x, y) {
        match p.0.cmp(&q.0) {
            std::cmp::Ordering::Less => x = ma.next(),
            std::cmp::Ordering::Greater => y = mb.next(),
            std::cmp::Ordering::Equal => {
                s += p.1.min(q.1) as f64;
                x = ma.next();
                y = mb.next();
            }
        }
    }
    s
}

/// A k-way merge of the sorted anchor lists of a few units (at most [`MAX_RUN`]).
struct Merged<'u> {
    lists: [&'u [(u64, f32)]; MAX_RUN],
}

/// The longest run of units a bead takes from one side.
const MAX_RUN: usize = 3;

impl<'u> Merged<'u> {
    fn new(units: &'u [Unit]) -> Self {
        let mut lists: [&[(u64, f32)]; MAX_RUN] = [&[]; MAX_RUN];
        for (l, u) in lists.iter_mut().zip(units) {
            *l = &u.feats;
        }
        Merged { lists }
    }

    fn next(&mut self) -> Option<(u64, f32)> {
        let mut best: Option<usize> = None;
        for k in 0..MAX_RUN {
            if let Some(h) = self.lists[k].first() {
                if best.is_none_or(|b| h.0 < self.lists[b][0].0) {
                    best = Some(k);
                }
            }
        }
        let k = best?;
        let h = self.lists[k][0];
        self.lists[k] = &self.lists[k][1..];
        Some(h)
    }
}

fn intersect(a: &[(u64, f32)], b: &[(u64, f32)]) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1.min(b[j].1) as f64;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(len: f32, feats: &[u64]) -> Unit {
        let mut f: Vec<(u64, f32)> = feats.iter().map(|&x| (x, 1.0)).collect();
        f.sort_unstable_by_key(|x| x.0);
        Unit { len, feats: f, ..Unit::default() }
    }

    #[test]
    fn intersection_is_a_multiset_minimum() {
        let a = [unit(10.0, &[1, 1, 2]), unit(10.0, &[3])];
        let b = [unit(10.0, &[1, 3, 4])];
        assert_eq!(shared(&a, &b), 2.0);
        assert_eq!(shared(&a[..1], &b), 1.0);
    }

    #[test]
    fn length_model_prefers_the_matching_merge() {
        let a = [unit(100.0, &[]), unit(100.0, &[])];
        let b = [unit(200.0, &[])];
        let m = Model::new(&a, &b, Params::new(200.0, 200.0));
        let merge = m.cost(4, 2, 1); // 2-1
        let one_one_then_drop = m.cost(0, 1, 1) + m.cost(1, 2, 1);
        assert!(merge < one_one_then_drop, "{merge} vs {one_one_then_drop}");
    }
}
