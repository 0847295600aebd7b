//! Three-way alignment through a pivot alignment.
//!
//! # Idea
//! Aligning the three pairs independently and reconciling them is fragile: the pairs can
//! disagree and there is no good rule for which one wins. Instead:
//! 1. pick the *pivot pair*: the two Latin-script versions (French and English share names,
//!    numbers and cognates, so their alignment is the most reliable); without an Arabic side,
//!    the last two versions;
//! 2. align the pivot pair;
//! 3. turn each pivot bead into one unit: the anchors of both its languages pooled, its length
//!    that of its first language (or the second's, rescaled by the document's length ratio,
//!    when the first is empty);
//! 4. align the third version against these units with the ordinary two-way aligner.
//!
//! A tuple is a bead of step 4 with its pivot units expanded back into the pivot beads' ranges.
//! Monotonicity and coverage carry over from both steps, so every tuple is consistent with each
//! of its pairs by construction. The third version sees the anchors of *both* other languages:
//! a name spelled in French only or a number kept in English only still helps.
//!
//! The pivot pair is aligned without split beads; the third version may cut one of its
//! segments in two against two pivot beads ([`super::split`]), which gives two tuples holding
//! the halves of that segment, each with one pivot bead's ranges.
//!
//! # Confidence
//! A tuple's confidence is the lowest of its step-4 bead's and its pivot beads' posteriors.

use super::band;
use super::cost::Unit;
use super::{AlignOptions, Bead, Prepared, RawAnchors, Side, align_units, attach_anchors, prepare};
use crate::lang::Lang;

