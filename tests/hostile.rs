//! Hostile text through the real binary: the classes of characters a hostile-input sweep found
//! (issue 10), each with what must happen. Every input is written here.
//!
//! * expanded characters shared by two occurrences of a concordance phrase (`s ℁ a`, `2 ½ 1`);
//! * bidi controls and isolates, zero-width characters, BOMs inside text;
//! * long runs of combining marks (1,000 U+0301 on one letter, Arabic harakat runs);
//! * huge digit runs;
//! * Arabic thousands and decimal separators (U+066C, U+066B) in numbers;
//! * NFD queries of NFC-stored sentences (Latin, Arabic, Hangul, Devanagari);
//! * a representative subset of the characters that change length under NFKC, NFKD or case
//!   folding ([`crate::unicode::expanding`]) through every command.

use crate::bad_input::{Env, Out, assert_no_panic};
use serde_json::Value;
use std::ffi::OsString;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

fn args(a: &[&str], tail: &[&Path]) -> Vec<OsString> {
    a.iter().map(OsString::from).chain(tail.iter().map(|p| p.as_os_str().to_owned())).collect()
}

#[track_caller]
fn ok(out: &Out) -> &str {
    assert_no_panic(out);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    &out.stdout
}

/// Imports `tsv` (header `fr\ten` or `ar\ten`…) into the test's memory.
fn import(env: &Env, name: &str, tsv: &str) {
    let f = env.write(name, tsv);
    ok(&env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f])));
}

