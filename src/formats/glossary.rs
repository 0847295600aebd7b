//! Reading and writing glossary files in every supported format, chosen by name or guessed
//! from the file's extension and first bytes.

use crate::formats;
use crate::glossary::{Error, Glossary, Loaded, Problem, export, model::Concept};
use crate::lang::Lang;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A glossary file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// qantara's CSV (one row per term).
    Csv,
    /// OmegaT tab-separated glossary (needs source and target languages).
    Omegat,
    /// TBX v3 TBX-Basic, DCA style.
    Tbx,
    /// TBX v2 `martif`.
    Tbx2,
    /// JSON.
    Json,
    /// Markdown (write only).
    Md,
    /// The XCS a TBX v2 export declares (write only; see [`formats::tbx::write_xcs`]).
    Xcs,
}

impl Format {
    /// Every format, as named on the command line.
    pub const ALL: [Format; 7] =
        [Format::Csv, Format::Omegat, Format::Tbx, Format::Tbx2, Format::Json, Format::Md, Format::Xcs];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Omegat => "omegat",
            Format::Tbx => "tbx",
            Format::Tbx2 => "tbx2",
            Format::Json => "json",
            Format::Md => "md",
            Format::Xcs => "xcs",
        }
    }

    /// Guesses the format of a file from its extension, then its content.
    pub fn guess(path: &Path, text: &str) -> Option<Format> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let head = text.trim_start_matches('\u{FEFF}').trim_start();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "tbx" | "xml" => Some(if head.contains("<martif") { Format::Tbx2 } else { Format::Tbx }),
            // A glossary CSV saved with tabs (or semicolons) under such a name says so by its header.
            "tsv" | "tab" | "txt" | "utf8" if formats::csv::looks_like_header(head) => Some(Format::Csv),
            "tsv" | "tab" | "txt" | "utf8" => Some(Format::Omegat),
            _ if head.starts_with('<') => {
                Some(if head.contains("<martif") { Format::Tbx2 } else { Format::Tbx })
            }
            _ if head.starts_with('{') => Some(Format::Json),
            _ if formats::csv::looks_like_header(head) => Some(Format::Csv),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Format::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            format!("unknown glossary format '{s}': use csv, omegat, tbx, tbx2, json, md or xcs")
        })
    }
}

/// Parses glossary text in `format`; `langs` (source, target) is needed for OmegaT.
/// Returns the concepts and every problem found; a file that parses but holds no concept is
/// a problem too (an empty glossary is a wrong file or a wrong format, never what was meant).
pub fn parse(text: &str, format: Format, langs: (Lang, Lang)) -> (Vec<Concept>, Vec<Problem>) {
    let (concepts, problems, _) = parse_noting(text, format, langs);
    (concepts, problems)
}

/// Parses glossary text in `format` as [`parse`] does; also returns the notes: what the
/// reader skipped without it being wrong (terms in languages qantara does not handle, in TBX
/// and in the wide CSV form), for the commands to report.
pub fn parse_noting(
    text: &str,
    format: Format,
    langs: (Lang, Lang),
) -> (Vec<Concept>, Vec<Problem>, Vec<Problem>) {
    let (concepts, mut problems, mut notes) = parse_any(text, format, langs);
    notes.extend(script_notes(text, &concepts));
    if concepts.is_empty() && problems.is_empty() {
        let what = match format {
            Format::Csv => "no row after the header",
            Format::Omegat => "no source<TAB>target line",
            Format::Tbx | Format::Tbx2 => "no <conceptEntry> or <termEntry>",
            Format::Json => "an empty \"concepts\" list",
            Format::Md | Format::Xcs => "nothing",
        };
        problems.push(Problem {
            line: 1,
            column: 0,
            msg: format!("no concept ({what}): the glossary is empty"),
        });
    }
    (concepts, problems, notes)
}

/// The script a term's letters are in, when they are all in one: Arabic or Latin.
fn script_of(term: &str) -> Option<Lang> {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in term.chars().filter(|c| c.is_alphabetic()) {
        if crate::lang::is_arabic_letter(c) {
            arabic += 1;
        } else if c.is_ascii_alphabetic() || ('\u{C0}'..='\u{24F}').contains(&c) {
            latin += 1;
        }
    }
    match (arabic, latin) {
        (0, 0) => None,
        (_, 0) => Some(Lang::Ar),
        (0, _) => Some(Lang::Fr),
        _ => None,
    }
}

