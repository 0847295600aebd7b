//! Sentence alignment of two or three versions of an article.
//!
//! # Idea
//! An alignment is a sequence of *beads*: each bead takes the next `k` segments of one version
//! and the next `l` of the other, `(k, l)` in `1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1`
//! ([`cost::SHAPES`]): a sentence translated as one, a line present on one side only (a
//! heading, a credit, a counter), a sentence split in two or three, two sentences cut
//! differently. Beads are monotone and cover every segment exactly once, so an alignment is a
//! path through the grid of `(segments of a done, segments of b done)`, and the best path under
//! an additive cost is found by dynamic programming ([`band`]).
//!
//! # Cost of a bead ([`cost`])
//! * a prior per shape (1-1 free, one-sided and merged beads pay);
//! * a **length model** — Gale & Church (1993) on the log ratio of normalized character counts,
//!   its mean and deviation re-estimated from the document itself;
//! * **anchors** ([`anchors`]) found on both sides of the bead lower its cost: numbers (Arabic-
//!   Indic digits folded), Latin-script tokens inside Arabic, proper names compared by a
//!   cross-script consonant skeleton (`حموشي` ~ `Hammouchi`), French–English cognates,
//!   `?`/`!`/quotes, a small hand-written trilingual list of everyday news words
//!   ([`common_words`]: days, months, number words, "president", "police"…), and glossary
//!   concepts through the [`ConceptAnchors`] trait; two sides that both hold numbers but share
//!   none pay a penalty;
//! * **boundaries**: paragraph starts on both sides, headings facing headings.
//!
//! Nothing is learnt from outside the input: besides the hand-written list, everything is
//! estimated from the two texts being aligned.
//!
//! # Two passes
//! The first pass aligns with the length ratio of the whole document and a prior deviation.
//! Its confident 1-1 beads give the document's own mean and deviation (median and MAD), and its
//! confident beads bootstrap a word-pair lexicon ([`lexicon`], as hunalign does without a
//! dictionary); the second pass uses both. On long documents (beyond
//! [`AlignOptions::exact_cells`]) the first pass runs on an opening window of [`WINDOW`]
//! segments a side only and no lexicon is learnt, so the whole document is searched once.
//!
//! # Time and memory
//! Short documents are searched exhaustively (the result is the exact optimum). Long ones are
//! searched coarse-to-fine in a band around a block-level path ([`band`] explains why the band
//! cannot lose the best path in practice and what happens when it might: the chunks of the path
//! around the places where it touched the band's edge are cut at confident beads and searched
//! again, each on its own, in a wider band). Time and memory are then linear in the document
//! length: about 0.12 ms and 4 KB per segment at 20,000 segments (`bench/align.sh scale`).
//! Segments are normalized one at a time (twice: once for the side's context, once for the
//! anchors), so no whole-side normalized text or token list is held.
//!
//! # Confidence
//! The search gives each bead its posterior probability under the cost model (forward–backward
//! over all paths in the band): near 1 when no other way of cutting that stretch is nearly as
//! cheap, low when two cuttings compete. [`confidence`] turns it, with features the cost model
//! does not price (a one-sided bead beside a pair that could absorb it, numbers that disagree,
//! an unpunctuated end…), into a calibrated probability that the bead is right, and names the
//! [`Risk`]s of each bead. Beads below [`AlignOptions::review_below`] are the ones to show a
//! reviewer.
//!
//! # Three versions
//! `align` with three sides first aligns the two Latin-script versions (French and English
//! share names, numbers and cognates: the easiest pair), then aligns the Arabic version against
//! the *beads* of that alignment, each pivot bead carrying the pooled anchors of both its
//! languages ([`multi`]). Every tuple is therefore consistent with each of its pairs by
//! construction, and the Arabic side profits from the anchors of both Latin versions.

pub mod anchors;
pub mod band;
pub mod common_words;
pub mod confidence;
pub mod cost;
pub mod lexicon;
pub mod multi;
pub mod pins;
pub mod split;
pub mod units;

