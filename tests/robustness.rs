//! Crash safety, concurrency and fuzz regressions.
//!
//! * Kill tests: `qantara tm import` and `qantara batch` are killed with SIGKILL at random
//!   moments (the seed is printed; set `QANTARA_KILL_SEED` to replay); after each kill the TM
//!   opens, passes `PRAGMA integrity_check`, its index agrees with its units, and every document
//!   it holds is exactly the document a full run stores — never half-written.
//! * Concurrency: two `batch` processes and several `lookup` processes share one TM; none
//!   fails (no "database is locked"), and the TM ends with every document once.
//! * Fuzz regressions: inputs the fuzzers found, run through the readers.

use crate::bad_input::{Env, good_tmx};
use crate::util::qantara;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A document as stored: `(ord, lang, text)` of each of its units' texts, in order.
pub(crate) type Doc = Vec<(i64, String, String)>;

/// The single integer `sql` returns.
fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Every document of the TM at `path`, after checking the file's integrity and the index.
pub(crate) fn documents(path: &Path) -> BTreeMap<String, Doc> {
    let conn = Connection::open(path).expect("the TM opens");
    conn.busy_timeout(Duration::from_secs(30)).unwrap();
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(verdict, "ok", "integrity_check of {}", path.display());
    assert_eq!(
        count(&conn, "SELECT count(*) FROM pragma_foreign_key_check"),
        0,
        "foreign key violations in {}",
        path.display()
    );
    // A kill before the schema transaction committed leaves a file with no tables: an empty
    // memory (qantara creates the schema when it next opens it). Regression: a kill landing
    // there made this check fail with "no such table: postings".
    if count(&conn, "PRAGMA user_version") == 0 {
        let tables = count(&conn, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
        assert_eq!(tables, 0, "{}: tables without a schema version", path.display());
        return BTreeMap::new();
    }
    // The index agrees with the units: each posting points at a unit, each term's document
    // frequency is its number of postings.
    let orphan = "SELECT count(*) FROM postings p LEFT JOIN units u ON u.id = p.unit_id WHERE u.id IS NULL";
    assert_eq!(count(&conn, orphan), 0, "postings of missing units");
    let bad_df =
        "SELECT count(*) FROM terms t WHERE df != (SELECT count(*) FROM postings p WHERE p.term_id = t.id)";
    assert_eq!(count(&conn, bad_df), 0, "terms whose df disagrees with their postings");
    let mut docs: BTreeMap<String, Doc> = BTreeMap::new();
    let mut st = conn.prepare("SELECT name FROM documents").unwrap();
    for name in st.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        docs.insert(name.unwrap(), Vec::new());
    }
    let mut st = conn
        .prepare(
            "SELECT d.name, u.ord, t.lang, t.text FROM documents d JOIN units u ON u.doc_id = d.id \
             JOIN texts t ON t.unit_id = u.id ORDER BY d.name, u.ord, t.lang",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })
        .unwrap();
    for row in rows {
        let (name, ord, lang, text) = row.unwrap();
        docs.get_mut(&name).expect("units of a listed document").push((ord, lang, text));
    }
    docs
}

/// Every document present in `got` is exactly the one in `full`.
#[track_caller]
fn assert_complete(got: &BTreeMap<String, Doc>, full: &BTreeMap<String, Doc>, what: &str) {
    for (name, doc) in got {
        let want = full.get(name).unwrap_or_else(|| panic!("{what}: unknown document {name}"));
        assert!(
            doc == want,
            "{what}: document {name} is half-written: {} of {} texts",
            doc.len(),
            want.len()
        );
    }
}

/// A small deterministic generator (xorshift), seeded from the clock unless
/// `QANTARA_KILL_SEED` is set; the seed is printed so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn new(name: &str) -> Self {
        let seed =
            std::env::var("QANTARA_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
            });
        eprintln!("{name}: QANTARA_KILL_SEED={seed}");
        Rng(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("qantara")
}

