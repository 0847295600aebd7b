//! `qantara segment`: split a text into sentences and print them.

use crate::formats::srx;
use crate::lang::Lang;
use crate::segment::{Segment, Segmenter};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `qantara segment`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Rules:\n  \
    Paragraphs end at blank lines (lines of spaces or no-break spaces count as blank); a \
    sentence never crosses a line end; a line without final punctuation (heading, dateline, \
    byline, counter) is a segment of kind \"line\". Sentence ends are . ! ? … ؟ ۔ with the \
    closing quotes and brackets after them, except after titles and abbreviations (M., Mme, \
    Mr., Dr., No., د.), initials (J. K.), acronyms (D.G.S.N., U.S.), inside numbers, dates, \
    URLs and e-mail addresses, and before a lower-case word. Segments are exact slices of the \
    decoded text (only the whitespace between them is left out).\n\n\
    Offsets (--format jsonl and json):\n  \
    \"start\"/\"end\" are byte offsets into the decoded text: UTF-8, without a byte-order mark, \
    with every line end (CRLF, CR) turned into \\n, after --encoding if given. For a UTF-8 file \
    without BOM and with LF line ends these are the file's own bytes; for a file with a BOM, \
    CRLF line ends, UTF-16 or a legacy encoding they are not (decode it the same way to use \
    them).\n\n\
    Examples:\n  \
    qantara segment seeds/dgsn-visit-france-2024/ar.txt --lang ar\n  \
    qantara segment article.txt --lang fr --format jsonl\n  \
    qantara segment - --lang en --srx my-rules.srx < article.txt\n  \
    qantara segment --export-srx > qantara.srx")]
pub struct Args {
    /// Text file to segment (UTF-8 with or without BOM, UTF-16 with BOM); `-` reads stdin.
    #[arg(required_unless_present = "export_srx")]
    file: Option<PathBuf>,
    /// Language of the text: ar, fr or en (also ar-MA, fra, ...).
    #[arg(long, short, required_unless_present = "export_srx")]
    lang: Option<Lang>,
    /// Output: `lines` (one segment a line), `jsonl` (JSON Lines: one JSON object a line with
    /// text, start/end byte offsets into the decoded UTF-8 text with \n line ends, paragraph
    /// index and kind) or `json` (the same objects as one JSON array).
    #[arg(long, value_enum, default_value_t = Format::Lines)]
    format: Format,
    /// Segment with the rules of this SRX 2.0 file instead of the built-in ones (the language
    /// map picks the rules for --lang).
    #[arg(long, value_name = "FILE")]
    srx: Option<PathBuf>,
    /// Print the built-in rules of all three languages as an SRX 2.0 file and exit.
    #[arg(long, conflicts_with_all = ["file", "srx"])]
    export_srx: bool,
    #[command(flatten)]
    encoding: super::EncodingArg,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One segment a line.
    Lines,
    /// JSON Lines: {"text", "start", "end", "paragraph", "kind"} a line; start/end are byte
    /// offsets into the decoded UTF-8 text with \n line ends.
    Jsonl,
    /// One JSON document: an array of the `jsonl` objects.
    Json,
}

/// Runs `qantara segment`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    if args.export_srx {
        out.write_all(srx::write(&crate::segment::srx::builtin_srx()).as_bytes())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(path), Some(lang)) = (args.file, args.lang) else {
        anyhow::bail!("give a FILE and --lang (or --export-srx)");
    };
    let segmenter = match &args.srx {
        Some(p) => crate::formats::srx::segmenter_from_file(p, lang)?,
        None => Segmenter::builtin(lang),
    };
    let text = args.encoding.read_article(&path)?;
    super::warn_if_not_lang(&path, &text, lang, "--lang");
    let segments = segmenter.segment(&text);
    write_segments(&mut out, &segments, args.format).context("cannot write the output")?;
    out.flush().context("cannot write the output")?;
    Ok(ExitCode::SUCCESS)
}

/// One line of `--format json`, fields in this order.
#[derive(serde::Serialize)]
struct JsonSegment<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    paragraph: usize,
    kind: crate::segment::SegmentKind,
}

fn json_segment<'t>(s: &Segment<'t>) -> JsonSegment<'t> {
    JsonSegment { text: s.text, start: s.span.start, end: s.span.end, paragraph: s.paragraph, kind: s.kind }
}

fn write_segments(out: &mut impl Write, segments: &[Segment<'_>], format: Format) -> std::io::Result<()> {
    let obj = json_segment;
    match format {
        Format::Lines => {
            for s in segments {
                out.write_all(s.text.as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
        Format::Jsonl => {
            for s in segments {
                serde_json::to_writer(&mut *out, &obj(s))?;
                out.write_all(b"\n")?;
            }
        }
        Format::Json => {
            let all: Vec<JsonSegment<'_>> = segments.iter().map(obj).collect();
            serde_json::to_writer_pretty(&mut *out, &all)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
