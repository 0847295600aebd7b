//! Terminology check on two arbitrary documents (split at the first NUL; the first byte picks
//! the languages), aligned as `qantara check` aligns them, and on the same texts as one
//! pre-aligned pair a line: never a panic; every issue names an existing pair.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::Lang;
use qantara::glossary::Glossary;
use qantara::glossary::check::{Pair, check_documents, check_pairs};
use std::sync::OnceLock;

fn glossary() -> &'static Glossary {
    static G: OnceLock<Glossary> = OnceLock::new();
    G.get_or_init(qantara::formats::glossary::builtin)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (sl, tl) = (Lang::ALL[data[0] as usize % 3], Lang::ALL[(data[0] as usize / 3) % 3]);
    if sl == tl {
        return;
    }
    let Ok(text) = std::str::from_utf8(&data[1..]) else { return };
    let (src, tgt) = text.split_once('\0').unwrap_or((text, text));
    let g = glossary();
    let report = check_documents(g, src, tgt, sl, tl, 1);
    for i in &report.issues {
        assert!(i.pair >= 1 && i.pair <= report.pairs, "{i:?}");
    }
    let pairs: Vec<Pair> = src
        .lines()
        .zip(tgt.lines())
        .enumerate()
        .map(|(k, (s, t))| Pair { src: s.to_string(), tgt: t.to_string(), origin: format!("line {}", k + 1) })
        .collect();
    let report = check_pairs(g, &pairs, sl, tl, 0);
    assert_eq!(report.pairs, pairs.len());
});
