//! `qantara align` (not implemented yet).

use std::process::ExitCode;

/// Arguments of `qantara align`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `qantara align`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'qantara align' is not implemented yet")
}
