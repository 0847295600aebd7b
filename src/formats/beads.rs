//! Alignment output: TSV, JSON lines and vecalign's bead notation.
//!
//! * **tsv** — one translation unit a line, one column per version in the order given, a
//!   bead's segments joined by one space, an empty column for a version with nothing in the
//!   bead, no header line (`source<TAB>target`, as the e2e benchmark reads it). Texts are
//!   escaped as in the TSV memory format ([`crate::formats::tsv::escape`]: tab, line feed,
//!   carriage return and backslash become `\t`, `\n`, `\r`, `\\`), so a row is always one
//!   line with `n − 1` tabs and every text reads back unchanged (a tab or `C:\new` included).
//! * **jsonl** — one object per bead: `{"confidence": 0.97, "ar": {"text": …, "segments":
//!   [3, 4]}, "fr": {…}}` (keys sorted; segment indices 0-based). The two halves of a split
//!   bead ([`crate::align::split`]) each say which bytes of the segment they hold
//!   (`"ar": {"segments": [5], "bytes": [0, 37], …}`) and where the cut is (`"split": {"lang":
//!   "ar", "segment": 5, "at": 37}`, byte offset in the segment's text). A bead with reasons to
//!   doubt it lists them: `"risks": ["one-sided-beside", "low-confidence"]`
//!   ([`crate::align::Risk::name`]).
//! * **tmx** — TMX 1.4b through [`crate::formats::tmx::Writer`]: one `<tu>` per bead with a
//!   `<tuv>` for each language that has text in it, the document id (`x-doc`), the confidence
//!   (`x-confidence`, three decimals), `x-origin` = `aligned` and the segment indices of each
//!   language (`x-segments-ar` = `3-5`, end exclusive) as `<prop>`s — the props the TM import
//!   reads back.
//! * **beads** — vecalign's format, read by `align_bench.py`: `[0]:[0]`, `[1,2]:[1]`, `[]:[3]`,
//!   with three versions `[0]:[0]:[0]`. It cannot cut a segment: a split bead's halves are
//!   written as one bead (`[5]:[7,8]`).
//!
//! In **tsv** and **tmx** the halves of a split bead are two units, each with its half's text.
//!
//! All are written from the same `(sides, beads)`. **tsv** and **tmx** are translation
//! memories: they hold the beads that translate something, as
//! [`crate::align::units::translation`] decides for `qantara batch` too — a
//! one-sided bead (1-0, 0-1) or a bead of blank lines is left out, so every `<tu>` has two
//! `<tuv>` or more and `qantara tm validate` accepts the file. **jsonl** and **beads** are the
//! alignment itself and keep every bead (their segment indices cover every segment once).

use crate::align::units::{BeadText, translation};
use crate::align::{Bead, Side};
use crate::formats::tsv::escape;
use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// Writes beads in vecalign's notation, one a line. The notation cannot cut a segment: the
/// two halves of a split bead are written as one bead, the split segment facing both of its
/// partners (`[4]:[5,6]`), so every segment index still appears once.
pub fn write_beads(w: &mut dyn Write, beads: &[Bead]) -> io::Result<()> {
    let mut k = 0;
    while k < beads.len() {
        let mut b = beads[k].clone();
        // the first half of a split (bytes 0..at of a segment) and the second (at..) that follows
        if let Some(next) = beads.get(k + 1).filter(|n| second_half_of(&b, n)) {
            for s in 0..b.ranges.len() {
                let (x, y) = (&b.ranges[s], &next.ranges[s]);
                b.ranges[s] = if x.is_empty() {
                    y.clone()
                } else if y.is_empty() {
                    x.clone()
                } else {
                    x.start..y.end
                };
            }
            b.confidence = b.confidence.min(next.confidence);
            k += 1;
        }
        k += 1;
        let cols: Vec<String> = b
            .ranges
            .iter()
            .map(|r| format!("[{}]", r.clone().map(|k| k.to_string()).collect::<Vec<_>>().join(",")))
            .collect();
        writeln!(w, "{}", cols.join(":"))?;
    }
    Ok(())
}

/// True when `next` holds the second half of the segment whose first half `first` holds.
fn second_half_of(first: &Bead, next: &Bead) -> bool {
    (0..first.ranges.len()).any(|s| match (&first.parts[s], &next.parts[s]) {
        (Some(p), Some(q)) => p.start == 0 && q.start == p.end && first.ranges[s] == next.ranges[s],
        _ => false,
    })
}

/// The text bead `bead` holds on side `k` (`side`): its segments (or, for a split bead, the
/// part of its segment), joined by one space, on one line.
pub fn bead_text(side: &Side<'_>, bead: &Bead, k: usize) -> String {
    let parts: Vec<String> = bead
        .texts(k, side)
        .iter()
        .map(|s| s.split(['\t', '\n', '\r']).filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" "))
        .collect();
    parts.join(" ").trim().to_string()
}

