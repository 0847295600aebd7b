//! Term QA a desk can gate publishing on (issue 11): `check` on realistic articles with
//! planted errors and on their correct translations, the `term` query table, and glossary
//! terms holding punctuation (issue 10).
//!
//! The articles in `tests/fixtures/check/articles/` and the queries in
//! `tests/fixtures/term/queries.tsv` were written for these tests; no corpus text is used.

use crate::util::{qantara, root};
use qantara::lang::Lang;
use std::path::{Path, PathBuf};

const LANGS: [&str; 3] = ["ar", "fr", "en"];

fn articles() -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/check/articles");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

/// `qantara check SRC TGT --json` at its defaults.
fn check(src: &Path, tgt: &Path, s: &str, t: &str) -> serde_json::Value {
    let out = qantara()
        .args([
            "check",
            src.to_str().unwrap(),
            tgt.to_str().unwrap(),
            "--langs",
            &format!("{s},{t}"),
            "--json",
        ])
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The first target line of the pair an issue is about (`source line 3, target line 4`).
fn target_line(issue: &serde_json::Value) -> Option<usize> {
    let origin = issue["origin"].as_str()?;
    origin.split("target line ").nth(1)?.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

#[test]
fn check_is_quiet_on_correct_articles_and_catches_planted_errors() {
    let arts = articles();
    assert!(arts.len() >= 8, "{} articles", arts.len());
    // Correct translations, all six directions: at most one issue per 20 pairs.
    let (mut pairs, mut alarms) = (0, Vec::new());
    for a in &arts {
        for s in LANGS {
            for t in LANGS {
                if s == t {
                    continue;
                }
                let r = check(&a.join(format!("{s}.txt")), &a.join(format!("{t}.txt")), s, t);
                pairs += r["pairs"].as_u64().unwrap() as usize;
                for i in r["issues"].as_array().unwrap() {
                    alarms.push(format!("{} {s}->{t}: {}", a.display(), i["message"]));
                }
            }
        }
    }
    assert!(pairs >= 200, "{pairs} pairs");
    assert!(
        alarms.len() * 20 <= pairs,
        "{} issues on {pairs} correct pairs:\n{}",
        alarms.len(),
        alarms.join("\n")
    );

    // Planted errors, one per copy: at least 95% reported on their line, about their concept.
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string(root().join("tests/fixtures/check/planted.tsv")).unwrap();
    let (mut total, mut missed, mut classes) = (0, Vec::new(), std::collections::BTreeSet::new());
    let mut errors = 0;
    for (k, row) in manifest.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).enumerate() {
        let f: Vec<&str> = row.split('\t').collect();
        let [article, lang, line, srcs, concepts, class, find, replace] = f[..] else {
            panic!("planted.tsv: bad row {row:?}")
        };
        errors += 1;
        classes.insert(class);
        let line: usize = line.parse().unwrap();
        let adir = root().join("tests/fixtures/check/articles").join(article);
        let text = std::fs::read_to_string(adir.join(format!("{lang}.txt"))).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        assert!(lines[line - 1].contains(find), "{article}/{lang}.txt:{line} has no {find:?}");
        lines[line - 1] = lines[line - 1].replacen(find, replace, 1);
        let planted = dir.path().join(format!("{k}.{lang}.txt"));
        std::fs::write(&planted, lines.join("\n") + "\n").unwrap();
        let concepts: Vec<&str> = concepts.split('|').collect();
        for s in srcs.split(',') {
            total += 1;
            let r = check(&adir.join(format!("{s}.txt")), &planted, s, lang);
            let caught = r["issues"].as_array().unwrap().iter().any(|i| {
                concepts.contains(&i["concept"].as_str().unwrap())
                    && (target_line(i) == Some(line) || i["kind"] == "inconsistent")
            });
            if !caught {
                missed.push(format!("{article} {s}->{lang} line {line} ({class}): {}", r["issues"]));
            }
        }
    }
    assert!(errors >= 30, "{errors} planted errors");
    for class in [
        "swap-in-lead",
        "gender",
        "deprecated",
        "superseded",
        "wrong-institution",
        "misspelt-name",
        "missing-term",
        "only-in-target",
    ] {
        assert!(classes.contains(class), "no planted error of class {class}");
    }
    assert!(
        missed.len() * 20 <= total,
        "{} of {total} planted errors missed:\n{}",
        missed.len(),
        missed.join("\n")
    );
    eprintln!(
        "check: {} issue(s) on {pairs} correct pairs; {} of {total} planted-error checks caught",
        alarms.len(),
        total - missed.len()
    );
}

/// The query table: every row passes (issue 11 asks for 100%).
#[test]
fn term_query_table() {
    let g = qantara::formats::glossary::builtin();
    let table = std::fs::read_to_string(root().join("tests/fixtures/term/queries.tsv")).unwrap();
    let (mut n, mut failures) = (0, Vec::new());
    for row in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = row.split('\t').collect();
        let [query, lang, want, gender] = f[..] else { panic!("queries.tsv: bad row {row:?}") };
        n += 1;
        // As `qantara term` does: `auto` is Arabic for Arabic letters, else every language.
        let lang: Option<Lang> = match lang {
            "auto" => query.chars().any(qantara::lang::is_arabic_letter).then_some(Lang::Ar),
            l => Some(l.parse().unwrap()),
        };
        let matches = g.lookup(query, lang, 5);
        let whole = matches.iter().find(|m| !m.partial);
        let got = whole.map_or("-", |m| g.concepts()[m.concept].id.as_str());
        let got_gender =
            whole.and_then(|m| g.concepts()[m.concept].terms[m.term].gender).map_or("", |g| g.as_str());
        if got != want || (!gender.is_empty() && got_gender != gender) {
            failures.push(format!("{query:?}: want {want} {gender}, got {got} {got_gender} ({matches:?})"));
        }
    }
    assert!(n >= 150, "{n} queries");
    assert!(failures.is_empty(), "{} of {n} queries failed:\n{}", failures.len(), failures.join("\n"));
}

