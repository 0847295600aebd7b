//! Faults of the server on PostgreSQL: `kill -9` during an upload import and during concurrent
//! writes, then a restart (no half document, no lost confirmed document); two servers on one
//! database at once (consistent index); a database created with the C locale (Arabic lookups
//! as in the SQLite store). PostgreSQL only: these run as `serve_faults::postgres::…`.

use crate::serve::{Reply, call, start};
use crate::stores::{fresh_database, fresh_tm};
use crate::util::{qantara, seed};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn token(file: &Path, name: &str, role: &str) -> String {
    let out = qantara()
        .args(["token", "add", name, "--role", role, "--tokens", file.to_str().unwrap()])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Checks the index of the database against its units: every term's df equals its postings,
/// every posting points at a text, every text's postings are there.
fn consistent(url: &str) {
    let mut c = ::postgres::Client::connect(url, ::postgres::NoTls).unwrap();
    let one = |c: &mut ::postgres::Client, sql: &str| c.query_one(sql, &[]).unwrap().get::<_, i64>(0);
    assert_eq!(
        one(
            &mut c,
            "SELECT count(*) FROM terms t WHERE df <> (SELECT count(*) FROM postings p WHERE p.term_id = t.id)"
        ),
        0,
        "document frequencies agree with postings"
    );
    assert_eq!(
        one(
            &mut c,
            "SELECT count(*) FROM postings p WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = p.unit_id)"
        ),
        0,
        "no posting of a missing unit"
    );
    assert_eq!(
        one(&mut c, "SELECT count(*) FROM (SELECT unnest(term_ids) t, unit_id FROM texts) x
                     WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.term_id = x.t AND p.unit_id = x.unit_id)"),
        0,
        "every text is indexed"
    );
    // No transaction left open (a killed client's backend notices the closed socket at once;
    // allow it a few seconds on a loaded machine).
    let open_tx = "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' AND datname = current_database()";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while one(&mut c, open_tx) > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(one(&mut c, open_tx), 0, "no transaction left open");
}

/// Units per document.
fn docs(url: &str) -> std::collections::BTreeMap<String, i64> {
    let mut c = ::postgres::Client::connect(url, ::postgres::NoTls).unwrap();
    c.query(
        "SELECT d.name, count(u.id) FROM documents d LEFT JOIN units u ON u.doc_id = d.id GROUP BY d.name",
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect()
}

fn unit_json(i: usize, j: usize) -> Value {
    json!({"texts": {
        "ar": format!("أعلنت المديرية في البلاغ رقم {i} عن التدبير {j} لتعزيز الأمن في المدينة."),
        "fr": format!("La direction a annoncé dans le communiqué {i} la mesure {j} pour renforcer la sécurité en ville."),
    }})
}

fn put(base: &str, tok: &str, name: &str, n: usize, i: usize) -> Reply {
    let body = json!({"units": (0..n).map(|j| unit_json(i, j)).collect::<Vec<_>>()});
    call("PUT", &format!("{base}/v1/documents/{name}"), Some(tok), Some(body.to_string().as_bytes()))
}

fn big_tmx(path: &Path, docs: usize, per: usize) {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" \
         creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"ar\" \
         datatype=\"plaintext\"/><body>\n",
    );
    for d in 0..docs {
        for j in 0..per {
            let u = unit_json(d, j);
            s.push_str(&format!(
                "<tu><prop type=\"x-doc\">batch-{d:03}</prop><tuv xml:lang=\"ar\"><seg>{}</seg></tuv>\
                 <tuv xml:lang=\"fr\"><seg>{}</seg></tuv></tu>\n",
                u["texts"]["ar"].as_str().unwrap(),
                u["texts"]["fr"].as_str().unwrap()
            ));
        }
    }
    s.push_str("</body></tmx>\n");
    std::fs::write(path, s).unwrap();
}

fn kill9(srv: &mut crate::serve::Server) {
    let _ = srv.child.kill(); // SIGKILL
    let _ = srv.child.wait();
}

fn kill_9_during_import_and_concurrent_writes_loses_no_confirmed_document() {
    let tmp = tempfile::tempdir().unwrap();
    let tm = fresh_tm(tmp.path(), "tm.sqlite");
    let url = tm.to_str().unwrap().to_string();
    let tokens = tmp.path().join("tokens.tsv");
    let w = token(&tokens, "w", "write");
    let (docs_n, per) = (60, 100);
    let tmx = tmp.path().join("big.tmx");
    big_tmx(&tmx, docs_n, per);
    let body = std::fs::read(&tmx).unwrap();

    for round in 0..3u64 {
        let mut srv = start(&tm, &tokens, &[]);
        let base = srv.base.clone();
        // Writers: each PUT that answered 200 is a confirmed document.
        let confirmed = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut writers = Vec::new();
        for t in 0..3 {
            let (base, w, confirmed, stop) = (base.clone(), w.clone(), confirmed.clone(), stop.clone());
            writers.push(std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let name = format!("desk-{round}-{t}-{i}");
                    let r = std::panic::catch_unwind(|| put(&base, &w, &name, 40, i));
                    match r {
                        Ok(r) if r.status == 200 => confirmed.lock().unwrap().push(name),
                        _ => break, // the server is gone
                    }
                    i += 1;
                }
            }));
        }
        let importer = {
            let (base, w, body) = (base.clone(), w.clone(), body.clone());
            std::thread::spawn(move || {
                let a: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                let _ = a
                    .post(format!("{base}/v1/imports?name=big.tmx"))
                    .header("Authorization", format!("Bearer {w}"))
                    .send(&body[..]);
            })
        };
        // Kill while both are under way: after some documents of the import are committed.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let target = 1 + (round as usize * 7) % 20;
        while std::time::Instant::now() < deadline {
            let d = docs(&url);
            if d.keys().filter(|k| k.starts_with("batch-")).count() >= target {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        kill9(&mut srv);
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for h in writers {
            let _ = h.join();
        }
        let _ = importer.join();

        // After the kill: whole documents only, every confirmed one present.
        let d = docs(&url);
        for (name, n) in &d {
            let want = if name.starts_with("batch-") { per as i64 } else { 40 };
            assert_eq!(*n, want, "round {round}: document {name} is whole");
        }
        for name in confirmed.lock().unwrap().iter() {
            assert!(d.contains_key(name), "round {round}: confirmed document {name} survived the kill");
        }
        consistent(&url);
        // A restarted server answers from the same memory.
        let srv = start(&tm, &tokens, &[]);
        let r = call(
            "POST",
            &format!("{}/v1/lookup", srv.base),
            Some(&w),
            Some(json!({"text": unit_json(1, 2)["texts"]["fr"], "lang": "fr"}).to_string().as_bytes()),
        );
        assert_eq!(r.status, 200);
        if d.contains_key("batch-001") {
            assert_eq!(r.json["matches"][0]["score"], 100, "{}", r.text);
        }
    }
    // Finishing the import afterwards gives every document once.
    let out = qantara()
        .args(["tm", "import", tmx.to_str().unwrap(), "--tm", &url, "--replace-other-sources", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let d = docs(&url);
    assert_eq!(d.keys().filter(|k| k.starts_with("batch-")).count(), docs_n);
    consistent(&url);
}

fn two_servers_on_one_database_stay_consistent() {
    let tmp = tempfile::tempdir().unwrap();
    let tm = fresh_tm(tmp.path(), "tm.sqlite");
    let url = tm.to_str().unwrap().to_string();
    let tokens = tmp.path().join("tokens.tsv");
    let w = token(&tokens, "w", "admin");
    let (a, b) = (start(&tm, &tokens, &[]), start(&tm, &tokens, &[]));
    let mut hs = Vec::new();
    for (k, base) in [(0, a.base.clone()), (1, b.base.clone()), (2, a.base.clone()), (3, b.base.clone())] {
        let w = w.clone();
        hs.push(std::thread::spawn(move || {
            for i in 0..15 {
                // Shared names: both servers replace the same documents; own names too.
                let shared = format!("shared-{}", i % 5);
                assert_eq!(put(&base, &w, &shared, 10 + k, i).status, 200);
                assert_eq!(put(&base, &w, &format!("own-{k}-{i}"), 12, i).status, 200);
                if i % 4 == 3 {
                    let r = call("DELETE", &format!("{base}/v1/documents/own-{k}-{}", i - 1), Some(&w), None);
                    assert_eq!(r.status, 200, "{}", r.text);
                }
            }
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    let d = docs(&url);
    for (name, n) in &d {
        if name.starts_with("own-") {
            assert_eq!(*n, 12, "{name}");
        } else {
            assert!((10..=13).contains(n), "{name} holds one writer's version whole: {n}");
        }
    }
    assert_eq!(d.len(), 5 + 4 * 15 - 4 * 3);
    consistent(&url);
    // Both servers see the same memory.
    let count = |base: &str| {
        call("GET", &format!("{base}/v1/documents"), Some(&w), None).json["documents"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!((count(&a.base), count(&b.base)), (d.len(), d.len()));
}

fn arabic_lookups_are_right_in_a_c_locale_database() {
    let tmp = tempfile::tempdir().unwrap();
    let c_db =
        PathBuf::from(fresh_database("LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0 ENCODING 'UTF8'"));
    let sqlite = tmp.path().join("ref.sqlite");
    let mut c = ::postgres::Client::connect(c_db.to_str().unwrap(), ::postgres::NoTls).unwrap();
    let coll: String = c
        .query_one("SELECT datcollate FROM pg_database WHERE datname = current_database()", &[])
        .unwrap()
        .get(0);
    assert_eq!(coll, "C");
    for tm in [&c_db, &sqlite] {
        qantara()
            .args(["batch", seed("").to_str().unwrap(), "--tm", tm.to_str().unwrap()])
            .assert()
            .success();
    }
    // The stored Arabic sentences, read back from the C-locale database.
    let stored: Vec<String> = c
        .query("SELECT text FROM texts WHERE lang = 'ar' ORDER BY unit_id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let lines: Vec<&str> = stored.iter().map(String::as_str).filter(|l| l.split(' ').count() > 5).collect();
    assert!(lines.len() > 5);
    for line in lines {
        // The sentence with a conjunction glued on and its last word dropped: a fuzzy match.
        let words: Vec<&str> = line.split(' ').collect();
        let q = format!("و{}", words[..words.len() - 1].join(" "));
        let look = |tm: &Path| {
            let out = qantara()
                .args(["lookup", &q, "--lang", "ar", "--min", "50", "--json", "--tm", tm.to_str().unwrap()])
                .output()
                .unwrap();
            serde_json::from_slice::<Value>(&out.stdout).unwrap()
        };
        let (p, s) = (look(&c_db), look(&sqlite));
        assert!(!p["matches"].as_array().unwrap().is_empty(), "{q}: found in the C-locale database");
        assert_eq!(p["matches"][0]["source"], line, "{q}");
        let strip = |v: &Value| {
            v["matches"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| (m["score"].clone(), m["source"].clone(), m["targets"].clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&p), strip(&s), "{q}: same answers as the SQLite store");
    }
    let conc = |tm: &Path| {
        let out = qantara()
            .args(["concordance", "الأمن الوطني", "--lang", "ar", "--json", "--tm", tm.to_str().unwrap()])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["hits"].as_array().unwrap().iter().map(|h| h["marked"].clone()).collect::<Vec<_>>()
    };
    let (p, s) = (conc(&c_db), conc(&sqlite));
    assert!(!p.is_empty());
    assert_eq!(p, s);
}

crate::postgres_twins!(
    kill_9_during_import_and_concurrent_writes_loses_no_confirmed_document,
    two_servers_on_one_database_stay_consistent,
    arabic_lookups_are_right_in_a_c_locale_database,
);
