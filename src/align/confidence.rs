//! Calibrated bead confidence, and the reasons a bead is risky.
//!
//! # Why the posterior is not enough
//! The search's posterior ([`band`](super::band), forward–backward) says how much the *cost
//! model* prefers a bead over the other ways of cutting the same stretch. It is blind to what
//! the model does not price: a one-sided bead beside a 1-1 bead that could absorb it (the
//! model found no anchor for the sentence and paid the one-sided prior instead), two sides
//! whose numbers disagree, a segment that holds two sentences (no final stop on one side, a
//! 1-2 bead whose single segment has an internal candidate cut), a split bead. On raw articles
//! many wrong beads had a posterior above 0.9.
//!
//! # Model
//! [`assess`] computes for each bead a few features of its two sides ([`features`], one row of
//! [`NF`] numbers: the posterior's logit, one-sidedness, how much a neighbouring two-sided bead
//! would fit better (length model) with this one-sided bead's text added, the one-sided text's
//! length, numbers that disagree / agree, split, an unpunctuated end facing a punctuated one,
//! the length-model deviation, a merged shape, a merged single segment with a candidate cut)
//! and maps them through a logistic model: `confidence = σ(w · x)`. The weights [`WEIGHTS`]
//! were fitted by `bench/align_calib.py` (maximum likelihood, small L2 penalty) on the beads of
//! the raw-article benchmark (`e2e_bench.py`) of the dev corpus, seeds 7, 11 and 23, each bead
//! labelled right when the gold links of the sentences it covers are exactly the links it
//! implies. Seed 42 is held out: its calibration table (bins of confidence → share of right
//! beads) is in `bench/align.md`. So the confidence is an estimate of the probability that the
//! bead is right, not a cost-model posterior.
//!
//! The features are computed from the texts of the beads and their neighbours only (no search
//! is repeated): linear in the number of beads. The document's length ratio (median and MAD of
//! the log character ratio of its 1-1 beads) normalizes the length deviation.
//!
//! # Reasons
//! Each bead also carries the [`Risk`]s that apply to it, in a fixed order, for a reviewer to
//! read: they name what makes the bead doubtful, whatever its confidence; a bead is *to
//! review* when its confidence is below [`AlignOptions::review_below`](super::AlignOptions)
//! (default [`REVIEW_BELOW`]), and then carries [`Risk::LowConfidence`] first.
//!
//! With three versions, each pair of versions is assessed on its projection of the tuples; a
//! tuple's confidence is the lowest of its pairs' and its risks are their union.

use super::{Bead, Side, is_heading_text, split};
use std::ops::Range;

/// Why a bead may be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Risk {
    /// Calibrated confidence below the review threshold.
    LowConfidence,
    /// A one-sided bead beside a two-sided bead that fits the length model better with this
    /// bead's text added: the text may belong to that neighbour.
    OneSidedBeside,
    /// Both sides hold numbers and some number of one side is missing from the other.
    NumbersDisagree,
    /// The bead holds half of a segment cut by the aligner ([`split`]).
    Split,
    /// One side ends without sentence-final punctuation where the other side has it, or a
    /// single segment facing several holds a candidate cut: a segment may hold two sentences.
    UnpunctuatedEnd,
    /// The two sides' lengths disagree with the document's length ratio (over 3 deviations).
    LengthMismatch,
}

impl Risk {
    /// Stable lower-case name (`low-confidence`, `one-sided-beside`…), for JSON and TSV.
    pub fn name(self) -> &'static str {
        match self {
            Risk::LowConfidence => "low-confidence",
            Risk::OneSidedBeside => "one-sided-beside",
            Risk::NumbersDisagree => "numbers-disagree",
            Risk::Split => "split",
            Risk::UnpunctuatedEnd => "unpunctuated-end",
            Risk::LengthMismatch => "length-mismatch",
        }
    }

    /// A sentence for a reviewer.
    pub fn explain(self) -> &'static str {
        match self {
            Risk::LowConfidence => "the aligner is unsure of this bead",
            Risk::OneSidedBeside => "text on one side only, next to a pair it may belong to",
            Risk::NumbersDisagree => "the numbers of the two sides differ",
            Risk::Split => "the aligner cut a segment here",
            Risk::UnpunctuatedEnd => "a segment may hold two sentences (no final punctuation)",
            Risk::LengthMismatch => "the two sides' lengths do not match",
        }
    }
}