/// The CLI says when a result is only partial, and exits with 1 then, as for no result.
#[test]
fn term_says_partial_and_exits_one() {
    let out = qantara().args(["term", "sécurité intérieure"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("partial matches only") && text.contains("partial match of"), "{text}");
    for q in ["veaux", "national security", "Olympic diver", "الغرب", "the West"] {
        let out = qantara().args(["term", q]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{q}");
        assert!(String::from_utf8(out.stdout).unwrap().starts_with("no concept found"), "{q}");
    }
    let out = qantara().args(["term", "le patron de la DGSI", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["matches"][0]["concept"], "fr-title-dgsi");
    assert_eq!(doc["matches"][0]["partial"], false);
}

/// Issue 10: terms holding `( ) / & :` were accepted by `glossary validate` and never found,
/// not even by `term` given the exact term.
#[test]
fn terms_with_punctuation_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("punct.csv");
    std::fs::write(
        &csv,
        "concept,lang,term,type\n\
         bcij-p,fr,Bureau central (BCIJ),full\n\
         bcij-p,ar,المكتب المركزي (BCIJ),full\n\
         bcij-p,en,Central Bureau (BCIJ),full\n\
         rd-p,fr,R&D sécurité,full\n\
         rd-p,en,Security R&D,full\n\
         ab-p,fr,Cellule A/B,full\n\
         ab-p,en,Unit A/B,full\n\
         note-p,fr,Plan Vigipirate : urgence attentat,full\n\
         note-p,en,Vigipirate plan: emergency,full\n",
    )
    .unwrap();
    let g = csv.to_str().unwrap();
    qantara().args(["glossary", "validate", g]).assert().success();
    for (query, id) in [
        ("Bureau central (BCIJ)", "bcij-p"),
        ("المكتب المركزي (BCIJ)", "bcij-p"),
        ("R&D sécurité", "rd-p"),
        ("Cellule A/B", "ab-p"),
        ("Unit A/B", "ab-p"),
        ("Plan Vigipirate : urgence attentat", "note-p"),
        ("Vigipirate plan: emergency", "note-p"),
    ] {
        let out = qantara()
            .args(["term", query, "--json", "--no-default-glossary", "--glossary", g])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{query}: {}", String::from_utf8_lossy(&out.stdout));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["matches"][0]["concept"], id, "{query}");
        assert_eq!(doc["matches"][0]["score"], 1.0, "{query}");
    }
    // In running text too, and only with the punctuation: `Bureau central BCIJ` is not it.
    let text = dir.path().join("a.txt");
    std::fs::write(
        &text,
        "Le Bureau central (BCIJ) et la Cellule A/B ont agi. Le Bureau central BCIJ aussi.\n",
    )
    .unwrap();
    let out = qantara()
        .args([
            "annotate",
            text.to_str().unwrap(),
            "--lang",
            "fr",
            "--json",
            "--no-default-glossary",
            "--glossary",
            g,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let surfaces: Vec<String> = doc["segments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["hits"].as_array().unwrap().clone())
        .map(|h| h["surface"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(surfaces, ["Bureau central (BCIJ)", "Cellule A/B"], "{doc}");
}

/// `check --json` numbers pairs as the text output does (from 1).
#[test]
fn check_json_numbers_pairs_as_the_text_does() {
    let a = root().join("tests/fixtures/check/articles/03-lerner-visit");
    let dir = tempfile::tempdir().unwrap();
    let fr = std::fs::read_to_string(a.join("fr.txt"))
        .unwrap()
        .replace("Le patron de la DGSE", "Le patron de la DGSI");
    let planted = dir.path().join("fr.txt");
    std::fs::write(&planted, fr).unwrap();
    let run = |json: bool| {
        let mut args =
            vec!["check".to_string(), a.join("ar.txt").display().to_string(), planted.display().to_string()];
        args.extend(["--langs".into(), "ar,fr".into()]);
        if json {
            args.push("--json".into());
        }
        qantara().args(&args).output().unwrap()
    };
    let text = String::from_utf8(run(false).stdout).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&run(true).stdout).unwrap();
    let from_text: Vec<u64> =
        text.lines().filter_map(|l| l.split(": pair ").nth(1)?.split(' ').next()?.parse().ok()).collect();
    let from_json: Vec<u64> =
        doc["issues"].as_array().unwrap().iter().map(|i| i["pair"].as_u64().unwrap()).collect();
    assert!(!from_json.is_empty(), "{text}");
    assert_eq!(from_text, from_json, "{text}");
    assert_eq!(from_json[0], 1, "the headline is pair 1: {text}");
}

/// Issue 11, on the seed article: a title swapped in a sentence next to one that names the
/// right title, and a name misspelt in the headline that the next sentence spells right, are
/// both reported; the swap is not also reported as a gender error because the pair names a
/// man with the other title.
#[test]
fn the_window_hides_no_swap_and_no_misspelt_headline_name() {
    let seed = root().join("seeds/dgsn-visit-france-2024");
    let dir = tempfile::tempdir().unwrap();
    let fr = std::fs::read_to_string(seed.join("fr.txt")).unwrap();
    for (what, from, to, concept, kind) in [
        (
            "swap",
            "directrice générale de la Sécurité intérieure",
            "directrice générale de la Sécurité extérieure",
            "fr-title-dgsi",
            "missing",
        ),
        ("headline", "pour M. Hammouchi en vue", "pour M. Hamouchi en vue", "ma-hammouchi", "typo"),
    ] {
        assert!(fr.contains(from), "{what}");
        let planted = dir.path().join(format!("{what}.txt"));
        std::fs::write(&planted, fr.replacen(from, to, 1)).unwrap();
        let r = check(&seed.join("ar.txt"), &planted, "ar", "fr");
        let issues: Vec<(&str, &str, &str)> = r["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (i["kind"].as_str().unwrap(), i["concept"].as_str().unwrap(), i["severity"].as_str().unwrap())
            })
            .collect();
        assert_eq!(issues, [(kind, concept, "error")], "{what}: {}", r["issues"]);
    }
}
