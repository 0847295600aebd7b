//! TMX 1.4b translation memories: a deterministic writer, a streaming reader and a validator.
//!
//! # Writer
//! [`Writer`] emits a complete TMX 1.4b document: the XML declaration, `<tmx version="1.4">`,
//! a `<header>` with every attribute the specification requires (`creationtool`,
//! `creationtoolversion`, `segtype="sentence"`, `o-tmf`, `adminlang`, `srclang`, `datatype`),
//! and one `<tu>` per [`TmxUnit`], whose provenance travels as `<prop type="…">` elements
//! (in the order given) followed by one `<tuv xml:lang="…"><seg>…</seg></tuv>` per language.
//! Output is a pure function of the units written: no clock, no hash-map order, so the same
//! units give the same bytes. Three property names are not written as `<prop>` but as
//! attributes of `<tu>` (where TMX puts them): [`ATTR_TUID`], [`ATTR_CREATIONDATE`],
//! [`ATTR_CHANGEDATE`]; the reader turns them back into props, so write → read is lossless.
//!
//! Escaping ([`xml::escape`]): `&`, `<`, `>` (and `"` in attributes) become entities; `\r`
//! becomes `&#13;` so a parser's end-of-line normalization cannot change the text; characters
//! XML 1.0 cannot carry at all (C0 controls other than tab, line feed and carriage return,
//! U+FFFE, U+FFFF) are replaced — U+000B and U+000C by a space, the others by U+FFFD — and
//! counted ([`Writer::replaced`]), so the output is always well-formed and the loss is known.
//!
//! # Reader
//! [`Reader`] pulls one `<tu>` at a time from any `BufRead` with quick-xml, so memory is
//! bounded by the largest unit, not the file (a 1,000,000-unit TMX streams in constant
//! memory). Language tags are normalized to the primary subtag by [`Lang::from_str`]
//! (`ar-MA`, `fr-FR`, `FR` → `ar`, `fr`); `<tuv>` in other languages are skipped and counted.
//! A missing `srclang` is tolerated. Inline markup inside `<seg>`: the text of `<hi>` is kept;
//! the native codes of `<bpt>`, `<ept>`, `<it>`, `<ph>`, `<ut>` and sub-flows (`<sub>`) are
//! dropped, leaving the translatable text, and counted ([`Reader::inline_codes`]); the white
//! space around a dropped code becomes one space, and none at the ends of the segment, so
//! `a <ph/> b` reads `a b`, never `a  b`. A `<tu>` with two `<tuv>` of one language (regional
//! variants, `fr-FR` and `fr-CA`, which the DTD allows) keeps the first and drops the others,
//! each listed in [`Reader::variants`] with its unit.
//!
//! Refused (with line and column): a character XML 1.0 forbids, raw anywhere in the file or as
//! a character reference (`&#7;`), and a duplicated attribute (`xml:lang="ar" xml:lang="fr"`)
//! — conforming XML parsers refuse such files, and the texts must not enter the memory.
//!
//! Security: quick-xml never expands entities itself. The reader refuses any `<!DOCTYPE>` with
//! an internal subset (where `<!ENTITY>` declarations live, the vehicle of "billion laughs"
//! bombs and external-entity reads) and any reference other than the five predefined entities
//! and character references. Nothing is ever fetched.
//!
//! # Positions
//! Problems are found at byte offsets (the parser's position); [`line_col`] turns a sorted
//! list of offsets into 1-based lines and columns (in characters) in one extra pass over the
//! file, so streaming never has to keep a line table.
//!
//! # Cost
//! Writing and reading are linear in the file size.

use crate::lang::Lang;
use crate::xml;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// `<prop>` type carrying the document id a unit came from.
pub const PROP_DOC: &str = "x-doc";
/// `<prop>` type carrying the alignment confidence in [0, 1].
pub const PROP_CONFIDENCE: &str = "x-confidence";
/// `<prop>` type carrying the origin: `aligned`, `imported` or `edited`.
pub const PROP_ORIGIN: &str = "x-origin";
/// `<prop>` type prefix for segment indices: `x-segments-ar` = `3-4` (0-based, end exclusive).
pub const PROP_SEGMENTS_PREFIX: &str = "x-segments-";
/// Pseudo-prop written as the `tuid` attribute of `<tu>`.
pub const ATTR_TUID: &str = "tuid";
/// Pseudo-prop written as the `creationdate` attribute of `<tu>` (`YYYYMMDDThhmmssZ`).
pub const ATTR_CREATIONDATE: &str = "creationdate";
/// Pseudo-prop written as the `changedate` attribute of `<tu>` (`YYYYMMDDThhmmssZ`).
pub const ATTR_CHANGEDATE: &str = "changedate";

const TU_ATTRS: [&str; 3] = [ATTR_TUID, ATTR_CREATIONDATE, ATTR_CHANGEDATE];

