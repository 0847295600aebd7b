//! Glossary matcher invariants on arbitrary text, as `annotate`, `term` and `glossary lookup`
//! use it with the built-in glossary: never a panic; every hit span is a non-empty slice of its
//! segment on char boundaries, hits in order of start; a hit's concept and term exist.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::Lang;
use qantara::glossary::Glossary;
use qantara::glossary::matcher::Options;
use std::sync::OnceLock;

fn glossary() -> &'static Glossary {
    static G: OnceLock<Glossary> = OnceLock::new();
    G.get_or_init(qantara::formats::glossary::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let g = glossary();
    for lang in Lang::ALL {
        let segments = qantara::segment::segment(text, lang);
        let mut per_segment = Vec::new();
        for seg in &segments {
            let relaxed = Options { cased: false, name_typos: true };
            for hits in [
                g.find(seg.text, Some(lang)),
                g.find_any_case(seg.text, None),
                g.matcher().find_opts(seg.text, |l| l == lang, 0.5, relaxed),
            ] {
                for h in &hits {
                    assert!(h.span.start < h.span.end && h.span.end <= seg.text.len(), "{:?} in {:?}", h.span, seg.text);
                    assert!(seg.text.is_char_boundary(h.span.start) && seg.text.is_char_boundary(h.span.end));
                    assert!((0.0..=1.0).contains(&h.score));
                    let _ = g.term_of(h);
                }
                per_segment.push(hits);
            }
        }
        let _ = g.in_context(per_segment);
        for m in g.lookup(text, Some(lang), 5) {
            let _ = m;
        }
    }
});