impl std::fmt::Display for Risk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Default review threshold: beads whose calibrated confidence is below it are to review. On
/// held-out seed 42 of the raw-article benchmark it flags 11 % of the beads, holding 63 % of
/// the wrong ones (`bench/align.md`); 0.5 ("more likely wrong than right") would flag 0.3 %.
pub const REVIEW_BELOW: f64 = 0.95;

/// Number of features per bead.
pub const NF: usize = 16;

/// Names of the features, in order (for `bench/align_calib.py`).
pub const FEATURE_NAMES: [&str; NF] = [
    "bias",
    "logit_posterior",
    "one_sided",
    "absorb_gain",
    "one_sided_len",
    "numbers_disagree",
    "numbers_agree",
    "split",
    "unpunct_mismatch",
    "length_z",
    "merged",
    "merged_cut_candidate",
    "glued",
    "one_sided_logit",
    "one_sided_noise",
    "beside_absorbable",
];

/// Logistic weights over [`FEATURE_NAMES`], fitted by `bench/align_calib.py` (see the module
/// doc).
pub const WEIGHTS: [f64; NF] = [
    3.539, 0.3196, -1.14, -0.07566, -1.631, 0.155, -0.09756, -0.8071, -0.9298, -0.2701, -2.513, 0.3884,
    -0.7859, 0.6694, 0.2611, 0.1219,
];

/// Length deviation above which a bead gets [`Risk::LengthMismatch`].
const LENGTH_RISK_Z: f64 = 3.0;

