//! Batch alignment of article sets into the memory.
//!
//! # Input
//! Either a folder holding one sub-folder per article, each with `ar.txt`, `fr.txt`, `en.txt`
//! (any two or more of the requested languages), or a CSV manifest `id,ar,fr,en` (a header
//! naming the columns; paths relative to the manifest's folder; empty cells for missing
//! versions) — given directly or as `manifest.csv` inside the folder.
//!
//! # Work
//! Articles are read, segmented ([`crate::segment::segment`]) and aligned
//! ([`crate::align::align`]) in parallel with rayon (the outer loop only); the SQLite writer is
//! single, so results are stored one document per transaction by the calling thread, in
//! article-id order, so runs are deterministic. Every bead covering at least two languages
//! becomes a unit (its segments joined by a space, segment indices and confidence kept as
//! provenance). A failing article (unreadable file, fewer than two versions, a per-article
//! output that cannot be written, a namesake from another source) is reported and skipped; the
//! others are stored, the summary counts it and the command exits non-zero. Only a failure of
//! the memory itself (disk full, database error) stops the run; the articles committed before
//! it stay.
//!
//! # Last line of defence
//! A panic is a bug, never the normal path: every known panic is fixed at its root. Still, one
//! article that trips an unknown bug must not sink a batch of hundreds, so each article's work
//! (reading and aligning it, then writing its output and storing it) runs inside
//! [`last_line_of_defence`], the crate's only `catch_unwind`. It turns a panic into that
//! article's failure, with a message saying it is a bug to report; a panic while storing rolls
//! the article's transaction back, so nothing half-written stays. Debug builds can inject such a
//! panic (`QANTARA_DEBUG_PANIC=align:ID` or `store:ID`, comma-separated) to test this path;
//! release builds do not read the variable.
//!
//! # Idempotence
//! Each document records the SHA-256 content id ([`super::content_id`]) of its inputs
//! (language, file bytes) and of the qantara version; an article whose id is unchanged is not
//! rewritten at all (a 64-bit hash did collide: an edited article was kept as "unchanged"), so running the same
//! batch twice changes nothing the second time. A changed article replaces its old units.
//!
//! # Names
//! The article id (folder name or manifest id) names the document, and the document records
//! its source (the folder's canonical path, or the manifest's plus `#id`). An article whose id
//! is already stored from another source (`june/article1` after `july/article1`) fails with
//! [`Error::OtherSource`] instead of silently replacing it, unless the run allows it
//! ([`BatchOptions::replace_other_sources`]); a manifest that repeats an id is refused.

use super::store::{DocSpec, TmStore};
use super::{Error, NewUnit, Origin, Result};
use crate::align::{AlignOptions, Side};
use crate::lang::Lang;
use crate::segment;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One article: its id and the file of each version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The id (folder name or manifest id), used as the document name.
    pub id: String,
    /// Where it comes from: the article folder's canonical path, or the manifest's with
    /// `#id`. A stored document of the same id from another source is not replaced.
    pub source: String,
    /// `(language, path)` of each version found.
    pub files: Vec<(Lang, PathBuf)>,
    /// Why the folder cannot be read as an article (two files for one version, `fr.txt` and
    /// `FR.txt`); it then fails without being read.
    pub problem: Option<String>,
}

/// An aligned article ready to store.
#[derive(Debug, Clone)]
pub struct AlignedArticle {
    /// The article id.
    pub id: String,
    /// Hash of the inputs.
    pub hash: String,
    /// The units (beads with two languages or more).
    pub units: Vec<NewUnit>,
    /// What review needs: texts, every bead, the pins replayed.
    pub review: super::pins::Review,
    /// All beads, including one-sided ones.
    pub beads: usize,
    /// Beads whose confidence is below the threshold.
    pub low_confidence: usize,
    /// What the user should know (an empty version left out).
    pub notes: Vec<String>,
}

