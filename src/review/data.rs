//! What the review page reads and writes, as library calls: the queue over the selected
//! documents, one document's beads, one edit. The page's handlers only call these.

use super::queue::{self, Candidate, Entry, Reason};
use crate::tm::store::TmStore;
use serde::Serialize;

/// Most entries the queue holds (the page shows them in order; a batch of 50 articles has a
/// few hundred doubtful beads).
pub const QUEUE_LIMIT: usize = 500;

/// Confidence under which a bead gets the `low-confidence` reason when the aligner gave none.
pub const LOW: f64 = 0.5;

/// One language's part of a bead.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The language code.
    pub lang: crate::lang::Lang,
    /// Segment indices (0-based, end exclusive), when known.
    pub segments: Option<std::ops::Range<usize>>,
    /// Its texts, one per segment.
    pub texts: Vec<String>,
}

/// A bead as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Bead {
    /// Index in the document.
    pub index: usize,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Settled by a person (pinned), with what.
    pub pin: Option<String>,
    /// One entry per language of the document.
    pub sides: Vec<Side>,
}

/// A document as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    /// Its name.
    pub name: String,
    /// Its languages, in column order.
    pub langs: Vec<crate::lang::Lang>,
    /// Its beads in order.
    pub beads: Vec<Bead>,
}

/// One document's beads.
pub fn doc(store: &dyn TmStore, name: &str) -> crate::tm::Result<Doc> {
    let Some((_, units)) = store.document(name)? else {
        return Err(crate::tm::Error::Other(format!("no document {name:?} in the memory")));
    };
    let mut langs: Vec<crate::lang::Lang> =
        units.iter().flat_map(|u| u.texts.iter().map(|t| t.lang)).collect();
    langs.sort();
    langs.dedup();
    let beads = units
        .iter()
        .enumerate()
        .map(|(index, u)| Bead {
            index,
            confidence: u.confidence.unwrap_or(1.0),
            pin: (u.origin == crate::tm::Origin::Edited).then(|| "edited".to_string()),
            sides: langs
                .iter()
                .map(|&l| {
                    let t = u.texts.iter().find(|t| t.lang == l);
                    Side {
                        lang: l,
                        segments: t.and_then(|t| t.segments.clone()),
                        texts: t.map(|t| vec![t.text.clone()]).unwrap_or_default(),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Doc { name: name.to_string(), langs, beads })
}

/// The queue over `names` (every document when empty).
pub fn queue(store: &dyn TmStore, names: &[String]) -> crate::tm::Result<Vec<Entry>> {
    let names: Vec<String> = if names.is_empty() {
        store.documents()?.into_iter().map(|d| d.name).collect()
    } else {
        names.to_vec()
    };
    let mut docs = Vec::with_capacity(names.len());
    for n in names {
        let d = doc(store, &n)?;
        let cands = d
            .beads
            .iter()
            .map(|b| Candidate {
                bead: b.index,
                confidence: b.confidence,
                settled: b.pin.is_some(),
                reasons: if b.confidence < LOW {
                    vec![Reason {
                        code: "low-confidence".into(),
                        text: "the aligner is unsure of this bead".into(),
                    }]
                } else {
                    Vec::new()
                },
            })
            .collect();
        docs.push((n, cands));
    }
    Ok(queue::order(&docs, QUEUE_LIMIT))
}