pub use anchors::ConceptAnchors;
pub use confidence::Risk;

use crate::lang::Lang;
use crate::segment::{Segment, SegmentKind};
use crate::span::Span;
use cost::{Params, Unit};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// One alignment unit: for each side, the contiguous range of segment indices it covers
/// (an empty range for a side that has nothing here), a confidence in [0, 1] (the calibrated
/// probability that the bead is right, [`confidence`]) and the reasons it may be wrong.
///
/// A **split bead** ([`split`]) holds only part of one segment on one side: two consecutive
/// beads then have the same one-segment range on that side, and [`Bead::parts`] gives each the
/// byte range of its half inside that segment's text (the first `0..at`, the second
/// `at..len`, `at` the cut). Whole segments have `None`. Over an alignment, the bytes of every
/// segment of every side are covered exactly once, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Bead {
    /// One range per side, in the order the sides were given.
    pub ranges: Vec<Range<usize>>,
    /// Confidence in [0, 1]: from [`align`], the calibrated probability that the bead is right
    /// ([`confidence`]); from [`align_posteriors`], the search's posterior.
    pub confidence: f64,
    /// Per side: `Some(bytes)` when the bead holds only these bytes of its one segment on that
    /// side (a split bead), `None` when it holds its segments whole.
    pub parts: Vec<Option<Range<usize>>>,
    /// Why the bead may be wrong ([`Risk`], sorted, no repeats; empty from
    /// [`align_posteriors`]).
    pub risks: Vec<Risk>,
}

impl Bead {
    /// A bead of whole segments.
    pub fn new(ranges: Vec<Range<usize>>, confidence: f64) -> Self {
        let parts = vec![None; ranges.len()];
        Bead { ranges, confidence, parts, risks: Vec::new() }
    }

    /// True when the bead holds part of a segment on some side.
    pub fn is_split(&self) -> bool {
        self.parts.iter().any(Option::is_some)
    }

    /// The side and segment index of the cut, and the byte offset of the cut in that
    /// segment's text, for a split bead.
    pub fn cut(&self) -> Option<(usize, usize, usize)> {
        self.parts.iter().enumerate().find_map(|(k, p)| {
            let p = p.as_ref()?;
            let at = if p.start > 0 { p.start } else { p.end };
            Some((k, self.ranges[k].start, at))
        })
    }

    /// The texts this bead holds on side `k` (of `side`): its segments, or the part of its
    /// one segment for a split bead.
    pub fn texts<'t>(&self, k: usize, side: &Side<'t>) -> Vec<&'t str> {
        let segs = &side.segments[self.ranges[k].clone()];
        match &self.parts[k] {
            Some(p) => segs.iter().map(|s| &s.text[p.clone()]).collect(),
            None => segs.iter().map(|s| s.text).collect(),
        }
    }

    /// Byte span in the side's input text of what this bead holds on side `k` (`None` for an
    /// empty side).
    pub fn span(&self, k: usize, side: &Side<'_>) -> Option<Span> {
        let r = &self.ranges[k];
        if r.is_empty() {
            return None;
        }
        let (first, last) = (&side.segments[r.start], &side.segments[r.end - 1]);
        Some(match &self.parts[k] {
            Some(p) => Span::new(first.span.start + p.start, first.span.start + p.end),
            None => Span::new(first.span.start, last.span.end),
        })
    }
}

/// Options of the aligner.
#[derive(Clone)]
pub struct AlignOptions {
    /// Glossary concepts used as extra anchors (none by default).
    pub concepts: Option<Arc<dyn ConceptAnchors>>,
    /// Documents with at most this many grid nodes are searched exhaustively.
    pub exact_cells: usize,
    /// Initial half-width of the band around the coarse path, in segments.
    pub band: usize,
    /// Beads whose confidence is below this are listed for review.
    pub review_below: f64,
    /// Anchor kinds to leave out (for ablation studies and tests; empty by default).
    pub without: Vec<anchors::AnchorKind>,
    /// Let the search cut a segment in two where the other version's evidence says so
    /// (split beads, [`split`]); on by default.
    pub split: bool,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            concepts: None,
            exact_cells: 250_000,
            band: 2 * band::BLOCK,
            review_below: confidence::REVIEW_BELOW,
            without: Vec::new(),
            split: true,
        }
    }
}

