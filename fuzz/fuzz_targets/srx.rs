//! SRX reader and SRX segmenter on arbitrary input. The input is split at the first NUL byte:
//! the SRX document, then a text to segment. Nothing panics; when the rules compile for a
//! language, segments are in order, exact slices, with only whitespace between them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::Lang;
use qantara::formats::srx;
use qantara::segment::Segmenter;
use qantara::segment::srx::SrxSegmenter;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let (xml, text) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"Le Dr. Martin est venu. Il est reparti! Puis? Fin."[..]),
    };
    let (Ok(xml), Ok(text)) = (std::str::from_utf8(xml), std::str::from_utf8(text)) else { return };
    let Ok(rules) = srx::read(xml, Path::new("fuzz.srx")) else { return };
    let _ = srx::write(&rules);
    for lang in Lang::ALL {
        let Ok(compiled) = SrxSegmenter::new(&rules, lang) else { continue };
        let seg = Segmenter::srx(compiled);
        let mut pos = 0;
        for s in seg.segment(text) {
            assert!(s.span.start >= pos && s.span.end <= text.len());
            assert!(text[pos..s.span.start].trim().is_empty());
            assert_eq!(s.text, &text[s.span.start..s.span.end]);
            pos = s.span.end;
        }
        assert!(text[pos..].trim().is_empty());
    }
});
