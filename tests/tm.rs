//! Integration tests for the tm stage: the real binary on temporary memories (`--tm`).

use crate::stores::fresh_tm;
use crate::util::{qantara, seed, with_snapshots};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A deterministic generator of made-up bilingual sentences (no corpus text).
struct Gen(u64);

const FR: &[&str] = &[
    "le",
    "préfet",
    "a",
    "inauguré",
    "un",
    "nouveau",
    "commissariat",
    "dans",
    "la",
    "ville",
    "de",
    "Tanger",
    "les",
    "agents",
    "ont",
    "saisi",
    "une",
    "cargaison",
    "près",
    "du",
    "port",
    "après",
    "enquête",
    "menée",
    "par",
    "brigade",
    "régionale",
    "police",
    "judiciaire",
    "sous",
    "supervision",
    "parquet",
    "compétent",
    "réunion",
    "consacrée",
    "à",
    "sécurité",
    "routière",
    "été",
    "tenue",
    "mardi",
    "au",
    "siège",
    "direction",
];
const AR: &[&str] = &[
    "افتتح",
    "الوالي",
    "مفوضية",
    "جديدة",
    "في",
    "مدينة",
    "طنجة",
    "حجز",
    "الأعوان",
    "شحنة",
    "قرب",
    "الميناء",
    "بعد",
    "بحث",
    "أجرته",
    "الفرقة",
    "الجهوية",
    "للشرطة",
    "القضائية",
    "تحت",
    "إشراف",
    "النيابة",
    "العامة",
    "المختصة",
    "اجتماع",
    "خصص",
    "للسلامة",
    "الطرقية",
    "عقد",
    "يوم",
    "الثلاثاء",
    "بمقر",
    "المديرية",
    "الأمن",
];

impl Gen {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn words(&mut self, vocab: &[&str], n: usize) -> Vec<String> {
        (0..n)
            .map(|_| {
                let w = vocab[self.below(vocab.len())];
                // Suffix some words with a number so the vocabulary is large enough for the
                // index to matter (each "word3" is a distinct key).
                if self.below(3) == 0 { format!("{w}{}", self.below(500)) } else { w.to_string() }
            })
            .collect()
    }
    fn sentence(&mut self, vocab: &[&str]) -> String {
        let n = 6 + self.below(14);
        self.words(vocab, n).join(" ") + "."
    }
}

fn tm_path(dir: &Path) -> PathBuf {
    fresh_tm(dir, "tm.sqlite")
}

