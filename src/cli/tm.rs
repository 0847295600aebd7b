//! `qantara tm import|export|validate|stats|docs|show|delete|edit`.

use crate::formats::tmx;
use crate::lang::Lang;
use crate::tm::exchange::{self, Format};
use crate::tm::pg::PgStore;
use crate::tm::review::{self, DocView, Edit};
use crate::tm::store::{SqliteStore, TmStore};
use anyhow::Context;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The `--tm` option shared by every command that uses the translation memory.
#[derive(Debug, Clone, clap::Args)]
pub struct TmArg {
    /// The translation memory: an SQLite file (created on first use) or a PostgreSQL server,
    /// postgres://USER@HOST[:PORT]/DATABASE (the schema is created on first use). Default:
    /// $QANTARA_TM, else $XDG_DATA_HOME/qantara/tm.sqlite, else ~/.local/share/qantara/tm.sqlite.
    #[arg(long = "tm", value_name = "PATH|URL")]
    pub tm: Option<PathBuf>,
}

impl TmArg {
    /// The path (or URL) in effect.
    pub fn path(&self) -> PathBuf {
        self.tm.clone().unwrap_or_else(crate::tm::default_path)
    }

    /// The files of an SQLite memory (the database, its WAL and shared-memory files), which
    /// no output may overwrite; none for a server.
    pub fn files(&self) -> Vec<PathBuf> {
        if self.url().is_some() {
            return Vec::new();
        }
        let p = self.path();
        let with = |suffix: &str| {
            let mut s = p.clone().into_os_string();
            s.push(suffix);
            PathBuf::from(s)
        };
        vec![with("-wal"), with("-shm"), p.clone()]
    }

    /// The PostgreSQL URL in effect, if the memory is on a server.
    fn url(&self) -> Option<String> {
        let p = self.path();
        p.to_str().filter(|s| crate::tm::pg::is_url(s)).map(str::to_string)
    }

    /// The memory's name for messages (a URL's password redacted).
    pub fn display(&self) -> String {
        match self.url() {
            Some(u) => crate::tm::pg::redact(&u),
            None => self.path().display().to_string(),
        }
    }

    /// Opens the memory.
    pub fn open(&self) -> anyhow::Result<Box<dyn TmStore + Send>> {
        let store: Box<dyn TmStore + Send> = match self.url() {
            Some(u) => Box::new(PgStore::open(&u)?),
            None => Box::new(
                SqliteStore::open(&self.path())
                    .with_context(|| format!("opening the translation memory {}", self.display()))?,
            ),
        };
        Ok(store)
    }

    /// Opens a memory that must already exist (commands that only read it: a mistyped path
    /// must not create a file and a folder, and then describe an empty memory).
    pub fn open_existing(&self) -> anyhow::Result<Box<dyn TmStore + Send>> {
        let exists = match self.url() {
            Some(u) => PgStore::exists(&u)?,
            None => self.path().exists(),
        };
        if !exists {
            anyhow::bail!(
                "{}: no translation memory there; check the path, or store articles first with \
                 `qantara batch DIR` or `qantara tm import FILE`",
                self.display()
            );
        }
        self.open()
    }

    /// Opens the memory to search it; says on stderr when it is empty, since "no match" alone
    /// would hide that the memory (often a fresh default one) has nothing to search.
    pub fn open_to_search(&self) -> anyhow::Result<Box<dyn TmStore + Send>> {
        let store = self.open()?;
        if store.is_empty()? {
            eprintln!(
                "qantara: note: the translation memory {} is empty; store articles first with \
                 `qantara batch DIR` or `qantara tm import FILE` (or name another memory with --tm)",
                self.display()
            );
        }
        Ok(store)
    }
}

/// A progress bar on stderr, hidden when stderr is not a terminal.
pub(crate) fn progress_bar(len: u64, template: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::with_draw_target(Some(len), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        pb.set_style(style);
    }
    pb
}

