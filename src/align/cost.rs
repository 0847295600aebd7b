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
//! # Boundaries
//! A bead whose two sides both open a paragraph earns a small bonus; a bead that merges across a
//! paragraph break on one side pays a penalty (translators split and join sentences, rarely
//! paragraphs); two headings (segments without final punctuation) together earn a bonus.

use std::ops::Range;

/// The bead shapes the aligner considers, `(units of side a, units of side b)`.
pub const SHAPES: [(usize, usize); 8] = [(1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1)];

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
}

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
            //       1-1  1-0  0-1  1-2  2-1  2-2  1-3  3-1
            prior: [0.0, 2.5, 2.5, 3.8, 3.8, 5.5, 6.5, 6.5],
            lex: 1.5,
            par_bonus: 0.7,
            par_cross: 2.0,
            heading_bonus: 0.5,
        }
        .tuned()
    }

    fn tuned(mut self) -> Self {
        if let Ok(t) = std::env::var("QANTARA_TUNE") {
            for kv in t.split(',') {
                let Some((k, v)) = kv.split_once('=') else { continue };
                let v: f64 = v.parse().unwrap();
                match k {
                    "del" => {
                        self.prior[1] = v;
                        self.prior[2] = v;
                    }
                    "m12" => {
                        self.prior[3] = v;
                        self.prior[4] = v;
                    }
                    "m22" => self.prior[5] = v,
                    "m13" => {
                        self.prior[6] = v;
                        self.prior[7] = v;
                    }
                    "lex" => self.lex = v,
                    "sigma" => self.sigma = v,
                    _ => {}
                }
            }
        }
        self
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
    cum_a: Vec<f64>,
    cum_b: Vec<f64>,
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
        Model { cum_a: cum(a), cum_b: cum(b), a, b, params }
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
        let (k, l) = SHAPES[shape];
        let ra = i - k..i;
        let rb = j - l..j;
        let p = &self.params;
        let mut c = p.prior[shape];
        if k > 0 && l > 0 {
            let x = Params::log_ratio(self.chars_a(ra.clone()), self.chars_b(rb.clone())) - p.mu;
            c += x * x / (2.0 * p.sigma * p.sigma);
            c -= p.lex * shared(&self.a[ra.clone()], &self.b[rb.clone()]);
            let (ua, ub) = (&self.a[ra.start], &self.b[rb.start]);
            if ua.par_start && ub.par_start {
                c -= p.par_bonus;
            }
            if k == 1 && l == 1 && ua.heading && ub.heading {
                c -= p.heading_bonus;
            }
        }
        let crossings = self.a[ra.start.min(ra.end)..ra.end].iter().skip(1).filter(|u| u.par_start).count()
            + self.b[rb.start.min(rb.end)..rb.end].iter().skip(1).filter(|u| u.par_start).count();
        c + p.par_cross * crossings as f64
    }
}

/// Weight of the multiset intersection of the anchors of two runs of units.
pub fn shared(a: &[Unit], b: &[Unit]) -> f64 {
    if a.iter().all(|u| u.feats.is_empty()) || b.iter().all(|u| u.feats.is_empty()) {
        return 0.0;
    }
    if a.len() == 1 && b.len() == 1 {
        return intersect(&a[0].feats, &b[0].feats);
    }
    let merge = |units: &[Unit]| {
        let mut v: Vec<(u64, f32)> = units.iter().flat_map(|u| u.feats.iter().copied()).collect();
        v.sort_unstable_by_key(|x| x.0);
        v
    };
    intersect(&merge(a), &merge(b))
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
