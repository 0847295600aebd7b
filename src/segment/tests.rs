//! Unit tests of the segmentation rules: one test per rule, each with an example that the rule
//! decides (it fails when the rule is removed), plus the exact-slice property.

use super::*;
use proptest::prelude::*;

fn texts(text: &str, lang: Lang) -> Vec<&str> {
    segment(text, lang).into_iter().map(|s| s.text).collect()
}

/// The exported built-in rules, read back and compiled once per language.
fn exported(lang: Lang) -> &'static Segmenter {
    static CACHE: std::sync::OnceLock<Vec<Segmenter>> = std::sync::OnceLock::new();
    let all = CACHE.get_or_init(|| {
        let xml = crate::formats::srx::write(&srx::builtin_srx());
        let doc = crate::formats::srx::read(&xml, std::path::Path::new("builtin.srx")).unwrap();
        [Lang::Ar, Lang::Fr, Lang::En]
            .map(|l| Segmenter::srx(srx::SrxSegmenter::new(&doc, l).unwrap()))
            .into()
    });
    &all[lang as usize]
}

fn check(lang: Lang, text: &str, expected: &[&str]) {
    assert_eq!(texts(text, lang), expected, "{lang}: {text:?}");
    // The exported SRX rules must agree with the scanner on every example.
    let via_srx: Vec<&str> = exported(lang).segment(text).into_iter().map(|s| s.text).collect();
    assert_eq!(via_srx, expected, "SRX {lang}: {text:?}");
}

#[test]
fn paragraphs_end_at_blank_lines_including_nbsp_only_lines() {
    let text = "Titre\n\nUne phrase.\n\u{a0}\u{202f} \nAutre paragraphe.\nMême paragraphe.\n\n\n";
    let segs = segment(text, Lang::Fr);
    let paras: Vec<(usize, &str)> = segs.iter().map(|s| (s.paragraph, s.text)).collect();
    assert_eq!(paras, [(0, "Titre"), (1, "Une phrase."), (2, "Autre paragraphe."), (2, "Même paragraphe.")]);
}

#[test]
fn unpunctuated_lines_are_line_segments() {
    let segs = segment("Rabat, 29 juin 2024\n466\nIl est venu. Puis reparti\n", Lang::Fr);
    let kinds: Vec<(&str, SegmentKind)> = segs.iter().map(|s| (s.text, s.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("Rabat, 29 juin 2024", SegmentKind::Line),
            ("466", SegmentKind::Line),
            ("Il est venu.", SegmentKind::Sentence),
            ("Puis reparti", SegmentKind::Line),
        ]
    );
}

#[test]
fn a_sentence_never_crosses_a_line_end() {
    check(Lang::En, "The chief said\nthat it was over.", &["The chief said", "that it was over."]);
}

#[test]
fn sentence_ends_and_closers() {
    check(
        Lang::En,
        "He left. She stayed! Why? Nobody knows…",
        &["He left.", "She stayed!", "Why?", "Nobody knows…"],
    );
    check(Lang::En, "\"We are ready.\" The minister left.", &["\"We are ready.\"", "The minister left."]);
    check(Lang::En, "It ended (as planned.) Then rain.", &["It ended (as planned.)", "Then rain."]);
    check(
        Lang::Fr,
        "Il a dit : « C’est prêt. » Puis il est parti.",
        &["Il a dit : « C’est prêt. »", "Puis il est parti."],
    );
    check(
        Lang::Fr,
        "Il a dit « c’est prêt ». Puis il est parti.",
        &["Il a dit « c’est prêt ».", "Puis il est parti."],
    );
}

#[test]
fn arabic_question_mark_and_full_stop() {
    check(
        Lang::Ar,
        "هل وصل الوفد؟ نعم وصل صباحا۔ ثم بدأ الاجتماع.",
        &["هل وصل الوفد؟", "نعم وصل صباحا۔", "ثم بدأ الاجتماع."],
    );
}

