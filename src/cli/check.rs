//! `qantara check SRC TGT`: glossary conformity of a translation; exit status 1 on errors.

use super::glossary::GlossaryArgs;
use super::isolate;
use crate::formats::pairs::{pairs_from_tmx, pairs_from_tsv};
use crate::glossary::check::{Pair, Report, Severity, check_documents, check_pairs};
use crate::lang::Lang;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `qantara check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Source text and its translation (omit both with --aligned).
    #[arg(num_args = 0..=2, value_name = "SRC TGT")]
    files: Vec<PathBuf>,
    /// Source and target languages.
    #[arg(long, default_value = "ar,fr", value_parser = super::glossary::parse_pair)]
    langs: (Lang, Lang),
    /// Pre-aligned files: TSV (a header line naming the languages, or source and target in
    /// the first two columns) or TMX (`.tmx`); repeatable; consistency is checked across all.
    #[arg(long, value_name = "FILE.tsv|FILE.tmx")]
    aligned: Vec<PathBuf>,
    /// Alignment tolerance: also accept a target rendering this many pairs away (default 1
    /// for SRC TGT, 0 for --aligned).
    #[arg(long)]
    window: Option<usize>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    glossary: GlossaryArgs,
    #[command(flatten)]
    encoding: super::EncodingArg,
}

/// A check of swapped texts finds no term and would pass as clean, so texts that each look
/// like the other's language are refused rather than warned about. `what` names them.
fn refuse_swapped(
    what: [&str; 2],
    src: &str,
    tgt: &str,
    src_lang: Lang,
    tgt_lang: Lang,
) -> anyhow::Result<()> {
    if crate::lang::detect(src) == Some(tgt_lang) && crate::lang::detect(tgt) == Some(src_lang) {
        anyhow::bail!(
            "{} looks like {tgt_lang} and {} like {src_lang}: they are swapped for --langs \
             {src_lang},{tgt_lang}; give the {src_lang} text first (nothing was checked)",
            what[0],
            what[1]
        );
    }
    Ok(())
}

/// Runs `qantara check`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (src_lang, tgt_lang) = args.langs;
    let g = args.glossary.load()?;
    let report: Report = if !args.aligned.is_empty() {
        anyhow::ensure!(args.files.is_empty(), "give either SRC TGT or --aligned, not both");
        let mut pairs: Vec<Pair> = Vec::new();
        for p in &args.aligned {
            let name = crate::input::display_name(p).display().to_string();
            if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("tmx")) {
                let file = std::fs::File::open(p).with_context(|| format!("{name}: cannot open"))?;
                let found = pairs_from_tmx(std::io::BufReader::new(file), src_lang, tgt_lang, &name)
                    .map_err(|e| e.locate(p))?;
                anyhow::ensure!(!found.is_empty(), "{name}: no unit has both {src_lang} and {tgt_lang}");
                pairs.extend(found);
            } else {
                let text = args.encoding.read(p)?;
                let found = pairs_from_tsv(&text, src_lang, tgt_lang, &name)?;
                let column =
                    |pick: fn(&Pair) -> &str| found.iter().take(50).map(pick).collect::<Vec<_>>().join(" ");
                let (src_text, tgt_text) = (column(|p| &p.src), column(|p| &p.tgt));
                let first = format!("{name}: column 1");
                refuse_swapped([&first, "column 2"], &src_text, &tgt_text, src_lang, tgt_lang)?;
                for (text, lang, which) in [(&src_text, src_lang, "source"), (&tgt_text, tgt_lang, "target")]
                {
                    if let Some(found) = crate::lang::detect(text).filter(|&f| f != lang) {
                        eprintln!(
                            "qantara: warning: {name}: the {which} column looks like {found}, not {lang}; check --langs"
                        );
                    }
                }
                pairs.extend(found);
            }
        }
        check_pairs(&g, &pairs, src_lang, tgt_lang, args.window.unwrap_or(0))
    } else {
        anyhow::ensure!(args.files.len() == 2, "give SRC and TGT files (or --aligned FILE.tsv)");
        let src = args.encoding.read_article(&args.files[0])?;
        let tgt = args.encoding.read_article(&args.files[1])?;
        let name = |i: usize| crate::input::display_name(&args.files[i]).display().to_string();
        refuse_swapped([&name(0), &name(1)], &src, &tgt, src_lang, tgt_lang)?;
        super::warn_if_not_lang(&args.files[0], &src, src_lang, "the order of --langs");
        super::warn_if_not_lang(&args.files[1], &tgt, tgt_lang, "the order of --langs");
        check_documents(&g, &src, &tgt, src_lang, tgt_lang, args.window.unwrap_or(1))
    };
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        for i in &report.issues {
            let sev = match i.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            outln!("{sev}: pair {} ({}): {:?}: {}", i.pair, i.origin, i.kind, isolate(&i.message))?;
        }
        outln!(
            "{} pairs, {} concept mentions checked: {} error(s), {} warning(s)",
            report.pairs,
            report.mentions,
            report.errors(),
            report.warnings()
        )?;
    }
    Ok(if report.errors() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
