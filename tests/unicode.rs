//! Any text, never a crash: a property test and a sweep over the characters that change length
//! under Unicode normalization or case folding.
//!
//! NFKC, NFKD and lower-casing can turn one character into several (`½` → `1⁄2`, `ﷺ` → a
//! phrase, `İ` → `i̇`, a Hangul syllable → its jamo) or change its UTF-8 length (full-width
//! `Ａ` → `A`); byte spans of tokens made from such characters once overlapped and every stage
//! that sliced the original between two spans panicked. [`expanding`] computes that set from
//! `unicode-normalization` and `char::to_lowercase` over every scalar value (nothing is listed
//! by hand), and:
//!
//! * the property test builds arbitrary strings from any scalar, from that set and from the
//!   characters around which spans are cut (spaces, digits, `.`, Arabic letters, combining
//!   marks, bidi controls), and checks the span invariant of every producer of spans (tokens,
//!   segments, glossary hits, concordance marks) and that the other consumers (anchors, word
//!   diff, term lookup) do not panic;
//! * the sweep puts every scalar of the set into sentences (alone, beside digits, beside Arabic
//!   letters, beside a glossary term) and runs them through segment, align (2- and 3-way, raw
//!   and presegmented), annotate, check, term, store, lookup, concordance, batch and TMX/TSV
//!   export and import, in the library; `hostile.rs` runs a representative subset through the
//!   real binary.

use proptest::prelude::*;
use qantara::Lang;
use qantara::align::{AlignOptions, Bead, Side, align};
use qantara::glossary::Glossary;
use qantara::glossary::check::check_documents;
use qantara::normalize;
use qantara::tm::keys::compare_keys;
use qantara::tm::store::{SqliteStore, TmStore, write_document};
use qantara::tm::{NewUnit, Origin, UnitText};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Every scalar value whose NFKC, NFKD or lower-case form differs from it in length (in
/// characters or in UTF-8 bytes), in code point order.
pub fn expanding() -> &'static [char] {
    static SET: OnceLock<Vec<char>> = OnceLock::new();
    SET.get_or_init(|| {
        let differs = |c: char, it: &mut dyn Iterator<Item = char>| {
            let (mut n, mut bytes) = (0, 0);
            for x in it {
                n += 1;
                bytes += x.len_utf8();
            }
            n != 1 || bytes != c.len_utf8()
        };
        (0..=0x10_FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| {
                differs(c, &mut std::iter::once(c).nfkc())
                    || differs(c, &mut std::iter::once(c).nfkd())
                    || differs(c, &mut c.to_lowercase())
            })
            .collect()
    })
}

fn glossary() -> &'static Glossary {
    static G: OnceLock<Glossary> = OnceLock::new();
    G.get_or_init(qantara::formats::glossary::builtin)
}

#[test]
fn the_expanding_set_is_computed_and_holds_the_known_cases() {
    let set = expanding();
    // Precomposed é is in it too: its NFKD form is e + U+0301.
    for c in ['½', '¾', '⅓', 'ﷺ', 'İ', 'ﬁ', '℁', 'Ａ', '한', 'ẞ', 'ǅ', 'é'] {
        assert!(set.binary_search(&c).is_ok(), "{c:?} ({:04X}) missing", c as u32);
    }
    for c in ['a', 'e', 'ب', '1', ' ', '.'] {
        assert!(set.binary_search(&c).is_err(), "{c:?} should not be in the set");
    }
    // 11,172 Hangul syllables alone; the whole set is larger.
    assert!(set.len() > 12_000, "{}", set.len());
}

/// Asserts that `spans` are non-empty, on char boundaries of `text`, in order and not
/// overlapping.
fn assert_spans(text: &str, spans: impl IntoIterator<Item = (usize, usize)>, what: &str) {
    let mut pos = 0;
    for (s, e) in spans {
        assert!(s < e && e <= text.len(), "{what}: {s}..{e} in {text:?}");
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "{what}: {s}..{e} off a char boundary in {text:?}"
        );
        assert!(pos <= s, "{what}: {s}..{e} overlaps the previous span (ends at {pos}) in {text:?}");
        pos = e;
    }
}

