//! `qantara align`: parse arguments, read and segment the versions, align, print.

use crate::align::{self, AlignOptions, Side};
use crate::formats::beads;
use crate::lang::{self, Lang};
use anyhow::{Context, bail};
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats of `qantara align`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One bead a line, one column per language.
    Tsv,
    /// One JSON object per bead: texts, segment indices, confidence.
    Jsonl,
    /// TMX 1.4b.
    Tmx,
    /// vecalign's bead notation: [0]:[0], [1,2]:[1], []:[3].
    Beads,
}

/// Arguments of `qantara align`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Two or three versions of the article (`-` reads standard input).
    #[arg(required = true, num_args = 2..=3)]
    files: Vec<PathBuf>,
    /// Languages of the files, in the same order: `ar,fr` or `ar,fr,en`.
    #[arg(long)]
    langs: String,
    /// The files hold one segment a line (no segmentation).
    #[arg(long)]
    presegmented: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Tsv)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// List every low-confidence bead on standard error (by default only their count).
    #[arg(long)]
    review: bool,
    /// Document id written in TMX output (default: the folder of the first file).
    #[arg(long)]
    doc: Option<String>,
    /// Confidence under which a bead is listed for review (confidences are calibrated
    /// probabilities that the bead is right).
    #[arg(long, default_value_t = align::confidence::REVIEW_BELOW)]
    review_below: f64,
    /// With --format jsonl: add each bead's calibration features, computed from the search's
    /// posteriors (for bench/align_calib.py; two versions only).
    #[arg(long, hide = true)]
    calibration_features: bool,
    #[command(flatten)]
    encoding: super::EncodingArg,
}

/// Runs `qantara align`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let langs = Lang::parse_list(&args.langs)?;
    if langs.len() != args.files.len() {
        bail!(
            "--langs lists {} language(s) for {} file(s): give one language per file, in order (e.g. --langs ar,fr,en)",
            langs.len(),
            args.files.len()
        );
    }
    if !(0.0..=1.0).contains(&args.review_below) {
        bail!("--review-below must lie in [0, 1], not {}", args.review_below);
    }
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        bail!("standard input (-) can be read once: give at most one version as -, the others as files");
    }
    let mut texts = Vec::new();
    for (path, &lang) in args.files.iter().zip(&langs) {
        let text =
            args.encoding.read_article(path).with_context(|| format!("{}: cannot read", path.display()))?;
        crate::input::check_script(path, &text, lang, args.encoding.encoding)?;
        texts.push(text);
    }
    refuse_swapped(&args.files, &texts, &langs)?;
    for ((path, text), &lang) in args.files.iter().zip(&texts).zip(&langs) {
        if text.trim().is_empty() {
            eprintln!(
                "qantara: warning: {} is empty: every segment of the other version(s) is left unaligned",
                path.display()
            );
        } else {
            super::warn_if_not_lang(path, text, lang, "the order of --langs");
        }
    }
    let sides: Vec<Side<'_>> = texts
        .iter()
        .zip(&langs)
        .map(|(t, &l)| if args.presegmented { Side::from_lines(t, l) } else { Side::from_text(t, l) })
        .collect();
    let sizes: Vec<usize> = texts.iter().map(|t| crate::normalize::key(t).chars().count()).collect();
    let (min, max) = (sizes.iter().copied().min().unwrap_or(0), sizes.iter().copied().max().unwrap_or(0));
    if min > 0 && max > 3 * min {
        eprintln!(
            "qantara: warning: the versions differ wildly in length ({} characters): they may not be translations of each other, or one is incomplete; expect many one-sided beads",
            sizes.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(" vs ")
        );
    }
    let opts = AlignOptions { review_below: args.review_below, ..AlignOptions::default() };
    if args.calibration_features {
        if sides.len() != 2 || args.format != Format::Jsonl {
            bail!("--calibration-features needs two versions and --format jsonl");
        }
        let raw = align::align_posteriors(&sides, &opts);
        let feats = align::confidence::features(&sides[0], &sides[1], &raw);
        let mut calibrated = raw;
        align::confidence::assess(&sides, &mut calibrated, opts.review_below);
        let inputs: Vec<&std::path::Path> = args.files.iter().map(|p| p.as_path()).collect();
        let mut out = super::output(args.output.as_deref(), &inputs)?;
        beads::write_jsonl_features(&mut out, &sides, &calibrated, &feats)?;
        out.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    let result = align::align(&sides, &opts);
    let inputs: Vec<&std::path::Path> = args.files.iter().map(|p| p.as_path()).collect();
    let mut out = super::output(args.output.as_deref(), &inputs)?;
    match args.format {
        Format::Tsv => beads::write_tsv(&mut out, &sides, &result)?,
        Format::Jsonl => beads::write_jsonl(&mut out, &sides, &result)?,
        Format::Beads => beads::write_beads(&mut out, &result)?,
        Format::Tmx => {
            let doc = args.doc.clone().unwrap_or_else(|| doc_id(&args.files[0]));
            let replaced = beads::write_tmx(&mut out, &sides, &result, &doc)?;
            if replaced > 0 {
                eprintln!("{}", crate::xml::replaced_note(replaced));
            }
        }
    }
    out.finish()?;
    let review = align::to_review(&result, &opts);
    if args.review {
        for &k in &review {
            let b = &result[k];
            let cols: Vec<String> = sides
                .iter()
                .enumerate()
                .map(|(i, s)| super::isolate_err(&beads::bead_text(s, b, i)).into_owned())
                .collect();
            let why: Vec<&str> = b.risks.iter().map(|r| r.name()).collect();
            eprintln!("review\t{k}\t{:.2}\t{}\t{}", b.confidence, why.join(","), cols.join("\t"));
        }
    }
    if !review.is_empty() {
        eprintln!(
            "qantara: {} of {} beads have confidence below {}{}",
            review.len(),
            result.len(),
            args.review_below,
            if args.review { "" } else { " (list them with --review)" }
        );
    }
    report_unmatched(&sides, &result);
    Ok(ExitCode::SUCCESS)
}