/// `lookup --batch` of `queries` (one a line): one JSON result per query.
fn lookup(env: &Env, lang: &str, queries: &[String], min: &str) -> Vec<Value> {
    let q = env.write("queries.txt", queries.join("\n") + "\n");
    let out = env.run(
        args(&["lookup", "--lang", lang, "--min", min, "--limit", "3", "--tm"], &[&env.tm()])
            .into_iter()
            .chain(args(&["--batch"], &[&q])),
    );
    ok(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn concordance(env: &Env, phrase: &str, lang: &str) -> Value {
    let out = env.run(args(&["concordance", phrase, "--lang", lang, "--json", "--tm"], &[&env.tm()]));
    serde_json::from_str(ok(&out)).unwrap()
}

/// Spans of a concordance hit: ordered, non-overlapping slices on char boundaries; returns the
/// marked slices.
fn marked(hit: &Value) -> Vec<String> {
    let text = hit["text"].as_str().unwrap();
    let mut pos = 0;
    let mut out = Vec::new();
    for s in hit["spans"].as_array().unwrap() {
        let (a, b) = (s[0].as_u64().unwrap() as usize, s[1].as_u64().unwrap() as usize);
        assert!(pos <= a && a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b));
        out.push(text[a..b].to_string());
        pos = b;
    }
    out
}

/// `s ℁ a` searched as `s a`, `2 ½ 1` as `2 1`: the expanded character is one token, so the
/// phrase is found only where it really is, and the marks are slices of the text.
#[test]
fn concordance_of_a_phrase_sharing_an_expanded_character() {
    let env = Env::new();
    import(
        &env,
        "m.tsv",
        "fr\ten\ns ℁ a s a ici.\tx s a here.\n2 ½ 1 et 2 1 là.\ty 2 1 there.\ns ℁ a seul.\tz alone.\n",
    );
    let v = concordance(&env, "s a", "fr");
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{v}");
    assert_eq!(hits[0]["marked"], "s ℁ a ⟦s a⟧ ici.");
    assert_eq!(marked(&hits[0]), ["s a"]);
    let v = concordance(&env, "2 1", "fr");
    assert_eq!(v["hits"][0]["marked"], "2 ½ 1 et ⟦2 1⟧ là.", "{v}");
    // the expanded character itself is found, with the words around it
    let v = concordance(&env, "s ℁ a", "fr");
    let got: Vec<&str> =
        v["hits"].as_array().unwrap().iter().map(|h| h["marked"].as_str().unwrap()).collect();
    assert_eq!(got, ["⟦s ℁ a⟧ s a ici.", "⟦s ℁ a⟧ seul."], "{v}");
    let v = concordance(&env, "½", "fr");
    assert_eq!(v["hits"][0]["marked"], "2 ⟦½⟧ 1 et 2 1 là.", "{v}");
}

/// Bidi controls and isolates, zero-width characters and BOMs inside text: every command
/// works, a term is found through them with a span that leaves an isolate outside, and a
/// lookup without them finds the stored sentence.
#[test]
fn bidi_controls_and_zero_width_characters() {
    let env = Env::new();
    let fr = "La DG\u{200B}SN a publié un rapport\u{2060} annuel. Le \u{202B}رئيس\u{202C} est venu \u{200E}hier\u{200F}.\n\
              Il a cité la \u{2066}DGSN\u{2069} et le \u{202A}BCIJ\u{202C} ; \u{202D}ok\u{202E}ko\u{202C}. Un mot\u{FEFF} coupé\u{200D}.\n";
    let en = "The DG\u{200B}SN published an annual\u{FEFF} report. The \u{202B}رئيس\u{202C} came \u{200E}yesterday\u{200F}.\n\
              He quoted the \u{2067}DGSN\u{2069} and the \u{202A}BCIJ\u{202C}; \u{202D}ok\u{202E}ko\u{202C}. A word\u{FEFF} cut\u{200C}.\n";
    let (f, e) = (env.write("f.txt", fr), env.write("e.txt", en));
    let out = ok(&env.run(args(&["align", "--langs", "fr,en"], &[&f, &e]))).to_string();
    assert_eq!(out.lines().count(), 4, "{out}");
    ok(&env.run(args(&["check", "--langs", "fr,en"], &[&f, &e])));
    let out = env.run(args(&["annotate", "--lang", "en", "--json"], &[&e]));
    let doc: Value = serde_json::from_str(ok(&out)).unwrap();
    let surfaces: Vec<&str> = doc["segments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["hits"].as_array().unwrap())
        .filter(|h| h["concept"] == "ma-dgsn")
        .map(|h| h["surface"].as_str().unwrap())
        .collect();
    // the isolate stays outside the hit (a mark around it must not split the pair)
    assert_eq!(surfaces, ["DG\u{200B}SN", "DGSN"], "{doc}");
    let tsv = format!(
        "fr\ten\n{}",
        fr.lines().zip(en.lines()).map(|(a, b)| format!("{a}\t{b}\n")).collect::<String>()
    );
    import(&env, "m.tsv", &tsv);
    let stored: Vec<String> = fr.lines().map(String::from).collect();
    for (q, r) in stored.iter().zip(lookup(&env, "fr", &stored, "100")) {
        assert_eq!(r["matches"][0]["score"], 100, "{q:?}: {r}");
        assert_eq!(r["matches"][0]["source"], q.as_str());
    }
    // without the invisible characters: the same words, a variant (99)
    let clean: Vec<String> = stored
        .iter()
        .map(|s| s.chars().filter(|&c| !qantara::normalize::is_invisible(c)).collect())
        .collect();
    for r in lookup(&env, "fr", &clean, "90") {
        assert_eq!(r["matches"][0]["score"], 99, "{r}");
    }
    let v = concordance(&env, "DGSN", "fr");
    let got: Vec<Vec<String>> = v["hits"].as_array().unwrap().iter().map(marked).collect();
    assert_eq!(got, [vec!["DG\u{200B}SN".to_string()], vec!["DGSN".to_string()]], "{v}");
}

/// 1,000 acute accents on one letter, harakat runs inside an Arabic term: one token each,
/// found by the glossary, stored and looked up again at 100.
#[test]
fn long_runs_of_combining_marks() {
    let env = Env::new();
    let acutes = "\u{301}".repeat(1000);
    let fr = format!("Le mot e{acutes} est long. La DGSN{acutes} a parlé.\n");
    let en = format!("The word e{acutes} is long. The DGSN spoke.\n");
    let harakat = "\u{64E}\u{651}".repeat(100);
    let ar = format!(
        "أعلنت ا{harakat}لمديرية العامة للأمن الوطني اليوم. وقالت ال{}مديرية العامة للأ{}من الوطني إنها مستعدة.\n",
        "\u{64F}".repeat(300),
        "\u{652}".repeat(50)
    );
    let (f, e, a) = (env.write("f.txt", &fr), env.write("e.txt", &en), env.write("a.txt", &ar));
    assert_eq!(ok(&env.run(args(&["align", "--langs", "fr,en"], &[&f, &e]))).lines().count(), 2);
    assert_eq!(ok(&env.run(args(&["align", "--langs", "ar,fr,en"], &[&a, &f, &e]))).lines().count(), 2);
    ok(&env.run(args(&["check", "--langs", "ar,en"], &[&a, &e])));
    let doc: Value =
        serde_json::from_str(ok(&env.run(args(&["annotate", "--lang", "ar", "--json"], &[&a])))).unwrap();
    let hits: Vec<(&str, &str)> = doc["segments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["hits"].as_array().unwrap())
        .map(|h| (h["concept"].as_str().unwrap(), h["surface"].as_str().unwrap()))
        .collect();
    assert_eq!(hits.len(), 2, "{doc}");
    assert!(hits.iter().all(|(c, s)| *c == "ma-dgsn" && s.ends_with("الوطني")), "{hits:?}");
    import(&env, "m.tsv", &format!("fr\tar\n{}", fr.trim_end().to_string() + "\t" + ar.trim_end() + "\n"));
    let r = &lookup(&env, "fr", &[fr.trim_end().to_string()], "100")[0];
    assert_eq!(r["matches"][0]["score"], 100, "{r}");
    let r = &lookup(
        &env,
        "ar",
        &["أعلنت المديرية العامة للأمن الوطني اليوم. وقالت المديرية العامة للأمن الوطني إنها مستعدة."
            .to_string()],
        "90",
    )[0];
    assert_eq!(r["matches"][0]["score"], 99, "{r}");
}

/// A number of 20,000 digits (and one of 5,000 groups of three): one token, aligned, checked,
/// stored and looked up at 100; a one-digit change is a number difference.
#[test]
fn huge_digit_runs() {
    let env = Env::new();
    let digits = "7".repeat(20_000);
    let groups = vec!["123"; 5000].join(" ");
    let fr = format!("Le nombre {digits} est grand. Les groupes {groups} suivent.\n");
    let en = format!("The number {digits} is big. The groups {} follow.\n", vec!["123"; 5000].join(","));
    let (f, e) = (env.write("f.txt", &fr), env.write("e.txt", &en));
    assert_eq!(ok(&env.run(args(&["align", "--langs", "fr,en"], &[&f, &e]))).lines().count(), 2);
    ok(&env.run(args(&["check", "--langs", "fr,en"], &[&f, &e])));
    let first = format!("Le nombre {digits} est grand.");
    import(&env, "m.tsv", &format!("fr\ten\n{first}\tThe number {digits} is big.\n"));
    let other = format!("Le nombre {}8 est grand.", &digits[1..]);
    let r = lookup(&env, "fr", &[first.clone(), other], "50");
    assert_eq!(r[0]["matches"][0]["score"], 100, "{}", r[0]);
    assert!(r[1]["matches"][0]["numbers"].is_object(), "{}", r[1]);
    let v = concordance(&env, &digits, "fr");
    assert_eq!(v["hits"].as_array().unwrap().len(), 1);
}

/// U+066C (thousands) and U+066B (decimal) in Arabic numbers: the number keys fold them, so
/// `١٬٢٥٠` is the number of `1 250` and `1,250` (an alignment anchor), a lookup with Western
/// digits finds the stored sentence without a number difference, and another number is one.
#[test]
fn arabic_thousands_and_decimal_separators() {
    use qantara::Lang;
    use qantara::align::anchors::{AnchorKind, DocContext, anchors};
    let number = |text: &str, lang| -> Vec<String> {
        anchors(text, lang, &DocContext::default())
            .into_iter()
            .filter(|a| a.kind == AnchorKind::Number)
            .map(|a| a.key)
            .collect()
    };
    let ar = number("ارتفع العدد إلى ١٬٢٥٠ شخصا و٣٫٥ مليون", Lang::Ar);
    assert_eq!(ar, number("Le nombre est passé à 1 250 personnes et 3,5 millions", Lang::Fr));
    assert_eq!(ar, number("The number rose to 1,250 people and 3.5 million", Lang::En));
    let env = Env::new();
    let fr = "Le nombre est passé à 1 250 personnes. Le budget atteint 3,5 millions. Rien d'autre.\n";
    let ar = "ارتفع العدد إلى ١٬٢٥٠ شخصا. وبلغت الميزانية ٣٫٥ مليون. ولا شيء آخر.\n";
    let (f, a) = (env.write("f.txt", fr), env.write("a.txt", ar));
    let out = ok(&env.run(args(&["align", "--langs", "ar,fr"], &[&a, &f]))).to_string();
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(
        out.lines().next().unwrap().contains("١٬٢٥٠") && out.lines().next().unwrap().contains("1 250"),
        "{out}"
    );
    import(
        &env,
        "m.tsv",
        "ar\tfr\nارتفع العدد إلى ١٬٢٥٠ شخصا و٣٫٥ مليون.\tLe nombre est passé à 1 250 et 3,5 millions.\n",
    );
    let r = lookup(
        &env,
        "ar",
        &[
            "ارتفع العدد إلى 1,250 شخصا و3.5 مليون.".to_string(),
            "ارتفع العدد إلى ١٬٢٦٠ شخصا و٣٫٥ مليون.".to_string(),
        ],
        "50",
    );
    assert_eq!(r[0]["matches"][0]["score"], 99, "{}", r[0]);
    assert!(r[0]["matches"][0].get("numbers").is_none(), "{}", r[0]);
    assert_eq!(r[1]["matches"][0]["numbers"]["query"][0], "1,260", "{}", r[1]);
}

/// A canonically equivalent (NFD) query of an NFC-stored sentence scores 100 in Latin, Arabic,
/// Hangul and Devanagari script.
#[test]
fn nfd_query_of_an_nfc_sentence_scores_100() {
    let env = Env::new();
    let rows = [
        ("fr", "en", "Le préfet a reçu l’élève à Orléans.", "The prefect met the pupil in Orléans."),
        ("ar", "fr", "آمن المؤمنون بأن الأمن إيجابي.", "Les croyants ont cru que la sécurité est positive."),
        ("en", "fr", "The 한국어 사전 dictionary is good.", "Le dictionnaire 한국어 사전 est bon."),
        ("en", "ar", "The हिन्दी ऩऱऴ समाचार पत्र paper.", "صحيفة हिन्दी ऩऱऴ समाचार पत्र."),
    ];
    for (k, (src, tgt, text, other)) in rows.iter().enumerate() {
        assert_eq!(text.nfc().collect::<String>(), *text);
        let nfd: String = text.nfd().collect();
        assert_ne!(&nfd, text, "{text} has no decomposition");
        import(&env, &format!("m{k}.tsv"), &format!("{src}\t{tgt}\n{text}\t{other}\n"));
        let r = &lookup(&env, src, &[nfd], "90")[0];
        assert_eq!(r["matches"][0]["score"], 100, "{text}: {r}");
        assert_eq!(r["matches"][0]["source"], *text);
    }
}

/// A representative subset of the expanding characters (every 61st, and the known cases)
/// through every command of the real binary: segment, align (2-way, 3-way, raw and
/// presegmented, TMX), annotate, check, term, batch, lookup, concordance, and TMX/TSV export
/// and import. Nothing panics, segments concatenate to the input, every stored sentence is
/// found again at 100.
#[test]
fn expanding_characters_through_every_command() {
    let set = crate::unicode::expanding();
    let mut chars: Vec<char> = set.iter().copied().step_by(61).collect();
    chars.extend(['½', 'ﷺ', 'İ', 'ﬁ', '℁', 'ẞ', '한', 'ǅ', 'Ａ']);
    let env = Env::new();
    let line = |lang: &str, i: usize, c: char| match lang {
        "fr" => format!("Le point {i} vaut 12{c}34 et la DGSN{c} dit قال{c}ب {c}."),
        "en" => format!("Item {i} is worth 12{c}34 and the DGSN{c} says قال{c}ب {c}."),
        _ => format!("البند {i} يساوي 12{c}34 وقالت المديرية العامة للأمن الوطني{c} إن{c}ب {c}."),
    };
    let doc =
        |lang: &str| chars.iter().enumerate().map(|(i, &c)| line(lang, i, c) + "\n").collect::<String>();
    let (ar, fr, en) = (doc("ar"), doc("fr"), doc("en"));
    let (a, f, e) = (env.write("ar.txt", &ar), env.write("fr.txt", &fr), env.write("en.txt", &en));
    // segment: exact slices, only white space between them
    let out = env.run(args(&["segment", "--lang", "fr", "--format", "json"], &[&f]));
    let segs: Vec<Value> = serde_json::from_str(ok(&out)).unwrap();
    let mut pos = 0;
    for s in &segs {
        let (a0, b0) = (s["start"].as_u64().unwrap() as usize, s["end"].as_u64().unwrap() as usize);
        assert!(fr[pos..a0].trim().is_empty());
        assert_eq!(s["text"], &fr[a0..b0]);
        pos = b0;
    }
    assert!(fr[pos..].trim().is_empty());
    // align: 2-way and 3-way, raw and presegmented, as TSV and TMX
    for pre in [&[][..], &["--presegmented"][..]] {
        let two = env.run(args(&[&["align", "--langs", "fr,en"][..], pre].concat(), &[&f, &e]));
        assert!(!ok(&two).is_empty());
        let three = env.run(args(
            &[&["align", "--langs", "ar,fr,en", "--format", "tmx"][..], pre].concat(),
            &[&a, &f, &e],
        ));
        assert!(ok(&three).contains("<tu"));
    }
    ok(&env.run(args(&["check", "--langs", "fr,en"], &[&f, &e])));
    // (status 1: the check found terminology issues, which is no failure of the run)
    let out = env.run(args(&["check", "--langs", "ar,fr", "--json"], &[&a, &f]));
    assert_no_panic(&out);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let doc: Value =
        serde_json::from_str(ok(&env.run(args(&["annotate", "--lang", "ar", "--json"], &[&a])))).unwrap();
    assert!(doc["segments"].as_array().unwrap().iter().any(|s| !s["hits"].as_array().unwrap().is_empty()));
    for &c in chars.iter().step_by(10) {
        let out = env.run(args(&["term", &format!("DGSN{c}"), "--json"], &[]));
        assert_no_panic(&out);
    }
    // batch: three articles of a third of the lines each
    let third = chars.len() / 3 + 1;
    for (k, part) in chars.chunks(third).enumerate() {
        for lang in ["ar", "fr", "en"] {
            let text: String =
                part.iter().enumerate().map(|(i, &c)| line(lang, k * third + i, c) + "\n").collect();
            env.write(&format!("arts/a{k}/{lang}.txt"), text);
        }
    }
    let out = env.run(args(&["batch", "--langs", "ar,fr,en", "--tm"], &[&env.tm(), &env.path("arts")]));
    ok(&out);
    let (docs, units) = env.tm_counts();
    assert_eq!(docs, 3, "{}", out.stderr);
    assert!(units as usize >= chars.len() / 2, "{units} units");
    // lookup: every line stored alone is found at 100
    let tsv: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| format!("{}\t{}\n", line("fr", i, c), line("en", i, c)))
        .collect();
    import(&env, "lines.tsv", &format!("fr\ten\n{tsv}"));
    let queries: Vec<String> = chars.iter().enumerate().map(|(i, &c)| line("fr", i, c)).collect();
    for (q, r) in queries.iter().zip(lookup(&env, "fr", &queries, "100")) {
        assert!(
            r["matches"].as_array().unwrap().iter().any(|m| m["score"] == 100 && m["source"] == q.as_str()),
            "{q:?}: {r}"
        );
    }
    for &c in chars.iter().step_by(15) {
        let v = concordance(&env, &format!("DGSN{c}"), "fr");
        v["hits"].as_array().unwrap().iter().for_each(|h| {
            marked(h);
        });
    }
    // export and import again: the same units (TMX, every unit) and the same lines (TSV)
    let out = env.run(args(&["tm", "export", "--every-unit", "--format", "tmx", "--tm"], &[&env.tm()]));
    let file = env.write("all.tmx", ok(&out));
    let back = env.path("back-tmx.sqlite");
    ok(&env.run(args(&["tm", "import", "--tm"], &[&back, &file])));
    let v: Value =
        serde_json::from_str(ok(&env.run(args(&["tm", "stats", "--json", "--tm"], &[&back])))).unwrap();
    assert_eq!(v["units"].as_u64().unwrap(), env.tm_counts().1);
    let tsv_of = |tm: &Path| -> String {
        let out = env.run(args(&["tm", "export", "--format", "tsv", "--langs", "fr,en", "--tm"], &[tm]));
        ok(&out).to_string()
    };
    // the lines of units, as a set (a round trip may store exact duplicates once)
    let lines = |tsv: &str| -> std::collections::BTreeSet<String> { tsv.lines().map(String::from).collect() };
    let first = tsv_of(&env.tm());
    assert!(first.lines().count() > chars.len());
    let file = env.write("all.tsv", &first);
    let back = env.path("back-tsv.sqlite");
    ok(&env.run(args(&["tm", "import", "--tm"], &[&back, &file])));
    assert!(lines(&tsv_of(&back)) == lines(&first), "the TSV round trip changed the texts");
}
