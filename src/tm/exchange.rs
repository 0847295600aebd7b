//! Import and export of the memory as TMX 1.4b or TSV/CSV.
//!
//! # Mapping
//! A unit's provenance travels as TMX properties: `x-doc` (document), `x-origin`,
//! `x-confidence`, `x-segments-<lang>` (`3-5`), and the `<tu>` attributes `creationdate`,
//! `changedate`; any other property or `tuid` is kept verbatim (in order) and written back.
//! Export order is document name, then position in the document, so it is deterministic, and
//! because import restores every one of those fields, **export → import → export gives the
//! same bytes** (tested).
//!
//! # Documents and duplicates
//! Consecutive units with the same `x-doc` are written as one document (replacing that
//! document's units: re-importing never duplicates). Whole documents are grouped into
//! transactions of at least `commit_every` units — each SQLite commit rewrites every index page
//! it touched, so few large commits import much faster than one per small document — and a
//! kill or an error (a malformed unit, a truncated file) rolls back the transaction in progress:
//! documents are never half-written, and a broken file smaller than `commit_every` units
//! leaves the memory as it was. Units without `x-doc`
//! (foreign TMX, TSV) belong to the document `import:<file name>`, in which exact duplicates
//! (same texts in every language, by content hash) are stored once. If a document's units are
//! not contiguous in the file, its later runs are appended to the first one.
//!
//! # TSV and CSV
//! TSV is read literally, one row a line, quotes being ordinary characters; the exporter
//! escapes tabs, line breaks and backslashes inside a text (`\t`, `\n`, `\r`, `\\`) and the
//! importer undoes exactly those, so a TSV export imports back unchanged. CSV follows RFC 4180
//! and refuses an unbalanced quote with its line and column. See [`crate::formats::tsv`].
//! A row (or `<tu>`) with fewer than two languages is skipped, and the summary names the lines
//! of the first ones ([`ImportSummary::skipped_lines`]).
//!
//! # Characters XML 1.0 forbids
//! Both importers refuse them (see [`crate::xml`]), so imported units hold none. Units
//! stored another way (an article given to `batch`) may; the TMX export replaces them (vertical
//! tab and form feed by a space, others by U+FFFD) and [`ExportSummary::replaced_chars`]
//! counts them, so the caller can say so. TSV/CSV exports carry them as they are (the TSV/CSV
//! importers will then refuse the file and name the line).
//!
//! # Streaming
//! Units are read one at a time ([`crate::formats::tmx::Reader`], [`crate::formats::tsv`]) and
//! written as they come, so memory does not grow with the file.

use super::store::{DocSpec, DocWrite, TmStore};
use super::{Error, NewUnit, Origin, Result, Unit, UnitText};
use crate::formats::tmx::{self, TmxUnit};
use crate::formats::tsv;
use crate::lang::Lang;
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::str::FromStr;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Documents written.
    pub documents: u64,
    /// Units stored.
    pub units: u64,
    /// Exact duplicates skipped.
    pub duplicates: u64,
    /// Units skipped because they had fewer than two of qantara's languages (a blank text
    /// counts as no text).
    pub skipped: u64,
    /// 1-based lines of the first [`SKIPPED_LINES_KEPT`] skipped units (a TSV/CSV row's first
    /// line, a TMX `<tu>`'s start tag), so the user can find them.
    pub skipped_lines: Vec<u64>,
    /// Units of previous versions of the documents that were replaced.
    pub replaced: u64,
    /// `<tuv>`s in other languages, ignored.
    pub other_language_tuvs: u64,
    /// TMX: inline native codes (`<ph>`, `<bpt>`...) dropped from the texts.
    pub inline_codes: u64,
    /// TMX: `<tuv>`s left out as a second regional variant of a language in their unit.
    pub variants_dropped: u64,
    /// TMX: the first of those, `line 12: kept fr-FR, left out fr-CA`.
    pub variants: Vec<String>,
}

/// How many skipped units [`ImportSummary::skipped_lines`] lists.
pub const SKIPPED_LINES_KEPT: usize = 10;

