//! `qantara check` (not implemented yet).

use std::process::ExitCode;

/// Arguments of `qantara check`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `qantara check`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'qantara check' is not implemented yet")
}
