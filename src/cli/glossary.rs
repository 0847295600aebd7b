//! `qantara glossary export|import|validate`, and the glossary options shared by `term`,
//! `annotate` and `check`.

use crate::formats::glossary::Format;
use crate::glossary::Glossary;
use crate::lang::Lang;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// Which glossaries to use.
#[derive(Debug, Clone, clap::Args)]
pub struct GlossaryArgs {
    /// Add the concepts of this glossary file (CSV, TBX, OmegaT TSV, JSON); repeatable.
    #[arg(long = "glossary", value_name = "FILE")]
    pub glossary: Vec<PathBuf>,
    /// Do not load the built-in glossary.
    #[arg(long)]
    pub no_default_glossary: bool,
}

impl GlossaryArgs {
    /// Loads the glossaries; says on standard error which concepts of a file added to a
    /// concept of the same id from an earlier source.
    pub fn load(&self) -> anyhow::Result<Glossary> {
        for p in &self.glossary {
            anyhow::ensure!(p.exists(), "{}: no such glossary file", p.display());
        }
        let loaded = crate::formats::glossary::load(&self.glossary, self.no_default_glossary)
            .context("cannot load the glossary")?;
        for e in &loaded.extensions {
            eprintln!("qantara: note: {e}");
        }
        let g = loaded.glossary;
        warn_notes(&g);
        anyhow::ensure!(
            !g.is_empty(),
            "the glossary is empty: give --glossary FILE or drop --no-default-glossary"
        );
        Ok(g)
    }
}

/// Parses a two-language list `src,tgt`.
pub fn parse_pair(s: &str) -> Result<(Lang, Lang), String> {
    let l = Lang::parse_list(s).map_err(|e| e.to_string())?;
    match l.as_slice() {
        [a, b] => Ok((*a, *b)),
        _ => Err(format!("expected two languages like ar,fr, got '{s}'")),
    }
}

/// Subcommands of `qantara glossary`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write the glossary in an exchange format.
    Export {
        /// csv, omegat, tbx (TBX v3 TBX-Basic DCA), tbx2 (TBX v2 martif), json, md, or xcs (the
        /// constraint file a tbx2 export declares; `-o FILE` with tbx2 writes it beside FILE).
        #[arg(long, short = 'f', default_value = "csv", value_parser = parse_format)]
        format: Format,
        /// Source and target languages of an OmegaT export.
        #[arg(long, default_value = "ar,fr", value_parser = parse_pair)]
        langs: (Lang, Lang),
        /// Output file (standard output when absent or `-`).
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        #[command(flatten)]
        glossary: GlossaryArgs,
    },
    /// Read a glossary file (CSV, TBX v2/v3, OmegaT TSV, JSON) and write it as qantara CSV.
    Import {
        /// The file to read.
        file: PathBuf,
        /// Its format (guessed from the extension and content when absent).
        #[arg(long, short = 'f', value_parser = parse_format)]
        format: Option<Format>,
        /// Source and target languages of an OmegaT file.
        #[arg(long, default_value = "ar,fr", value_parser = parse_pair)]
        langs: (Lang, Lang),
        /// Output file (standard output when absent or `-`).
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// List every problem of a glossary file with its line and column.
    Validate {
        /// The file to check.
        file: PathBuf,
        /// Its format (guessed when absent).
        #[arg(long, short = 'f', value_parser = parse_format)]
        format: Option<Format>,
        /// Source and target languages of an OmegaT file.
        #[arg(long, default_value = "ar,fr", value_parser = parse_pair)]
        langs: (Lang, Lang),
    },
}

/// A TBX v2 export declares its XCS by file name, and the TBX Checker reads it from the
/// folder of the TBX file: write it there (when the export went to a file), or say how to.
fn write_xcs_beside(output: Option<&std::path::Path>, inputs: &[&std::path::Path]) -> anyhow::Result<()> {
    let name = crate::formats::tbx::V2_XCS_NAME;
    match output.filter(|p| p.as_os_str() != "-") {
        Some(p) => {
            let xcs = p.parent().unwrap_or(std::path::Path::new("")).join(name);
            let mut f = super::output(Some(&xcs), inputs)?;
            crate::formats::tbx::write_xcs(&mut f)?;
            f.finish()?;
            eprintln!("qantara: wrote {} (the XCS the TBX file declares; keep it beside it)", xcs.display());
        }
        None => eprintln!(
            "qantara: note: the TBX declares the XCS {name}; write it beside the file with \
             `qantara glossary export --format xcs -o {name}`"
        ),
    }
    Ok(())
}

/// Prints the notes of the glossary readers (skipped languages) as warnings.
fn warn_notes(g: &Glossary) {
    for n in g.notes() {
        eprintln!("qantara: warning: {n}");
    }
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

/// Runs `qantara glossary …`.
pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Export { format, langs, output, glossary } => {
            let inputs: Vec<&std::path::Path> = glossary.glossary.iter().map(PathBuf::as_path).collect();
            let mut out = super::output(output.as_deref(), &inputs)?;
            let g = glossary.load()?;
            let replaced = crate::formats::glossary::write(&g, format, langs, &mut out)?;
            out.finish()?;
            if replaced > 0 {
                eprintln!("{}", crate::xml::replaced_note(replaced));
            }
            if format == Format::Tbx2 {
                write_xcs_beside(output.as_deref(), &inputs)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { file, format, langs, output } => {
            let g = crate::formats::glossary::read_file(&file, format, Some(langs))?;
            warn_notes(&g);
            let mut out = super::output(output.as_deref(), &[file.as_path()])?;
            crate::formats::glossary::write(&g, Format::Csv, langs, &mut out)?;
            out.finish()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { file, format, langs } => {
            let text = crate::input::read_text(&file)?;
            let name = crate::input::display_name(&file);
            let format = format
                .or_else(|| Format::guess(&file, &text))
                .with_context(|| format!("{}: cannot tell the format; pass --format", name.display()))?;
            let (concepts, problems, notes) = crate::formats::glossary::parse_noting(&text, format, langs);
            for p in &problems {
                outln!("{}:{}:{}: {}", name.display(), p.line, p.column, p.msg)?;
            }
            for n in &notes {
                outln!("{}:{}:{}: note: {}", name.display(), n.line, n.column, n.msg)?;
            }
            let terms: usize = concepts.iter().map(|c| c.terms.len()).sum();
            if problems.is_empty() {
                outln!("{}: ok ({format}): {} concepts, {terms} terms", name.display(), concepts.len())?;
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("{}: {} problem(s)", name.display(), problems.len());
                Ok(ExitCode::from(1))
            }
        }
    }
}