/// Runs qantara to completion; returns (status, stderr).
fn run_ok(args: &[&std::ffi::OsStr]) -> String {
    let o = qantara().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// Starts qantara with `args`, kills it with SIGKILL after `delay`, returns whether it had
/// already finished.
fn kill_after(args: &[&std::ffi::OsStr], delay: Duration) -> bool {
    let mut child =
        Command::new(bin()).args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    finished
}

// ---------------------------------------------------------------------------------------------
// Generated inputs (sentences written for these tests, numbers make every unit distinct).

const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "اجتمعت اللجنة {a} في الرباط يوم {b} مارس لدراسة الملف رقم {c}.",
        "Le comité {a} s'est réuni à Rabat le {b} mars pour examiner le dossier numéro {c}.",
        "Committee {a} met in Rabat on March {b} to examine file number {c}.",
    ),
    (
        "استقبل المدير العام {a} مسؤولا في مقر المديرية يوم {b} أبريل.",
        "Le directeur général a reçu {a} responsables au siège de la direction le {b} avril.",
        "The director general received {a} officials at the directorate's headquarters on April {b}.",
    ),
    (
        "شارك {a} شرطيا في الدورة التكوينية رقم {c} التي دامت {b} أيام.",
        "{a} policiers ont participé à la session de formation numéro {c}, qui a duré {b} jours.",
        "{a} police officers took part in training session number {c}, which lasted {b} days.",
    ),
    (
        "وقع الطرفان {a} اتفاقيات للتعاون في مجال الأمن سنة {c}.",
        "Les deux parties ont signé {a} accords de coopération en matière de sécurité en {c}.",
        "The two parties signed {a} security cooperation agreements in {c}.",
    ),
    (
        "أعلنت المديرية عن فتح {a} مراكز جديدة في {b} مدن.",
        "La direction a annoncé l'ouverture de {a} nouveaux centres dans {b} villes.",
        "The directorate announced the opening of {a} new centres in {b} cities.",
    ),
];

fn fill(t: &str, a: u64, b: u64, c: u64) -> String {
    t.replace("{a}", &a.to_string()).replace("{b}", &b.to_string()).replace("{c}", &c.to_string())
}

/// Sentence `i` of document `d` in Arabic, French and English.
pub(crate) fn sentence(d: u64, i: u64) -> (String, String, String) {
    let (ar, fr, en) = TEMPLATES[((d * 7 + i) % TEMPLATES.len() as u64) as usize];
    let (a, b, c) = (2 + (d * 13 + i * 7) % 97, 1 + (d + i * 3) % 28, 1990 + d * 50 + i);
    (fill(ar, a, b, c), fill(fr, a, b, c), fill(en, a, b, c))
}

/// A TMX of `docs` documents of `per_doc` units each, delimited by `x-doc` properties.
fn big_tmx(docs: u64, per_doc: u64) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header creationtool=\"test\" \
         creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"test\" adminlang=\"en\" srclang=\"ar\" \
         datatype=\"plaintext\"/>\n<body>\n",
    );
    for d in 0..docs {
        for i in 0..per_doc {
            let (ar, fr, en) = sentence(d, i);
            s += &format!(
                "<tu><prop type=\"x-doc\">doc-{d:03}</prop><tuv xml:lang=\"ar\"><seg>{ar}</seg></tuv>\
                 <tuv xml:lang=\"fr\"><seg>{fr}</seg></tuv><tuv xml:lang=\"en\"><seg>{en}</seg></tuv></tu>\n"
            );
        }
    }
    s + "</body>\n</tmx>\n"
}

/// A folder of `n` articles (`prefix-NNN/{ar,fr,en}.txt`), two paragraphs each.
pub(crate) fn articles(env: &Env, dir: &str, prefix: &str, n: u64, offset: u64) -> PathBuf {
    for k in 0..n {
        let d = offset + k;
        let (mut ar, mut fr, mut en) = (String::new(), String::new(), String::new());
        for i in 0..6 {
            let (a, f, e) = sentence(d, i);
            for (buf, s) in [(&mut ar, a), (&mut fr, f), (&mut en, e)] {
                buf.push_str(&s);
                buf.push(if i == 2 { '\n' } else { ' ' });
                if i == 2 {
                    buf.push('\n');
                }
            }
        }
        env.write(&format!("{dir}/{prefix}-{d:03}/ar.txt"), ar);
        env.write(&format!("{dir}/{prefix}-{d:03}/fr.txt"), fr);
        env.write(&format!("{dir}/{prefix}-{d:03}/en.txt"), en);
    }
    env.path(dir)
}

