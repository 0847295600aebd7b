//! Integration tests for the segment stage: the real `qantara segment` binary on the seed
//! articles (snapshots), its output formats, SRX export/import and input errors.

use crate::util::{qantara, seed, with_snapshots};
use predicates::prelude::*;

const SEEDS: [(&str, &str); 3] = [("ar", "ar.txt"), ("fr", "fr.txt"), ("en", "en.txt")];

fn segment_lines(args: &[&str]) -> String {
    let out = qantara().arg("segment").args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn seed_articles_segment_as_snapshotted() {
    for (lang, file) in SEEDS {
        let path = seed(&format!("dgsn-visit-france-2024/{file}"));
        let lines = segment_lines(&[path.to_str().unwrap(), "--lang", lang]);
        with_snapshots(|| insta::assert_snapshot!(format!("segment_seed_{lang}"), lines));
    }
}

#[test]
fn json_format_gives_byte_spans_paragraphs_and_kinds() {
    let path = seed("dgsn-visit-france-2024/ar.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = segment_lines(&[path.to_str().unwrap(), "--lang", "ar", "--format", "jsonl"]);
    let mut last_para = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (start, end) = (v["start"].as_u64().unwrap() as usize, v["end"].as_u64().unwrap() as usize);
        assert_eq!(&text[start..end], v["text"].as_str().unwrap());
        let para = v["paragraph"].as_u64().unwrap();
        assert!(para >= last_para);
        last_para = para;
        kinds.insert(v["kind"].as_str().unwrap().to_string());
    }
    // The seed has headings and stray counters ("line") and sentences.
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["line", "sentence"]);
    assert!(last_para > 5);
}

#[test]
fn exported_srx_read_back_segments_the_seeds_like_the_builtin_rules() {
    let dir = tempfile::tempdir().unwrap();
    let srx = dir.path().join("qantara.srx");
    let xml = segment_lines(&["--export-srx"]);
    assert!(xml.contains("<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">"));
    std::fs::write(&srx, xml).unwrap();
    for (lang, file) in SEEDS {
        let path = seed(&format!("dgsn-visit-france-2024/{file}"));
        let builtin = segment_lines(&[path.to_str().unwrap(), "--lang", lang]);
        let via_srx =
            segment_lines(&[path.to_str().unwrap(), "--lang", lang, "--srx", srx.to_str().unwrap()]);
        assert_eq!(builtin, via_srx, "{lang}");
    }
}

#[test]
fn user_srx_rules_replace_the_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    let srx = dir.path().join("semicolons.srx");
    std::fs::write(
        &srx,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="no"/>
  <body>
    <languagerules>
      <languagerule languagerulename="Semicolons">
        <rule break="yes"><beforebreak>;</beforebreak><afterbreak>\s</afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules><languagemap languagepattern="fr.*" languagerulename="Semicolons"/></maprules>
  </body>
</srx>
"#,
    )
    .unwrap();
    qantara()
        .args(["segment", "-", "--lang", "fr", "--srx", srx.to_str().unwrap()])
        .write_stdin("Il pleut; il vente. Rien de plus.\n")
        .assert()
        .success()
        .stdout("Il pleut;\nil vente. Rien de plus.\n");
    // No map for English: the error says what to add.
    qantara()
        .args(["segment", "-", "--lang", "en", "--srx", srx.to_str().unwrap()])
        .write_stdin("It rains.\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no <languagemap> matches language \"en\""));
}

#[test]
fn bad_srx_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let srx = dir.path().join("bad.srx");
    std::fs::write(
        &srx,
        "<srx version=\"2.0\">\n<body><languagerules>\n<languagerule languagerulename=\"x\">\n  \
         <rule><beforebreak>(?&lt;=a)</beforebreak><afterbreak/></rule>\n</languagerule>\n\
         </languagerules><maprules><languagemap languagepattern=\".*\" languagerulename=\"x\"/>\
         </maprules></body></srx>\n",
    )
    .unwrap();
    qantara()
        .args(["segment", "-", "--lang", "fr", "--srx", srx.to_str().unwrap()])
        .write_stdin("a\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{}:4:3: beforebreak", srx.display())));
    std::fs::write(&srx, "<srx>\n  <body>\n</srx>\n").unwrap();
    qantara()
        .args(["segment", "-", "--lang", "fr", "--srx", srx.to_str().unwrap()])
        .write_stdin("a\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{}:3:", srx.display())));
}

#[test]
fn reads_stdin_bom_crlf_and_utf16_like_plain_utf8() {
    let expected = "Title\nFirst one.\nSecond one.\n";
    qantara()
        .args(["segment", "-", "--lang", "en"])
        .write_stdin("Title\n\nFirst one. Second one.\n")
        .assert()
        .success()
        .stdout(expected);
    let dir = tempfile::tempdir().unwrap();
    let crlf = dir.path().join("crlf.txt");
    std::fs::write(&crlf, b"\xEF\xBB\xBFTitle\r\n\r\nFirst one. Second one.\r\n").unwrap();
    let utf16 = dir.path().join("utf16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("Title\n\nFirst one. Second one.\n".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, bytes).unwrap();
    for p in [&crlf, &utf16] {
        assert_eq!(segment_lines(&[p.to_str().unwrap(), "--lang", "en"]), expected, "{}", p.display());
    }
}

#[test]
fn invalid_utf8_is_an_error_naming_file_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"Une phrase.\nDeux \xFF trois.\n").unwrap();
    qantara()
        .args(["segment", bad.to_str().unwrap(), "--lang", "fr"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.txt").and(predicate::str::contains("byte offset 17")));
}

#[test]
fn warns_when_the_text_is_in_another_language() {
    let path = seed("dgsn-visit-france-2024/ar.txt");
    qantara()
        .args(["segment", path.to_str().unwrap(), "--lang", "fr"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").and(predicate::str::contains("looks like ar")));
    qantara().args(["segment", path.to_str().unwrap(), "--lang", "ar"]).assert().success().stderr("");
}

#[test]
fn help_explains_the_rules_and_options() {
    qantara().args(["segment", "--help"]).assert().success().stdout(
        predicate::str::contains("--srx")
            .and(predicate::str::contains("--export-srx"))
            .and(predicate::str::contains("--format"))
            .and(predicate::str::contains("blank lines")),
    );
    // Without a file the command says what is missing.
    qantara().args(["segment", "--lang", "fr"]).assert().failure();
}
