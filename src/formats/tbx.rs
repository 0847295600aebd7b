//! TBX glossaries: TBX v3 (ISO 30042:2019) TBX-Basic in DCA style (read and written) and DCT
//! style (read), and TBX v2 "martif" (the dialect OmegaT and translate-toolkit read).
//!
//! All carry the same data categories; only the element names differ:
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
//! # DCT style
//! TBX v3 has two styles for the same data categories. DCA names the category in an
//! attribute of a generic element (`<termNote type="administrativeStatus">`); DCT makes it
//! the element itself, in the namespace of the module that defines it
//! (`<basic:administrativeStatus>` with `xmlns:basic="http://www.tbxinfo.net/ns/basic"`;
//! TBX-Min's `http://www.tbxinfo.net/ns/min` for `subjectField`, `partOfSpeech`...). The
//! reader resolves namespaces (quick-xml's `NsReader`) and takes an element of either module
//! namespace ([`MODULE_NAMESPACES`]) as the data category its local name says, at the level
//! where DCA would carry it: so a DCT file reads into exactly the glossary of its DCA twin.
//! The match is by namespace URI, never by prefix: `<b:termType>` with `b` bound to the
//! TBX-Basic URI is a term type, `<basic:termType>` with `basic` bound elsewhere is not. A
//! prefix no `xmlns:` declares is a problem (the file is not namespace-well-formed, and
//! whether the element is a data category cannot be known); the message names the
//! declaration to add. An element of a module namespace whose name is not one of the
//! TBX-Basic/TBX-Min data categories ([`DCT_CATEGORIES`]: a typo such as
//! `<basic:adminStatus>`), or a category name without the module namespace
//! (`<administrativeStatus>` in TBX's own namespace or none), is a problem with its line and
//! column: it would otherwise be dropped without a word, and a deprecated term would come in
//! as admitted. Only DCA is written: every TBX v3 reader must accept it.
//!
//! # Languages qantara does not handle
//! A TBX often holds more languages than ar, fr and en (a ministry's term base with German
//! and Spanish). A language section whose `xml:lang` is not one of them (regional tags such
//! as `fr-FR` or `ar-MA` are theirs) is skipped with its terms, a concept left with no term
//! by it is left out, and [`read_noting`] returns one note naming each skipped tag with its
//! number of terms: the commands print it as a warning (`glossary validate` as a note), so
//! a valid file is never refused for holding more than qantara needs. Costs nothing more
//! than reading: one counter per skipped tag.
//!
//! Both directions keep to [`crate::xml`]: the reader refuses the characters XML 1.0
//! forbids (raw or as references), duplicated attributes, and concept ids that are not XML
//! NCNames ([`ConceptId::check`]: TBX-Basic types `id` as `xs:ID`, and refusing keeps ids
//! unchanged on every round trip, where rewriting them would need a reversible mapping); the
//! writer escapes every text with [`xml::escape`] and returns how many forbidden characters it
//! replaced.

use crate::glossary::model::{Concept, ConceptId, Country, Gender, Status, Term, TermType};
use crate::glossary::{Glossary, Problem};
use crate::lang::Lang;
use crate::xml;
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

/// Every term qantara holds is a noun phrase (a title, an institution's name, a person's
/// name). TBX-Basic v3 allows only `noun`, `verb`, `adjective`, `adverb` and `other` (no
/// `properNoun`, which TBX v2 had), so names of persons are `noun` too: the one value both
/// dialects' validators accept. The reader ignores the category.
const PART_OF_SPEECH: &str = "noun";

/// The RELAX NG schema of TBX v3 core structure, where the TBX-Basic DCA example of the
/// LTAC-Global repositories points (the integrated TBX-Basic RNG it used to name was deleted
/// from the TBX-Basic dialect repository in 2023).
pub const V3_RNG_HREF: &str =
    "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng";
/// The TBX-Basic v3 DCA Schematron rules.
pub const V3_SCH_HREF: &str =
    "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch";