impl ImportSummary {
    /// Where the skipped units are, for a message: `line 7`, `lines 3, 7, 9`, or
    /// `lines 3, 7, … (the first 10 of 25)`; empty when nothing was skipped.
    pub fn skipped_where(&self) -> String {
        let list: Vec<String> = self.skipped_lines.iter().map(u64::to_string).collect();
        match list.len() {
            0 => String::new(),
            1 if self.skipped == 1 => format!("line {}", list[0]),
            n if n as u64 == self.skipped => format!("lines {}", list.join(", ")),
            n => format!("lines {}, … (the first {n} of {})", list.join(", "), self.skipped),
        }
    }

    fn skip(&mut self, line: u64) {
        self.skipped += 1;
        if self.skipped_lines.len() < SKIPPED_LINES_KEPT {
            self.skipped_lines.push(line);
        }
    }

    fn add(&mut self, w: DocWrite) {
        self.documents += 1;
        self.units += w.units;
        self.duplicates += w.duplicates;
        self.replaced += w.replaced;
    }
}

/// File formats of the memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// TMX 1.4b.
    Tmx,
    /// Tab-separated values with a language header, one unit a line (tabs, line breaks and
    /// backslashes in a text escaped as \t, \n, \r, \\; no quoting).
    Tsv,
    /// Comma-separated values with a language header (RFC 4180 quoting).
    Csv,
}

impl Format {
    /// The format a file name implies (`.tmx`, `.csv`, anything else TSV).
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("tmx" | "xml") => Format::Tmx,
            Some("csv") => Format::Csv,
            _ => Format::Tsv,
        }
    }
}

/// The document name given to units of `path` that carry none.
pub fn default_doc(path: &Path) -> String {
    // The real file's name: a symlink imported under another name is the same document.
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!(
        "import:{}",
        resolved.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into())
    )
}

/// Converts a TMX unit; returns its document (if it names one) and the unit. A text that is
/// empty or only white space is left out (the unit lacks that language).
pub fn from_tmx(u: TmxUnit) -> (Option<String>, NewUnit) {
    let mut doc = None;
    let mut nu = NewUnit {
        texts: Vec::new(),
        confidence: None,
        origin: Origin::Imported,
        created: None,
        changed: None,
        extra: Vec::new(),
    };
    let mut segs: Vec<(Lang, std::ops::Range<usize>)> = Vec::new();
    for (k, v) in u.props {
        match k.as_str() {
            tmx::PROP_DOC if doc.is_none() => doc = Some(v),
            tmx::PROP_ORIGIN if Origin::from_str(&v).is_ok() => {
                nu.origin = Origin::from_str(&v).expect("checked")
            }
            tmx::PROP_CONFIDENCE if v.parse::<f64>().is_ok() && nu.confidence.is_none() => {
                nu.confidence = v.parse().ok();
            }
            tmx::ATTR_CREATIONDATE => nu.created = Some(v),
            tmx::ATTR_CHANGEDATE => nu.changed = Some(v),
            _ => {
                let seg = k
                    .strip_prefix(tmx::PROP_SEGMENTS_PREFIX)
                    .and_then(|l| Lang::from_str(l).ok())
                    .and_then(|l| super::store::parse_range(&v).map(|r| (l, r)));
                match seg {
                    Some(s) => segs.push(s),
                    None => nu.extra.push((k, v)),
                }
            }
        }
    }
    // A `<seg>` holding only white space translates nothing: the unit lacks that language.
    for (lang, text) in u.texts.into_iter().filter(|(_, t)| !t.trim().is_empty()) {
        let segments = segs.iter().find(|(l, _)| *l == lang).map(|(_, r)| r.clone());
        nu.texts.push(UnitText { lang, text, segments });
    }
    (doc, nu)
}

/// Converts a stored unit for TMX, keeping only `langs` (all when empty).
pub fn to_tmx(u: &Unit, langs: &[Lang]) -> TmxUnit {
    let keep = |l: Lang| langs.is_empty() || langs.contains(&l);
    let mut props = vec![
        (tmx::ATTR_CREATIONDATE.to_string(), u.created.clone()),
        (tmx::ATTR_CHANGEDATE.to_string(), u.changed.clone()),
        (tmx::PROP_DOC.to_string(), u.doc.clone()),
        (tmx::PROP_ORIGIN.to_string(), u.origin.to_string()),
    ];
    if let Some(c) = u.confidence {
        props.push((tmx::PROP_CONFIDENCE.to_string(), c.to_string()));
    }
    let texts: Vec<&UnitText> = ordered(u, langs).into_iter().filter(|t| keep(t.lang)).collect();
    for t in &texts {
        if let Some(r) = &t.segments {
            props
                .push((format!("{}{}", tmx::PROP_SEGMENTS_PREFIX, t.lang), format!("{}-{}", r.start, r.end)));
        }
    }
    props.extend(u.extra.iter().cloned());
    TmxUnit { texts: texts.iter().map(|t| (t.lang, t.text.clone())).collect(), props }
}