/// One note per term whose script does not fit its language: Arabic letters only in a term
/// labelled `fr` or `en`, Latin letters only in one labelled `ar` (translate-toolkit's
/// `csv2tbx` labels every column with one language, so Arabic arrives as `en`). Such a term
/// is kept as labelled — the label may be right (a Latin acronym in Arabic text) — but it will
/// only match text of the wrong language, so the user should hear of it. The line is that
/// of the term's first occurrence in the file.
fn script_notes(text: &str, concepts: &[Concept]) -> Vec<Problem> {
    let mut notes = Vec::new();
    for c in concepts {
        for t in &c.terms {
            let wrong = match (t.lang, script_of(&t.term)) {
                (Lang::Fr | Lang::En, Some(Lang::Ar)) => Some("Arabic letters only"),
                (Lang::Ar, Some(Lang::Fr)) => Some("Latin letters only"),
                _ => None,
            };
            let Some(what) = wrong else { continue };
            let line = text.find(t.term.as_str()).map_or(1, |at| text[..at].matches('\n').count() + 1);
            notes.push(Problem {
                line,
                column: 0,
                msg: format!(
                    "term '{}' of concept '{}' is labelled '{}' but has {what}: check its language (another \
                     tool may have labelled every column with one language)",
                    t.term, c.id, t.lang
                ),
            });
        }
    }
    notes
}

fn parse_any(text: &str, format: Format, langs: (Lang, Lang)) -> (Vec<Concept>, Vec<Problem>, Vec<Problem>) {
    let none = |(c, p)| (c, p, Vec::new());
    match format {
        Format::Csv => formats::csv::read_noting(text),
        Format::Omegat => none(formats::omegat::read(text, langs.0, langs.1)),
        Format::Tbx | Format::Tbx2 => formats::tbx::read_noting(text),
        Format::Json => none(export::read_json(text)),
        Format::Md => none((
            Vec::new(),
            vec![Problem { line: 1, column: 0, msg: "Markdown glossaries can be written, not read".into() }],
        )),
        Format::Xcs => none((
            Vec::new(),
            vec![Problem {
                line: 1,
                column: 0,
                msg: "an XCS declares data categories and holds no glossary; read the TBX file".into(),
            }],
        )),
    }
}

/// Reads a glossary file (format guessed when `None`; OmegaT languages default to ar → fr).
/// The first problem found is returned as an error; use `qantara glossary validate` to list
/// them all. The notes of the reader are kept in the glossary ([`Glossary::notes`]), each
/// naming the file and line.
pub fn read_file(
    path: &Path,
    format: Option<Format>,
    langs: Option<(Lang, Lang)>,
) -> Result<Glossary, Error> {
    let text = crate::input::read_text(path)?;
    let format = match format.or_else(|| Format::guess(path, &text)) {
        Some(f) => f,
        None => {
            return Err(Error::Format {
                path: path.to_path_buf(),
                msg: "cannot tell the glossary format: name the file .csv, .tbx, .tsv or .json, or pass --format"
                    .into(),
            });
        }
    };
    let (concepts, problems, notes) = parse_noting(&text, format, langs.unwrap_or((Lang::Ar, Lang::Fr)));
    if let Some(p) = problems.into_iter().next() {
        return Err(p.into_error(path));
    }
    let mut g = Glossary::from_concepts(concepts);
    let name = crate::input::display_name(path);
    g.set_notes(notes.iter().map(|n| format!("{}: line {}: {}", name.display(), n.line, n.msg)).collect());
    Ok(g)
}

/// The built-in glossary, as CSV (`glossaries/qantara.csv`, compiled into the binary).
pub const BUILTIN_CSV: &str = include_str!("../../glossaries/qantara.csv");

/// The built-in glossary.
pub fn builtin() -> Glossary {
    let (concepts, problems) = super::csv::read(BUILTIN_CSV);
    debug_assert!(problems.is_empty(), "built-in glossary: {problems:?}");
    Glossary::from_concepts(concepts)
}

