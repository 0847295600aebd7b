//! TBX reader on arbitrary text: never panics; whatever it accepts can be built into a
//! glossary (matcher included), written back as TBX v3 and v2 holding no character XML 1.0
//! forbids, and read again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::formats::tbx::{self, Dialect};
use qantara::glossary::Glossary;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (concepts, problems) = tbx::read(text);
    if !problems.is_empty() || concepts.is_empty() {
        return;
    }
    let n = concepts.len();
    let g = Glossary::from_concepts(concepts);
    let _ = g.find(text, None);
    for dialect in [Dialect::V3, Dialect::V2] {
        let mut out = Vec::new();
        tbx::write(&g, dialect, &mut out).unwrap();
        let out = std::str::from_utf8(&out).unwrap();
        // Never a character XML 1.0 forbids in what qantara writes.
        assert_eq!(qantara::xml::first(out), None);
        let (back, _) = tbx::read(out);
        assert!(back.len() <= n.max(g.len()));
    }
});