/// The unit's texts in the order of `langs` (or ar, fr, en).
fn ordered<'a>(u: &'a Unit, langs: &[Lang]) -> Vec<&'a UnitText> {
    let order: &[Lang] = if langs.is_empty() { &Lang::ALL } else { langs };
    order.iter().filter_map(|l| u.texts.iter().find(|t| t.lang == *l)).collect()
}

/// How to import a file.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Commit whole documents in groups of at least this many units (1: one transaction per
    /// document).
    pub commit_every: u64,
    /// Let the file replace stored documents of the same name that came from another source
    /// (by default that is an error, [`Error::OtherSource`]).
    pub replace_other_sources: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { commit_every: 50_000, replace_other_sources: false }
    }
}

struct DocWriter<'s> {
    store: &'s mut dyn TmStore,
    /// The imported file's canonical path: the source of every document it writes.
    source: String,
    take_over: bool,
    commit_every: u64,
    pending: u64,
    current: Option<String>,
    started: HashSet<String>,
    summary: ImportSummary,
}

impl<'s> DocWriter<'s> {
    fn new(store: &'s mut dyn TmStore, path: &Path, opts: &ImportOptions) -> Self {
        DocWriter {
            store,
            source: super::batch::canonical(path),
            take_over: opts.replace_other_sources,
            commit_every: opts.commit_every.max(1),
            pending: 0,
            current: None,
            started: HashSet::new(),
            summary: ImportSummary::default(),
        }
    }

    fn unit(&mut self, doc: &str, dedupe: bool, u: &NewUnit) -> Result<()> {
        if self.current.as_deref() != Some(doc) {
            self.end(false)?;
            let replace = self.started.insert(doc.to_string());
            self.store.begin_document(&DocSpec {
                name: doc,
                origin: u.origin,
                content_hash: None,
                dedupe,
                replace,
                source: Some(&self.source),
                take_over: self.take_over,
            })?;
            self.current = Some(doc.to_string());
        }
        self.store.add_unit(u)?;
        self.pending += 1;
        Ok(())
    }

    /// Ends the current document; commits when enough units are pending (or `force`).
    fn end(&mut self, force: bool) -> Result<()> {
        if self.current.take().is_some() {
            let w = self.store.end_document()?;
            self.summary.add(w);
        }
        if force || self.pending >= self.commit_every {
            self.store.commit()?;
            self.pending = 0;
        }
        Ok(())
    }

    /// Ends the import: commits what the reading loop wrote, or, when it failed, rolls back
    /// the transaction in progress so a broken file stores nothing of it (the whole file,
    /// unless it is larger than `commit_every` units).
    fn finish(&mut self, read: Result<()>) -> Result<()> {
        match read {
            Ok(()) => self.end(true),
            Err(e) => {
                let _ = self.store.abort_document();
                Err(e)
            }
        }
    }
}

