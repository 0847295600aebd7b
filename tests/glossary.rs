//! Integration tests for the glossary stage: the matching test set (surface variants that must
//! match, look-alikes that must not), export snapshots and round trips, `annotate` on the seeds,
//! `check` on the seed pair and on planted errors.

use crate::util::{qantara, root, seed, with_snapshots};
use qantara::glossary::{Concept, Glossary, TermType};
use qantara::lang::Lang;
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// The matching test set.

/// A sentence frame per language; `{}` is replaced by the variant.
fn frame(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Ar => ("وأكد المصدر أن ", " يواصل عمله كالمعتاد."),
        Lang::Fr => ("Selon le communiqué, ", " poursuit son travail."),
        Lang::En => ("According to the statement, ", " continues its work."),
    }
}

/// Arabic isolated presentation forms of a few letters (what PDF extraction produces).
fn presentation_forms(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ا' => 'ﺍ',
            'ل' => 'ﻝ',
            'م' => 'ﻡ',
            'ن' => 'ﻥ',
            'ي' => 'ﻱ',
            'ر' => 'ﺭ',
            'د' => 'ﺩ',
            'ع' => 'ﻉ',
            'ة' => 'ﺓ',
            'و' => 'ﻭ',
            c => c,
        })
        .collect()
}

/// Harakat after every other Arabic letter.
fn with_harakat(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        out.push(c);
        if qantara::lang::is_arabic_letter(c) && i % 2 == 0 {
            out.push(['\u{064E}', '\u{0650}', '\u{064F}', '\u{0652}'][i % 4]);
        }
    }
    out
}

/// A tatweel in the middle of the longest word.
fn with_tatweel(s: &str) -> String {
    let longest = s.split(' ').max_by_key(|w| w.chars().count()).unwrap_or("");
    let chars: Vec<char> = longest.chars().collect();
    let mid = chars.len() / 2;
    let stretched: String = chars[..mid].iter().chain(['ـ', 'ـ'].iter()).chain(chars[mid..].iter()).collect();
    s.replacen(longest, &stretched, 1)
}

/// Alef/hamza, ta marbuta and alef maqsura written the other way.
fn orthographic(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'أ' | 'إ' | 'آ' => 'ا',
            'ة' => 'ه',
            c => c,
        })
        .collect::<String>()
        .replace("ي ", "ى ")
}

/// One transposition of two different adjacent letters inside the longest word (letters 2–3,
/// else 3–4), never touching the first letter or the last two; `None` when the word is short.
fn typo(s: &str) -> Option<String> {
    let longest = s.split(|c: char| !c.is_alphabetic()).max_by_key(|w| w.chars().count())?;
    let chars: Vec<char> = longest.chars().collect();
    if chars.len() < 6 {
        return None;
    }
    for p in 2..chars.len().saturating_sub(3) {
        if chars[p] != chars[p + 1] && chars[p].is_alphabetic() && chars[p + 1].is_alphabetic() {
            let mut t = chars.clone();
            t.swap(p, p + 1);
            let w: String = t.into_iter().collect();
            return Some(s.replacen(longest, &w, 1));
        }
    }
    None
}

fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'É' => 'E',
            'û' | 'ù' => 'u',
            'ô' => 'o',
            'î' | 'ï' => 'i',
            'à' | 'â' => 'a',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

/// Surface variants of one term, each with the prefix that stays outside the hit (a stripped
/// proclitic or an article). Latin short forms and person names match only with their
/// capitals, and short forms and lone names never through a typo
/// ([`qantara::glossary::matcher::case_sensitive`]): no lower-cased variant for them, and no
/// typo for the former; every other variant is kept.
fn variants(concept: &Concept, term: &qantara::glossary::Term) -> Vec<(String, String)> {
    let t = term.term.as_str();
    let mut out: Vec<(String, String)> = vec![(String::new(), t.to_string())];
    let acronym = term.kind == TermType::Acronym;
    let cased = qantara::glossary::matcher::case_sensitive(concept, term);
    let typo_ok = !cased || (term.kind != TermType::Short && t.split_whitespace().count() > 1);
    match term.lang {
        Lang::Ar => {
            out.push(("و".into(), t.into()));
            out.push(("ف".into(), t.into()));
            if let Some(rest) = t.strip_prefix("ال") {
                out.push(("وب".into(), t.into()));
                out.push((String::new(), format!("لل{rest}")));
                out.push(("و".into(), format!("لل{rest}")));
            } else {
                out.push(("ب".into(), t.into()));
                out.push(("ل".into(), t.into()));
            }
            out.push((String::new(), with_harakat(t)));
            out.push((String::new(), with_tatweel(t)));
            out.push((String::new(), orthographic(t)));
            out.push((String::new(), presentation_forms(t)));
            // Short forms never match through a typo, in Arabic too (الغرب is not المغرب).
            if let Some(ty) = typo(t).filter(|_| term.kind != TermType::Short) {
                out.push((String::new(), ty));
            }
        }
        Lang::Fr | Lang::En => {
            out.push((String::new(), t.to_uppercase()));
            if !cased {
                out.push((String::new(), t.to_lowercase()));
            }
            out.push((String::new(), strip_accents(t)));
            if t.contains('\'') {
                out.push((String::new(), t.replace('\'', "’")));
            }
            if acronym {
                let dotted: String = t.chars().map(|c| format!("{c}.")).collect();
                let spaced: Vec<String> = t.chars().map(|c| format!("{c}.")).collect();
                out.push((String::new(), dotted));
                out.push((String::new(), spaced.join(" ")));
                let article = if term.lang == Lang::Fr { "la " } else { "the " };
                out.push((article.into(), t.into()));
                out.push((if term.lang == Lang::Fr { "l’ex-" } else { "the former " }.into(), t.into()));
            } else if let Some(ty) = typo(t).filter(|_| typo_ok) {
                out.push((String::new(), ty));
            }
        }
    }
    out.dedup();
    out
}

