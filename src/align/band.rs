//! Banded dynamic programming with posteriors, and the coarse-to-fine band.
//!
//! # The search
//! Nodes are `(i, j)`: the first `i` units of side a and `j` of side b are aligned. A bead of
//! shape `(k, l)` ([`SHAPES`]) goes from `(i − k, j − l)` to `(i, j)`. Row `i` only holds the
//! nodes `lo[i] ..= hi[i]` (the band); `lo` and `hi` never decrease and consecutive rows
//! overlap, so every node of the band is reachable from `(0, 0)` with `1-0`/`0-1` beads, and
//! `(n, m)` is always reachable: the search never fails, whatever the band.
//!
//! Three quantities per node: the Viterbi cost `V` (best path), and the soft-min costs `F`
//! (forward, `−ln Σ exp(−cost)` over all paths from the start) and `B` (backward, to the end).
//! A bead `(i0, j0) → (i1, j1)` of cost `c` then has posterior probability
//! `exp(−(F[i0,j0] + c + B[i1,j1] − F[n,m]))`: the share of all alignments (weighted by
//! `exp(−cost)`) that contain it. That is the bead's confidence.
//!
//! # The band (coarse to fine, as in vecalign)
//! When `(n + 1)(m + 1)` is small (the usual article: a few hundred segments) the band is the
//! whole rectangle and the result is exact. Otherwise the units are grouped into blocks of
//! [`BLOCK`] consecutive units (lengths summed, anchors pooled), the block sequences are aligned
//! recursively, and the fine band is the block path widened by `w` units on each side.
//!
//! **Why the band does not lose the best path in practice.** A block holds eight or more
//! sentences: the relative noise of its length ratio is about `1/√8` of a sentence's, and its
//! anchors are pooled, so the block path is at most one block off the sentence path except
//! around long one-sided passages. The fine band covers the whole block bead plus `w ≥ BLOCK`
//! units around it, so a one-block error still lies inside it. **When it would not** — a bead
//! of the best path found ends on the band's edge somewhere other than the document's own
//! borders ([`Solution::touching`]) — the search is redone *locally* (`widen_locally` in the
//! parent module): around each touching bead, the path is cut at the nearest confident
//! two-sided beads (posterior ≥ 0.9) lying at least `2w` segments before and after it on both
//! sides; those beads are kept, and the stretch between them (a chunk: an independent
//! sub-document, since a monotone path through both border nodes splits into a path before,
//! inside and after) is searched again in a band of twice the half-width around its old path.
//! This repeats, chunk by chunk, until no bead touches an edge; once `w` reaches the chunk's
//! size the band is the whole chunk, so it terminates. A one-sided passage longer than the band
//! thus costs time proportional to the passage, not to the document, and the rest of the path
//! is searched once. What this cannot guarantee is optimality when a wrong path runs strictly
//! inside the band while the best one lies wholly outside it; the block path makes that
//! unlikely, and the border beads are only trusted at a distance from any touch.
//!
//! # Cost
//! `O(Σ band width × |SHAPES|)` cost evaluations for each of the forward and backward passes;
//! with a band of constant width this is linear in the document. Memory per node: `V`, `F`,
//! `B` (f64: in f32, soft-min costs summed over 100,000 beads lose the precision the
//! posteriors need) and a back-pointer (u8), plus the bead costs (f32 per shape) kept for the
//! backward pass while they fit in 64 MB (recomputed beyond: memory stays linear, time
//! doubles for the cost evaluations).

use super::cost::{Model, SHAPES, SPLIT_A};
use std::ops::Range;

/// Units per block at each coarser level.
pub const BLOCK: usize = 8;

/// Largest cache of bead costs kept between the forward and backward passes.
const COST_CACHE_BYTES: usize = 64 << 20;

/// The band: for each row `i` in `0..=n`, the columns `lo[i] ..= hi[i]`.
#[derive(Debug, Clone)]
pub struct Band {
    lo: Vec<usize>,
    hi: Vec<usize>,
    off: Vec<usize>,
}

impl Band {
    /// The full rectangle `(n + 1) × (m + 1)`.
    pub fn full(n: usize, m: usize) -> Self {
        Band::from_bounds(vec![0; n + 1], vec![m; n + 1], m)
    }

