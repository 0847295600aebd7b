//! The SRX engine, and the built-in rules expressed as SRX.
//!
//! # Semantics
//!
//! SRX 2.0 decides, at every position between two characters, whether the text breaks there:
//! the rules of the language (picked by the map rules, see [`crate::formats::srx`]) are tried
//! in order, and the first rule whose `beforebreak` regex matches text ending at the position
//! and whose `afterbreak` regex matches text starting there decides (`break="yes"` or `"no"`);
//! when no rule matches, there is no break. qantara applies this inside each line (a line end
//! is always a boundary, as with the built-in rules) and trims the whitespace around each
//! piece, so SRX output keeps the segment invariants of [`super`].
//!
//! # Regexes
//!
//! Rules are compiled with the `regex` crate: `beforebreak` as `(?:B)\z` run on the line up to
//! the position, `afterbreak` as `\A(?:A)` run on the rest of the line. Rust's syntax covers
//! what SRX files usually use (`\s`, `\p{Lu}`, classes, alternations); Java-only constructs
//! (look-around, possessive quantifiers, `\p{javaLowerCase}`) are rejected with the file, line
//! and column of the rule. The exported rules keep to the syntax Rust `regex`, ICU and Java
//! (OmegaT, Okapi) share: general categories (`\p{L}`, `\p{M}`, `\p{Ll}`, `\p{Lu}`, `\p{N}`), `\x{0620}`
//! code points, classes and alternations; no binary properties such as `\p{Alphabetic}`, which
//! Java spells differently. Assertions at the cut (`\b` at the end of a `beforebreak`) see the
//! cut as the edge of the text.
//!
//! # Cost
//!
//! A break rule can only fire where some `beforebreak` of a break rule matches, so each
//! position is first tested against one regex that is the union of those (anchored at the end:
//! the regex engine runs it backwards from the position, touching only the characters it
//! needs); the rules are tried in order only at the positions that pass.
//!
//! **Bounded windows.** A `beforebreak` sees at most the [`WINDOW`] characters before the
//! position and an `afterbreak` at most the [`WINDOW`] after it (the search span is bounded;
//! the anchors still see the whole line, so `^` only matches at the real start of the line and
//! `$` only at its real end, never at the window's edge). Without the bound a rule such as
//! `^.*\.` or an afterbreak `.*$` reads the whole line at every candidate position: a 1 MB line
//! never finished. With it, time is at most linear in the line times [`WINDOW`] times the
//! number of rules. The cost of the bound: a rule whose match needs more than [`WINDOW`]
//! characters of context (`^.*\.` more than 500 characters into a line) does not match there;
//! sentence rules look at a few words around a terminal, not at whole lines.
//!
//! # The built-in rules as SRX
//!
//! [`builtin_srx`] writes the scanner's decision procedure ([`super::scanner`]) as ordered SRX
//! rules built from the same tables ([`super::rules`]): the no-break rules first (lower-case
//! continuation, elision marks, titles, initials, acronyms, numbered abbreviations, list
//! numbers), with the "sentence starter" exceptions as break rules placed just before the
//! no-break rule they override, and one final break rule for any terminal followed by a space.

use super::rules::{CLOSERS, DETACHED_CLOSERS, LangRules, OPENERS, TERMINALS, is_closer, is_terminal};
use crate::lang::Lang;
use regex::Regex;
use regex_automata::{Input, meta};
use std::path::PathBuf;

/// SRX rules: the data of an SRX document ([`crate::formats::srx`] reads and writes the file).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Srx {
    /// The file it was read from (empty for rules built in memory), for error messages.
    pub source: PathBuf,
    /// `cascade="yes"`: all matching language maps apply, not only the first.
    pub cascade: bool,
    /// Named language rules, in file order.
    pub language_rules: Vec<LanguageRules>,
    /// Language maps, in file order.
    pub maps: Vec<LanguageMap>,
}

/// One `<languagerule languagerulename="...">`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageRules {
    /// `languagerulename`.
    pub name: String,
    /// The rules, in order (the first rule that matches at a position decides).
    pub rules: Vec<Rule>,
}

/// One `<rule>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `break="yes"` (the default) or `"no"`.
    pub is_break: bool,
    /// The `<beforebreak>` regex (empty when absent: matches everywhere).
    pub before: String,
    /// The `<afterbreak>` regex (empty when absent).
    pub after: String,
    /// Where the rule is written, for error messages (1-based; 0 for rules built in memory).
    pub pos: Pos,
}

