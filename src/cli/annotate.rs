//! `qantara annotate` (not implemented yet).

use std::process::ExitCode;

/// Arguments of `qantara annotate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `qantara annotate`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'qantara annotate' is not implemented yet")
}