    /// A band from raw bounds, repaired so that it is valid (see the module doc).
    pub fn from_bounds(mut lo: Vec<usize>, mut hi: Vec<usize>, m: usize) -> Self {
        let n = lo.len() - 1;
        lo[0] = 0;
        hi[n] = m;
        for i in 0..=n {
            hi[i] = hi[i].min(m);
            lo[i] = lo[i].min(hi[i]);
        }
        for i in 1..=n {
            lo[i] = lo[i].max(lo[i - 1]);
            hi[i] = hi[i].max(hi[i - 1]);
        }
        for i in (0..n).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
            hi[i] = hi[i].min(hi[i + 1]);
        }
        for i in 1..=n {
            // rows must overlap so that every node stays reachable
            if lo[i] > hi[i - 1] {
                hi[i - 1] = lo[i];
            }
        }
        for i in 0..=n {
            lo[i] = lo[i].min(hi[i]);
        }
        let mut off = Vec::with_capacity(n + 2);
        off.push(0);
        for i in 0..=n {
            off.push(off[i] + hi[i] - lo[i] + 1);
        }
        Band { lo, hi, off }
    }

    /// Number of nodes.
    pub fn cells(&self) -> usize {
        *self.off.last().unwrap()
    }

    fn idx(&self, i: usize, j: usize) -> Option<usize> {
        (j >= self.lo[i] && j <= self.hi[i]).then(|| self.off[i] + j - self.lo[i])
    }

    /// True when node `(i, j)` lies on an inner edge of the band (not the document border).
    fn on_inner_edge(&self, i: usize, j: usize, m: usize) -> bool {
        (j == self.lo[i] && j > 0) || (j == self.hi[i] && j < m)
    }

    /// The band around a path of coarse beads scaled by `block`, widened by `w` units.
    pub fn around(
        coarse: &[(Range<usize>, Range<usize>)],
        block: usize,
        n: usize,
        m: usize,
        w: usize,
    ) -> Self {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0usize; n + 1];
        for (ra, rb) in coarse {
            let i0 = (ra.start * block).min(n);
            let i1 = (ra.end * block).min(n);
            let j0 = (rb.start * block).min(m);
            let j1 = (rb.end * block).min(m);
            for i in i0..=i1 {
                lo[i] = lo[i].min(j0.saturating_sub(w));
                hi[i] = hi[i].max((j1 + w).min(m));
            }
        }
        for l in lo.iter_mut().filter(|l| **l == usize::MAX) {
            *l = 0;
        }
        Band::from_bounds(lo, hi, m)
    }
}

/// A bead found by the search: ranges on both sides, its cost and its posterior.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Units of side a.
    pub a: Range<usize>,
    /// Units of side b.
    pub b: Range<usize>,
    /// Its cost.
    pub cost: f64,
    /// Posterior probability in [0, 1].
    pub posterior: f64,
    /// For a split bead ([`SPLIT_A`], [`super::cost::SPLIT_B`]): the byte offset of the cut in the text of
    /// the split side's one segment.
    pub cut: Option<usize>,
}

/// Result of one banded search.
#[derive(Debug, Clone)]
pub struct Solution {
    /// The best path, in order.
    pub beads: Vec<Found>,
    /// Indices of the beads whose end node lies on an inner edge of the band (there the band
    /// may have cut the best path); empty when the path stays strictly inside.
    pub touching: Vec<usize>,
}

fn soft_add(acc: &mut f64, x: f64) {
    // acc and x are soft-min costs: acc ← −ln(e^−acc + e^−x)
    if x.is_infinite() {
        return;
    }
    if acc.is_infinite() {
        *acc = x;
    } else {
        let (lo, hi) = if *acc < x { (*acc, x) } else { (x, *acc) };
        *acc = lo - (-(hi - lo)).exp().ln_1p();
    }
}

