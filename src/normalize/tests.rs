//! One test per normalization class, each with an example that fails without its rule.

use super::*;
use proptest::prelude::*;

#[test]
fn nfkc_folds_arabic_presentation_forms_before_the_tables() {
    // ﺃ (U+FE83, alef with hamza above, isolated form) must end as a bare alef: NFKC turns it
    // into أ, then the table folds أ to ا. In the reverse order it would stay أ.
    assert_eq!(key("\u{FE83}\u{FEE3}\u{FEE6}"), "امن");
    // The lam-alef ligature ﻻ splits into two letters.
    assert_eq!(key("\u{FEFB}"), "لا");
}

#[test]
fn removes_harakat_shadda_sukun_and_quranic_marks() {
    assert_eq!(key("الأَمْنُ الوَطَنِيُّ"), "الامن الوطني");
    assert_eq!(key("الفعّال"), "الفعال");
    assert_eq!(key("اعترافاً"), "اعترافا");
    assert_eq!(key("رحمن\u{0670}\u{06D6}"), "رحمن");
}

#[test]
fn removes_tatweel() {
    assert_eq!(key("الأمـــن"), "الامن");
}

#[test]
fn folds_alef_and_hamza_forms() {
    assert_eq!(key("إطار أمن آليات ٱلله"), "اطار امن اليات الله");
    assert_eq!(key("مسؤولي"), "مسوولي");
    assert_eq!(key("رئيس"), "رييس");
}

#[test]
fn folds_ta_marbuta_and_alef_maqsura() {
    assert_eq!(key("المديرية"), key("المديريه"));
    assert_eq!(key("مستوى"), key("مستوي"));
}

#[test]
fn folds_persian_letters() {
    assert_eq!(key("کتاب"), "كتاب");
    assert_eq!(key("فی"), "في");
}

#[test]
fn folds_arabic_indic_digits_and_punctuation() {
    assert_eq!(key("٢٦ يونيو ٢٠٢٤"), "26 يونيو 2024");
    assert_eq!(key("۱۲۳"), "123");
    assert_eq!(key("نعم، لا؛ لماذا؟"), "نعم, لا; لماذا?");
}

#[test]
fn folds_case_and_latin_diacritics() {
    assert_eq!(key("Sûreté Nationale"), "surete nationale");
    assert_eq!(key("CÉLINE Berthon"), "celine berthon");
    // Combining accents (decomposed input) fold the same way as precomposed ones.
    assert_eq!(key("Su\u{0302}rete\u{0301}"), "surete");
}

#[test]
fn expands_ligatures() {
    assert_eq!(key("œuvre Cœur æther"), "oeuvre coeur aether");
}

#[test]
fn folds_typographic_apostrophes_and_quotes() {
    assert_eq!(key("« Paris »"), "\" paris \"");
    assert_eq!(key("“Paris”"), "\"paris\"");
    assert_eq!(key("O’Neill"), "o'neill");
}

#[test]
fn splits_french_elision() {
    assert_eq!(key("l’État"), "l' etat");
    assert_eq!(key("d'honneur"), "d' honneur");
    assert_eq!(key("qu’il"), "qu' il");
    // Not an elided clitic: stays one word.
    assert_eq!(key("aujourd'hui"), "aujourd'hui");
}

#[test]
fn removes_bidi_controls_zero_width_and_soft_hyphens() {
    assert_eq!(key("\u{200F}حموشي\u{200E}"), "حموشي");
    assert_eq!(key("لا\u{200C}تعاون\u{200D}"), "لاتعاون");
    assert_eq!(key("sur\u{00AD}veillance"), "surveillance");
    assert_eq!(key("\u{FEFF}texte"), "texte");
}

#[test]
fn folds_every_space_kind_to_one_space() {
    // NBSP, narrow NBSP (French typography), em space, tab and newline.
    assert_eq!(key("a\u{00A0}b\u{202F}c\u{2003}d\te\nf"), "a b c d e f");
    assert_eq!(key("  deux   espaces  "), "deux espaces");
}

