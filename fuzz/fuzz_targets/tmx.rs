//! TMX reader and validator on arbitrary bytes: neither panics, the reader ends (error or end
//! of body) and never expands entities; units it returns survive write → read unchanged in
//! their texts' count and languages, and hold no character XML 1.0 forbids.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::formats::tmx::{Reader, Writer, validate};
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let mut reader = Reader::new(data);
    let mut units = Vec::new();
    // A unit consumes at least one byte of input, so the loop is bounded by the input length.
    for _ in 0..=data.len() {
        match reader.next_unit() {
            Ok(Some(u)) => units.push(u),
            Ok(None) | Err(_) => break,
        }
    }
    assert!(reader.position() as usize <= data.len());
    // Entity expansion would make text longer than the input.
    let total: usize = units.iter().flat_map(|u| u.texts.iter().map(|(_, t)| t.len())).sum();
    assert!(total <= data.len() * 4 + 16, "text grew beyond the input: entities expanded?");

    let mut w = Writer::with_srclang(Vec::new(), None).unwrap();
    for u in &units {
        w.write_unit(u).unwrap();
    }
    let w_replaced = w.replaced();
    let out = w.finish().unwrap();
    // Never a character XML 1.0 forbids in what qantara writes (nor in what it accepted).
    assert_eq!(qantara::xml::first(std::str::from_utf8(&out).unwrap()), None);
    assert_eq!(w_replaced, 0, "the reader let a character XML 1.0 forbids through");
    let mut back = Reader::new(out.as_slice());
    for u in &units {
        let r = back.next_unit().expect("our own TMX reads back").expect("as many units");
        let langs = |x: &qantara::formats::tmx::TmxUnit| x.texts.iter().map(|(l, _)| *l).collect::<Vec<_>>();
        assert_eq!(langs(&r), langs(u));
    }

    // The validator reads from a path.
    let path = std::env::temp_dir().join(format!("qantara-fuzz-tmx-{}.tmx", std::process::id()));
    if let Ok(mut f) = std::fs::File::create(&path) {
        let _ = f.write_all(data);
        drop(f);
        let _ = validate(&path);
    }
});
