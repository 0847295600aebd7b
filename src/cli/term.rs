//! `qantara term QUERY`: the concepts a query denotes, with their terms in every language.

use super::glossary::GlossaryArgs;
use super::isolate;
use crate::glossary::{Concept, Glossary, Status};
use crate::lang::{Lang, is_arabic_letter};
use std::process::ExitCode;

/// Arguments of `qantara term`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The term to look up (any surface form: clitics, diacritics, acronyms, typos).
    query: String,
    /// Language of the query: ar, fr, en or auto.
    #[arg(long, default_value = "auto")]
    lang: String,
    /// Languages to show (default: all).
    #[arg(long, value_name = "LANGS")]
    to: Option<String>,
    /// Maximum number of concepts (1 or more).
    #[arg(long, default_value_t = 5, value_parser = super::lookup::limit)]
    limit: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    glossary: GlossaryArgs,
}

/// Runs `qantara term`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // An empty query is a usage mistake, not a term the glossary lacks (exit 2, not 1).
    anyhow::ensure!(
        !crate::normalize::tokens(&args.query).is_empty(),
        "the query {:?} has no letter or digit: give the term to look up, e.g. qantara term DGSN",
        args.query
    );
    let lang: Option<Lang> = match args.lang.as_str() {
        "auto" => args.query.chars().any(is_arabic_letter).then_some(Lang::Ar),
        l => Some(l.parse()?),
    };
    let to = match &args.to {
        Some(s) => Lang::parse_list(s)?,
        None => Lang::ALL.to_vec(),
    };
    let g = args.glossary.load()?;
    let matches = g.lookup(&args.query, lang, args.limit);
    // A partial match (the query is part of a term, or more than one) is shown as such, and
    // is not a term the query names: only whole matches make the status 0.
    let found = matches.iter().any(|m| !m.partial);
    let shown_lang = lang.or_else(|| matches.first().map(|m| g.concepts()[m.concept].terms[m.term].lang));
    if args.json {
        let doc = crate::glossary::report::term_matches(&g, &args.query, shown_lang, &matches, &to);
        outln!("{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        print_text(&g, &args.query, &matches, &to)?;
    }
    Ok(if found { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The preferred term per language, of the matched term's gender (a query for the feminine
/// title gets the feminine translation).
/// What to say after the matched term: nothing for a preferred term, its status otherwise,
/// and for a deprecated or superseded one the preferred term of its language (and gender) to
/// use instead. The match line says it because `--to` may leave the query's language out of
/// the term list, where the status would otherwise be shown.
fn matched_status(c: &Concept, term: usize) -> String {
    let t = &c.terms[term];
    match t.status {
        Status::Preferred => String::new(),
        Status::Admitted => format!(", {}", t.status),
        Status::Deprecated | Status::Superseded => {
            match c
                .preferred_with_gender(t.lang, t.gender)
                .filter(|p| p.term != t.term && p.status.is_admitted())
            {
                Some(p) => format!(", {}: use {}", t.status, isolate(&p.term)),
                None => format!(", {}", t.status),
            }
        }
    }
}

fn print_text(
    g: &Glossary,
    query: &str,
    matches: &[crate::glossary::LookupMatch],
    to: &[Lang],
) -> std::io::Result<()> {
    if matches.is_empty() {
        outln!("no concept found for {}", isolate(query))?;
        return Ok(());
    }
    if matches.iter().all(|m| m.partial) {
        outln!(
            "no term is named by {}; partial matches only (words of the query in a longer term):",
            isolate(query)
        )?;
    }
    for m in matches {
        let c = &g.concepts()[m.concept];
        outln!(
            "{}  {:.2}  ({} {}{})  [{} · {}]",
            c.id,
            m.score,
            if m.partial { "partial match of" } else { "matched" },
            isolate(&c.terms[m.term].term),
            matched_status(c, m.term),
            c.country,
            c.subject
        )?;
        for &l in to {
            for t in c.terms_in(l) {
                let gender = t.gender.map_or(String::new(), |g| format!(", {g}"));
                outln!("  {l}  {}  ({}, {}{gender})", isolate(&t.term), t.kind, t.status)?;
            }
        }
        if !c.definition.is_empty() {
            outln!("  note: {}", c.definition)?;
        }
    }
    Ok(())
}
