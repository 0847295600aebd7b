//! TBX glossaries: TBX v3 (ISO 30042:2019) TBX-Basic in DCA style, and TBX v2 "martif" (the
//! dialect OmegaT and translate-toolkit read).
//!
//! Both carry the same data categories; only the element names differ:
//!
//! | level    | TBX v3 (DCA)    | TBX v2      |
//! |----------|-----------------|-------------|
//! | root     | `<tbx>`         | `<martif>`  |
//! | concept  | `<conceptEntry>`| `<termEntry>` |
//! | language | `<langSec>`     | `<langSet>` |
//! | term     | `<termSec>`     | `<tig>` (or `<ntig>`) |
//!
//! Concept: `<descrip type="subjectField">`, `<descrip type="definition">`, and the country as
//! `<note>country: MA</note>` (TBX-Basic has no country category). Term: `<term>`,
//! `<termNote type="partOfSpeech|termType|administrativeStatus|grammaticalGender">`, `<note>`,
//! `<admin type="source">`. The reader takes each term's language from the `xml:lang` of its
//! language section, never from the position of the section, and accepts either dialect
//! (with or without namespace prefixes on element names). A language section with `lang`
//! instead of `xml:lang` is a problem, not a silent fallback: `lang` is not a TBX attribute,
//! so other tools would read such a file without languages.
//!
//! Concept ids are the entries' `id` attributes. An id used by two entries is a problem
//! (merging them would mix two concepts); an entry without an id is named `cN` (N its rank
//! in the file), skipping every id the file uses, so a made-up id never merges with a real
//! one.
//!
//! Both directions keep to [`crate::formats::xml`]: the reader refuses the characters XML 1.0
//! forbids (raw or as references), duplicated attributes, and concept ids that are not XML
//! NCNames ([`ConceptId::check`]: TBX-Basic types `id` as `xs:ID`, and refusing keeps ids
//! unchanged on every round trip, where rewriting them would need a reversible mapping); the
//! writer escapes every text with [`xml::escape`] and returns how many forbidden characters it
//! replaced.

use crate::formats::xml;
use crate::glossary::model::{Concept, ConceptId, Country, Gender, Status, Term, TermType};
use crate::glossary::{Glossary, Problem};
use crate::lang::Lang;
use quick_xml::events::Event;
use std::io::Write;

/// Which TBX dialect to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// TBX v3, TBX-Basic, DCA style.
    V3,
    /// TBX v2 `martif`.
    V2,
}

struct Names {
    concept: &'static str,
    lang: &'static str,
    term: &'static str,
}

impl Dialect {
    fn names(self) -> Names {
        match self {
            Dialect::V3 => Names { concept: "conceptEntry", lang: "langSec", term: "termSec" },
            Dialect::V2 => Names { concept: "termEntry", lang: "langSet", term: "tig" },
        }
    }
}

fn part_of_speech(c: &Concept) -> &'static str {
    if c.subject == "person" { "properNoun" } else { "noun" }
}

