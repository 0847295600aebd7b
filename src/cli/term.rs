//! `qantara term` (not implemented yet).

use std::process::ExitCode;

/// Arguments of `qantara term`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `qantara term`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'qantara term' is not implemented yet")
}
