//! What the review page reads and writes, as library calls over [`crate::tm::review`]: the
//! queue over the selected documents, one document's beads, one edit. The page's handlers only
//! call these.
//!
//! The one translation done here: the page names a cut point as (bead, language, which of the
//! bead's texts in that language, UTF-8 byte offset in that text), what a caret in the page
//! gives; [`crate::tm::review::Edit::Split`] wants a byte offset in the version's text, found
//! from the segment's span in the stored version.

use super::queue::{self, Candidate, Entry, Reason};
use crate::align::confidence::Risk;
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

/// Why a bead may be wrong: the aligner's typed risks ([`crate::align::confidence::assess`]
/// on the stored alignment; its risks are not stored), `low-confidence` from the stored
/// confidence, and `one-sided` when the bead has text in one language only.
fn reasons(b: &lib::BeadView, risks: Option<&[Risk]>) -> Vec<Reason> {
    let reason = |r: Risk| Reason { code: r.name().into(), text: r.explain().into() };
    let mut out = Vec::new();
    if b.confidence < LOW {
        out.push(reason(Risk::LowConfidence));
    }
    out.extend(risks.unwrap_or(&[]).iter().filter(|&&r| r != Risk::LowConfidence).map(|&r| reason(r)));
    let held = b.sides.iter().filter(|s| !s.texts.is_empty()).count();
    if held == 1 && b.sides.len() > 1 && !out.iter().any(|r| r.code == Risk::OneSidedBeside.name()) {
        out.push(Reason {
            code: "one-sided".into(),
            text: "text in one language only: a translation may be missing or misplaced".into(),
        });
    }
    out
}

/// The aligner's risks of each stored bead of `name`, if the memory keeps its alignment.
fn risks(store: &dyn TmStore, name: &str) -> Result<Option<Vec<Vec<Risk>>>> {
    let Some(review) = store.review(name)? else { return Ok(None) };
    let sides = review.segmented();
    let mut beads = review.plain_beads();
    crate::align::confidence::assess(&sides, &mut beads, LOW);
    Ok(Some(beads.into_iter().map(|b| b.risks).collect()))
}

/// The queue over `names` (every reviewable document when empty).
pub fn queue(store: &dyn TmStore, names: &[String]) -> Result<Vec<Entry>> {
    let mut docs = Vec::new();
    for n in documents(store, names)? {
        let d = doc(store, &n)?;
        let risks = risks(store, &n)?.filter(|r| r.len() == d.beads.len());
        let cands = d
            .beads
            .iter()
            .map(|b| Candidate {
                bead: b.index,
                confidence: b.confidence,
                settled: b.pin.is_some(),
                reasons: reasons(b, risks.as_ref().map(|r| r[b.index].as_slice())),
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
