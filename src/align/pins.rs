//! Alignment under hard constraints: some beads are fixed (a reviewer's corrections), the
//! aligner solves only the stretches between them.
//!
//! # Algorithm
//! The fixed beads, sorted and non-overlapping on every side (the caller checks it, see
//! `tm::pins::consistent`), cut each side into stretches: from the end of one fixed bead to the
//! start of the next. Each stretch is aligned on its own by [`super::align`] over the sides
//! that have segments in it (one side alone: a one-sided bead per segment; none: nothing), and
//! its beads are shifted back to document indices; the fixed beads are placed between them as
//! they are.
//!
//! # Invariants
//! If the fixed beads are consistent, the result covers every byte of every segment of every
//! side exactly once, in order (as [`super::align`] does), and contains each fixed bead
//! unchanged. A stretch never starts or ends inside a segment: a fixed bead holding half a
//! segment comes with the bead holding the other half.

use super::{AlignOptions, Bead, Side};
use std::ops::Range;

/// Where bead `b` starts and ends on side `k` as `(segment, byte offset)` (end exclusive, the
/// end of a segment normalized to the start of the next).
fn bounds(sides: &[Side<'_>], b: &Bead, k: usize) -> ((usize, usize), (usize, usize)) {
    let r = &b.ranges[k];
    match &b.parts[k] {
        Some(p) if !r.is_empty() => {
            let len = sides[k].segments[r.start].text.len();
            let end = if p.end >= len { (r.start + 1, 0) } else { (r.start, p.end) };
            ((r.start, p.start), end)
        }
        _ => ((r.start, 0), (r.end, 0)),
    }
}

/// Aligns `sides` keeping `fixed` (in document order, consistent) as they are; each bead of the
/// result comes with the index in `fixed` of the bead it is, or `None` for a solved one.
pub fn align_fixed(sides: &[Side<'_>], fixed: &[Bead], opts: &AlignOptions) -> Vec<(Bead, Option<usize>)> {
    let n = sides.len();
    let mut out = Vec::new();
    let mut cur: Vec<usize> = vec![0; n];
    for (i, f) in fixed.iter().enumerate() {
        let gap: Vec<Range<usize>> = (0..n).map(|k| cur[k]..bounds(sides, f, k).0.0.max(cur[k])).collect();
        solve(sides, &gap, opts, &mut out);
        out.push((f.clone(), Some(i)));
        for (k, c) in cur.iter_mut().enumerate() {
            let (start, end) = bounds(sides, f, k);
            // A bead ending inside a segment is followed by the fixed bead holding the rest.
            *c = if end.1 > 0 { end.0 } else { end.0.max(start.0) };
        }
    }
    let gap: Vec<Range<usize>> = (0..n).map(|k| cur[k]..sides[k].segments.len().max(cur[k])).collect();
    solve(sides, &gap, opts, &mut out);
    out
}

/// Aligns one stretch (`gap[k]`: its segments on side `k`) and appends its beads.
fn solve(
    sides: &[Side<'_>],
    gap: &[Range<usize>],
    opts: &AlignOptions,
    out: &mut Vec<(Bead, Option<usize>)>,
) {
    let held: Vec<usize> = (0..sides.len()).filter(|&k| !gap[k].is_empty()).collect();
    let place = |sub: &Bead| {
        let mut ranges: Vec<Range<usize>> = gap.iter().map(|g| g.start..g.start).collect();
        let mut parts = vec![None; sides.len()];
        for (j, &k) in held.iter().enumerate() {
            let r = &sub.ranges[j];
            ranges[k] = gap[k].start + r.start..gap[k].start + r.end;
            parts[k] = sub.parts[j].clone();
        }
        let mut b = Bead::new(ranges, sub.confidence);
        b.parts = parts;
        b
    };
    match held.len() {
        0 => {}
        1 => {
            let k = held[0];
            for i in gap[k].clone() {
                let mut ranges: Vec<Range<usize>> = gap.iter().map(|g| g.start..g.start).collect();
                ranges[k] = i..i + 1;
                out.push((Bead::new(ranges, 1.0), None));
            }
        }
        _ => {
            let sub: Vec<Side<'_>> = held
                .iter()
                .map(|&k| Side { lang: sides[k].lang, segments: sides[k].segments[gap[k].clone()].to_vec() })
                .collect();
            let beads = super::align(&sub, opts);
            // Sides without segments in the stretch: an empty range at its start (its end).
            out.extend(beads.iter().map(|b| (place(b), None)));
        }
    }
}

/// Whether `beads` cover every byte of every segment of every side exactly once, in order.
pub fn covers(sides: &[Side<'_>], beads: &[Bead]) -> bool {
    let mut cur: Vec<(usize, usize)> = vec![(0, 0); sides.len()];
    for b in beads {
        if b.ranges.len() != sides.len() || b.parts.len() != sides.len() {
            return false;
        }
        for k in 0..sides.len() {
            if b.ranges[k].end > sides[k].segments.len() || b.ranges[k].start > b.ranges[k].end {
                return false;
            }
            if let Some(p) = &b.parts[k] {
                if b.ranges[k].len() != 1 || p.start >= p.end {
                    return false;
                }
            }
            let (s, e) = bounds(sides, b, k);
            if s != cur[k] {
                return false;
            }
            cur[k] = e;
        }
    }
    (0..sides.len()).all(|k| cur[k] == (sides[k].segments.len(), 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides<'a>(fr: &'a str, en: &'a str) -> Vec<Side<'a>> {
        vec![Side::from_text(fr, crate::Lang::Fr), Side::from_text(en, crate::Lang::En)]
    }

    #[test]
    fn fixed_beads_are_kept_and_the_rest_is_solved() {
        let fr = "Le directeur a visité Rabat lundi. Il a rencontré 40 agents. La visite a duré deux heures.";
        let en = "The director visited Rabat on Monday. He met 40 officers. The visit lasted two hours.";
        let s = sides(fr, en);
        // Force the first French sentence to stand alone.
        let alone = Bead::new(vec![0..1, 0..0], 1.0);
        let out = align_fixed(&s, std::slice::from_ref(&alone), &AlignOptions::default());
        let beads: Vec<Bead> = out.iter().map(|(b, _)| b.clone()).collect();
        assert!(covers(&s, &beads), "{beads:?}");
        assert_eq!(out[0], (alone, Some(0)));
        assert!(out[1..].iter().all(|(_, f)| f.is_none()));
    }

    #[test]
    fn no_fixed_bead_aligns_the_whole_document() {
        let s = sides("Un. Deux.", "One. Two.");
        let out = align_fixed(&s, &[], &AlignOptions::default());
        assert_eq!(out.len(), 2);
        assert!(covers(&s, &out.into_iter().map(|(b, _)| b).collect::<Vec<_>>()));
    }
}