/// Imports a TMX file; `progress(bytes read)` is called as the file is read.
pub fn import_tmx(
    store: &mut dyn TmStore,
    path: &Path,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportSummary> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    // A file that may hold more units than one transaction (a `<tu>` with two `<tuv>` takes
    // at least 64 bytes) is first read through without writing, so a file broken half-way
    // (truncated, not well-formed, an entity declaration) is refused before any group is
    // committed: a broken file never leaves part of itself in the memory. Smaller files need
    // no such pass: their single transaction is rolled back on error. The pass costs one parse
    // (a fraction of the indexing time) and memory bounded by the largest unit.
    // The same pass collects the documents' names, so a file with a document that would
    // replace a namesake from another source is refused before any group is committed too
    // (regression: with `--commit-every 1` the documents before it were stored).
    let len = std::fs::metadata(path).map_err(io)?.len();
    let fallback = default_doc(path);
    if len / 64 >= opts.commit_every.max(1) {
        let mut check = tmx::Reader::new(tmx::open(path).map_err(io)?);
        let mut names = HashSet::new();
        while let Some(u) = check.next_unit().map_err(|e| Error::Tmx(e.locate(path)))? {
            let (doc, nu) = from_tmx(u);
            if nu.texts.len() >= 2 {
                names.insert(doc.unwrap_or_else(|| fallback.clone()));
            }
        }
        if !opts.replace_other_sources {
            let source = super::batch::canonical(path);
            let mut names: Vec<String> = names.into_iter().collect();
            names.sort();
            for name in names {
                if let Some(stored) = store.document_source(&name)?.filter(|s| *s != source) {
                    return Err(Error::OtherSource { name, stored, new: source });
                }
            }
        }
    }
    let mut reader = tmx::Reader::new(tmx::open(path).map_err(io)?);
    let mut w = DocWriter::new(store, path, opts);
    let mut n = 0u64;
    // Byte offsets of the first skipped units, turned into lines at the end (one more pass
    // over the start of the file, only when something was skipped).
    let mut skipped_at: Vec<u64> = Vec::new();
    let result = (|| -> Result<()> {
        loop {
            let unit = match reader.next_unit() {
                Ok(Some(u)) => u,
                Ok(None) => break,
                Err(e) => return Err(Error::Tmx(e.locate(path))),
            };
            let (doc, nu) = from_tmx(unit);
            if nu.texts.len() < 2 {
                w.summary.skipped += 1;
                if skipped_at.len() < SKIPPED_LINES_KEPT {
                    skipped_at.push(reader.unit_offset());
                }
                continue;
            }
            let dedupe = doc.is_none();
            w.unit(doc.as_deref().unwrap_or(&fallback), dedupe, &nu)?;
            n += 1;
            if n % 1024 == 0 {
                progress(reader.position());
            }
        }
        Ok(())
    })();
    w.finish(result)?;
    progress(reader.position());
    w.summary.other_language_tuvs = reader.skipped_tuvs;
    w.summary.inline_codes = reader.inline_codes;
    w.summary.variants_dropped = reader.variants_dropped;
    if !reader.variants.is_empty() {
        let offsets: Vec<u64> = reader.variants.iter().map(|v| v.unit_offset).collect();
        let lines = line_numbers(tmx::open(path).map_err(io)?, &offsets).map_err(io)?;
        w.summary.variants = reader
            .variants
            .iter()
            .zip(lines)
            .map(|(v, l)| format!("line {l}: kept {}, left out {}", v.kept, v.dropped))
            .collect();
    }
    if !skipped_at.is_empty() {
        w.summary.skipped_lines = line_numbers(tmx::open(path).map_err(io)?, &skipped_at).map_err(io)?;
    }
    Ok(w.summary)
}

/// 1-based line of each of the ascending byte `offsets` in `input` (counted in the decoded
/// stream [`tmx::open`] gives, so UTF-16 files are numbered right too).
fn line_numbers(mut input: impl std::io::BufRead, offsets: &[u64]) -> std::io::Result<Vec<u64>> {
    let (mut pos, mut line) = (0u64, 1u64);
    let mut out = Vec::with_capacity(offsets.len());
    for &target in offsets {
        while pos < target {
            let buf = input.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min((target - pos) as usize);
            line += buf[..take].iter().filter(|&&b| b == b'\n').count() as u64;
            input.consume(take);
            pos += take as u64;
        }
        out.push(line);
    }
    Ok(out)
}