/// Subcommands of `qantara tm`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Import a TMX 1.4b, TSV or CSV file (by extension) into the memory.
    Import {
        /// The file (.tmx, .tsv, .csv; TSV/CSV need a header naming the languages). TSV is
        /// read literally, one row a line (quotes are text; \t \n \r \\ are a tab, line
        /// breaks and a backslash, as `tm export --format tsv` writes them); CSV is RFC 4180.
        file: PathBuf,
        #[command(flatten)]
        tm: TmArg,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Commit whole documents in groups of at least this many units (1: one transaction
        /// per document). A kill loses only the group in progress, never part of a document.
        #[arg(long, default_value_t = 50_000, value_name = "UNITS")]
        commit_every: u64,
        /// Let the file replace stored documents of the same name that came from another file
        /// or folder (by default that is refused, so two files both named memory.tmx never
        /// overwrite each other).
        #[arg(long)]
        replace_other_sources: bool,
    },
    /// Export the memory (deterministic order: document, then position).
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value = "tmx")]
        format: Format,
        /// Only these languages (comma-separated). TMX: only units holding every one of them
        /// (default: the languages of the memory), so a CAT tool never takes one language
        /// for another; give two (--langs ar,fr) for every unit of a pair, the file to give
        /// OmegaT. TSV/CSV: units with fewer than two are left out.
        #[arg(long, value_delimiter = ',')]
        langs: Vec<Lang>,
        /// TMX: write every unit with all its languages (srclang="*all*"), also units
        /// lacking a language: a complete copy of the memory for qantara or a backup, not a
        /// file for CAT tools.
        #[arg(long, conflicts_with = "langs")]
        every_unit: bool,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Only this document (a name `qantara tm docs` lists).
        #[arg(long, value_name = "DOC")]
        doc: Option<String>,
        #[command(flatten)]
        tm: TmArg,
    },
    /// List the documents: name, source, languages, units, beads to review, pins, last stored.
    Docs {
        #[command(flatten)]
        tm: TmArg,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
        /// Beads below this confidence count as to review.
        #[arg(long, default_value_t = crate::align::confidence::REVIEW_BELOW, value_name = "P")]
        review_below: f64,
    },
    /// Show one document's beads: index, confidence, pin, segment indices and text per language.
    Show {
        /// The document (a name `qantara tm docs` lists).
        doc: String,
        #[command(flatten)]
        tm: TmArg,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete one document, its units, alignment and corrections.
    Delete {
        /// The document.
        doc: String,
        #[command(flatten)]
        tm: TmArg,
    },
    /// Correct one document's alignment; the correction is stored as a pin that later
    /// re-alignments (`qantara batch`) keep. Prints the document's beads after it (like `show`).
    ///
    /// EDIT is one of: `merge FIRST LAST`, `split BEAD LANG BYTE` (BYTE: offset in that
    /// version's text, at a sentence boundary inside the bead or inside its one sentence),
    /// `up LANG SEGMENT`, `down LANG SEGMENT` (move a segment into the bead above/below),
    /// `alone LANG SEGMENT` (one-sided), `confirm BEAD`, `confirm-above BEAD`, `undo`.
    Edit {
        /// The document.
        doc: String,
        /// The edit and its arguments (see above).
        #[arg(required = true, num_args = 1..)]
        edit: Vec<String>,
        #[command(flatten)]
        tm: TmArg,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a TMX file against TMX 1.4b; lists every problem with line and column.
    Validate {
        /// The TMX file.
        file: PathBuf,
        /// Print the problems as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Units per language pair, documents and sizes.
    Stats {
        #[command(flatten)]
        tm: TmArg,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `qantara tm …`.
pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Import { file, tm, json, commit_every, replace_other_sources } => {
            import(&file, &tm, json, &exchange::ImportOptions { commit_every, replace_other_sources })
        }
        Command::Docs { tm, json, review_below } => docs(&tm, json, review_below),
        Command::Show { doc, tm, json } => {
            let store = tm.open_existing()?;
            let view = review::show(&*store, &doc)?;
            print_view(&view, json)
        }
        Command::Delete { doc, tm } => {
            let mut store = tm.open_existing()?;
            match store.delete_document(&doc)? {
                Some(n) => {
                    eprintln!("deleted document {doc:?} ({n} units) from {}", tm.display());
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    anyhow::bail!("no document {doc:?} in {}; `qantara tm docs` lists them", tm.display())
                }
            }
        }
        Command::Edit { doc, edit, tm, json } => {
            let edit = parse_edit(&edit)?;
            let mut store = tm.open_existing()?;
            let applied = review::apply(&mut *store, &doc, &edit)?;
            for p in &applied.stale {
                eprintln!(
                    "qantara: document {doc}: correction {} ({:?} {:?}) no longer applies: {}",
                    p.pin, p.kind, p.text, p.reason
                );
            }
            let view = review::show(&*store, &doc)?;
            print_view(&view, json)
        }
        Command::Export { format, langs, every_unit, output, doc, tm } => {
            let mut distinct = langs.clone();
            distinct.sort();
            distinct.dedup();
            if distinct.len() == 1 {
                anyhow::bail!(
                    "--langs {} names one language, and a unit needs two to translate anything; \
                     name two or more (e.g. --langs ar,{}) or leave --langs out for all",
                    distinct[0],
                    if distinct[0] == Lang::Ar { Lang::Fr } else { distinct[0] }
                );
            }
            let files = tm.files();
            let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
            let mut out = super::output(output.as_deref(), &inputs)?;
            let store = tm.open_existing()?;
            let summary =
                exchange::export_doc(&*store, doc.as_deref(), format, &langs, every_unit, &mut out)?;
            out.finish()?;
            for note in summary.note().into_iter().chain(summary.left_out_note()) {
                eprintln!("qantara: {note}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { file, json } => validate(&file, json),
        Command::Stats { tm, json } => {
            let s = tm.open_existing()?.stats()?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &s)?;
                writeln!(out)?;
            } else {
                writeln!(out, "memory     {}", s.path)?;
                writeln!(out, "documents  {}", s.documents)?;
                writeln!(out, "units      {}", s.units)?;
                for (pair, n) in &s.pairs {
                    writeln!(out, "  {pair:<8} {n}")?;
                }
                for (l, n) in &s.texts {
                    writeln!(out, "texts {l}   {n}")?;
                }
                for (o, n) in &s.origins {
                    writeln!(out, "origin {o:<9} {n}")?;
                }
                writeln!(
                    out,
                    "index      {} keys, {} postings, {} bytes",
                    s.terms, s.postings, s.index_bytes
                )?;
                writeln!(out, "file       {} bytes", s.file_bytes)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn import(file: &Path, tm: &TmArg, json: bool, opts: &exchange::ImportOptions) -> anyhow::Result<ExitCode> {
    let len = std::fs::metadata(file).with_context(|| format!("{}: cannot read", file.display()))?.len();
    let mut store = tm.open()?;
    store.bulk_mode()?;
    let pb = progress_bar(len, "{spinner} importing [{bar:40}] {bytes}/{total_bytes} {elapsed}");
    let summary = exchange::import(&mut *store, file, opts, &mut |pos| pb.set_position(pos))
        .with_context(|| format!("importing {} into {}", file.display(), tm.display()));
    pb.finish_and_clear();
    let summary = summary?;
    let skipped_where =
        if summary.skipped > 0 { format!(" ({})", summary.skipped_where()) } else { String::new() };
    if summary.units == 0 && summary.duplicates == 0 {
        anyhow::bail!(
            "{}: no unit imported: {} unit(s) had fewer than two of ar, fr, en{skipped_where}; ignored {} <tuv> in other languages",
            file.display(),
            summary.skipped,
            summary.other_language_tuvs
        );
    }
    if json {
        outln!("{}", serde_json::to_string(&summary)?)?;
    } else {
        eprintln!(
            "imported {} units in {} documents ({} duplicates skipped, {} units with fewer than two languages skipped{skipped_where}, {} replaced)",
            summary.units, summary.documents, summary.duplicates, summary.skipped, summary.replaced
        );
        if summary.other_language_tuvs > 0 {
            eprintln!("ignored {} <tuv> in languages other than ar, fr, en", summary.other_language_tuvs);
        }
        if summary.inline_codes > 0 {
            eprintln!(
                "dropped {} inline code(s) (<ph>, <bpt>, <ept>, <it>, <ut>) from the texts; their text is kept",
                summary.inline_codes
            );
        }
        if summary.variants_dropped > 0 {
            let more = summary.variants_dropped - summary.variants.len() as u64;
            eprintln!(
                "{} <tuv> repeated a language of their unit (another regional variant); the first one is kept:",
                summary.variants_dropped
            );
            for v in &summary.variants {
                eprintln!("  {v}");
            }
            if more > 0 {
                eprintln!("  … and {more} more");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(file: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let problems = tmx::validate(file).with_context(|| format!("{}: cannot read", file.display()))?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &problems)?;
        writeln!(out)?;
    } else {
        for p in &problems {
            writeln!(out, "{}:{}:{}: {}", file.display(), p.line, p.column, p.message)?;
        }
        if problems.is_empty() {
            eprintln!("{}: valid TMX 1.4b", file.display());
        } else {
            eprintln!("{}: {} problem(s)", file.display(), problems.len());
        }
    }
    Ok(if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn docs(tm: &TmArg, json: bool, review_below: f64) -> anyhow::Result<ExitCode> {
    let store = tm.open_existing()?;
    let docs = review::documents(&*store, review_below)?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &docs)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "document\tlangs\tunits\tbeads\tto review\tpins\tstored\tsource")?;
    for d in &docs {
        let langs: Vec<&str> = d.langs.iter().map(|l| l.code()).collect();
        let opt = |v: Option<usize>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
        let stale = if d.stale_pins > 0 { format!(" ({} stale)", d.stale_pins) } else { String::new() };
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}{stale}\t{}\t{}",
            d.name,
            langs.join(","),
            d.units,
            opt(d.beads),
            opt(d.to_review),
            d.pins,
            d.updated,
            d.source.as_deref().unwrap_or("-")
        )?;
    }
    if docs.is_empty() {
        eprintln!("{}: no document", tm.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn print_view(view: &DocView, json: bool) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, view)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for b in &view.beads {
        let pin = b.pin.map_or(String::new(), |p| {
            format!(
                " pinned:{}",
                serde_json::to_value(p).map(|v| v.as_str().unwrap_or("").to_string()).unwrap_or_default()
            )
        });
        let risks = if b.risks.is_empty() { String::new() } else { format!(" ({})", b.risks.join(", ")) };
        writeln!(out, "#{} {:.3}{pin}{risks}", b.index, b.confidence)?;
        for s in &b.sides {
            let segs = if s.segments.is_empty() {
                "-".to_string()
            } else {
                format!("{}-{}", s.segments.start, s.segments.end - 1)
            };
            writeln!(
                out,
                "  {} [{segs}] {}",
                s.lang,
                s.texts.iter().map(|t| t.trim()).collect::<Vec<_>>().join(" ")
            )?;
        }
    }
    if !view.aligned {
        eprintln!(
            "qantara: document {}: no stored alignment (imported, or stored by an older qantara): its units are shown; align its article with `qantara batch` to correct it",
            view.name
        );
    }
    for p in &view.stale {
        eprintln!(
            "qantara: document {}: correction {} ({:?} {:?}) no longer applies: {}",
            view.name, p.pin, p.kind, p.text, p.reason
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses the words of `qantara tm edit DOC EDIT…`.
fn parse_edit(words: &[String]) -> anyhow::Result<Edit> {
    let num = |i: usize, what: &str| -> anyhow::Result<usize> {
        let w = words.get(i).ok_or_else(|| anyhow::anyhow!("`{}` needs {what}", words[0]))?;
        w.parse().map_err(|_| anyhow::anyhow!("`{}`: {what} must be a number, not {w:?}", words[0]))
    };
    let lang = |i: usize| -> anyhow::Result<Lang> {
        let w =
            words.get(i).ok_or_else(|| anyhow::anyhow!("`{}` needs a language (ar, fr, en)", words[0]))?;
        w.parse().map_err(|e| anyhow::anyhow!("`{}`: {e}", words[0]))
    };
    let want = |n: usize| -> anyhow::Result<()> {
        if words.len() != n {
            anyhow::bail!(
                "`{}` takes {} argument(s), got {}; see `qantara tm edit --help`",
                words[0],
                n - 1,
                words.len() - 1
            );
        }
        Ok(())
    };
    let edit = match words[0].as_str() {
        "merge" => {
            want(3)?;
            Edit::Merge { first: num(1, "a first bead")?, last: num(2, "a last bead")? }
        }
        "split" => {
            want(4)?;
            Edit::Split { bead: num(1, "a bead")?, lang: lang(2)?, at: num(3, "a byte offset")? }
        }
        "up" => {
            want(3)?;
            Edit::MoveUp { lang: lang(1)?, segment: num(2, "a segment")? }
        }
        "down" => {
            want(3)?;
            Edit::MoveDown { lang: lang(1)?, segment: num(2, "a segment")? }
        }
        "alone" => {
            want(3)?;
            Edit::OneSided { lang: lang(1)?, segment: num(2, "a segment")? }
        }
        "confirm" => {
            want(2)?;
            Edit::Confirm { bead: num(1, "a bead")? }
        }
        "confirm-above" => {
            want(2)?;
            Edit::ConfirmAllAbove { bead: num(1, "a bead")? }
        }
        "undo" => {
            want(1)?;
            Edit::Undo
        }
        other => anyhow::bail!(
            "unknown edit {other:?}: merge, split, up, down, alone, confirm, confirm-above, undo (see `qantara tm edit --help`)"
        ),
    };
    Ok(edit)
}
