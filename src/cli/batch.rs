//! `qantara batch`: align a folder of articles in parallel into the memory.

use super::tm::{TmArg, progress_bar};
use crate::formats::{tmx, tsv};
use crate::lang::Lang;
use crate::tm::batch::{self, AlignedArticle, BatchOptions};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Per-article output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    /// Tab-separated, one column per language.
    Tsv,
    /// TMX 1.4b.
    Tmx,
}

impl OutFormat {
    fn extension(self) -> &'static str {
        match self {
            OutFormat::Tsv => "tsv",
            OutFormat::Tmx => "tmx",
        }
    }
}

/// Arguments of `qantara batch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder with one sub-folder per article (ar.txt, fr.txt, en.txt), or a CSV manifest
    /// `id,ar,fr,en` (also found as DIR/manifest.csv).
    pub dir: PathBuf,
    /// Languages to align.
    #[arg(long, value_delimiter = ',', default_value = "ar,fr,en")]
    pub langs: Vec<Lang>,
    /// Parallel jobs (default: one per core).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Also write each article's alignment to this folder (TSV: a header of languages, then
    /// a `confidence` column; `qantara tm import` reads it back).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Format of the files written to --out.
    #[arg(long, value_enum, default_value = "tsv")]
    pub format: OutFormat,
    /// Beads below this confidence (the calibrated probability that a bead is right) are to
    /// review: counted in the summary, and their articles named.
    #[arg(long, default_value_t = crate::align::confidence::REVIEW_BELOW)]
    pub low: f64,
    /// Print the summary as one JSON object: counts ("articles", "stored", "unchanged",
    /// "beads", "units", "low_confidence"), "failures" and "warnings" as lists of
    /// {"article": id, "reason": text}, and "to_review" as a list of {"article": id,
    /// "beads_to_review": n, "beads": n}.
    #[arg(long)]
    pub json: bool,
    /// Let an article replace a stored document of the same id that came from another folder
    /// or manifest (by default that article fails, so june/article1 never silently replaces
    /// july/article1).
    #[arg(long)]
    pub replace_other_sources: bool,
    #[command(flatten)]
    pub tm: TmArg,
    #[command(flatten)]
    pub encoding: super::EncodingArg,
}

/// Runs `qantara batch`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let langs: Vec<Lang> = args.langs.clone();
    let articles = batch::discover(&args.dir, &langs)?;
    if articles.is_empty() {
        anyhow::bail!("{}: no article folders (or manifest.csv) found", args.dir.display());
    }
    if let Some(o) = &args.out {
        std::fs::create_dir_all(o).with_context(|| format!("{}: cannot create", o.display()))?;
    }
    let mut store = args.tm.open()?;
    let pb =
        progress_bar(articles.len() as u64, "{spinner} aligning [{bar:40}] {pos}/{len} articles {elapsed}");
    let on_progress = || pb.inc(1);
    let out_dir = args.out.clone();
    let format = args.format;
    // File names already written: two ids can make the same name (`a/b` and `a_b`).
    let mut used = std::collections::HashSet::new();
    let mut on_aligned = |a: &AlignedArticle| -> crate::tm::Result<()> {
        if let Some(dir) = &out_dir {
            let stem = unique(file_stem(&a.id), &mut used);
            let path = dir.join(format!("{stem}.{}", format.extension()));
            write_article(&path, format, a).map_err(|source| crate::tm::Error::Io { path, source })?;
        }
        Ok(())
    };
    let opts = BatchOptions {
        low: args.low,
        jobs: args.jobs,
        encoding: args.encoding.encoding,
        replace_other_sources: args.replace_other_sources,
        on_progress: &on_progress,
        on_aligned: &mut on_aligned,
    };
    let summary = batch::run(&mut *store, &articles, opts);
    pb.finish_and_clear();
    let summary = summary?;
    for (id, msg) in &summary.failures {
        eprintln!("qantara: article {id}: {msg} (skipped)");
    }
    for (id, msg) in &summary.warnings {
        eprintln!("qantara: warning: article {id}: {msg}");
    }
    for (id, p) in &summary.stale_pins {
        eprintln!(
            "qantara: warning: article {id}: correction {} ({:?} {:?}) no longer applies: {}; it is kept, see `qantara tm show {id}`",
            p.pin, p.kind, p.text, p.reason
        );
    }
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&summary)?)?;
    } else {
        eprintln!(
            "{} articles: {} stored, {} unchanged, {} failed; {} beads ({} low-confidence), {} units → {}",
            summary.articles,
            summary.stored,
            summary.unchanged,
            summary.failures.len(),
            summary.beads,
            summary.low_confidence,
            summary.units,
            args.tm.display()
        );
        for (id, n, of) in &summary.to_review {
            eprintln!(
                "qantara: review: article {id}: {n} of {of} beads below confidence {} (qantara align … --review lists them)",
                args.low
            );
        }
    }
    Ok(if summary.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A file name for an article id that stays inside the output folder: path separators and
/// control characters become `_`, and a leading dot (`..`, a hidden file) gets a `_` before it.
fn file_stem(id: &str) -> String {
    let safe: String =
        id.chars().map(|c| if c == '/' || c == '\\' || c.is_control() { '_' } else { c }).collect();
    if safe.starts_with('.') || safe.is_empty() { format!("_{safe}") } else { safe }
}

/// `stem`, or `stem-2`, `stem-3`… when an earlier article of the run already took it.
fn unique(stem: String, used: &mut std::collections::HashSet<String>) -> String {
    let mut name = stem.clone();
    let mut n = 1;
    while !used.insert(name.to_lowercase()) {
        n += 1;
        name = format!("{stem}-{n}");
    }
    name
}

fn write_article(path: &Path, format: OutFormat, a: &AlignedArticle) -> std::io::Result<()> {
    let langs: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| a.units.iter().any(|u| u.texts.iter().any(|t| t.lang == *l)))
        .collect();
    match format {
        OutFormat::Tsv => super::output::write_file(path, |f| {
            let mut w = tsv::Writer::with_confidence(f, &langs, b'\t')?;
            for u in &a.units {
                let texts: Vec<(Lang, &str)> = u.texts.iter().map(|t| (t.lang, t.text.as_str())).collect();
                w.write_row_with_confidence(&texts, u.confidence)?;
            }
            w.finish()
        }),
        OutFormat::Tmx => super::output::write_file(path, |f| {
            let texts: Vec<Vec<(Lang, String)>> =
                a.units.iter().map(|u| u.texts.iter().map(|t| (t.lang, String::new())).collect()).collect();
            let src = tmx::common_srclang(langs.first().copied(), texts.iter().map(Vec::as_slice));
            let mut w = tmx::Writer::with_srclang(f, src)?;
            for u in &a.units {
                let mut props = vec![(tmx::PROP_DOC.to_string(), a.id.clone())];
                if let Some(c) = u.confidence {
                    props.push((tmx::PROP_CONFIDENCE.to_string(), format!("{c:.3}")));
                }
                for t in &u.texts {
                    if let Some(r) = &t.segments {
                        props.push((
                            format!("{}{}", tmx::PROP_SEGMENTS_PREFIX, t.lang),
                            format!("{}-{}", r.start, r.end),
                        ));
                    }
                }
                w.write_unit(&tmx::TmxUnit {
                    texts: u.texts.iter().map(|t| (t.lang, t.text.clone())).collect(),
                    props,
                })?;
            }
            let replaced = w.replaced();
            w.finish()?;
            if replaced > 0 {
                eprintln!("qantara: article {}: {}", a.id, crate::xml::replaced_note(replaced));
            }
            Ok(())
        }),
    }
}