#[test]
fn spans_map_back_to_the_original() {
    let text = "Le\u{00A0}directeur de l’État : الأَمْنُ";
    let n = normalize(text);
    let toks = tokenize(&n);
    let words: Vec<&str> = toks.iter().map(|t| t.span.slice(text)).collect();
    assert_eq!(words, ["Le", "directeur", "de", "l", "État", "الأَمْنُ"]);
}

#[test]
fn tokens_keep_numbers_and_merge_dotted_acronyms() {
    let toks = tokens("La D.G.S.N. a publié 3,5 % le 26.06.2024.");
    let keys: Vec<&str> = toks.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys, ["la", "dgsn", "a", "publie", "3,5", "le", "26.06.2024"]);
    let text = "La D.G.S.N. a";
    let t = &tokens(text)[1];
    assert_eq!(t.span.slice(text), "D.G.S.N.");
}

#[test]
fn dotted_acronym_without_its_final_dot_is_one_token() {
    for (text, surface) in [
        ("La D.G.S.N a publié", "D.G.S.N"),
        ("la d.g.s.i enquête", "d.g.s.i"),
        ("D.G.S.N", "D.G.S.N"),
        ("la D.G.S.N.", "D.G.S.N."),
        ("(D.G.S.N)", "D.G.S.N"),
    ] {
        let toks = tokens(text);
        let t = toks.iter().find(|t| t.key.len() == 4).unwrap_or_else(|| panic!("{text}: {toks:?}"));
        assert_eq!(t.span.slice(text), surface, "{text}");
        assert!(t.key == "dgsn" || t.key == "dgsi", "{text}: {toks:?}");
    }
    // Spaced initials need every dot: "M. A. N" is not an acronym.
    let keys: Vec<String> = tokens("M. A. N a dit").into_iter().map(|t| t.key).collect();
    assert_eq!(keys, ["ma", "n", "a", "dit"]);
}

#[test]
fn proclitic_analyses_are_listed_not_applied() {
    let toks = tokens("بالأمن وللشرطة");
    assert_eq!(toks[0].key, "بالامن");
    let splits: Vec<String> = toks[0]
        .clitic_splits()
        .iter()
        .map(|s| format!("{:?}+{}+{}", s.preposition, s.article, s.stem))
        .collect();
    assert_eq!(splits, ["Some('ب')+false+الامن", "Some('ب')+true+امن"]);
    let lil = toks[1].clitic_splits();
    assert!(
        lil.iter().any(|s| s.conjunction == Some('و')
            && s.preposition == Some('ل')
            && s.article
            && s.stem == "شرطه")
    );
    assert_eq!(arabic::light_stem("والمديريه"), "مديريه");
    assert_eq!(arabic::light_stem("مدير"), "مدير");
}

#[test]
fn an_expanded_character_stays_inside_one_token() {
    // NFKC turns ½ into 1⁄2 and ﷺ into four words: each stays one token with the span of the
    // one original character, so consecutive tokens never overlap.
    let text = "3½ مليون ﷺ x";
    let toks = tokens(text);
    let got: Vec<(&str, &str)> = toks.iter().map(|t| (t.key.as_str(), t.span.slice(text))).collect();
    assert_eq!(got, vec![("31⁄2", "3½"), ("مليون", "مليون"), ("صلي_الله_عليه_وسلم", "ﷺ"), ("x", "x")]);
    // An expansion does not collide with the digits it spells.
    assert_ne!(tokens("½")[0].key, tokens("12")[0].key);
    // Ligatures and case expansions are single tokens already.
    let t = tokens("ﬁn İstanbul");
    assert!(t.windows(2).all(|w| w[0].span.end <= w[1].span.start));
}

