//! Segmenter invariant on arbitrary text, for each language: segments are in order, do not
//! overlap, are exact slices, and only whitespace lies between them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::Lang;
use qantara::segment::segment;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for lang in Lang::ALL {
        let mut pos = 0;
        for s in segment(text, lang) {
            assert!(s.span.start >= pos && s.span.end <= text.len());
            assert!(text[pos..s.span.start].trim().is_empty());
            assert_eq!(s.text, &text[s.span.start..s.span.end]);
            pos = s.span.end;
        }
        assert!(text[pos..].trim().is_empty());
    }
});