#[test]
fn lower_case_continuation_does_not_break() {
    check(
        Lang::En,
        "They bought pens, paper, etc. and went home.",
        &["They bought pens, paper, etc. and went home."],
    );
    check(
        Lang::Fr,
        "« Qui est là ? » demanda-t-il. Personne.",
        &["« Qui est là ? » demanda-t-il.", "Personne."],
    );
}

#[test]
fn quote_then_comma_continues_the_sentence() {
    check(Lang::Fr, "« Qui a gagné ? », a-t-il demandé.", &["« Qui a gagné ? », a-t-il demandé."]);
}

#[test]
fn ellipsis_inside_a_sentence() {
    check(
        Lang::En,
        "We waited... and waited. Then the bus came.",
        &["We waited... and waited.", "Then the bus came."],
    );
    check(Lang::Fr, "Il cite le texte (…) Sans rien changer.", &["Il cite le texte (…) Sans rien changer."]);
    // Arabic has no capitals: an ellipsis there is a pause.
    check(Lang::Ar, "انتظرنا طويلا... ثم وصلت الحافلة.", &["انتظرنا طويلا... ثم وصلت الحافلة."]);
    check(Lang::En, "We waited... The bus never came.", &["We waited...", "The bus never came."]);
}

#[test]
fn titles_do_not_end_sentences() {
    check(Lang::Fr, "Il a reçu M. Dupont et Mme Martin.", &["Il a reçu M. Dupont et Mme Martin."]);
    check(
        Lang::Fr,
        "Reçus par MM. Durand et Petit, Dr. Lemoine.",
        &["Reçus par MM. Durand et Petit, Dr. Lemoine."],
    );
    check(
        Lang::Fr,
        "Le siège est au 12, av. Hassan II à Rabat.",
        &["Le siège est au 12, av. Hassan II à Rabat."],
    );
    check(
        Lang::En,
        "They met Mr. Brown, Mrs. Green, Ms. Black and Dr. White.",
        &["They met Mr. Brown, Mrs. Green, Ms. Black and Dr. White."],
    );
    check(
        Lang::En,
        "He saw Gen. Lee and Sen. Ward (and St. Clair).",
        &["He saw Gen. Lee and Sen. Ward (and St. Clair)."],
    );
}

#[test]
fn initials_do_not_end_sentences_unless_a_sentence_starts() {
    check(Lang::En, "A book by J. K. Rowling sold well.", &["A book by J. K. Rowling sold well."]);
    check(Lang::En, "She got a grade B. The class cheered.", &["She got a grade B.", "The class cheered."]);
    check(Lang::Ar, "حضر د. أحمد الاجتماع.", &["حضر د. أحمد الاجتماع."]);
    // An era marker after a year is not an initial.
    check(Lang::Ar, "تأسست المديرية عام 1956 م. ثم توسعت.", &["تأسست المديرية عام 1956 م.", "ثم توسعت."]);
}

#[test]
fn dotted_acronyms() {
    check(Lang::Fr, "La D.G.S.N. a publié un communiqué.", &["La D.G.S.N. a publié un communiqué."]);
    check(
        Lang::En,
        "The U.S. Navy sent a ship. The U.N. Council met.",
        &["The U.S. Navy sent a ship.", "The U.N. Council met."],
    );
    check(
        Lang::En,
        "Talks were held in the U.S. The next round is in Rabat.",
        &["Talks were held in the U.S.", "The next round is in Rabat."],
    );
    check(Lang::En, "Bring food, e.g. Bread or rice.", &["Bring food, e.g. Bread or rice."]);
    check(Lang::Ar, "ألقى أ.د. سمير محاضرة.", &["ألقى أ.د. سمير محاضرة."]);
    // A domain name is not an acronym.
    check(Lang::En, "Read it on example.com. Then call us.", &["Read it on example.com.", "Then call us."]);
}