#[test]
fn decomposed_text_gets_the_key_of_its_composed_form() {
    use unicode_normalization::UnicodeNormalization;
    // Hangul syllables and Bengali vowel signs decompose into starters (combining class 0) that
    // NFC composes again: they must stay in one cluster for NFKC to see them together.
    for s in ["한국어 사전", "কোথায়", "Sûreté ελληνικά", "الأمن"] {
        let nfd: String = s.nfd().collect();
        assert_eq!(key(&nfd), key(s), "{s}");
    }
}

#[test]
fn folds_arabic_decimal_and_thousands_separators() {
    assert_eq!(key("٣٫٥"), "3.5");
    let t = tokens("بلغ ١٬٠٠٠ ثم ٢٫٥٪");
    assert_eq!(t.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(), vec!["بلغ", "1,000", "ثم", "2.5"]);
}

#[test]
fn a_proclitic_glued_to_a_number_is_a_token_of_its_own() {
    let keys: Vec<String> = tokens("وبلغت ٣٫٥ و٣٫٥ مليون وب20 ب١٬٢٥٠").into_iter().map(|t| t.key).collect();
    assert_eq!(keys, ["وبلغت", "3.5", "و", "3.5", "مليون", "وب", "20", "ب", "1,250"]);
}

#[test]
fn spans_leave_out_invisible_characters_after_a_word() {
    // An isolate closing a word, a zero-width space or a BOM after it is no part of the word;
    // harakat on its last letter are.
    let text = "The \u{2067}DGSN\u{2069} and DG\u{200B}SN\u{200B} or الأمنُ\u{FEFF}";
    let got: Vec<&str> = tokens(text).iter().map(|t| t.span.slice(text)).collect();
    assert_eq!(got, ["The", "DGSN", "and", "DG\u{200B}SN", "or", "الأمنُ"]);
}

/// Every scalar whose NFKC, NFKD or lower-case form differs from it in length (characters or
/// UTF-8 bytes), computed over all of Unicode.
fn expanding() -> &'static [char] {
    use unicode_normalization::UnicodeNormalization;
    static SET: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let differs = |c: char, s: String| s.chars().count() != 1 || s.len() != c.len_utf8();
        (0..=0x10_FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| {
                let one = std::iter::once(c);
                differs(c, one.clone().nfkc().collect())
                    || differs(c, one.nfkd().collect())
                    || differs(c, c.to_lowercase().collect())
            })
            .collect()
    })
}

fn expanding_text() -> impl Strategy<Value = String> {
    let set = expanding();
    let piece = prop_oneof![
        3 => (0..set.len()).prop_map(move |i| set[i]),
        2 => any::<char>(),
        2 => prop::sample::select(vec![' ', '.', '1', 'a', 'ب', '\u{301}', '\u{200B}', '\u{2069}']),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn token_spans_hold_on_expanding_characters(text in expanding_text()) {
        let toks = tokens(&text);
        let mut pos = 0;
        for t in &toks {
            prop_assert!(t.span.start < t.span.end && t.span.end <= text.len());
            prop_assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            prop_assert!(pos <= t.span.start, "{:?} overlaps the token before it in {:?}", t, text);
            prop_assert!(!t.key.is_empty() && !t.key.contains(char::is_whitespace), "{:?}", t);
            pos = t.span.end;
        }
    }

    #[test]
    fn offsets_map_inside_the_original(text in "\\PC{0,60}") {
        let n = normalize(&text);
        prop_assert_eq!(&n.key, &key(&text));
        for (i, _) in n.key.char_indices() {
            let o = n.original_offset(i);
            prop_assert!(o <= text.len() && text.is_char_boundary(o));
        }
        let toks = tokenize(&n);
        for t in &toks {
            prop_assert!(t.span.start < t.span.end && t.span.end <= text.len());
            prop_assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
        }
        for w in toks.windows(2) {
            prop_assert!(w[0].span.end <= w[1].span.start, "{:?} overlaps {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn normalization_is_idempotent_on_arabic_and_french(text in "[\\u0621-\\u065F a-zA-Zéèàçœ’'.,]{0,40}") {
        let once = key(&text);
        prop_assert_eq!(key(&once), once);
    }
}
