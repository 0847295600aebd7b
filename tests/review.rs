//! Document commands (`tm docs`, `tm show`, `tm delete`, `tm export --doc`) and corrections
//! (`tm edit`) on the real binary: a correction survives re-running `batch`, and one whose text
//! changed is reported.

use crate::stores::fresh_tm;
use crate::util::{qantara, seed};
use serde_json::Value;
use std::path::Path;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = qantara().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    out
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap()
}

/// Two articles: the seed (trilingual) and a short French–English one written for this test.
fn articles(root: &Path) -> std::path::PathBuf {
    let dir = root.join("articles");
    let s = dir.join("seed");
    std::fs::create_dir_all(&s).unwrap();
    for l in ["ar", "fr", "en"] {
        std::fs::copy(seed(&format!("dgsn-visit-france-2024/{l}.txt")), s.join(format!("{l}.txt"))).unwrap();
    }
    let b = dir.join("port");
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(
        b.join("fr.txt"),
        "Le port de Tanger a reçu trois navires lundi.\n\nLes douaniers ont contrôlé 120 conteneurs. \
         Aucune saisie n'a été signalée.\n",
    )
    .unwrap();
    std::fs::write(
        b.join("en.txt"),
        "The port of Tangier received three ships on Monday.\n\nCustoms officers checked 120 containers. \
         No seizure was reported.\n",
    )
    .unwrap();
    dir
}

/// The text of bead `b` in `lang`, its texts joined.
fn text(b: &Value, lang: &str) -> String {
    let side = b["sides"].as_array().unwrap().iter().find(|s| s["lang"] == lang).unwrap();
    side["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().trim()).collect::<Vec<_>>().join(" ")
}

fn segs(b: &Value, lang: &str) -> (u64, u64) {
    let side = b["sides"].as_array().unwrap().iter().find(|s| s["lang"] == lang).unwrap();
    (side["segments"]["start"].as_u64().unwrap(), side["segments"]["end"].as_u64().unwrap())
}

#[test]
fn document_commands_list_show_export_and_delete_one_document() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = articles(tmp.path());
    let tm = fresh_tm(tmp.path(), "tm.sqlite");
    let tm = tm.to_str().unwrap();
    ok(&["batch", dir.to_str().unwrap(), "--tm", tm]);
    let docs = json(&["tm", "docs", "--json", "--tm", tm]);
    let docs = docs.as_array().unwrap();
    assert_eq!(docs.iter().map(|d| d["name"].as_str().unwrap()).collect::<Vec<_>>(), ["port", "seed"]);
    let port = &docs[0];
    assert_eq!(port["langs"], serde_json::json!(["fr", "en"]));
    assert_eq!(port["units"], 3);
    assert_eq!(port["beads"], 3);
    assert!(port["source"].as_str().unwrap().ends_with("port"));
    let seed = &docs[1];
    assert_eq!(seed["langs"], serde_json::json!(["ar", "fr", "en"]));
    assert!(seed["to_review"].as_u64().unwrap() <= seed["beads"].as_u64().unwrap());
    // The table lists the same figures.
    let table = ok(&["tm", "docs", "--tm", tm]);
    assert!(table.lines().any(|l| l.starts_with("port\tfr,en\t3\t3\t")), "{table}");

    // show: every bead with its confidence, covering every segment once.
    let show = json(&["tm", "show", "port", "--json", "--tm", tm]);
    let beads = show["beads"].as_array().unwrap();
    assert_eq!(beads.len(), 3);
    assert_eq!(text(&beads[1], "en"), "Customs officers checked 120 containers.");
    assert!(beads.iter().all(|b| (0.0..=1.0).contains(&b["confidence"].as_f64().unwrap())));
    let text_out = ok(&["tm", "show", "port", "--tm", tm]);
    assert!(text_out.contains("#2 ") && text_out.contains("fr [2-2] Aucune saisie"), "{text_out}");

    // export --doc: only that document's units.
    let tsv = ok(&["tm", "export", "--doc", "port", "--format", "tsv", "--tm", tm]);
    assert_eq!(tsv.lines().count(), 1 + 3, "{tsv}");
    assert!(!tsv.contains("Hammouchi"));
    let (code, _, err) = run(&["tm", "export", "--doc", "nope", "--tm", tm]);
    assert_ne!(code, Some(0));
    assert!(err.contains("no document \"nope\"") && err.contains("tm docs"), "{err}");

    // An imported document: listed with its languages, shown unit by unit, not correctable.
    let tsv_file = tmp.path().join("greetings.tsv");
    std::fs::write(&tsv_file, "fr\ten\nBonjour.\tHello.\nMerci.\tThank you.\n").unwrap();
    ok(&["tm", "import", tsv_file.to_str().unwrap(), "--tm", tm]);
    let docs = json(&["tm", "docs", "--json", "--tm", tm]);
    let imported = docs.as_array().unwrap().iter().find(|d| d["name"] == "import:greetings.tsv").unwrap();
    assert_eq!(
        (imported["langs"].clone(), imported["beads"].clone()),
        (serde_json::json!(["fr", "en"]), Value::Null)
    );
    let v = json(&["tm", "show", "import:greetings.tsv", "--json", "--tm", tm]);
    assert_eq!((v["aligned"].as_bool(), v["beads"].as_array().unwrap().len()), (Some(false), 2));
    assert_eq!(text(&v["beads"][1], "en"), "Thank you.");
    let (code, _, err) = run(&["tm", "edit", "import:greetings.tsv", "confirm", "0", "--tm", tm]);
    assert_ne!(code, Some(0));
    assert!(err.contains("no stored alignment") && err.contains("qantara batch"), "{err}");

    // delete: the document goes, the other stays.
    let (code, _, err) = run(&["tm", "delete", "port", "--tm", tm]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("deleted document \"port\" (3 units)"), "{err}");
    let docs = json(&["tm", "docs", "--json", "--tm", tm]);
    assert_eq!(docs.as_array().unwrap().len(), 2);
    let (code, _, err) = run(&["tm", "show", "port", "--tm", tm]);
    assert_ne!(code, Some(0));
    assert!(err.contains("no document \"port\""), "{err}");
    let (code, _, _) = run(&["tm", "delete", "port", "--tm", tm]);
    assert_ne!(code, Some(0));
}