/// One translation unit: its text per language and its properties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TmxUnit {
    /// Text per language, in the order they are written.
    pub texts: Vec<(Lang, String)>,
    /// Properties `(type, value)`, written as `<prop type="type">value</prop>` (except the
    /// pseudo-props `tuid`, `creationdate`, `changedate`, which become `<tu>` attributes).
    pub props: Vec<(String, String)>,
}

impl TmxUnit {
    /// The value of the first property named `name`.
    pub fn prop(&self, name: &str) -> Option<&str> {
        self.props.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The text in `lang`, if the unit has one.
    pub fn text(&self, lang: Lang) -> Option<&str> {
        self.texts.iter().find(|(l, _)| *l == lang).map(|(_, t)| t.as_str())
    }
}

/// The `srclang` a file of units may declare: `first` when every unit holds a text in it,
/// else `None` (`srclang="*all*"`). TMX 1.4b means by `srclang="ar"` that every unit's
/// source is its Arabic text; a 3-way alignment or memory also holds French–English units,
/// and a tool reading `srclang="ar"` there looks for an Arabic source they do not have.
pub fn common_srclang<'a>(
    first: Option<Lang>,
    mut units: impl Iterator<Item = &'a [(Lang, String)]>,
) -> Option<Lang> {
    let first = first?;
    units.all(|texts| texts.iter().any(|(l, _)| *l == first)).then_some(first)
}

/// Errors of the TMX reader.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is not well-formed XML or not a TMX document.
    #[error("byte {offset}: {msg}")]
    At {
        /// Byte offset of the problem in the file.
        offset: u64,
        /// What is wrong and what to do.
        msg: String,
    },
    /// Reading failed.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
}

/// A TMX error located in a named file (line and column computed).
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}:{column}: {msg}")]
pub struct LocatedError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what to do.
    pub msg: String,
}

impl Error {
    /// Locates the error in `path` (re-reads the file up to the offset to count lines).
    pub fn locate(&self, path: &Path) -> LocatedError {
        match self {
            Error::At { offset, msg } => {
                // quick-xml does not say where undecodable bytes are: find the first one.
                let offset = &if msg.contains("decode") || msg.contains("UTF-8") || msg.contains("utf-8") {
                    first_invalid_utf8(path).unwrap_or(*offset)
                } else {
                    *offset
                };
                let (line, column) =
                    line_col(path, &[*offset]).ok().and_then(|v| v.first().copied()).unwrap_or((0, 0));
                LocatedError { path: path.to_path_buf(), line, column, msg: msg.clone() }
            }
            Error::Io(e) => LocatedError {
                path: path.to_path_buf(),
                line: 0,
                column: 0,
                msg: format!("cannot read: {e}"),
            },
        }
    }
}

/// Writes a TMX 1.4b document unit by unit.
pub struct Writer<W: Write> {
    /// `None` once finished.
    out: Option<W>,
    /// Characters XML 1.0 forbids that were replaced so far.
    replaced: u64,
}

impl<W: Write> Writer<W> {
    /// Starts a document whose source language is `srclang`.
    pub fn new(out: W, srclang: Lang) -> std::io::Result<Self> {
        Self::with_srclang(out, Some(srclang))
    }

    /// Starts a document; `None` writes `srclang="*all*"` (any language may be the source,
    /// as in a multilingual memory).
    pub fn with_srclang(mut out: W, srclang: Option<Lang>) -> std::io::Result<Self> {
        let src = srclang.map_or("*all*", Lang::code);
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <tmx version=\"1.4\">\n  \
             <header creationtool=\"qantara\" creationtoolversion=\"{}\" segtype=\"sentence\" \
             o-tmf=\"qantara\" adminlang=\"en\" srclang=\"{src}\" datatype=\"plaintext\"/>\n  \
             <body>\n",
            env!("CARGO_PKG_VERSION")
        )?;
        Ok(Writer { out: Some(out), replaced: 0 })
    }

    /// How many characters XML 1.0 forbids were replaced so far (see [`xml::escape`]).
    pub fn replaced(&self) -> u64 {
        self.replaced
    }

    /// Writes one `<tu>`.
    pub fn write_unit(&mut self, unit: &TmxUnit) -> std::io::Result<()> {
        let o = self.out.as_mut().expect("write_unit after finish");
        let mut replaced = 0u64;
        let mut escape = |s: &str, attr: bool| {
            let (e, n) = xml::escape(s, attr);
            replaced += n as u64;
            e.into_owned()
        };
        o.write_all(b"    <tu")?;
        for name in TU_ATTRS {
            if let Some(v) = unit.prop(name) {
                write!(o, " {name}=\"{}\"", escape(v, true))?;
            }
        }
        o.write_all(b">\n")?;
        for (k, v) in &unit.props {
            if TU_ATTRS.contains(&k.as_str()) {
                continue;
            }
            let (k, v) = (escape(k, true), escape(v, false));
            writeln!(o, "      <prop type=\"{k}\">{v}</prop>")?;
        }
        for (lang, text) in &unit.texts {
            writeln!(o, "      <tuv xml:lang=\"{lang}\"><seg>{}</seg></tuv>", escape(text, false))?;
        }
        o.write_all(b"    </tu>\n")?;
        self.replaced += replaced;
        Ok(())
    }

    /// Closes the document and returns the output.
    pub fn finish(mut self) -> std::io::Result<W> {
        let mut out = self.out.take().expect("finish called once");
        out.write_all(b"  </body>\n</tmx>\n")?;
        out.flush()?;
        Ok(out)
    }
}

