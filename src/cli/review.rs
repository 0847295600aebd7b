//! `qantara review`: the local review page (see [`crate::review`]).

use super::tm::TmArg;
use std::process::ExitCode;

/// Arguments of `qantara review`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = SAFETY)]
pub struct Args {
    /// Documents to review (names as `qantara tm docs` lists them); default: every document.
    #[arg(value_name = "DOC")]
    docs: Vec<String>,
    #[command(flatten)]
    tm: TmArg,
    /// Port on 127.0.0.1 (default: a free one).
    #[arg(long, value_name = "N", default_value_t = 0)]
    port: u16,
    /// Do not open the browser (the URL is printed on the first line of standard output).
    #[arg(long)]
    no_open: bool,
}

const SAFETY: &str = "\
Keys on the page: j/k or ↓/↑ walk the queue; u/d move the selected segment up/down; m merge
with the next bead; s split at the caret (click in the text first); o mark one-sided;
c confirm; a confirm all above; z undo; ? shows them.

Safety: the page listens on 127.0.0.1 only; a request needs the per-run token (in the printed
URL, then in a cookie), an exact Host of 127.0.0.1:PORT, localhost:PORT or [::1]:PORT, and a
write needs the page's own Origin. Every change is saved at once; Ctrl-C stops the page.";

/// Runs `qantara review`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_max_level(tracing::Level::WARN)
        .with_target(false)
        .init();
    crate::review::run(crate::review::Config {
        tm: args.tm.path().to_string_lossy().into_owned(),
        docs: args.docs,
        port: args.port,
        open: !args.no_open,
    })?;
    Ok(ExitCode::SUCCESS)
}
