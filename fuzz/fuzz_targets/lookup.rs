//! Lookup scoring, word diff and concordance marks on two arbitrary texts (query and stored
//! source, split at the first NUL): never a panic; a score lies in 0–100 and a text scores 100
//! against itself; the diff of a text against itself is the text; concordance spans are
//! ordered, non-overlapping slices on char boundaries, and a text's own keys are found in it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::tm::concordance::find;
use qantara::tm::keys::compare_keys;
use qantara::tm::lookup::{score, word_diff};

fn spans_ok(text: &str, spans: &[(usize, usize)]) {
    let mut pos = 0;
    for &(s, e) in spans {
        assert!(pos <= s && s < e && e <= text.len(), "{spans:?} in {text:?}");
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        pos = e;
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (query, source) = text.split_once('\0').unwrap_or((text, text));
    let qk = compare_keys(query);
    let sk = compare_keys(source);
    let q: Vec<&str> = qk.iter().map(String::as_str).collect();
    let s: Vec<&str> = sk.iter().map(String::as_str).collect();
    assert!(score(&q, &s) <= 100);
    if !q.is_empty() {
        assert_eq!(score(&q, &q), 100);
        // nothing differs, so nothing is marked: the diff is the text itself (which may hold
        // `{+` of its own)
        assert_eq!(word_diff(query, &q, query), query);
    }
    let _ = word_diff(query, &q, source);
    let _ = word_diff(source, &s, query);
    if !qk.is_empty() {
        let spans = find(source, &qk);
        spans_ok(source, &spans);
        assert!(!find(query, &qk).is_empty(), "{query:?} not found in itself");
    }
    // every single word of the source is found in it
    for k in sk.iter().take(8) {
        let spans = find(source, std::slice::from_ref(k));
        assert!(!spans.is_empty());
        spans_ok(source, &spans);
    }
});