/// Summary of a batch run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Articles found.
    pub articles: usize,
    /// Articles written to the memory.
    pub stored: usize,
    /// Articles already in the memory with the same inputs.
    pub unchanged: usize,
    /// Beads of the aligned articles.
    pub beads: usize,
    /// Units of the aligned articles.
    pub units: usize,
    /// Beads below the confidence threshold.
    pub low_confidence: usize,
    /// Stored or unchanged articles with beads below the confidence threshold, in article
    /// order; in JSON `[{"article": id, "beads_to_review": 3, "beads": 45}]`.
    #[serde(serialize_with = "review_notes")]
    pub to_review: Vec<(String, usize, usize)>,
    /// Failed articles and why; in JSON `[{"article": id, "reason": …}]`.
    #[serde(serialize_with = "article_notes")]
    pub failures: Vec<(String, String)>,
    /// Stored articles with something to know (an empty version left out); in JSON
    /// `[{"article": id, "reason": …}]`.
    #[serde(serialize_with = "article_notes")]
    pub warnings: Vec<(String, String)>,
    /// Corrections (pins) that no longer apply to an article's changed text:
    /// `[{"article": id, "pin": …, "kind": …, "text": …, "reason": …}]`.
    #[serde(serialize_with = "stale_notes")]
    pub stale_pins: Vec<(String, super::pins::StalePin)>,
}

fn stale_notes<S: serde::Serializer>(
    pins: &[(String, super::pins::StalePin)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Note<'a> {
        article: &'a str,
        #[serde(flatten)]
        pin: &'a super::pins::StalePin,
    }
    s.collect_seq(pins.iter().map(|(article, pin)| Note { article, pin }))
}

/// `(article, reason)` pairs as JSON objects, so a pipeline reads them by name.
fn article_notes<S: serde::Serializer>(
    notes: &[(String, String)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Note<'a> {
        article: &'a str,
        reason: &'a str,
    }
    s.collect_seq(notes.iter().map(|(article, reason)| Note { article, reason }))
}

/// `(article, beads to review, beads)` as JSON objects.
fn review_notes<S: serde::Serializer>(
    notes: &[(String, usize, usize)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Note<'a> {
        article: &'a str,
        beads_to_review: usize,
        beads: usize,
    }
    s.collect_seq(notes.iter().map(|(article, r, b)| Note { article, beads_to_review: *r, beads: *b }))
}

