//! Alignment output: TSV, JSON lines and vecalign's bead notation.
//!
//! * **tsv** — one bead a line, one column per version in the order given, a bead's segments
//!   joined by one space, an empty column for a version with nothing in the bead. Tabs and line
//!   breaks inside a segment become spaces, so a row is always one line with `n − 1` tabs.
//! * **jsonl** — one object per bead: `{"confidence": 0.97, "ar": {"text": …, "segments":
//!   [3, 4]}, "fr": {…}}` (keys sorted; segment indices 0-based).
//! * **tmx** — TMX 1.4b through [`crate::formats::tmx::Writer`]: one `<tu>` per bead with a
//!   `<tuv>` for each language that has text in it, the document id (`x-doc`), the confidence
//!   (`x-confidence`, three decimals), `x-origin` = `aligned` and the segment indices of each
//!   language (`x-segments-ar` = `3-5`, end exclusive) as `<prop>`s — the props the TM import
//!   reads back.
//! * **beads** — vecalign's format, read by `align_bench.py`: `[0]:[0]`, `[1,2]:[1]`, `[]:[3]`,
//!   with three versions `[0]:[0]:[0]`.
//!
//! All three are written from the same `(sides, beads)`; nothing is lost but the segment
//! boundaries inside a tsv cell.

use crate::align::{Bead, Side};
use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// Writes beads in vecalign's notation, one a line.
pub fn write_beads(w: &mut dyn Write, beads: &[Bead]) -> io::Result<()> {
    for b in beads {
        let cols: Vec<String> = b
            .ranges
            .iter()
            .map(|r| format!("[{}]", r.clone().map(|k| k.to_string()).collect::<Vec<_>>().join(",")))
            .collect();
        writeln!(w, "{}", cols.join(":"))?;
    }
    Ok(())
}

/// The text of `side`'s segments in `range`, joined by one space, on one line.
pub fn bead_text(side: &Side<'_>, range: std::ops::Range<usize>) -> String {
    let parts: Vec<String> = side.segments[range]
        .iter()
        .map(|s| s.text.split(['\t', '\n', '\r']).filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" "))
        .collect();
    parts.join(" ")
}

/// Writes one tab-separated row per bead.
pub fn write_tsv(w: &mut dyn Write, sides: &[Side<'_>], beads: &[Bead]) -> io::Result<()> {
    for b in beads {
        let cols: Vec<String> = sides.iter().zip(&b.ranges).map(|(s, r)| bead_text(s, r.clone())).collect();
        writeln!(w, "{}", cols.join("\t"))?;
    }
    Ok(())
}

/// Writes one JSON object per bead.
pub fn write_jsonl(w: &mut dyn Write, sides: &[Side<'_>], beads: &[Bead]) -> io::Result<()> {
    for b in beads {
        let mut obj = Map::new();
        obj.insert("confidence".into(), json!((b.confidence * 1000.0).round() / 1000.0));
        for (s, r) in sides.iter().zip(&b.ranges) {
            obj.insert(
                s.lang.to_string(),
                json!({"text": bead_text(s, r.clone()), "segments": r.clone().collect::<Vec<_>>()}),
            );
        }
        serde_json::to_writer(&mut *w, &Value::Object(obj))?;
        writeln!(w)?;
    }
    Ok(())
}

/// Writes a TMX 1.4b document, one `<tu>` per bead; `doc` is the document id.
pub fn write_tmx(w: &mut dyn Write, sides: &[Side<'_>], beads: &[Bead], doc: &str) -> io::Result<()> {
    use crate::formats::tmx;
    let mut out = tmx::Writer::new(w, sides.first().map_or(crate::lang::Lang::Ar, |s| s.lang))?;
    for b in beads {
        let mut props = vec![
            (tmx::PROP_DOC.to_string(), doc.to_string()),
            (tmx::PROP_ORIGIN.to_string(), "aligned".to_string()),
            (tmx::PROP_CONFIDENCE.to_string(), format!("{:.3}", b.confidence)),
        ];
        let mut texts = Vec::new();
        for (s, r) in sides.iter().zip(&b.ranges).filter(|(_, r)| !r.is_empty()) {
            props
                .push((format!("{}{}", tmx::PROP_SEGMENTS_PREFIX, s.lang), format!("{}-{}", r.start, r.end)));
            texts.push((s.lang, bead_text(s, r.clone())));
        }
        out.write_unit(&tmx::TmxUnit { texts, props })?;
    }
    out.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn sides() -> (String, String) {
        ("Un.\nDeux.\nTrois.\n".to_string(), "One and two.\nThree.\n".to_string())
    }

    #[test]
    fn three_formats_of_one_alignment() {
        let (fr, en) = sides();
        let s = [Side::from_lines(&fr, Lang::Fr), Side::from_lines(&en, Lang::En)];
        let beads = vec![
            Bead { ranges: vec![0..2, 0..1], confidence: 0.9 },
            Bead { ranges: vec![2..3, 1..2], confidence: 1.0 },
            Bead { ranges: vec![3..3, 2..2], confidence: 0.25 },
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
