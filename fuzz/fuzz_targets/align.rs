//! Aligner invariants on two (and three) arbitrary texts, segmented and presegmented (one
//! segment a line): never a panic; beads are monotone and cover every segment of every side
//! once, in order; every bead's span is a valid slice of its side's text. The first byte picks
//! the languages; the texts are split at the first NUL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qantara::Lang;
use qantara::align::{AlignOptions, Bead, Side, align};

fn covered(beads: &[Bead], sides: &[Side<'_>], texts: &[&str]) {
    for (k, side) in sides.iter().enumerate() {
        let mut next = 0;
        let mut last_end = 0;
        for b in beads {
            let r = &b.ranges[k];
            // a split bead repeats its one segment on that side
            assert!(r.start == next || (b.parts[k].is_some() && r.start + 1 == next), "side {k}: {r:?} after {next}");
            next = r.end;
            if let Some(span) = b.span(k, side) {
                assert!(span.start >= last_end && span.end <= texts[k].len());
                assert!(texts[k].is_char_boundary(span.start) && texts[k].is_char_boundary(span.end));
                last_end = span.end;
            }
            let _ = b.texts(k, side);
        }
        assert_eq!(next, side.segments.len(), "side {k} not covered");
    }
}

fn side(text: &str, lang: Lang, presegmented: bool) -> Side<'_> {
    if presegmented { Side::from_lines(text, lang) } else { Side::from_text(text, lang) }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (la, lb) = (Lang::ALL[data[0] as usize % 3], Lang::ALL[(data[0] as usize / 3) % 3]);
    let Ok(text) = std::str::from_utf8(&data[1..]) else { return };
    let (a, b) = text.split_once('\0').unwrap_or((text, ""));
    let opts = AlignOptions::default();
    for presegmented in [false, true] {
        let side = |t, l| side(t, l, presegmented);
        let sides = [side(a, la), side(b, lb)];
        covered(&align(&sides, &opts), &sides, &[a, b]);
        if data[0] & 0x80 != 0 {
            let (b1, c) = b.split_once('\0').unwrap_or((b, a));
            let sides3 = [side(a, Lang::Ar), side(b1, Lang::Fr), side(c, Lang::En)];
            covered(&align(&sides3, &opts), &sides3, &[a, b1, c]);
        }
    }
});
