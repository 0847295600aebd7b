//! The built-in sentence scanner: one left-to-right pass over the bytes of a line.
//!
//! A *candidate* is a run of sentence-ending characters ([`super::rules::TERMINALS`]) and closing quotes or
//! brackets ([`super::rules::CLOSERS`]) followed by whitespace. Text like `3.5`, `26.06.2024`, `D.G.S.N`,
//! `www.dgsn.gov.ma` or `a.b@c.ma` never yields a candidate, since no space follows its dots:
//! this single condition covers decimals, dates, URLs, e-mail addresses and the inner dots of
//! acronyms. A French closer set off by a space (`fin. »`) is pulled into the sentence.
//!
//! Each candidate is then judged by the no-break rules, in this order (the first that applies
//! wins; the same order is exported as SRX by [`super::srx::builtin_srx`]):
//!
//! 1. the next word starts with a lower-case letter (after opening quotes/brackets): the
//!    sentence goes on (`etc. and`, `… puis`, `« Quoi ? » demanda-t-il`); so does a closing
//!    quote, comma, colon or bracket after the space (`? », a-t-il dit`);
//! 2. for languages without letter case (Arabic), an ellipsis `...`/`…` is a pause, not an end;
//! 3. the ending is `(…)` / `[...]`: an elision mark inside a quotation;
//! 4. for a single period only, by the word before it (the text since the last space and
//!    apostrophe, without leading punctuation: "(Mr" → "Mr", "l’art" → "art"):
//!    * a title or abbreviation that is always followed by a name (`Mr.`, `M.`, `Mme.`, `av.`);
//!    * a single capital or Arabic letter: an initial (`J. K. Rowling`, `د. أحمد`), unless a
//!      sentence starter of two letters or more follows (`grade B. The`) or it is an Arabic
//!      era marker after a year (`عام 1956 م.`);
//!    * a dotted acronym (`U.S.`, `D.G.S.N.`, `أ.د.`: parts of one or two letters) unless a
//!      sentence starter follows (`in the U.S. The`);
//!    * an abbreviation that introduces a number (`No. 5`, `p. 12`, `Jan. 26`) before a digit;
//!    * a bare number that opens the line (a list item `1. `);
//! 5. otherwise the candidate is a sentence end.
//!
//! Why this is valid: a period that ends a sentence is followed by a space and, in French and
//! English, by a capital; the rules only withhold a break where a capital or digit follows for
//! a known non-final reason (a name after a title or initial, a number after "No.", a proper
//! noun after an acronym). Measured on NTREX dev with `bench/seg.sh`: F1 on punctuated
//! boundaries 0.99+ for Arabic and English; French loses precision only where the reference
//! translation joins two sentences into one line (see `bench/seg-report.md`).
//!
//! Cost: every byte is looked at once by the scan; the word tests run only at candidates, and
//! each looks at the two words around it (bounded work, tables of a few dozen entries). No
//! allocation happens besides the output vector.

use super::rules::{DETACHED_CLOSERS, LangRules, is_closer, is_opener, is_terminal};