/// Imports a TSV (or, with `delimiter = b','`, CSV) file with a language header.
pub fn import_tsv(
    store: &mut dyn TmStore,
    path: &Path,
    delimiter: u8,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportSummary> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let mut file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path).map_err(io)?);
    let head = std::io::BufRead::fill_buf(&mut file).map_err(io)?;
    // UTF-8 streams row by row (a binary file fails at its first row as invalid UTF-8); UTF-16
    // (rare for TSV) is decoded whole by `input`.
    let mut delimiter = delimiter;
    let input: Box<dyn std::io::Read> = if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF])
    {
        let text = crate::input::read_text(path)?;
        if delimiter == b',' {
            delimiter = tsv::csv_delimiter(text.as_bytes());
        }
        Box::new(std::io::Cursor::new(text.into_bytes()))
    } else {
        if delimiter == b',' {
            delimiter = tsv::csv_delimiter(head);
        }
        if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            std::io::BufRead::consume(&mut file, 3);
        }
        Box::new(file)
    };
    let mut reader = tsv::Reader::new(input, delimiter)
        .map_err(|tsv::Error::Row { row, msg }| Error::Tsv { path: path.to_path_buf(), row, msg })?;
    let doc = default_doc(path);
    let mut w = DocWriter::new(store, path, opts);
    let now = super::now_stamp();
    let result = (|| -> Result<()> {
        let mut n = 0u64;
        while let Some((line, texts)) = reader
            .next_row()
            .map_err(|tsv::Error::Row { row, msg }| Error::Tsv { path: path.to_path_buf(), row, msg })?
        {
            if texts.len() < 2 {
                w.summary.skip(line);
                continue;
            }
            let nu = NewUnit {
                texts: texts
                    .into_iter()
                    .map(|(lang, text)| UnitText { lang, text, segments: None })
                    .collect(),
                confidence: reader.confidence(),
                origin: Origin::Imported,
                created: Some(now.clone()),
                changed: None,
                extra: Vec::new(),
            };
            w.unit(&doc, true, &nu)?;
            n += 1;
            if n % 1024 == 0 {
                progress(reader.byte_offset());
            }
        }
        Ok(())
    })();
    w.finish(result)?;
    progress(reader.byte_offset());
    Ok(w.summary)
}

/// Imports a file in the format its extension names. Whole documents are committed together
/// once `commit_every` units are pending (1 = one transaction per document); a kill loses the
/// documents of the transaction in progress, never part of a document.
pub fn import(
    store: &mut dyn TmStore,
    path: &Path,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportSummary> {
    match Format::from_path(path) {
        Format::Tmx => import_tmx(store, path, opts, progress),
        Format::Csv => import_tsv(store, path, b',', opts, progress),
        Format::Tsv => import_tsv(store, path, b'\t', opts, progress),
    }
}

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    /// Units written.
    pub units: u64,
    /// Characters XML 1.0 forbids that the TMX writer replaced (vertical tab and form feed by
    /// a space, others by U+FFFD; see [`crate::xml`]). The importers refuse such
    /// characters, but texts stored another way (an article given to `batch`) may hold them.
    /// Always 0 for TSV/CSV, which carry every character.
    pub replaced_chars: u64,
    /// TMX only: the units left out for lacking one of the exported languages, per set of
    /// languages they hold (`ar-fr`: 12), and the languages exported; see [`export`].
    pub left_out: std::collections::BTreeMap<String, u64>,
    /// The languages written.
    pub langs: Vec<Lang>,
}

impl ExportSummary {
    /// A note for the user when characters were replaced, `None` otherwise.
    pub fn note(&self) -> Option<String> {
        (self.replaced_chars > 0).then(|| crate::xml::replaced_note(self.replaced_chars))
    }

    /// A note for the user when units were left out for lacking a language.
    pub fn left_out_note(&self) -> Option<String> {
        if self.left_out.is_empty() {
            return None;
        }
        let n: u64 = self.left_out.values().sum();
        let per: Vec<String> = self.left_out.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let all: Vec<&str> = self.langs.iter().map(|l| l.code()).collect();
        Some(format!(
            "note: left out {n} unit(s) that lack one of {} ({}): a CAT tool would take another \
             language's text as the missing one; export a pair (e.g. --langs ar,fr) to get them, \
             or --every-unit for a complete copy of the memory",
            all.join(", "),
            per.join(", ")
        ))
    }
}

/// The languages the memory holds texts in, in ar, fr, en order.
fn stored_langs(store: &dyn TmStore) -> Result<Vec<Lang>> {
    let texts = store.stats()?.texts;
    Ok(Lang::ALL.into_iter().filter(|l| texts.get(l.code()).is_some_and(|n| *n > 0)).collect())
}