/// Finds the articles of `dir` (folders or manifest) in the requested languages.
pub fn discover(dir: &Path, langs: &[Lang]) -> Result<Vec<Article>> {
    let manifest = if dir.is_file() {
        Some(dir.to_path_buf())
    } else if dir.join("manifest.csv").is_file() {
        Some(dir.join("manifest.csv"))
    } else {
        None
    };
    if let Some(m) = manifest {
        return read_manifest(&m, langs);
    }
    if !dir.exists() {
        return Err(Error::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such folder; give a folder with one sub-folder per article (ar.txt, fr.txt, en.txt) or a CSV manifest id,ar,fr,en",
            ),
        });
    }
    let rd = std::fs::read_dir(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    let mut out = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
        let p = entry.path();
        // Hidden folders (.git, .svn, editors' caches) are not articles.
        if !p.is_dir() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        // The real folder's name: a symlink to an article under another name is the same
        // article (same source), not a second document.
        let source = canonical(&p);
        let id = Path::new(&source).file_name().map_or_else(
            || entry.file_name().to_string_lossy().into_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        let (files, problem) = match version_files(&p, langs) {
            Ok(files) => (files, None),
            Err(problem) => (Vec::new(), Some(problem)),
        };
        out.push(Article { id, source, files, problem });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

fn read_manifest(path: &Path, langs: &[Lang]) -> Result<Vec<Article>> {
    let base = path.parent().unwrap_or(Path::new("."));
    let tsv_err = |row: u64, msg: String| Error::Tsv { path: path.to_path_buf(), row, msg };
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| tsv_err(0, format!("cannot read the manifest: {e}")))?;
    let headers = r.headers().map_err(|e| tsv_err(1, e.to_string()))?.clone();
    let id_col = headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case("id"))
        .ok_or_else(|| tsv_err(1, "the manifest header needs an 'id' column (id,ar,fr,en)".into()))?;
    let cols: Vec<(usize, Lang)> = headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Lang::from_str(h).ok().filter(|l| langs.contains(l)).map(|l| (i, l)))
        .collect();
    let mut out = Vec::new();
    let mut rows_by_id = std::collections::HashMap::new();
    let manifest = canonical(path);
    for (row, rec) in r.records().enumerate() {
        let line = row as u64 + 2;
        let rec = rec.map_err(|e| tsv_err(line, e.to_string()))?;
        let id = rec.get(id_col).unwrap_or("").trim().to_string();
        if id.is_empty() {
            return Err(tsv_err(line, "empty id".into()));
        }
        if let Some(first) = rows_by_id.insert(id.clone(), line) {
            return Err(tsv_err(
                line,
                format!("id {id:?} is already used on row {first}; give each article its own id"),
            ));
        }
        let files = cols
            .iter()
            .filter_map(|&(i, l)| {
                rec.get(i).map(str::trim).filter(|p| !p.is_empty()).map(|p| (l, base.join(p)))
            })
            .collect();
        out.push(Article { source: format!("{manifest}#{id}"), id, files, problem: None });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The version files of an article folder: `<lang>.txt` for each language, matched without
/// regard to case (`FR.txt`, `En.TXT`), in the order of `langs`; an error when two files name
/// the same version (`fr.txt` and `FR.txt`), since picking one would be a guess.
fn version_files(dir: &Path, langs: &[Lang]) -> std::result::Result<Vec<(Lang, PathBuf)>, String> {
    let mut by_name: std::collections::HashMap<String, Vec<PathBuf>> = std::collections::HashMap::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_file() {
            by_name.entry(entry.file_name().to_string_lossy().to_lowercase()).or_default().push(entry.path());
        }
    }
    let mut files = Vec::new();
    for l in langs {
        match by_name.remove(&format!("{l}.txt")).as_deref() {
            None | Some([]) => {}
            Some([one]) => files.push((*l, one.clone())),
            Some(many) => {
                let mut names: Vec<String> = many
                    .iter()
                    .filter_map(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .collect();
                names.sort();
                return Err(format!("{} all name the {l} version; keep one", names.join(" and ")));
            }
        }
    }
    Ok(files)
}

/// The canonical form of `path` as text (the path as given when it cannot be resolved).
pub(crate) fn canonical(path: &Path) -> String {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// Reads, segments and aligns one article.
pub fn align_article(
    article: &Article,
    low: f64,
    encoding: Option<&'static crate::input::Encoding>,
    pins: &[super::pins::Pin],
) -> std::result::Result<AlignedArticle, String> {
    if let Some(problem) = &article.problem {
        return Err(problem.clone());
    }
    if article.files.is_empty() {
        return Err("no ar.txt, fr.txt or en.txt in this folder (each article is a folder of \
                    <lang>.txt files directly inside the batch folder)"
            .into());
    }
    let mut texts = Vec::new();
    let mut notes = Vec::new();
    let mut hash_parts: Vec<Vec<u8>> = vec![env!("CARGO_PKG_VERSION").as_bytes().to_vec()];
    for (lang, path) in &article.files {
        let t = crate::input::read_article(path, encoding).map_err(|e| e.to_string())?;
        crate::input::check_script(path, &t, *lang, encoding).map_err(|e| e.to_string())?;
        hash_parts.push(lang.code().as_bytes().to_vec());
        hash_parts.push(t.as_bytes().to_vec());
        if t.trim().is_empty() {
            notes.push(format!("{} is empty: stored without {lang}", path.display()));
        } else {
            texts.push((*lang, t));
        }
    }
    let (langs, views): (Vec<Lang>, Vec<&str>) = texts.iter().map(|(l, t)| (*l, t.as_str())).unzip();
    if let Some(found) = crate::lang::reordering(&views, &langs) {
        let names: Vec<String> =
            langs.iter().zip(&found).map(|(l, f)| format!("{l}.txt looks like {f}")).collect();
        return Err(format!(
            "{}: the versions are in each other's files; rename them (nothing stored, so French is never tagged as Arabic)",
            names.join(", ")
        ));
    }
    if texts.len() < 2 {
        let have: Vec<String> = texts.iter().map(|(l, _)| l.to_string()).collect();
        let empty = if notes.is_empty() { String::new() } else { format!("; {}", notes.join("; ")) };
        return Err(format!(
            "needs two versions or more, found {} ({}){empty}; add the missing <lang>.txt",
            texts.len(),
            if have.is_empty() { "none".into() } else { have.join(", ") }
        ));
    }
    debug_fault("align", &article.id);
    let parts: Vec<&[u8]> = hash_parts.iter().map(Vec::as_slice).collect();
    let hash = super::content_id(&parts);
    let sides: Vec<Side<'_>> =
        texts.iter().map(|(lang, t)| Side { lang: *lang, segments: segment::segment(t, *lang) }).collect();
    // Corrections stored for this document are replayed as hard constraints.
    let (beads, stale) = super::review::align_with_pins(&sides, pins, &AlignOptions::default());
    let low_confidence = beads.iter().filter(|b| b.pin.is_none() && b.confidence < low).count();
    let review = super::pins::Review {
        sides: texts.iter().map(|(lang, t)| super::pins::SideText { lang: *lang, text: t.clone() }).collect(),
        beads,
        pins: pins.to_vec(),
        stale,
    };
    let units: Vec<NewUnit> = super::review::units(&review);
    Ok(AlignedArticle {
        id: article.id.clone(),
        hash,
        units,
        beads: review.beads.len(),
        low_confidence,
        notes,
        review,
    })
}

/// Options of a batch run.
pub struct BatchOptions<'a> {
    /// Beads below this confidence are counted as low-confidence.
    pub low: f64,
    /// Parallel jobs (`None`: one per core).
    pub jobs: Option<usize>,
    /// Encoding of article files without a byte-order mark (`None`: UTF-8).
    pub encoding: Option<&'static crate::input::Encoding>,
    /// Let an article replace a stored document of the same id from another source.
    pub replace_other_sources: bool,
    /// Called after each article is aligned (for a progress bar).
    pub on_progress: &'a (dyn Fn() + Sync),
    /// Called with each aligned article before it is stored (to write per-article files).
    pub on_aligned: &'a mut dyn FnMut(&AlignedArticle) -> Result<()>,
}

/// Runs one article's work, turning a panic into that article's failure: the per-article last
/// line of defence of a batch (see the module doc). It hides no known panic; the message says
/// the panic is a bug and asks for a report.
fn last_line_of_defence<T>(
    f: impl FnOnce() -> std::result::Result<T, String>,
) -> std::result::Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        Err(format!(
            "internal error ({what}): this is a bug in qantara, please report it with this article's files; \
             nothing of this article was stored, the other articles were"
        ))
    })
}

