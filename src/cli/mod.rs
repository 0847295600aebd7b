//! The command-line interface: argument parsing and printing only.
//!
//! Each subcommand lives in its own file with its clap `Args` and a `run` that calls one
//! library function and prints the result. Errors are `anyhow` with context here and only here;
//! a closed pipe (`qantara … | head`) ends the program quietly with status 0.

/// `println!` that returns the write error instead of panicking, so a closed pipe
/// (`qantara … | head`) ends the command quietly through [`is_broken_pipe`].
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod align;
mod annotate;
mod batch;
mod check;
mod concordance;
mod demo;
mod glossary;
mod lookup;
mod output;
mod segment;
mod serve;
mod term;
mod tm;

pub(crate) use output::output;

use clap::{Parser, Subcommand};
use std::borrow::Cow;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::OnceLock;

/// Wraps `s` in Unicode first-strong isolates (U+2068 … U+2069) when standard output is a
/// terminal, so an Arabic run and the Latin text around it (a unit id, a score, a colon) do not
/// reorder each other on screen. Piped output gets the text unchanged: a pipeline, a file or a
/// diff must see exactly the stored text, never invisible marks around it.
pub(crate) fn isolate(s: &str) -> Cow<'_, str> {
    static TTY: OnceLock<bool> = OnceLock::new();
    isolate_if(*TTY.get_or_init(|| std::io::stdout().is_terminal()), s)
}

/// [`isolate`] for text written to standard error (`align --review`).
pub(crate) fn isolate_err(s: &str) -> Cow<'_, str> {
    static TTY: OnceLock<bool> = OnceLock::new();
    isolate_if(*TTY.get_or_init(|| std::io::stderr().is_terminal()), s)
}

fn isolate_if(tty: bool, s: &str) -> Cow<'_, str> {
    if tty { Cow::Owned(format!("\u{2068}{s}\u{2069}")) } else { Cow::Borrowed(s) }
}

/// The `--encoding` option of every command that reads article texts.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct EncodingArg {
    /// Encoding of input files that are not UTF-8 and have no byte-order mark, as a WHATWG
    /// label: windows-1256 or iso-8859-6 for older Arabic files, windows-1252 (latin1) for
    /// French and English ones. UTF-8 files and files with a byte-order mark are read as such
    /// whatever this says, so one --encoding serves a mix of old and new files.
    #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
    pub encoding: Option<&'static crate::input::Encoding>,
}

impl EncodingArg {
    /// Reads and decodes a text file (or stdin for `-`) in the encoding in effect.
    pub fn read(&self, path: &std::path::Path) -> crate::error::Result<String> {
        crate::input::read_text_in(path, self.encoding)
    }

    /// Reads an article version: [`EncodingArg::read`], then [`crate::input::article_text`]
    /// (Word's line and page breaks become line breaks; other control characters are refused).
    pub fn read_article(&self, path: &std::path::Path) -> crate::error::Result<String> {
        crate::input::read_article(path, self.encoding)
    }
}

fn parse_encoding(label: &str) -> Result<&'static crate::input::Encoding, String> {
    crate::input::encoding_for_label(label).ok_or_else(|| {
        format!("unknown encoding {label:?}; use a WHATWG label such as utf-8, windows-1256, iso-8859-6, windows-1252, latin1, utf-16le")
    })
}

/// qantara — translation memory and institutional glossary for Arabic, French and English.
#[derive(Debug, Parser)]
#[command(name = "qantara", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Split a text into sentences (exact slices of the decoded text).
    Segment(segment::Args),
    /// Align two or three versions of an article sentence by sentence.
    Align(align::Args),
    /// Look up the glossary concepts a term denotes, with their translations.
    Term(term::Args),
    /// Mark glossary terms in a text, sentence by sentence.
    Annotate(annotate::Args),
    /// Check that a translation renders every glossary term consistently.
    Check(check::Args),
    /// Export, import and validate glossaries.
    #[command(subcommand)]
    Glossary(glossary::Command),
    /// Import, export, validate and describe the translation memory.
    #[command(subcommand)]
    Tm(tm::Command),
    /// Fuzzy-search the translation memory for a sentence.
    Lookup(lookup::Args),
    /// Find TM units containing a phrase.
    Concordance(concordance::Args),
    /// Align a folder of articles in parallel and store them in the TM.
    Batch(batch::Args),
    /// Serve the memory and the glossary over HTTP (JSON API with bearer tokens).
    Serve(serve::Args),
    /// Add, list and revoke the bearer tokens of `qantara serve`.
    #[command(subcommand)]
    Token(serve::TokenCommand),
    /// Run the main job on the built-in defaults: align seeds/ into the TM, look up a
    /// sentence and a term.
    Demo(demo::Args),
}