#[test]
fn a_correction_survives_batch_and_one_that_no_longer_applies_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = articles(tmp.path());
    let tm = fresh_tm(tmp.path(), "tm.sqlite");
    let tm = tm.to_str().unwrap();
    let d = dir.to_str().unwrap();
    ok(&["batch", d, "--tm", tm]);
    // Merge the last two beads of the French–English article: one unit of two sentences.
    let merged = json(&["tm", "edit", "port", "merge", "1", "2", "--json", "--tm", tm]);
    let beads = merged["beads"].as_array().unwrap();
    assert_eq!(beads.len(), 2);
    assert_eq!(beads[1]["pin"], "together");
    assert_eq!(beads[1]["confidence"], 1.0);
    assert_eq!(segs(&beads[1], "fr"), (1, 3));
    let unit = ok(&["tm", "export", "--doc", "port", "--format", "tsv", "--tm", tm]);
    assert!(
        unit.contains("Les douaniers ont contrôlé 120 conteneurs. Aucune saisie n'a été signalée.\t"),
        "{unit}"
    );
    let tmx = ok(&["tm", "export", "--doc", "port", "--tm", tm]);
    assert_eq!(tmx.matches("edited").count(), 1, "{tmx}");

    // The same folder again: unchanged, the correction is there.
    let s = json(&["batch", d, "--json", "--tm", tm]);
    assert_eq!(s["unchanged"], 2);
    // A sentence added at the top of both versions: re-aligned, the pin moves with its text.
    for (l, top) in [("fr", "Tanger, le 3 mars."), ("en", "Tangier, 3 March.")] {
        let p = dir.join("port").join(format!("{l}.txt"));
        let old = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, format!("{top}\n\n{old}")).unwrap();
    }
    let s = json(&["batch", d, "--json", "--tm", tm]);
    assert_eq!((s["stored"].as_u64(), s["stale_pins"].as_array().unwrap().len()), (Some(1), 0), "{s}");
    let show = json(&["tm", "show", "port", "--json", "--tm", tm]);
    let beads = show["beads"].as_array().unwrap();
    let pinned: Vec<&Value> = beads.iter().filter(|b| b["pin"] == "together").collect();
    assert_eq!(pinned.len(), 1, "{show}");
    assert_eq!(segs(pinned[0], "fr"), (2, 4));
    assert_eq!(text(pinned[0], "en"), "Customs officers checked 120 containers. No seizure was reported.");

    // The pinned French sentence rewritten: the pin no longer applies, and batch says so.
    let p = dir.join("port/fr.txt");
    let old = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, old.replace("Aucune saisie n'a été signalée.", "Aucune saisie n'a eu lieu.")).unwrap();
    let (code, out, err) = run(&["batch", d, "--json", "--tm", tm]);
    assert_eq!(code, Some(0), "{err}");
    let s: Value = serde_json::from_str(&out).unwrap();
    let stale = s["stale_pins"].as_array().unwrap();
    assert_eq!(stale.len(), 1, "{s}");
    assert_eq!(stale[0]["article"], "port");
    assert_eq!(stale[0]["kind"], "together");
    assert!(stale[0]["reason"].as_str().unwrap().contains("fr text"), "{s}");
    assert!(err.contains("article port: correction 0") && err.contains("no longer applies"), "{err}");
    // Kept and listed, not dropped.
    let docs = json(&["tm", "docs", "--json", "--tm", tm]);
    assert_eq!((docs[0]["pins"].as_u64(), docs[0]["stale_pins"].as_u64()), (Some(1), Some(1)));
    let (_, _, err) = run(&["tm", "show", "port", "--tm", tm]);
    assert!(err.contains("no longer applies"), "{err}");
}