/// Finds the sentence ends inside `line` (which holds no `\n`), pushing the byte offset just
/// past each sentence's last character onto `out`. The end of the line is not pushed.
pub fn line_breaks(line: &str, rules: &LangRules, out: &mut Vec<usize>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Fast path: a terminal can only end at one of a few byte values (see
        // `TRIGGER`); all other bytes are skipped with one table look-up each.
        if !TRIGGER[b as usize] {
            i += 1;
            continue;
        }
        // Back up to the start of the character this byte ends (UTF-8 continuation bytes
        // are 10xxxxxx) and check that it is a terminal.
        let mut cs = i;
        while cs > 0 && bytes[cs] & 0xC0 == 0x80 && i - cs < 3 {
            cs -= 1;
        }
        if !line.is_char_boundary(cs) || !is_terminal(char_at(line, cs)) {
            i += 1;
            continue;
        }
        i = cs;
        let start = i;
        // The run of terminals, then of terminals and closers.
        let mut j = i;
        while j < bytes.len() {
            let c = char_at(line, j);
            if is_terminal(c) {
                j += c.len_utf8();
            } else {
                break;
            }
        }
        let punct_end = j;
        while j < bytes.len() {
            let c = char_at(line, j);
            if is_terminal(c) || is_closer(c) {
                j += c.len_utf8();
            } else {
                break;
            }
        }
        if j >= bytes.len() {
            return;
        }
        if !char_at(line, j).is_whitespace() {
            i = j;
            continue;
        }
        // A closer set off by spaces (`fin. »`) belongs to the sentence before it.
        let mut end = j;
        let k = skip_ws(line, j);
        if k < bytes.len() {
            let c = char_at(line, k);
            if DETACHED_CLOSERS.contains(&c) {
                let k2 = k + c.len_utf8();
                if k2 >= bytes.len() {
                    return;
                }
                if char_at(line, k2).is_whitespace() {
                    end = k2;
                }
            }
        }
        let next = skip_ws(line, end);
        if next >= bytes.len() {
            return;
        }
        if is_break(line, start, punct_end, next, rules) {
            out.push(end);
        }
        i = next;
    }
}

/// Decides whether the candidate whose terminals are `line[start..punct_end]` and whose next
/// sentence would start at `next` is a sentence end.
fn is_break(line: &str, start: usize, punct_end: usize, next: usize, rules: &LangRules) -> bool {
    let next_word = next_word(line, next);
    let first = next_word.first;
    // 1. Lower-case continuation, or the sentence goes on after a closing quote set off by a
    //    space (`? », a-t-il dit`) or with a comma, semicolon or colon.
    if first.is_some_and(char::is_lowercase) || line[next..].starts_with(CONTINUATION) {
        return false;
    }
    // Some languages use `...`/`…` as a pause inside sentences and have no capital letters to
    // tell a new sentence from a continuation (Arabic).
    if !rules.ellipsis_ends_sentence && is_ellipsis(&line[start..punct_end]) {
        return false;
    }
    // 2. An elision mark in brackets.
    let before = &line[..start];
    if before.ends_with(['(', '[']) {
        return false;
    }
    // 3. A single period: look at the word before it.
    if &line[start..punct_end] != "." {
        return true;
    }
    let word = word_before(before);
    if word.is_empty() {
        return true;
    }
    if rules.titles.contains(&word) {
        return false;
    }
    let mut chars = word.chars();
    let c0 = chars.next().unwrap_or(' ');
    if chars.next().is_none() && (c0.is_uppercase() || crate::lang::is_arabic_letter(c0)) {
        if rules.era_markers.contains(&c0) && follows_number(before, word) {
            return true;
        }
        // An initial, unless a sentence starter (not a one-letter one, which would be another
        // initial) follows: "J. K. Rowling" but "grade A. The".
        let letters = next_word.letters();
        return letters.chars().nth(1).is_some() && rules.starters.contains(&letters);
    }
    if is_dotted_acronym(word) {
        return rules.starters.contains(&next_word.letters());
    }
    if first.is_some_and(|c| c.is_ascii_digit()) && rules.before_number.contains(&word) {
        return false;
    }
    if word.bytes().all(|b| b.is_ascii_digit()) && word.len() == before.trim_start().len() {
        return false;
    }
    true
}

/// The last byte of the UTF-8 encoding of every terminal: `. ! ?`, 9F (؟ D8 9F), 94 (۔ DB 94),
/// A6 (… E2 80 A6), BC (‼ E2 80 BC), 87 88 89 (⁇ ⁈ ⁉ E2 81 8x), 82 (。 E3 80 82).
static TRIGGER: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    let bytes = [b'.', b'!', b'?', 0x9F, 0x94, 0xA6, 0xBC, 0x87, 0x88, 0x89, 0x82];
    while k < bytes.len() {
        t[bytes[k] as usize] = true;
        k += 1;
    }
    t
};

