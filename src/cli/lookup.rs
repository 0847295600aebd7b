//! `qantara lookup` (not implemented yet).

use std::process::ExitCode;

/// Arguments of `qantara lookup`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `qantara lookup`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'qantara lookup' is not implemented yet")
}