// ---------------------------------------------------------------------------------------------
// Crash safety.

const KILLS_IMPORT: usize = 12;
const KILLS_BATCH: usize = 10;

#[test]
fn sigkill_during_tm_import_never_leaves_a_half_written_document() {
    let env = Env::new();
    let tmx = env.write("big.tmx", big_tmx(60, 50)); // 3,000 units
    let full_tm = env.path("full.sqlite");
    let t = Instant::now();
    run_ok(&[
        "tm".as_ref(),
        "import".as_ref(),
        "--commit-every".as_ref(),
        "1".as_ref(),
        "--tm".as_ref(),
        full_tm.as_os_str(),
        tmx.as_os_str(),
    ]);
    let full_time = t.elapsed();
    let full = documents(&full_tm);
    assert_eq!(full.len(), 60);
    assert!(full.values().all(|d| d.len() == 150));
    let mut rng = Rng::new("tm import");
    let mut partial = 0;
    for k in 0..KILLS_IMPORT {
        // A fresh TM every third kill; otherwise the same TM, so re-imports over a killed
        // import (document replacement) are killed too.
        let tm = env.path(&format!("killed-{}.sqlite", k / 3));
        let delay = Duration::from_millis(rng.below(full_time.as_millis() as u64 + 1));
        // Half the kills with one transaction per document, half with the default grouping
        // (whole documents committed in groups).
        let commit_every = if k % 2 == 0 { "1" } else { "500" };
        let a = [
            "tm".as_ref(),
            "import".as_ref(),
            "--commit-every".as_ref(),
            commit_every.as_ref(),
            "--tm".as_ref(),
            tm.as_os_str(),
            tmx.as_os_str(),
        ];
        let finished = kill_after(&a, delay);
        let got = documents(&tm);
        assert_complete(&got, &full, &format!("kill {k} after {delay:?}"));
        if !finished && got.len() < full.len() {
            partial += 1;
        }
        // The killed TM still works: a lookup finds a stored unit.
        if let Some(doc) = got.values().find(|d| !d.is_empty()) {
            let fr = &doc.iter().find(|(_, l, _)| l == "fr").unwrap().2;
            let o = qantara()
                .args(["lookup", "--json", "--lang", "fr", "--tm"])
                .arg(&tm)
                .arg(fr)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("lookup prints JSON");
            assert_eq!(v["matches"][0]["score"].as_u64(), Some(100), "no exact match after kill {k}: {v}");
        }
    }
    eprintln!("tm import: {KILLS_IMPORT} kills, {partial} mid-import; full import {full_time:?}");
    // Finishing the import afterwards gives the full memory.
    let tm = env.path("killed-0.sqlite");
    run_ok(&["tm".as_ref(), "import".as_ref(), "--tm".as_ref(), tm.as_os_str(), tmx.as_os_str()]);
    assert!(documents(&tm) == full, "re-import after kills differs from a clean import");
}

/// The number of documents in the TM, read without disturbing a writer (WAL readers never
/// block it); 0 when the file does not exist yet or is being created.
fn doc_count(tm: &Path) -> usize {
    if !tm.exists() {
        return 0;
    }
    let Ok(conn) = Connection::open_with_flags(tm, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return 0;
    };
    let _ = conn.busy_timeout(Duration::from_millis(50));
    conn.query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0)).map_or(0, |n| n as usize)
}

/// Starts qantara and waits until it has stored one more document than `before` (its storing
/// phase has begun), then kills it after `delay`. Returns whether it had finished.
fn kill_while_storing(args: &[&std::ffi::OsStr], tm: &Path, before: usize, delay: Duration) -> bool {
    let mut child =
        Command::new(bin()).args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while doc_count(tm) <= before && child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    let _ = child.wait();
    finished
}

