//! Data safety (issue 10): one bad article never sinks a batch, exports never destroy their
//! input, a memory is recognised by its own marker, content hashes are not identity, a refused
//! import stores nothing, and concurrent writers and readers all succeed.

use crate::bad_input::{Env, Out};
use crate::util::qantara;
use std::ffi::OsString;
use std::path::Path;

/// `a` then the paths of `tail`, as arguments.
fn args(a: &[&str], tail: &[&Path]) -> Vec<OsString> {
    a.iter().map(OsString::from).chain(tail.iter().map(|p| p.as_os_str().to_owned())).collect()
}

/// Runs the binary in `env`'s folder with `vars` set; panics are not asserted away here (the
/// batch tests check what a caught panic prints).
fn run_with(env: &Env, vars: &[(&str, &str)], a: &[OsString]) -> Out {
    let mut c = qantara();
    c.current_dir(env.path("")).args(a);
    for (k, v) in vars {
        c.env(k, v);
    }
    let o = c.output().expect("qantara runs");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Names of the documents in the memory at `tm`, read directly.
fn doc_names(tm: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open_with_flags(tm, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut st = conn.prepare("SELECT name FROM documents ORDER BY name").unwrap();
    st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

/// Four articles: two plain, one with the issue's `14½-13½`, one more plain.
fn four_articles(env: &Env) -> std::path::PathBuf {
    env.write("arts/a-visit/fr.txt", "Le ministre est arrivé à Rabat lundi.\nIl a rencontré le préfet.\n");
    env.write("arts/a-visit/en.txt", "The minister arrived in Rabat on Monday.\nHe met the prefect.\n");
    env.write("arts/b-talks/fr.txt", "Les négociations ont repris mardi.\nUn accord est attendu.\n");
    env.write("arts/b-talks/en.txt", "The talks resumed on Tuesday.\nAn agreement is expected.\n");
    env.write("arts/c-score/fr.txt", "Le score final fut 14½-13½ hier soir.\nLe public a applaudi.\n");
    env.write("arts/c-score/en.txt", "The final score was 14½-13½ last night.\nThe crowd cheered.\n");
    env.write("arts/d-rain/fr.txt", "La pluie est tombée toute la nuit.\nLes routes sont fermées.\n");
    env.write("arts/d-rain/en.txt", "Rain fell all night.\nThe roads are closed.\n");
    env.path("arts")
}

/// A panic while aligning one article and another while storing a second fail those two only:
/// each is named with a message saying it is a bug to report, the others (among them the
/// issue's `14½-13½` article) are stored, the summary counts two failures and the exit status
/// is 1, not a panic's 101. Without the per-article isolation the run dies and stores nothing.
/// The fault is injected by debug builds only (`QANTARA_DEBUG_PANIC`).
#[test]
fn a_panicking_article_fails_alone_and_the_others_are_stored() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: fault injection exists in debug builds only");
        return;
    }
    let env = Env::new();
    let arts = four_articles(&env);
    let tm = env.tm();
    let a = args(&["batch", "--langs", "fr,en", "--jobs", "2", "--json", "--tm"], &[&tm, &arts]);
    let out = run_with(&env, &[("QANTARA_DEBUG_PANIC", "align:b-talks,store:d-rain")], &a);
    assert_eq!(out.code, 1, "{}", out.stderr);
    for id in ["b-talks", "d-rain"] {
        let line = out
            .stderr
            .lines()
            .find(|l| l.starts_with(&format!("qantara: article {id}:")))
            .unwrap_or_else(|| panic!("{id} is not named:\n{}", out.stderr));
        assert!(line.contains("bug in qantara") && line.contains("report"), "{line}");
    }
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(summary["stored"], 2, "{}", out.stdout);
    assert_eq!(summary["failures"].as_array().unwrap().len(), 2, "{}", out.stdout);
    assert_eq!(doc_names(&tm), ["a-visit", "c-score"]);
    // The panic while storing left nothing of d-rain behind, and the memory is sound.
    let (docs, units) = env.tm_counts();
    assert_eq!((docs, units), (2, 4));
    // Run again without faults: the two failed articles are stored, the two others unchanged.
    let out = env.run(&a);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((summary["stored"].as_u64(), summary["unchanged"].as_u64()), (Some(2), Some(2)));
    assert_eq!(doc_names(&tm), ["a-visit", "b-talks", "c-score", "d-rain"]);
}

/// The repro: a folder holding an article with `14½-13½` beside good ones stores them
/// all (the span fix), and the text summary says so.
#[test]
fn a_batch_with_a_fraction_article_stores_every_article() {
    let env = Env::new();
    let arts = four_articles(&env);
    let out = env.run(args(&["batch", "--langs", "fr,en", "--tm"], &[&env.tm(), &arts]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("4 articles: 4 stored, 0 unchanged, 0 failed"), "{}", out.stderr);
    assert_eq!(env.tm_counts(), (4, 8));
}