fn run_ok(args: &[&str]) -> String {
    let out = qantara().args(args).output().expect("runs");
    assert!(out.status.success(), "qantara {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A folder of generated articles (fr+ar, some with en), plus the seed article.
fn article_dir(root: &Path, n: usize) -> PathBuf {
    let dir = root.join("articles");
    let mut g = Gen(7);
    for i in 0..n {
        let a = dir.join(format!("gen-{i:02}"));
        std::fs::create_dir_all(&a).unwrap();
        let k = 3 + g.below(5);
        let fr: Vec<String> = (0..k).map(|_| g.sentence(FR)).collect();
        let ar: Vec<String> = (0..k).map(|_| g.sentence(AR)).collect();
        std::fs::write(a.join("fr.txt"), fr.join("\n")).unwrap();
        std::fs::write(a.join("ar.txt"), ar.join("\n")).unwrap();
    }
    let s = dir.join("seed");
    std::fs::create_dir_all(&s).unwrap();
    for l in ["ar", "fr", "en"] {
        std::fs::copy(seed(&format!("dgsn-visit-france-2024/{l}.txt")), s.join(format!("{l}.txt"))).unwrap();
    }
    dir
}

#[test]
fn batch_stores_articles_reports_failures_and_rerun_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = article_dir(tmp.path(), 6);
    // A failing article: one language only.
    std::fs::create_dir_all(dir.join("zz-broken")).unwrap();
    std::fs::write(dir.join("zz-broken/fr.txt"), "Une seule version.\n").unwrap();
    let tm = tm_path(tmp.path());
    let tm_s = tm.to_str().unwrap();

    let out = qantara()
        .args(["batch", dir.to_str().unwrap(), "--tm", tm_s, "--json", "--jobs", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a failed article makes the exit status non-zero");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["articles"], 8);
    assert_eq!(summary["stored"], 7);
    assert_eq!(summary["failures"][0]["article"], "zz-broken");
    assert!(String::from_utf8_lossy(&out.stderr).contains("zz-broken"));

    let stats: serde_json::Value =
        serde_json::from_str(&run_ok(&["tm", "stats", "--json", "--tm", tm_s])).unwrap();
    assert_eq!(stats["documents"], 7);
    assert!(stats["pairs"]["ar-fr"].as_u64().unwrap() > 20);
    let before = run_ok(&["tm", "export", "--every-unit", "--tm", tm_s]);

    let out = qantara().args(["batch", dir.to_str().unwrap(), "--tm", tm_s, "--json"]).output().unwrap();
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((again["stored"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(7)));
    assert_eq!(
        run_ok(&["tm", "export", "--every-unit", "--tm", tm_s]),
        before,
        "second run changed the memory"
    );

    // Batch over the repository's seeds/ directly, writing per-article files.
    let out_dir = tmp.path().join("out");
    run_ok(&[
        "batch",
        seed("").to_str().unwrap(),
        "--tm",
        fresh_tm(tmp.path(), "seeds.sqlite").to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--format",
        "tmx",
    ]);
    let tmx = out_dir.join("dgsn-visit-france-2024.tmx");
    qantara().args(["tm", "validate", tmx.to_str().unwrap()]).assert().success();
}

#[test]
fn searching_an_empty_memory_says_it_is_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let tm = tm_path(tmp.path());
    let tm_s = tm.to_str().unwrap();
    for args in [
        &["lookup", "Le directeur a visité Paris.", "--tm", tm_s][..],
        &["concordance", "Sûreté nationale", "--tm", tm_s][..],
    ] {
        let out = qantara().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: nothing found");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is empty") && err.contains("qantara batch"), "{args:?}: {err}");
    }
    // Once it holds a unit, the note goes away even when nothing matches.
    run_ok(&["batch", seed("").to_str().unwrap(), "--tm", tm_s]);
    let out = qantara().args(["lookup", "Une phrase sans rapport aucun.", "--tm", tm_s]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("is empty"));
}

#[test]
fn lookup_finds_changed_sentence_with_numbers_and_clitics() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = article_dir(tmp.path(), 2);
    let tm = tm_path(tmp.path());
    let tm_s = tm.to_str().unwrap();
    run_ok(&["batch", dir.to_str().unwrap(), "--tm", tm_s]);

    // A French seed line with a changed date: found, below 100, the numbers listed.
    let fr = std::fs::read_to_string(seed("dgsn-visit-france-2024/fr.txt")).unwrap();
    let line =
        fr.lines().find(|l| l.contains("2024") && l.split(' ').count() > 20).expect("a dated line").trim();
    let query = line.replacen("2024", "2025", 1);
    let out = run_ok(&["lookup", &query, "--lang", "fr", "--json", "--tm", tm_s]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["query"], query.as_str());
    assert_eq!(v["lang"], "fr");
    let m = &v["matches"][0];
    assert_eq!(m["source"], line);
    let score = m["score"].as_u64().unwrap();
    assert!((70..100).contains(&score), "score {score}");
    assert_eq!(m["numbers"]["query"][0], "2025");
    assert_eq!(m["numbers"]["source"][0], "2024");
    assert!(m["diff"].as_str().unwrap().contains("[-2025-]"), "{}", m["diff"]);
    assert!(m["targets"].as_object().unwrap().contains_key("ar"));
    assert!(m["doc"].is_string() && m["unit"].is_i64());

    // The line itself scores 100 and comes first.
    let out = run_ok(&["lookup", line, "--lang", "fr", "--json", "--tm", tm_s]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((&v["matches"][0]["source"], &v["matches"][0]["score"]), (&line.into(), &100.into()));

    // An Arabic seed line with a conjunction glued to a word: the same keys, so found first,
    // at 99 (a variant of the text, not the text).
    let ar = std::fs::read_to_string(seed("dgsn-visit-france-2024/ar.txt")).unwrap();
    let line = ar.lines().map(str::trim).find(|l| l.split(' ').count() > 8).expect("an Arabic line");
    let words: Vec<&str> = line.split(' ').collect();
    let query = format!("{} و{} {}", words[..2].join(" "), words[2], words[3..].join(" "));
    let out = run_ok(&["lookup", &query, "--lang", "ar", "--json", "--min", "90", "--tm", tm_s]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matches"][0]["source"], line);
    assert_eq!(v["matches"][0]["score"], 99);

    // --batch: one JSON line per query, only matches >= --min, best first.
    let qf = tmp.path().join("q.txt");
    std::fs::write(&qf, format!("{query}\nجملة لا توجد في الذاكرة إطلاقا\n")).unwrap();
    let out =
        run_ok(&["lookup", "--batch", qf.to_str().unwrap(), "--lang", "ar", "--min", "60", "--tm", tm_s]);
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1]["matches"].as_array().unwrap().is_empty());
    let scores: Vec<u64> =
        lines[0]["matches"].as_array().unwrap().iter().map(|m| m["score"].as_u64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]) && scores.iter().all(|&s| s >= 60), "{scores:?}");

    // Concordance ignores clitics and diacritics and marks the phrase.
    let out = run_ok(&["concordance", "المديرية العامة", "--lang", "ar", "--json", "--tm", tm_s]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for h in hits {
        let marked = h["marked"].as_str().unwrap();
        assert!(marked.contains('⟦') && marked.contains('⟧'), "{marked}");
    }
    let out = run_ok(&["concordance", "SURETE nationale", "--lang", "fr", "--tm", tm_s]);
    assert!(out.contains("⟦Sûreté nationale⟧"), "{out}");
}