/// One `<languagemap>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageMap {
    /// `languagepattern`: a regex that must match the whole language code.
    pub pattern: String,
    /// `languagerulename`: the language rules it selects.
    pub rule_name: String,
    /// Where the map is written.
    pub pos: Pos,
}

/// A 1-based line and column in the SRX file (0:0 when not read from a file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line.
    pub line: usize,
    /// Column, in characters.
    pub column: usize,
}

impl Rule {
    /// A rule built in memory.
    pub fn new(is_break: bool, before: impl Into<String>, after: impl Into<String>) -> Self {
        Rule { is_break, before: before.into(), after: after.into(), pos: Pos::default() }
    }
}

/// Errors compiling SRX rules for a language.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A `beforebreak`/`afterbreak`/`languagepattern` is not a valid regex.
    #[error(
        "{path}:{line}:{column}: {what} is not a regular expression qantara can run: {msg} \
         (look-around and Java-only syntax are not supported; rewrite the rule)"
    )]
    Regex {
        /// The SRX file.
        path: PathBuf,
        /// 1-based line of the rule.
        line: usize,
        /// 1-based column of the rule.
        column: usize,
        /// Which regex.
        what: &'static str,
        /// The regex crate's message.
        msg: String,
    },
    /// No language map matches the language.
    #[error(
        "{path}: no <languagemap> matches language \"{lang}\"; add one (e.g. languagepattern=\"{lang}.*\")"
    )]
    NoRules {
        /// The SRX file.
        path: PathBuf,
        /// The language.
        lang: Lang,
    },
}

/// How many characters before a position a `beforebreak` sees, and after it an `afterbreak`
/// (see the module doc, "Bounded windows").
pub const WINDOW: usize = 500;

/// One compiled rule.
#[derive(Debug)]
struct Compiled {
    is_break: bool,
    before: Option<meta::Regex>,
    after: Option<meta::Regex>,
}

/// SRX rules compiled for one language.
#[derive(Debug)]
pub struct SrxSegmenter {
    rules: Vec<Compiled>,
    /// Union of the `beforebreak` of the break rules, anchored at the end; `None` when a break
    /// rule has no `beforebreak` (then every position is a candidate).
    prefilter: Option<meta::Regex>,
    /// True when there is no break rule at all.
    no_breaks: bool,
}

impl SrxSegmenter {
    /// Compiles the rules `srx` maps to `lang`.
    pub fn new(srx: &Srx, lang: Lang) -> Result<Self, Error> {
        let code = lang.to_string();
        let mut selected: Vec<&Rule> = Vec::new();
        let mut any = false;
        for map in &srx.maps {
            let re = compile(&format!("(?i)^(?:{})$", map.pattern), srx, map.pos, "languagepattern")?;
            if !re.is_match(code.as_str()) {
                continue;
            }
            any = true;
            if let Some(lr) = srx.language_rules.iter().find(|r| r.name == map.rule_name) {
                selected.extend(&lr.rules);
            }
            if !srx.cascade {
                break;
            }
        }
        if !any {
            return Err(Error::NoRules { path: srx.source.clone(), lang });
        }
        let mut rules = Vec::with_capacity(selected.len());
        let mut break_befores = Vec::new();
        let mut unfiltered = false;
        for r in &selected {
            let before = if r.before.is_empty() {
                None
            } else {
                Some(compile(&format!("(?:{})\\z", r.before), srx, r.pos, "beforebreak")?)
            };
            let after = if r.after.is_empty() {
                None
            } else {
                Some(compile(&format!("\\A(?:{})", r.after), srx, r.pos, "afterbreak")?)
            };
            if r.is_break {
                if r.before.is_empty() {
                    unfiltered = true;
                } else {
                    break_befores.push(format!("(?:{})", r.before));
                }
            }
            rules.push(Compiled { is_break: r.is_break, before, after });
        }
        let no_breaks = !unfiltered && break_befores.is_empty();
        let prefilter = if unfiltered || no_breaks {
            None
        } else {
            let pattern = format!("(?:{})\\z", break_befores.join("|"));
            Some(meta::Regex::new(&pattern).map_err(|e| Error::Regex {
                path: srx.source.clone(),
                line: 0,
                column: 0,
                what: "the union of the beforebreak rules",
                msg: e.to_string(),
            })?)
        };
        Ok(SrxSegmenter { rules, prefilter, no_breaks })
    }