/// Debug builds only: panics when `QANTARA_DEBUG_PANIC` names `stage:id`, to test
/// [`last_line_of_defence`] through the real binary.
#[cfg(debug_assertions)]
fn debug_fault(stage: &str, id: &str) {
    if let Ok(v) = std::env::var("QANTARA_DEBUG_PANIC") {
        let want = format!("{stage}:{id}");
        if v.split(',').any(|s| s == want) {
            panic!("QANTARA_DEBUG_PANIC injected a fault in {want}");
        }
    }
}

#[cfg(not(debug_assertions))]
fn debug_fault(_stage: &str, _id: &str) {}

/// What storing one article did.
enum Stored {
    /// Written to the memory.
    Written,
    /// Already there with the same inputs.
    Unchanged,
    /// Failed for a reason of its own (the run goes on).
    Failed(String),
}

/// Writes the per-article output of `aligned` and stores it; `Err` only when the memory itself
/// failed.
fn store_article(
    store: &mut dyn TmStore,
    article: &Article,
    aligned: &AlignedArticle,
    on_aligned: &mut dyn FnMut(&AlignedArticle) -> Result<()>,
    take_over: bool,
    review_kept: bool,
) -> Result<Stored> {
    // A per-article output that cannot be written fails that article, not the run.
    if let Err(e) = on_aligned(aligned) {
        return Ok(Stored::Failed(e.to_string()));
    }
    // Unchanged inputs, and the memory already keeps the alignment for review.
    if review_kept && store.document_hash(&aligned.id)?.as_deref() == Some(aligned.hash.as_str()) {
        return Ok(Stored::Unchanged);
    }
    let spec = DocSpec {
        name: &aligned.id,
        origin: Origin::Aligned,
        content_hash: Some(&aligned.hash),
        dedupe: false,
        replace: true,
        source: Some(&article.source),
        take_over,
    };
    match store.begin_document(&spec) {
        Ok(()) => {}
        Err(e @ Error::OtherSource { .. }) => return Ok(Stored::Failed(e.to_string())),
        Err(e) => return Err(e),
    }
    for (i, u) in aligned.units.iter().enumerate() {
        if i == 1 {
            debug_fault("store", &aligned.id);
        }
        if let Err(e) = store.add_unit(u) {
            let _ = store.abort_document();
            return Err(e);
        }
    }
    if let Err(e) = store.put_review(&aligned.review) {
        let _ = store.abort_document();
        return Err(e);
    }
    store.commit_document()?;
    Ok(Stored::Written)
}