/// Replaces each bead's confidence (the search's posterior on input) by the calibrated
/// probability that it is right, and sets its risks. `review_below` decides
/// [`Risk::LowConfidence`].
pub fn assess(sides: &[Side<'_>], beads: &mut [Bead], review_below: f64) {
    if sides.len() < 2 {
        for b in beads.iter_mut() {
            b.risks.clear();
        }
        return;
    }
    let mut conf = vec![1.0f64; beads.len()];
    let mut risks: Vec<Vec<Risk>> = vec![Vec::new(); beads.len()];
    for x in 0..sides.len() {
        for y in x + 1..sides.len() {
            let idx: Vec<usize> = (0..beads.len())
                .filter(|&k| !beads[k].ranges[x].is_empty() || !beads[k].ranges[y].is_empty())
                .collect();
            let pair: Vec<Bead> = idx.iter().map(|&k| project(&beads[k], x, y)).collect();
            let feats = features(&sides[x], &sides[y], &pair);
            for (n, &k) in idx.iter().enumerate() {
                conf[k] = conf[k].min(probability(&feats[n]));
                risks[k].extend(risks_of(&feats[n], &pair[n]));
            }
        }
    }
    for (k, b) in beads.iter_mut().enumerate() {
        b.confidence = conf[k];
        let mut r = std::mem::take(&mut risks[k]);
        if conf[k] < review_below {
            r.push(Risk::LowConfidence);
        }
        r.sort_unstable();
        r.dedup();
        b.risks = r;
    }
}

/// The bead restricted to sides `x` and `y`.
fn project(b: &Bead, x: usize, y: usize) -> Bead {
    Bead {
        ranges: vec![b.ranges[x].clone(), b.ranges[y].clone()],
        confidence: b.confidence,
        parts: vec![b.parts[x].clone(), b.parts[y].clone()],
        risks: Vec::new(),
    }
}

/// σ(w · x).
pub fn probability(x: &[f64; NF]) -> f64 {
    let z: f64 = WEIGHTS.iter().zip(x).map(|(w, v)| w * v).sum();
    1.0 / (1.0 + (-z).exp())
}

fn risks_of(x: &[f64; NF], b: &Bead) -> Vec<Risk> {
    let mut r = Vec::new();
    if x[2] > 0.0 && x[3] > 0.0 {
        r.push(Risk::OneSidedBeside);
    }
    if x[5] > 0.0 {
        r.push(Risk::NumbersDisagree);
    }
    if b.is_split() {
        r.push(Risk::Split);
    }
    if x[8] > 0.0 || x[11] > 0.0 {
        r.push(Risk::UnpunctuatedEnd);
    }
    if x[9] > LENGTH_RISK_Z {
        r.push(Risk::LengthMismatch);
    }
    r
}

/// What one side of a bead holds, as the features need it.
struct SideText {
    chars: f64,
    numbers: Vec<String>,
    unpunct_end: bool,
    segments: usize,
    cut_candidate: bool,
    glued: bool,
    noise: bool,
}

fn side_text(side: &Side<'_>, b: &Bead, k: usize) -> Option<SideText> {
    let r: &Range<usize> = &b.ranges[k];
    if r.is_empty() {
        return None;
    }
    let texts = b.texts(k, side);
    let chars = texts.iter().map(|t| t.chars().filter(|c| !c.is_whitespace()).count()).sum::<usize>() as f64;
    let mut numbers: Vec<String> = texts.iter().flat_map(|t| numbers_of(t)).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let last = texts.last().copied().unwrap_or("");
    let cut_candidate = texts.len() == 1
        && b.parts[k].is_none()
        && split::cut_points(last, side.lang, &|_| false).iter().any(|&(_, extra)| extra <= 1.0);
    // a strong candidate cut (line break, stop, dash, a capitalised opener) inside a segment
    let glued = b.parts[k].is_none()
        && texts
            .iter()
            .any(|t| split::cut_points(t, side.lang, &|_| false).iter().any(|&(_, extra)| extra <= 0.3));
    let noise = chars <= 12.0 || !texts.iter().any(|t| t.chars().filter(|c| c.is_alphabetic()).count() >= 4);
    Some(SideText {
        chars,
        numbers,
        unpunct_end: is_heading_text(last),
        segments: texts.len(),
        cut_candidate,
        glued,
        noise,
    })
}

/// Digit runs of `text` (Arabic-Indic digits folded, separators between digits dropped:
/// `1 500`, `1.500` and `١٥٠٠` are all `1500`).
fn numbers_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let d = match c {
            '0'..='9' => Some(c),
            '\u{660}'..='\u{669}' => char::from_digit(c as u32 - 0x660, 10),
            '\u{6F0}'..='\u{6F9}' => char::from_digit(c as u32 - 0x6F0, 10),
            _ => None,
        };
        if let Some(d) = d {
            cur.push(d);
            continue;
        }
        let sep = matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ',' | '.' | '٫' | '٬');
        let next_digit =
            chars.peek().is_some_and(|n| n.is_ascii_digit() || ('\u{660}'..='\u{669}').contains(n));
        let inside = sep && next_digit;
        if !cur.is_empty() && !inside {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The features of each bead of a two-sided alignment (see [`FEATURE_NAMES`]); the beads'
/// confidences are taken as the search's posteriors.
pub fn features(a: &Side<'_>, b: &Side<'_>, beads: &[Bead]) -> Vec<[f64; NF]> {
    let sides = [a, b];
    let texts: Vec<[Option<SideText>; 2]> =
        beads.iter().map(|x| [side_text(sides[0], x, 0), side_text(sides[1], x, 1)]).collect();
    // the document's length ratio: median and MAD of the log ratio of its 1-1 beads
    let mut lr: Vec<f64> = texts
        .iter()
        .filter_map(|t| match t {
            [Some(x), Some(y)] if x.segments == 1 && y.segments == 1 && x.chars > 0.0 && y.chars > 0.0 => {
                Some((x.chars / y.chars).ln())
            }
            _ => None,
        })
        .collect();
    lr.sort_by(f64::total_cmp);
    let (mu, sigma) = if lr.len() >= 5 {
        let med = lr[lr.len() / 2];
        let mut dev: Vec<f64> = lr.iter().map(|x| (x - med).abs()).collect();
        dev.sort_by(f64::total_cmp);
        (med, (dev[dev.len() / 2] * 1.4826).clamp(0.08, 0.5))
    } else {
        (lr.get(lr.len() / 2).copied().unwrap_or(0.0), 0.3)
    };
    let z = |la: f64, lb: f64| ((la.max(1.0) / lb.max(1.0)).ln() - mu).abs() / sigma;
    let mut out = Vec::with_capacity(beads.len());
    for (k, bead) in beads.iter().enumerate() {
        let mut x = [0.0; NF];
        x[0] = 1.0;
        let p = bead.confidence.clamp(1e-4, 1.0 - 1e-4);
        x[1] = (p / (1.0 - p)).ln();
        match &texts[k] {
            [Some(sa), Some(sb)] => {
                let (na, nb) = (&sa.numbers, &sb.numbers);
                if !na.is_empty() && !nb.is_empty() {
                    let disagree = na.iter().any(|n| !nb.contains(n)) || nb.iter().any(|n| !na.contains(n));
                    x[5] = f64::from(u8::from(disagree));
                    x[6] = f64::from(u8::from(na.iter().any(|n| nb.contains(n))));
                }
                x[7] = f64::from(u8::from(bead.is_split()));
                x[8] = f64::from(u8::from(sa.unpunct_end != sb.unpunct_end));
                x[9] = z(sa.chars, sb.chars).min(6.0);
                x[10] = f64::from(u8::from(sa.segments + sb.segments > 2));
                x[11] = f64::from(u8::from(
                    (sa.segments == 1 && sb.segments >= 2 && sa.cut_candidate)
                        || (sb.segments == 1 && sa.segments >= 2 && sb.cut_candidate),
                ));
                x[12] = f64::from(u8::from(sa.glued)) + f64::from(u8::from(sb.glued));
            }
            [Some(s), None] | [None, Some(s)] => {
                let here = usize::from(texts[k][0].is_none());
                x[2] = 1.0;
                x[4] = (1.0 + s.chars).ln() / 4.0;
                let mut gain = f64::NEG_INFINITY;
                for n in [k.checked_sub(1), Some(k + 1)].into_iter().flatten() {
                    let Some([Some(na), Some(nb)]) = texts.get(n) else { continue };
                    let (la, lb) = (na.chars, nb.chars);
                    let (wa, wb) = if here == 0 { (la + s.chars, lb) } else { (la, lb + s.chars) };
                    gain = gain.max(z(la, lb) - z(wa, wb));
                }
                x[3] = if gain.is_finite() { gain.clamp(-3.0, 3.0) } else { -3.0 };
                x[13] = x[1];
                x[14] = f64::from(u8::from(s.noise));
            }
            [None, None] => {}
        }
        out.push(x);
    }
    // a two-sided bead beside a one-sided bead that it could absorb: one of the two is wrong
    for k in 0..out.len() {
        if out[k][2] > 0.0 && out[k][3] > 0.0 {
            for n in [k.checked_sub(1), Some(k + 1)].into_iter().flatten() {
                if n < out.len() && out[n][2] == 0.0 && matches!(texts[n], [Some(_), Some(_)]) {
                    out[n][15] = out[n][15].max(out[k][3]);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn numbers_fold_digits_and_separators() {
        assert_eq!(numbers_of("En 2024, 1 500 agents et 3,5 %"), vec!["2024", "1500", "35"]);
        assert_eq!(numbers_of("في ٢٠٢٤ نحو ١٥٠٠"), vec!["2024", "1500"]);
        assert!(numbers_of("aucun chiffre.").is_empty());
    }

    #[test]
    fn disagreeing_numbers_and_one_sided_neighbours_are_named() {
        let fr = "Le port a reçu 1200 navires en 2023.\nLa gare ouvre lundi.\nUne ligne de plus, assez longue, qui parle du maire.\n";
        let en = "The port received 1300 ships in 2023.\nThe station opens on Monday and the mayor spoke at length.\n";
        let sides = [Side::from_lines(fr, Lang::Fr), Side::from_lines(en, Lang::En)];
        let mut beads = vec![
            Bead::new(vec![0..1, 0..1], 0.99),
            Bead::new(vec![1..2, 1..2], 0.99),
            Bead::new(vec![2..3, 2..2], 0.99),
        ];
        assess(&sides, &mut beads, REVIEW_BELOW);
        assert!(beads[0].risks.contains(&Risk::NumbersDisagree), "{:?}", beads[0]);
        assert!(!beads[1].risks.contains(&Risk::NumbersDisagree), "{:?}", beads[1]);
        assert!(beads[2].risks.contains(&Risk::OneSidedBeside), "{:?}", beads[2]);
        for b in &beads {
            assert!((0.0..=1.0).contains(&b.confidence));
            assert_eq!(b.risks.contains(&Risk::LowConfidence), b.confidence < REVIEW_BELOW);
        }
    }
}
