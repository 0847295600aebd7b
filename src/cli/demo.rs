//! `qantara demo`: the main job on the built-in defaults, in one command.
//!
//! It aligns the article folder (by default `seeds/`) into the translation memory (the default
//! TM file, created on first use, unless `--tm` or `QANTARA_TM` says otherwise), then looks up
//! a sentence of the seed article in the memory and a term in the embedded glossary — the
//! three things a translator does first. Each step is the ordinary subcommand, run with the
//! arguments printed before it, so the demo also shows how to run them by hand.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `qantara demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder of articles to align and store (one sub-folder per article).
    #[arg(default_value = "seeds")]
    dir: PathBuf,
    /// The translation memory file (default: $QANTARA_TM, else the per-user data folder).
    #[arg(long, value_name = "PATH")]
    tm: Option<PathBuf>,
    /// The sentence to look up in the memory after storing the articles.
    #[arg(
        long,
        default_value = "ناقش الطرفان الآليات العملية لتنفيذ العمليات الأمنية المشتركة، مؤكدين على أهمية التعاون المستمر لمواجهة التحديات."
    )]
    sentence: String,
    /// The term to look up in the glossary.
    #[arg(long, default_value = "للمديرية العامة للأمن الوطني")]
    term: String,
}

/// Runs `qantara demo`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.dir.is_dir() {
        anyhow::bail!(
            "{}: no such folder; run the demo from the qantara repository (it aligns seeds/) or give a folder of articles",
            args.dir.display()
        );
    }
    let dir = args.dir.to_string_lossy().into_owned();
    let tm: Vec<String> =
        args.tm.iter().flat_map(|p| ["--tm".to_string(), p.to_string_lossy().into_owned()]).collect();
    let steps: [Vec<String>; 3] = [
        // Never --replace-other-sources: the demo must not replace a user's document that
        // happens to share the seed folder's name.
        [vec!["batch".into(), dir], tm.clone()].concat(),
        [vec!["lookup".into(), args.sentence, "--min".into(), "40".into()], tm].concat(),
        vec!["term".into(), args.term],
    ];
    let mut status = ExitCode::SUCCESS;
    for step in steps {
        outln!("\n$ qantara {}", step.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "))?;
        let code = super::dispatch(std::iter::once("qantara".to_string()).chain(step))?;
        if code != ExitCode::SUCCESS {
            status = code;
        }
    }
    Ok(status)
}

fn quote(arg: &str) -> String {
    if arg.contains(' ') { format!("\"{arg}\"") } else { arg.to_string() }
}
