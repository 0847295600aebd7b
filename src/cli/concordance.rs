//! `qantara concordance`: units containing a phrase. Exit status 1 when no unit contains it.

use super::tm::TmArg;
use crate::lang::Lang;
use std::io::Write;
use std::process::ExitCode;

/// Arguments of `qantara concordance`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The phrase (clitics, diacritics, case and accents are ignored).
    pub phrase: String,
    /// The language of the phrase (guessed when omitted).
    #[arg(long)]
    pub lang: Option<Lang>,
    /// Languages to show beside each hit (default: all others).
    #[arg(long, value_delimiter = ',')]
    pub to: Vec<Lang>,
    /// Maximum hits (1 or more).
    #[arg(long, default_value_t = 20, value_parser = super::lookup::limit)]
    pub limit: usize,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub tm: TmArg,
}

/// Runs `qantara concordance`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Some(lang) = args.lang.or_else(|| crate::lang::detect(&args.phrase)) else {
        anyhow::bail!("cannot tell the language of {:?}; give --lang ar|fr|en", args.phrase);
    };
    let store = args.tm.open_to_search()?;
    let hits = crate::tm::concordance::concordance(&*store, &args.phrase, lang, &args.to, args.limit)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({"phrase": args.phrase, "lang": lang, "hits": hits}),
        )?;
        writeln!(out)?;
    } else {
        for h in &hits {
            writeln!(out, "unit {}  {}", h.unit, h.doc)?;
            writeln!(out, "  {lang}: {}", super::isolate(&h.marked))?;
            for (l, t) in &h.targets {
                writeln!(out, "  {l}: {}", super::isolate(t))?;
            }
        }
        if hits.is_empty() {
            writeln!(out, "no unit contains {:?}", args.phrase)?;
        }
    }
    out.flush()?;
    Ok(if hits.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