#[test]
fn sigkill_during_batch_never_leaves_a_half_written_document() {
    let env = Env::new();
    let dir = articles(&env, "arts", "art", 40, 0);
    let full_tm = env.path("full.sqlite");
    // The full run, timing its storing phase (from the first stored document to the end).
    let a = [
        "batch".as_ref(),
        "--jobs".as_ref(),
        "2".as_ref(),
        "--tm".as_ref(),
        full_tm.as_os_str(),
        dir.as_os_str(),
    ];
    let t = Instant::now();
    let mut child = Command::new(bin()).args(a).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first_doc = None;
    while child.try_wait().unwrap().is_none() {
        if first_doc.is_none() && doc_count(&full_tm) > 0 {
            first_doc = Some(t.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let full_time = t.elapsed();
    let store_time = full_time - first_doc.unwrap_or_default();
    let full = documents(&full_tm);
    assert_eq!(full.len(), 40);
    let mut rng = Rng::new("batch");
    let mut partial = 0;
    for k in 0..KILLS_BATCH {
        let tm = env.path(&format!("killed-{}.sqlite", k / 3));
        let a = [
            "batch".as_ref(),
            "--jobs".as_ref(),
            "2".as_ref(),
            "--tm".as_ref(),
            tm.as_os_str(),
            dir.as_os_str(),
        ];
        // Even kills: anywhere in the run (reading, aligning, opening); odd kills: during the
        // storing phase, which is short next to the alignment.
        let (finished, when) = if k % 2 == 0 {
            let delay = Duration::from_millis(rng.below(full_time.as_millis() as u64 + 1));
            (kill_after(&a, delay), format!("after {delay:?}"))
        } else {
            let before = doc_count(&tm);
            let delay = Duration::from_micros(rng.below(store_time.as_micros() as u64 + 1));
            (kill_while_storing(&a, &tm, before, delay), format!("{delay:?} into storing"))
        };
        let got = documents(&tm);
        assert_complete(&got, &full, &format!("batch kill {k} {when}"));
        if !finished && !got.is_empty() && got.len() < full.len() {
            partial += 1;
        }
    }
    eprintln!(
        "batch: {KILLS_BATCH} kills, {partial} while storing; full run {full_time:?}, storing {store_time:?}"
    );
    let tm = env.path("killed-0.sqlite");
    run_ok(&["batch".as_ref(), "--tm".as_ref(), tm.as_os_str(), dir.as_os_str()]);
    assert!(documents(&tm) == full, "batch after kills differs from a clean batch");
}

// ---------------------------------------------------------------------------------------------
// Concurrency.

#[test]
fn two_batches_and_lookups_share_a_memory_without_locking_errors() {
    let env = Env::new();
    let x = articles(&env, "x", "x", 15, 0);
    let y = articles(&env, "y", "y", 15, 100);
    // References: each folder alone in its own TM.
    let (rx, ry) = (env.path("rx.sqlite"), env.path("ry.sqlite"));
    run_ok(&["batch".as_ref(), "--tm".as_ref(), rx.as_os_str(), x.as_os_str()]);
    run_ok(&["batch".as_ref(), "--tm".as_ref(), ry.as_os_str(), y.as_os_str()]);
    let mut want = documents(&rx);
    want.extend(documents(&ry));
    assert_eq!(want.len(), 30);
    // Queries: the French sentences of both folders.
    let queries: String =
        (0..4).flat_map(|d| [sentence(d, 1).1, sentence(100 + d, 2).1]).map(|s| s + "\n").collect();
    let qfile = env.write("queries.txt", queries);
    // A fresh TM: the processes also race to create and migrate it.
    let tm = env.path("shared.sqlite");
    let spawn = |args: Vec<&std::ffi::OsStr>| {
        Command::new(bin()).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
    };
    let mut children = Vec::new();
    for dir in [&x, &y] {
        children.push((
            "batch",
            spawn(vec![
                "batch".as_ref(),
                "--jobs".as_ref(),
                "1".as_ref(),
                "--tm".as_ref(),
                tm.as_os_str(),
                dir.as_os_str(),
            ]),
        ));
    }
    let lookup = || {
        (
            "lookup",
            spawn(vec![
                "lookup".as_ref(),
                "--tm".as_ref(),
                tm.as_os_str(),
                "--batch".as_ref(),
                qfile.as_os_str(),
            ]),
        )
    };
    children.extend((0..4).map(|_| lookup()));
    // More lookups while the batches run.
    std::thread::sleep(Duration::from_millis(300));
    children.extend((0..2).map(|_| lookup()));
    for (what, c) in children {
        let o = c.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("locked") && !err.contains("busy"), "{what}: {err}");
        assert!(o.status.success(), "{what} failed: {err}");
    }
    let got = documents(&tm);
    assert!(got == want, "documents lost or duplicated: {} of {}", got.len(), want.len());
    // Running both again at once changes nothing (idempotent, no duplicates).
    let a = spawn(vec!["batch".as_ref(), "--tm".as_ref(), tm.as_os_str(), x.as_os_str()]);
    let b = spawn(vec!["batch".as_ref(), "--tm".as_ref(), tm.as_os_str(), x.as_os_str()]);
    for c in [a, b] {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert!(documents(&tm) == want, "a second concurrent run changed the memory");
    // And a concurrent import of a TMX while a batch runs.
    let tmx = env.write("small.tmx", good_tmx());
    let a = spawn(vec!["tm".as_ref(), "import".as_ref(), "--tm".as_ref(), tm.as_os_str(), tmx.as_os_str()]);
    let b = spawn(vec!["batch".as_ref(), "--tm".as_ref(), tm.as_os_str(), y.as_os_str()]);
    for c in [a, b] {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(documents(&tm).len(), 32);
}

// ---------------------------------------------------------------------------------------------
// Fuzz regressions: every input kept in fuzz/seeds/<target>/ runs through its reader here,
// in-process, so a bug the fuzzer found stays fixed without the nightly toolchain.

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = crate::util::root().join("fuzz/seeds").join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| (e.path(), std::fs::read(e.path()).unwrap())).collect())
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn fuzz_seeds_replay_without_panic() {
    use qantara::Lang;
    use qantara::formats::{csv, srx, tbx, tmx};
    use qantara::glossary::Glossary;
    let mut n = 0;
    // The TMX seeds are all broken files that were once accepted (or must never be): each
    // must end in an error from the reader and a problem from the validator.
    for (path, data) in seeds("tmx") {
        let mut r = tmx::Reader::new(data.as_slice());
        let mut failed = false;
        for _ in 0..=data.len() {
            match r.next_unit() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        assert!(failed, "{}: read without error", path.display());
        assert!(!tmx::validate(&path).unwrap().is_empty(), "{}: validates", path.display());
        n += 1;
    }
    for (_, data) in seeds("tbx") {
        if let Ok(text) = std::str::from_utf8(&data) {
            let (concepts, problems) = tbx::read(text);
            if problems.is_empty() && !concepts.is_empty() {
                let g = Glossary::from_concepts(concepts);
                let mut out = Vec::new();
                tbx::write(&g, tbx::Dialect::V3, &mut out).unwrap();
                let _ = tbx::read(std::str::from_utf8(&out).unwrap());
            }
        }
        n += 1;
    }
    for (_, data) in seeds("csv") {
        if let Ok(text) = std::str::from_utf8(&data) {
            let (concepts, problems) = csv::read(text);
            if problems.is_empty() && !concepts.is_empty() {
                let g = Glossary::from_concepts(concepts);
                let _ = g.find(text, None);
                let mut out = Vec::new();
                csv::write(&g, &mut out).unwrap();
                let _ = csv::read(std::str::from_utf8(&out).unwrap());
            }
        }
        n += 1;
    }
    for (_, data) in seeds("srx") {
        let (xml, text) = match data.iter().position(|&b| b == 0) {
            Some(i) => (&data[..i], &data[i + 1..]),
            None => (&data[..], &b"Le Dr. Martin est venu. Il est reparti!"[..]),
        };
        if let (Ok(xml), Ok(text)) = (std::str::from_utf8(xml), std::str::from_utf8(text)) {
            if let Ok(rules) = srx::read(xml, Path::new("seed.srx")) {
                for lang in Lang::ALL {
                    if let Ok(c) = qantara::segment::srx::SrxSegmenter::new(&rules, lang) {
                        let _ = qantara::segment::Segmenter::srx(c).segment(text);
                    }
                }
            }
        }
        n += 1;
    }
    for target in ["segment", "normalize"] {
        for (_, data) in seeds(target) {
            if let Ok(text) = std::str::from_utf8(&data) {
                let _ = qantara::normalize::tokens(text);
                for lang in Lang::ALL {
                    let _ = qantara::segment::segment(text, lang);
                }
            }
            n += 1;
        }
    }
    eprintln!("replayed {n} fuzz seeds");
    assert!(n >= 6, "fuzz/seeds/ is missing seeds ({n} found)");
}
