//! Decoding invariant on arbitrary bytes, with no encoding named and with each legacy encoding
//! qantara documents: never a panic; a decoded text has no CR; bytes that are valid UTF-8
//! without a BOM decode to themselves (apart from line ends) whatever encoding is named.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::input::{decode_in, encoding_for_label};
use std::path::Path;

const LABELS: [Option<&str>; 6] =
    [None, Some("windows-1256"), Some("iso-8859-6"), Some("windows-1252"), Some("utf-16le"), Some("utf-16be")];

fuzz_target!(|data: &[u8]| {
    let utf8 = std::str::from_utf8(data).ok().filter(|s| !s.starts_with('\u{feff}') && !s.contains('\0'));
    for label in LABELS {
        let encoding = label.map(|l| encoding_for_label(l).expect("a known label"));
        if let Ok(text) = decode_in(data, Path::new("fuzz.txt"), encoding) {
            assert!(!text.contains('\r'));
            if let Some(s) = utf8 {
                assert_eq!(text, s.replace("\r\n", "\n").replace('\r', "\n"));
            }
        }
    }
});
