//! `qantara lookup`: fuzzy matches of a sentence (or of each line of a file) in the memory.
//! Exit status: 0 when a match was found (always 0 with `--batch`), 1 when none, 2 on error.

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
    /// Target languages to show (default: all others).
    #[arg(long, value_delimiter = ',')]
    pub to: Vec<Lang>,
    /// Minimum score (1–100).
    #[arg(long, default_value_t = 70, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub min: u8,
    /// Maximum matches per query.
    #[arg(long, default_value_t = 5)]
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

/// Runs `qantara lookup`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = args.tm.open_to_search()?;
    let queries: Vec<String> = match (&args.batch, &args.text) {
        (Some(p), _) => args
            .encoding
            .read(p)?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        (None, Some(t)) => vec![t.clone()],
        (None, None) => anyhow::bail!("give a sentence or --batch FILE"),
    };
    let json = args.json || args.batch.is_some();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut any = false;
    for q in &queries {
        let lang = match args.lang.or_else(|| crate::lang::detect(q)) {
            Some(l) => l,
            None => anyhow::bail!("cannot tell the language of {q:?}; give --lang ar|fr|en"),
        };
        let opts = LookupOptions { lang, to: args.to.clone(), min: args.min, limit: args.limit };
        let t0 = std::time::Instant::now();
        let r = if args.brute_force {
            lookup::brute_force(&store, q, &opts)
        } else {
            lookup::lookup(&store, q, &opts)
        }
        .with_context(|| format!("looking up {q:?}"))?;
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
    Ok(if any || args.batch.is_some() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn print_text(out: &mut impl Write, r: &LookupResult) -> std::io::Result<()> {
    if r.matches.is_empty() {
        writeln!(out, "no match")?;
    }
    for m in &r.matches {
        writeln!(out, "{:>3}%  unit {}  {}", m.score, m.unit, m.doc)?;
        writeln!(out, "  {}: {}", r.lang, m.source)?;
        for (l, t) in &m.targets {
            writeln!(out, "  {l}: {t}")?;
        }
        if m.score < 100 {
            writeln!(out, "  diff: {}", m.diff)?;
        }
        if let Some(n) = &m.numbers {
            writeln!(out, "  numbers differ: query {:?}, match {:?}", n.query, n.source)?;
        }
    }
    Ok(())
}
