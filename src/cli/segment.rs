//! `qantara segment` (not implemented yet).

use std::process::ExitCode;

/// Arguments of `qantara segment`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `qantara segment`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'qantara segment' is not implemented yet")
}
