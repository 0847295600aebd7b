//! The review queue: the beads of many documents in one list, riskiest first.
//!
//! # Order
//! A bead's confidence is the aligner's calibrated probability that it is right, so
//! `1 − confidence` is the probability that it is wrong; the queue sorts by it, highest first,
//! across every document given, so a desk reviews the worst beads of a whole batch before the
//! merely doubtful ones of any single article. Ties go by document name (byte order), then by
//! bead position, so the order is total and the same on every run. Settled beads (pinned:
//! confirmed, merged, split or moved by a person) leave the queue: a person already decided.
//!
//! # Invariants
//! The result is sorted by (`p_wrong` descending, `doc`, `bead`), holds no settled bead and at
//! most `limit` entries, and every entry names a bead of its input.

use serde::Serialize;

/// One bead offered to the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Its index in its document's beads.
    pub bead: usize,
    /// The aligner's confidence in [0, 1] (probability that the bead is right).
    pub confidence: f64,
    /// A person already decided on it (a pin covers it).
    pub settled: bool,
    /// Why it may be wrong, most telling first.
    pub reasons: Vec<Reason>,
}

/// Why a bead may be wrong: a stable code (for programs and CSS) and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// `low-confidence`, `one-sided-beside`, `numbers-disagree`, `split`, `unpunctuated-end`, …
    pub code: String,
    /// What it means, for the reviewer.
    pub text: String,
}

/// One entry of the queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The document.
    pub doc: String,
    /// The bead's index in it.
    pub bead: usize,
    /// Probability that the bead is wrong (`1 − confidence`).
    pub p_wrong: f64,
    /// Why.
    pub reasons: Vec<Reason>,
}

/// Builds the queue from each document's candidates (see the module doc).
pub fn order(docs: &[(String, Vec<Candidate>)], limit: usize) -> Vec<Entry> {
    let mut out: Vec<Entry> = docs
        .iter()
        .flat_map(|(doc, cands)| {
            cands.iter().filter(|c| !c.settled).map(move |c| Entry {
                doc: doc.clone(),
                bead: c.bead,
                p_wrong: (1.0 - c.confidence).clamp(0.0, 1.0),
                reasons: c.reasons.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.p_wrong.total_cmp(&a.p_wrong).then_with(|| a.doc.cmp(&b.doc)).then_with(|| a.bead.cmp(&b.bead))
    });
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn c(bead: usize, confidence: f64, settled: bool) -> Candidate {
        Candidate { bead, confidence, settled, reasons: Vec::new() }
    }

    #[test]
    fn riskiest_first_across_documents_settled_ones_out() {
        let docs = vec![
            ("b".to_string(), vec![c(0, 0.9, false), c(1, 0.2, false), c(2, 0.1, true)]),
            ("a".to_string(), vec![c(0, 0.2, false), c(1, 0.6, false)]),
        ];
        let q = order(&docs, 10);
        let got: Vec<(&str, usize)> = q.iter().map(|e| (e.doc.as_str(), e.bead)).collect();
        assert_eq!(got, vec![("a", 0), ("b", 1), ("a", 1), ("b", 0)]);
        assert!((q[0].p_wrong - 0.8).abs() < 1e-9);
        assert_eq!(order(&docs, 2).len(), 2);
    }

    proptest! {
        #[test]
        fn sorted_bounded_and_never_settled(
            docs in prop::collection::vec(
                ("\\PC{0,6}", prop::collection::vec((0.0f64..=1.0, any::<bool>()), 0..20)),
                0..5,
            ),
            limit in 0usize..50,
        ) {
            let docs: Vec<(String, Vec<Candidate>)> = docs
                .into_iter()
                .map(|(d, v)| (d, v.into_iter().enumerate().map(|(i, (p, s))| c(i, p, s)).collect()))
                .collect();
            let q = order(&docs, limit);
            let open: usize = docs.iter().map(|(_, v)| v.iter().filter(|c| !c.settled).count()).sum();
            prop_assert_eq!(q.len(), open.min(limit));
            for w in q.windows(2) {
                prop_assert!(w[0].p_wrong > w[1].p_wrong
                    || (w[0].p_wrong == w[1].p_wrong && (&w[0].doc, w[0].bead) <= (&w[1].doc, w[1].bead)));
            }
            for e in &q {
                let found = docs.iter().any(|(d, v)| d == &e.doc && v.iter().any(|c| c.bead == e.bead && !c.settled));
                prop_assert!(found);
            }
        }
    }
}
