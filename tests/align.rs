//! Integration tests for the align stage: the real `qantara align` binary on the seed article
//! (3-way snapshot), its output formats, and bad input.

use crate::util::{qantara, seed, with_snapshots};
use predicates::prelude::*;

fn seed_path(lang: &str) -> String {
    seed(&format!("dgsn-visit-france-2024/{lang}.txt")).to_str().unwrap().to_string()
}

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn seed_article_aligns_three_ways_as_snapshotted() {
    let tsv = stdout_of(
        qantara()
            .args(["align", &seed_path("ar"), &seed_path("fr"), &seed_path("en")])
            .args(["--langs", "ar,fr,en", "--format", "tsv"]),
    );
    // one row per bead, three columns each
    assert!(tsv.lines().all(|l| l.split('\t').count() == 3), "{tsv}");
    with_snapshots(|| insta::assert_snapshot!("align_seed_ar_fr_en_tsv", tsv));
}

#[test]
fn seed_beads_cover_every_segment_once() {
    let beads = stdout_of(
        qantara()
            .args(["align", &seed_path("fr"), &seed_path("en")])
            .args(["--langs", "fr,en", "--format", "beads"]),
    );
    let segs = |lang: &str| {
        stdout_of(qantara().args(["segment", &seed_path(lang), "--lang", lang, "--format", "lines"]))
            .lines()
            .count()
    };
    let mut next = [0usize, 0];
    for line in beads.lines() {
        let (a, b) = line.split_once(':').unwrap();
        for (k, side) in [a, b].iter().enumerate() {
            for idx in side.trim_matches(['[', ']']).split(',').filter(|x| !x.is_empty()) {
                assert_eq!(idx.parse::<usize>().unwrap(), next[k], "{beads}");
                next[k] += 1;
            }
        }
    }
    assert_eq!(next, [segs("fr"), segs("en")]);
}

#[test]
fn jsonl_and_tmx_carry_indices_and_confidence() {
    let jsonl = stdout_of(
        qantara()
            .args(["align", &seed_path("ar"), &seed_path("fr")])
            .args(["--langs", "ar,fr", "--format", "jsonl"]),
    );
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let c = v["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
        assert!(v["ar"]["segments"].is_array() && v["fr"]["text"].is_string());
    }
    let tmx = stdout_of(
        qantara()
            .args(["align", &seed_path("ar"), &seed_path("fr")])
            .args(["--langs", "ar,fr", "--format", "tmx"]),
    );
    assert!(tmx.starts_with("<?xml") && tmx.trim_end().ends_with("</tmx>"));
    assert!(tmx.contains("<prop type=\"x-doc\">dgsn-visit-france-2024</prop>"));
    assert!(tmx.contains("<tuv xml:lang=\"ar\">") && tmx.contains("x-confidence"));
}

#[test]
fn presegmented_input_keeps_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(&a, "Le maire a parlé.\nIl a remercié 40 bénévoles.\nLa fête a duré deux jours.\n")
        .unwrap();
    std::fs::write(&b, "The mayor spoke. He thanked 40 volunteers.\nThe party lasted two days.\n").unwrap();
    let out = stdout_of(qantara().arg("align").args([&a, &b]).args([
        "--langs",
        "fr,en",
        "--presegmented",
        "--format",
        "beads",
    ]));
    assert_eq!(out, "[0,1]:[0]\n[2]:[1]\n");
}

#[test]
fn review_lists_low_confidence_beads_on_stderr() {
    qantara()
        .args(["align", &seed_path("ar"), &seed_path("fr"), &seed_path("en")])
        .args(["--langs", "ar,fr,en", "--review", "--review-below", "1"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("review\t0\t")
                .and(predicate::str::contains("beads have confidence below 1")),
        );
}

#[test]
fn empty_file_warns_and_still_aligns() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let out = qantara()
        .args(["align", &seed_path("fr")])
        .arg(&empty)
        .args(["--langs", "fr,en", "--format", "tsv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("empty.txt is empty"));
    // Every bead is one-sided: the TSV (a translation memory) has no row, the beads list them.
    assert!(out.get_output().stdout.is_empty(), "{:?}", String::from_utf8_lossy(&out.get_output().stdout));
    let beads = stdout_of(
        qantara()
            .args(["align", &seed_path("fr")])
            .arg(&empty)
            .args(["--langs", "fr,en", "--format", "beads"]),
    );
    assert!(beads.lines().count() > 10 && beads.lines().all(|l| l.ends_with(":[]")), "{beads}");
}

#[test]
fn wrong_language_and_wild_lengths_warn() {
    let dir = tempfile::tempdir().unwrap();
    let short = dir.path().join("short.txt");
    std::fs::write(&short, "Une seule phrase courte.\n").unwrap();
    qantara()
        .args(["align", &seed_path("ar"), &seed_path("en")])
        .args(["--langs", "fr,en"])
        .assert()
        .success()
        .stderr(predicate::str::contains("looks like ar, not fr"));
    qantara()
        .args(["align", &seed_path("fr")])
        .arg(&short)
        .args(["--langs", "fr,fr-CA"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("names fr twice"));
    qantara()
        .args(["align", "-", "-", "--langs", "ar,fr"])
        .write_stdin("نص.\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("standard input (-) can be read once"));
    qantara()
        .args(["align", &seed_path("fr")])
        .arg(&short)
        .args(["--langs", "fr,en"])
        .assert()
        .success()
        .stderr(predicate::str::contains("differ wildly in length"));
}

#[test]
fn segments_without_counterpart_are_counted_and_an_incomplete_version_is_named() {
    let dir = tempfile::tempdir().unwrap();
    // The French version cut after its first paragraphs.
    let fr = std::fs::read_to_string(seed_path("fr")).unwrap();
    let half: String = fr.lines().take(6).map(|l| format!("{l}\n")).collect();
    let cut = dir.path().join("fr-half.txt");
    std::fs::write(&cut, half).unwrap();
    let out =
        qantara().args(["align", &seed_path("ar")]).arg(&cut).args(["--langs", "ar,fr"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("ar segments have no counterpart") && err.contains("is a version incomplete?"),
        "{err}"
    );
    // The whole article: only its few one-sided lines (counters, a credit line), no alarm.
    let out =
        qantara().args(["align", &seed_path("ar"), &seed_path("fr"), "--langs", "ar,fr"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("incomplete"), "{err}");
}

#[test]
fn langs_must_match_the_files() {
    qantara()
        .args(["align", &seed_path("ar"), &seed_path("fr")])
        .args(["--langs", "ar,fr,en"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("3 language(s) for 2 file(s)"));
}