/// Writes `glossary` as TBX in `dialect`. Returns how many characters XML 1.0 forbids were
/// replaced in its texts (see [`xml::escape`]; the readers refuse such characters, so only a
/// glossary built another way can hold them).
pub fn write(glossary: &Glossary, dialect: Dialect, out: &mut dyn Write) -> std::io::Result<u64> {
    let n = dialect.names();
    let mut replaced = 0u64;
    let mut escape_in = |s: &str, attr: bool| {
        let (e, k) = xml::escape(s, attr);
        replaced += k as u64;
        e.into_owned()
    };
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    match dialect {
        Dialect::V3 => {
            writeln!(
                out,
                r#"<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>"#
            )?;
            writeln!(
                out,
                r#"<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>"#
            )?;
            writeln!(
                out,
                r#"<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">"#
            )?;
            writeln!(out, "  <tbxHeader>")?;
        }
        Dialect::V2 => {
            writeln!(out, r#"<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">"#)?;
            writeln!(out, r#"<martif type="TBX" xml:lang="en">"#)?;
            writeln!(out, "  <martifHeader>")?;
        }
    }
    writeln!(out, "    <fileDesc>")?;
    writeln!(out, "      <sourceDesc>")?;
    writeln!(out, "        <p>qantara institutional glossary (Arabic, French, English)</p>")?;
    writeln!(out, "      </sourceDesc>")?;
    writeln!(out, "    </fileDesc>")?;
    writeln!(out, "  {}", if dialect == Dialect::V3 { "</tbxHeader>" } else { "</martifHeader>" })?;
    writeln!(out, "  <text>")?;
    writeln!(out, "    <body>")?;
    for c in glossary.concepts() {
        let id = escape_in(c.id.as_str(), true);
        writeln!(out, r#"      <{} id="{id}">"#, n.concept)?;
        if !c.subject.is_empty() {
            writeln!(
                out,
                r#"        <descrip type="subjectField">{}</descrip>"#,
                escape_in(c.subject.as_str(), false)
            )?;
        }
        if !c.definition.is_empty() {
            writeln!(
                out,
                r#"        <descrip type="definition">{}</descrip>"#,
                escape_in(c.definition.as_str(), false)
            )?;
        }
        writeln!(out, "        <note>country: {}</note>", c.country)?;
        for lang in languages_of(c) {
            writeln!(out, r#"        <{} xml:lang="{}">"#, n.lang, lang)?;
            for t in c.terms_in(lang) {
                writeln!(out, "          <{}>", n.term)?;
                writeln!(out, "            <term>{}</term>", escape_in(t.term.as_str(), false))?;
                let tn = |ty: &str, v: &str| format!(r#"            <termNote type="{ty}">{v}</termNote>"#);
                writeln!(out, "{}", tn("partOfSpeech", part_of_speech(c)))?;
                writeln!(out, "{}", tn("termType", t.kind.tbx()))?;
                writeln!(out, "{}", tn("administrativeStatus", t.status.tbx()))?;
                if let Some(g) = t.gender {
                    writeln!(out, "{}", tn("grammaticalGender", g.tbx()))?;
                }
                if !t.note.is_empty() {
                    writeln!(out, "            <note>{}</note>", escape_in(t.note.as_str(), false))?;
                }
                if !t.source.is_empty() {
                    writeln!(
                        out,
                        r#"            <admin type="source">{}</admin>"#,
                        escape_in(t.source.as_str(), false)
                    )?;
                }
                writeln!(out, "          </{}>", n.term)?;
            }
            writeln!(out, "        </{}>", n.lang)?;
        }
        writeln!(out, "      </{}>", n.concept)?;
    }
    writeln!(out, "    </body>")?;
    writeln!(out, "  </text>")?;
    writeln!(out, "{}", if dialect == Dialect::V3 { "</tbx>" } else { "</martif>" })?;
    Ok(replaced)
}

/// The languages of a concept, in order of first appearance.
fn languages_of(c: &Concept) -> Vec<Lang> {
    let mut out = Vec::new();
    for t in &c.terms {
        if !out.contains(&t.lang) {
            out.push(t.lang);
        }
    }
    out
}

/// What the text being collected belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Subject,
    Definition,
    ConceptNote,
    Term,
    TermNote(NoteType),
    Note,
    Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoteType {
    TermType,
    Status,
    Gender,
    Other,
}

/// 1-based line and column (in characters) of byte `pos` of `text`.
fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Names the concepts at indices `unnamed` (entries without an id) `cN`, N their position in
/// the file, skipping the ids in `taken` and those already given: a made-up id never merges
/// with an id the file uses, whichever comes first.
fn name_unnamed(
    concepts: &mut [Concept],
    unnamed: &[usize],
    taken: &std::collections::HashMap<String, usize>,
) {
    let mut given = std::collections::HashSet::new();
    for &i in unnamed {
        let mut n = i + 1;
        while taken.contains_key(&format!("c{n}")) || given.contains(&n) {
            n += 1;
        }
        given.insert(n);
        concepts[i].id = ConceptId(format!("c{n}"));
    }
}

/// Parses TBX v2 or v3 text; returns the concepts and every problem found (an XML syntax
/// error ends the reading).
pub fn read(text: &str) -> (Vec<Concept>, Vec<Problem>) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut concepts: Vec<Concept> = Vec::new();
    let mut problems = Vec::new();
    let mut lang: Option<Lang> = None;
    let mut in_term = false;
    let mut field: Option<Field> = None;
    let mut buf = String::new();
    let mut term: Option<Term> = None;
    let mut seen_root = false;
    // Explicit ids and the line of their first use; concepts without an id, named at the end.
    let mut id_line: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut unnamed: Vec<usize> = Vec::new();
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let (line, column) = line_col(text, reader.error_position() as usize);
                problems.push(Problem {
                    line,
                    column,
                    msg: format!("XML error: {e}; fix the XML (an unescaped & or <?)"),
                });
                break;
            }
        };
        if let Some((at, c)) = xml::first_in_event(&ev) {
            let (line, column) = line_col(text, pos + at as usize);
            problems.push(Problem { line, column, msg: xml::refusal(c) });
        }
        let (line, column) = line_col(text, pos);
        match ev {
            Event::GeneralRef(r) if matches!(r.resolve_char_ref(), Ok(Some(c)) if xml::is_forbidden(c)) => {
                let c = r.resolve_char_ref().ok().flatten().unwrap_or_default();
                let msg = xml::check_char_ref(&r, c).err().unwrap_or_default();
                problems.push(Problem { line, column, msg });
            }
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                // Every attribute, checked (no duplicate, no forbidden character); on a problem the
                // reading goes on with what can be read, to report the later problems too.
                let attrs: Vec<(String, String)> = xml::attributes(&e).unwrap_or_else(|msg| {
                    problems.push(Problem { line, column, msg });
                    e.attributes()
                        .flatten()
                        .filter_map(|a| {
                            let v = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?;
                            Some((a.key.as_ref().to_string(), v.into_owned()))
                        })
                        .collect()
                });
                let attr = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
                if !seen_root {
                    seen_root = true;
                    if name != "tbx" && name != "martif" {
                        problems.push(Problem {
                            line,
                            column,
                            msg: format!(
                                "root element <{name}>: expected <tbx> (TBX v3) or <martif> (TBX v2)"
                            ),
                        });
                        break;
                    }
                }
                match name {
                    "conceptEntry" | "termEntry" => {
                        let id = attr("id");
                        if let Some(id) = &id {
                            if let Err(msg) = ConceptId::check(id) {
                                problems.push(Problem { line, column, msg });
                            }
                            if let Some(&first) = id_line.get(id) {
                                problems.push(Problem {
                                    line,
                                    column,
                                    msg: format!(
                                        "concept id '{id}' is used again (first at line {first}): two \
                                         concepts with one id would be merged; give each <{name}> its own id"
                                    ),
                                });
                            } else {
                                id_line.insert(id.clone(), line);
                            }
                        } else {
                            unnamed.push(concepts.len());
                        }
                        concepts.push(Concept {
                            id: ConceptId(id.unwrap_or_default()),
                            country: Country::Intl,
                            subject: String::new(),
                            definition: String::new(),
                            terms: Vec::new(),
                        });
                        lang = None;
                    }
                    "langSec" | "langSet" => {
                        lang = match attr("xml:lang") {
                            // `lang` is not a TBX attribute: a file that has it is not valid TBX,
                            // and other tools would not see the language at all.
                            None if attr("lang").is_some() => {
                                let l = attr("lang").unwrap_or_default();
                                problems.push(Problem {
                                    line,
                                    column,
                                    msg: format!(
                                        "<{name} lang=\"{l}\">: the language attribute of TBX is xml:lang; \
                                         write xml:lang=\"{l}\""
                                    ),
                                });
                                None
                            }
                            Some(l) => match l.parse::<Lang>() {
                                Ok(l) => Some(l),
                                Err(err) => {
                                    problems.push(Problem { line, column, msg: err.to_string() });
                                    None
                                }
                            },
                            None => {
                                problems.push(Problem {
                                    line,
                                    column,
                                    msg: format!("<{name}> without xml:lang: say which language it holds"),
                                });
                                None
                            }
                        };
                    }
                    "termSec" | "tig" | "ntig" => {
                        in_term = true;
                        term = lang.map(|lang| Term {
                            lang,
                            term: String::new(),
                            kind: TermType::Full,
                            status: Status::Admitted,
                            gender: None,
                            note: String::new(),
                            source: String::new(),
                        });
                    }
                    _ => {
                        let ty = attr("type").unwrap_or_default();
                        field = match (name, ty.as_str(), in_term) {
                            ("term", _, true) => Some(Field::Term),
                            ("termNote", "termType", true) => Some(Field::TermNote(NoteType::TermType)),
                            ("termNote", "administrativeStatus", true) => {
                                Some(Field::TermNote(NoteType::Status))
                            }
                            ("termNote", "grammaticalGender", true) => {
                                Some(Field::TermNote(NoteType::Gender))
                            }
                            ("termNote", _, true) => Some(Field::TermNote(NoteType::Other)),
                            ("note", _, true) => Some(Field::Note),
                            ("admin", "source", true) => Some(Field::Source),
                            ("descrip", "subjectField", false) => Some(Field::Subject),
                            ("descrip", "definition", false) => Some(Field::Definition),
                            ("note", _, false) if !concepts.is_empty() => Some(Field::ConceptNote),
                            _ => None,
                        };
                        buf.clear();
                    }
                }
            }
            Event::Text(t) if field.is_some() => buf.push_str(&t.xml10_content()),
            Event::CData(t) if field.is_some() => buf.push_str(&t.into_inner()),
            Event::GeneralRef(r) if field.is_some() => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    buf.push(c);
                } else {
                    let name = r.xml10_content();
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => buf.push_str(s),
                        None => {
                            problems.push(Problem { line, column, msg: format!("unknown entity &{name};") })
                        }
                    }
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    "termSec" | "tig" | "ntig" => {
                        in_term = false;
                        if let (Some(t), Some(c)) = (term.take(), concepts.last_mut()) {
                            if t.term.trim().is_empty() {
                                problems.push(Problem {
                                    line,
                                    column,
                                    msg: "term section without a term".into(),
                                });
                            } else {
                                c.terms.push(t);
                            }
                        }
                    }
                    "langSec" | "langSet" => lang = None,
                    _ => {
                        if let Some(f) = field.take() {
                            let v = buf.trim().to_string();
                            let mut bad = |what: &str, err: String| {
                                problems.push(Problem { line, column, msg: format!("{what}: {err}") })
                            };
                            let c = concepts.last_mut();
                            match (f, c, term.as_mut()) {
                                (Field::Subject, Some(c), _) => c.subject = v,
                                (Field::Definition, Some(c), _) => c.definition = v,
                                (Field::ConceptNote, Some(c), _) => {
                                    if let Some(country) = v.strip_prefix("country:") {
                                        match country.trim().parse::<Country>() {
                                            Ok(k) => c.country = k,
                                            Err(e) => bad("country", e),
                                        }
                                    }
                                }
                                (Field::Term, _, Some(t)) => t.term = v,
                                (Field::Note, _, Some(t)) => t.note = v,
                                (Field::Source, _, Some(t)) => t.source = v,
                                (Field::TermNote(nt), _, Some(t)) => match nt {
                                    NoteType::TermType => {
                                        t.kind = TermType::from_tbx(&v)
                                            .or_else(|| v.parse().ok())
                                            .unwrap_or_else(|| {
                                                // TBX-Basic also knows abbreviation and phrase.
                                                if v == "abbreviation" {
                                                    TermType::Acronym
                                                } else {
                                                    TermType::Variant
                                                }
                                            })
                                    }
                                    NoteType::Status => match Status::from_tbx(&v).or_else(|| v.parse().ok())
                                    {
                                        Some(s) => t.status = s,
                                        None => bad("administrativeStatus", format!("unknown value '{v}'")),
                                    },
                                    NoteType::Gender => {
                                        t.gender = Gender::from_tbx(&v).or_else(|| v.parse().ok());
                                    }
                                    NoteType::Other => {}
                                },
                                _ => {}
                            }
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    name_unnamed(&mut concepts, &unnamed, &id_line);
    if !seen_root && problems.is_empty() {
        problems.push(Problem { line: 1, column: 0, msg: "no XML element: this is not a TBX file".into() });
    }
    (concepts, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(lang: Lang, text: &str, note: &str) -> Term {
        Term {
            lang,
            term: text.into(),
            kind: TermType::Full,
            status: Status::Preferred,
            gender: None,
            note: note.into(),
            source: String::new(),
        }
    }

    fn glossary(id: &str, fr: &str, note: &str) -> Glossary {
        Glossary::from_concepts(vec![Concept {
            id: ConceptId(id.into()),
            country: Country::Ma,
            subject: "institution".into(),
            definition: "Service\u{B}de police".into(),
            terms: vec![term(Lang::Fr, fr, note), term(Lang::Ar, "مديرية الشرطة", "")],
        }])
    }

    #[test]
    fn writer_never_emits_forbidden_characters_and_counts_replacements() {
        let g = glossary("c-police", "direction\u{7} de la police", "voir\u{B}aussi \u{FFFE}");
        for dialect in [Dialect::V3, Dialect::V2] {
            let mut out = Vec::new();
            assert_eq!(write(&g, dialect, &mut out).unwrap(), 4, "{dialect:?}");
            let s = String::from_utf8(out).unwrap();
            assert!(s.chars().all(|c| !xml::is_forbidden(c)), "{s}");
            let (concepts, problems) = read(&s);
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(concepts[0].terms[0].term, "direction\u{FFFD} de la police");
            assert_eq!(concepts[0].terms[0].note, "voir aussi \u{FFFD}");
            assert_eq!(concepts[0].definition, "Service de police");
        }
    }

    fn tbx(id: &str, fr: &str, lang_attrs: &str) -> String {
        let mut out = Vec::new();
        write(&glossary("c-x", "TERM", ""), Dialect::V3, &mut out).unwrap();
        String::from_utf8(out)
            .unwrap()
            .replace("id=\"c-x\"", &format!("id=\"{id}\""))
            .replace("<term>TERM</term>", &format!("<term>{fr}</term>"))
            .replace("xml:lang=\"fr\"", lang_attrs)
    }

    fn problems_of(text: &str) -> Vec<String> {
        read(text).1.iter().map(|p| format!("{}:{} {}", p.line, p.column, p.msg)).collect()
    }

    #[test]
    fn reader_refuses_forbidden_characters_references_duplicates_and_bad_ids() {
        let fr = "xml:lang=\"fr\"";
        let good = tbx("c-x", "préfecture", fr);
        assert!(problems_of(&good).is_empty(), "{:?}", problems_of(&good));
        let term_line = 1 + good[..good.find("préfecture").unwrap()].matches('\n').count();
        // Raw: line and column of the character itself.
        let p = problems_of(&tbx("c-x", "pré\u{B}fecture", fr));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with(&format!("{term_line}:22 U+000B (vertical tab)")), "{p:?}");
        let p = problems_of(&tbx("c-x", "pré\u{7}fecture", fr));
        assert!(p[0].contains("U+0007 (bell)"), "{p:?}");
        let p = problems_of(&tbx("c-x", "préfecture\u{FFFE}", fr));
        assert!(p[0].contains("U+FFFE"), "{p:?}");
        // References.
        let p = problems_of(&tbx("c-x", "pré&#11;fecture", fr));
        assert!(
            p[0].starts_with(&format!("{term_line}:")) && p[0].contains("&#11; stands for U+000B"),
            "{p:?}"
        );
        // A duplicated attribute.
        let p = problems_of(&tbx("c-x", "préfecture", "xml:lang=\"fr\" xml:lang=\"en\""));
        assert!(p.iter().any(|m| m.contains("duplicated attribute")), "{p:?}");
        // Ids that are not xs:ID.
        for id in ["2024-jo", "ns:x", "a b"] {
            let p = problems_of(&tbx(id, "préfecture", fr));
            assert_eq!(p.len(), 1, "{id}: {p:?}");
            assert!(p[0].contains("concept id") && p[0].contains("NCName"), "{id}: {p:?}");
        }
    }
}