/// Exports the memory.
///
/// TSV and CSV: with `langs`, only those columns, and units with fewer than two of them are
/// left out; without, every unit in the columns ar, fr, en.
///
/// TMX, the file CAT tools read: every unit written holds a text in **every** exported
/// language — `langs` when given, else the languages the memory holds — and `srclang` is
/// the first of them. A TMX unit that lacks the project's target language is not skipped by
/// OmegaT or translate-toolkit: they take another language's text of the unit as the
/// translation, so a French–English unit in an Arabic→French project would offer English as
/// French. Units lacking a language are left out and counted per language set
/// ([`ExportSummary::left_out`]); a pair export (`langs` = two languages) writes every unit
/// of that pair. `every_unit` writes every unit with all its languages and
/// `srclang="*all*"` instead: a complete copy of the memory, for qantara or a backup, not
/// for a CAT tool.
pub fn export(
    store: &dyn TmStore,
    format: Format,
    langs: &[Lang],
    every_unit: bool,
    out: &mut dyn Write,
) -> Result<ExportSummary> {
    export_doc(store, None, format, langs, every_unit, out)
}

/// [`export`] of one document only (`Some(name)`), or of the whole memory.
pub fn export_doc(
    store: &dyn TmStore,
    doc: Option<&str>,
    format: Format,
    langs: &[Lang],
    every_unit: bool,
    out: &mut dyn Write,
) -> Result<ExportSummary> {
    let doc_units = match doc {
        Some(name) => Some(
            store
                .document(name)?
                .ok_or_else(|| {
                    Error::Other(format!(
                        "no document {name:?} in {}; `qantara tm docs` lists them",
                        store.location()
                    ))
                })?
                .1,
        ),
        None => None,
    };
    let each = |f: &mut dyn FnMut(Unit) -> Result<()>| -> Result<()> {
        match &doc_units {
            Some(units) => units.iter().cloned().try_for_each(f),
            None => store.for_each_unit(f),
        }
    };
    let io = |source| Error::Io { path: "<output>".into(), source };
    let mut n = 0u64;
    let mut replaced_chars = 0u64;
    let mut left_out = std::collections::BTreeMap::new();
    let mut written = langs.to_vec();
    match format {
        Format::Tmx if every_unit => {
            let mut w = tmx::Writer::with_srclang(&mut *out, None).map_err(io)?;
            each(&mut |u| {
                n += 1;
                w.write_unit(&to_tmx(&u, &[])).map_err(io)
            })?;
            replaced_chars = w.replaced();
            w.finish().map_err(io)?;
            written = Lang::ALL.to_vec();
        }
        Format::Tmx => {
            if written.is_empty() {
                written = match &doc_units {
                    Some(units) => Lang::ALL
                        .into_iter()
                        .filter(|l| units.iter().any(|u| u.texts.iter().any(|t| t.lang == *l)))
                        .collect(),
                    None => stored_langs(store)?,
                };
            }
            let mut w = tmx::Writer::with_srclang(&mut *out, written.first().copied()).map_err(io)?;
            each(&mut |u| {
                let t = to_tmx(&u, &written);
                if t.texts.len() < written.len() {
                    if t.texts.len() >= 2 || langs.is_empty() {
                        let held: Vec<&str> = ordered(&u, &[]).iter().map(|t| t.lang.code()).collect();
                        *left_out.entry(held.join("-")).or_insert(0) += 1;
                    }
                    return Ok(());
                }
                n += 1;
                w.write_unit(&t).map_err(io)
            })?;
            replaced_chars = w.replaced();
            w.finish().map_err(io)?;
        }
        Format::Tsv | Format::Csv => {
            let cols: Vec<Lang> = if langs.is_empty() { Lang::ALL.to_vec() } else { langs.to_vec() };
            let delim = if format == Format::Csv { b',' } else { b'\t' };
            let mut w = tsv::Writer::new(&mut *out, &cols, delim).map_err(io)?;
            each(&mut |u| {
                let texts: Vec<(Lang, &str)> =
                    ordered(&u, &cols).into_iter().map(|t| (t.lang, t.text.as_str())).collect();
                if !langs.is_empty() && texts.len() < 2 {
                    return Ok(());
                }
                n += 1;
                w.write_row(&texts).map_err(io)
            })?;
            w.finish().map_err(io)?;
        }
    }
    Ok(ExportSummary { units: n, replaced_chars, left_out, langs: written })
}