/// Every span producer and span consumer on one text.
fn check_text(text: &str) {
    let toks = normalize::tokens(text);
    assert_spans(text, toks.iter().map(|t| (t.span.start, t.span.end)), "tokens");
    for t in &toks {
        assert!(!t.key.is_empty(), "empty token key in {text:?}");
    }
    for lang in Lang::ALL {
        let segs = qantara::segment::segment(text, lang);
        assert_spans(text, segs.iter().map(|s| (s.span.start, s.span.end)), "segments");
        let mut pos = 0;
        for s in &segs {
            assert_eq!(s.text, &text[s.span.start..s.span.end]);
            assert!(text[pos..s.span.start].trim().is_empty(), "text lost between segments of {text:?}");
            pos = s.span.end;
        }
        assert!(text[pos..].trim().is_empty(), "text lost after the segments of {text:?}");
        let _ =
            qantara::align::anchors::anchors(text, lang, &qantara::align::anchors::DocContext::new([text]));
    }
    for h in glossary().find_any_case(text, None) {
        assert!(h.span.start < h.span.end && h.span.end <= text.len(), "hit {:?} in {text:?}", h.span);
        assert!(text.is_char_boundary(h.span.start) && text.is_char_boundary(h.span.end));
    }
    let keys = compare_keys(text);
    if !keys.is_empty() {
        // the text's own keys, and a phrase of two of them, are found in it
        let spans = qantara::tm::concordance::find(text, &keys);
        assert!(!spans.is_empty(), "{text:?} not found in itself");
        assert_spans(text, spans, "concordance");
        let mid = keys.len() / 2;
        let phrase = &keys[mid..keys.len().min(mid + 2)];
        assert_spans(text, qantara::tm::concordance::find(text, phrase), "concordance phrase");
        let q: Vec<&str> = keys.iter().map(String::as_str).collect();
        assert_eq!(qantara::tm::lookup::score(&q, &q), 100);
        let diff = qantara::tm::lookup::word_diff(text, &q, text);
        assert_eq!(diff, text, "the diff of a text against itself is the text");
        let shorter: Vec<&str> = q[..mid].to_vec();
        let _ = qantara::tm::lookup::word_diff(text, &q, &text[..toks[mid].span.start]);
        let _ = qantara::tm::lookup::score(&q, &shorter);
    }
    let _ = glossary().lookup(text, None, 3);
}

