//! A word-pair lexicon bootstrapped from the document itself (as hunalign does).
//!
//! # Idea
//! Most beads of a first alignment pass are right. Over them, a word that translates another
//! co-occurs with it bead after bead: `أمطار` with `pluies`, `الحرارة` with `température`.
//! Pairs that co-occur in at least two beads with a Dice coefficient `2·c(a,b) / (c(a)+c(b))`
//! of at least [`MIN_DICE`], each word keeping its single best partner (mutual best), become
//! anchors of the second pass. They carry the first pass's evidence into the stretches it got
//! wrong: a pair learnt from five right beads pulls the sixth into place.
//!
//! # Why it is valid
//! Everything is learnt from the two texts being aligned; nothing is stored. A pair learnt from
//! a wrong bead needs a second co-occurrence to be kept, and frequent words (function words
//! co-occur everywhere) gain little because anchor weights are divided by how many segments
//! hold them.
//!
//! # Words
//! Arabic words by their light stem with a few suffixes removed (`والأمطار` → `امطار`), Latin
//! words by their first six letters (`pluies`/`pluie` → `pluie`, `température` → `temper`);
//! words shorter than three letters and numbers are left out (numbers are anchors already).

use crate::normalize::{self, arabic};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Word ids are already hashes: hashing them again (SipHash) would only cost time.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = self.0.rotate_left(29) ^ x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
use std::ops::Range;

/// Minimum Dice coefficient of a learnt pair.
pub const MIN_DICE: f64 = 0.6;

/// The word ids of a segment text (see the module doc), deduplicated.
pub fn words(text: &str) -> Vec<u64> {
    words_of(&normalize::tokens(text))
}

/// [`words`] from tokens already computed.
pub fn words_of(toks: &[normalize::Token]) -> Vec<u64> {
    let mut out: Vec<u64> = toks
        .iter()
        .filter(|t| !t.is_number() && t.key.chars().count() >= 3)
        .map(|t| {
            let w = if t.is_arabic() {
                strip_suffix(arabic::light_stem(&t.key)).to_string()
            } else {
                t.key.chars().take(6).collect()
            };
            super::anchors::Anchor { kind: super::anchors::AnchorKind::Concept, key: format!("w:{w}") }.id()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn strip_suffix(w: &str) -> &str {
    for suf in ["ات", "ون", "ين", "ها", "هم", "ه", "ي"] {
        if let Some(s) = w.strip_suffix(suf) {
            if s.chars().count() >= 3 {
                return s;
            }
        }
    }
    w
}

/// Learns word pairs from beads (ranges of units of each side) and returns, for each unit of
/// each side, the ids of the learnt pairs it holds.
pub fn learn(
    words_a: &[Vec<u64>],
    words_b: &[Vec<u64>],
    beads: &[(Range<usize>, Range<usize>)],
) -> (Vec<Vec<u64>>, Vec<Vec<u64>>) {
    let (pair_of_a, pair_of_b) = learn_maps(words_a, words_b, beads);
    (tag(words_a, &pair_of_a), tag(words_b, &pair_of_b))
}

/// A learnt lexicon seen from one side: word id → id of the word pair it belongs to.
pub type Learnt = HashMap<u64, u64>;

/// The word ids of each unit that belong to a learnt pair, as pair ids.
pub fn tag(words: &[Vec<u64>], map: &Learnt) -> Vec<Vec<u64>> {
    words.iter().map(|ws| ws.iter().filter_map(|x| map.get(x).copied()).collect()).collect()
}

/// The word pairs learnt from `beads` (see [`learn`]), as a map per side.
pub fn learn_maps(
    words_a: &[Vec<u64>],
    words_b: &[Vec<u64>],
    beads: &[(Range<usize>, Range<usize>)],
) -> (Learnt, Learnt) {
    let pool = |w: &[Vec<u64>], r: &Range<usize>| {
        let mut v: Vec<u64> = w[r.clone()].iter().flatten().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut ca: IdMap<u64, u32> = IdMap::default();
    let mut cb: IdMap<u64, u32> = IdMap::default();
    let mut cab: IdMap<(u64, u64), u32> = IdMap::default();
    for (ra, rb) in beads.iter().filter(|(a, b)| !a.is_empty() && !b.is_empty()) {
        let (wa, wb) = (pool(words_a, ra), pool(words_b, rb));
        for &a in &wa {
            *ca.entry(a).or_default() += 1;
        }
        for &b in &wb {
            *cb.entry(b).or_default() += 1;
        }
        for &a in &wa {
            for &b in &wb {
                *cab.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut cands: Vec<(f64, u64, u64)> = cab
        .into_iter()
        .filter(|&(_, c)| c >= 2)
        .map(|((a, b), c)| (2.0 * c as f64 / (ca[&a] + cb[&b]) as f64, a, b))
        .filter(|x| x.0 >= MIN_DICE)
        .collect();
    // best first; ties broken by ids so that runs are deterministic
    cands.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut pair_of_a: HashMap<u64, u64> = HashMap::new();
    let mut pair_of_b: HashMap<u64, u64> = HashMap::new();
    for (_, a, b) in cands {
        if pair_of_a.contains_key(&a) || pair_of_b.contains_key(&b) {
            continue;
        }
        let id = a.rotate_left(17) ^ b ^ 0x9e37_79b9_7f4a_7c15;
        pair_of_a.insert(a, id);
        pair_of_b.insert(b, id);
    }
    (pair_of_a, pair_of_b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_pair_that_co_occurs_twice() {
        let a: Vec<Vec<u64>> =
            ["أمطار غزيرة اليوم", "الأمطار في الجنوب", "الرياح قوية"].iter().map(|t| words(t)).collect();
        let b: Vec<Vec<u64>> = ["Pluies fortes aujourd'hui", "Les pluies du sud", "Vents forts"]
            .iter()
            .map(|t| words(t))
            .collect();
        let beads: Vec<_> = (0..3).map(|k| (k..k + 1, k..k + 1)).collect();
        let (ta, tb) = learn(&a, &b, &beads);
        assert_eq!(ta[0].len(), 1, "{ta:?}");
        assert_eq!(ta[0], tb[0]);
        assert_eq!(ta[1], tb[1]);
        assert!(ta[2].is_empty() && tb[2].is_empty());
    }
}
