//! TBX reader on arbitrary text: never panics; whatever it accepts can be built into a
//! glossary (matcher included), written back as TBX v3 and v2, and read again without problems.
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
        let (back, _) = tbx::read(std::str::from_utf8(&out).unwrap());
        assert!(back.len() <= n.max(g.len()));
    }
});
