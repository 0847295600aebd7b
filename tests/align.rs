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

// ---- split beads (src/align/split.rs) ----

/// One case of `tests/fixtures/split/cases.txt`.
struct SplitCase {
    name: String,
    langs: [String; 2],
    /// The glued side and the byte offsets (in it) where the unmarked sentences start.
    glued: String,
    cuts: Vec<usize>,
    /// The other side, punctuated, and the same with the marked punctuation removed.
    other: String,
    other_glued: String,
}

fn split_cases() -> Vec<SplitCase> {
    let file = crate::util::root().join("tests/fixtures/split/cases.txt");
    let text = std::fs::read_to_string(file).unwrap();
    let mut cases = Vec::new();
    for block in text.split("\n== ").skip(1) {
        let (head, body) = block.split_once('\n').unwrap();
        let (name, langs) = head.split_once(' ').unwrap();
        let (l0, l1) = langs.trim().split_once(',').unwrap();
        let (a, b) = body.split_once("\n--\n").unwrap();
        let (mut glued, mut cuts) = (String::new(), Vec::new());
        let mut rest = a.trim();
        while let Some(k) = rest.find('|') {
            glued.push_str(&rest[..k]);
            cuts.push(glued.len());
            rest = &rest[k + 1..];
            rest = rest.strip_prefix(' ').unwrap_or(rest);
        }
        glued.push_str(rest);
        glued.push('\n');
        let b = b.trim();
        let other = b.replace('|', "") + "\n";
        let mut other_glued = String::new();
        let mut rest = b;
        while let Some(k) = rest.find('|') {
            let before = rest[..k].trim_end_matches(['.', '?', '!', '؟']);
            other_glued.push_str(before);
            rest = &rest[k + 1..];
        }
        other_glued.push_str(rest);
        other_glued.push('\n');
        assert!(!cuts.is_empty(), "case {name} marks no boundary");
        cases.push(SplitCase {
            name: name.to_string(),
            langs: [l0.to_string(), l1.to_string()],
            glued,
            cuts,
            other,
            other_glued,
        });
    }
    cases
}

/// The splits of `align --format jsonl` as absolute byte offsets into the file of each side.
fn splits_of(dir: &std::path::Path, files: [&str; 2], langs: &[String; 2]) -> [Vec<usize>; 2] {
    let path = |f: &str| dir.join(f).to_str().unwrap().to_string();
    let jsonl = stdout_of(qantara().args(["align", &path(files[0]), &path(files[1])]).args([
        "--langs",
        &langs.join(","),
        "--format",
        "jsonl",
    ]));
    let starts = |k: usize| -> Vec<usize> {
        let json =
            stdout_of(qantara().args(["segment", &path(files[k]), "--lang", &langs[k], "--format", "jsonl"]));
        json.lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["start"].as_u64().unwrap() as usize
            })
            .collect()
    };
    let (s0, s1) = (starts(0), starts(1));
    let mut out = [Vec::new(), Vec::new()];
    for line in jsonl.lines() {
        let bead: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(split) = bead.get("split") {
            let k = if split["lang"] == langs[0].as_str() { 0 } else { 1 };
            let seg = split["segment"].as_u64().unwrap() as usize;
            let at = [&s0, &s1][k][seg] + split["at"].as_u64().unwrap() as usize;
            if !out[k].contains(&at) {
                out[k].push(at);
            }
        }
    }
    out
}