impl<W: Write> Drop for Writer<W> {
    fn drop(&mut self) {
        // A writer dropped without `finish` leaves an unclosed document; close it so the output
        // stays well-formed (errors cannot be reported from drop).
        if let Some(out) = self.out.as_mut() {
            let _ = out.write_all(b"  </body>\n</tmx>\n");
            let _ = out.flush();
        }
    }
}

/// The header of a TMX file as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// `srclang`, normalized; `None` when missing, `*all*` or unknown.
    pub srclang: Option<Lang>,
}

/// Streams the units of a TMX document.
pub struct Reader<R: BufRead> {
    xml: quick_xml::Reader<R>,
    buf: Vec<u8>,
    header: Option<Header>,
    done: bool,
    /// The root element has been read (and is `<tmx>`).
    started: bool,
    /// `<tuv>` elements skipped because their language is not ar, fr or en.
    pub skipped_tuvs: u64,
    /// Inline native codes (`<bpt>`, `<ept>`, `<it>`, `<ph>`, `<ut>`, with their `<sub>`s)
    /// dropped from `<seg>` texts.
    pub inline_codes: u64,
    /// Second regional variants of a language in one `<tu>` (`fr-CA` after `fr-FR`): their
    /// count, and the first [`VARIANTS_KEPT`] with where they are.
    pub variants_dropped: u64,
    /// The first [`VARIANTS_KEPT`] dropped variants.
    pub variants: Vec<DroppedVariant>,
    /// Byte offset of the last `<tu>` start tag read.
    unit_start: u64,
}

/// How many dropped variants [`Reader::variants`] lists.
pub const VARIANTS_KEPT: usize = 10;

/// A `<tuv>` left out because its `<tu>` already had a text in the same language (another
/// regional variant: TMX allows `fr-FR` and `fr-CA` in one unit, qantara stores one text per
/// language). The first `<tuv>` of the language in the unit is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedVariant {
    /// Byte offset of the unit's `<tu>` start tag.
    pub unit_offset: u64,
    /// The tag of the `<tuv>` kept (`fr-FR`).
    pub kept: String,
    /// The tag of the `<tuv>` left out (`fr-CA`).
    pub dropped: String,
}

/// Where the reader is inside a `<tu>`.
enum Capture {
    None,
    Prop(String),
    Seg,
}

impl<R: BufRead> Reader<R> {
    /// Wraps `input`.
    pub fn new(input: R) -> Self {
        let mut xml = quick_xml::Reader::from_reader(input);
        let cfg = xml.config_mut();
        cfg.expand_empty_elements = true;
        cfg.check_end_names = true;
        Reader {
            xml,
            buf: Vec::with_capacity(4096),
            header: None,
            done: false,
            started: false,
            skipped_tuvs: 0,
            inline_codes: 0,
            variants_dropped: 0,
            variants: Vec::new(),
            unit_start: 0,
        }
    }

    /// The byte offset of the `<tu>` start tag of the unit [`Reader::next_unit`] returned last
    /// (to report where a unit is; [`line_col`] turns it into a line).
    pub fn unit_offset(&self) -> u64 {
        self.unit_start
    }

    /// The byte offset reached so far.
    pub fn position(&self) -> u64 {
        self.xml.buffer_position()
    }

    /// The header, once read (after the first call to [`Reader::next_unit`]).
    pub fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    fn err(xml: &quick_xml::Reader<R>, msg: impl Into<String>) -> Error {
        Error::At { offset: xml.buffer_position(), msg: msg.into() }
    }