#[test]
fn abbreviations_before_numbers() {
    check(
        Lang::En,
        "See No. 5 and p. 12 on Jan. 26 for details.",
        &["See No. 5 and p. 12 on Jan. 26 for details."],
    );
    check(Lang::Fr, "Voir l’art. 3 et la p. 7 du rapport.", &["Voir l’art. 3 et la p. 7 du rapport."]);
    // Before a capital the same word ends the sentence.
    check(Lang::En, "It happened in Jan. Nobody noticed.", &["It happened in Jan.", "Nobody noticed."]);
}

#[test]
fn numbers_dates_urls_and_emails_do_not_break() {
    check(
        Lang::Fr,
        "Le taux est de 3.5 % depuis le 26.06.2024 selon www.dgsn.gov.ma ou contact@dgsn.ma aujourd’hui.",
        &["Le taux est de 3.5 % depuis le 26.06.2024 selon www.dgsn.gov.ma ou contact@dgsn.ma aujourd’hui."],
    );
    check(
        Lang::En,
        "Prices rose 2.5 percent in 2024. Wages did not.",
        &["Prices rose 2.5 percent in 2024.", "Wages did not."],
    );
}

#[test]
fn list_numbers_do_not_break() {
    check(Lang::En, "1. Open the file.\n2. Read it.", &["1. Open the file.", "2. Read it."]);
}

#[test]
fn segments_are_trimmed_exact_slices() {
    let text = "  \u{a0}Un. Deux.\u{202f}\n\tTrois  ";
    for s in segment(text, Lang::Fr) {
        assert_eq!(&text[s.span.range()], s.text);
        assert_eq!(s.text, s.text.trim());
    }
}

/// Reassembles `text` from its segments and the gaps between them, checking the gaps are
/// whitespace and the segments are trimmed, non-empty, newline-free slices.
fn reassemble(text: &str, segs: &[Segment<'_>]) -> Result<String, TestCaseError> {
    let mut out = String::new();
    let mut at = 0;
    for s in segs {
        prop_assert!(s.span.start >= at, "overlap at {}", s.span.start);
        let gap = &text[at..s.span.start];
        prop_assert!(gap.chars().all(char::is_whitespace), "gap {gap:?}");
        prop_assert_eq!(s.text, &text[s.span.range()]);
        prop_assert!(!s.text.is_empty() && s.text.trim() == s.text && !s.text.contains('\n'));
        out.push_str(gap);
        out.push_str(s.text);
        at = s.span.end;
    }
    let tail = &text[at..];
    prop_assert!(tail.chars().all(char::is_whitespace), "tail {tail:?}");
    out.push_str(tail);
    Ok(out)
}

fn arb_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Mr",
        "M",
        "etc",
        "U",
        "S",
        "3",
        "2024",
        "Le",
        "The",
        "مرحبا",
        "د",
        "ال",
        "؟",
        "۔",
        ".",
        ".",
        ".",
        "!",
        "?",
        "…",
        "...",
        "\"",
        "»",
        "«",
        "”",
        "“",
        "(",
        ")",
        "'",
        "’",
        ",",
        ":",
        " ",
        " ",
        " ",
        "\u{a0}",
        "\u{202f}",
        "\n",
        "\n\n",
        "\t",
        "\r",
        "www.x.ma",
        "a@b.ma",
        "e",
        "é",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn segments_and_gaps_give_back_the_input(text in arb_text(), any in "\\PC{0,60}") {
        for t in [&text, &any] {
            for lang in [Lang::Ar, Lang::Fr, Lang::En] {
                let segs = segment(t, lang);
                prop_assert_eq!(&reassemble(t, &segs)?, t);
            }
        }
    }

    #[test]
    fn exported_srx_segments_like_the_scanner(text in arb_text()) {
        for lang in [Lang::Ar, Lang::Fr, Lang::En] {
            let a: Vec<Span> = segment(&text, lang).iter().map(|s| s.span).collect();
            let b: Vec<Span> = exported(lang).segment(&text).iter().map(|s| s.span).collect();
            prop_assert_eq!(a, b, "{}", lang);
        }
    }
}