/// The built-in glossary (unless `no_default`) merged with the files in `paths`, in order,
/// as [`Glossary::merge_sources`] merges them (a concept id shared with an earlier source extends that
/// concept when they share a term, and is refused otherwise).
pub fn load(paths: &[PathBuf], no_default: bool) -> Result<Loaded, Error> {
    let base = if no_default { Glossary::new() } else { builtin() };
    let files = paths
        .iter()
        .map(|p| Ok((p.clone(), read_file(p, None, None)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    Glossary::merge_sources(base, files)
}

/// Writes `glossary` in `format`; `langs` (source, target) is used by OmegaT. Returns how
/// many characters XML 1.0 forbids were replaced (TBX only; see [`crate::xml::escape`]),
/// for the command to report.
pub fn write(
    glossary: &Glossary,
    format: Format,
    langs: (Lang, Lang),
    out: &mut dyn Write,
) -> std::io::Result<u64> {
    match format {
        Format::Csv => formats::csv::write(glossary, out).map(|()| 0),
        Format::Omegat => formats::omegat::write(glossary, langs.0, langs.1, out).map(|()| 0),
        Format::Tbx => formats::tbx::write(glossary, formats::tbx::Dialect::V3, out),
        Format::Tbx2 => formats::tbx::write(glossary, formats::tbx::Dialect::V2, out),
        Format::Json => export::write_json(glossary, out).map(|()| 0),
        Format::Md => export::write_markdown(glossary, out).map(|()| 0),
        Format::Xcs => formats::tbx::write_xcs(out).map(|()| 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str, format: Format) -> Vec<String> {
        parse(text, format, (Lang::Ar, Lang::Fr))
            .1
            .iter()
            .map(|p| format!("{}:{} {}", p.line, p.column, p.msg))
            .collect()
    }

    #[test]
    fn every_reader_refuses_characters_xml_forbids() {
        let csv = "concept,lang,term,note\nc1,fr,terme,note\u{B}vt\nc1,ar,مصطلح,\nc2,fr,sonn\u{7}erie,\n";
        let p = problems(csv, Format::Csv);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("2:17 U+000B (vertical tab)"), "{p:?}");
        assert!(p[1].starts_with("4:11 U+0007 (bell)"), "{p:?}");
        let omegat = "المديرية\tla direction\nالشرطة\tla police\u{FFFF}\n";
        let p = problems(omegat, Format::Omegat);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("2:17 U+FFFF (non-character)"), "{p:?}");
        let json = r#"{"concepts": [{"id": "c1", "country": "MA", "subject": "", "definition": "",
  "terms": [{"lang": "fr", "term": "a\u000bb", "type": "full", "status": "preferred", "note": "\\u000b"}]}]}"#;
        let p = problems(json, Format::Json);
        // `\u000b` is a vertical tab; `\\u000b` is a backslash and text.
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("2:38 U+000B (vertical tab)"), "{p:?}");
        let p = problems(&json.replace(r"a\u000bb", "a\u{C}b").replace(r"\\u000b", ""), Format::Json);
        assert!(p.iter().any(|m| m.starts_with("2:38 U+000C (form feed)")), "{p:?}");
    }

    #[test]
    fn concept_ids_must_be_xml_ids() {
        let csv = "concept,lang,term\n2024-jo,fr,jeux olympiques\nns:x,fr,espace\nc-ok,fr,correct\n";
        let p = problems(csv, Format::Csv);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("2:1 concept id '2024-jo' starts with '2'") && p[0].contains("c-2024-jo"),
            "{p:?}"
        );
        assert!(p[1].starts_with("3:1 concept id 'ns:x' contains ':'"), "{p:?}");
        let json = "{\"concepts\": [\n{\"id\": \"2024-jo\", \"country\": \"FR\", \"subject\": \"\", \"definition\": \"\", \"terms\": []}]}";
        let p = problems(json, Format::Json);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("2:8 concept id '2024-jo'"), "{p:?}");
        // In OmegaT a comment that is not an id is a free comment, not an error.
        let (concepts, p) = parse("المديرية\tla direction\t2024 ok\n", Format::Omegat, (Lang::Ar, Lang::Fr));
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(concepts[0].id.as_str(), "omegat-1");
    }
}

