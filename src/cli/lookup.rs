//! `qantara lookup`: fuzzy matches of a sentence (or of each line of a file) in the memory.
//! Exit status: 0 when a match was found (with `--batch`: when every query could be looked
//! up), 1 when none, 2 on error. With `--batch`, a query that cannot be looked up (its language
//! cannot be told) gets a JSON error object with its line, the others are answered, and the
//! run ends with status 2.

use super::tm::TmArg;
use crate::lang::Lang;
use crate::tm::lookup::{self, LookupOptions, LookupResult};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `qantara lookup`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The sentence to look up (or use --batch).
    #[arg(required_unless_present = "batch")]
    pub text: Option<String>,
    /// The language of the query (guessed from the text when omitted).
    #[arg(long)]
    pub lang: Option<Lang>,
    /// Target languages to show (default: all others; the query's own language alone is
    /// refused).
    #[arg(long, value_delimiter = ',')]
    pub to: Vec<Lang>,
    /// Minimum score (1–100).
    #[arg(long, default_value_t = 70, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub min: u8,
    /// Maximum matches per query (1 or more).
    #[arg(long, default_value_t = 5, value_parser = limit)]
    pub limit: usize,
    /// JSON output (one object per query).
    #[arg(long)]
    pub json: bool,
    /// A file with one query per line; prints JSON lines.
    #[arg(long, conflicts_with = "text")]
    pub batch: Option<PathBuf>,
    /// Add each query's lookup time in microseconds (`elapsed_us`) to the JSON.
    #[arg(long)]
    pub timings: bool,
    /// Scan every unit instead of using the index (the reference; slow on large memories).
    #[arg(long, hide = true)]
    pub brute_force: bool,
    #[command(flatten)]
    pub tm: TmArg,
    #[command(flatten)]
    pub encoding: super::EncodingArg,
}

/// The languages to search a query in: `--lang`, else the guessed language, else, for a
/// short Latin-script text the guess cannot place ("Jeux olympiques", "National Police"),
/// both French and English; none for a text without letters.
fn query_langs(given: Option<Lang>, query: &str) -> Vec<Lang> {
    match given.or_else(|| crate::lang::detect(query)) {
        Some(lang) => vec![lang],
        None if query.chars().any(char::is_alphabetic) => vec![Lang::Fr, Lang::En],
        None => vec![],
    }
}

/// Looks `query` up in each of its [`query_langs`] and keeps the result whose best match
/// scores highest (the first language on a tie). `Ok(Err(msg))`: the query cannot be looked
/// up as asked (no language, or `--to` names only the query's own language).
fn look_up(
    store: &dyn crate::tm::store::TmStore,
    args: &Args,
    query: &str,
) -> anyhow::Result<Result<LookupResult, String>> {
    let langs = query_langs(args.lang, query);
    if langs.is_empty() {
        return Ok(Err(format!(
            "cannot tell the language of {query:?} (it has no letters); say which it is with --lang ar, \
             --lang fr or --lang en"
        )));
    }
    let best_score = |r: &LookupResult| r.matches.first().map_or(0, |m| m.score);
    let mut best: Option<LookupResult> = None;
    let mut problem = None;
    for lang in langs {
        let opts = LookupOptions { lang, to: args.to.clone(), min: args.min, limit: args.limit };
        if let Some(msg) = opts.targets_problem() {
            problem = Some(msg);
            continue;
        }
        let r = if args.brute_force {
            lookup::brute_force(store, query, &opts)
        } else {
            lookup::lookup(store, query, &opts)
        }
        .with_context(|| format!("looking up {query:?}"))?;
        if best.as_ref().is_none_or(|b| best_score(&r) > best_score(b)) {
            best = Some(r);
        }
    }
    Ok(best.ok_or_else(|| problem.unwrap_or_default()))
}

/// Runs `qantara lookup`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(lang) = args.lang {
        let opts = LookupOptions { lang, to: args.to.clone(), min: args.min, limit: args.limit };
        if let Some(msg) = opts.targets_problem() {
            anyhow::bail!("{msg}");
        }
    }
    let store = args.tm.open_to_search()?;
    // (1-based line, query): blank lines are passed over but keep the numbering.
    let queries: Vec<(usize, String)> = match (&args.batch, &args.text) {
        (Some(p), _) => args
            .encoding
            .read(p)?
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .map(|(i, l)| (i, l.to_string()))
            .collect(),
        (None, Some(t)) => vec![(1, t.clone())],
        (None, None) => anyhow::bail!("give a sentence or --batch FILE"),
    };
    let json = args.json || args.batch.is_some();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut any = false;
    let mut failed: Vec<usize> = Vec::new();
    for (line, q) in &queries {
        // A query that cannot be answered as asked: with --batch it gets an error object and
        // the run goes on; alone, it is the error of the run.
        let t0 = std::time::Instant::now();
        let r = match look_up(&*store, &args, q)? {
            Ok(r) => r,
            Err(msg) if args.batch.is_some() => {
                failed.push(*line);
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({"query": q, "line": line, "error": msg}),
                )?;
                writeln!(out)?;
                continue;
            }
            Err(msg) => anyhow::bail!("{msg}"),
        };
        let us = t0.elapsed().as_micros();
        any |= !r.matches.is_empty();
        if json {
            let mut v = serde_json::to_value(&r)?;
            if args.timings {
                v["elapsed_us"] = serde_json::json!(us);
            }
            if args.batch.is_some() {
                serde_json::to_writer(&mut out, &v)?;
            } else {
                serde_json::to_writer_pretty(&mut out, &v)?;
            }
            writeln!(out)?;
        } else {
            print_text(&mut out, &r)?;
        }
    }
    out.flush()?;
    if let (Some(path), Some(first)) = (&args.batch, failed.first()) {
        anyhow::bail!(
            "{}: {} of {} queries could not be looked up (first at line {first}); each has an \"error\" \
             object on standard output",
            path.display(),
            failed.len(),
            queries.len()
        );
    }
    Ok(if any || args.batch.is_some() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Parses a `--limit` (of lookup, concordance, term): a count of 1 or more, since 0 would
/// answer "no match" whatever the memory or glossary holds.
pub(crate) fn limit(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("0 would show nothing; give 1 or more".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("{e}; give a count of 1 or more")),
    }
}

fn print_text(out: &mut impl Write, r: &LookupResult) -> std::io::Result<()> {
    if r.matches.is_empty() {
        writeln!(out, "no match")?;
    }
    for m in &r.matches {
        writeln!(out, "{:>3}%  unit {}  {}", m.score, m.unit, m.doc)?;
        writeln!(out, "  {}: {}", r.lang, super::isolate(&m.source))?;
        for (l, t) in &m.targets {
            writeln!(out, "  {l}: {}", super::isolate(t))?;
        }
        if m.score < 100 {
            writeln!(out, "  diff: {}", super::isolate(&m.diff))?;
        }
        if let Some(n) = &m.numbers {
            writeln!(out, "  numbers differ: query {:?}, match {:?}", n.query, n.source)?;
        }
    }
    Ok(())
}