#[test]
fn edits_through_the_cli_split_confirm_move_and_undo() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = articles(tmp.path());
    let tm = fresh_tm(tmp.path(), "tm.sqlite");
    let tm = tm.to_str().unwrap();
    ok(&["batch", dir.to_str().unwrap(), "--tm", tm]);
    // Split the second bead inside its French sentence, after "contrôlé".
    let fr = std::fs::read_to_string(dir.join("port/fr.txt")).unwrap();
    let at = fr.find(" 120 conteneurs").unwrap().to_string();
    let v = json(&["tm", "edit", "port", "split", "1", "fr", &at, "--json", "--tm", tm]);
    let beads = v["beads"].as_array().unwrap();
    assert_eq!(beads.len(), 4, "{v}");
    assert_eq!(
        (text(&beads[1], "fr"), text(&beads[2], "fr")),
        ("Les douaniers ont contrôlé".into(), "120 conteneurs.".into())
    );
    assert!(beads[1..3].iter().all(|b| b["pin"] == "cut"));
    // Undo brings the bead back whole.
    let v = json(&["tm", "edit", "port", "undo", "--json", "--tm", tm]);
    assert_eq!(v["beads"].as_array().unwrap().len(), 3, "{v}");
    // Move the last French sentence up, then confirm everything above the last bead.
    let v = json(&["tm", "edit", "port", "up", "fr", "2", "--json", "--tm", tm]);
    let beads = v["beads"].as_array().unwrap();
    assert_eq!(segs(&beads[1], "fr"), (1, 3), "{v}");
    let v = json(&["tm", "edit", "port", "confirm-above", "1", "--json", "--tm", tm]);
    let beads = v["beads"].as_array().unwrap();
    assert!(beads[..2].iter().all(|b| b["pin"] == "confirmed" && b["confidence"] == 1.0), "{v}");
    // A one-sided segment.
    let v = json(&["tm", "edit", "port", "alone", "en", "2", "--json", "--tm", tm]);
    let beads = v["beads"].as_array().unwrap();
    assert!(beads.iter().any(|b| b["pin"] == "alone" && segs(b, "fr").0 == segs(b, "fr").1), "{v}");
    // Wrong edits are explained, the memory unchanged.
    for (args, says) in [
        (&["merge", "0", "9"][..], "no bead 9"),
        (&["up", "fr", "0"][..], "no bead above"),
        (&["split", "0", "de", "3"][..], "language"),
        (&["frobnicate"][..], "unknown edit"),
    ] {
        let mut a = vec!["tm", "edit", "port"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["--tm", tm]);
        let (code, _, err) = run(&a);
        assert_ne!(code, Some(0), "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let docs = json(&["tm", "docs", "--json", "--tm", tm]);
    assert_eq!(docs[0]["name"], "port");
    assert!(docs[0]["pins"].as_u64().unwrap() >= 3);
}

crate::postgres_twins!(
    document_commands_list_show_export_and_delete_one_document,
    a_correction_survives_batch_and_one_that_no_longer_applies_is_reported,
    edits_through_the_cli_split_confirm_move_and_undo,
);
