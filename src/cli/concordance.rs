//! `qantara concordance` (not implemented yet).

use std::process::ExitCode;

/// Arguments of `qantara concordance`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `qantara concordance`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'qantara concordance' is not implemented yet")
}