/// True when the token before the period is `word` itself (after leading punctuation) and
/// the token before it is a number: "1956 م" in "عام 1956 م.".
fn follows_number(before: &str, word: &str) -> bool {
    let token_start = before
        .rfind(char::is_whitespace)
        .map_or(0, |k| k + before[k..].chars().next().map_or(1, char::len_utf8));
    if before[token_start..].trim_start_matches(|c: char| !c.is_alphanumeric()) != word {
        return false;
    }
    let prev = before[..token_start].trim_end();
    let prev = match prev.rfind(char::is_whitespace) {
        Some(k) => &prev[k + prev[k..].chars().next().map_or(1, char::len_utf8)..],
        None => prev,
    };
    !prev.is_empty() && prev.chars().all(char::is_numeric)
}

/// Characters that, first after the space, show the sentence goes on.
const CONTINUATION: &[char] = &['»', '”', ',', ';', ':', ')', ']'];

/// `...` (two or more periods) or `…`.
fn is_ellipsis(p: &str) -> bool {
    p == "…" || (p.len() >= 2 && p.bytes().all(|b| b == b'.'))
}

/// `U.S`, `D.G.S.N`, `e.g`, `Ph.D`, `J.-C`, `أ.د`: parts of one or two letters joined by dots
/// (the final dot is not part of `word`). A domain name (`weather.com`) is not one.
pub(super) fn is_dotted_acronym(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|part| {
            let part = part.trim_start_matches('-');
            let n = part.chars().count();
            (1..=2).contains(&n) && part.chars().all(char::is_alphabetic)
        })
}

/// The word right before a period: the text since the last space (and since the last
/// apostrophe), without leading openers or other punctuation ("(Mr" → "Mr", "«M" → "M"); empty when it ends in a non-alphanumeric
/// character (`”.`, `2).`), which no abbreviation does.
pub(super) fn word_before(before: &str) -> &str {
    let token = match before.rfind(char::is_whitespace) {
        Some(k) => &before[k + before[k..].chars().next().map_or(1, char::len_utf8)..],
        None => before,
    };
    if !token.chars().next_back().is_some_and(char::is_alphanumeric) {
        return "";
    }
    // French elision: the word after the apostrophe ("l’art" → "art").
    let token = match token.rfind(['\'', '’']) {
        Some(k) => &token[k + token[k..].chars().next().map_or(1, char::len_utf8)..],
        None => token,
    };
    token.trim_start_matches(|c: char| !c.is_alphanumeric())
}

/// The start of the next sentence: its first letter or digit after opening quotes and
/// brackets ("« L’armée" → 'L').
struct NextWord<'t> {
    first: Option<char>,
    rest: &'t str,
}

impl<'t> NextWord<'t> {
    /// The run of letters there ("« L’armée" → "L"); computed only when a rule needs it.
    fn letters(&self) -> &'t str {
        let n = self.rest.find(|c: char| !c.is_alphabetic()).unwrap_or(self.rest.len());
        &self.rest[..n]
    }
}

fn next_word(line: &str, next: usize) -> NextWord<'_> {
    let rest = line[next..].trim_start_matches(|c: char| is_opener(c) || c.is_whitespace());
    NextWord { first: rest.chars().next(), rest }
}

#[inline]
fn char_at(s: &str, i: usize) -> char {
    // `i` is always on a char boundary: the scan advances by whole characters from one.
    s[i..].chars().next().unwrap_or('\0')
}

#[inline]
fn skip_ws(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while i < b.len() {
        if b[i] == b' ' || b[i] == b'\t' {
            i += 1;
            continue;
        }
        let c = char_at(s, i);
        if !c.is_whitespace() {
            break;
        }
        i += c.len_utf8();
    }
    i
}