/// Every hit of `text` as (concept id, matched slice).
fn hits(g: &Glossary, text: &str, lang: Lang) -> Vec<(String, String)> {
    g.find(text, Some(lang))
        .into_iter()
        .map(|h| (g.concepts()[h.concept].id.to_string(), h.span.slice(text).to_string()))
        .collect()
}

#[test]
fn every_concept_has_ten_variants_that_match_exactly_their_span() {
    let g = qantara::formats::glossary::builtin();
    let mut failures = Vec::new();
    let mut per_concept: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for c in g.concepts() {
        for t in c.terms.iter() {
            for (prefix, v) in variants(c, t) {
                let (before, after) = frame(t.lang);
                let text = format!("{before}{prefix}{v}{after}");
                let start = before.len() + prefix.len();
                let found = g.find(&text, Some(t.lang));
                let ok = found.iter().any(|h| {
                    g.concepts()[h.concept].id == c.id
                        && h.span.start == start
                        && h.span.end == start + v.len()
                });
                total += 1;
                *per_concept.entry(c.id.to_string()).or_default() += 1;
                if !ok {
                    failures.push(format!(
                        "{} [{}] {:?} → {:?}",
                        c.id,
                        t.lang,
                        text,
                        hits(&g, &text, t.lang)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {total} variants missed:\n{}", failures.len(), failures.join("\n"));
    for (id, n) in &per_concept {
        assert!(*n >= 10, "{id} has only {n} variants");
    }
    assert_eq!(per_concept.len(), g.len());
}

#[test]
fn every_concept_is_found_in_all_three_languages() {
    let g = qantara::formats::glossary::builtin();
    for c in g.concepts() {
        for lang in Lang::ALL {
            assert!(c.terms_in(lang).any(|t| t.status.is_admitted()), "{} has no admitted {lang} term", c.id);
        }
    }
}

/// Variants written by hand: (concept, language, text, expected surface).
const MUST_MATCH: &[(&str, Lang, &str, &str)] = &[
    ("ma-dgsn", Lang::Ar, "وبالمديرية العامة للأمن الوطني تم ذلك", "المديرية العامة للأمن الوطني"),
    ("ma-dgsn", Lang::Fr, "La D.G.S.N. a confirmé.", "D.G.S.N."),
    ("ma-dgsn", Lang::Fr, "la D. G. S. N. a confirmé", "D. G. S. N."),
    (
        "ma-dgsn",
        Lang::Fr,
        "la Direction Generale de la Surete Nationale",
        "Direction Generale de la Surete Nationale",
    ),
    ("ma-dgsn", Lang::En, "Morocco’s DGSN said", "DGSN"),
    ("ma-dgst", Lang::Ar, "ولمراقبة التراب الوطني دور", "مراقبة التراب الوطني"),
    ("fr-dgsi", Lang::Fr, "l’ex-DGSI", "DGSI"),
    (
        "fr-dgsi",
        Lang::Fr,
        "à la Direction générale de la sécurité intérieure.",
        "Direction générale de la sécurité intérieure",
    ),
    ("fr-title-dgsi", Lang::Ar, "وللمديرة العامة للأمن الداخلي", "للمديرة العامة للأمن الداخلي"),
    (
        "fr-title-dgsi",
        Lang::Fr,
        "les directrices générales de la sécurité intérieure",
        "directrices générales de la sécurité intérieure",
    ),
    (
        "fr-title-dgsi",
        Lang::Fr,
        "Directeurs généraux de la Sécurité intérieure",
        "Directeurs généraux de la Sécurité intérieure",
    ),
    (
        "fr-title-dgsi",
        Lang::En,
        "the Director-General of Internal Security",
        "Director-General of Internal Security",
    ),
    (
        "fr-title-dgse",
        Lang::Fr,
        "le directeur général de la sécurité extérieure",
        "directeur général de la sécurité extérieure",
    ),
    (
        "ma-title-dgsn-dgst",
        Lang::Ar,
        "المدير العام للأمن الوطني ولمراقبة التراب الوطني",
        "المدير العام للأمن الوطني ولمراقبة التراب الوطني",
    ),
    (
        "ma-title-dgsn-dgst",
        Lang::Ar,
        "والمديرة العامة للأمن الوطني ولمراقبة التراب الوطني",
        "المديرة العامة للأمن الوطني ولمراقبة التراب الوطني",
    ),
    ("ma-hammouchi", Lang::Fr, "M. Abdellatif Hamouchi a dit", "Abdellatif Hamouchi"),
    ("ma-hammouchi", Lang::Fr, "M. Hammouchi a dit", "Hammouchi"),
    ("ma-dgsn", Lang::Fr, "La D.G.S.N a publié un communiqué.", "D.G.S.N"),
    ("ma-dgsn", Lang::Fr, "selon la d.g.s.n", "d.g.s.n"),
    ("ma-dgsn", Lang::Fr, "Il remercie la D.G.S.N.", "D.G.S.N."),
    ("fr-dgsi", Lang::En, "the D.G.S.I said", "D.G.S.I"),
    ("ma-dgsn", Lang::Fr, "la Sûreté nationale a recruté", "Sûreté nationale"),
    ("ma-dgsn", Lang::Fr, "LA SÛRETÉ NATIONALE RECRUTE", "SÛRETÉ NATIONALE"),
    ("fr-pn", Lang::Fr, "la Police nationale a recruté", "Police nationale"),
    ("fr-veaux", Lang::Fr, "M. Veaux a déclaré", "Veaux"),
    ("ma-dgsn", Lang::En, "Morocco's National Security said", "National Security"),
    ("ma-hammouchi", Lang::Ar, "لعبداللطيف حموشي", "عبداللطيف حموشي"),
    (
        "fr-mh-pn",
        Lang::Fr,
        "la médaille d’honneur de la police nationale",
        "médaille d’honneur de la police nationale",
    ),
    (
        "fr-mh-pn-or",
        Lang::Fr,
        "la Médaille d'honneur de la Police nationale, échelon or.",
        "Médaille d'honneur de la Police nationale, échelon or",
    ),
    (
        "fr-mh-pn-or",
        Lang::Ar,
        "بميداليـة الشرف الذهبيّة للشرطة الوطنية",
        "ميداليـة الشرف الذهبيّة للشرطة الوطنية",
    ),
    ("intl-olympics", Lang::Ar, "بالألعاب الاولمبيه", "الألعاب الاولمبيه"),
    ("intl-olympics", Lang::Fr, "les jeux Olympiques", "jeux Olympiques"),
    ("intl-human-trafficking", Lang::Ar, "والإتجار بالبشر", "الإتجار بالبشر"),
    ("intl-organised-crime", Lang::En, "organized crime", "organized crime"),
    ("intl-cross-border-crime", Lang::Fr, "la criminalité transfrontalière", "criminalité transfrontalière"),
    ("intl-cross-border-crime", Lang::Fr, "la criminalite tranfrontaliere", "criminalite tranfrontaliere"),
    ("fr-pn", Lang::Ar, "بالشرطة الوطنيّة", "الشرطة الوطنيّة"),
    (
        "fr-dgpn",
        Lang::Fr,
        "la Direction générale de la Police nationale",
        "Direction générale de la Police nationale",
    ),
];

#[test]
fn hand_written_variants_match() {
    let g = qantara::formats::glossary::builtin();
    for (concept, lang, text, surface) in MUST_MATCH {
        let found = hits(&g, text, *lang);
        assert!(found.iter().any(|(c, s)| c == concept && s == surface), "{concept}: {text:?} → {found:?}");
    }
}

/// Look-alikes: (language, text, the only concepts allowed in it).
const LOOK_ALIKES: &[(Lang, &str, &[&str])] = &[
    (Lang::Fr, "La Direction générale des impôts a publié son rapport.", &[]),
    (Lang::Fr, "La DGS a publié un avis sanitaire.", &[]),
    (Lang::Fr, "Les DGSNX et DGSN2 sont des codes.", &[]),
    (Lang::Ar, "أصدرت المديرية العامة للضرائب بلاغا.", &[]),
    (Lang::Ar, "وقال المدير العام للضرائب إن الحصيلة ارتفعت.", &[]),
    // The adjective names the country (issue 11: "marocain, المغربي are the country").
    (Lang::Ar, "عبر الشعب المغربي عن فرحته.", &["ma-kingdom"]),
    (Lang::Ar, "هاجم إرهابي الموقع وفككت الخلية الإرهابية.", &[]),
    (Lang::Ar, "يتعلق الأمر بالأمن الداخلي للبلاد.", &[]),
    (Lang::Ar, "زار المدير مقر المديرية.", &[]),
    (Lang::Fr, "La Direction générale de la sécurité civile intervient.", &[]),
    (Lang::Fr, "La Direction générale de l'aviation civile recrute.", &[]),
    (Lang::Fr, "La Direction générale de la gendarmerie nationale recrute.", &["fr-dggn"]),
    (Lang::Fr, "Il s'agit de la sécurité intérieure du pays.", &[]),
    (Lang::Fr, "La police municipale et les policiers nationaux.", &[]),
    (Lang::Fr, "Un terroriste a été arrêté avant les Jeux paralympiques.", &[]),
    (Lang::Fr, "Le directeur général de la santé a parlé.", &[]),
    (Lang::En, "The General Directorate of Customs seized a terrorist's car.", &[]),
    (Lang::En, "A nationalist rally took place.", &[]),
    (Lang::En, "The national security adviser of the United States arrived in Rabat.", &[]),
    (Lang::Fr, "Le conseiller à la sécurité nationale des États-Unis est arrivé à Rabat.", &[]),
    (Lang::Fr, "Le fermier a vendu ses veaux au marché.", &[]),
    (Lang::En, "The farmer kept the learner (learner) in the barn.", &[]),
    (Lang::Fr, "Le fermier (learner) a vendu ses veaux.", &[]),
    (Lang::Fr, "Il s'agit de la sûreté nationale du pays, pas de la police.", &[]),
    (Lang::En, "Learner drivers and berthon olives.", &[]),
    (Lang::Ar, "المديرية العامة للأمن الوطني", &["ma-dgsn"]),
    (Lang::Ar, "المدير العام للأمن الوطني", &["ma-title-dgsn"]),
    (Lang::Ar, "المديرة العامة للأمن الداخلي", &["fr-title-dgsi"]),
    (Lang::Ar, "المديرية العامة للأمن الداخلي", &["fr-dgsi"]),
    (Lang::Fr, "la Direction générale de la Sûreté nationale", &["ma-dgsn"]),
    (Lang::Fr, "la Direction générale de la Police nationale", &["fr-dgpn"]),
    (Lang::Fr, "la Direction générale de la sécurité extérieure", &["fr-dgse"]),
    (Lang::Fr, "le directeur général de la Police nationale", &["fr-title-dgpn"]),
    (
        Lang::Fr,
        "Directeur général de la Sûreté nationale et de la Surveillance du territoire",
        &["ma-title-dgsn-dgst"],
    ),
];

#[test]
fn look_alikes_do_not_match() {
    let g = qantara::formats::glossary::builtin();
    for (lang, text, allowed) in LOOK_ALIKES {
        let found = hits(&g, text, *lang);
        let ids: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(&ids, allowed, "{text:?} → {found:?}");
    }
}

#[test]
fn arabic_indic_digits_and_scores() {
    let concepts: Vec<Concept> = qantara::formats::csv::read(
        "concept,lang,term,type,status\nun-1325,ar,القرار 1325,full,preferred\nun-1325,fr,résolution 1325,full,preferred\n",
    )
    .0;
    let g = Glossary::from_concepts(concepts);
    let h = g.find("صدر القرار ١٣٢٥ أمس", Some(Lang::Ar));
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].score, 1.0);
    let h = g.find("وبالقرار ١٣٢٥", Some(Lang::Ar));
    assert_eq!(h.len(), 1);
    assert!(h[0].score < 1.0 && h[0].score >= qantara::glossary::DEFAULT_THRESHOLD);
    assert!(g.find("résolution 1326", Some(Lang::Fr)).is_empty());
}

#[test]
fn scores_order_exact_over_clitic_over_typo() {
    let g = qantara::formats::glossary::builtin();
    let score = |t: &str, l| g.find(t, Some(l)).first().map(|h| h.score).unwrap();
    let exact = score("حموشي", Lang::Ar);
    let clitic = score("لحموشي", Lang::Ar);
    let typo = score("Abdellatif Hamouchi", Lang::Fr);
    assert_eq!(exact, 1.0);
    assert!(exact > clitic && clitic > typo && typo >= qantara::glossary::DEFAULT_THRESHOLD);
    for c in g.concepts() {
        for t in &c.terms {
            for h in g.find(&t.term, None) {
                assert!((0.0..=1.0).contains(&h.score));
            }
        }
    }
}

#[test]
fn concepts_in_gives_anchor_ids_in_order() {
    let g = qantara::formats::glossary::builtin();
    let ids = g.concepts_in("التقى حموشي بالسيدة سيلين برتون ثم عاد حموشي إلى المغرب", Lang::Ar);
    let ids: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
    assert_eq!(ids, ["ma-hammouchi", "fr-berthon", "ma-kingdom"]);
}

#[test]
fn glossary_is_a_source_of_alignment_anchors() {
    use qantara::align::ConceptAnchors;
    let g = qantara::formats::glossary::builtin();
    let idx = |id: &str| g.concepts().iter().position(|c| c.id.as_str() == id).unwrap() as u32;
    let ar = ConceptAnchors::concepts(&g, "التقى حموشي بنظيره ثم غادر حموشي فرنسا", Lang::Ar);
    assert_eq!(ar, [idx("ma-hammouchi"), idx("ma-hammouchi"), idx("fr-republic")]);
    let fr = ConceptAnchors::concepts(&g, "M. Hammouchi a rencontré la DGSI.", Lang::Fr);
    assert_eq!(fr, [idx("ma-hammouchi"), idx("fr-dgsi")]);
}

// ---------------------------------------------------------------------------------------------
// Exports, imports, validation.

const FORMATS: [&str; 6] = ["csv", "omegat", "tbx", "tbx2", "json", "md"];

fn export(format: &str, extra: &[&str]) -> String {
    let out = qantara().args(["glossary", "export", "--format", format]).args(extra).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn export_snapshots() {
    for f in FORMATS {
        let text = export(f, &[]);
        with_snapshots(|| insta::assert_snapshot!(format!("glossary_export_{f}"), text));
    }
}

#[test]
fn export_import_export_is_the_identity() {
    let dir = tempfile::tempdir().unwrap();
    let csv = export("csv", &[]);
    for (f, ext) in [("csv", "csv"), ("tbx", "tbx"), ("tbx2", "tbx"), ("json", "json"), ("omegat", "txt")] {
        let first = export(f, &[]);
        let path = dir.path().join(format!("g-{f}.{ext}"));
        std::fs::write(&path, &first).unwrap();
        let again = export(f, &["--no-default-glossary", "--glossary", path.to_str().unwrap()]);
        assert_eq!(first, again, "{f}: export → import → export changed the file");
        // Formats that carry every field import back to exactly the built-in CSV.
        if f != "omegat" {
            let out = qantara().args(["glossary", "import", path.to_str().unwrap()]).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(String::from_utf8(out.stdout).unwrap(), csv, "{f}: import is lossy");
        }
    }
}

#[test]
fn omegat_round_trip_in_every_direction() {
    let dir = tempfile::tempdir().unwrap();
    for langs in ["ar,fr", "fr,ar", "ar,en", "en,fr"] {
        let first = export("omegat", &["--langs", langs]);
        let path = dir.path().join("g.txt");
        std::fs::write(&path, &first).unwrap();
        let again = export(
            "omegat",
            &["--langs", langs, "--no-default-glossary", "--glossary", path.to_str().unwrap()],
        );
        // --glossary reads OmegaT files as ar → fr; import with --langs instead.
        let out = qantara()
            .args(["glossary", "import", path.to_str().unwrap(), "--langs", langs])
            .output()
            .unwrap();
        assert!(out.status.success());
        let csv_path = dir.path().join("g.csv");
        std::fs::write(&csv_path, out.stdout).unwrap();
        let via_csv = export(
            "omegat",
            &["--langs", langs, "--no-default-glossary", "--glossary", csv_path.to_str().unwrap()],
        );
        assert_eq!(first, via_csv, "{langs}");
        if langs == "ar,fr" {
            assert_eq!(first, again);
        }
    }
}

#[test]
fn tbx_languages_come_from_xml_lang_not_position() {
    let tbx = r#"<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="x-1">
    <langSet xml:lang="fr-FR"><tig><term>Sûreté &amp; sécurité</term></tig></langSet>
    <langSet xml:lang="ar"><tig><term>الأمن</term></tig></langSet>
  </termEntry>
</body></text></martif>"#;
    let (concepts, problems) = qantara::formats::tbx::read(&format!("\u{FEFF}{tbx}"));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(concepts[0].terms[0].lang, Lang::Fr);
    assert_eq!(concepts[0].terms[0].term, "Sûreté & sécurité");
    assert_eq!(concepts[0].terms[1].lang, Lang::Ar);
}

#[test]
fn validate_reports_line_and_column_of_every_problem() {
    let path = root().join("tests/fixtures/glossary/broken.csv");
    let out = qantara()
        .current_dir(root())
        .args(["glossary", "validate", "tests/fixtures/glossary/broken.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(path.exists());
    let text = String::from_utf8(out.stdout).unwrap();
    with_snapshots(|| insta::assert_snapshot!("glossary_validate_broken", text));
    let ok = qantara()
        .args(["glossary", "validate", root().join("glossaries/qantara.csv").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
}

#[test]
fn user_glossary_adds_to_the_default_and_can_replace_it() {
    let path = root().join("tests/fixtures/glossary/extra.csv");
    let p = path.to_str().unwrap();
    let out = qantara().args(["term", "Interpol", "--glossary", p, "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["matches"][0]["concept"], "intl-interpol");
    let out = qantara().args(["term", "DGSN", "--glossary", p, "--no-default-glossary"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "the default glossary was not turned off");
}

#[test]
fn term_json_shape() {
    let out =
        qantara().args(["term", "بالمديرية العامة للأمن الوطني", "--json", "--to", "fr,en"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    with_snapshots(
        || insta::assert_json_snapshot!("glossary_term_json", v, {".matches[].score" => insta::rounded_redaction(2)}),
    );
    assert_eq!(v["lang"], "ar");
    assert_eq!(v["matches"][0]["concept"], "ma-dgsn");
    assert_eq!(v["matches"][0]["preferred"]["fr"], "Direction générale de la Sûreté nationale");
}

// ---------------------------------------------------------------------------------------------
// annotate and check on the seeds.

#[test]
fn annotate_seeds() {
    for lang in ["ar", "fr", "en"] {
        let rel = format!("seeds/dgsn-visit-france-2024/{lang}.txt");
        assert!(seed(&format!("dgsn-visit-france-2024/{lang}.txt")).exists());
        let out = qantara().current_dir(root()).args(["annotate", &rel, "--lang", lang]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        with_snapshots(|| insta::assert_snapshot!(format!("glossary_annotate_{lang}"), text));
    }
    let out = qantara()
        .current_dir(root())
        .args(["annotate", "seeds/dgsn-visit-france-2024/ar.txt", "--lang", "ar", "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{2068}') && !text.contains('\u{2069}'), "bidi marks leaked into JSON");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for seg in v["segments"].as_array().unwrap() {
        for h in seg["hits"].as_array().unwrap() {
            let (s, e) = (h["span"][0].as_u64().unwrap() as usize, h["span"][1].as_u64().unwrap() as usize);
            let src = std::fs::read_to_string(seed("dgsn-visit-france-2024/ar.txt")).unwrap();
            assert_eq!(&src[s..e], h["surface"].as_str().unwrap());
        }
    }
}

#[test]
fn check_seed_pair_is_clean() {
    let out = qantara()
        .current_dir(root())
        .args([
            "check",
            "seeds/dgsn-visit-france-2024/ar.txt",
            "seeds/dgsn-visit-france-2024/fr.txt",
            "--langs",
            "ar,fr",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(": 0 error(s), 0 warning(s)"), "{text}");
}

#[test]
fn check_finds_each_planted_error() {
    let out = qantara()
        .current_dir(root())
        .args([
            "check",
            "seeds/dgsn-visit-france-2024/ar.txt",
            "tests/fixtures/glossary/fr-planted.txt",
            "--langs",
            "ar,fr",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let issues: Vec<(String, String)> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap().to_string(), i["concept"].as_str().unwrap().to_string()))
        .collect();
    for planted in [
        ("missing", "intl-human-trafficking"),
        ("deprecated", "ma-dgsn"),
        ("inconsistent", "intl-cross-border-crime"),
    ] {
        assert!(
            issues.iter().any(|(k, c)| k == planted.0 && c == planted.1),
            "{planted:?} not found in {issues:?}"
        );
    }
    assert_eq!(issues.len(), 3, "unexpected findings: {issues:?}");
    let text = qantara()
        .current_dir(root())
        .args(["check", "seeds/dgsn-visit-france-2024/ar.txt", "tests/fixtures/glossary/fr-planted.txt"])
        .output()
        .unwrap()
        .stdout;
    with_snapshots(|| insta::assert_snapshot!("glossary_check_planted", String::from_utf8(text).unwrap()));
}

#[test]
fn check_aligned_tsv() {
    let out = qantara()
        .current_dir(root())
        .args(["check", "--aligned", "tests/fixtures/glossary/aligned.tsv", "--langs", "fr,en", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<(&str, u64)> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap(), i["pair"].as_u64().unwrap()))
        .collect();
    // Numbered from 1, as the text output prints them (`pair 2`).
    assert_eq!(kinds, [("missing", 2), ("typo", 3)]);
}

#[test]
fn check_aligned_tmx_reads_languages_by_xml_lang() {
    let out = qantara()
        .current_dir(root())
        .args(["check", "--aligned", "tests/fixtures/glossary/aligned.tmx", "--langs", "ar,fr", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<(&str, &str, u64)> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap(), i["concept"].as_str().unwrap(), i["pair"].as_u64().unwrap()))
        .collect();
    // The second unit lists French before Arabic: languages come from xml:lang.
    assert_eq!(kinds, [("deprecated", "intl-human-trafficking", 2)]);
    assert_eq!(v["mentions"], 3);
}

// ---------------------------------------------------------------------------------------------
// Regressions reported by QA with the release binary.

#[test]
fn term_finds_dotted_acronyms_without_their_final_dot() {
    for (query, concept) in [("D.G.S.N", "ma-dgsn"), ("D.G.S.I", "fr-dgsi"), ("d.g.s.n", "ma-dgsn")] {
        let out = qantara().args(["term", query, "--json"]).output().unwrap();
        assert!(out.status.success(), "{query}: {}", String::from_utf8_lossy(&out.stdout));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["matches"][0]["concept"], concept, "{query}");
        assert_eq!(v["matches"][0]["score"], 1.0, "{query}");
    }
}

#[test]
fn term_scores_a_clitic_as_annotate_does() {
    let dir = tempfile::tempdir().unwrap();
    for (query, lang, concept) in
        [("لحموشي", "ar", "ma-hammouchi"), ("والإرهاب", "ar", "intl-terrorism"), ("la DGSN", "fr", "ma-dgsn")]
    {
        let out = qantara().args(["term", query, "--json"]).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["matches"][0]["concept"], concept, "{query}");
        let path = dir.path().join("q.txt");
        std::fs::write(&path, query).unwrap();
        let out =
            qantara().args(["annotate", path.to_str().unwrap(), "--lang", lang, "--json"]).output().unwrap();
        let a: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let hit = &a["segments"][0]["hits"][0];
        assert_eq!(hit["concept"], concept, "{query}: {a}");
        assert_eq!(v["matches"][0]["score"], hit["score"], "{query}: term and annotate disagree");
    }
}

#[test]
fn check_does_not_take_common_words_for_short_forms() {
    let dir = tempfile::tempdir().unwrap();
    let en = dir.path().join("en.txt");
    let fr = dir.path().join("fr.txt");
    std::fs::write(&en, "The national security adviser of the United States arrived in Rabat.\n").unwrap();
    std::fs::write(&fr, "Le conseiller à la sécurité nationale des États-Unis est arrivé à Rabat.\n")
        .unwrap();
    let out = qantara()
        .args(["check", en.to_str().unwrap(), fr.to_str().unwrap(), "--langs", "en,fr"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("0 error(s), 0 warning(s)"), "{text}");
}

/// The press writes the title in the construct form without the article (مدير عام الأمن
/// الوطني) and as "DG de …": both are the title, not the institution inside it.
#[test]
fn titles_in_press_forms_are_titles() {
    let dir = tempfile::tempdir().unwrap();
    let ar = dir.path().join("ar.txt");
    let fr = dir.path().join("fr.txt");
    std::fs::write(&ar, "وصرح مدير عام الأمن الوطني بأن التعاون ممتاز.\n").unwrap();
    std::fs::write(
        &fr,
        "Le directeur général de la Sûreté nationale a déclaré que la coopération était excellente.\n",
    )
    .unwrap();
    let out = qantara()
        .args(["check", ar.to_str().unwrap(), fr.to_str().unwrap(), "--langs", "ar,fr", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert!(v["issues"].as_array().unwrap().is_empty(), "{v}");
    for (term, concept) in [
        ("مدير عام الأمن الوطني", "ma-title-dgsn"),
        ("D.G. de la Sûreté nationale", "ma-title-dgsn"),
        ("DG de la Police nationale", "fr-title-dgpn"),
    ] {
        let out = qantara().args(["term", term, "--json"]).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["matches"][0]["concept"], concept, "{term}: {v}");
    }
}

/// The English seed's headline writes the DGSN as `national security`, in lower case: it no
/// longer counts as a mention by itself, but it still renders the Arabic and French
/// headlines' concept, so checking the seed pairs into English stays clean.
#[test]
fn check_seed_pairs_into_english_are_clean() {
    for src in ["ar", "fr"] {
        let out = qantara()
            .current_dir(root())
            .args([
                "check",
                &format!("seeds/dgsn-visit-france-2024/{src}.txt"),
                "seeds/dgsn-visit-france-2024/en.txt",
                "--langs",
                &format!("{src},en"),
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{src}: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Concept ids: never merged silently.

/// A TBX v2 glossary of `(id, French, Arabic)` concepts; an empty id writes no `id`.
fn tbx2(concepts: &[(&str, &str, &str)]) -> String {
    let mut s = String::from("<?xml version=\"1.0\"?>\n<martif type=\"TBX\">\n<text><body>\n");
    for (id, fr, ar) in concepts {
        let id = if id.is_empty() { String::new() } else { format!(" id=\"{id}\"") };
        s.push_str(&format!(
            "<termEntry{id}>\n<langSet xml:lang=\"fr\"><tig><term>{fr}</term></tig></langSet>\n\
             <langSet xml:lang=\"ar\"><tig><term>{ar}</term></tig></langSet>\n</termEntry>\n"
        ));
    }
    s + "</body></text></martif>\n"
}

/// Runs the binary in `dir`; returns (exit code, stdout, stderr).
fn run_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = qantara().current_dir(dir).args(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

#[test]
fn one_id_in_two_glossary_files_is_refused_not_merged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("one.tbx"), tbx2(&[("entry-1", "Office des changes", "مكتب الصرف")]))
        .unwrap();
    std::fs::write(
        dir.path().join("two.tbx"),
        tbx2(&[("entry-1", "Agence nationale des ports", "الوكالة الوطنية للموانئ")]),
    )
    .unwrap();
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["term", "الوكالة الوطنية للموانئ", "--glossary", "one.tbx", "--glossary", "two.tbx", "--to", "fr"],
    );
    assert_eq!(code, 2, "{stdout}");
    assert!(!stdout.contains("Office des changes"), "{stdout}");
    assert!(
        stderr.contains("two.tbx: concept id 'entry-1' is already used by one.tbx")
            && stderr.contains("another id"),
        "{stderr}"
    );
    // Each file alone is fine.
    let (code, stdout, _) =
        run_in(dir.path(), &["term", "الوكالة الوطنية للموانئ", "--glossary", "two.tbx", "--to", "fr"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("entry-1  1.00") && stdout.contains("Agence nationale des ports"), "{stdout}");
}

#[test]
fn a_user_concept_with_a_builtin_id_is_refused_unless_it_shares_a_term() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.tbx"), tbx2(&[("ma-dgsn", "Office des changes", "مكتب الصرف")]))
        .unwrap();
    let (code, stdout, stderr) = run_in(dir.path(), &["term", "مكتب الصرف", "--glossary", "mine.tbx"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("mine.tbx: concept id 'ma-dgsn' is already used by the built-in glossary")
            && stderr.contains("--no-default-glossary"),
        "{stderr}"
    );
    // With only the user file, the id is the user's concept.
    let (code, stdout, _) = run_in(
        dir.path(),
        &["term", "مكتب الصرف", "--glossary", "mine.tbx", "--no-default-glossary", "--json", "--to", "fr"],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["matches"][0]["preferred"]["fr"], "Office des changes");
    // A concept that repeats one of the built-in concept's terms adds to it, and says so.
    std::fs::write(
        dir.path().join("more.csv"),
        "concept,lang,term,type,status\nma-dgsn,ar,المديرية العامة للأمن الوطني,full,preferred\n\
         ma-dgsn,fr,Sûreté générale du Royaume,variant,admitted\n",
    )
    .unwrap();
    let (code, stdout, stderr) =
        run_in(dir.path(), &["term", "Sûreté générale du Royaume", "--glossary", "more.csv", "--to", "en"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("ma-dgsn  1.00"), "{stdout}");
    assert!(
        stderr.contains("note: more.csv: concept 'ma-dgsn' adds fr 'Sûreté générale du Royaume'")
            && stderr.contains("the built-in glossary"),
        "{stderr}"
    );
}

#[test]
fn a_termentry_id_used_twice_is_a_problem_and_import_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = tbx2(&[
        ("a", "Office des changes", "مكتب الصرف"),
        ("b", "Agence nationale des ports", "الوكالة الوطنية للموانئ"),
        ("a", "Haut-Commissariat au Plan", "المندوبية السامية للتخطيط"),
    ]);
    std::fs::write(dir.path().join("dup.tbx"), text).unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["glossary", "validate", "dup.tbx"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.starts_with("dup.tbx:12:1: concept id 'a' is used again (first at line 4)"), "{stdout}");
    let (code, stdout, stderr) = run_in(dir.path(), &["glossary", "import", "dup.tbx"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("dup.tbx: line 12:"), "{stderr}");
}

#[test]
fn a_termentry_without_id_keeps_apart_from_an_explicit_id() {
    let dir = tempfile::tempdir().unwrap();
    let text = tbx2(&[
        ("", "Office des changes", "مكتب الصرف"),
        ("c1", "Agence nationale des ports", "الوكالة الوطنية للموانئ"),
    ]);
    std::fs::write(dir.path().join("ids.tbx"), text).unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["glossary", "validate", "ids.tbx"]);
    assert_eq!((code, stdout.as_str()), (0, "ids.tbx: ok (tbx2): 2 concepts, 4 terms\n"));
    let (code, stdout, _) = run_in(dir.path(), &["glossary", "import", "ids.tbx"]);
    assert_eq!(code, 0);
    let ids: std::collections::BTreeSet<&str> =
        stdout.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids.len(), 2, "{stdout}");
    assert!(ids.contains("c1") && stdout.contains("c1,intl,,,fr,Agence nationale des ports"), "{stdout}");
}

#[test]
fn validate_refuses_an_empty_tbx_and_a_lang_without_xml_prefix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.tbx"), tbx2(&[])).unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["glossary", "validate", "empty.tbx"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.starts_with("empty.tbx:1:0: no concept"), "{stdout}");
    let bare = tbx2(&[("x", "Office des changes", "مكتب الصرف")]).replace("xml:lang=\"ar\"", "lang=\"ar\"");
    std::fs::write(dir.path().join("bare.tbx"), bare).unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["glossary", "validate", "bare.tbx"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("bare.tbx:6:1: <langSet lang=\"ar\">") && stdout.contains("xml:lang"),
        "{stdout}"
    );
}

#[test]
fn term_says_the_status_of_a_deprecated_match_in_text_and_json() {
    let (code, stdout, _) =
        run_in(&root(), &["term", "Direction générale de la Sécurité nationale", "--to", "en"]);
    assert_eq!(code, 0);
    let first = stdout.lines().next().unwrap();
    assert!(first.contains("deprecated: use Direction générale de la Sûreté nationale"), "{first}");
    assert!(!stdout.contains("  fr  "), "--to en lists no French term: {stdout}");
    let (code, stdout, _) = run_in(&root(), &["term", "trafic d'êtres humains", "--json", "--to", "en"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["matches"][0]["matched_status"], "deprecated");
    // A preferred match says nothing more than it did.
    let (_, stdout, _) =
        run_in(&root(), &["term", "Direction générale de la Sûreté nationale", "--to", "en"]);
    assert!(stdout.lines().next().unwrap().contains("nationale)  ["), "{stdout}");
}

#[test]
fn term_with_an_empty_query_is_a_usage_error() {
    for query in ["", "  ", "?!"] {
        let (code, stdout, stderr) = run_in(&root(), &["term", query]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{query:?}");
        assert!(stderr.contains("no letter or digit"), "{stderr}");
    }
}

/// QA: a user's glossary that marks a built-in term deprecated was merged without its status,
/// so `check` kept accepting the term. The later file wins, and says so.
#[test]
fn a_user_glossary_can_deprecate_a_builtin_term_and_is_told_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("house-style.csv");
    std::fs::write(
        &user,
        "concept,country,subject,definition,lang,term,type,status,gender,note,source\n\
         ma-dgsn,MA,institution,,fr,DGSN,acronym,deprecated,,House style: always the full name.,\n",
    )
    .unwrap();
    let (ar, fr) = (dir.path().join("ar.txt"), dir.path().join("fr.txt"));
    std::fs::write(&ar, "وصل وفد من المديرية العامة للأمن الوطني إلى باريس.\n").unwrap();
    std::fs::write(&fr, "Une délégation de la DGSN est arrivée à Paris.\n").unwrap();
    let check = |extra: &[&str]| {
        let mut a = vec!["check", ar.to_str().unwrap(), fr.to_str().unwrap(), "--langs", "ar,fr"];
        a.extend(extra);
        qantara().args(&a).output().unwrap()
    };
    let out = check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let out = check(&["--glossary", user.to_str().unwrap()]);
    let (text, err) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{text}{err}");
    assert!(text.contains("Deprecated") && text.contains("DGSN"), "{text}");
    assert!(err.contains("makes fr 'DGSN' deprecated (it was admitted)"), "{err}");
}
