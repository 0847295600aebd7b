//! `qantara glossary …` (not implemented yet).

use std::process::ExitCode;

/// Subcommands of `qantara glossary`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder.
    Stats,
}

/// Runs `qantara glossary …`.
pub fn run(_cmd: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'qantara glossary' is not implemented yet")
}
