//! What the memory keeps of a document for review: its versions' texts, its beads, and the
//! reviewer's corrections as *pins*.
//!
//! # Data
//! A [`Review`] is stored per document beside its units (one JSON row, table `reviews`, in
//! the same transaction as the units, see [`super::store::TmStore::put_review`]): the text of
//! each version (re-segmented on load: segmentation is deterministic), every bead of the
//! alignment — one-sided ones too, which are no units — with its confidence, and the pins.
//!
//! # Pins
//! A [`Pin`] is a correction stored as a constraint: one or two beads ([`PinBead`]) that must
//! appear as they are in every later alignment of the document. Its [`PinKind`] says what the
//! reviewer did: these segments go together (a merge, a moved segment), this segment stands
//! alone (one-sided), this segment is cut here (two beads sharing a segment at a byte
//! offset), this bead is confirmed. Each pin side keeps its segment range *and its text*, so
//! a pin is checked against a changed version before it is applied ([`resolve`]):
//! * the same texts at the same indices: it applies;
//! * the same texts elsewhere on every side that has any (a paragraph inserted above): it is
//!   moved there;
//! * otherwise it no longer applies and is returned as a [`StalePin`] with the reason, never
//!   dropped silently (it stays stored, and applies again if the text comes back).
//!
//! Pins are kept in the order they were made; a newer pin overlapping an older one supersedes
//! it (the older one is kept for undo). Resolution takes pins newest first and accepts each one
//! that keeps the accepted set monotone and non-overlapping on every side.

use crate::align::{Bead, Side};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// One version of the document as stored for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideText {
    /// Its language.
    pub lang: Lang,
    /// Its full text as read (segmented again on load).
    pub text: String,
}

/// A bead as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredBead {
    /// Segment range per side (side order of [`Review::sides`]).
    pub ranges: Vec<Range<usize>>,
    /// Per side, the bytes of its one segment a split bead holds (see [`Bead::parts`]).
    pub parts: Vec<Option<Range<usize>>>,
    /// Confidence in [0, 1] (1 for a pinned bead).
    pub confidence: f64,
    /// The index in [`Review::pins`] of the pin that fixes this bead, if any.
    pub pin: Option<usize>,
    /// Why it may be wrong ([`crate::align::Risk::name`]s; none for a pinned bead).
    #[serde(default)]
    pub risks: Vec<String>,
}

impl StoredBead {
    /// The aligner's bead.
    pub fn bead(&self) -> Bead {
        let mut b = Bead::new(self.ranges.clone(), self.confidence);
        b.parts = self.parts.clone();
        b
    }

    /// A stored bead from the aligner's.
    pub fn from_bead(b: &Bead, pin: Option<usize>) -> Self {
        let risks =
            if pin.is_some() { Vec::new() } else { b.risks.iter().map(|r| r.name().to_string()).collect() };
        StoredBead { ranges: b.ranges.clone(), parts: b.parts.clone(), confidence: b.confidence, pin, risks }
    }
}

/// What the reviewer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PinKind {
    /// These segments go together (a merge or a moved segment).
    Together,
    /// This segment stands alone (a one-sided bead).
    Alone,
    /// This segment is cut here: two beads sharing one segment of one side.
    Cut,
    /// This bead is confirmed as the aligner made it.
    Confirmed,
}

/// One side of a pinned bead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PinSide {
    /// The language.
    pub lang: Lang,
    /// Segment indices (empty: the bead has nothing in this language; `start` is where).
    pub segments: Range<usize>,
    /// The bytes of its one segment, for half of a cut segment.
    pub part: Option<Range<usize>>,
    /// The segments' texts (the part only, for a cut), to check the pin on changed text.
    pub texts: Vec<String>,
}

/// A bead fixed by a pin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PinBead {
    /// One entry per side of the document.
    pub sides: Vec<PinSide>,
}

/// A correction stored as a constraint on a document (see the module doc).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pin {
    /// What the reviewer did.
    pub kind: PinKind,
    /// The beads it fixes, in order (two for a cut, one otherwise).
    pub beads: Vec<PinBead>,
    /// The edit that made it (pins of one edit, such as "confirm all above", share it; undo
    /// removes the newest edit's pins).
    pub edit: u64,
    /// When it was made (`YYYYMMDDThhmmssZ`).
    pub created: String,
}

