//! `qantara annotate FILE`: each sentence with its glossary terms and their translations,
//! numbered by the line of the file it starts on (what a reviser's editor shows).

use super::glossary::GlossaryArgs;
use super::isolate;
use crate::glossary::{DEFAULT_THRESHOLD, Glossary};
use crate::lang::Lang;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `qantara annotate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The text file (`-` for standard input).
    file: PathBuf,
    /// Its language.
    #[arg(long)]
    lang: Lang,
    /// Languages of the suggested translations (default: the other two).
    #[arg(long, value_name = "LANGS")]
    to: Option<String>,
    /// Minimum score of a hit, in [0, 1].
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    threshold: f64,
    /// Print JSON: "span" is [start, end) in UTF-8 bytes of the decoded text (UTF-8 without
    /// BOM, \n line ends), "chars" the same in characters (Unicode scalar values).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    glossary: GlossaryArgs,
    #[command(flatten)]
    encoding: super::EncodingArg,
}

/// Runs `qantara annotate`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    anyhow::ensure!((0.0..=1.0).contains(&args.threshold), "--threshold must lie in [0, 1]");
    let text = args.encoding.read_article(&args.file)?;
    super::warn_if_not_lang(&args.file, &text, args.lang, "--lang");
    let g = args.glossary.load()?;
    let to = match &args.to {
        Some(s) => Lang::parse_list(s)?,
        None => Lang::ALL.into_iter().filter(|l| *l != args.lang).collect(),
    };
    let segments = crate::segment::segment(&text, args.lang);
    let mut out = Vec::new();
    let (mut line, mut counted) = (1, 0);
    for seg in &segments {
        // Segments come in text order, so the line count only moves forward.
        line += text[counted..seg.span.start].matches('\n').count();
        counted = seg.span.start;
        let hits = g.find_with(seg.text, Some(args.lang), args.threshold);
        out.push((line, seg, hits));
    }
    // A common phrase that is also an institution's short form counts only in context.
    let kept = g.in_context(out.iter_mut().map(|(_, _, h)| std::mem::take(h)).collect());
    for ((_, _, h), k) in out.iter_mut().zip(kept) {
        *h = k;
    }
    if args.json {
        let mut chars = crate::span::CharCounter::new(&text);
        let segs: Vec<Value> = out
            .iter()
            .enumerate()
            .map(|(i, (line, seg, hits))| {
                let hs: Vec<Value> = hits
                    .iter()
                    .map(|h| {
                        let c = &g.concepts()[h.concept];
                        let t = g.term_of(h);
                        let abs = (seg.span.start + h.span.start, seg.span.start + h.span.end);
                        let ch = chars.span(crate::span::Span::new(abs.0, abs.1));
                        let mut sugg = serde_json::Map::new();
                        for &l in &to {
                            if let Some(p) = c.preferred_like(l, t.gender, t.kind) {
                                sugg.insert(l.to_string(), json!(p.term));
                            }
                        }
                        json!({
                            "span": [abs.0, abs.1],
                            "chars": [ch.start, ch.end],
                            "surface": h.span.slice(seg.text),
                            "concept": c.id,
                            "term": t.term,
                            "type": t.kind,
                            "status": t.status,
                            "score": (h.score * 1000.0).round() / 1000.0,
                            "kind": h.kind,
                            "suggestions": sugg,
                        })
                    })
                    .collect();
                let ch = chars.span(seg.span);
                json!({
                    "index": i,
                    "line": line,
                    "span": [seg.span.start, seg.span.end],
                    "chars": [ch.start, ch.end],
                    "text": seg.text,
                    "hits": hs,
                })
            })
            .collect();
        let doc = json!({
            "file": crate::input::display_name(&args.file),
            "lang": args.lang,
            "segments": segs,
        });
        outln!("{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        print_text(&g, &out, &to)?;
    }
    Ok(ExitCode::SUCCESS)
}

type Annotated<'a> = (usize, &'a crate::segment::Segment<'a>, Vec<crate::glossary::Hit>);

fn print_text(g: &Glossary, out: &[Annotated<'_>], to: &[Lang]) -> std::io::Result<()> {
    for (line, seg, hits) in out {
        if hits.is_empty() {
            continue;
        }
        // The sentence with each hit in brackets (brackets mirror correctly in RTL runs).
        let mut marked = String::new();
        let mut pos = 0;
        for h in hits {
            if h.span.start < pos {
                continue;
            }
            marked.push_str(&seg.text[pos..h.span.start]);
            marked.push('[');
            marked.push_str(h.span.slice(seg.text));
            marked.push(']');
            pos = h.span.end;
        }
        marked.push_str(&seg.text[pos..]);
        outln!("{line:>3}  {}", isolate(&marked))?;
        for h in hits {
            let c = &g.concepts()[h.concept];
            let t = g.term_of(h);
            let sugg: Vec<String> = to
                .iter()
                .filter_map(|&l| {
                    c.preferred_like(l, t.gender, t.kind).map(|p| format!("{l}: {}", isolate(&p.term)))
                })
                .collect();
            let status = if t.status.is_admitted() { String::new() } else { format!(" {}", t.status) };
            outln!(
                "     {}  {} {:.2}{}  → {}",
                isolate(h.span.slice(seg.text)),
                c.id,
                h.score,
                status,
                sugg.join(" | ")
            )?;
        }
    }
    Ok(())
}