#[test]
fn split_beads_recover_every_unpunctuated_boundary_the_other_version_punctuates() {
    let cases = split_cases();
    assert!(cases.len() >= 20);
    let dir = tempfile::tempdir().unwrap();
    // Misses are listed, not hidden: on these short articles a half without any anchor
    // (number, name, cognate, common word) gives no evidence, so the aligner may not cut.
    let (mut misses, mut wrong) = (Vec::new(), Vec::new());
    let mut recovered = 0;
    for c in &cases {
        std::fs::write(dir.path().join("glued.txt"), &c.glued).unwrap();
        std::fs::write(dir.path().join("other.txt"), &c.other).unwrap();
        std::fs::write(dir.path().join("other-glued.txt"), &c.other_glued).unwrap();
        let swapped = [c.langs[1].clone(), c.langs[0].clone()];
        for (label, [g, o]) in [
            ("", splits_of(dir.path(), ["glued.txt", "other.txt"], &c.langs)),
            (" (swapped)", {
                let [o, g] = splits_of(dir.path(), ["other.txt", "glued.txt"], &swapped);
                [g, o]
            }),
        ] {
            if g == c.cuts && o.is_empty() {
                recovered += 1;
            } else if g.iter().all(|x| c.cuts.contains(x)) && o.is_empty() {
                misses.push(format!("{}{label}: cuts {g:?} (want {:?})", c.name, c.cuts));
            } else {
                wrong.push(format!("{}{label}: cuts {g:?} (want {:?}), other side {o:?}", c.name, c.cuts));
            }
        }
        // no evidence: the other version glues the same sentences, nothing is cut
        let [g, o] = splits_of(dir.path(), ["glued.txt", "other-glued.txt"], &c.langs);
        if !g.is_empty() || !o.is_empty() {
            wrong.push(format!("{} (both glued): split {g:?} / {o:?} without evidence", c.name));
        }
    }
    eprintln!(
        "split test set: {recovered} of {} runs recovered every boundary; missed:\n{}",
        2 * cases.len(),
        misses.join("\n")
    );
    assert!(wrong.is_empty(), "wrong cuts:\n{}", wrong.join("\n"));
    // measured 2026-12-02 (bench/align.md): raise it when the misses above are fixed
    assert!(recovered >= RECOVERED_AT_LEAST, "{recovered} recovered; missed:\n{}", misses.join("\n"));
}

/// Runs (of the 44: 22 cases in both orders) that must recover every boundary.
const RECOVERED_AT_LEAST: usize = 36;

#[test]
fn split_bead_halves_are_two_units_in_tsv_and_tmx_and_one_bead_in_beads() {
    let c = &split_cases()[0];
    let dir = tempfile::tempdir().unwrap();
    let (g, o) = (dir.path().join("glued.txt"), dir.path().join("other.txt"));
    std::fs::write(&g, &c.glued).unwrap();
    std::fs::write(&o, &c.other).unwrap();
    let run = |format: &str| {
        stdout_of(qantara().arg("align").arg(&g).arg(&o).args([
            "--langs",
            &c.langs.join(","),
            "--format",
            format,
        ]))
    };
    let first_half = c.glued[..c.cuts[0]].trim();
    let tsv = run("tsv");
    let rows: Vec<&str> = tsv.lines().collect();
    assert!(rows.iter().any(|r| r.split('\t').next() == Some(first_half)), "{tsv}");
    assert!(rows.iter().any(|r| r.starts_with(c.glued[c.cuts[0]..].split(". ").next().unwrap())), "{tsv}");
    let tmx = run("tmx");
    assert!(tmx.contains(&format!("<seg>{first_half}</seg>")), "{tmx}");
    std::fs::write(dir.path().join("x.tmx"), &tmx).unwrap();
    qantara().args(["tm", "validate"]).arg(dir.path().join("x.tmx")).assert().success();
    // vecalign's notation cannot cut: the split segment faces both partners
    assert!(run("beads").lines().next().unwrap().starts_with("[0]:[0,1]"), "{}", run("beads"));
    // `segment` is unchanged: the glued sentences stay one segment
    let seg = stdout_of(qantara().arg("segment").arg(&g).args(["--lang", &c.langs[0], "--format", "lines"]));
    assert!(seg.lines().next().unwrap().contains(first_half), "{seg}");
}

/// Issue 10: a one-megabyte line of one character or a one-megabyte word made `align` run for
/// minutes (every prefix of the token was hashed against the common-word list). Time and
/// memory are measured by `bench/align.sh blowups`; this checks they align at all.
#[test]
fn align_of_a_megabyte_token_finishes() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("ss", "ß".repeat(500_000)), ("word", "a".repeat(1_000_000))] {
        let f = dir.path().join(format!("{name}.txt"));
        std::fs::write(&f, text + "\n").unwrap();
        let tsv = stdout_of(qantara().arg("align").arg(&f).arg(&f).args(["--langs", "fr,en"]));
        assert_eq!(tsv.lines().count(), 1, "{name}");
    }
}