impl std::fmt::Debug for AlignOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlignOptions")
            .field("concepts", &self.concepts.as_ref().map(|_| "dyn ConceptAnchors"))
            .field("exact_cells", &self.exact_cells)
            .field("band", &self.band)
            .field("review_below", &self.review_below)
            .field("without", &self.without)
            .field("split", &self.split)
            .finish()
    }
}

/// A document version to align: its language and its segments.
#[derive(Debug, Clone)]
pub struct Side<'t> {
    /// The language of this version.
    pub lang: Lang,
    /// Its segments, in order.
    pub segments: Vec<Segment<'t>>,
}

impl<'t> Side<'t> {
    /// A side segmented by [`crate::segment::segment`].
    pub fn from_text(text: &'t str, lang: Lang) -> Self {
        Side { lang, segments: crate::segment::segment(text, lang) }
    }

    /// A side that is already segmented, one segment a line (as hunalign and vecalign read
    /// it): line `k` is segment `k`, empty lines included, so indices match line numbers.
    pub fn from_lines(text: &'t str, lang: Lang) -> Self {
        let mut segments = Vec::new();
        let mut offset = 0;
        let body = text.strip_suffix('\n').unwrap_or(text);
        if !body.is_empty() || text.ends_with('\n') {
            for line in body.split('\n') {
                let line_clean = line.strip_suffix('\r').unwrap_or(line);
                let span = Span::new(offset, offset + line_clean.len());
                segments.push(Segment { text: line_clean, span, paragraph: 0, kind: SegmentKind::Sentence });
                offset += line.len() + 1;
            }
        }
        Side { lang, segments }
    }
}