/// The file name of the XCS a TBX v2 export declares (`<p type="XCSURI">`): written by
/// [`write_xcs`], beside the TBX file, since the TBX Checker reads it from there.
pub const V2_XCS_NAME: &str = "qantaraTBXBasicXCSV02.xcs";

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
                r#"<?xml-model href="{V3_RNG_HREF}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>"#
            )?;
            writeln!(
                out,
                r#"<?xml-model href="{V3_SCH_HREF}" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>"#
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
    if dialect == Dialect::V2 {
        writeln!(out, "    <encodingDesc>")?;
        writeln!(out, r#"      <p type="XCSURI">{V2_XCS_NAME}</p>"#)?;
        writeln!(out, "    </encodingDesc>")?;
    }
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
                writeln!(out, "{}", tn("partOfSpeech", PART_OF_SPEECH))?;
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

/// Writes the XCS (eXtensible Constraint Specification) that TBX v2 exports declare as
/// [`V2_XCS_NAME`]: TBX-Basic's constraints restricted to the data categories qantara writes,
/// with the languages it writes (ar, fr, en) declared, as the TBX Checker requires of every
/// `xml:lang` in the file (the XCS of the TBX-Basic package declares en, fr and de only). The
/// picklists are exactly the values of [`TermType`], [`Status`], [`Gender`] and
/// [`PART_OF_SPEECH`], so what the writer emits is what the XCS allows.
pub fn write_xcs(out: &mut dyn Write) -> std::io::Result<()> {
    let list = |v: Vec<&str>| v.join(" ");
    let kinds = list(TermType::ALL.iter().map(|t| t.tbx()).collect());
    let statuses = list(Status::ALL.iter().map(|t| t.tbx()).collect());
    let genders = list(Gender::ALL.iter().map(|t| t.tbx()).collect());
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<!DOCTYPE TBXXCS SYSTEM "tbxxcsdtd.dtd">"#)?;
    writeln!(out, r#"<TBXXCS name="qantara-Basic" version="2" lang="en">"#)?;
    writeln!(out, "  <header>")?;
    writeln!(
        out,
        "    <title>qantara: TBX-Basic data categories used by its glossary exports, for Arabic, French and English</title>"
    )?;
    writeln!(out, "  </header>")?;
    writeln!(out, "  <languages>")?;
    for (code, name) in [("ar", "Arabic"), ("fr", "French"), ("en", "English")] {
        writeln!(out, "    <langInfo><langCode>{code}</langCode><langName>{name}</langName></langInfo>")?;
    }
    writeln!(out, "  </languages>")?;
    writeln!(out, "  <datCatSet>")?;
    let spec = |out: &mut dyn Write, el: &str, name: &str, id: &str, contents: &str, levels: Option<&str>| {
        writeln!(out, r#"    <{el} name="{name}" datcatId="{id}">"#)?;
        writeln!(out, "      {contents}")?;
        if let Some(l) = levels {
            writeln!(out, "      <levels>{l}</levels>")?;
        }
        writeln!(out, "    </{el}>")
    };
    let pick = |v: &str| format!(r#"<contents datatype="picklist">{v}</contents>"#);
    spec(out, "termNoteSpec", "administrativeStatus", "ISO12620A-020903", &pick(&statuses), None)?;
    spec(out, "descripSpec", "definition", "ISO12620A-0501", "<contents/>", Some("langSet termEntry"))?;
    spec(out, "termNoteSpec", "grammaticalGender", "ISO12620A-020202", &pick(&genders), None)?;
    spec(out, "termNoteSpec", "partOfSpeech", "ISO12620A-020201", &pick(PART_OF_SPEECH), None)?;
    spec(out, "adminSpec", "source", "ISO12620A-1019", "<contents/>", None)?;
    spec(
        out,
        "descripSpec",
        "subjectField",
        "iso12620A-04",
        r#"<contents datatype="plainText"/>"#,
        Some("termEntry"),
    )?;
    spec(out, "termNoteSpec", "termType", "ISO12620A-0201", &pick(&kinds), None)?;
    writeln!(out, "  </datCatSet>")?;
    writeln!(out, "</TBXXCS>")
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
/// error ends the reading). [`read_noting`] also returns the notes (skipped languages).
pub fn read(text: &str) -> (Vec<Concept>, Vec<Problem>) {
    let (concepts, problems, _) = read_noting(text);
    (concepts, problems)
}

/// Parses TBX v2 or v3 text; returns the concepts, every problem found (an XML syntax error
/// ends the reading) and the notes: what was skipped without being wrong (the terms of
/// languages qantara does not handle, in one note).
pub fn read_noting(text: &str) -> (Vec<Concept>, Vec<Problem>, Vec<Problem>) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = quick_xml::NsReader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut skipped = SkippedLanguages::default();
    let mut undeclared_prefixes: Vec<String> = Vec::new();
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
    let mut lc = xml::LineCols::new(text);
    loop {
        let pos = reader.buffer_position() as usize;
        let (ns, ev) = match reader.read_resolved_event() {
            Ok((ns, ev)) => (Ns::of(ns), ev),
            Err(e) => {
                let (line, column) = lc.at(reader.error_position() as usize);
                problems.push(Problem {
                    line,
                    column,
                    msg: format!("XML error: {e}; fix the XML (an unescaped & or <?)"),
                });
                break;
            }
        };
        if let Some((at, c)) = xml::first_in_event(&ev) {
            let (line, column) = lc.at(pos + at as usize);
            problems.push(Problem { line, column, msg: xml::refusal(c) });
        }
        let (line, column) = lc.at(pos);
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
                // Once per prefix: a file missing one declaration would otherwise get a line per
                // element.
                if let Ns::Undeclared(prefix) = &ns {
                    if !undeclared_prefixes.contains(prefix) {
                        undeclared_prefixes.push(prefix.clone());
                        problems.push(Problem { line, column, msg: undeclared(prefix, name) });
                    }
                }
                // A data-category element qantara does not know would be dropped without a
                // word (a misspelt `<basic:adminStatus>` leaves a deprecated term admitted).
                if let Some(msg) = unknown_category(&ns, e.name().as_ref(), name) {
                    problems.push(Problem { line, column, msg });
                }
                // A TBX-Basic/TBX-Min element (DCT style) is a data category, whatever its name.
                let name = if matches!(ns, Ns::Module) { "" } else { name };
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
                                Err(_) if crate::lang::is_language_tag(&l) => {
                                    skipped.language(&l, line, column);
                                    None
                                }
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
                        if lang.is_none() {
                            skipped.term(concepts.len().wrapping_sub(1));
                        }
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
                        // The data category: DCA names it in `type` (`<termNote type="termType">`),
                        // DCT by the element of a module namespace (`<basic:termType>`).
                        let category = match ns {
                            Ns::Module => e.local_name().as_ref().to_string(),
                            _ => match (name, attr("type")) {
                                ("descrip" | "termNote" | "admin", Some(ty)) => ty,
                                _ => String::new(),
                            },
                        };
                        field = match (name, category.as_str(), in_term) {
                            ("term", _, true) => Some(Field::Term),
                            (_, "termType", true) => Some(Field::TermNote(NoteType::TermType)),
                            (_, "administrativeStatus", true) => Some(Field::TermNote(NoteType::Status)),
                            (_, "grammaticalGender", true) => Some(Field::TermNote(NoteType::Gender)),
                            ("termNote", _, true) => Some(Field::TermNote(NoteType::Other)),
                            ("note", _, true) => Some(Field::Note),
                            ("admin" | "", "source", true) => Some(Field::Source),
                            ("descrip" | "", "subjectField", false) => Some(Field::Subject),
                            ("descrip" | "", "definition", false) => Some(Field::Definition),
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
                    "langSec" | "langSet" => {
                        lang = None;
                        skipped.current = None;
                    }
                    _ => {
                        if let Some(f) = field.take() {
                            // Indentation and line breaks inside an element are layout.
                            let v = xml::collapse_space(&buf);
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
    // A concept whose every term is in a skipped language is left out with them.
    let before = concepts.len();
    let mut i = 0;
    concepts.retain(|c| {
        i += 1;
        !c.terms.is_empty() || !skipped.emptied.contains(&(i - 1))
    });
    let notes = skipped.note(before - concepts.len()).into_iter().collect();
    (concepts, problems, notes)
}

/// The TBX-Basic and TBX-Min module namespaces: their elements are DCT-style data categories.
pub const MODULE_NAMESPACES: [&str; 2] = ["http://www.tbxinfo.net/ns/basic", "http://www.tbxinfo.net/ns/min"];

/// The data categories of TBX-Basic and TBX-Min, as DCT element names (either module
/// namespace is accepted for each): those qantara reads (subject field, definition, source,
/// term type, administrative status, grammatical gender) and those it deliberately leaves out.
pub const DCT_CATEGORIES: [&str; 17] = [
    "administrativeStatus",
    "context",
    "crossReference",
    "customerSubset",
    "definition",
    "externalCrossReference",
    "geographicalUsage",
    "grammaticalGender",
    "partOfSpeech",
    "projectSubset",
    "responsibility",
    "source",
    "subjectField",
    "termLocation",
    "termType",
    "transactionType",
    "xGraphic",
];

/// The problem for a data-category element qantara does not know: an element of a module
/// namespace whose name is not in [`DCT_CATEGORIES`] (a typo such as `<basic:adminStatus>`),
/// or a DCT category name outside the module namespaces (`<administrativeStatus>` in TBX's own
/// namespace, where it means nothing). Either would be dropped silently. `None` otherwise.
fn unknown_category(ns: &Ns, qname: &str, local: &str) -> Option<String> {
    match ns {
        Ns::Module if !DCT_CATEGORIES.contains(&local) => Some(format!(
            "<{qname}>: not a TBX-Basic or TBX-Min data category (it would be dropped); the known \
             ones are {}; correct the name",
            DCT_CATEGORIES.join(", ")
        )),
        Ns::Core if DCT_CATEGORIES.contains(&local) => Some(format!(
            "<{qname}>: a DCT data category outside the TBX-Basic namespace (it would be dropped); \
             write <basic:{local}> (min: for TBX-Min) with xmlns:basic=\"{}\" on <tbx>, or DCA \
             style ({})",
            MODULE_NAMESPACES[0],
            match local {
                "subjectField" | "definition" | "context" | "geographicalUsage" => {
                    format!("<descrip type=\"{local}\">")
                }
                "source" | "customerSubset" | "projectSubset" | "responsibility" => {
                    format!("<admin type=\"{local}\">")
                }
                _ => format!("<termNote type=\"{local}\">"),
            }
        )),
        _ => None,
    }
}

/// TBX v3's own namespace.
const TBX_NAMESPACE: &str = "urn:iso:std:iso:30042:ed-2";

/// What the namespace of an element says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ns {
    /// No namespace or TBX's own (`urn:iso:std:iso:30042:ed-2`): the element is read by its
    /// local name (core structure, DCA categories).
    Core,
    /// A namespace other than TBX's and its modules' (the element is still read by its local
    /// name, as in [`Ns::Core`], but a DCT category name there is not TBX's to judge).
    Foreign,
    /// A TBX-Basic or TBX-Min module namespace ([`MODULE_NAMESPACES`]): a DCT data category.
    Module,
    /// A prefix no `xmlns:` declares.
    Undeclared(String),
}

impl Ns {
    fn of(r: quick_xml::name::ResolveResult<'_>) -> Ns {
        use quick_xml::name::ResolveResult;
        match r {
            ResolveResult::Bound(ns) if MODULE_NAMESPACES.contains(&ns.0) => Ns::Module,
            ResolveResult::Bound(ns) if ns.0 != TBX_NAMESPACE => Ns::Foreign,
            ResolveResult::Unknown(prefix) => Ns::Undeclared(prefix),
            _ => Ns::Core,
        }
    }
}

/// The problem for an element whose prefix is not declared (the file is not
/// namespace-well-formed, and which data category it is cannot be known).
fn undeclared(prefix: &str, local: &str) -> String {
    let hint = match prefix {
        "basic" => format!(" (xmlns:basic=\"{}\" for TBX-Basic)", MODULE_NAMESPACES[0]),
        "min" => format!(" (xmlns:min=\"{}\" for TBX-Min)", MODULE_NAMESPACES[1]),
        _ => String::new(),
    };
    format!("<{prefix}:{local}>: the namespace prefix '{prefix}' is not declared; declare it on <tbx>{hint}")
}

/// The language sections skipped because qantara does not handle their language.
#[derive(Debug, Default)]
struct SkippedLanguages {
    /// Each skipped tag (as written) with its number of terms, in order of first appearance.
    tags: Vec<(String, usize)>,
    /// Line and column of the first skipped section.
    first: Option<(usize, usize)>,
    /// The tag of the section being read, when skipped.
    current: Option<usize>,
    /// Indices of the concepts that lost terms to the skipping.
    emptied: Vec<usize>,
}

impl SkippedLanguages {
    fn language(&mut self, tag: &str, line: usize, column: usize) {
        self.first.get_or_insert((line, column));
        let i = match self.tags.iter().position(|(t, _)| t == tag) {
            Some(i) => i,
            None => {
                self.tags.push((tag.to_string(), 0));
                self.tags.len() - 1
            }
        };
        self.current = Some(i);
    }

    /// A term section of concept `concept` starts outside any readable language section:
    /// counted when its section was skipped for its language.
    fn term(&mut self, concept: usize) {
        if let Some(i) = self.current {
            self.tags[i].1 += 1;
            if !self.emptied.contains(&concept) {
                self.emptied.push(concept);
            }
        }
    }

    /// The one note, when something was skipped; `concepts` were left out for having no
    /// other term.
    fn note(&self, concepts: usize) -> Option<Problem> {
        let (line, column) = self.first?;
        let terms: usize = self.tags.iter().map(|(_, n)| n).sum();
        let each: Vec<String> = self.tags.iter().map(|(t, n)| format!("{t} ({n})")).collect();
        let dropped = if concepts > 0 {
            format!(", and {concepts} concept(s) that had no other term")
        } else {
            String::new()
        };
        Some(Problem {
            line,
            column,
            msg: format!(
                "skipped {terms} term(s) in languages qantara does not handle: {}{dropped}; qantara reads \
                 ar, fr and en (with any region, e.g. fr-FR)",
                each.join(", ")
            ),
        })
    }
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

    /// One concept, written by hand in DCA or DCT style (`{dc}` wraps each data category):
    /// the deprecated French term of the QA report among them.
    fn styled(dct: bool, root_attrs: &str) -> String {
        let dc = |level: &str, cat: &str, v: &str| {
            if dct {
                let module = if cat == "subjectField" { "min" } else { "basic" };
                format!("<{module}:{cat}>{v}</{module}:{cat}>")
            } else {
                format!("<{level} type=\"{cat}\">{v}</{level}>")
            }
        };
        let term = |t: &str, ty: &str, st: &str, g: Option<&str>, src: Option<&str>| {
            let mut x = format!("<termSec><term>{t}</term>{}", dc("termNote", "partOfSpeech", "noun"));
            x += &dc("termNote", "termType", ty);
            x += &dc("termNote", "administrativeStatus", st);
            if let Some(g) = g {
                x += &dc("termNote", "grammaticalGender", g);
            }
            if let Some(s) = src {
                x += &dc("admin", "source", s);
            }
            x + "<note>usage noted by hand</note></termSec>\n"
        };
        format!(
            "<?xml version=\"1.0\"?>\n<tbx type=\"TBX-Basic\" style=\"{style}\" xml:lang=\"fr\" \
             xmlns=\"urn:iso:std:iso:30042:ed-2\" {root_attrs}>\n<text><body>\n\
             <conceptEntry id=\"c-gendarmerie\">{subject}{definition}<note>country: MA</note>\n\
             <langSec xml:lang=\"fr\">\n{fr1}{fr2}</langSec>\n<langSec xml:lang=\"ar\">\n{ar}</langSec>\n\
             <langSec xml:lang=\"en\">\n{en}</langSec>\n</conceptEntry>\n</body></text></tbx>\n",
            style = if dct { "dct" } else { "dca" },
            subject = dc("descrip", "subjectField", "institution"),
            definition = dc("descrip", "definition", "Force armée chargée de la police en zone rurale."),
            fr1 = term(
                "Gendarmerie royale",
                "fullForm",
                "preferredTerm-admn-sts",
                Some("feminine"),
                Some("écrit pour ce test")
            ),
            fr2 = term("GR", "acronym", "deprecatedTerm-admn-sts", None, None),
            ar = term("الدرك الملكي", "fullForm", "preferredTerm-admn-sts", Some("masculine"), None),
            en = term("Royal Gendarmerie", "fullForm", "admittedTerm-admn-sts", None, None),
        )
    }

    const MODULES: &str =
        "xmlns:basic=\"http://www.tbxinfo.net/ns/basic\" xmlns:min=\"http://www.tbxinfo.net/ns/min\"";

    #[test]
    fn dct_style_reads_the_same_data_categories_as_dca() {
        let (dca, p) = read(&styled(false, ""));
        assert!(p.is_empty(), "{p:?}");
        let (dct, p) = read(&styled(true, MODULES));
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(dct, dca);
        let c = &dct[0];
        assert_eq!((c.subject.as_str(), c.country), ("institution", Country::Ma));
        assert!(c.definition.starts_with("Force armée"));
        let gr = c.terms.iter().find(|t| t.term == "GR").unwrap();
        assert_eq!((gr.status, gr.kind), (Status::Deprecated, TermType::Acronym));
        let full = &c.terms[0];
        assert_eq!((full.gender, full.source.as_str()), (Some(Gender::F), "écrit pour ce test"));
        assert_eq!(full.note, "usage noted by hand");
        assert_eq!(c.terms_in(Lang::Ar).next().unwrap().gender, Some(Gender::M));
        assert_eq!(c.terms_in(Lang::En).next().unwrap().status, Status::Admitted);
    }

    #[test]
    fn dct_elements_are_matched_by_namespace_uri_not_prefix() {
        // Other prefixes bound to the module URIs: the same glossary.
        let other = styled(
            true,
            "xmlns:b=\"http://www.tbxinfo.net/ns/basic\" xmlns:m=\"http://www.tbxinfo.net/ns/min\"",
        )
        .replace("<basic:", "<b:")
        .replace("</basic:", "</b:")
        .replace("<min:", "<m:")
        .replace("</min:", "</m:");
        let (a, p) = read(&other);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(a, read(&styled(false, "")).0);
        // The usual prefixes bound to another namespace: not TBX data categories.
        let foreign = styled(true, "xmlns:basic=\"urn:example:other\" xmlns:min=\"urn:example:other\"");
        let (b, p) = read(&foreign);
        assert!(p.is_empty(), "{p:?}");
        let gr = b[0].terms.iter().find(|t| t.term == "GR").unwrap();
        assert_eq!(gr.status, Status::Admitted);
        assert!(b[0].subject.is_empty());
        // Prefixes never declared: one problem per prefix, naming it and the declaration to add.
        let p = problems_of(&styled(true, ""));
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[1].contains("prefix 'basic' is not declared"), "{p:?}");
        assert!(
            p[0].contains("prefix 'min' is not declared")
                && p[0].contains("xmlns:min=\"http://www.tbxinfo.net/ns/min\""),
            "{p:?}"
        );
    }

    #[test]
    fn unknown_data_category_elements_are_problems_not_dropped() {
        // A misspelt TBX-Basic element: the deprecated acronym would come in as admitted.
        let typo = styled(true, MODULES).replacen(
            "<basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus>",
            "<basic:adminStatus>deprecatedTerm-admn-sts</basic:adminStatus>",
            1,
        );
        let (_, p) = read(&typo);
        assert_eq!(p.len(), 1, "{p:?}");
        let at = typo.find("<basic:adminStatus>").unwrap();
        assert_eq!((p[0].line, p[0].column), xml::LineCols::new(&typo).at(at));
        assert!(p[0].msg.starts_with("<basic:adminStatus>: not a TBX-Basic or TBX-Min data category"));
        assert!(p[0].msg.contains("administrativeStatus, context"), "{}", p[0].msg);
        // The same with another prefix bound to TBX-Min.
        let typo = styled(true, MODULES).replacen("<min:subjectField>", "<min:subjectFeld>", 1).replacen(
            "</min:subjectField>",
            "</min:subjectFeld>",
            1,
        );
        let p = problems_of(&typo);
        assert!(p.len() == 1 && p[0].contains("<min:subjectFeld>: not a TBX-Basic"), "{p:?}");
        // A DCT name without prefix, in TBX's own namespace.
        let bare = styled(true, MODULES).replacen("basic:administrativeStatus", "administrativeStatus", 2);
        let p = problems_of(&bare);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].contains("<administrativeStatus>: a DCT data category outside the TBX-Basic namespace")
                && p[0].contains("<basic:administrativeStatus>")
                && p[0].contains("<termNote type=\"administrativeStatus\">"),
            "{p:?}"
        );
        // Elements of another namespace are not TBX's to judge.
        let other = styled(true, &format!("{MODULES} xmlns:x=\"urn:example:x\"")).replacen(
            "<note>",
            "<x:adminStatus>y</x:adminStatus><note>",
            1,
        );
        assert!(read(&other).1.is_empty());
    }

    #[test]
    fn languages_qantara_does_not_handle_are_skipped_with_one_note() {
        let sec = |el: &str, lang: &str, terms: &[&str]| {
            let t: String = terms.iter().map(|t| format!("<tig><term>{t}</term></tig>")).collect();
            format!("<{el} xml:lang=\"{lang}\">{t}</{el}>\n")
        };
        for (root, entry, lang_el) in [("tbx", "conceptEntry", "langSec"), ("martif", "termEntry", "langSet")]
        {
            let text = format!(
                "<{root}><text><body>\n<{entry} id=\"c-a\">{}{}{}{}</{entry}>\n<{entry} id=\"c-b\">{}</{entry}>\n\
                 <{entry} id=\"c-c\">{}{}</{entry}>\n</body></text></{root}>",
                sec(lang_el, "fr-FR", &["préfecture"]),
                sec(lang_el, "de", &["Präfektur", "Polizeipräfektur"]),
                sec(lang_el, "ar-MA", &["عمالة"]),
                sec(lang_el, "en-GB", &["prefecture"]),
                sec(lang_el, "de", &["Landkreis"]),
                sec(lang_el, "es", &["prefectura"]),
                sec(lang_el, "fr", &["préfet"]),
            );
            let (concepts, problems, notes) = read_noting(&text);
            assert!(problems.is_empty(), "{root}: {problems:?}");
            let ids: Vec<&str> = concepts.iter().map(|c| c.id.as_str()).collect();
            assert_eq!(ids, ["c-a", "c-c"], "{root}");
            let langs: Vec<Lang> = concepts[0].terms.iter().map(|t| t.lang).collect();
            assert_eq!(langs, [Lang::Fr, Lang::Ar, Lang::En], "{root}");
            assert_eq!(notes.len(), 1, "{root}: {notes:?}");
            let de_line = 1 + text[..text.find("\"de\"").unwrap()].matches('\n').count();
            assert_eq!(notes[0].line, de_line, "{root}");
            assert_eq!(
                notes[0].msg,
                "skipped 4 term(s) in languages qantara does not handle: de (3), es (1), and 1 concept(s) \
                 that had no other term; qantara reads ar, fr and en (with any region, e.g. fr-FR)",
                "{root}"
            );
            // A value that is no language tag at all is still a problem.
            for bad in ["", "french?"] {
                let p = read(&text.replacen("\"es\"", &format!("\"{bad}\""), 1)).1;
                assert_eq!(p.len(), 1, "{root} {bad:?}: {p:?}");
                assert!(p[0].msg.starts_with(&format!("unknown language '{bad}'")), "{p:?}");
            }
        }
    }
}
