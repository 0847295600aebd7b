//! Reviewing and correcting a stored alignment: the library API the CLI (`qantara tm show`,
//! `tm edit`) and the review web page both call.
//!
//! # API
//! * [`documents`] — every document with its number of beads to review.
//! * [`show`] — one document's beads with their texts, confidence, risks and pin.
//! * [`queue`] — the beads to review across documents, riskiest first.
//! * [`apply`] — one correction ([`Edit`]): `MoveUp`/`MoveDown` a segment into the neighbouring
//!   bead, `Merge` beads, `Split` a bead at a byte offset, mark a segment `OneSided`,
//!   `Confirm` a bead or `ConfirmAllAbove`, `Undo` the last edit. Each edit is saved at once as
//!   a [`Pin`] (see [`super::pins`]), and only the stretch between the nearest pins around it
//!   — at most [`WINDOW`] beads on each side — is re-aligned
//!   ([`crate::align::pins::align_fixed`]): beads outside it stay as they were.
//!   The document's units are rewritten in the same transaction: pinned beads are
//!   [`Origin::Edited`] with confidence 1. It returns the new beads.
//! * [`align_with_pins`] — what `qantara batch` calls to re-align a document: its pins are
//!   replayed as hard constraints (moved where their text now is), the stretches between them
//!   solved, and the pins that no longer apply returned ([`StalePin`]), never dropped.
//!
//! Beads are addressed by their index in the document's current alignment (as [`show`]
//! returns it); segments by language and index; byte offsets are into the version's text.
//!
//! # Invariant
//! After any sequence of edits the beads cover every segment of every side once, in order
//! (property test in this module).

use super::pins::{self, Pin, PinKind, Review, StalePin, StoredBead};
use super::store::{DocSpec, TmStore};
use super::{Error, NewUnit, Origin, Result};
use crate::align::{self, AlignOptions, Bead, Side};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A document as listed for review.
#[derive(Debug, Clone, Serialize)]
pub struct DocSummary {
    /// Its name.
    pub name: String,
    /// Where it came from.
    pub source: Option<String>,
    /// Its languages (of the review record, else of its units).
    pub langs: Vec<Lang>,
    /// Units stored.
    pub units: u64,
    /// Beads (`None` when the memory keeps no alignment of it: imported).
    pub beads: Option<usize>,
    /// Beads below the review threshold that no pin fixes.
    pub to_review: Option<usize>,
    /// Pins stored.
    pub pins: usize,
    /// Pins that did not apply at its last alignment.
    pub stale_pins: usize,
    /// When it was last stored.
    pub updated: String,
}

/// Every document of the memory, by name.
pub fn documents(store: &dyn TmStore, review_below: f64) -> Result<Vec<DocSummary>> {
    let mut out = Vec::new();
    for d in store.documents()? {
        let review = store.review(&d.name)?;
        let langs = match &review {
            Some(r) => r.sides.iter().map(|s| s.lang).collect(),
            None => store.document_langs(&d.name)?,
        };
        out.push(DocSummary {
            langs,
            units: d.units,
            beads: review.as_ref().map(|r| r.beads.len()),
            to_review: review.as_ref().map(|r| r.to_review(review_below)),
            pins: review.as_ref().map_or(0, |r| r.pins.len()),
            stale_pins: review.as_ref().map_or(0, |r| r.stale.len()),
            updated: d.updated,
            source: d.source,
            name: d.name,
        });
    }
    Ok(out)
}

/// One language's part of a bead as shown.
#[derive(Debug, Clone, Serialize)]
pub struct BeadSide {
    /// The language.
    pub lang: Lang,
    /// Segment indices.
    pub segments: Range<usize>,
    /// Byte span of the bead's text in the version's text.
    pub span: Option<Range<usize>>,
    /// The texts (one per segment; the part for a split bead).
    pub texts: Vec<String>,
}

/// A bead as shown.
#[derive(Debug, Clone, Serialize)]
pub struct BeadView {
    /// Its index in the document.
    pub index: usize,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// The kind of the pin that fixes it, if any.
    pub pin: Option<PinKind>,
    /// Why it may be wrong ([`crate::align::Risk::name`]s, empty for a pinned bead).
    pub risks: Vec<String>,
    /// One entry per language.
    pub sides: Vec<BeadSide>,
}