    /// The next unit, or `None` at the end of the body.
    pub fn next_unit(&mut self) -> Result<Option<TmxUnit>, Error> {
        if self.done {
            return Ok(None);
        }
        let mut unit: Option<TmxUnit> = None;
        let mut tuv_lang: Option<Option<Lang>> = None; // Some(None) = tuv in an unknown language
        let mut tuv_tag = String::new();
        let mut unit_tags: Vec<(Lang, String)> = Vec::new(); // the tag kept per language
        let mut capture = Capture::None;
        let mut text = String::new();
        let mut skip_depth = 0usize; // > 0 inside native-code inline elements
        // The last thing of the segment was a dropped inline code: the white space on both
        // sides of it is one space ("a <ph/> b" → "a b"), none at the ends of the segment.
        let mut after_code = false;
        loop {
            self.buf.clear();
            let start = self.xml.buffer_position();
            let ev = match self.xml.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => {
                    let offset = self.xml.error_position();
                    return Err(Error::At { offset, msg: format!("not well-formed XML: {e}") });
                }
            };
            if let Some((at, c)) = xml::first_in_event(&ev) {
                return Err(Error::At { offset: start + at, msg: xml::refusal(c) });
            }
            if let Event::Start(e) = &ev {
                xml::attributes(e).map_err(|m| Error::At { offset: start, msg: m })?;
            }
            match ev {
                Event::Start(e) => {
                    let name = e.local_name().as_ref().to_string();
                    if skip_depth > 0 {
                        skip_depth += 1;
                        continue;
                    }
                    if !self.started {
                        if name != "tmx" {
                            self.done = true;
                            return Err(Error::At {
                                offset: start,
                                msg: format!(
                                    "the root element is <{name}>, not <tmx>: this is not a TMX file"
                                ),
                            });
                        }
                        self.started = true;
                    }
                    match name.as_str() {
                        "tmx" => {}
                        "header" => {
                            let src = attr(&e, "srclang").map_err(|m| Self::err(&self.xml, m))?;
                            self.header = Some(Header { srclang: src.and_then(|s| Lang::from_str(&s).ok()) });
                        }
                        "tu" => {
                            self.unit_start = start;
                            let mut u = TmxUnit::default();
                            unit_tags.clear();
                            for a in TU_ATTRS {
                                if let Some(v) = attr(&e, a).map_err(|m| Self::err(&self.xml, m))? {
                                    u.props.push((a.to_string(), v));
                                }
                            }
                            unit = Some(u);
                        }
                        "prop" if unit.is_some() && tuv_lang.is_none() => {
                            let t =
                                attr(&e, "type").map_err(|m| Self::err(&self.xml, m))?.unwrap_or_default();
                            capture = Capture::Prop(t);
                            text.clear();
                        }
                        "tuv" if unit.is_some() => {
                            let lang = attr(&e, "lang").map_err(|m| Self::err(&self.xml, m))?;
                            let Some(lang) = lang else {
                                return Err(Self::err(
                                    &self.xml,
                                    "<tuv> without xml:lang; add xml:lang=\"ar\" (or fr, en)",
                                ));
                            };
                            tuv_lang = Some(Lang::from_str(&lang).ok());
                            tuv_tag = lang;
                        }
                        "seg" if tuv_lang.is_some() => {
                            capture = Capture::Seg;
                            text.clear();
                            after_code = false;
                        }
                        "bpt" | "ept" | "it" | "ph" | "ut" | "sub" if matches!(capture, Capture::Seg) => {
                            skip_depth = 1;
                            self.inline_codes += 1;
                        }
                        _ => {}
                    }
                }
                Event::End(e) => {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                        if skip_depth == 0 {
                            after_code = true;
                        }
                        continue;
                    }
                    match e.local_name().as_ref() {
                        "prop" => {
                            if let Capture::Prop(t) = std::mem::replace(&mut capture, Capture::None) {
                                if let Some(u) = unit.as_mut() {
                                    u.props.push((t, std::mem::take(&mut text)));
                                }
                            }
                        }
                        "seg" => {
                            if matches!(capture, Capture::Seg) {
                                capture = Capture::None;
                                if after_code {
                                    text.truncate(text.trim_end_matches(is_xml_space).len());
                                }
                                match (tuv_lang, unit.as_mut()) {
                                    (Some(Some(lang)), Some(u)) => {
                                        if let Some((_, kept)) = unit_tags.iter().find(|(l, _)| *l == lang) {
                                            self.variants_dropped += 1;
                                            if self.variants.len() < VARIANTS_KEPT {
                                                self.variants.push(DroppedVariant {
                                                    unit_offset: self.unit_start,
                                                    kept: kept.clone(),
                                                    dropped: tuv_tag.clone(),
                                                });
                                            }
                                            continue;
                                        }
                                        unit_tags.push((lang, tuv_tag.clone()));
                                        u.texts.push((lang, std::mem::take(&mut text)));
                                    }
                                    _ => self.skipped_tuvs += 1,
                                }
                            }
                        }
                        "tuv" => tuv_lang = None,
                        "tu" => {
                            if let Some(u) = unit.take() {
                                return Ok(Some(u));
                            }
                        }
                        "body" | "tmx" => {
                            self.done = true;
                            return Ok(None);
                        }
                        _ => {}
                    }
                }
                Event::Text(t) => {
                    if skip_depth == 0 && !matches!(capture, Capture::None) {
                        let t = t.xml10_content();
                        let mut t: &str = &t;
                        if after_code && (text.is_empty() || text.ends_with(is_xml_space)) {
                            t = t.trim_start_matches(is_xml_space);
                        }
                        if !t.is_empty() {
                            after_code = false;
                        }
                        text.push_str(t);
                    }
                }
                Event::CData(t) => {
                    if skip_depth == 0 && !matches!(capture, Capture::None) {
                        after_code = false;
                        text.push_str(&t);
                    }
                }
                Event::GeneralRef(r) => {
                    let c = resolve_ref(&r).map_err(|msg| Error::At { offset: start, msg })?;
                    if skip_depth == 0 && !matches!(capture, Capture::None) {
                        after_code = false;
                        text.push(c);
                    }
                }
                Event::DocType(d) => {
                    let d: &str = &d;
                    if d.contains('[') || d.contains("ENTITY") {
                        return Err(Self::err(
                            &self.xml,
                            "the DOCTYPE declares an internal subset (entities); qantara refuses entity \
                             declarations (entity bombs, external reads) — remove the [...] part",
                        ));
                    }
                }
                Event::Eof => {
                    self.done = true;
                    if !self.started {
                        return Err(Self::err(&self.xml, "no <tmx> element: this is not a TMX file"));
                    }
                    if unit.is_some() {
                        return Err(Self::err(
                            &self.xml,
                            "the file ends inside a <tu>; the file is truncated",
                        ));
                    }
                    // `</body>` and `</tmx>` end the reading before the end of the file.
                    return Err(Self::err(
                        &self.xml,
                        "the file ends before </body></tmx>; the file is truncated",
                    ));
                }
                Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<TmxUnit, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_unit().transpose()
    }
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// The value of attribute `name` (local name, so `xml:lang` matches `lang`), unescaped.
/// Every attribute of the tag is checked ([`xml::attributes`]: no duplicate, no forbidden
/// character).
fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    Ok(xml::attributes(e)?.into_iter().find(|(k, _)| k.rsplit(':').next() == Some(name)).map(|(_, v)| v))
}