/// A pin that no longer applies to the document's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StalePin {
    /// Its index in [`Review::pins`].
    pub pin: usize,
    /// Its kind.
    pub kind: PinKind,
    /// The text it pinned (its first language with text, shortened).
    pub text: String,
    /// Why it no longer applies.
    pub reason: String,
}

/// Everything the memory keeps of a document for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// The versions, in side order.
    pub sides: Vec<SideText>,
    /// The alignment: beads covering every segment of every side once, in order.
    pub beads: Vec<StoredBead>,
    /// The corrections, oldest first.
    #[serde(default)]
    pub pins: Vec<Pin>,
    /// Pins that did not apply at the last alignment.
    #[serde(default)]
    pub stale: Vec<StalePin>,
}

impl Review {
    /// The sides, segmented.
    pub fn segmented(&self) -> Vec<Side<'_>> {
        self.sides.iter().map(|s| Side::from_text(&s.text, s.lang)).collect()
    }

    /// The aligner's beads.
    pub fn plain_beads(&self) -> Vec<Bead> {
        self.beads.iter().map(StoredBead::bead).collect()
    }

    /// Beads whose confidence is below `below` and that no pin fixes.
    pub fn to_review(&self, below: f64) -> usize {
        self.beads.iter().filter(|b| b.pin.is_none() && b.confidence < below).count()
    }
}

