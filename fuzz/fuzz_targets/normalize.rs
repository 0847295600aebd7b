//! Normalizer invariants on arbitrary text: offsets map inside the original on char
//! boundaries, the key-only path agrees with the mapped path, tokens slice the original.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::normalize::{key, normalize, tokenize};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let n = normalize(text);
    assert_eq!(n.key, key(text));
    for (i, _) in n.key.char_indices() {
        let o = n.original_offset(i);
        assert!(o <= text.len() && text.is_char_boundary(o));
    }
    for t in tokenize(&n) {
        assert!(t.span.start <= t.span.end && t.span.end <= text.len());
        let _ = t.span.slice(text);
        let _ = t.clitic_splits();
    }
});