    /// Pushes the break positions inside `line` (byte offsets, increasing, not 0 or the end).
    pub fn line_breaks(&self, line: &str, out: &mut Vec<usize>) {
        if self.no_breaks {
            return;
        }
        // Every char boundary of the line, its end included: window edges are WINDOW
        // characters away from the position.
        let bounds: Vec<usize> = line.char_indices().map(|(i, _)| i).chain([line.len()]).collect();
        let last = bounds.len() - 1;
        for i in 1..last {
            let p = bounds[i];
            let (head, tail) = line.split_at(p);
            let before = Input::new(head).span(bounds[i.saturating_sub(WINDOW)]..p);
            let after = Input::new(tail).span(0..bounds[(i + WINDOW).min(last)] - p);
            if let Some(pre) = &self.prefilter {
                if !pre.is_match(before.clone()) {
                    continue;
                }
            }
            for r in &self.rules {
                let after_ok = r.after.as_ref().is_none_or(|a| a.is_match(after.clone()));
                if after_ok && r.before.as_ref().is_none_or(|b| b.is_match(before.clone())) {
                    if r.is_break {
                        out.push(p);
                    }
                    break;
                }
            }
        }
    }
}

/// Compiles a rule's regex (checked by `regex` first, whose messages point at the fault).
fn compile(pattern: &str, srx: &Srx, pos: Pos, what: &'static str) -> Result<meta::Regex, Error> {
    let error = |msg: String| Error::Regex {
        path: srx.source.clone(),
        line: pos.line,
        column: pos.column,
        what,
        msg: msg.lines().last().unwrap_or_default().trim().to_string(),
    };
    Regex::new(pattern).map_err(|e| error(e.to_string()))?;
    meta::Regex::new(pattern).map_err(|e| error(e.to_string()))
}

/// A regex character class holding `chars`.
fn class(chars: &[char]) -> String {
    let mut s = String::from("[");
    for c in chars {
        s.push_str(&regex::escape(&c.to_string()));
    }
    s.push(']');
    s
}

/// A regex alternation of the literal `words`.
fn alt(words: &[&str]) -> String {
    let v: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    format!("(?:{})", v.join("|"))
}

/// The built-in rules of the three languages as an SRX 2.0 document (one language rule each,
/// mapped from `ar.*`, `fr.*`, `en.*`).
pub fn builtin_srx() -> Srx {
    let mut srx = Srx::default();
    for lang in [Lang::Ar, Lang::Fr, Lang::En] {
        let name = format!("qantara-{lang}");
        srx.language_rules
            .push(LanguageRules { name: name.clone(), rules: builtin_rules(LangRules::for_lang(lang)) });
        srx.maps.push(LanguageMap { pattern: format!("{lang}.*"), rule_name: name, pos: Pos::default() });
    }
    srx
}