/// A document as shown for review.
#[derive(Debug, Clone, Serialize)]
pub struct DocView {
    /// Its name.
    pub name: String,
    /// Whether the memory keeps its alignment (false: imported, shown unit by unit, not
    /// correctable).
    pub aligned: bool,
    /// Its languages, in side order.
    pub langs: Vec<Lang>,
    /// The beads in order.
    pub beads: Vec<BeadView>,
    /// Pins stored.
    pub pins: usize,
    /// Pins that did not apply at its last alignment.
    pub stale: Vec<StalePin>,
}

fn views(review: &Review) -> Vec<BeadView> {
    let sides = review.segmented();
    review
        .beads
        .iter()
        .enumerate()
        .map(|(index, b)| {
            let bead = b.bead();
            BeadView {
                index,
                confidence: b.confidence,
                pin: b.pin.and_then(|p| review.pins.get(p)).map(|p| p.kind),
                risks: b.risks.clone(),
                sides: (0..sides.len())
                    .map(|k| BeadSide {
                        lang: sides[k].lang,
                        segments: bead.ranges[k].clone(),
                        span: bead.span(k, &sides[k]).map(|s| s.start..s.end),
                        texts: if bead.ranges[k].is_empty() {
                            Vec::new()
                        } else {
                            bead.texts(k, &sides[k]).into_iter().map(str::to_string).collect()
                        },
                    })
                    .collect(),
            }
        })
        .collect()
}

fn load(store: &dyn TmStore, doc: &str) -> Result<(super::DocumentInfo, Review)> {
    let Some((info, _)) = store.document(doc)? else {
        return Err(Error::Other(format!(
            "no document {doc:?} in {}; `qantara tm docs` lists them",
            store.location()
        )));
    };
    let Some(review) = store.review(doc)? else {
        return Err(Error::Other(format!(
            "document {doc:?} has no stored alignment (it was imported, or stored by an older \
             qantara); align its article with `qantara batch` to review it"
        )));
    };
    Ok((info, review))
}

/// One document's beads. A document the memory keeps no alignment of (imported from TMX or
/// TSV) is shown unit by unit, each as a bead (`aligned: false`; a unit without a confidence
/// shows 1), and cannot be corrected.
pub fn show(store: &dyn TmStore, doc: &str) -> Result<DocView> {
    let Some((info, units)) = store.document(doc)? else {
        return Err(Error::Other(format!(
            "no document {doc:?} in {}; `qantara tm docs` lists them",
            store.location()
        )));
    };
    let Some(review) = store.review(doc)? else {
        let mut langs: Vec<Lang> = units.iter().flat_map(|u| u.texts.iter().map(|t| t.lang)).collect();
        langs.sort();
        langs.dedup();
        let beads = units
            .iter()
            .enumerate()
            .map(|(index, u)| BeadView {
                index,
                confidence: u.confidence.unwrap_or(1.0),
                pin: None,
                risks: Vec::new(),
                sides: langs
                    .iter()
                    .map(|&lang| {
                        let t = u.texts.iter().find(|t| t.lang == lang);
                        BeadSide {
                            lang,
                            segments: t.and_then(|t| t.segments.clone()).unwrap_or(0..0),
                            span: None,
                            texts: t.map(|t| vec![t.text.clone()]).unwrap_or_default(),
                        }
                    })
                    .collect(),
            })
            .collect();
        return Ok(DocView { name: info.name, aligned: false, langs, beads, pins: 0, stale: Vec::new() });
    };
    Ok(DocView {
        name: info.name,
        aligned: true,
        langs: review.sides.iter().map(|s| s.lang).collect(),
        beads: views(&review),
        pins: review.pins.len(),
        stale: review.stale.clone(),
    })
}

/// One bead of the review queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    /// The document.
    pub doc: String,
    /// The bead's index in it.
    pub bead: usize,
    /// Probability that the bead is wrong: 1 − its calibrated confidence.
    pub risk: f64,
    /// Why it may be wrong ([`crate::align::Risk::name`]s).
    pub risks: Vec<String>,
}