/// A character for the property test: any scalar, one of the expanding set, or one of the
/// characters next to which spans are cut.
fn piece() -> impl Strategy<Value = char> {
    let set = expanding();
    prop_oneof![
        3 => any::<char>(),
        4 => (0..set.len()).prop_map(move |i| set[i]),
        3 => prop::sample::select(vec![
            ' ', ' ', '.', ',', '1', '7', '٣', '٫', '٬', 'a', 'D', 'ب', 'ا', 'ل', '\u{301}', '\u{64E}',
            '\u{651}', '\u{200B}', '\u{200D}', '\u{FEFF}', '\u{202E}', '\u{2067}', '\u{200F}', '\n', '?', '-',
        ]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn spans_hold_on_arbitrary_unicode(chars in prop::collection::vec(piece(), 0..48)) {
        let text: String = chars.into_iter().collect();
        check_text(&text);
    }

    #[test]
    fn spans_hold_beside_glossary_terms(a in prop::collection::vec(piece(), 0..6), b in prop::collection::vec(piece(), 0..6)) {
        let (a, b): (String, String) = (a.into_iter().collect(), b.into_iter().collect());
        check_text(&format!("{a}DGSN{b} la D.G.S.N{a}. {b}المديرية العامة للأمن الوطني{a} Police nationale{b}"));
    }
}

/// The sentences of one language in which the characters `cs` are swept: alone (as words),
/// beside digits, beside Arabic letters, beside a glossary term. Each sentence holds every
/// character of the group, so a sweep of 13,000 characters is 1,700 sentences a kind.
fn sentences(cs: &[char], i: usize, lang: Lang) -> [String; 4] {
    let each = |f: &dyn Fn(char) -> String| cs.iter().map(|&c| f(c)).collect::<Vec<_>>().join(" ");
    let alone = each(&|c| c.to_string());
    let digits = each(&|c| format!("12{c}34 {c}7"));
    let arabic = each(&|c| format!("قال{c}ب الأمن{c}"));
    match lang {
        Lang::Fr => [
            alone,
            format!("Le point {i} vaut {digits} euros."),
            format!("Il a dit {arabic} hier."),
            format!("La DGSN{} et la {}Police nationale {i} ont parlé.", cs[0], cs[cs.len() - 1])
                + &each(&|c| format!(" DGSN{c}")),
        ],
        Lang::En => [
            alone,
            format!("Item {i} is worth {digits} euros."),
            format!("He said {arabic} yesterday."),
            format!("The DGSN{} and the {}National Police {i} spoke.", cs[0], cs[cs.len() - 1])
                + &each(&|c| format!(" DGSN{c}")),
        ],
        Lang::Ar => [
            alone,
            format!("البند {i} يساوي {digits} يورو."),
            format!("{arabic} بخير."),
            format!("أعلنت المديرية العامة للأمن الوطني{} أن {}المديرية {i} تعمل.", cs[0], cs[cs.len() - 1])
                + &each(&|c| format!(" المديرية العامة للأمن الوطني{c}")),
        ],
    }
}

/// Beads cover every segment of every side once, in order; spans are slices of the text.
fn assert_beads(beads: &[Bead], sides: &[Side<'_>], texts: &[&str], what: &str) {
    for (k, side) in sides.iter().enumerate() {
        let (mut next, mut last) = (0, 0);
        for b in beads {
            let r = &b.ranges[k];
            assert!(
                r.start == next || (b.parts[k].is_some() && r.start + 1 == next),
                "{what}: side {k} bead {r:?} after {next}"
            );
            next = r.end;
            if let Some(span) = b.span(k, side) {
                assert!(span.start >= last && span.end <= texts[k].len(), "{what}: bead span {span:?}");
                assert!(texts[k].is_char_boundary(span.start) && texts[k].is_char_boundary(span.end));
                last = span.end;
            }
        }
        assert_eq!(next, side.segments.len(), "{what}: side {k} not covered");
    }
}

fn side(text: &str, lang: Lang, presegmented: bool) -> Side<'_> {
    if presegmented { Side::from_lines(text, lang) } else { Side::from_text(text, lang) }
}

/// Every scalar of [`expanding`], in chunks of documents, through the library.
#[test]
fn every_expanding_character_goes_through_every_stage() {
    /// Characters per sentence, and groups (of four sentences a language) per document.
    const GROUP: usize = 8;
    const CHUNK: usize = 40;
    let set = expanding();
    let g = glossary();
    let opts = AlignOptions::default();
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("tm.sqlite")).unwrap();
    let mut aligned = SqliteStore::open(&dir.path().join("aligned.sqlite")).unwrap();
    let mut aligned_units = 0;
    let mut stored: Vec<String> = Vec::new();
    let t0 = std::time::Instant::now();
    let mut spent = [std::time::Duration::ZERO; 6];
    let mut lap = std::time::Instant::now();
    let mut tick = |k: usize| {
        spent[k] += lap.elapsed();
        lap = std::time::Instant::now();
    };
    for (n, chunk) in set.chunks(GROUP * CHUNK).enumerate() {
        let lines = |lang| -> Vec<String> {
            chunk.chunks(GROUP).enumerate().flat_map(|(i, cs)| sentences(cs, n * CHUNK + i, lang)).collect()
        };
        let (ar, fr, en) = (lines(Lang::Ar), lines(Lang::Fr), lines(Lang::En));
        let docs = [ar.join("\n"), fr.join("\n"), en.join("\n")];
        // segment: every segment an exact slice, nothing but white space between them
        for (doc, lang) in docs.iter().zip(Lang::ALL) {
            let segs = qantara::segment::segment(doc, lang);
            let mut pos = 0;
            for s in &segs {
                assert!(s.span.start >= pos && doc[pos..s.span.start].trim().is_empty(), "chunk {n}");
                assert_eq!(s.text, &doc[s.span.start..s.span.end]);
                pos = s.span.end;
            }
            assert!(doc[pos..].trim().is_empty(), "chunk {n}: text lost at the end");
            // annotate: the hits of every segment are slices of it
            let hits: Vec<_> = segs.iter().map(|s| g.find(s.text, Some(lang))).collect();
            for (s, hs) in segs.iter().zip(&hits) {
                for h in hs {
                    assert!(h.span.end <= s.text.len() && s.text.is_char_boundary(h.span.start));
                    assert!(s.text.is_char_boundary(h.span.end) && h.span.start < h.span.end);
                }
            }
            let _ = g.in_context(hits);
        }
        tick(0);
        // align: 2-way and 3-way, raw and presegmented
        for pre in [false, true] {
            let two = [side(&docs[1], Lang::Fr, pre), side(&docs[2], Lang::En, pre)];
            assert_beads(&align(&two, &opts), &two, &[&docs[1], &docs[2]], "fr-en");
            let three =
                [side(&docs[0], Lang::Ar, pre), side(&docs[1], Lang::Fr, pre), side(&docs[2], Lang::En, pre)];
            let beads = align(&three, &opts);
            assert_beads(&beads, &three, &[&docs[0], &docs[1], &docs[2]], "ar-fr-en");
            if pre && n % 4 == 0 {
                // units of the aligner, as batch stores them
                let units: Vec<NewUnit> =
                    beads.iter().filter_map(|b| NewUnit::from_bead(&three, b)).collect();
                aligned_units += write_document(
                    &mut aligned,
                    &format!("aligned-{n}"),
                    Origin::Aligned,
                    None,
                    false,
                    units,
                )
                .unwrap()
                .units;
            }
        }
        tick(1);
        // check, with the glossary as anchors (fr→en and ar→fr)
        let r = check_documents(g, &docs[1], &docs[2], Lang::Fr, Lang::En, 1);
        assert!(r.issues.iter().all(|i| i.pair >= 1 && i.pair <= r.pairs));
        let r = check_documents(g, &docs[0], &docs[1], Lang::Ar, Lang::Fr, 1);
        assert!(r.issues.iter().all(|i| i.pair >= 1 && i.pair <= r.pairs));
        tick(2);
        // term: the glossary lookup of the term sentences
        for s in fr.iter().skip(3).step_by(4).take(4) {
            let _ = g.lookup(s, Some(Lang::Fr), 3);
        }
        // store one unit per sentence (the digit, Arabic and term sentences)
        let units = (0..fr.len()).filter(|k| k % 4 != 0).map(|k| NewUnit {
            texts: vec![
                UnitText { lang: Lang::Ar, text: ar[k].clone(), segments: None },
                UnitText { lang: Lang::Fr, text: fr[k].clone(), segments: None },
                UnitText { lang: Lang::En, text: en[k].clone(), segments: None },
            ],
            confidence: None,
            origin: Origin::Imported,
            created: None,
            changed: None,
            extra: Vec::new(),
        });
        write_document(&mut store, &format!("sweep-{n}"), Origin::Imported, None, false, units).unwrap();
        stored.extend((0..fr.len()).filter(|k| k % 4 != 0).map(|k| fr[k].clone()));
        tick(3);
    }
    eprintln!("sweep: {:?} segment+annotate, align, check, store: {spent:?}", t0.elapsed());
    // lookup: each stored sentence is found again at 100 (one in three: a lookup costs a few
    // milliseconds in a debug build)
    let lopts = qantara::tm::lookup::LookupOptions { lang: Lang::Fr, to: Vec::new(), min: 100, limit: 3 };
    let mut looked = 0;
    for s in stored.iter().step_by(3) {
        let r = qantara::tm::lookup::lookup(&store, s, &lopts).unwrap();
        assert!(r.matches.iter().any(|m| m.score == 100 && &m.source == s), "{s:?}: {:?}", r.matches);
        looked += 1;
    }
    assert!(looked > 1500, "{looked}");
    eprintln!("sweep: lookups done at {:?}", t0.elapsed());
    assert!(aligned_units > 0);
    // concordance: a two-word phrase of every 13th stored sentence finds it, marks are slices
    for s in stored.iter().step_by(5) {
        let keys = compare_keys(s);
        let phrase = keys[..2.min(keys.len())].join(" ");
        let hits = qantara::tm::concordance::concordance(&store, &phrase, Lang::Fr, &[], 50).unwrap();
        for h in &hits {
            assert_spans(&h.text, h.spans.iter().copied(), "concordance marks");
        }
    }
    // TMX and TSV export, and import into a new memory: the same texts come back
    use qantara::tm::exchange::{Format, ImportOptions, export, import};
    let mut before = Vec::new();
    let texts = |u: &qantara::tm::Unit| u.texts.iter().map(|t| t.text.clone()).collect::<Vec<_>>();
    store
        .for_each_unit(&mut |u| {
            before.push(texts(&u));
            Ok(())
        })
        .unwrap();
    for (format, name) in [(Format::Tmx, "out.tmx"), (Format::Tsv, "out.tsv")] {
        let path = dir.path().join(name);
        let mut out = Vec::new();
        export(&store, format, &[], true, &mut out).unwrap();
        std::fs::write(&path, out).unwrap();
        let mut back = SqliteStore::open(&dir.path().join(format!("{name}.sqlite"))).unwrap();
        import(&mut back, &path, &ImportOptions::default(), &mut |_| {}).unwrap();
        let mut after = Vec::new();
        back.for_each_unit(&mut |u| {
            after.push(texts(&u));
            Ok(())
        })
        .unwrap();
        before.sort();
        after.sort();
        assert_eq!(before.len(), after.len(), "{name}");
        assert!(before == after, "{name}: texts changed in the round trip");
    }
}