/// Runs the command line and returns the process exit status.
pub fn run() -> ExitCode {
    let result = dispatch(std::env::args_os());
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let lines = error_lines(&err);
            eprintln!("qantara: error: {}", lines[0]);
            for cause in &lines[1..] {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

/// Parses a command line and runs it (clap's own errors and `--help` exit here).
fn dispatch<I, T>(args: I) -> anyhow::Result<ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::parse_from(args);
    match cli.command {
        Command::Segment(a) => segment::run(a),
        Command::Align(a) => align::run(a),
        Command::Term(a) => term::run(a),
        Command::Annotate(a) => annotate::run(a),
        Command::Check(a) => check::run(a),
        Command::Glossary(c) => glossary::run(c),
        Command::Tm(c) => tm::run(c),
        Command::Lookup(a) => lookup::run(a),
        Command::Concordance(a) => concordance::run(a),
        Command::Batch(a) => batch::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Token(c) => serve::token(c),
        Command::Demo(a) => demo::run(a),
    }
}

/// The messages of an error chain worth printing, outermost first. Library errors already name
/// the file, the position and the way out, and often repeat their cause (`x.txt: cannot read:
/// permission denied` caused by `permission denied`), while CLI contexts often only name the
/// file (`x.txt: cannot read` caused by `x.txt: line 2: invalid UTF-8 …`). So a message is
/// dropped when another one in the chain contains it, and a context is dropped when the next
/// message starts with the same `path:` prefix (the inner message is the complete one). The
/// result is never empty.
fn error_lines(err: &anyhow::Error) -> Vec<String> {
    let mut msgs: Vec<String> = err.chain().map(|c| c.to_string()).filter(|m| !m.trim().is_empty()).collect();
    if msgs.is_empty() {
        return vec![err.to_string()];
    }
    // Drop a message contained in an earlier (outer) one, or identical to an earlier one.
    let mut kept: Vec<String> = Vec::new();
    for m in msgs.drain(..) {
        if kept.iter().any(|k| k.contains(m.as_str())) {
            continue;
        }
        // Drop earlier messages this one contains entirely.
        kept.retain(|k| !m.contains(k.as_str()));
        kept.push(m);
    }
    // Drop an outer context whose `path:` prefix the next message repeats.
    let mut out: Vec<String> = Vec::new();
    for (i, m) in kept.iter().enumerate() {
        let prefix = m.split(": ").next().unwrap_or("");
        let next_repeats = kept.get(i + 1).is_some_and(|n| {
            !prefix.is_empty() && prefix.len() < m.len() && n.starts_with(&format!("{prefix}:"))
        });
        if !next_repeats {
            out.push(m.clone());
        }
    }
    out
}

/// Whether `err` comes from writing to a closed pipe: an I/O error, or one that serde_json
/// wrapped while writing (`lookup --batch | head` writes its JSON lines with serde_json, and
/// the wrapped error used to end the run with status 2 and a message).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let pipe = std::io::ErrorKind::BrokenPipe;
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == pipe)
            || c.downcast_ref::<serde_json::Error>().is_some_and(|e| e.io_error_kind() == Some(pipe))
    })
}

/// Warns on standard error when `text` (read from `path`) looks like another language than
/// `lang` (detected on its first 4 KiB), naming the `option` to check (a wrong `--lang`
/// silently finds nothing). A warning, not an error: short or mixed texts can fool the
/// detector, and the user may know better.
pub(crate) fn warn_if_not_lang(path: &std::path::Path, text: &str, lang: crate::lang::Lang, option: &str) {
    let mut n = text.len().min(4096);
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    if let Some(found) = crate::lang::detect(&text[..n]).filter(|&l| l != lang) {
        eprintln!(
            "qantara: warning: {}: looks like {found}, not {lang}; check {option}",
            crate::input::display_name(path).display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::error_lines;
    use anyhow::Context;

    fn io(kind: std::io::ErrorKind) -> std::io::Error {
        std::io::Error::from(kind)
    }

    #[test]
    fn a_cause_repeated_in_its_context_is_printed_once() {
        let e = crate::Error::Io { path: "a.txt".into(), source: io(std::io::ErrorKind::NotFound) };
        let lines = error_lines(&anyhow::Error::new(e));
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with("a.txt: cannot read: ") && lines[0].contains("check the path"));
    }

    #[test]
    fn a_context_naming_the_same_file_gives_way_to_the_precise_message() {
        let inner = crate::Error::IsDirectory { path: "d".into() };
        let r: anyhow::Result<()> = Err(inner).context("d: cannot read");
        let lines = error_lines(&r.unwrap_err());
        assert_eq!(lines, vec!["d: is a directory; give the path of a text file".to_string()]);
    }

    #[test]
    fn a_context_adding_information_is_kept() {
        let r: anyhow::Result<()> =
            Err(anyhow::anyhow!("x.tmx:7:3: bad")).context("importing x.tmx into tm.sqlite");
        let lines = error_lines(&r.unwrap_err());
        assert_eq!(lines, vec!["importing x.tmx into tm.sqlite".to_string(), "x.tmx:7:3: bad".to_string()]);
    }
}
