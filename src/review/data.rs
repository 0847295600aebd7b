//! What the review page reads and writes, as library calls over [`crate::tm::review`]: the
//! queue over the selected documents, one document's beads, one edit. The page's handlers only
//! call these.
//!
//! The one translation done here: the page names a cut point as (bead, language, which of the
//! bead's texts in that language, UTF-8 byte offset in that text), what a caret in the page
//! gives; [`crate::tm::review::Edit::Split`] wants a byte offset in the version's text, found
//! from the segment's span in the stored version.

use super::queue::{self, Candidate, Entry, Reason};
use crate::lang::Lang;
use crate::tm::review::{self as lib, Applied, DocView, Edit};
use crate::tm::store::TmStore;
use crate::tm::{Error, Result};

/// Most entries the queue holds (the page shows them in order; a batch of 50 articles has a
/// few hundred doubtful beads).
pub const QUEUE_LIMIT: usize = 500;

/// Confidence under which a bead is "low confidence" (the aligner's review threshold).
pub const LOW: f64 = 0.5;

/// The documents of the review: `names`, or every document the memory keeps an alignment of.
pub fn documents(store: &dyn TmStore, names: &[String]) -> Result<Vec<String>> {
    if !names.is_empty() {
        return Ok(names.to_vec());
    }
    Ok(lib::documents(store, LOW)?.into_iter().filter(|d| d.beads.is_some()).map(|d| d.name).collect())
}

/// One document's beads.
pub fn doc(store: &dyn TmStore, name: &str) -> Result<DocView> {
    lib::show(store, name)
}

/// Why a bead may be wrong, from what its view shows.
fn reasons(b: &lib::BeadView) -> Vec<Reason> {
    let mut out = Vec::new();
    if b.confidence < LOW {
        out.push(Reason { code: "low-confidence".into(), text: "the aligner is unsure of this bead".into() });
    }
    let held = b.sides.iter().filter(|s| !s.texts.is_empty()).count();
    if held == 1 && b.sides.len() > 1 {
        out.push(Reason {
            code: "one-sided".into(),
            text: "text in one language only: a translation may be missing or misplaced".into(),
        });
    }
    out
}

/// The queue over `names` (every reviewable document when empty).
pub fn queue(store: &dyn TmStore, names: &[String]) -> Result<Vec<Entry>> {
    let mut docs = Vec::new();
    for n in documents(store, names)? {
        let d = doc(store, &n)?;
        let cands = d
            .beads
            .iter()
            .map(|b| Candidate {
                bead: b.index,
                confidence: b.confidence,
                settled: b.pin.is_some(),
                reasons: reasons(b),
            })
            .collect();
        docs.push((n, cands));
    }
    Ok(queue::order(&docs, QUEUE_LIMIT))
}

/// An edit as the page sends it: the library's [`Edit`] JSON, except that a split names the
/// cut as `{"op": "split", "bead", "lang", "part", "offset"}` (see the module doc).
pub fn edit(store: &mut dyn TmStore, name: &str, body: &serde_json::Value) -> Result<Applied> {
    let bad = |m: String| Error::Other(m);
    let edit: Edit = if body["op"] == "split" && body.get("part").is_some() {
        let num = |k: &str| {
            body[k].as_u64().map(|v| v as usize).ok_or_else(|| bad(format!("split: {k} must be a number")))
        };
        let (bead, part, offset) = (num("bead")?, num("part")?, num("offset")?);
        let lang: Lang =
            serde_json::from_value(body["lang"].clone()).map_err(|e| bad(format!("split: lang: {e}")))?;
        let at = cut_at(store, name, bead, lang, part, offset)?;
        Edit::Split { bead, lang, at }
    } else {
        serde_json::from_value(body.clone()).map_err(|e| bad(format!("not an edit: {e}")))?
    };
    lib::apply(store, name, &edit)
}

/// The byte offset in the `lang` version of `offset` bytes into the `part`-th text of `bead`.
fn cut_at(
    store: &dyn TmStore,
    name: &str,
    bead: usize,
    lang: Lang,
    part: usize,
    offset: usize,
) -> Result<usize> {
    let view = doc(store, name)?;
    let b = view.beads.get(bead).ok_or_else(|| Error::Other(format!("no bead {bead} in {name:?}")))?;
    let side =
        b.sides.iter().find(|s| s.lang == lang).ok_or_else(|| Error::Other(format!("no {lang} version")))?;
    let text = side
        .texts
        .get(part)
        .ok_or_else(|| Error::Other(format!("bead {bead} has no text {part} in {lang}")))?;
    if offset > text.len() || !text.is_char_boundary(offset) {
        return Err(Error::Other(format!("offset {offset} is not a character boundary of that text")));
    }
    let start = if part == 0 {
        side.span.as_ref().map(|s| s.start)
    } else {
        let review =
            store.review(name)?.ok_or_else(|| Error::Other(format!("{name:?} has no stored alignment")))?;
        let sides = review.segmented();
        sides
            .iter()
            .find(|s| s.lang == lang)
            .and_then(|s| s.segments.get(side.segments.start + part))
            .map(|s| s.span.start)
    };
    let start = start.ok_or_else(|| Error::Other(format!("bead {bead} has no {lang} text to cut")))?;
    Ok(start + offset)
}