fn resolve_ref(r: &quick_xml::events::BytesRef<'_>) -> Result<char, String> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => xml::check_char_ref(r, c),
            _ => Err(format!("invalid character reference &{};", &**r)),
        };
    }
    match &**r {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(format!(
            "undefined entity &{other};: TMX may only use &amp; &lt; &gt; &quot; &apos; and character references"
        )),
    }
}

/// The byte offset of the first byte that is not valid UTF-8 in the file, if any.
fn first_invalid_utf8(path: &Path) -> Option<u64> {
    let bytes = std::fs::read(path).ok()?;
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(&bytes);
    let skip = bytes.len() - body.len();
    std::str::from_utf8(body).err().map(|e| (skip + e.valid_up_to()) as u64)
}

/// Opens a TMX file for reading: UTF-8 (with or without BOM) is streamed; UTF-16 with a BOM
/// (allowed by TMX 1.4b and written by some Windows tools) is decoded to UTF-8 first (whole:
/// such files are rare and small), the `encoding` declaration then being ignored.
pub fn open(path: &Path) -> std::io::Result<Box<dyn BufRead>> {
    let mut file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    let head = file.fill_buf()?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let text = crate::input::read_text(path).map_err(std::io::Error::other)?;
        return Ok(Box::new(std::io::Cursor::new(text.into_bytes())));
    }
    Ok(Box::new(file))
}

/// 1-based (line, column in characters) of each byte offset in `offsets` (any order), read
/// from the file in one pass.
pub fn line_col(path: &Path, offsets: &[u64]) -> std::io::Result<Vec<(usize, usize)>> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![(1, 1); offsets.len()];
    let mut r = std::io::BufReader::new(std::fs::File::open(path)?);
    let (mut pos, mut line, mut col) = (0u64, 1usize, 1usize);
    let mut k = 0;
    let mut buf = [0u8; 65536];
    'outer: loop {
        let n = std::io::Read::read(&mut r, &mut buf)?;
        for &b in &buf[..n] {
            while k < order.len() && offsets[order[k]] <= pos {
                out[order[k]] = (line, col);
                k += 1;
            }
            if k == order.len() {
                break 'outer;
            }
            if b == b'\n' {
                line += 1;
                col = 1;
            } else if b & 0xC0 != 0x80 {
                col += 1;
            }
            pos += 1;
        }
        if n == 0 {
            break;
        }
    }
    while k < order.len() {
        out[order[k]] = (line, col);
        k += 1;
    }
    Ok(out)
}