/// The pin side of `bead` on side `k`.
pub fn pin_side(sides: &[Side<'_>], bead: &Bead, k: usize) -> PinSide {
    let texts = if bead.ranges[k].is_empty() {
        Vec::new()
    } else {
        bead.texts(k, &sides[k]).into_iter().map(str::to_string).collect()
    };
    PinSide { lang: sides[k].lang, segments: bead.ranges[k].clone(), part: bead.parts[k].clone(), texts }
}

/// The pin bead of `bead`.
pub fn pin_bead(sides: &[Side<'_>], bead: &Bead) -> PinBead {
    PinBead { sides: (0..sides.len()).map(|k| pin_side(sides, bead, k)).collect() }
}

fn texts_at(side: &Side<'_>, segs: &Range<usize>, part: &Option<Range<usize>>) -> Option<Vec<String>> {
    let got = side.segments.get(segs.clone())?;
    match part {
        Some(p) => got.iter().map(|s| s.text.get(p.clone()).map(str::to_string)).collect(),
        None => Some(got.iter().map(|s| s.text.to_string()).collect()),
    }
}

/// The pin's beads placed on `sides`, moved where its texts now are, or why it cannot be.
fn place(pin: &Pin, sides: &[Side<'_>]) -> Result<Vec<Bead>, String> {
    if pin.beads.iter().any(|b| b.sides.len() != sides.len()) {
        return Err("the document no longer has the same versions".into());
    }
    for (k, side) in sides.iter().enumerate() {
        if pin.beads.iter().any(|b| b.sides[k].lang != side.lang) {
            return Err("the document no longer has the same versions".into());
        }
    }
    let mut shift = vec![0isize; sides.len()];
    for (k, side) in sides.iter().enumerate() {
        let held: Vec<&PinSide> =
            pin.beads.iter().map(|b| &b.sides[k]).filter(|s| !s.segments.is_empty()).collect();
        if held.is_empty() {
            continue;
        }
        let fits = |d: isize| {
            held.iter().all(|s| {
                let (a, b) = (s.segments.start as isize + d, s.segments.end as isize + d);
                a >= 0 && texts_at(side, &(a as usize..b as usize), &s.part).as_ref() == Some(&s.texts)
            })
        };
        if fits(0) {
            continue;
        }
        // Moved: the nearest offset where every held text is found again.
        let n = side.segments.len() as isize;
        let start = held[0].segments.start as isize;
        let found = (0..n).map(|i| i - start).filter(|&d| fits(d)).min_by_key(|d| d.abs());
        match found {
            Some(d) => shift[k] = d,
            None => {
                return Err(format!("the {} text it pinned is no longer in the document", side.lang));
            }
        }
    }
    let mut out = Vec::new();
    for b in &pin.beads {
        let mut ranges = Vec::new();
        let mut parts = Vec::new();
        for (k, s) in b.sides.iter().enumerate() {
            let d = shift[k];
            let (a, e) = (s.segments.start as isize + d, s.segments.end as isize + d);
            let n = sides[k].segments.len() as isize;
            if a < 0 || e > n {
                return Err(format!("its {} position is past the end of the text", s.lang));
            }
            ranges.push(a as usize..e as usize);
            parts.push(s.part.clone());
        }
        let mut bead = Bead::new(ranges, 1.0);
        bead.parts = parts;
        out.push(bead);
    }
    Ok(out)
}

/// A position on one side: segment index and byte offset inside it (offset 0 at a boundary).
pub type Pos = (usize, usize);

/// Where `bead` starts and ends on side `k` (end exclusive, normalized so that the end of a
/// segment is the start of the next).
pub fn bounds(sides: &[Side<'_>], bead: &Bead, k: usize) -> (Pos, Pos) {
    let r = &bead.ranges[k];
    match &bead.parts[k] {
        Some(p) if !r.is_empty() => {
            let len = sides[k].segments[r.start].text.len();
            let end = if p.end >= len { (r.start + 1, 0) } else { (r.start, p.end) };
            ((r.start, p.start), end)
        }
        _ => ((r.start, 0), (r.end, 0)),
    }
}

/// Whether `beads` (sorted by position) are monotone and non-overlapping on every side.
pub fn consistent(sides: &[Side<'_>], beads: &[Bead]) -> bool {
    let mut order: Vec<&Bead> = beads.iter().collect();
    order.sort_by_key(|b| (0..sides.len()).map(|k| bounds(sides, b, k).0).collect::<Vec<_>>());
    let ordered = order
        .windows(2)
        .all(|w| (0..sides.len()).all(|k| bounds(sides, w[0], k).1 <= bounds(sides, w[1], k).0));
    // Half a segment is never left to the aligner: the bead holding its other half is fixed too.
    let halves = (0..sides.len()).all(|k| {
        let b: Vec<(Pos, Pos)> = order.iter().map(|x| bounds(sides, x, k)).collect();
        b.iter().all(|&(s, e)| {
            (s.1 == 0 || b.iter().any(|o| o.1 == s)) && (e.1 == 0 || b.iter().any(|o| o.0 == e))
        })
    });
    ordered && halves
}

/// The pins that apply to `sides`, newest first accepted when consistent with the newer
/// ones: `(pin index, its placed beads)` in document order, and the pins that no longer apply.
pub fn resolve(pins: &[Pin], sides: &[Side<'_>]) -> (Vec<(usize, Vec<Bead>)>, Vec<StalePin>) {
    let mut accepted: Vec<(usize, Vec<Bead>)> = Vec::new();
    let mut stale = Vec::new();
    for (i, pin) in pins.iter().enumerate().rev() {
        match place(pin, sides) {
            Ok(beads) => {
                let mut all: Vec<Bead> = accepted.iter().flat_map(|(_, b)| b.iter().cloned()).collect();
                all.extend(beads.iter().cloned());
                // An older pin overlapping a newer one is superseded (kept for undo).
                if consistent(sides, &all) {
                    accepted.push((i, beads));
                }
            }
            Err(reason) => stale.push(StalePin { pin: i, kind: pin.kind, text: pin_text(pin), reason }),
        }
    }
    accepted.sort_by_key(|(_, b)| (0..sides.len()).map(|k| bounds(sides, &b[0], k).0).collect::<Vec<_>>());
    stale.sort_by_key(|s| s.pin);
    (accepted, stale)
}

/// The first text of a pin, shortened to 60 characters, for messages.
pub fn pin_text(pin: &Pin) -> String {
    let t = pin
        .beads
        .iter()
        .flat_map(|b| &b.sides)
        .flat_map(|s| &s.texts)
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .unwrap_or("");
    let mut short: String = t.chars().take(60).collect();
    if short.len() < t.len() {
        short.push('…');
    }
    short
}

/// Reads a stored review record.
pub fn parse_review(doc: &str, data: &str) -> super::Result<Review> {
    serde_json::from_str(data).map_err(|e| {
        super::Error::Other(format!(
            "document {doc:?}: its review record cannot be read ({e}); re-align it with `qantara batch`"
        ))
    })
}
