//! Glossary CSV reader on arbitrary text: never panics; what it accepts builds a glossary
//! (matcher included) and can be written back as CSV and read again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::formats::csv;
use qantara::glossary::Glossary;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (concepts, problems) = csv::read(text);
    if !problems.is_empty() || concepts.is_empty() {
        return;
    }
    let g = Glossary::from_concepts(concepts);
    let _ = g.find(text, None);
    let _ = g.lookup(text, None, 5);
    let mut out = Vec::new();
    csv::write(&g, &mut out).unwrap();
    let _ = csv::read(std::str::from_utf8(&out).unwrap());
});
