//! Regression tests for defects found by QA with the release binary, each named after what
//! broke. Every input is written here, in a temporary folder.

use crate::bad_input::{Env, Out, assert_refused};
use std::ffi::OsString;
use std::path::Path;

fn args(a: &[&str], tail: &[&Path]) -> Vec<OsString> {
    a.iter().map(OsString::from).chain(tail.iter().map(|p| p.as_os_str().to_owned())).collect()
}

fn import(env: &Env, file: &Path) -> Out {
    env.run(args(&["tm", "import", "--tm"], &[&env.tm(), file]))
}

fn export(env: &Env, format: &str, langs: &str) -> String {
    let out = env.run(args(&["tm", "export", "--format", format, "--langs", langs, "--tm"], &[&env.tm()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

/// A TSV memory whose texts hold quotes (balanced and not), a backslash and escapes.
const QUOTED_TSV: &str = "fr\ten\n\
\"Oui, dit-elle. Puis elle sortit.\tYes, she said. Then she went out.\n\
\"Ouverture\" du dossier.\t\"Opening\" of the file.\n\
Le commissaire a signé le rapport.\tThe superintendent signed the report.\n\
Il a dit : \"\"non\"\".\tHe said: \"\"no\"\".\n\
Deux colonnes :\\tici\\net là, chemin C:\\\\temp.\tTwo columns:\\there\\nand there, path C:\\\\temp.\n\
La séance est levée.\tThe meeting is closed.\n";

#[test]
fn tsv_import_reads_quotes_literally_and_round_trips_byte_for_byte() {
    let env = Env::new();
    let f = env.write("q.tsv", QUOTED_TSV);
    let out = import(&env, &f);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("imported 6 units"), "{}", out.stderr);
    assert_eq!(env.tm_counts(), (1, 6));
    // The texts are stored as written: quotes kept, escapes turned into a tab and a line break.
    let tmx = export(&env, "tmx", "fr,en");
    assert!(tmx.contains("<seg>\"Oui, dit-elle. Puis elle sortit.</seg>"), "{tmx}");
    assert!(tmx.contains("<seg>\"Ouverture\" du dossier.</seg>"), "{tmx}");
    assert!(tmx.contains("Deux colonnes :\tici\net là, chemin C:\\temp."), "{tmx}");
    // TSV export → the very file imported.
    assert_eq!(export(&env, "tsv", "fr,en"), QUOTED_TSV);
}

#[test]
fn tsv_import_names_the_lines_it_skips() {
    let env = Env::new();
    let f = env.write(
        "gaps.tsv",
        "ar\tfr\nوصل الوفد صباحا.\tLa délégation est arrivée le matin.\n\tSans traduction.\n\t\t\n",
    );
    let out = import(&env, &f);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("2 units with fewer than two languages skipped (lines 3, 4)"),
        "{}",
        out.stderr
    );
    let out = env.run(args(&["tm", "import", "--json", "--tm"], &[&env.tm(), &f]));
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["skipped_lines"], serde_json::json!([3, 4]));
}

#[test]
fn csv_unbalanced_quote_is_refused_with_line_and_column() {
    let env = Env::new();
    let f = env.write(
        "q.csv",
        "fr,en\nLe train part.,The train leaves.\nIl pleut,\"It rains\nLe ciel est bleu.,The sky is blue.\n",
    );
    let out = import(&env, &f);
    assert_refused(&out, "q.csv", &["line 3, column 10", "unbalanced quote"]);
    assert_eq!(env.tm_counts(), (0, 0));
    // A quoted field followed by more text: refused too, never silently rewritten.
    let f = env.write("r.csv", "fr,en\n\"Ouverture\" du dossier.,Opening of the file.\n");
    let out = import(&env, &f);
    assert_refused(&out, "r.csv", &["line 2, column 12", "\"\""]);
    assert_eq!(env.tm_counts(), (0, 0));
    // Proper RFC 4180 quoting still reads.
    let f = env.write("ok.csv", "fr,en\n\"Oui, non\",\"Yes, \"\"no\"\"\"\n");
    assert_eq!(import(&env, &f).code, 0);
    assert!(export(&env, "tmx", "fr,en").contains("<seg>Yes, \"no\"</seg>"));
}

#[test]
fn tmx_seg_of_white_space_is_no_translation() {
    let env = Env::new();
    let tmx = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n\
        <header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" \
        adminlang=\"en\" srclang=\"ar\" datatype=\"plaintext\"/>\n<body>\n\
        <tu><tuv xml:lang=\"ar\"><seg>أغلق المتجر.</seg></tuv><tuv xml:lang=\"fr\"><seg>  </seg></tuv></tu>\n\
        <tu><tuv xml:lang=\"ar\"><seg>فتح المتجر.</seg></tuv><tuv xml:lang=\"fr\"><seg> \n </seg></tuv>\
        <tuv xml:lang=\"en\"><seg>The shop opened.</seg></tuv></tu>\n\
        </body>\n</tmx>\n";
    let f = env.write("blank.tmx", tmx);
    let out = import(&env, &f);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("imported 1 units"), "{}", out.stderr);
    assert!(out.stderr.contains("1 units with fewer than two languages skipped (line 5)"), "{}", out.stderr);
    let out = env.run(args(&["tm", "export", "--every-unit", "--tm"], &[&env.tm()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let tmx = out.stdout;
    assert!(!tmx.contains("xml:lang=\"fr\""), "a blank French text was stored: {tmx}");
    assert!(tmx.contains("The shop opened."), "{tmx}");
}

#[test]
fn align_seed_tmx_passes_tm_validate() {
    let env = Env::new();
    let seed = |l: &str| crate::util::seed(&format!("dgsn-visit-france-2024/{l}.txt"));
    let (ar, fr, en) = (seed("ar"), seed("fr"), seed("en"));
    let x = env.path("x.tmx");
    let out = env.run(args(&["align", "--langs", "ar,fr,en", "--format", "tmx", "-o"], &[&x, &ar, &fr, &en]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = env.run(args(&["tm", "validate"], &[&x]));
    assert_eq!(out.code, 0, "qantara's own TMX is refused by its validator:\n{}{}", out.stdout, out.stderr);
}

#[test]
fn align_presegmented_blank_lines_and_one_sided_beads_are_no_units() {
    let env = Env::new();
    // A blank line on each side and a French sentence the English lacks.
    let fr = env.write(
        "fr.txt",
        "Le ministre est arrivé à midi.\n\nIl a visité le nouveau poste frontière.\n\
         Une conférence de presse a suivi la visite.\nLe ministre est reparti le soir même.\n",
    );
    let en = env.write(
        "en.txt",
        "The minister arrived at noon.\n\nHe visited the new border post.\n\
         The minister left the same evening.\n",
    );
    let run = |format: &str| {
        let out =
            env.run(args(&["align", "--presegmented", "--langs", "fr,en", "--format", format], &[&fr, &en]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let beads = run("beads");
    assert!(beads.lines().any(|l| l.ends_with(":[]")), "no one-sided bead to leave out: {beads}");
    let tsv = run("tsv");
    assert_eq!(tsv.lines().count(), 3, "{tsv}");
    assert!(tsv.lines().all(|l| l.split('\t').all(|c| !c.trim().is_empty())), "{tsv}");
    let x = env.write("x.tmx", run("tmx"));
    assert!(!std::fs::read_to_string(&x).unwrap().contains("<seg></seg>"));
    let out = env.run(args(&["tm", "validate"], &[&x]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // The JSON lines keep every bead: they are the alignment.
    assert_eq!(run("jsonl").lines().count(), beads.lines().count());
}

/// A memory of one French–English unit, for the lookup tests.
fn small_memory(env: &Env) {
    let f = env.write(
        "m.tsv",
        "fr\ten\nLa commission a rendu son avis mardi.\tThe commission gave its opinion on Tuesday.\n",
    );
    assert_eq!(import(env, &f).code, 0);
}

#[test]
fn lookup_batch_goes_on_past_a_query_of_unknown_language() {
    let env = Env::new();
    small_memory(&env);
    let q = env.write(
        "q.txt",
        "La commission a rendu son avis mardi.\n\n2024 - 466\nThe commission gave its opinion on Tuesday.\n",
    );
    let out = env.run(args(&["lookup", "--batch"], &[&q, Path::new("--tm"), &env.tm()]));
    assert_ne!(out.code, 0, "a failed query must make the run fail:\n{}", out.stderr);
    let lines: Vec<serde_json::Value> =
        out.stdout.lines().map(|l| serde_json::from_str(l).expect("JSON lines")).collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert_eq!(lines[0]["matches"][0]["score"], 100);
    assert_eq!(
        (&lines[1]["query"], &lines[1]["line"]),
        (&serde_json::json!("2024 - 466"), &serde_json::json!(3))
    );
    let err = lines[1]["error"].as_str().expect("an error message");
    assert!(err.contains("cannot tell the language") && err.contains("--lang"), "{err}");
    assert_eq!(lines[2]["matches"][0]["score"], 100, "the query after the failed one was not run");
    assert!(out.stderr.contains("q.txt") && out.stderr.contains("line 3"), "{}", out.stderr);
    // Without --batch the error says what to do.
    let out = env.run(args(&["lookup", "2024 - 466", "--tm"], &[&env.tm()]));
    assert_refused(&out, "2024 - 466", &["--lang fr"]);
}

#[test]
fn a_short_latin_query_of_unsure_language_is_searched_in_french_and_english() {
    let env = Env::new();
    small_memory(&env);
    // Too short for the guess to place; the memory finds it.
    for (query, lang) in
        [("commission rendu avis mardi", "fr"), ("commission gave its opinion Tuesday", "en")]
    {
        assert_eq!(qantara::lang::detect(query), None, "{query}: the guess must be unsure for this test");
        let out = env.run(args(&["lookup", query, "--json", "--min", "50", "--tm"], &[&env.tm()]));
        assert_eq!(out.code, 0, "{query}: {}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["lang"], lang, "{query}");
        assert!(v["matches"][0]["score"].as_u64().unwrap() >= 50, "{v}");
    }
}

#[test]
fn lookup_to_the_query_language_is_refused() {
    let env = Env::new();
    small_memory(&env);
    for extra in [&[][..], &["--lang", "fr"][..]] {
        let mut a = args(&["lookup", "La commission a rendu son avis mardi.", "--to", "fr"], &[]);
        a.extend(extra.iter().map(OsString::from));
        a.extend(args(&["--tm"], &[&env.tm()]));
        let out = env.run(a);
        assert_refused(&out, "--to fr", &["own", "--to ar,en"]);
        assert!(!out.stdout.contains("no match"), "{}", out.stdout);
    }
    // Another target beside it is fine.
    let out = env.run(args(
        &["lookup", "La commission a rendu son avis mardi.", "--to", "fr,en", "--tm"],
        &[&env.tm()],
    ));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn limit_zero_is_refused_at_parse_time() {
    let env = Env::new();
    small_memory(&env);
    let tm = env.tm();
    let tm = tm.to_str().unwrap();
    for cmd in [
        &["lookup", "La commission a rendu son avis.", "--limit", "0", "--tm", tm][..],
        &["concordance", "commission", "--limit", "0", "--tm", tm],
        &["term", "préfet", "--limit", "0"],
    ] {
        let out = env.run(cmd);
        assert_eq!(out.code, 2, "{cmd:?}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains("--limit") && out.stderr.contains("1 or more"),
            "{cmd:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{cmd:?}: {}", out.stdout);
    }
}

#[test]
fn segment_json_offsets_index_the_decoded_text_as_documented() {
    let env = Env::new();
    let text = "Le bureau ouvre à huit heures.\nIl ferme à midi.\n";
    let crlf = [&b"\xEF\xBB\xBF"[..], text.replace('\n', "\r\n").as_bytes()].concat();
    let f = env.write("crlf.txt", &crlf);
    let out = env.run(args(&["segment", "--lang", "fr", "--format", "jsonl"], &[&f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let segs: Vec<serde_json::Value> = out.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let second = &segs[1];
    let (start, end) = (second["start"].as_u64().unwrap() as usize, second["end"].as_u64().unwrap() as usize);
    // The offsets slice the decoded text (no BOM, LF line ends), not the file's bytes.
    assert_eq!(&text[start..end], second["text"].as_str().unwrap());
    assert_ne!(&crlf[start..end], second["text"].as_str().unwrap().as_bytes());
    // And the help says so.
    let help = env.run(["segment", "--help"]).stdout;
    assert!(help.contains("byte offsets into the decoded text"), "{help}");
    assert!(!help.contains("exact slices of the \ninput") && !help.contains("slices of the input"), "{help}");
    let readme = std::fs::read_to_string(crate::util::root().join("README.md")).unwrap();
    assert!(readme.contains("byte offsets into the **decoded text**"));
}

/// `3½`: NFKC turns `½` into `1⁄2`, and the tokens made from it once shared a span, so code
/// slicing the text between two tokens panicked (`begin > end`) in align, check and lookup.
#[test]
fn vulgar_fractions_align_check_store_and_look_up() {
    let env = Env::new();
    let fr = env.write("f.txt", "Cela a coûté 3½ millions.\n");
    let en = env.write("e.txt", "It cost 3½ million.\n");
    let out = env.run(args(&["align", "--langs", "fr,en"], &[&fr, &en]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "Cela a coûté 3½ millions.\tIt cost 3½ million.\n");
    let out = env.run(args(&["check", "--langs", "fr,en"], &[&fr, &en]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // A batch folder with a fraction article beside a plain one stores both; lookup finds the
    // fraction sentence at 100 and a near variant with a word diff.
    env.write("arts/score/fr.txt", "Le score final fut 14½-13½ hier.\n");
    env.write("arts/score/en.txt", "The final score was 14½-13½ yesterday.\n");
    env.write("arts/visit/fr.txt", "Le ministre est arrivé à Rabat.\n");
    env.write("arts/visit/en.txt", "The minister arrived in Rabat.\n");
    let out = env.run(args(&["batch", "--langs", "fr,en", "--tm"], &[&env.tm(), &env.path("arts")]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(env.tm_counts().0, 2, "{}", out.stderr);
    let tm = env.tm();
    let tm = tm.to_str().unwrap();
    let out = env.run(
        ["lookup", "Le score final fut 14½-13½ hier.", "--lang", "fr", "--tm", tm]
            .map(OsString::from)
            .to_vec(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("100%"), "{}", out.stdout);
    let out = env.run(
        ["lookup", "Le score final fut 14½-13 hier.", "--lang", "fr", "--tm", tm]
            .map(OsString::from)
            .to_vec(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("{+13½+}"), "{}", out.stdout);
    let out = env.run(["concordance", "14½", "--lang", "fr", "--tm", tm].map(OsString::from).to_vec());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("⟦14½⟧"), "{}", out.stdout);
}