/// Writes one tab-separated row per bead that translates something (one-sided and blank beads
/// are left out), texts escaped by [`crate::formats::tsv::escape`], without a header.
pub fn write_tsv(w: &mut dyn Write, sides: &[Side<'_>], beads: &[Bead]) -> io::Result<()> {
    for texts in beads.iter().filter_map(|b| translation(sides, b)) {
        let cols: Vec<String> = sides
            .iter()
            .map(|s| {
                texts
                    .iter()
                    .find(|t| t.lang == s.lang)
                    .map_or_else(String::new, |t| escape(&t.text).into_owned())
            })
            .collect();
        writeln!(w, "{}", cols.join("\t"))?;
    }
    Ok(())
}

/// Writes one JSON object per bead.
pub fn write_jsonl(w: &mut dyn Write, sides: &[Side<'_>], beads: &[Bead]) -> io::Result<()> {
    for b in beads {
        serde_json::to_writer(&mut *w, &Value::Object(bead_json(sides, b)))?;
        writeln!(w)?;
    }
    Ok(())
}

/// Writes one JSON object per bead as [`write_jsonl`] does, each with `"features"`: the row of
/// [`crate::align::confidence::features`] the calibration is computed from (for
/// `bench/align_calib.py`, which fits the calibration on it).
pub fn write_jsonl_features(
    w: &mut dyn Write,
    sides: &[Side<'_>],
    beads: &[Bead],
    features: &[[f64; crate::align::confidence::NF]],
) -> io::Result<()> {
    for (b, f) in beads.iter().zip(features) {
        let mut obj = bead_json(sides, b);
        obj.insert("features".into(), json!(f.iter().map(|x| (x * 1e4).round() / 1e4).collect::<Vec<_>>()));
        serde_json::to_writer(&mut *w, &Value::Object(obj))?;
        writeln!(w)?;
    }
    Ok(())
}

/// The JSON object of one bead (see the module doc): confidence, per language its text and
/// segment indices (and bytes for a split half), the cut of a split bead, the risks if any.
fn bead_json(sides: &[Side<'_>], b: &Bead) -> Map<String, Value> {
    let mut obj = Map::new();
    obj.insert("confidence".into(), json!((b.confidence * 1000.0).round() / 1000.0));
    for (k, (s, r)) in sides.iter().zip(&b.ranges).enumerate() {
        let mut side = json!({"text": bead_text(s, b, k), "segments": r.clone().collect::<Vec<_>>()});
        if let Some(p) = &b.parts[k] {
            side["bytes"] = json!([p.start, p.end]);
        }
        obj.insert(s.lang.to_string(), side);
    }
    if let Some((k, segment, at)) = b.cut() {
        obj.insert("split".into(), json!({"lang": sides[k].lang.to_string(), "segment": segment, "at": at}));
    }
    if !b.risks.is_empty() {
        obj.insert("risks".into(), json!(b.risks.iter().map(|r| r.name()).collect::<Vec<_>>()));
    }
    obj
}

/// Writes a TMX 1.4b document, one `<tu>` per bead that translates something (one-sided and
/// blank beads are left out); `doc` is the document id. Returns how many characters XML 1.0
/// forbids were replaced (a vertical tab in an article: see [`crate::xml`]).
pub fn write_tmx(w: &mut dyn Write, sides: &[Side<'_>], beads: &[Bead], doc: &str) -> io::Result<u64> {
    use crate::formats::tmx;
    let units: Vec<(&Bead, Vec<BeadText>)> =
        beads.iter().filter_map(|b| translation(sides, b).map(|u| (b, u))).collect();
    let texts_of = |u: &Vec<BeadText>| u.iter().map(|t| (t.lang, String::new())).collect::<Vec<_>>();
    let langs: Vec<Vec<(crate::lang::Lang, String)>> = units.iter().map(|(_, u)| texts_of(u)).collect();
    let src = tmx::common_srclang(sides.first().map(|s| s.lang), langs.iter().map(Vec::as_slice));
    let mut out = tmx::Writer::with_srclang(w, src)?;
    for (b, unit) in units {
        let mut props = vec![
            (tmx::PROP_DOC.to_string(), doc.to_string()),
            (tmx::PROP_ORIGIN.to_string(), "aligned".to_string()),
            (tmx::PROP_CONFIDENCE.to_string(), format!("{:.3}", b.confidence)),
        ];
        let mut texts = Vec::new();
        for t in unit {
            let r = &t.segments;
            props
                .push((format!("{}{}", tmx::PROP_SEGMENTS_PREFIX, t.lang), format!("{}-{}", r.start, r.end)));
            texts.push((t.lang, t.text));
        }
        out.write_unit(&tmx::TmxUnit { texts, props })?;
    }
    let replaced = out.replaced();
    out.finish()?;
    Ok(replaced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn sides() -> (String, String) {
        ("Un.\nDeux.\nTrois.\n".to_string(), "One and two.\nThree.\n".to_string())
    }

    #[test]
    fn tsv_and_tmx_leave_out_one_sided_and_blank_beads_jsonl_and_beads_keep_them() {
        let (fr, en) = ("Un.\n\nTrois.\nQuatre.\n".to_string(), "One.\n   \nThree.\n".to_string());
        let s = [Side::from_lines(&fr, Lang::Fr), Side::from_lines(&en, Lang::En)];
        let beads = vec![
            Bead::new(vec![0..1, 0..1], 0.9),
            Bead::new(vec![1..2, 1..2], 0.8), // two blank lines
            Bead::new(vec![2..3, 2..3], 0.9),
            Bead::new(vec![3..4, 3..3], 0.4), // 1-0
        ];
        let mut out = Vec::new();
        write_tsv(&mut out, &s, &beads).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "Un.\tOne.\nTrois.\tThree.\n");
        let mut tmx = Vec::new();
        write_tmx(&mut tmx, &s, &beads, "d").unwrap();
        let tmx = String::from_utf8(tmx).unwrap();
        assert_eq!(tmx.matches("<tu>").count() + tmx.matches("<tu ").count(), 2, "{tmx}");
        assert!(!tmx.contains("Quatre") && !tmx.contains("<seg></seg>"), "{tmx}");
        let mut out = Vec::new();
        write_jsonl(&mut out, &s, &beads).unwrap();
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 4);
        let mut out = Vec::new();
        write_beads(&mut out, &beads).unwrap();
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 4);
    }

    #[test]
    fn tsv_escapes_texts_as_the_memory_format_and_reads_back_unchanged() {
        let fr = "Ouvrir C:\\new\\dossier\tpuis valider.\nFin.\n".to_string();
        let en = "Open C:\\new\\folder\tthen confirm.\nEnd.\n".to_string();
        let s = [Side::from_lines(&fr, Lang::Fr), Side::from_lines(&en, Lang::En)];
        let beads = vec![Bead::new(vec![0..1, 0..1], 0.9), Bead::new(vec![1..2, 1..2], 0.9)];
        let mut out = Vec::new();
        write_tsv(&mut out, &s, &beads).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "Ouvrir C:\\\\new\\\\dossier\\tpuis valider.\tOpen C:\\\\new\\\\folder\\tthen confirm.\nFin.\tEnd.\n"
        );
        // No header; each field is one text, unescaped by the memory reader's rule.
        let rows: Vec<Vec<String>> =
            out.lines().map(|l| l.split('\t').map(crate::formats::tsv::unescape).collect()).collect();
        assert_eq!(rows[0], vec![fr.lines().next().unwrap(), en.lines().next().unwrap()]);
        assert_eq!(rows[1], vec!["Fin.", "End."]);
    }

    #[test]
    fn three_formats_of_one_alignment() {
        let (fr, en) = sides();
        let s = [Side::from_lines(&fr, Lang::Fr), Side::from_lines(&en, Lang::En)];
        let beads = vec![
            Bead::new(vec![0..2, 0..1], 0.9),
            Bead::new(vec![2..3, 1..2], 1.0),
            Bead::new(vec![3..3, 2..2], 0.25),
        ];
        let mut out = Vec::new();
        write_beads(&mut out, &beads).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[0,1]:[0]\n[2]:[1]\n[]:[]\n");
        let mut out = Vec::new();
        write_tsv(&mut out, &s, &beads[..2]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "Un. Deux.\tOne and two.\nTrois.\tThree.\n");
        let mut out = Vec::new();
        write_jsonl(&mut out, &s, &beads[..1]).unwrap();
        let mut tmx = Vec::new();
        write_tmx(&mut tmx, &s, &beads[..1], "doc-1").unwrap();
        let tmx = String::from_utf8(tmx).unwrap();
        assert!(tmx.contains("<prop type=\"x-confidence\">0.900</prop>"), "{tmx}");
        assert!(tmx.contains("<prop type=\"x-segments-fr\">0-2</prop>"), "{tmx}");
        assert!(tmx.contains("<tuv xml:lang=\"en\"><seg>One and two.</seg></tuv>"), "{tmx}");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"confidence\":0.9,\"en\":{\"segments\":[0],\"text\":\"One and two.\"},\"fr\":{\"segments\":[0,1],\"text\":\"Un. Deux.\"}}\n"
        );
    }
}
