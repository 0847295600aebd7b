//! `qantara batch` (not implemented yet).

use std::process::ExitCode;

/// Arguments of `qantara batch`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `qantara batch`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'qantara batch' is not implemented yet")
}