/// Aligns three sides (see the module doc); ranges are in the order of `sides`.
pub fn align3(sides: &[Side<'_>], opts: &AlignOptions) -> Vec<Bead> {
    assert_eq!(sides.len(), 3);
    let arabic: Vec<usize> = (0..3).filter(|&k| sides[k].lang == Lang::Ar).collect();
    let r = if arabic.len() == 1 { arabic[0] } else { 0 };
    let (p, q) = match r {
        0 => (1, 2),
        1 => (0, 2),
        _ => (0, 1),
    };
    let prep: Vec<Prepared> = sides.iter().map(|s| prepare(s, opts)).collect();
    let (mut up, mut uq) = super::units_pair(&sides[p], &prep[p], &sides[q], &prep[q]);
    // The pivot pair never splits (a pivot bead is one unit of step 4); the third version may
    // split one of its segments against two pivot beads.
    for u in up.iter_mut().chain(uq.iter_mut()) {
        u.cuts.clear();
    }
    let raw: Vec<&RawAnchors> = prep.iter().map(|x| &x.raw).collect();
    let words: Vec<&Vec<Vec<u64>>> = prep.iter().map(|x| &x.words).collect();
    let pivot = align_units(&up, &uq, words[p], words[q], opts);
    let mut words_pivot: Vec<Vec<u64>> = Vec::with_capacity(pivot.len());

    // pivot units
    let (len_p, len_q) = (&prep[p].lens, &prep[q].lens);
    let (tp, tq) = (len_p.iter().sum::<f32>(), len_q.iter().sum::<f32>());
    let q_to_p = if tp > 0.0 && tq > 0.0 { tp / tq } else { 1.0 };
    let mut units: Vec<Unit> = Vec::with_capacity(pivot.len());
    let mut raw_pivot: RawAnchors = Vec::with_capacity(pivot.len());
    for f in &pivot {
        let lp: f32 = f.a.clone().map(|k| len_p[k]).sum::<f32>() + f.a.len().saturating_sub(1) as f32;
        let lq: f32 = f.b.clone().map(|k| len_q[k]).sum::<f32>() + f.b.len().saturating_sub(1) as f32;
        let par_start = f.a.clone().next().is_some_and(|k| up[k].par_start)
            || f.b.clone().next().is_some_and(|k| uq[k].par_start);
        let heading = f.a.clone().all(|k| up[k].heading) && f.b.clone().all(|k| uq[k].heading);
        units.push(Unit {
            len: if f.a.is_empty() { lq * q_to_p } else { lp },
            feats: Vec::new(),
            par_start,
            heading,
            nums: f
                .a
                .clone()
                .flat_map(|k| up[k].nums.iter().copied())
                .chain(f.b.clone().flat_map(|k| uq[k].nums.iter().copied()))
                .collect(),
            cuts: Vec::new(),
        });
        let mut pooled: Vec<(u64, f32)> = f.a.clone().flat_map(|k| raw[p][k].iter().copied()).collect();
        pooled.extend(f.b.clone().flat_map(|k| raw[q][k].iter().copied()));
        // an anchor present in both pivot languages is one item, not two
        pooled.sort_unstable_by_key(|x| x.0);
        dedup_pairs(&mut pooled, f.a.clone().flat_map(|k| raw[p][k].iter().map(|x| x.0)).collect());
        raw_pivot.push(pooled);
        let mut w: Vec<u64> = f.a.clone().flat_map(|k| words[p][k].iter().copied()).collect();
        w.extend(f.b.clone().flat_map(|k| words[q][k].iter().copied()));
        w.sort_unstable();
        w.dedup();
        words_pivot.push(w);
    }
    let mut ur = super::bare_units(&sides[r], &prep[r]);
    attach_anchors(&mut ur, raw[r], &mut units, &raw_pivot);
    let outer = align_units(&ur, &units, words[r], &words_pivot, opts);

    let mut beads = Vec::with_capacity(outer.len());
    let mut pieces = Vec::with_capacity(outer.len());
    for f in outer {
        match f.cut {
            // the third version's segment cut in two, each half facing one pivot bead
            Some(at) if f.a.len() == 1 && f.b.len() == 2 => {
                let len = sides[r].segments[f.a.start].text.len();
                let first = band::Found { b: f.b.start..f.b.start + 1, cut: None, ..f.clone() };
                let second = band::Found { b: f.b.start + 1..f.b.end, cut: None, ..f };
                pieces.push((first, Some(0..at)));
                pieces.push((second, Some(at..len)));
            }
            // a split of a pivot unit cannot happen (they have no cuts): kept whole if it did
            _ => pieces.push((band::Found { cut: None, ..f }, None)),
        }
    }
    for (f, part) in pieces {
        let pv = &pivot[f.b.clone()];
        let (rp, rq) = if pv.is_empty() {
            let at = pivot.get(f.b.start);
            let sp = at.map_or(sides[p].segments.len(), |x| x.a.start);
            let sq = at.map_or(sides[q].segments.len(), |x| x.b.start);
            (sp..sp, sq..sq)
        } else {
            (pv[0].a.start..pv[pv.len() - 1].a.end, pv[0].b.start..pv[pv.len() - 1].b.end)
        };
        let conf = pv.iter().map(|x| x.posterior).fold(f.posterior, f64::min);
        let mut ranges = vec![0..0, 0..0, 0..0];
        ranges[r] = f.a;
        ranges[p] = rp;
        ranges[q] = rq;
        let mut parts = vec![None, None, None];
        parts[r] = part;
        beads.push(Bead { ranges, confidence: conf, parts, risks: Vec::new() });
    }
    beads
}

/// Keeps, of ids present in both pivot languages, only as many copies as the larger side has.
fn dedup_pairs(pooled: &mut Vec<(u64, f32)>, mut from_p: Vec<u64>) {
    from_p.sort_unstable();
    let mut out: Vec<(u64, f32)> = Vec::with_capacity(pooled.len());
    let mut k = 0;
    while k < pooled.len() {
        let id = pooled[k].0;
        let mut e = k;
        while e < pooled.len() && pooled[e].0 == id {
            e += 1;
        }
        let total = e - k;
        let in_p = from_p.partition_point(|&x| x <= id) - from_p.partition_point(|&x| x < id);
        let keep = in_p.max(total - in_p).max(1);
        out.extend_from_slice(&pooled[k..k + keep]);
        k = e;
    }
    *pooled = out;
}