/// Refuses files whose languages are clearly a reordering of `--langs` (each text looks like
/// another listed language): aligning them would tag French text as Arabic in every output.
fn refuse_swapped(files: &[PathBuf], texts: &[String], langs: &[Lang]) -> anyhow::Result<()> {
    let views: Vec<&str> = texts.iter().map(String::as_str).collect();
    if let Some(found) = lang::reordering(&views, langs) {
        let list = |ls: &[Lang]| ls.iter().map(Lang::to_string).collect::<Vec<_>>().join(",");
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        bail!(
            "{} look like {}, not {} as --langs says: give --langs {} (or the files in the order of --langs)",
            names.join(", "),
            list(&found),
            list(langs),
            list(&found)
        );
    }
    Ok(())
}

/// Says how many segments of each version no other version has a counterpart for (one-sided
/// beads): headings and credit lines are expected, but many mean a version is incomplete.
fn report_unmatched(sides: &[Side<'_>], beads: &[align::Bead]) {
    for (i, side) in sides.iter().enumerate() {
        let unmatched: usize = beads
            .iter()
            .filter(|b| !b.ranges[i].is_empty() && b.ranges.iter().any(|r| r.is_empty()))
            .map(|b| b.ranges[i].len())
            .sum();
        if unmatched > 0 {
            eprintln!(
                "qantara: note: {unmatched} of {} {} segments have no counterpart in every other version{}",
                side.segments.len(),
                side.lang,
                if unmatched * 4 > side.segments.len() { " — is a version incomplete?" } else { "" }
            );
        }
    }
}

/// `seeds/dgsn-visit-france-2024/ar.txt` → `dgsn-visit-france-2024` (the folder holding the
/// versions of one article, also when the path is just `ar.txt` inside it), or the file stem
/// for a file without a folder (standard input).
fn doc_id(path: &std::path::Path) -> String {
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    match resolved.parent().and_then(|p| p.file_name()) {
        Some(dir) => dir.to_string_lossy().into_owned(),
        None => path.file_stem().map_or_else(|| "-".into(), |s| s.to_string_lossy().into_owned()),
    }
}