/// One problem found by [`validate`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// Checks a TMX file against TMX 1.4b: well-formedness, the root and its version, every
/// required header attribute, `<body>`, each `<tu>` with at least one `<tuv>` (a warning below
/// two, since such a unit translates nothing), each `<tuv>` with `xml:lang` and exactly one
/// `<seg>`, known languages, no duplicated language in a unit, and no entity declarations.
/// Returns every problem found; well-formedness errors end the scan (the parser cannot recover).
pub fn validate(path: &Path) -> std::io::Result<Vec<Problem>> {
    let mut xml = quick_xml::Reader::from_reader(open(path)?);
    xml.config_mut().expand_empty_elements = true;
    let mut found: Vec<(u64, String)> = Vec::new();
    let mut buf = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let (mut seen_header, mut seen_body) = (false, false);
    let mut tu_langs: Vec<Lang> = Vec::new();
    let mut tu_tuvs = 0usize;
    let mut segs_in_tuv = 0usize;
    let mut tu_start = 0u64;
    let mut tuv_start = 0u64;
    loop {
        buf.clear();
        let pos = xml.buffer_position();
        let ev = match xml.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => {
                found.push((xml.error_position(), format!("not well-formed XML: {e}")));
                break;
            }
        };
        if let Some((at, c)) = xml::first_in_event(&ev) {
            found.push((pos + at, xml::refusal(c)));
        }
        if let Event::Start(e) = &ev {
            if let Err(m) = xml::attributes(e) {
                found.push((pos, m));
            }
        }
        match ev {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                let parent = stack.last().cloned();
                if parent.is_none() && name != "tmx" && !found.iter().any(|(_, m)| m.contains("root element"))
                {
                    found.push((
                        pos,
                        format!("the root element is <{name}>, not <tmx>: this is not a TMX file"),
                    ));
                }
                match name.as_str() {
                    "tmx" => {
                        if parent.is_some() {
                            found.push((pos, "<tmx> must be the root element".into()));
                        }
                        match attr(&e, "version") {
                            Ok(Some(v)) if v == "1.4" || v == "1.4b" => {}
                            Ok(Some(v)) => found.push((pos, format!("<tmx version=\"{v}\">: expected 1.4"))),
                            Ok(None) => found.push((pos, "<tmx> lacks the required version=\"1.4\"".into())),
                            Err(_) => {} // reported once above, by xml::attributes
                        }
                    }
                    "header" => {
                        seen_header = true;
                        for req in [
                            "creationtool",
                            "creationtoolversion",
                            "segtype",
                            "o-tmf",
                            "adminlang",
                            "srclang",
                            "datatype",
                        ] {
                            match attr(&e, req) {
                                Ok(Some(v)) => {
                                    if req == "segtype"
                                        && !matches!(
                                            v.as_str(),
                                            "block" | "paragraph" | "sentence" | "phrase"
                                        )
                                    {
                                        found.push((pos, format!("<header segtype=\"{v}\">: expected block, paragraph, sentence or phrase")));
                                    }
                                    if req == "srclang" && v != "*all*" && Lang::from_str(&v).is_err() {
                                        found.push((pos, format!("<header srclang=\"{v}\">: not a language qantara handles (ar, fr, en or *all*)")));
                                    }
                                }
                                Ok(None) => {
                                    found.push((pos, format!("<header> lacks the required attribute {req}")))
                                }
                                Err(_) => {} // reported once above, by xml::attributes
                            }
                        }
                    }
                    "body" => seen_body = true,
                    "tu" => {
                        if parent.as_deref() != Some("body") {
                            found.push((pos, "<tu> outside <body>".into()));
                        }
                        tu_langs.clear();
                        tu_tuvs = 0;
                        tu_start = pos;
                    }
                    "tuv" => {
                        if parent.as_deref() != Some("tu") {
                            found.push((pos, "<tuv> outside <tu>".into()));
                        }
                        tu_tuvs += 1;
                        segs_in_tuv = 0;
                        tuv_start = pos;
                        match attr(&e, "lang") {
                            Ok(Some(l)) => match Lang::from_str(&l) {
                                Ok(lang) => {
                                    if tu_langs.contains(&lang) {
                                        found.push((pos, format!("a second <tuv> in '{lang}' in the same <tu>")));
                                    }
                                    tu_langs.push(lang);
                                }
                                Err(_) => found.push((pos, format!("<tuv xml:lang=\"{l}\">: not ar, fr or en (it will be skipped on import)"))),
                            },
                            Ok(None) => found.push((pos, "<tuv> lacks the required xml:lang".into())),
                            Err(_) => {} // reported once above, by xml::attributes
                        }
                    }
                    "seg" => {
                        if parent.as_deref() != Some("tuv") {
                            found.push((pos, "<seg> outside <tuv>".into()));
                        }
                        segs_in_tuv += 1;
                        if segs_in_tuv == 2 {
                            found.push((pos, "a <tuv> with more than one <seg>".into()));
                        }
                    }
                    "prop" => {
                        if matches!(attr(&e, "type"), Ok(None)) {
                            found.push((pos, "<prop> lacks the required type attribute".into()));
                        }
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "tu" => {
                        if tu_tuvs == 0 {
                            found.push((tu_start, "a <tu> without any <tuv>".into()));
                        } else if tu_tuvs == 1 {
                            found.push((tu_start, "a <tu> with a single <tuv> translates nothing".into()));
                        }
                    }
                    "tuv" if segs_in_tuv == 0 => found.push((tuv_start, "a <tuv> without <seg>".into())),
                    _ => {}
                }
                stack.pop();
            }
            Event::GeneralRef(r) => {
                if let Err(m) = resolve_ref(&r) {
                    found.push((pos, m));
                }
            }
            Event::DocType(d) => {
                let d: &str = &d;
                if d.contains('[') || d.contains("ENTITY") {
                    found.push((
                        pos,
                        "the DOCTYPE declares an internal subset (entities), which qantara refuses".into(),
                    ));
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    found.push((pos, format!("the file ends inside <{open}>: it is truncated")));
                }
                if !seen_header {
                    found.push((pos, "no <header> element (required)".into()));
                }
                if !seen_body {
                    found.push((pos, "no <body> element (required)".into()));
                }
                break;
            }
            _ => {}
        }
    }
    let offsets: Vec<u64> = found.iter().map(|(o, _)| *o).collect();
    let lc = line_col(path, &offsets)?;
    Ok(found
        .into_iter()
        .zip(lc)
        .map(|((_, message), (line, column))| Problem { line, column, message })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(texts: &[(Lang, &str)], props: &[(&str, &str)]) -> TmxUnit {
        TmxUnit {
            texts: texts.iter().map(|(l, t)| (*l, t.to_string())).collect(),
            props: props.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    #[test]
    fn writes_header_escapes_and_reads_back() {
        let units = vec![
            unit(
                &[
                    (Lang::Ar, "المديرية العامة للأمن الوطني"),
                    (Lang::Fr, "La DGSN & la <police> \"nationale\"\r"),
                ],
                &[("creationdate", "20240626T101500Z"), (PROP_DOC, "doc<1>"), (PROP_CONFIDENCE, "0.91")],
            ),
            unit(&[(Lang::Fr, "Deux"), (Lang::En, "Two\tcols\nlines")], &[(PROP_ORIGIN, "imported")]),
        ];
        let mut w = Writer::new(Vec::new(), Lang::Ar).unwrap();
        for u in &units {
            w.write_unit(u).unwrap();
        }
        let bytes = w.finish().unwrap();
        let s = String::from_utf8(bytes.clone()).unwrap();
        for a in [
            "creationtool=\"qantara\"",
            "creationtoolversion=",
            "segtype=\"sentence\"",
            "o-tmf=",
            "adminlang=\"en\"",
            "srclang=\"ar\"",
            "datatype=\"plaintext\"",
        ] {
            assert!(s.contains(a), "missing {a}");
        }
        assert!(s.contains("La DGSN &amp; la &lt;police&gt; \"nationale\"&#13;"));
        assert!(s.contains("<tu creationdate=\"20240626T101500Z\">"));
        let back: Vec<TmxUnit> = Reader::new(&bytes[..]).collect::<Result<_, _>>().unwrap();
        assert_eq!(back, units);
        // Deterministic: the same units give the same bytes.
        let mut w2 = Writer::new(Vec::new(), Lang::Ar).unwrap();
        for u in &units {
            w2.write_unit(u).unwrap();
        }
        assert_eq!(w2.finish().unwrap(), bytes);
    }

    #[test]
    fn reads_foreign_tags_inline_markup_and_no_srclang() {
        let x = r#"<?xml version="1.0"?><tmx version="1.4"><header creationtool="x" datatype="plaintext"/>
<body><tu><tuv xml:lang="FR-fr"><seg>Le <bpt i="1">&lt;b&gt;</bpt>chef<ept i="1">&lt;/b&gt;</ept> &amp; co&#233;</seg></tuv>
<tuv xml:lang="ar-MA"><seg><hi>الرئيس</hi></seg></tuv><tuv xml:lang="de"><seg>Der</seg></tuv></tu></body></tmx>"#;
        let mut r = Reader::new(x.as_bytes());
        let u = r.next_unit().unwrap().unwrap();
        assert_eq!(u.texts, vec![(Lang::Fr, "Le chef & coé".to_string()), (Lang::Ar, "الرئيس".to_string())]);
        assert_eq!(r.header().unwrap().srclang, None);
        assert_eq!(r.skipped_tuvs, 1);
        assert!(r.next_unit().unwrap().is_none());
    }

    #[test]
    fn refuses_entity_declarations() {
        let x = r#"<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="fr"><seg>&b;</seg></tuv></tu></body></tmx>"#;
        let err = Reader::new(x.as_bytes()).next_unit().unwrap_err();
        assert!(err.to_string().contains("refuses"), "{err}");
        let y = r#"<tmx version="1.4"><header/><body><tu><tuv xml:lang="fr"><seg>&b;</seg></tuv></tu></body></tmx>"#;
        let err = Reader::new(y.as_bytes()).next_unit().unwrap_err();
        assert!(err.to_string().contains("undefined entity &b;"), "{err}");
    }

    #[test]
    fn validate_lists_problems_with_positions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.tmx");
        std::fs::write(
            &p,
            "<tmx version=\"1.4\">\n<header creationtool=\"x\" srclang=\"ar\"/>\n<body>\n<tu>\n  <tuv><seg>a</seg></tuv>\n</tu>\n</body>\n</tmx>\n",
        )
        .unwrap();
        let probs = validate(&p).unwrap();
        let msgs: Vec<String> =
            probs.iter().map(|p| format!("{}:{} {}", p.line, p.column, p.message)).collect();
        assert!(
            msgs.iter().any(|m| m.starts_with("2:1 <header> lacks the required attribute segtype")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.starts_with("5:3 <tuv> lacks the required xml:lang")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("4:1 a <tu> with a single <tuv>")), "{msgs:?}");
    }

    const HEAD: &str = "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" \
        segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"fr\" datatype=\"plaintext\"/><body>\n";

    /// A one-unit TMX whose French text is `fr` and whose French `<tuv>` tag is `tuv`.
    fn tmx_with(tuv: &str, fr: &str) -> String {
        format!(
            "{HEAD}<tu>\n<tuv xml:lang=\"ar\"><seg>وصل الوفد</seg></tuv>\n{tuv}<seg>{fr}</seg></tuv>\n</tu>\n</body></tmx>\n"
        )
    }

    #[test]
    fn reader_refuses_forbidden_characters_and_duplicate_attributes() {
        let fr = "<tuv xml:lang=\"fr\">";
        let cases = [
            (tmx_with(fr, "la délégation &#7; arrive"), "U+0007 (bell)"),
            (tmx_with(fr, "la délégation &#x0B; arrive"), "U+000B (vertical tab)"),
            (tmx_with(fr, "la délégation \u{1} arrive"), "U+0001"),
            (tmx_with(fr, "la délégation \u{FFFF} arrive"), "U+FFFF"),
            (tmx_with("<tuv xml:lang=\"ar\" xml:lang=\"fr\">", "la délégation"), "duplicated attribute"),
            (tmx_with("<tuv xml:lang=\"fr\" x=\"&#12;\">", "la délégation"), "U+000C (form feed)"),
        ];
        for (x, what) in &cases {
            let err = Reader::new(x.as_bytes()).collect::<Result<Vec<_>, _>>().unwrap_err();
            assert!(err.to_string().contains(what), "{what}: {err}");
            let Error::At { offset, .. } = err else { panic!("{err}") };
            // Located on the line of the French <tuv>.
            assert_eq!(x[..offset as usize].matches('\n').count(), 3, "{what}: {err}");
        }
        // The allowed controls pass: tab, and line ends as references.
        let ok = tmx_with(fr, "un\tdeux&#10;trois&#13;");
        let units: Vec<TmxUnit> = Reader::new(ok.as_bytes()).collect::<Result<_, _>>().unwrap();
        assert_eq!(units[0].text(Lang::Fr), Some("un\tdeux\ntrois\r"));
    }

    #[test]
    fn validate_reports_forbidden_characters_and_duplicate_attributes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ctl.tmx");
        std::fs::write(&p, tmx_with("<tuv xml:lang=\"ar\" xml:lang=\"fr\">", "a &#7; b\u{B}c")).unwrap();
        let msgs: Vec<String> =
            validate(&p).unwrap().iter().map(|p| format!("{}:{} {}", p.line, p.column, p.message)).collect();
        assert!(
            msgs.iter().any(|m| m.starts_with("4:1 a duplicated attribute: xml:lang appears twice in <tuv>")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m
                    .starts_with("4:41 the character reference &#7; stands for U+0007 (bell), a character")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.starts_with("4:47 U+000B (vertical tab)")), "{msgs:?}");
    }

    #[test]
    fn writer_replaces_forbidden_characters_and_counts_them() {
        let u = unit(
            &[(Lang::Ar, "سطر\u{B}سطر"), (Lang::Fr, "page\u{C}suivante \u{7} \u{FFFE}")],
            &[(PROP_DOC, "doc\u{1}")],
        );
        let mut w = Writer::new(Vec::new(), Lang::Ar).unwrap();
        w.write_unit(&u).unwrap();
        assert_eq!(w.replaced(), 5);
        let bytes = w.finish().unwrap();
        let s = String::from_utf8(bytes.clone()).unwrap();
        assert!(s.chars().all(|c| !xml::is_forbidden(c)), "{s}");
        let back: Vec<TmxUnit> = Reader::new(&bytes[..]).collect::<Result<_, _>>().unwrap();
        assert_eq!(back[0].text(Lang::Ar), Some("سطر سطر"));
        assert_eq!(back[0].text(Lang::Fr), Some("page suivante \u{FFFD} \u{FFFD}"));
        assert_eq!(back[0].prop(PROP_DOC), Some("doc\u{FFFD}"));
    }

    #[test]
    fn line_col_counts_characters() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.txt");
        std::fs::write(&p, "ab\nسلام x").unwrap();
        let x_off = "ab\nسلام ".len() as u64;
        assert_eq!(line_col(&p, &[x_off, 0, 3]).unwrap(), vec![(2, 6), (1, 1), (2, 1)]);
    }
}