const TSV: &str = "fr\tar\ten\tnote
La Sûreté nationale a tenu une réunion.\tعقدت المديرية العامة للأمن الوطني اجتماعا.\tThe DGSN held a meeting.\tx
Le préfet a inauguré un commissariat & un \"centre\" <neuf>.\tافتتح الوالي مفوضية ومركزا جديدا.\t\t
Le préfet a inauguré un commissariat & un \"centre\" <neuf>.\tافتتح الوالي مفوضية ومركزا جديدا.\t\t
Une ligne sans traduction.\t\t\t
";

#[test]
fn export_import_export_is_the_identity() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("units.tsv");
    std::fs::write(&src, TSV).unwrap();
    let a = fresh_tm(tmp.path(), "a.sqlite");
    let b = fresh_tm(tmp.path(), "b.sqlite");
    let out = qantara()
        .args(["tm", "import", src.to_str().unwrap(), "--tm", a.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (s["units"].as_u64(), s["duplicates"].as_u64(), s["skipped"].as_u64()),
        (Some(2), Some(1), Some(1))
    );

    let e1 = tmp.path().join("e1.tmx");
    // `--every-unit`: the complete copy (the default TMX leaves out units lacking a language).
    run_ok(&["tm", "export", "--every-unit", "-o", e1.to_str().unwrap(), "--tm", a.to_str().unwrap()]);
    run_ok(&["tm", "import", e1.to_str().unwrap(), "--tm", b.to_str().unwrap()]);
    let e2 = run_ok(&["tm", "export", "--every-unit", "--tm", b.to_str().unwrap()]);
    let e1 = std::fs::read_to_string(&e1).unwrap();
    assert_eq!(e1, e2, "export → import → export changed the TMX");
    qantara().args(["tm", "validate", tmp.path().join("e1.tmx").to_str().unwrap()]).assert().success();
    // Re-importing does not duplicate.
    run_ok(&["tm", "import", tmp.path().join("e1.tmx").to_str().unwrap(), "--tm", b.to_str().unwrap()]);
    assert_eq!(run_ok(&["tm", "export", "--every-unit", "--tm", b.to_str().unwrap()]), e2);

    let tsv = run_ok(&["tm", "export", "--format", "tsv", "--langs", "ar,fr", "--tm", b.to_str().unwrap()]);
    with_snapshots(|| {
        let mut s = insta::Settings::clone_current();
        s.add_filter(r"\d{8}T\d{6}Z", "[DATE]");
        s.add_filter(r#"creationtoolversion="[^"]*""#, r#"creationtoolversion="[VERSION]""#);
        s.bind(|| {
            insta::assert_snapshot!("tm_export_tmx", e2);
            insta::assert_snapshot!("tm_export_tsv_ar_fr", tsv);
        });
    });
}

#[test]
fn validate_reports_every_problem_with_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.tmx");
    std::fs::write(
        &bad,
        "<?xml version=\"1.0\"?>\n<tmx version=\"1.1\">\n<header creationtool=\"x\" srclang=\"ar\"/>\n<body>\n\
         <tu>\n  <tuv xml:lang=\"fr\"><seg>a</seg><seg>b</seg></tuv>\n  <tuv xml:lang=\"fr\"><seg>c</seg></tuv>\n</tu>\n\
         <tu><tuv><seg>x</seg></tuv><tuv xml:lang=\"de\"><seg>y</seg></tuv></tu>\n</body>\n</tmx>\n",
    )
    .unwrap();
    let out = qantara().args(["tm", "validate", bad.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap().replace(bad.to_str().unwrap(), "bad.tmx");
    with_snapshots(|| insta::assert_snapshot!("tm_validate_problems", text));

    let bomb = tmp.path().join("bomb.tmx");
    std::fs::write(
        &bomb,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>\n\
         <tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"fr\"><seg>&b;</seg></tuv>\
         <tuv xml:lang=\"ar\"><seg>&b;</seg></tuv></tu></body></tmx>\n",
    )
    .unwrap();
    let out = qantara()
        .args([
            "tm",
            "import",
            bomb.to_str().unwrap(),
            "--tm",
            fresh_tm(tmp.path(), "t.sqlite").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bomb.tmx:2:") && err.contains("refuses entity declarations"), "{err}");
}

/// Writes a generated TSV of `n` units and returns it with one query per planted unit.
fn generated_tsv(path: &Path, n: usize) -> Vec<(String, String)> {
    let mut g = Gen(42);
    let mut s = String::from("fr\tar\n");
    let mut rows = Vec::new();
    for _ in 0..n {
        let (fr, ar) = (g.sentence(FR), g.sentence(AR));
        s.push_str(&format!("{fr}\t{ar}\n"));
        rows.push((fr, ar));
    }
    std::fs::write(path, s).unwrap();
    rows
}

/// A memory of near-identical boilerplate, where every unit shares most words with every
/// query: lookup tries higher thresholds first (issue 10) and must still give exactly the
/// brute-force answer, for every limit (fewer matches than the limit at a high threshold,
/// ties at one score broken by unit).
#[test]
fn indexed_lookup_equals_brute_force_on_boilerplate() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("boiler.tsv");
    let mut tsv = String::from("fr\ten\n");
    for n in 1..=30 {
        for m in 1..=12 {
            tsv.push_str(&format!(
                "Phrase {n} numéro {m} du rapport annuel.\tSentence {n} number {m} of the report.\n"
            ));
        }
    }
    std::fs::write(&src, tsv).unwrap();
    let tm = tm_path(tmp.path());
    let tm_s = tm.to_str().unwrap();
    run_ok(&["tm", "import", src.to_str().unwrap(), "--tm", tm_s]);
    let qf = tmp.path().join("q.txt");
    std::fs::write(
        &qf,
        "Phrase 7 numéro 3 du rapport annuel.\nPhrase 31 numéro 3 du rapport annuel.\n\
         Phrase 7 numéro 3 du bilan annuel.\nPhrase 99 numéro 98 du rapport annuel.\n\
         Phrase numéro du rapport.\n",
    )
    .unwrap();
    for min in ["50", "70", "85"] {
        for limit in ["1", "5", "40"] {
            let args = [
                "lookup",
                "--batch",
                qf.to_str().unwrap(),
                "--lang",
                "fr",
                "--min",
                min,
                "--limit",
                limit,
                "--tm",
                tm_s,
            ];
            let indexed = run_ok(&args);
            let mut bf = args.to_vec();
            bf.push("--brute-force");
            assert_eq!(indexed, run_ok(&bf), "index and brute force disagree (--min {min} --limit {limit})");
        }
    }
}

#[test]
fn indexed_lookup_equals_brute_force_at_10000_units() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("gen.tsv");
    let rows = generated_tsv(&src, 10_000);
    let tm = tm_path(tmp.path());
    let tm_s = tm.to_str().unwrap();
    run_ok(&["tm", "import", src.to_str().unwrap(), "--tm", tm_s]);
    let mut g = Gen(9);
    for (lang, col) in [("fr", 0), ("ar", 1)] {
        // Queries: stored sentences with 0–3 words replaced, and fresh sentences.
        let mut qs = Vec::new();
        for i in 0..12 {
            let (fr, ar) = &rows[g.below(rows.len())];
            let src = if col == 0 { fr } else { ar };
            let mut w: Vec<String> = src.trim_end_matches('.').split(' ').map(String::from).collect();
            for _ in 0..(i % 4) {
                let j = g.below(w.len());
                w[j] = g.words(if col == 0 { FR } else { AR }, 1).remove(0);
            }
            qs.push(w.join(" "));
            qs.push(g.sentence(if col == 0 { FR } else { AR }));
        }
        let qf = tmp.path().join(format!("q-{lang}.txt"));
        std::fs::write(&qf, qs.join("\n")).unwrap();
        for min in ["50", "70", "95"] {
            let args = [
                "lookup",
                "--batch",
                qf.to_str().unwrap(),
                "--lang",
                lang,
                "--min",
                min,
                "--limit",
                "10",
                "--tm",
                tm_s,
            ];
            let indexed = run_ok(&args);
            let mut bf = args.to_vec();
            bf.push("--brute-force");
            let brute = run_ok(&bf);
            assert_eq!(indexed, brute, "index and brute force disagree ({lang}, --min {min})");
            // A query with no word replaced is its stored sentence without the final period:
            // same keys, other text, so 99 (100 is for the text itself).
            assert!(indexed.contains("\"score\":99"), "planted unchanged sentences are found");
        }
    }
}

#[test]
fn killed_import_leaves_whole_documents_only() {
    let tmp = tempfile::tempdir().unwrap();
    let tm = tm_path(tmp.path());
    // A TMX of 200 documents × 60 units.
    let big = tmp.path().join("big.tmx");
    let mut g = Gen(3);
    let mut w = qantara::formats::tmx::Writer::new(
        std::io::BufWriter::new(std::fs::File::create(&big).unwrap()),
        qantara::Lang::Fr,
    )
    .unwrap();
    for d in 0..200 {
        for _ in 0..60 {
            w.write_unit(&qantara::formats::tmx::TmxUnit {
                texts: vec![(qantara::Lang::Fr, g.sentence(FR)), (qantara::Lang::Ar, g.sentence(AR))],
                props: vec![("x-doc".into(), format!("doc-{d:03}"))],
            })
            .unwrap();
        }
    }
    w.finish().unwrap();
    // A document already in the memory must survive.
    let pre = tmp.path().join("pre.tsv");
    std::fs::write(&pre, "fr\tar\nAvant.\tقبل.\n").unwrap();
    run_ok(&["tm", "import", pre.to_str().unwrap(), "--tm", tm.to_str().unwrap()]);

    let bin = assert_cmd::cargo::cargo_bin("qantara");
    let mut child = std::process::Command::new(&bin)
        .args(["tm", "import", big.to_str().unwrap(), "--tm", tm.to_str().unwrap(), "--commit-every", "150"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let reader = rusqlite::Connection::open(&tm).unwrap();
    reader.busy_timeout(Duration::from_secs(5)).unwrap();
    let start = Instant::now();
    loop {
        let docs: i64 = reader.query_row("SELECT count(*) FROM documents", [], |r| r.get(0)).unwrap();
        if docs >= 6 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "import made no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import finished before it could be killed; enlarge the file"
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(reader);

    let conn = rusqlite::Connection::open(&tm).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let mut st = conn
        .prepare("SELECT d.name, count(u.id) FROM documents d LEFT JOIN units u ON u.doc_id = d.id GROUP BY d.name")
        .unwrap();
    let counts: Vec<(String, i64)> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    assert!(counts.len() > 1 && counts.len() < 201, "{} documents", counts.len());
    for (name, n) in &counts {
        // Transactions of at least 150 units hold three whole documents each.
        let want = if name == "import:pre.tsv" { 1 } else { 60 };
        assert_eq!(*n, want, "document {name} is partial");
    }
    // The index agrees with the units: as many postings as document frequencies, as many
    // indexed texts as texts.
    let (postings, df): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT coalesce(sum(n), 0) FROM pchunks), (SELECT coalesce(sum(df), 0) FROM terms)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(postings, df);
    let texts: i64 = conn.query_row("SELECT count(*) FROM texts", [], |r| r.get(0)).unwrap();
    assert_eq!(texts, 2 * counts.iter().map(|c| c.1).sum::<i64>());
    drop(st);
    drop(conn);
    // Importing again completes the memory without duplicates.
    run_ok(&["tm", "import", big.to_str().unwrap(), "--tm", tm.to_str().unwrap()]);
    let stats: serde_json::Value =
        serde_json::from_str(&run_ok(&["tm", "stats", "--json", "--tm", tm.to_str().unwrap()])).unwrap();
    assert_eq!((stats["documents"].as_u64(), stats["units"].as_u64()), (Some(201), Some(12_001)));
}

#[test]
fn batch_reads_a_csv_manifest_and_skips_an_unreadable_article() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("a-fr.txt"),
        "Le préfet a inauguré un commissariat.\nLa brigade a saisi une cargaison.\n",
    )
    .unwrap();
    std::fs::write(d.join("a-ar.txt"), "افتتح الوالي مفوضية.\nحجزت الفرقة شحنة.\n").unwrap();
    std::fs::write(d.join("b-fr.txt"), "Une réunion a été tenue mardi.\n").unwrap();
    std::fs::write(
        d.join("list.csv"),
        "id,ar,fr,en\nart-a,a-ar.txt,a-fr.txt,\nart-b,missing-ar.txt,b-fr.txt,\n",
    )
    .unwrap();
    let tm = tm_path(d);
    let out = qantara()
        .args(["batch", d.join("list.csv").to_str().unwrap(), "--tm", tm.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["stored"].as_u64(), v["units"].as_u64()), (Some(1), Some(2)));
    assert_eq!(v["failures"][0]["article"], "art-b");
    assert!(v["failures"][0]["reason"].as_str().unwrap().contains("missing-ar.txt"), "{}", v["failures"]);
    let tsv = run_ok(&["tm", "export", "--format", "tsv", "--tm", tm.to_str().unwrap()]);
    assert_eq!(tsv.lines().count(), 3, "{tsv}");
}

/// The README's main job: `qantara demo` stores the seed article, finds a near-duplicate of one
/// of its sentences and a term, and stores nothing new when run again.
#[test]
fn demo_runs_the_main_job_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let tm = fresh_tm(dir.path(), "demo.sqlite");
    let run = || {
        qantara()
            .current_dir(crate::util::root())
            .args(["demo", "--tm", tm.to_str().unwrap()])
            .assert()
            .success()
            .get_output()
            .clone()
    };
    let first = run();
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(out.contains("dgsn-visit-france-2024"), "the lookup found no stored unit:\n{out}");
    assert!(out.contains("ma-dgsn"), "the term lookup found no concept:\n{out}");
    assert!(String::from_utf8_lossy(&first.stderr).contains("1 stored"));
    let second = run();
    assert!(String::from_utf8_lossy(&second.stderr).contains("0 stored, 1 unchanged"));
}

/// Writes a two-language article (`ar.txt`, `fr.txt`) of `n` made-up sentence pairs.
fn write_article(dir: &Path, n: usize, topic: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let ar: String = (0..n).map(|i| format!("ناقش الوفد ملف {topic} في الجلسة رقم {i}.\n")).collect();
    let fr: String = (0..n)
        .map(|i| format!("La délégation a examiné le dossier {topic} lors de la séance {i}.\n"))
        .collect();
    std::fs::write(dir.join("ar.txt"), ar).unwrap();
    std::fs::write(dir.join("fr.txt"), fr).unwrap();
}

fn units(tm: &str) -> u64 {
    let v: serde_json::Value = serde_json::from_str(&run_ok(&["tm", "stats", "--json", "--tm", tm])).unwrap();
    v["units"].as_u64().unwrap()
}

#[test]
fn namesakes_from_other_folders_or_files_never_replace_a_document_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let (june, july) = (tmp.path().join("june"), tmp.path().join("july"));
    write_article(&june.join("article1"), 3, "juin");
    write_article(&july.join("article1"), 1, "juillet");
    let tm = tm_path(tmp.path());
    let tm_s = tm.to_str().unwrap();
    let batch = |dir: &Path, extra: &[&str]| {
        let mut a = vec!["batch", dir.to_str().unwrap(), "--langs", "ar,fr", "--json", "--tm", tm_s];
        a.extend(extra);
        let out = qantara().args(&a).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    assert_eq!(batch(&june, &[]).0, Some(0));
    assert_eq!(units(tm_s), 3);
    // july/article1 is another article with the same folder name: refused, June kept.
    let (code, err) = batch(&july, &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("june") && err.contains("--replace-other-sources"), "{err}");
    assert_eq!(units(tm_s), 3);
    // Re-running June still works (same source), and the flag lets July take the name.
    assert_eq!(batch(&june, &[]).0, Some(0));
    assert_eq!(batch(&july, &["--replace-other-sources"]).0, Some(0));
    assert_eq!(units(tm_s), 1);

    // Two vendors' files both named memory.tmx.
    let fresh = fresh_tm(tmp.path(), "vendors.sqlite");
    let fresh_s = fresh.to_str().unwrap();
    for (vendor, n) in [("a", 2), ("b", 1)] {
        let dir = tmp.path().join(format!("vendor-{vendor}"));
        write_article(&dir.join("x"), n, vendor);
        let tmx = dir.join("memory.tmx");
        run_ok(&[
            "align",
            dir.join("x/ar.txt").to_str().unwrap(),
            dir.join("x/fr.txt").to_str().unwrap(),
            "--langs",
            "ar,fr",
            "--format",
            "tmx",
            "--doc",
            "memory",
            "-o",
            tmx.to_str().unwrap(),
        ]);
        let out = qantara().args(["tm", "import", tmx.to_str().unwrap(), "--tm", fresh_s]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        match vendor {
            "a" => assert!(out.status.success(), "{err}"),
            _ => {
                assert_eq!(out.status.code(), Some(2), "{err}");
                assert!(err.contains("vendor-a") && err.contains("vendor-b"), "{err}");
            }
        }
    }
    assert_eq!(units(fresh_s), 2, "vendor A's units are still there");
}

#[test]
fn a_manifest_that_repeats_an_id_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    write_article(&tmp.path().join("a1"), 2, "un");
    write_article(&tmp.path().join("a2"), 1, "deux");
    let manifest = tmp.path().join("manifest.csv");
    std::fs::write(
        &manifest,
        "id,ar,fr\nm1,a1/ar.txt,a1/fr.txt\nm2,a2/ar.txt,a2/fr.txt\nm1,a2/ar.txt,a2/fr.txt\n",
    )
    .unwrap();
    let tm = tm_path(tmp.path());
    let out =
        qantara().args(["batch", manifest.to_str().unwrap(), "--tm", tm.to_str().unwrap()]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("manifest.csv") && err.contains("row 4") && err.contains("row 2"), "{err}");
}

#[test]
fn batch_reads_folders_as_editors_leave_them() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("articles");
    // Upper-case version names, an empty version, a hidden folder, an empty folder.
    write_article(&root.join("upper"), 2, "majuscules");
    std::fs::rename(root.join("upper/fr.txt"), root.join("upper/FR.txt")).unwrap();
    std::fs::rename(root.join("upper/ar.txt"), root.join("upper/Ar.TXT")).unwrap();
    write_article(&root.join("with-empty"), 2, "vide");
    std::fs::write(root.join("with-empty/en.txt"), "  \n").unwrap();
    write_article(&root.join(".git"), 1, "cache");
    // Two files for one version: the article fails rather than guessing.
    write_article(&root.join("twice"), 1, "deux fois");
    std::fs::write(root.join("twice/FR.txt"), "Une autre version.\n").unwrap();
    std::fs::create_dir_all(root.join("2024")).unwrap();
    let tm = tm_path(tmp.path());
    let out = qantara()
        .args(["batch", root.to_str().unwrap(), "--json", "--tm", tm.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["articles"], 4, "the hidden folder is not an article: {summary}");
    assert!(err.contains("article twice: FR.txt and fr.txt all name the fr version; keep one"), "{err}");
    assert_eq!(summary["stored"], 2, "{summary}\n{err}");
    assert!(err.contains("article 2024: no ar.txt, fr.txt or en.txt in this folder"), "{err}");
    assert!(err.contains("warning: article with-empty:") && err.contains("en.txt is empty"), "{err}");
    assert_eq!(out.status.code(), Some(1), "the empty folder fails");
    assert_eq!(units(tm.to_str().unwrap()), 4);
}

#[test]
fn batch_out_file_names_stay_inside_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    write_article(&tmp.path().join("m"), 1, "sortie");
    let manifest = tmp.path().join("m/manifest.csv");
    std::fs::write(&manifest, "id,ar,fr\n../escaped,ar.txt,fr.txt\nz/b,ar.txt,fr.txt\nz_b,ar.txt,fr.txt\n")
        .unwrap();
    let out_dir = tmp.path().join("out");
    let tm = tm_path(tmp.path());
    run_ok(&[
        "batch",
        manifest.to_str().unwrap(),
        "--langs",
        "ar,fr",
        "--out",
        out_dir.to_str().unwrap(),
        "--tm",
        tm.to_str().unwrap(),
    ]);
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // `z/b` and `z_b` make the same name: the second gets a suffix instead of overwriting.
    assert_eq!(names, ["_.._escaped.tsv", "z_b-2.tsv", "z_b.tsv"]);
    assert!(!tmp.path().join("escaped.tsv").exists());
}