#[cfg(test)]
mod loading_tests {
    use super::*;
    use crate::formats::glossary as io;
    use crate::glossary::*;

    #[test]
    fn builtin_parses_without_problems() {
        let (concepts, problems) = crate::formats::csv::read(BUILTIN_CSV);
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(concepts.len() >= 25);
        for c in &concepts {
            for l in Lang::ALL {
                assert!(c.preferred(l).is_some(), "{} has no {l} term", c.id);
            }
        }
    }

    /// `term` used to measure coverage in bytes of the hit's span, which leaves out a stripped
    /// proclitic: the clitic was charged twice (0.792 for لحموشي, a 0.95 hit in `annotate`).
    #[test]
    fn lookup_scores_a_whole_query_hit_as_the_matcher_does() {
        let g = builtin();
        for (query, lang) in [
            ("لحموشي", Lang::Ar),
            ("والإرهاب", Lang::Ar),
            ("بالمديرية العامة للأمن الوطني", Lang::Ar),
            ("la DGSN", Lang::Fr),
            ("the DGSN", Lang::En),
            ("D.G.S.N", Lang::Fr),
            ("Abdellatif Hamouchi", Lang::Fr),
        ] {
            let hits = g.find_with(query, Some(lang), 0.5);
            assert_eq!(hits.len(), 1, "{query}: {hits:?}");
            let best = &g.lookup(query, Some(lang), 1)[0];
            assert_eq!(best.concept, hits[0].concept, "{query}");
            assert_eq!(best.score, (hits[0].score * 1000.0).round() / 1000.0, "{query}");
        }
        assert_eq!(g.lookup("لحموشي", None, 1)[0].score, 0.95);
        // A query with more than the term still scores below the term alone.
        let partial = g.lookup("DGSN headquarters", Some(Lang::En), 1)[0].score;
        assert!(partial > 0.0 && partial < 1.0, "{partial}");
    }

    /// Issue 11: the common phrase الأمن الوطني (national security) is the DGSN only in context.
    #[test]
    fn short_forms_of_national_institutions_need_context() {
        let g = builtin();
        let ids = |segs: &[&str]| -> Vec<Vec<String>> {
            let hits = segs.iter().map(|s| g.find(s, Some(Lang::Ar))).collect();
            g.in_context(hits)
                .into_iter()
                .map(|hs| hs.into_iter().map(|h| g.concepts()[h.concept].id.to_string()).collect())
                .collect()
        };
        assert_eq!(ids(&["ناقش المشاركون قضايا الأمن الوطني."]), [Vec::<String>::new()]);
        assert_eq!(ids(&["عزز الأمن الوطني المغربي التعاون."]), [["ma-dgsn", "ma-kingdom"]]);
        assert_eq!(
            ids(&["أعلنت المديرية العامة للأمن الوطني الخبر.", "وقال الأمن الوطني إن"]),
            [vec!["ma-dgsn".to_string()], vec!["ma-dgsn".to_string()]]
        );
    }