/// The review queue: the beads of `docs` (every aligned document when empty) that no pin
/// fixes and that are below `review_below` or have a risk, riskiest first (ties in document
/// and bead order).
pub fn queue(store: &dyn TmStore, docs: &[String], review_below: f64) -> Result<Vec<QueueItem>> {
    let names: Vec<String> = if docs.is_empty() {
        store.documents()?.into_iter().map(|d| d.name).collect()
    } else {
        docs.to_vec()
    };
    let mut out = Vec::new();
    for name in names {
        let review = if docs.is_empty() { store.review(&name)? } else { Some(load(store, &name)?.1) };
        let Some(review) = review else { continue };
        for (i, b) in review.beads.iter().enumerate() {
            if b.pin.is_none() && (b.confidence < review_below || !b.risks.is_empty()) {
                out.push(QueueItem {
                    doc: name.clone(),
                    bead: i,
                    risk: 1.0 - b.confidence,
                    risks: b.risks.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| b.risk.total_cmp(&a.risk));
    Ok(out)
}

/// One correction of a document's alignment (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    /// Move the first segment of its bead (in `lang`) to the end of the previous bead.
    MoveUp {
        /// The language.
        lang: Lang,
        /// The segment index.
        segment: usize,
    },
    /// Move the last segment of its bead (in `lang`) to the start of the next bead.
    MoveDown {
        /// The language.
        lang: Lang,
        /// The segment index.
        segment: usize,
    },
    /// Merge beads `first..=last` into one.
    Merge {
        /// The first bead.
        first: usize,
        /// The last bead.
        last: usize,
    },
    /// Split a bead at byte offset `at` of the `lang` version's text: at a segment boundary
    /// inside the bead, or inside its one segment in that language (the other languages are
    /// divided where their length matches best).
    Split {
        /// The bead.
        bead: usize,
        /// The language of the cut.
        lang: Lang,
        /// Byte offset in that version's text.
        at: usize,
    },
    /// Make a segment a bead of its own (translated by nothing).
    OneSided {
        /// The language.
        lang: Lang,
        /// The segment index.
        segment: usize,
    },
    /// Confirm a bead as it is.
    Confirm {
        /// The bead.
        bead: usize,
    },
    /// Confirm every bead from the first to this one.
    ConfirmAllAbove {
        /// The last bead to confirm.
        bead: usize,
    },
    /// Undo the last edit.
    Undo,
}

/// Beads re-aligned on each side of an edit's beads, at most (fewer when a pin is nearer).
pub const WINDOW: usize = 3;

/// What [`apply`] did.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    /// The document's beads after the edit.
    pub beads: Vec<BeadView>,
    /// Indices of the beads the edit changed or fixed.
    pub changed: Range<usize>,
    /// Pins that no longer apply.
    pub stale: Vec<StalePin>,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::Other(msg.into())
}

fn side_of(sides: &[Side<'_>], lang: Lang) -> Result<usize> {
    sides
        .iter()
        .position(|s| s.lang == lang)
        .ok_or_else(|| bad(format!("the document has no {lang} version")))
}

fn bead_of(beads: &[Bead], k: usize, segment: usize) -> Result<usize> {
    beads
        .iter()
        .position(|b| b.ranges[k].contains(&segment))
        .ok_or_else(|| bad(format!("no segment {segment} in that version")))
}

fn whole(b: &Bead, k: usize) -> Result<()> {
    if b.parts[k].is_some() {
        return Err(bad(
            "that bead holds half of a cut segment; merge the two halves first (or undo the cut)",
        ));
    }
    Ok(())
}

/// The union of consecutive beads `beads`.
fn union(beads: &[Bead], sides: &[Side<'_>]) -> Result<Bead> {
    let n = sides.len();
    let mut ranges = Vec::new();
    let mut parts = Vec::new();
    for k in 0..n {
        let held: Vec<&Bead> = beads.iter().filter(|b| !b.ranges[k].is_empty()).collect();
        let Some(first) = held.first() else {
            ranges.push(beads[0].ranges[k].clone());
            parts.push(None);
            continue;
        };
        let last = held[held.len() - 1];
        let r = first.ranges[k].start..last.ranges[k].end;
        let (s, _) = pins::bounds(sides, first, k);
        let (_, e) = pins::bounds(sides, last, k);
        let len = sides[k].segments.get(r.start).map_or(0, |s| s.text.len());
        let part = if s.1 == 0 && e.1 == 0 {
            None
        } else if r.len() == 1 {
            let p = s.1..if e.1 == 0 { len } else { e.1 };
            (p != (0..len)).then_some(p)
        } else {
            return Err(bad("the beads hold half of a cut segment; merge the two halves of it first"));
        };
        ranges.push(r);
        parts.push(part);
    }
    let mut b = Bead::new(ranges, 1.0);
    b.parts = parts;
    Ok(b)
}

/// Characters of each segment the bead holds on side `k`: `(segment index, characters)`.
fn chars(b: &Bead, side: &Side<'_>, k: usize) -> Vec<(usize, usize)> {
    b.ranges[k]
        .clone()
        .map(|i| (i, b.texts(k, side).get(i - b.ranges[k].start).map_or(0, |t| t.chars().count())))
        .collect()
}

/// Splits `b` at byte `at` of side `k`'s text: the two beads.
fn split(b: &Bead, sides: &[Side<'_>], k: usize, at: usize) -> Result<(Bead, Bead)> {
    let side = &sides[k];
    let r = b.ranges[k].clone();
    if r.is_empty() {
        return Err(bad("that bead has nothing in this language to split"));
    }
    // Where in the bead's side-k text: a boundary before segment i, or inside one segment.
    let mut first = b.clone();
    let mut second = b.clone();
    let cut_chars;
    let total: usize = chars(b, side, k).iter().map(|c| c.1).sum();
    let seg_at = r.clone().find(|&i| {
        let s = &side.segments[i];
        let (lo, hi) = match &b.parts[k] {
            Some(p) => (s.span.start + p.start, s.span.start + p.end),
            None => (s.span.start, s.span.end),
        };
        at > lo && at < hi
    });
    if let Some(i) = seg_at {
        // Inside segment i: only when the bead holds that one segment in this language.
        if r.len() != 1 {
            return Err(bad(
                "to cut inside a sentence, first split the bead at a sentence boundary so that \
                 sentence is alone in its bead",
            ));
        }
        let s = &side.segments[i];
        let off = at - s.span.start;
        if !s.text.is_char_boundary(off) {
            return Err(bad(format!("byte {at} is inside a character")));
        }
        let p = b.parts[k].clone().unwrap_or(0..s.text.len());
        first.parts[k] = Some(p.start..off);
        second.parts[k] = Some(off..p.end);
        cut_chars = s.text[p.start..off].chars().count();
    } else {
        // A boundary: the first segment of the bead starting at or after `at`.
        let i = r
            .clone()
            .find(|&i| side.segments[i].span.start >= at)
            .filter(|&i| i > r.start)
            .ok_or_else(|| bad(format!("byte {at} is not inside this bead's {} text", side.lang)))?;
        whole(b, k)?;
        first.ranges[k] = r.start..i;
        second.ranges[k] = i..r.end;
        cut_chars = chars(b, side, k).iter().filter(|c| c.0 < i).map(|c| c.1).sum::<usize>();
    }
    let f = cut_chars as f64 / total.max(1) as f64;
    // Other sides: the boundary whose share of characters is closest to the cut's.
    for j in (0..sides.len()).filter(|&j| j != k) {
        let rj = b.ranges[j].clone();
        let cs = chars(b, &sides[j], j);
        let tot: usize = cs.iter().map(|c| c.1).sum();
        let options: Vec<usize> =
            if b.parts[j].is_some() { vec![rj.start, rj.end] } else { (rj.start..=rj.end).collect() };
        let best = options
            .into_iter()
            .min_by(|&x, &y| {
                let share = |m: usize| {
                    cs.iter().filter(|c| c.0 < m).map(|c| c.1).sum::<usize>() as f64 / tot.max(1) as f64
                };
                (share(x) - f).abs().total_cmp(&(share(y) - f).abs())
            })
            .unwrap_or(rj.start);
        first.ranges[j] = rj.start..best;
        second.ranges[j] = best..rj.end;
        if b.parts[j].is_some() {
            if best == rj.start {
                first.parts[j] = None;
            } else {
                second.parts[j] = None;
            }
        }
    }
    first.confidence = 1.0;
    second.confidence = 1.0;
    Ok((first, second))
}

/// A new pin: its kind, its beads and the indices of the beads it touches.
type NewPin = (PinKind, Vec<Bead>, Range<usize>);

/// The new pin an edit makes and the bead indices it touches, or `None` for undo.
fn edit_pin(edit: &Edit, sides: &[Side<'_>], beads: &[Bead]) -> Result<Option<NewPin>> {
    let check = |i: usize| {
        if i < beads.len() {
            Ok(i)
        } else {
            Err(bad(format!("no bead {i} (the document has {})", beads.len())))
        }
    };
    Ok(Some(match *edit {
        Edit::Undo => return Ok(None),
        Edit::MoveUp { lang, segment } => {
            let k = side_of(sides, lang)?;
            let i = bead_of(beads, k, segment)?;
            if beads[i].ranges[k].start != segment {
                return Err(bad("only the first segment of a bead moves up"));
            }
            if i == 0 {
                return Err(bad("the first bead has no bead above it"));
            }
            whole(&beads[i], k)?;
            let mut a = beads[i - 1].clone();
            whole(&a, k)?;
            a.ranges[k] = a.ranges[k].start.min(segment)..segment + 1;
            (PinKind::Together, vec![a], i - 1..i + 1)
        }
        Edit::MoveDown { lang, segment } => {
            let k = side_of(sides, lang)?;
            let i = bead_of(beads, k, segment)?;
            if beads[i].ranges[k].end != segment + 1 {
                return Err(bad("only the last segment of a bead moves down"));
            }
            if i + 1 == beads.len() {
                return Err(bad("the last bead has no bead below it"));
            }
            whole(&beads[i], k)?;
            let mut b = beads[i + 1].clone();
            whole(&b, k)?;
            b.ranges[k] = segment..if b.ranges[k].is_empty() { segment + 1 } else { b.ranges[k].end };
            (PinKind::Together, vec![b], i..i + 2)
        }
        Edit::Merge { first, last } => {
            let (first, last) = (check(first)?.min(check(last)?), first.max(last));
            (PinKind::Together, vec![union(&beads[first..=last], sides)?], first..last + 1)
        }
        Edit::Split { bead, lang, at } => {
            let i = check(bead)?;
            let k = side_of(sides, lang)?;
            let (a, b) = split(&beads[i], sides, k, at)?;
            (PinKind::Cut, vec![a, b], i..i + 1)
        }
        Edit::OneSided { lang, segment } => {
            let k = side_of(sides, lang)?;
            let i = bead_of(beads, k, segment)?;
            whole(&beads[i], k)?;
            let b = &beads[i];
            let before = b.ranges[k].start == segment;
            let ranges = (0..sides.len())
                .map(|j| {
                    if j == k {
                        segment..segment + 1
                    } else {
                        let p = if before { b.ranges[j].start } else { b.ranges[j].end };
                        p..p
                    }
                })
                .collect();
            (PinKind::Alone, vec![Bead::new(ranges, 1.0)], i..i + 1)
        }
        Edit::Confirm { bead } => {
            let i = check(bead)?;
            // Half of a cut segment is confirmed with its other half.
            let mut lo = i;
            let mut hi = i + 1;
            while lo > 0 && (0..sides.len()).any(|k| pins::bounds(sides, &beads[lo], k).0.1 > 0) {
                lo -= 1;
            }
            while hi < beads.len() && (0..sides.len()).any(|k| pins::bounds(sides, &beads[hi - 1], k).1.1 > 0)
            {
                hi += 1;
            }
            let kind = PinKind::Confirmed;
            (kind, beads[lo..hi].to_vec(), lo..hi)
        }
        Edit::ConfirmAllAbove { bead } => {
            let i = check(bead)?;
            (PinKind::Confirmed, beads[..=i].to_vec(), 0..i + 1)
        }
    }))
}

/// Applies one correction to document `doc` of `store` and saves it (see the module doc).
pub fn apply(store: &mut dyn TmStore, doc: &str, edit: &Edit) -> Result<Applied> {
    let (info, mut review) = load(store, doc)?;
    let opts = AlignOptions::default();
    let texts = review.sides.clone();
    let (new_beads, changed) = {
        let sides: Vec<Side<'_>> = texts.iter().map(|s| Side::from_text(&s.text, s.lang)).collect();
        let beads = review.plain_beads();
        let edit_no = review.pins.iter().map(|p| p.edit + 1).max().unwrap_or(0);
        let touched = match edit_pin(edit, &sides, &beads)? {
            Some((kind, pin_beads, touched)) => {
                if matches!(edit, Edit::ConfirmAllAbove { .. }) {
                    // One pin per bead, one edit: each confirmed bead is a constraint of its own.
                    let mut groups: Vec<Vec<Bead>> = Vec::new();
                    for b in pin_beads {
                        let cut_cont = groups.last().is_some_and(|g: &Vec<Bead>| {
                            let prev = &g[g.len() - 1];
                            (0..sides.len()).any(|k| pins::bounds(&sides, prev, k).1.1 > 0)
                        });
                        if cut_cont {
                            groups.last_mut().expect("non-empty").push(b);
                        } else {
                            groups.push(vec![b]);
                        }
                    }
                    for g in groups {
                        let kind = if g.len() > 1 { PinKind::Cut } else { PinKind::Confirmed };
                        review.pins.push(new_pin(&sides, kind, &g, edit_no));
                    }
                } else {
                    review.pins.push(new_pin(&sides, kind, &pin_beads, edit_no));
                }
                touched
            }
            None => {
                let Some(last) = review.pins.last().map(|p| p.edit) else {
                    return Err(bad("nothing to undo: the document has no correction"));
                };
                let gone: Vec<usize> =
                    (0..review.pins.len()).filter(|&i| review.pins[i].edit == last).collect();
                let idx: Vec<usize> = (0..beads.len())
                    .filter(|&i| review.beads[i].pin.is_some_and(|p| gone.contains(&p)))
                    .collect();
                review.pins.retain(|p| p.edit != last);
                match (idx.first(), idx.last()) {
                    (Some(&a), Some(&b)) => a..b + 1,
                    // The undone pin was superseded: nothing of it is in the alignment.
                    _ => 0..0,
                }
            }
        };
        // The stretch: between the nearest beads, outside the touched ones, that a remaining
        // pin fixes; beads outside it stay as they are.
        let (accepted, stale) = pins::resolve(&review.pins, &sides);
        let pinned_bead = |i: usize| {
            review.beads[i].pin.is_some_and(|p| p < review.pins.len() && accepted.iter().any(|a| a.0 == p))
        };
        // Bounded by a few beads on each side too, so an edit never moves far-away beads.
        let lo = (0..touched.start).rev().find(|&i| pinned_bead(i)).map_or(0, |i| i + 1);
        let lo = lo.max(touched.start.saturating_sub(WINDOW));
        let hi = (touched.end..beads.len()).find(|&i| pinned_bead(i)).unwrap_or(beads.len());
        let hi = hi.min(touched.end + WINDOW);
        let (lo, hi) = if touched.is_empty() { (0, 0) } else { (lo, hi) };
        let start: Vec<pins::Pos> = (0..sides.len())
            .map(|k| if lo == 0 { (0, 0) } else { pins::bounds(&sides, &beads[lo - 1], k).1 })
            .collect();
        let end: Vec<pins::Pos> = (0..sides.len())
            .map(|k| {
                if hi == beads.len() {
                    (sides[k].segments.len(), 0)
                } else {
                    pins::bounds(&sides, &beads[hi], k).0
                }
            })
            .collect();
        let inside = |b: &Bead| {
            (0..sides.len())
                .all(|k| pins::bounds(&sides, b, k).0 >= start[k] && pins::bounds(&sides, b, k).1 <= end[k])
        };
        // Fixed: the beads outside the stretch (keeping their pin) and the pins inside it.
        let mut fixed: Vec<(Bead, Option<usize>)> = Vec::new();
        for i in (0..lo).chain(hi..beads.len()) {
            let keep =
                review.beads[i].pin.filter(|&p| p < review.pins.len() && accepted.iter().any(|a| a.0 == p));
            fixed.push((beads[i].clone(), keep));
        }
        for (p, bs) in &accepted {
            if bs.iter().all(inside) && !fixed.iter().any(|f| f.1 == Some(*p)) {
                fixed.extend(bs.iter().map(|b| (b.clone(), Some(*p))));
            }
        }
        fixed
            .sort_by_key(|(b, _)| (0..sides.len()).map(|k| pins::bounds(&sides, b, k).0).collect::<Vec<_>>());
        let plain: Vec<Bead> = fixed.iter().map(|f| f.0.clone()).collect();
        if !pins::consistent(&sides, &plain) {
            return Err(bad("that correction contradicts another one of this document; undo it first"));
        }
        let solved = align::pins::align_fixed(&sides, &plain, &opts);
        let out: Vec<StoredBead> =
            solved.iter().map(|(b, f)| StoredBead::from_bead(b, f.and_then(|i| fixed[i].1))).collect();
        review.stale = stale;
        let changed = lo..(out.len() - (beads.len() - hi));
        (out, changed)
    };
    review.beads = new_beads;
    write(store, &info, &review)?;
    Ok(Applied { beads: views(&review), changed, stale: review.stale.clone() })
}

fn new_pin(sides: &[Side<'_>], kind: PinKind, beads: &[Bead], edit: u64) -> Pin {
    Pin {
        kind,
        beads: beads.iter().map(|b| pins::pin_bead(sides, b)).collect(),
        edit,
        created: super::now_stamp(),
    }
}

/// The units of a review's beads: pinned beads are edited with confidence 1.
pub fn units(review: &Review) -> Vec<NewUnit> {
    let sides = review.segmented();
    review
        .beads
        .iter()
        .filter_map(|b| {
            let mut u = NewUnit::from_bead(&sides, &b.bead())?;
            if b.pin.is_some() {
                u.origin = Origin::Edited;
                u.confidence = Some(1.0);
            }
            Some(u)
        })
        .collect()
}

/// Rewrites a document's units and review record in one transaction.
fn write(store: &mut dyn TmStore, info: &super::DocumentInfo, review: &Review) -> Result<()> {
    store.begin_document(&DocSpec {
        name: &info.name,
        origin: info.origin,
        content_hash: info.content_hash.as_deref(),
        dedupe: false,
        replace: true,
        source: None,
        take_over: false,
    })?;
    let res = (|| {
        for u in units(review) {
            store.add_unit(&u)?;
        }
        store.put_review(review)
    })();
    if let Err(e) = res {
        let _ = store.abort_document();
        return Err(e);
    }
    store.commit_document().map(drop)
}

/// Aligns `sides` under `pins` (see the module doc): the beads (each with the index of the pin
/// that fixes it) and the pins that no longer apply.
pub fn align_with_pins(
    sides: &[Side<'_>],
    pins: &[Pin],
    opts: &AlignOptions,
) -> (Vec<StoredBead>, Vec<StalePin>) {
    if pins.is_empty() {
        return (
            align::align(sides, opts).iter().map(|b| StoredBead::from_bead(b, None)).collect(),
            Vec::new(),
        );
    }
    let (accepted, stale) = pins::resolve(pins, sides);
    let mut fixed = Vec::new();
    let mut owner = Vec::new();
    for (p, bs) in &accepted {
        for b in bs {
            fixed.push(b.clone());
            owner.push(*p);
        }
    }
    let solved = align::pins::align_fixed(sides, &fixed, opts);
    (solved.iter().map(|(b, f)| StoredBead::from_bead(b, f.map(|i| owner[i]))).collect(), stale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tm::pins::SideText;
    use crate::tm::store::SqliteStore;
    use proptest::prelude::*;

    /// A memory holding one document `d` of the given versions, aligned.
    fn memory(dir: &std::path::Path, versions: &[(Lang, String)]) -> SqliteStore {
        let mut store = SqliteStore::open(&dir.join("tm.sqlite")).unwrap();
        let sides: Vec<Side<'_>> = versions.iter().map(|(l, t)| Side::from_text(t, *l)).collect();
        let (beads, _) = align_with_pins(&sides, &[], &AlignOptions::default());
        let review = Review {
            sides: versions.iter().map(|(lang, text)| SideText { lang: *lang, text: text.clone() }).collect(),
            beads,
            pins: Vec::new(),
            stale: Vec::new(),
        };
        store
            .begin_document(&DocSpec {
                name: "d",
                origin: Origin::Aligned,
                content_hash: None,
                dedupe: false,
                replace: true,
                source: None,
                take_over: false,
            })
            .unwrap();
        for u in units(&review) {
            store.add_unit(&u).unwrap();
        }
        store.put_review(&review).unwrap();
        store.commit_document().unwrap();
        store
    }

    fn covered(store: &SqliteStore) -> bool {
        let r = store.review("d").unwrap().unwrap();
        let sides = r.segmented();
        align::pins::covers(&sides, &r.plain_beads())
            && r.beads.iter().all(|b| b.pin.is_none_or(|p| p < r.pins.len()))
    }

    fn edit(op: u8, a: usize, b: usize, lang: Lang, at: usize) -> Edit {
        match op % 8 {
            0 => Edit::MoveUp { lang, segment: a },
            1 => Edit::MoveDown { lang, segment: a },
            2 => Edit::Merge { first: a, last: b },
            3 => Edit::Split { bead: a, lang, at },
            4 => Edit::OneSided { lang, segment: a },
            5 => Edit::Confirm { bead: a },
            6 => Edit::ConfirmAllAbove { bead: a },
            _ => Edit::Undo,
        }
    }

    #[test]
    fn edits_make_pins_and_undo_removes_them() {
        let dir = tempfile::tempdir().unwrap();
        let fr = "Le port a reçu trois navires. Les douaniers ont contrôlé 120 conteneurs. Aucune saisie.";
        let en = "The port received three ships. Customs checked 120 containers. No seizure.";
        let mut s = memory(dir.path(), &[(Lang::Fr, fr.into()), (Lang::En, en.into())]);
        let a = apply(&mut s, "d", &Edit::Merge { first: 1, last: 2 }).unwrap();
        assert_eq!(a.beads.len(), 2);
        assert_eq!(a.beads[1].pin, Some(PinKind::Together));
        let (_, units) = s.document("d").unwrap().unwrap();
        assert_eq!(units[1].origin, Origin::Edited);
        assert_eq!(units[1].confidence, Some(1.0));
        let a = apply(&mut s, "d", &Edit::Undo).unwrap();
        assert_eq!(a.beads.len(), 3);
        assert!(a.beads.iter().all(|b| b.pin.is_none()));
        assert!(apply(&mut s, "d", &Edit::Undo).is_err());
        assert!(covered(&s));
    }

    #[test]
    fn a_document_rewritten_without_an_alignment_keeps_none() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = memory(dir.path(), &[(Lang::Fr, "Un. Deux.".into()), (Lang::En, "One. Two.".into())]);
        assert!(s.review("d").unwrap().is_some());
        let u = units(&s.review("d").unwrap().unwrap());
        crate::tm::store::write_document(&mut s, "d", Origin::Imported, None, false, u).unwrap();
        assert!(s.review("d").unwrap().is_none());
        assert!(!show(&s, "d").unwrap().aligned);
        assert!(
            apply(&mut s, "d", &Edit::Confirm { bead: 0 })
                .unwrap_err()
                .to_string()
                .contains("no stored alignment")
        );
    }

    #[test]
    fn the_queue_is_riskiest_first_and_leaves_out_pinned_beads() {
        let dir = tempfile::tempdir().unwrap();
        let fr =
            "Le port a reçu trois navires lundi. Les douaniers ont contrôlé 120 conteneurs. Aucune saisie.";
        let en = "The port received three ships on Monday. No seizure. Customs checked 95 containers.";
        let mut s = memory(dir.path(), &[(Lang::Fr, fr.into()), (Lang::En, en.into())]);
        let q = queue(&s, &[], 0.5).unwrap();
        assert!(!q.is_empty());
        assert!(q.windows(2).all(|w| w[0].risk >= w[1].risk));
        let first = q[0].bead;
        apply(&mut s, "d", &Edit::Confirm { bead: first }).unwrap();
        let q2 = queue(&s, &["d".to_string()], 0.5).unwrap();
        let pinned: Vec<usize> =
            show(&s, "d").unwrap().beads.iter().filter(|b| b.pin.is_some()).map(|b| b.index).collect();
        assert!(!pinned.is_empty());
        assert!(q2.iter().all(|i| !pinned.contains(&i.bead)));
        assert!(queue(&s, &["nope".to_string()], 0.5).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]
        /// After any sequence of edits (valid or refused), the beads cover every segment of
        /// every version once, in order, and every pin they name exists.
        #[test]
        fn beads_cover_every_segment_once_after_any_edits(
            ar in proptest::collection::vec("[^\n]{0,30}", 1..5),
            fr in proptest::collection::vec("[^\n]{0,30}", 1..5),
            en in proptest::collection::vec("[a-zA-Z0-9 .,!?]{0,30}", 0..5),
            edits in proptest::collection::vec((0u8..8, 0usize..8, 0usize..8, 0usize..3, 0usize..200), 1..10),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut versions = vec![(Lang::Ar, ar.join(". ")), (Lang::Fr, fr.join(". "))];
            if !en.is_empty() {
                versions.push((Lang::En, en.join(". ")));
            }
            let mut s = memory(dir.path(), &versions);
            prop_assert!(covered(&s));
            for (op, a, b, l, at) in edits {
                let lang = versions[l % versions.len()].0;
                // A split point inside the bead's text, on a character boundary, most of the time.
                let at = match show(&s, "d").unwrap().beads.get(a).and_then(|v| v.sides.iter().find(|x| x.lang == lang)).and_then(|x| x.span.clone()) {
                    Some(span) if !span.is_empty() && at % 4 != 0 => {
                        let text = &versions.iter().find(|v| v.0 == lang).unwrap().1;
                        let mut p = span.start + at % span.len();
                        while !text.is_char_boundary(p) {
                            p += 1;
                        }
                        p
                    }
                    _ => at,
                };
                let _ = apply(&mut s, "d", &edit(op, a, b, lang, at));
                prop_assert!(covered(&s), "after {:?}", edit(op, a, b, lang, at));
            }
        }
    }
}
