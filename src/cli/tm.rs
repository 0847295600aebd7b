//! `qantara tm …` (not implemented yet).

use std::process::ExitCode;

/// Subcommands of `qantara tm`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder.
    Stats,
}

/// Runs `qantara tm …`.
pub fn run(_cmd: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'qantara tm' is not implemented yet")
}