    /// A TBX v2 file of the given `<termEntry>` elements (already written).
    fn tbx(entries: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<martif type=\"TBX\">\n<text><body>\n{entries}</body></text></martif>\n"
        )
    }

    /// A `<termEntry>` with a French and an Arabic term, `id` written as given (`""` for none).
    fn entry(id: &str, fr: &str, ar: &str) -> String {
        format!(
            "<termEntry{id}>\n<langSet xml:lang=\"fr\"><tig><term>{fr}</term></tig></langSet>\n\
             <langSet xml:lang=\"ar\"><tig><term>{ar}</term></tig></langSet>\n</termEntry>\n"
        )
    }

    fn parse_tbx(text: &str) -> (Vec<Concept>, Vec<Problem>) {
        io::parse(text, io::Format::Tbx2, (Lang::Ar, Lang::Fr))
    }

    #[test]
    fn a_tbx_id_used_twice_is_a_problem_naming_both_lines() {
        let text = tbx(&format!(
            "{}{}{}",
            entry(r#" id="p""#, "Office des changes", "مكتب الصرف"),
            entry(r#" id="q""#, "Agence nationale des ports", "الوكالة الوطنية للموانئ"),
            entry(r#" id="p""#, "Haut-Commissariat au Plan", "المندوبية السامية للتخطيط"),
        ));
        let (concepts, problems) = parse_tbx(&text);
        assert_eq!(concepts.len(), 3);
        assert_eq!(problems.len(), 1, "{problems:?}");
        // The entries start on lines 4, 8 and 12.
        assert_eq!(problems[0].line, 12);
        assert!(problems[0].msg.contains("'p'") && problems[0].msg.contains("line 4"), "{}", problems[0].msg);
    }

    #[test]
    fn a_made_up_tbx_id_never_takes_an_id_of_the_file() {
        // The first entry has no id; `c1` is the third one's, `c2` the second one's.
        let text = tbx(&format!(
            "{}{}{}",
            entry("", "Office des changes", "مكتب الصرف"),
            entry(r#" id="c2""#, "Agence nationale des ports", "الوكالة الوطنية للموانئ"),
            entry(r#" id="c1""#, "Haut-Commissariat au Plan", "المندوبية السامية للتخطيط"),
        ));
        let (concepts, problems) = parse_tbx(&text);
        assert!(problems.is_empty(), "{problems:?}");
        let ids: Vec<&str> = concepts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["c3", "c2", "c1"]);
        let g = Glossary::from_concepts(concepts);
        assert_eq!(g.len(), 3);
        // Two entries without an id get distinct names too.
        let text = tbx(&format!(
            "{}{}{}",
            entry("", "Office des changes", "مكتب الصرف"),
            entry(r#" id="c2""#, "Agence nationale des ports", "الوكالة الوطنية للموانئ"),
            entry("", "Haut-Commissariat au Plan", "المندوبية السامية للتخطيط"),
        ));
        let ids: Vec<String> = parse_tbx(&text).0.iter().map(|c| c.id.to_string()).collect();
        assert_eq!(ids, ["c1", "c2", "c3"]);
    }

    #[test]
    fn a_tbx_language_section_needs_xml_lang() {
        let text =
            tbx(&entry(r#" id="p""#, "Office des changes", "مكتب الصرف").replacen("xml:lang", "lang", 1));
        let (_, problems) = parse_tbx(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 5);
        assert!(problems[0].msg.contains(r#"write xml:lang="fr""#), "{}", problems[0].msg);
    }

    #[test]
    fn a_glossary_without_concepts_is_a_problem_in_every_format() {
        let csv = "concept,lang,term\n";
        for (text, format) in [
            (tbx(""), io::Format::Tbx2),
            (csv.to_string(), io::Format::Csv),
            ("{\"concepts\": []}".to_string(), io::Format::Json),
            ("# nothing\n".to_string(), io::Format::Omegat),
        ] {
            let (concepts, problems) = io::parse(&text, format, (Lang::Ar, Lang::Fr));
            assert!(concepts.is_empty());
            assert_eq!(problems.len(), 1, "{format}: {problems:?}");
            assert!(problems[0].msg.contains("the glossary is empty"), "{format}: {}", problems[0].msg);
        }
    }

    #[test]
    fn a_json_id_used_twice_is_a_problem_naming_both_lines() {
        let mut g = Glossary::new();
        let (concepts, _) = parse_tbx(&tbx(&format!(
            "{}{}",
            entry(r#" id="p""#, "Office des changes", "مكتب الصرف"),
            entry(r#" id="q""#, "Agence nationale des ports", "الوكالة الوطنية للموانئ"),
        )));
        for c in concepts {
            g.add(c);
        }
        let mut out = Vec::new();
        export::write_json(&g, &mut out).unwrap();
        let json = String::from_utf8(out).unwrap().replace(r#""id": "q""#, r#""id": "p""#);
        let (concepts, problems) = io::parse(&json, io::Format::Json, (Lang::Ar, Lang::Fr));
        assert_eq!(concepts.len(), 2);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let line = |needle: &str| json.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let second =
            json.lines().enumerate().filter(|(_, l)| l.contains(r#""id": "p""#)).nth(1).unwrap().0 + 1;
        assert_eq!(problems[0].line, second);
        assert!(
            problems[0].msg.contains(&format!("first at line {}", line(r#""id": "p""#))),
            "{}",
            problems[0].msg
        );
    }

    #[test]
    fn a_made_up_omegat_id_never_takes_an_id_of_the_file() {
        // Line 1 has no id (so would be `omegat-1`); line 2 uses `omegat-1` as its id.
        let text = "مكتب الصرف\tOffice des changes\n\
                    الوكالة الوطنية للموانئ\tAgence nationale des ports\tomegat-1\n";
        let (concepts, problems) = io::parse(text, io::Format::Omegat, (Lang::Ar, Lang::Fr));
        assert!(problems.is_empty(), "{problems:?}");
        let ids: Vec<&str> = concepts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["omegat-1-2", "omegat-1"]);
    }

    /// Writes `text` as `name` in `dir` and returns its path.
    fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn an_id_in_two_files_for_different_concepts_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = file(dir.path(), "a.tbx", &tbx(&entry(r#" id="x7""#, "Office des changes", "مكتب الصرف")));
        let b = file(
            dir.path(),
            "b.tbx",
            &tbx(&entry(r#" id="x7""#, "Agence nationale des ports", "الوكالة الوطنية للموانئ")),
        );
        let err = load(&[a.clone(), b.clone()], true).unwrap_err();
        assert!(matches!(&err, Error::IdCollision { other: Source::File(p), .. } if *p == a), "{err:?}");
        let msg = err.to_string();
        assert!(msg.starts_with(&format!("{}: concept id 'x7'", b.display())), "{msg}");
        assert!(msg.contains(&format!("already used by {}", a.display())), "{msg}");
        // Each file alone loads.
        assert_eq!(load(&[b], true).unwrap().glossary.len(), 1);
    }

    #[test]
    fn a_builtin_id_for_another_concept_is_refused_and_no_default_takes_it() {
        let dir = tempfile::tempdir().unwrap();
        let id = builtin().concepts()[0].id.to_string();
        let p = file(
            dir.path(),
            "mine.tbx",
            &tbx(&entry(&format!(r#" id="{id}""#), "Office des changes", "مكتب الصرف")),
        );
        let err = load(std::slice::from_ref(&p), false).unwrap_err();
        assert!(matches!(&err, Error::IdCollision { other: Source::Builtin, .. }), "{err:?}");
        assert!(err.to_string().contains("--no-default-glossary"), "{err}");
        let only = load(&[p], true).unwrap();
        assert_eq!(only.glossary.concept(&id).unwrap().terms[0].term, "Office des changes");
        assert!(only.extensions.is_empty());
    }

    #[test]
    fn a_file_concept_with_a_term_in_common_extends_the_builtin_one_and_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let builtin = builtin();
        let c = &builtin.concepts()[0];
        let fr = c.preferred(Lang::Fr).unwrap();
        // The shared term is written in another case: matching keys decide.
        let p = file(
            dir.path(),
            "mine.csv",
            &format!(
                "concept,lang,term\n{id},fr,{shared}\n{id},fr,Appellation ajoutée pour le test\n",
                id = c.id,
                shared = fr.term.to_uppercase()
            ),
        );
        let loaded = load(std::slice::from_ref(&p), false).unwrap();
        assert_eq!(loaded.glossary.len(), builtin.len());
        let merged = loaded.glossary.concept(c.id.as_str()).unwrap();
        assert_eq!(merged.terms.len(), c.terms.len() + 2, "the upper-case spelling is a new term too");
        assert_eq!(loaded.extensions.len(), 1);
        let e = &loaded.extensions[0];
        assert_eq!((&e.id, &e.path, &e.onto), (&c.id, &p, &Source::Builtin));
        assert!(e.terms.contains(&(Lang::Fr, "Appellation ajoutée pour le test".to_string())));
        assert!(e.to_string().contains("the built-in glossary"), "{e}");
        // Loading the same file twice adds nothing the second time: nothing more to report.
        let twice = load(&[p.clone(), p], false).unwrap();
        assert_eq!(twice.extensions.len(), 1);
    }
}