/// Aligns two or three sides; beads are monotone and cover every segment of every side once.
/// Each bead's confidence is calibrated and its risks are set ([`confidence::assess`]).
///
/// With one side, each segment is its own bead; with no side, the result is empty.
///
/// # Panics
/// With more than three sides.
pub fn align(sides: &[Side<'_>], opts: &AlignOptions) -> Vec<Bead> {
    let mut beads = align_posteriors(sides, opts);
    confidence::assess(sides, &mut beads, opts.review_below);
    beads
}

/// [`align`] without the calibration: each bead's confidence is the search's posterior
/// probability under the cost model, and no risks are set.
///
/// # Panics
/// With more than three sides.
pub fn align_posteriors(sides: &[Side<'_>], opts: &AlignOptions) -> Vec<Bead> {
    match sides.len() {
        0 => Vec::new(),
        1 => (0..sides[0].segments.len())
            .map(|i| Bead::new(std::iter::once(i..i + 1).collect(), 1.0))
            .collect(),
        2 => {
            let (pa, pb) = (prepare(&sides[0], opts), prepare(&sides[1], opts));
            let (ua, ub) = units_pair(&sides[0], &pa, &sides[1], &pb);
            let mut out = Vec::new();
            for f in align_units(&ua, &ub, &pa.words, &pb.words, opts) {
                match f.cut {
                    Some(at) if f.a.len() == 1 => {
                        let len = sides[0].segments[f.a.start].text.len();
                        let (b0, b1) = (f.b.start..f.b.start + 1, f.b.start + 1..f.b.end);
                        out.push(Bead {
                            ranges: vec![f.a.clone(), b0],
                            confidence: f.posterior,
                            parts: vec![Some(0..at), None],
                            risks: Vec::new(),
                        });
                        out.push(Bead {
                            ranges: vec![f.a, b1],
                            confidence: f.posterior,
                            parts: vec![Some(at..len), None],
                            risks: Vec::new(),
                        });
                    }
                    Some(at) => {
                        let len = sides[1].segments[f.b.start].text.len();
                        let (a0, a1) = (f.a.start..f.a.start + 1, f.a.start + 1..f.a.end);
                        out.push(Bead {
                            ranges: vec![a0, f.b.clone()],
                            confidence: f.posterior,
                            parts: vec![None, Some(0..at)],
                            risks: Vec::new(),
                        });
                        out.push(Bead {
                            ranges: vec![a1, f.b],
                            confidence: f.posterior,
                            parts: vec![None, Some(at..len)],
                            risks: Vec::new(),
                        });
                    }
                    None => out.push(Bead::new(vec![f.a, f.b], f.posterior)),
                }
            }
            out
        }
        3 => multi::align3(sides, opts),
        n => panic!("qantara::align handles two or three versions, not {n}"),
    }
}

/// Indices of the beads to review: confidence below `opts.review_below`.
pub fn to_review(beads: &[Bead], opts: &AlignOptions) -> Vec<usize> {
    (0..beads.len()).filter(|&k| beads[k].confidence < opts.review_below).collect()
}

/// Per segment: anchor ids with their base weights.
pub(crate) type RawAnchors = Vec<Vec<(u64, f32)>>;

/// What the aligner needs of each segment of a side, computed in one normalization pass.
pub(crate) struct Prepared {
    /// Anchor ids and base weights.
    pub raw: RawAnchors,
    /// Word ids for the bootstrapped lexicon.
    pub words: Vec<Vec<u64>>,
    /// Characters of the normalized key.
    pub lens: Vec<f32>,
    /// Ids of the number anchors.
    pub nums: Vec<Vec<u64>>,
    /// Candidate cuts of each segment ([`split`]), halves prepared like segments.
    pub cuts: Vec<Vec<PreparedCut>>,
}

/// A candidate cut of a segment, each half prepared as a segment is.
pub(crate) struct PreparedCut {
    pub at: usize,
    pub extra: f64,
    pub raw: [Vec<(u64, f32)>; 2],
    pub nums: [Vec<u64>; 2],
    pub lens: [f32; 2],
    pub words: [Vec<u64>; 2],
    pub heading: [bool; 2],
}

pub(crate) fn prepare(side: &Side<'_>, opts: &AlignOptions) -> Prepared {
    // Two streaming passes, so that only one segment's normalized text and tokens are alive at
    // a time (memory stays proportional to the anchors and words kept, not to the text's
    // offset maps): the first collects the side's context and the length and word ids, the
    // second the anchors, which depend on that context.
    let mut ctx = anchors::DocContext::default();
    let mut words = Vec::with_capacity(side.segments.len());
    let mut lens = Vec::with_capacity(side.segments.len());
    for s in &side.segments {
        let n = crate::normalize::normalize(s.text);
        let t = crate::normalize::tokenize(&n);
        ctx.add(s.text, &t);
        words.push(lexicon::words_of(&t));
        lens.push(n.key.chars().count() as f32);
    }
    let anchors_of = |text: &str, n: &crate::normalize::Normalized, t: &[crate::normalize::Token]| {
        let found = anchors::anchors_of(text, &n.key, t, side.lang, &ctx);
        let mut v: Vec<(u64, f32)> = found
            .iter()
            .filter(|a| !opts.without.contains(&a.kind))
            .map(|a| (a.id(), a.kind.weight()))
            .collect();
        if let Some(c) =
            opts.concepts.as_ref().filter(|_| !opts.without.contains(&anchors::AnchorKind::Concept))
        {
            for id in c.concepts(text, side.lang) {
                let a = anchors::Anchor { kind: anchors::AnchorKind::Concept, key: id.to_string() };
                v.push((a.id(), a.kind.weight()));
            }
        }
        let numbers =
            found.iter().filter(|a| a.kind == anchors::AnchorKind::Number && !opts.without.contains(&a.kind));
        let nums: Vec<u64> = numbers.map(anchors::Anchor::id).collect();
        v.shrink_to_fit();
        (v, nums)
    };
    let mut nums: Vec<Vec<u64>> = Vec::with_capacity(side.segments.len());
    let mut raw: RawAnchors = Vec::with_capacity(side.segments.len());
    let mut cuts: Vec<Vec<PreparedCut>> = Vec::with_capacity(side.segments.len());
    for s in &side.segments {
        let n = crate::normalize::normalize(s.text);
        let t = crate::normalize::tokenize(&n);
        let (v, ns) = anchors_of(s.text, &n, &t);
        nums.push(ns);
        raw.push(v);
        let mut here = Vec::new();
        if opts.split {
            let common = |key: &str| ctx.occurs_lowercase(key);
            for (at, extra) in split::cut_points(s.text, side.lang, &common) {
                let half = |text: &str| {
                    let n = crate::normalize::normalize(text);
                    let t = crate::normalize::tokenize(&n);
                    let (v, ns) = anchors_of(text, &n, &t);
                    let heading = is_heading_text(text);
                    (v, ns, n.key.chars().count() as f32, lexicon::words_of(&t), heading)
                };
                let (h0, h1) = (half(&s.text[..at]), half(&s.text[at..]));
                here.push(PreparedCut {
                    at,
                    extra,
                    raw: [h0.0, h1.0],
                    nums: [h0.1, h1.1],
                    lens: [h0.2, h1.2],
                    words: [h0.3, h1.3],
                    heading: [h0.4, h1.4],
                });
            }
        }
        cuts.push(here);
    }
    Prepared { nums, raw, words, lens, cuts }
}

/// True for a heading-like line: no sentence-final punctuation.
fn is_heading(s: &Segment<'_>) -> bool {
    if s.kind == SegmentKind::Line {
        return true;
    }
    is_heading_text(s.text)
}

/// True for a text without sentence-final punctuation.
fn is_heading_text(text: &str) -> bool {
    let t = text.trim_end();
    !t.is_empty() && !t.ends_with(['.', '!', '?', '؟', '…', '"', '»', '”', '\'', ')', ':', ';', '’'])
}

pub(crate) fn bare_units(side: &Side<'_>, prep: &Prepared) -> Vec<Unit> {
    side.segments
        .iter()
        .enumerate()
        .map(|(k, s)| Unit {
            nums: prep.nums[k].clone(),
            len: prep.lens[k],
            feats: Vec::new(),
            par_start: k == 0 || s.paragraph != side.segments[k - 1].paragraph,
            heading: is_heading(s),
            cuts: prep.cuts[k]
                .iter()
                .map(|c| {
                    let half = |h: usize| Unit {
                        len: c.lens[h],
                        // raw anchors, weighted by attach_anchors
                        feats: c.raw[h].clone(),
                        par_start: h == 0 && (k == 0 || s.paragraph != side.segments[k - 1].paragraph),
                        heading: c.heading[h],
                        nums: c.nums[h].clone(),
                        cuts: Vec::new(),
                    };
                    cost::Cut { at: c.at, extra: c.extra, halves: [half(0), half(1)], words: c.words.clone() }
                })
                .collect(),
        })
        .collect()
}

/// Units of two sides with anchors filtered to those present on both sides and weighted by
/// rarity.
pub(crate) fn units_pair(a: &Side<'_>, pa: &Prepared, b: &Side<'_>, pb: &Prepared) -> (Vec<Unit>, Vec<Unit>) {
    let mut ua = bare_units(a, pa);
    let mut ub = bare_units(b, pb);
    attach_anchors(&mut ua, &pa.raw, &mut ub, &pb.raw);
    (ua, ub)
}

/// Fills `feats` of both unit lists from raw anchors (one raw list per unit).
pub(crate) fn attach_anchors(ua: &mut [Unit], raw_a: &RawAnchors, ub: &mut [Unit], raw_b: &RawAnchors) {
    let df = |raw: &RawAnchors| {
        let mut df: HashMap<u64, u32> = HashMap::new();
        for seg in raw {
            let mut ids: Vec<u64> = seg.iter().map(|x| x.0).collect();
            ids.sort_unstable();
            ids.dedup();
            for id in ids {
                *df.entry(id).or_default() += 1;
            }
        }
        df
    };
    let (dfa, dfb) = (df(raw_a), df(raw_b));
    let weigh = |seg: &[(u64, f32)], mine: &HashMap<u64, u32>, other: &HashMap<u64, u32>| {
        let mut feats: Vec<(u64, f32)> = seg
            .iter()
            .filter_map(|&(id, w)| {
                let o = *other.get(&id)?;
                let d = mine.get(&id).copied().unwrap_or(1);
                Some((id, w / ((d * o) as f32).sqrt()))
            })
            .collect();
        feats.sort_unstable_by_key(|x| x.0);
        feats
    };
    let fill = |units: &mut [Unit], raw: &RawAnchors, mine: &HashMap<u64, u32>, other: &HashMap<u64, u32>| {
        for (u, seg) in units.iter_mut().zip(raw) {
            u.feats = weigh(seg, mine, other);
            for c in &mut u.cuts {
                for h in &mut c.halves {
                    h.feats = weigh(&h.feats, mine, other);
                }
            }
        }
    };
    fill(ua, raw_a, &dfa, &dfb);
    fill(ub, raw_b, &dfb, &dfa);
}

/// Segments a side of the opening window on which long documents re-estimate the length model.
pub const WINDOW: usize = 400;

/// Weight of a word pair learnt from the document ([`lexicon`]).
const LEARNT_WEIGHT: f32 = 1.0;

/// Two-pass alignment of two unit sequences: the second pass re-estimates the length model
/// from the confident 1-1 beads of the first and adds the word pairs learnt from its beads
/// ([`lexicon`]). `words_a`/`words_b` are the word ids of each unit.
pub(crate) fn align_units(
    ua: &[Unit],
    ub: &[Unit],
    words_a: &[Vec<u64>],
    words_b: &[Vec<u64>],
    opts: &AlignOptions,
) -> Vec<band::Found> {
    let total = |u: &[Unit]| u.iter().map(|x| x.len as f64).sum::<f64>();
    let mut params = Params::new(total(ua), total(ub));
    if opts.without.contains(&anchors::AnchorKind::Boundary) {
        (params.par_bonus, params.par_cross, params.heading_bonus) = (0.0, 0.0, 0.0);
    }
    // Posteriors of the first pass select the beads to learn from; on long documents they are
    // skipped (half the time of a pass) and every bead is used: the robust estimates below and
    // the two-occurrence rule of the lexicon tolerate the few wrong ones.
    let small = (ua.len() + 1).saturating_mul(ub.len() + 1) <= opts.exact_cells;
    // Long documents: the length model is re-estimated on an opening window only (its first
    // WINDOW segments a side, whose alignment is exact), and no lexicon is learnt, so that the
    // whole document is searched once.
    let (wa, wb) = if small { (ua.len(), ub.len()) } else { (ua.len().min(WINDOW), ub.len().min(WINDOW)) };
    let first = search(&ua[..wa], &ub[..wb], &params, opts, true);
    let inside = |f: &&band::Found| small || (f.a.end * 10 < wa * 9 && f.b.end * 10 < wb * 9);
    let mut xs: Vec<f64> = first
        .iter()
        .filter(inside)
        .filter(|f| f.a.len() == 1 && f.b.len() == 1 && f.posterior >= 0.8)
        .map(|f| Params::log_ratio(ua[f.a.start].len as f64, ub[f.b.start].len as f64))
        .collect();
    if xs.len() >= 6 {
        xs.sort_by(f64::total_cmp);
        let med = xs[xs.len() / 2];
        let mut dev: Vec<f64> = xs.iter().map(|x| (x - med).abs()).collect();
        dev.sort_by(f64::total_cmp);
        let mad = dev[dev.len() / 2] * 1.4826;
        params.mu = med;
        // few beads make a noisy estimate: shrink towards the prior
        let k = xs.len() as f64;
        let est = mad.clamp(0.12, 0.45);
        params.sigma = (k * est + 10.0 * cost::SIGMA0) / (k + 10.0);
    }
    if !small {
        return search(ua, ub, &params, opts, true);
    }
    let beads: Vec<(Range<usize>, Range<usize>)> =
        first.iter().filter(|f| f.posterior > 0.9).map(|f| (f.a.clone(), f.b.clone())).collect();
    let (map_a, map_b) = lexicon::learn_maps(words_a, words_b, &beads);
    let (la, lb) = (lexicon::tag(words_a, &map_a), lexicon::tag(words_b, &map_b));
    if la.iter().all(Vec::is_empty) {
        return search(ua, ub, &params, opts, true);
    }
    let (mut ua2, mut ub2) = (ua.to_vec(), ub.to_vec());
    add_learnt(&mut ua2, &la, &map_a, &mut ub2, &lb, &map_b);
    search(&ua2, &ub2, &params, opts, true)
}

fn add_learnt(
    ua: &mut [Unit],
    la: &[Vec<u64>],
    map_a: &lexicon::Learnt,
    ub: &mut [Unit],
    lb: &[Vec<u64>],
    map_b: &lexicon::Learnt,
) {
    let df = |l: &[Vec<u64>]| {
        let mut df: HashMap<u64, u32> = HashMap::new();
        for ids in l {
            for &id in ids {
                *df.entry(id).or_default() += 1;
            }
        }
        df
    };
    let (dfa, dfb) = (df(la), df(lb));
    let add = |feats: &mut Vec<(u64, f32)>, ids: &[u64]| {
        for id in ids {
            let (Some(&x), Some(&y)) = (dfa.get(id), dfb.get(id)) else { continue };
            feats.push((*id, LEARNT_WEIGHT / ((x * y) as f32).sqrt()));
        }
        feats.sort_unstable_by_key(|x| x.0);
    };
    for (units, l, map) in [(&mut *ua, la, map_a), (&mut *ub, lb, map_b)] {
        for (u, ids) in units.iter_mut().zip(l) {
            add(&mut u.feats, ids);
            for c in &mut u.cuts {
                for h in 0..2 {
                    let ids: Vec<u64> = c.words[h].iter().filter_map(|w| map.get(w).copied()).collect();
                    add(&mut c.halves[h].feats, &ids);
                }
            }
        }
    }
}

/// One search, exhaustive or coarse-to-fine (see [`band`]).
fn search(
    ua: &[Unit],
    ub: &[Unit],
    params: &Params,
    opts: &AlignOptions,
    posteriors: bool,
) -> Vec<band::Found> {
    let (n, m) = (ua.len(), ub.len());
    let model = cost::Model::new(ua, ub, params.clone());
    let full_ok = (n + 1).saturating_mul(m + 1) <= opts.exact_cells.max(1);
    if full_ok || n < 2 * band::BLOCK || m < 2 * band::BLOCK {
        return band::solve(&model, &band::Band::full(n, m), posteriors).beads;
    }
    let (ca, cb) = (coarsen(ua), coarsen(ub));
    let coarse: Vec<(Range<usize>, Range<usize>)> =
        search(&ca, &cb, params, opts, false).into_iter().map(|f| (f.a, f.b)).collect();
    let mut w = opts.band.max(band::BLOCK);
    let sol = band::solve(&model, &band::Band::around(&coarse, band::BLOCK, n, m, w), posteriors);
    let (mut beads, mut touching) = (sol.beads, sol.touching);
    while !touching.is_empty() {
        w *= 2;
        (beads, touching) = widen_locally(ua, ub, params, beads, &touching, w, posteriors);
    }
    beads
}

/// Posterior a bead of the first fine search needs to serve as a chunk border.
const BORDER_POSTERIOR: f64 = 0.9;

/// Local widen-and-retry (see [`band`]): for each bead of `beads` that ends on an inner edge
/// of its band, the stretch of the path between the nearest confident two-sided beads lying at
/// least `2w` segments before and after it, on both sides, is a chunk; each chunk is searched
/// again on its own, in a band of half-width `w` around its old path. Beads outside the chunks
/// are kept. Returns the new path and the beads of it that still touch an inner edge.
fn widen_locally(
    ua: &[Unit],
    ub: &[Unit],
    params: &Params,
    beads: Vec<band::Found>,
    touching: &[usize],
    w: usize,
    posteriors: bool,
) -> (Vec<band::Found>, Vec<usize>) {
    let margin = 2 * w;
    let border = |f: &band::Found| f.posterior >= BORDER_POSTERIOR && !f.a.is_empty() && !f.b.is_empty();
    let mut chunks: Vec<Range<usize>> = Vec::new();
    for &t in touching {
        let (ti, tj) = (beads[t].a.end, beads[t].b.end);
        let mut s = t;
        while s > 0
            && !(border(&beads[s - 1])
                && beads[s - 1].a.end + margin <= ti
                && beads[s - 1].b.end + margin <= tj)
        {
            s -= 1;
        }
        let mut e = t + 1;
        while e < beads.len()
            && !(border(&beads[e]) && beads[e].a.start >= ti + margin && beads[e].b.start >= tj + margin)
        {
            e += 1;
        }
        chunks.push(s..e);
    }
    chunks.sort_by_key(|c| c.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for c in chunks {
        match merged.last_mut() {
            Some(last) if c.start <= last.end => last.end = last.end.max(c.end),
            _ => merged.push(c),
        }
    }
    let mut out = Vec::with_capacity(beads.len());
    let mut still = Vec::new();
    let mut next = 0;
    for c in merged {
        out.extend_from_slice(&beads[next..c.start]);
        let (i0, j0) = (beads[c.start].a.start, beads[c.start].b.start);
        let (i1, j1) = (beads[c.end - 1].a.end, beads[c.end - 1].b.end);
        let model = cost::Model::new(&ua[i0..i1], &ub[j0..j1], params.clone());
        let old: Vec<(Range<usize>, Range<usize>)> = beads[c.clone()]
            .iter()
            .map(|f| (f.a.start - i0..f.a.end - i0, f.b.start - j0..f.b.end - j0))
            .collect();
        let sol = band::solve(&model, &band::Band::around(&old, 1, i1 - i0, j1 - j0, w), posteriors);
        still.extend(sol.touching.iter().map(|t| out.len() + t));
        out.extend(sol.beads.into_iter().map(|mut f| {
            (f.a, f.b) = (f.a.start + i0..f.a.end + i0, f.b.start + j0..f.b.end + j0);
            f
        }));
        next = c.end;
    }
    out.extend_from_slice(&beads[next..]);
    (out, still)
}

/// Anchors lighter than this (frequent in the document) are left out of coarse blocks.
const COARSE_MIN_WEIGHT: f32 = 0.05;

/// Blocks of [`band::BLOCK`] units: lengths summed, anchors pooled.
fn coarsen(units: &[Unit]) -> Vec<Unit> {
    units
        .chunks(band::BLOCK)
        .map(|c| {
            // only the rarer anchors locate a block; one copy of each is enough at this level
            let mut feats: Vec<(u64, f32)> =
                c.iter().flat_map(|u| u.feats.iter().copied()).filter(|x| x.1 >= COARSE_MIN_WEIGHT).collect();
            feats.sort_unstable_by_key(|x| x.0);
            feats.dedup_by_key(|x| x.0);
            Unit {
                len: c.iter().map(|u| u.len).sum::<f32>() + (c.len() - 1) as f32,
                feats,
                par_start: c[0].par_start,
                heading: false,
                nums: Vec::new(),
                cuts: Vec::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