/// Runs the search over `band` with cost `model`.
pub fn solve(model: &Model<'_>, band: &Band, posteriors: bool) -> Solution {
    let (n, m) = (model.len_a(), model.len_b());
    let cells = band.cells();
    let mut v = vec![f64::INFINITY; cells];
    let mut bp = vec![u8::MAX; cells];
    let mut f = if posteriors { vec![f64::INFINITY; cells] } else { Vec::new() };
    // The backward pass needs every bead cost again: keep them when they fit in
    // COST_CACHE_BYTES, recompute them otherwise (memory stays bounded either way).
    let cache = posteriors && cells.saturating_mul(SHAPES.len() * 4) <= COST_CACHE_BYTES;
    let mut costs = if cache { vec![f32::INFINITY; cells * SHAPES.len()] } else { Vec::new() };

    v[0] = 0.0;
    if posteriors {
        f[0] = 0.0;
    }
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            let here = band.idx(i, j).unwrap();
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = f64::INFINITY;
            let mut arg = u8::MAX;
            let mut soft = f64::INFINITY;
            for (s, &(k, l)) in SHAPES.iter().enumerate() {
                if k > i || l > j {
                    continue;
                }
                let Some(prev) = band.idx(i - k, j - l) else { continue };
                if v[prev].is_infinite() {
                    continue;
                }
                let c = model.cost(s, i, j);
                if cache {
                    costs[here * SHAPES.len() + s] = c as f32;
                }
                if v[prev] + c < best {
                    best = v[prev] + c;
                    arg = s as u8;
                }
                if posteriors {
                    soft_add(&mut soft, f[prev] as f64 + c);
                }
            }
            v[here] = best;
            bp[here] = arg;
            if posteriors {
                f[here] = soft;
            }
        }
    }
    // trace back
    let mut path = Vec::new();
    let (mut i, mut j) = (n, m);
    let mut touching = Vec::new();
    while i > 0 || j > 0 {
        let here = band.idx(i, j).expect("the end node is in the band");
        if band.on_inner_edge(i, j, m) {
            touching.push(path.len());
        }
        let s = bp[here] as usize;
        let (k, l) = SHAPES[s];
        let (cost, cut) = if s >= SPLIT_A {
            let (c, at) = model.split(s, i, j).expect("a split bead on the best path has a cut");
            (c, Some(at))
        } else {
            (model.cost(s, i, j), None)
        };
        path.push(Found { a: i - k..i, b: j - l..j, cost, posterior: 1.0, cut });
        i -= k;
        j -= l;
    }
    path.reverse();
    let last = path.len().saturating_sub(1);
    let mut touching: Vec<usize> = touching.into_iter().map(|k| last - k).collect();
    touching.reverse();
    if posteriors && !path.is_empty() {
        let b = backward(model, band, &costs);
        let z = f[band.idx(n, m).unwrap()] as f64;
        for bead in &mut path {
            let start = band.idx(bead.a.start, bead.b.start).unwrap();
            let end = band.idx(bead.a.end, bead.b.end).unwrap();
            let p = (-(f[start] as f64 + bead.cost + b[end] as f64 - z)).exp();
            bead.posterior = if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.0 };
        }
    }
    Solution { beads: path, touching }
}

/// Backward soft-min costs: `B[i, j]` over all paths from `(i, j)` to `(n, m)`.
fn backward(model: &Model<'_>, band: &Band, costs: &[f32]) -> Vec<f64> {
    let (n, m) = (model.len_a(), model.len_b());
    let mut b = vec![f64::INFINITY; band.cells()];
    b[band.idx(n, m).unwrap()] = 0.0;
    for i in (0..=n).rev() {
        for j in (band.lo[i]..=band.hi[i]).rev() {
            if i == n && j == m {
                continue;
            }
            let here = band.idx(i, j).unwrap();
            let mut soft = f64::INFINITY;
            for (s, &(k, l)) in SHAPES.iter().enumerate() {
                if i + k > n || j + l > m {
                    continue;
                }
                let Some(next) = band.idx(i + k, j + l) else { continue };
                if b[next].is_infinite() {
                    continue;
                }
                let c = match costs.get(next * SHAPES.len() + s) {
                    Some(&c) => c as f64,
                    None => model.cost(s, i + k, j + l),
                };
                soft_add(&mut soft, b[next] as f64 + c);
            }
            b[here] = soft;
        }
    }
    b
}