/// The scanner's procedure for one language as ordered SRX rules (see the module docs).
fn builtin_rules(r: &LangRules) -> Vec<Rule> {
    debug_assert!(TERMINALS.iter().all(|&c| is_terminal(c)) && CLOSERS.iter().all(|&c| is_closer(c)));
    let t = class(TERMINALS);
    let tc = class(&[TERMINALS, CLOSERS].concat());
    let c = class(CLOSERS);
    let detached = format!("(?:\\s+{})?", class(DETACHED_CLOSERS));
    // A sentence ending: a terminal, then terminals and closers, maybe a detached closer.
    let end = format!("{t}{tc}*{detached}");
    // The end after a single period (the terminal run is exactly ".").
    let dot_end = format!("\\.(?:{c}{tc}*)?{detached}");
    let open_ws = format!("{}*", class(&[OPENERS, &[' ']].concat()).replace(' ', "\\s"));
    // The start of the word before a period: after a space, an apostrophe or the line start,
    // then punctuation that is not part of the word.
    let word_start = "(?:^|[\\s'’])[^\\s\\p{L}\\p{M}\\p{N}]*";
    let next_is = |words: &[&str]| format!("\\s+{open_ws}{}(?:[^\\p{{L}}\\p{{M}}]|$)", alt(words));
    let letter = "[\\p{Lu}\\x{0620}-\\x{064A}\\x{066E}-\\x{06D3}\\x{06D5}\\x{06FA}-\\x{06FC}\\x{0750}-\\x{077F}\\x{08A0}-\\x{08C9}\\x{FB50}-\\x{FDFF}\\x{FE70}-\\x{FEFC}]";
    let acronym = "\\p{L}{1,2}(?:\\.-*\\p{L}{1,2})+";
    let long_starters: Vec<&str> =
        r.starters.iter().copied().filter(|w| w.chars().nth(1).is_some()).collect();

    let mut rules = vec![
        // 1. Lower-case continuation, or a closer/comma/colon after the space.
        Rule::new(false, &end, format!("\\s+{open_ws}\\p{{Ll}}")),
        Rule::new(false, &end, format!("\\s+{}", class(&['»', '”', ',', ';', ':', ')', ']']))),
    ];
    if !r.ellipsis_ends_sentence {
        // An ellipsis (the whole terminal run is `..`+ or `…`) is a pause inside a sentence.
        let not_tc = format!("[^{}", &tc[1..]);
        rules.push(Rule::new(
            false,
            format!("(?:^|{not_tc}){c}*(?:\\.\\.+|…)(?:{c}{tc}*)?{detached}"),
            "\\s",
        ));
    }
    // 2. An elision mark in brackets: "(...)", "[…]".
    rules.push(Rule::new(false, format!("[(\\[]{end}"), "\\s"));
    // 3a. Titles.
    if !r.titles.is_empty() {
        rules.push(Rule::new(false, format!("{word_start}{}{dot_end}", alt(r.titles)), "\\s"));
    }
    // 3b. Initials, unless an era marker ends a date or a sentence starter follows.
    if !r.era_markers.is_empty() {
        let nonan = "[^\\s\\p{L}\\p{M}\\p{N}]*";
        let before = format!("(?:^|\\s)\\p{{N}}+\\s+{nonan}{}{dot_end}", class(r.era_markers));
        rules.push(Rule::new(true, before, "\\s"));
    }
    let initial = format!("{word_start}{letter}{dot_end}");
    if !long_starters.is_empty() {
        rules.push(Rule::new(true, &initial, next_is(&long_starters)));
    }
    rules.push(Rule::new(false, &initial, "\\s"));
    // 3c. Dotted acronyms, unless a sentence starter follows.
    let acro = format!("{word_start}{acronym}{dot_end}");
    if !r.starters.is_empty() {
        rules.push(Rule::new(true, &acro, next_is(r.starters)));
    }
    rules.push(Rule::new(false, &acro, "\\s"));
    // 3d. Abbreviations before a number.
    if !r.before_number.is_empty() {
        rules.push(Rule::new(
            false,
            format!("{word_start}{}{dot_end}", alt(r.before_number)),
            format!("\\s+{open_ws}[0-9]"),
        ));
    }
    // 3e. A list number opening the line.
    rules.push(Rule::new(false, format!("^\\s*[0-9]+{dot_end}"), "\\s"));
    // 4. Any other terminal followed by a space.
    rules.push(Rule::new(true, &end, "\\s"));
    rules
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::srx::read;
    use std::path::Path;

    fn doc(cascade: &str) -> Srx {
        let xml = format!(
            r#"<srx version="2.0"><header cascade="{cascade}"/><body><languagerules>
<languagerule languagerulename="fr-only"><rule break="no"><beforebreak>\bM\.</beforebreak><afterbreak>\s</afterbreak></rule></languagerule>
<languagerule languagerulename="all"><rule><beforebreak>[.;]</beforebreak><afterbreak>\s</afterbreak></rule></languagerule>
</languagerules><maprules>
<languagemap languagepattern="FR.*" languagerulename="fr-only"/>
<languagemap languagepattern=".*" languagerulename="all"/>
</maprules></body></srx>"#
        );
        read(&xml, Path::new("t.srx")).unwrap()
    }

    fn split(srx: &Srx, lang: Lang, text: &str) -> Vec<String> {
        let seg = super::super::Segmenter::srx(SrxSegmenter::new(srx, lang).unwrap());
        seg.segment(text).iter().map(|s| s.text.to_string()).collect()
    }

    /// OmegaT and Okapi compile SRX rules with Java's `java.util.regex`, which rejects Rust's
    /// binary-property names (`\p{Alphabetic}`); the exported rules must keep to the general
    /// categories the three engines share. (Checked with `javac`: all 66 patterns compile.)
    #[test]
    fn exported_rules_use_only_properties_java_and_icu_know() {
        let portable = ["L", "M", "N", "Ll", "Lu"];
        let srx = builtin_srx();
        let mut seen = 0;
        for rule in srx.language_rules.iter().flat_map(|l| &l.rules) {
            for pattern in [&rule.before, &rule.after] {
                for (i, _) in pattern.match_indices("\\p{") {
                    let name: String = pattern[i + 3..].chars().take_while(|c| *c != '}').collect();
                    assert!(portable.contains(&name.as_str()), "\\p{{{name}}} in {pattern}");
                    seen += 1;
                }
                assert!(!pattern.contains("\\P{") && !pattern.contains("(?<"), "{pattern}");
            }
        }
        assert!(seen > 10, "the rules use character properties");
    }

    #[test]
    fn cascade_joins_the_rules_of_every_matching_map_in_order() {
        let text = "M. Dupont vint; il partit.";
        // cascade: the French no-break rule, then the general break rule.
        assert_eq!(split(&doc("yes"), Lang::Fr, text), ["M. Dupont vint;", "il partit."]);
        // No cascade: only the first matching map (case-insensitive pattern) applies, and it
        // has no break rule.
        assert_eq!(split(&doc("no"), Lang::Fr, text), [text]);
        // English matches only the general map.
        assert_eq!(split(&doc("no"), Lang::En, text), ["M.", "Dupont vint;", "il partit."]);
    }

    fn one_rule(before: &str, after: &str) -> Srx {
        let xml = format!(
            r#"<srx version="2.0"><body><languagerules><languagerule languagerulename="x">
<rule><beforebreak>{before}</beforebreak><afterbreak>{after}</afterbreak></rule></languagerule></languagerules>
<maprules><languagemap languagepattern=".*" languagerulename="x"/></maprules></body></srx>"#
        );
        read(&xml, Path::new("x.srx")).unwrap()
    }

    /// The windows bound the search, not the anchors: `^` matches only at the line's start and
    /// `$` only at its end, even when the window's edge falls elsewhere; within the window a
    /// greedy rule still matches; beyond it, it does not.
    #[test]
    fn rule_windows_keep_line_anchors_and_bound_the_context() {
        let srx = one_rule(r"^.*\.", r"\s");
        assert_eq!(split(&srx, Lang::En, "Un. Deux. Trois."), ["Un.", "Deux.", "Trois."]);
        // A terminal more than WINDOW characters into the line: `^` is out of sight.
        let long = format!("{}. Fin.", "a".repeat(WINDOW + 10));
        assert_eq!(split(&srx, Lang::En, &long), [long.as_str()]);
        // `$` in an afterbreak: only the real end of the line, not the window's edge.
        let srx = one_rule(r"\.", r"\s\w+\.$");
        let text = format!("A. B. {} C.", "mot ".repeat(WINDOW));
        assert_eq!(split(&srx, Lang::En, &text), [text.as_str()]);
        assert_eq!(split(&srx, Lang::En, "A. B. C."), ["A. B.", "C."]);
        // `\b` at the window's start sees the character before it.
        let srx = one_rule(r"\bx\.", r"\s");
        let text = format!("{}x. y", "a".repeat(WINDOW - 2));
        assert_eq!(split(&srx, Lang::En, &text), [text.as_str()]);
    }

    #[test]
    fn a_rule_without_beforebreak_applies_everywhere() {
        let xml = r#"<srx version="2.0"><body><languagerules><languagerule languagerulename="x">
<rule><afterbreak>X</afterbreak></rule></languagerule></languagerules>
<maprules><languagemap languagepattern=".*" languagerulename="x"/></maprules></body></srx>"#;
        let srx = read(xml, Path::new("x.srx")).unwrap();
        assert_eq!(split(&srx, Lang::En, "aXbX"), ["a", "Xb", "X"]);
    }

    #[test]
    fn unsupported_regex_is_reported_at_its_rule() {
        let xml = "<srx version=\"2.0\"><body><languagerules>\n<languagerule languagerulename=\"x\">\n  \
                   <rule><beforebreak>(?=a)</beforebreak></rule></languagerule></languagerules>\n\
                   <maprules><languagemap languagepattern=\".*\" languagerulename=\"x\"/></maprules></body></srx>";
        let srx = read(xml, Path::new("x.srx")).unwrap();
        let msg = SrxSegmenter::new(&srx, Lang::Fr).unwrap_err().to_string();
        assert!(msg.starts_with("x.srx:3:3: beforebreak is not a regular expression"), "{msg}");
    }
}