#[test]
fn batch_refuses_an_article_whose_versions_are_in_each_others_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("articles");
    write_article(&root.join("swapped"), 3, "inversé");
    std::fs::rename(root.join("swapped/ar.txt"), root.join("swapped/tmp")).unwrap();
    std::fs::rename(root.join("swapped/fr.txt"), root.join("swapped/ar.txt")).unwrap();
    std::fs::rename(root.join("swapped/tmp"), root.join("swapped/fr.txt")).unwrap();
    write_article(&root.join("fine"), 2, "correct");
    let tm = tm_path(tmp.path());
    let out =
        qantara().args(["batch", root.to_str().unwrap(), "--tm", tm.to_str().unwrap()]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("article swapped: ar.txt looks like fr, fr.txt looks like ar"), "{err}");
    assert_eq!(units(tm.to_str().unwrap()), 2, "only the fine article is stored");
}

#[test]
fn the_stored_text_identical_to_the_query_comes_first_among_equal_scores() {
    let tmp = tempfile::tempdir().unwrap();
    let tsv = tmp.path().join("m.tsv");
    // The first unit differs from the query only by a trailing space: also 100.
    std::fs::write(&tsv, "fr\tar\nLe conseil a adopté le texte. \tاعتمد المجلس النص.\nLe conseil a adopté le texte.\tصادق المجلس على النص.\n").unwrap();
    let tm = tm_path(tmp.path());
    run_ok(&["tm", "import", tsv.to_str().unwrap(), "--tm", tm.to_str().unwrap()]);
    let out = run_ok(&[
        "lookup",
        "Le conseil a adopté le texte.",
        "--lang",
        "fr",
        "--json",
        "--tm",
        tm.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &v["matches"][0];
    assert_eq!(
        (first["score"].as_u64(), first["source"].as_str()),
        (Some(100), Some("Le conseil a adopté le texte.")),
        "{v}"
    );
    assert_eq!(v["matches"][1]["score"], 100, "{v}");
}

#[test]
fn a_symlink_under_another_name_is_the_same_document() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("articles");
    write_article(&root.join("a2"), 2, "lien");
    std::os::unix::fs::symlink(root.join("a2"), root.join("alias")).unwrap();
    let tm = tm_path(tmp.path());
    let tm_s = tm.to_str().unwrap();
    run_ok(&["batch", root.to_str().unwrap(), "--langs", "ar,fr", "--tm", tm_s]);
    let stats: serde_json::Value =
        serde_json::from_str(&run_ok(&["tm", "stats", "--json", "--tm", tm_s])).unwrap();
    assert_eq!((stats["documents"].as_u64(), stats["units"].as_u64()), (Some(1), Some(2)), "{stats}");
    // The same for a memory file imported through a link with another name.
    let tsv = tmp.path().join("memory.tsv");
    std::fs::write(&tsv, "fr\tar\nUne phrase liée.\tجملة مرتبطة.\n").unwrap();
    let alias = tmp.path().join("alias.tsv");
    std::os::unix::fs::symlink(&tsv, &alias).unwrap();
    let other = fresh_tm(tmp.path(), "import.sqlite");
    run_ok(&["tm", "import", tsv.to_str().unwrap(), "--tm", other.to_str().unwrap()]);
    run_ok(&["tm", "import", alias.to_str().unwrap(), "--tm", other.to_str().unwrap()]);
    assert_eq!(units(other.to_str().unwrap()), 1);
}

crate::postgres_twins!(
    batch_stores_articles_reports_failures_and_rerun_changes_nothing,
    searching_an_empty_memory_says_it_is_empty,
    lookup_finds_changed_sentence_with_numbers_and_clitics,
    export_import_export_is_the_identity,
    validate_reports_every_problem_with_line_and_column,
    indexed_lookup_equals_brute_force_at_10000_units,
    batch_reads_a_csv_manifest_and_skips_an_unreadable_article,
    demo_runs_the_main_job_and_is_idempotent,
    namesakes_from_other_folders_or_files_never_replace_a_document_silently,
    a_manifest_that_repeats_an_id_is_refused,
    batch_reads_folders_as_editors_leave_them,
    batch_out_file_names_stay_inside_the_folder,
    batch_refuses_an_article_whose_versions_are_in_each_others_files,
    the_stored_text_identical_to_the_query_comes_first_among_equal_scores,
    a_symlink_under_another_name_is_the_same_document,
);

#[test]
fn batch_names_articles_to_review_and_out_tsv_has_a_confidence_column_import_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = article_dir(tmp.path(), 2);
    let tm = tm_path(tmp.path());
    let tm_s = tm.to_str().unwrap();
    let out_dir = tmp.path().join("out");
    // every bead is below 1: every article is named, in text and in JSON
    let out = qantara()
        .args(["batch", dir.to_str().unwrap(), "--tm", tm_s, "--low", "1", "--json"])
        .args(["--out", out_dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let review = summary["to_review"].as_array().unwrap();
    assert_eq!(review.len(), summary["articles"].as_u64().unwrap() as usize, "{summary}");
    for r in review {
        assert_eq!(r["beads_to_review"], r["beads"], "{r}");
    }
    let text = qantara()
        .args(["batch", dir.to_str().unwrap(), "--tm", fresh_tm(tmp.path(), "b.sqlite").to_str().unwrap()])
        .args(["--low", "1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&text.stderr);
    let first = review[0]["article"].as_str().unwrap();
    assert!(err.contains(&format!("review: article {first}: ")), "{err}");
    // at 0 nothing is to review
    let none = qantara()
        .args(["batch", dir.to_str().unwrap(), "--tm", fresh_tm(tmp.path(), "c.sqlite").to_str().unwrap()])
        .args(["--low", "0", "--json"])
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&none.stdout).unwrap();
    assert_eq!(s["to_review"].as_array().map(Vec::len), Some(0), "{s}");
    assert!(!String::from_utf8_lossy(&none.stderr).contains("review: article"));

    // the TSV written by --out: languages, then a confidence in [0, 1] on every row
    let tsv_path = std::fs::read_dir(&out_dir).unwrap().next().unwrap().unwrap().path();
    let tsv = std::fs::read_to_string(&tsv_path).unwrap();
    let mut lines = tsv.lines();
    assert!(lines.next().unwrap().ends_with("\tconfidence"), "{tsv}");
    let mut rows = 0;
    for l in lines {
        let c: f64 = l.rsplit('\t').next().unwrap().parse().unwrap();
        assert!((0.0..=1.0).contains(&c), "{l}");
        rows += 1;
    }
    assert!(rows > 5);
    // and tm import reads it (and files without the column) without a word about the column
    let imported = fresh_tm(tmp.path(), "i.sqlite");
    let out = qantara()
        .args(["tm", "import", tsv_path.to_str().unwrap(), "--tm", imported.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("confidence"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tmx = run_ok(&["tm", "export", "--every-unit", "--tm", imported.to_str().unwrap()]);
    assert_eq!(tmx.matches("<tu ").count().max(tmx.matches("<tu>").count()), rows, "{tmx}");
    assert_eq!(tmx.matches("x-confidence").count(), rows, "the confidences were read: {tmx}");
}