/// Aligns `articles` in parallel and stores each in `store`.
pub fn run(store: &mut dyn TmStore, articles: &[Article], opts: BatchOptions<'_>) -> Result<Summary> {
    let low = opts.low;
    let progress = opts.on_progress;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::Other(format!("cannot start the worker threads: {e}")))?;
    // The stored corrections of each article, and whether the memory keeps its alignment.
    let mut stored = Vec::with_capacity(articles.len());
    for a in articles {
        stored.push(store.review(&a.id)?);
    }
    let results: Vec<std::result::Result<AlignedArticle, String>> = pool.install(|| {
        articles
            .par_iter()
            .zip(&stored)
            .map(|(a, r)| {
                let pins = r.as_ref().map_or(&[][..], |r| &r.pins[..]);
                let r = last_line_of_defence(|| align_article(a, low, opts.encoding, pins));
                progress();
                r
            })
            .collect()
    });
    let mut summary = Summary { articles: articles.len(), ..Summary::default() };
    for ((article, result), before) in articles.iter().zip(results).zip(&stored) {
        let aligned = match result {
            Ok(a) => a,
            Err(msg) => {
                summary.failures.push((article.id.clone(), msg));
                continue;
            }
        };
        let on_aligned = &mut *opts.on_aligned;
        let take_over = opts.replace_other_sources;
        let store_ref = &mut *store;
        let kept = before.is_some();
        let stored = last_line_of_defence(|| {
            Ok(store_article(store_ref, article, &aligned, on_aligned, take_over, kept))
        });
        match stored {
            Ok(Ok(Stored::Failed(msg))) => {
                summary.failures.push((article.id.clone(), msg));
                continue;
            }
            Ok(Ok(done)) => {
                if matches!(done, Stored::Written) {
                    summary.stored += 1;
                } else {
                    summary.unchanged += 1;
                }
            }
            Ok(Err(e)) => return Err(e),
            Err(msg) => {
                // The panic may have left the article's transaction open: roll it back.
                store.abort_document()?;
                summary.failures.push((article.id.clone(), msg));
                continue;
            }
        }
        summary.warnings.extend(aligned.notes.iter().map(|n| (article.id.clone(), n.clone())));
        if aligned.low_confidence > 0 {
            summary.to_review.push((article.id.clone(), aligned.low_confidence, aligned.beads));
        }
        summary.beads += aligned.beads;
        summary.units += aligned.units.len();
        summary.low_confidence += aligned.low_confidence;
        summary.stale_pins.extend(aligned.review.stale.iter().map(|p| (article.id.clone(), p.clone())));
    }
    Ok(summary)
}
