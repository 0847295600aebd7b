//! The characters XML 1.0 cannot carry, and XML names: the one place every reader and writer
//! of qantara asks.
//!
//! # Policy
//! XML 1.0 (§2.2, production `Char`) allows tab, line feed, carriage return, and every code
//! point from U+0020 up except the surrogates U+D800–U+DFFF and the non-characters U+FFFE
//! and U+FFFF. A document holding any other character — raw or as a character reference
//! such as `&#11;` — is not well-formed, and conforming parsers (libxml2, Xerces, .NET)
//! refuse the whole file. So qantara keeps those characters out of its data altogether:
//!
//! * **Readers refuse them.** TMX, TBX, the TSV/CSV memories and the glossary CSV, JSON and
//!   OmegaT readers report the first such character with its file, line, column, its code
//!   point and name (`U+000B (vertical tab)`) and what to do ([`refusal`]); `tm validate`
//!   and `glossary validate` list them as problems. Lone surrogates cannot occur: Rust
//!   strings cannot hold them, and the readers already refuse `&#xD800;` and JSON `\uD800`.
//! * **Writers never emit them.** Texts can still reach a writer another way (an article
//!   stored by `batch` may hold a vertical tab from a Word soft line break), so the TMX and
//!   TBX writers pass every text through [`escape`], which replaces each one and counts the
//!   replacements: U+000B (vertical tab) and U+000C (form feed) become a space — they are
//!   line and page breaks, and a space keeps the words apart as the break did — and every
//!   other forbidden character becomes U+FFFD, the replacement character, so the loss stays
//!   visible. The commands print how many characters were replaced.
//!
//! Both replacements keep a text's length in bytes for the two breaks (1 byte → 1 byte) and
//! for U+FFFE/U+FFFF (3 → 3), so byte spans into a replaced text stay valid for them.
//!
//! # Names
//! [`is_ncname`] checks XML Namespaces' `NCName` (a `Name` without colon): the lexical space
//! of `xs:ID`, which TBX requires for `id` attributes.
//!
//! # Cost
//! Every check is one pass over the text; [`escape`] allocates only when something changes.

use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;

/// Whether XML 1.0 forbids `c` in a document (raw or as a character reference).
pub fn is_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// `U+000B (vertical tab)`: the code point and, for the common ones, a name.
pub fn describe(c: char) -> String {
    let name = match c {
        '\0' => "NUL",
        '\u{7}' => "bell",
        '\u{8}' => "backspace",
        '\u{B}' => "vertical tab",
        '\u{C}' => "form feed",
        '\u{1B}' => "escape",
        '\u{FFFE}' | '\u{FFFF}' => "non-character",
        _ => "control character",
    };
    format!("U+{:04X} ({name})", c as u32)
}

/// The message a reader gives for a forbidden character: what it is, why it is refused and
/// what to do.
pub fn refusal(c: char) -> String {
    format!("{} is a character XML 1.0 forbids, {}", describe(c), why_and_fix(c))
}

fn why_and_fix(c: char) -> String {
    let fix = match c {
        '\u{B}' | '\u{C}' => "replace it with a space or a line break",
        _ => "delete it or replace it with a space",
    };
    format!(
        "so qantara keeps it out of memories and glossaries (a TMX or TBX file holding it is not \
         well-formed): {fix}"
    )
}

/// A forbidden character found in a text, with its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Byte offset in the text.
    pub byte: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The character.
    pub ch: char,
}

/// 1-based lines and columns (in characters; lines end at `\n`) of byte offsets of one text,
/// computed incrementally: readers ask for the position of every XML event, in file order, and
/// recounting from the start each time made reading a file quadratic (a 4,000-concept TBX took
/// minutes). Moving forward costs the bytes passed over; moving back (a problem inside the
/// event just read) costs the distance moved, or the current line's length when it crosses a
/// line end.
#[derive(Debug, Clone)]
pub struct LineCols<'a> {
    text: &'a str,
    /// The byte offset of the last answer (a char boundary), its line and column.
    pos: usize,
    line: usize,
    column: usize,
}

impl<'a> LineCols<'a> {
    /// A counter over `text`, at its start.
    pub fn new(text: &'a str) -> Self {
        LineCols { text, pos: 0, line: 1, column: 1 }
    }

    /// Line and column of byte `at` (clamped to the text, moved back to a char boundary).
    pub fn at(&mut self, at: usize) -> (usize, usize) {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        if at >= self.pos {
            let passed = &self.text[self.pos..at];
            match passed.rfind('\n') {
                Some(k) => {
                    self.line += passed.bytes().filter(|&b| b == b'\n').count();
                    self.column = 1 + passed[k + 1..].chars().count();
                }
                None => self.column += passed.chars().count(),
            }
        } else {
            let back = &self.text[at..self.pos];
            if back.contains('\n') {
                self.line -= back.bytes().filter(|&b| b == b'\n').count();
                let before = &self.text[..at];
                self.column = 1 + before[before.rfind('\n').map_or(0, |k| k + 1)..].chars().count();
            } else {
                self.column -= back.chars().count();
            }
        }
        self.pos = at;
        (self.line, self.column)
    }
}

/// Every forbidden character of `text`, in order, with 1-based lines and columns (lines end
/// at `\n`).
pub fn find_all(text: &str) -> impl Iterator<Item = Found> + '_ {
    let (mut line, mut column) = (1usize, 0usize);
    text.char_indices().filter_map(move |(byte, ch)| {
        if ch == '\n' {
            line += 1;
            column = 0;
            return None;
        }
        column += 1;
        is_forbidden(ch).then_some(Found { byte, line, column, ch })
    })
}

/// The first forbidden character of `text` and its byte offset.
pub fn first(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| is_forbidden(c))
}

/// What a forbidden character becomes in qantara's XML output: a space for the vertical tab
/// and the form feed (breaks), U+FFFD for the others.
pub fn replacement(c: char) -> char {
    if matches!(c, '\u{B}' | '\u{C}') { ' ' } else { '\u{FFFD}' }
}

/// Escapes `s` for XML content (`attr = false`) or a double-quoted attribute value, and
/// replaces the characters XML 1.0 forbids by [`replacement`]. Returns the text and how many
/// characters were replaced.
///
/// `&`, `<`, `>` (and `"` in attributes) become entities; `\r` becomes `&#13;` so a parser's
/// end-of-line normalization cannot change the text; in attributes, `\n` and `\t` become
/// character references so attribute-value normalization keeps them.
pub fn escape(s: &str, attr: bool) -> (Cow<'_, str>, usize) {
    let needs =
        s.chars().any(|c| matches!(c, '&' | '<' | '>' | '\r') || (attr && c == '"') || is_forbidden(c));
    if !needs {
        return (Cow::Borrowed(s), 0);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut replaced = 0;
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            c if is_forbidden(c) => {
                replaced += 1;
                out.push(replacement(c));
            }
            c => out.push(c),
        }
    }
    (Cow::Owned(out), replaced)
}

/// The note a command prints when a writer replaced `n` characters.
pub fn replaced_note(n: u64) -> String {
    format!(
        "note: {n} character(s) XML 1.0 forbids were replaced in the output (vertical tab and form \
         feed by a space, others by U+FFFD); the XML is well-formed"
    )
}

/// Collapses every run of XML white space (space, tab, line feed, carriage return) into one
/// space and trims both ends, as `xs:token` does: the indentation of a pretty-printed element
/// (`<note>\n      text\n    </note>`) is layout, not text. Other white space (the no-break
/// spaces of French typography, U+00A0 and U+202F) is text and is kept.
pub fn collapse_space(s: &str) -> String {
    let is_xml_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let mut out = String::with_capacity(s.len());
    for word in s.split(is_xml_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Whether `s` is an `NCName` (XML Namespaces 1.0): a letter or `_` first, then letters,
/// digits, `-`, `.`, `_`, combining marks; no colon, no space. The lexical space of `xs:ID`.
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// Why `s` is not an `NCName` (for a message), or `None` when it is one.
pub fn ncname_problem(s: &str) -> Option<String> {
    let Some(first) = s.chars().next() else {
        return Some("an empty id: an XML id (xs:ID, NCName) needs at least one letter".into());
    };
    if !is_name_start(first) {
        return Some(format!(
            "'{s}' starts with '{first}': an XML id (xs:ID, NCName) must start with a letter or '_'"
        ));
    }
    s.chars().find(|&c| !is_name_char(c)).map(|c| {
        format!(
            "'{s}' contains '{}': an XML id (xs:ID, NCName) may only hold letters, digits, '-', '.' and '_' \
             (no colon, no space)",
            c.escape_default()
        )
    })
}

/// Every attribute of `e` as (qualified name, unescaped value), in order. Refuses a duplicated
/// attribute (quick-xml's checks, which an early-returning lookup would never reach), an
/// unknown entity, and a value holding a forbidden character (from a character reference).
pub fn attributes(e: &BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut attrs = e.attributes();
    attrs.with_checks(true);
    for a in attrs {
        let a = a.map_err(|err| match err {
            quick_xml::events::attributes::AttrError::Duplicated(at, _) => {
                // `at` indexes the tag's text (name and attributes): name the attribute.
                let raw: &str = e;
                let name = raw.get(at..).unwrap_or("").split(['=', ' ', '\t', '\n']).next().unwrap_or("");
                format!("a duplicated attribute: {name} appears twice in <{}>; keep one", e.name().as_ref())
            }
            err => format!("bad attribute: {err}"),
        })?;
        let v = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|err| {
            format!("bad attribute value: {err} (only &amp; &lt; &gt; &quot; &apos; and &#…; are allowed)")
        })?;
        if let Some((_, c)) = first(&v) {
            return Err(format!("in attribute {}: {}", a.key.as_ref(), refusal(c)));
        }
        out.push((a.key.as_ref().to_string(), v.into_owned()));
    }
    Ok(out)
}

/// Checks a character reference's value: `Err` with a message like [`refusal`]'s when it
/// names a forbidden character.
pub fn check_char_ref(r: &str, c: char) -> Result<char, String> {
    if is_forbidden(c) {
        Err(format!(
            "the character reference &{r}; stands for {}, a character XML 1.0 forbids, {}",
            describe(c),
            why_and_fix(c)
        ))
    } else {
        Ok(c)
    }
}

/// The first forbidden character in the raw text of `ev` (tag, text, comment…), with its
/// byte offset from the start of the event's markup (so `event start + offset` is where it
/// is in the file).
pub fn first_in_event(ev: &Event<'_>) -> Option<(u64, char)> {
    let markup = match ev {
        Event::Start(_) | Event::Empty(_) | Event::GeneralRef(_) => 1, // `<`, `&`
        Event::End(_) | Event::PI(_) | Event::Decl(_) => 2,            // `</`, `<?`
        Event::Comment(_) => 4,                                        // `<!--`
        Event::CData(_) => 9,                                          // `<![CDATA[`
        Event::DocType(_) => 10,                                       // `<!DOCTYPE `
        Event::Text(_) | Event::Eof => 0,
    };
    first(ev).map(|(i, c)| (markup + i as u64, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quadratic count LineCols replaced: from the start of the text every time.
    fn line_col_from_start(text: &str, at: usize) -> (usize, usize) {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &text[..at];
        let line = 1 + before.matches('\n').count();
        (line, 1 + before[before.rfind('\n').map_or(0, |k| k + 1)..].chars().count())
    }

    #[test]
    fn line_cols_equal_the_count_from_the_start_forward_and_back() {
        let text = "ab\nسلام x\n\n\u{1F600}z\r\nfin é\n";
        let mut lc = LineCols::new(text);
        // Forward over every byte (inside characters too), then back, then jumping about.
        let mut order: Vec<usize> = (0..=text.len() + 2).collect();
        order.extend((0..=text.len()).rev());
        order.extend([5, 30, 0, 17, 3, 3, 25, 1, 12, 9]);
        for at in order {
            assert_eq!(lc.at(at), line_col_from_start(text, at), "byte {at}");
        }
    }

    #[test]
    fn forbidden_set_is_xml_1_0() {
        for c in ['\0', '\u{1}', '\u{7}', '\u{B}', '\u{C}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
            assert!(is_forbidden(c), "{}", describe(c));
        }
        for c in ['\t', '\n', '\r', ' ', '\u{7F}', '\u{85}', '\u{FFFD}', 'ع', '\u{10000}'] {
            assert!(!is_forbidden(c), "{}", describe(c));
        }
    }

    #[test]
    fn find_all_gives_lines_and_columns() {
        let t = "ab\nمص\u{B}x\u{7}\n\u{FFFF}";
        let f: Vec<(usize, usize, char)> = find_all(t).map(|f| (f.line, f.column, f.ch)).collect();
        assert_eq!(f, vec![(2, 3, '\u{B}'), (2, 5, '\u{7}'), (3, 1, '\u{FFFF}')]);
        assert_eq!(first(t), Some(("ab\nمص".len(), '\u{B}')));
        assert!(refusal('\u{B}').starts_with("U+000B (vertical tab)"));
        assert!(refusal('\u{B}').contains("replace it with a space"));
    }

    #[test]
    fn escape_replaces_and_counts() {
        let (s, n) = escape("a\u{B}b\u{C}c\u{7}d\u{FFFE}<&\r", false);
        assert_eq!(s, "a b c\u{FFFD}d\u{FFFD}&lt;&amp;&#13;");
        assert_eq!(n, 4);
        let (s, n) = escape("plain مرحبا", false);
        assert!(matches!(s, Cow::Borrowed(_)));
        assert_eq!(n, 0);
        assert_eq!(escape("a\"\n\t", true).0, "a&quot;&#10;&#9;");
    }

    #[test]
    fn ncnames() {
        for ok in ["ma-dgsn", "_x", "c1", "é.t_é", "مديرية"] {
            assert!(is_ncname(ok) && ncname_problem(ok).is_none(), "{ok}");
        }
        for bad in ["", "2024-jo", "ns:x", "a b", "-x", ".x"] {
            assert!(!is_ncname(bad) && ncname_problem(bad).is_some(), "{bad}");
        }
        assert!(ncname_problem("2024-jo").unwrap().contains("starts with '2'"));
        assert!(ncname_problem("ns:x").unwrap().contains("':'"));
    }

    #[test]
    fn attributes_refuse_duplicates_and_forbidden_references() {
        let mut r = quick_xml::Reader::from_str(
            r#"<tuv xml:lang="ar" xml:lang="fr"/><a b="x&#7;"/><c d="1" e="2"/>"#,
        );
        let mut next = || match r.read_event().unwrap() {
            quick_xml::events::Event::Empty(e) => attributes(&e),
            ev => panic!("{ev:?}"),
        };
        assert_eq!(next().unwrap_err(), "a duplicated attribute: xml:lang appears twice in <tuv>; keep one");
        assert!(next().unwrap_err().contains("U+0007 (bell)"));
        assert_eq!(next().unwrap(), vec![("d".into(), "1".into()), ("e".into(), "2".into())]);
    }

    #[test]
    fn collapse_space_keeps_no_break_spaces() {
        assert_eq!(
            collapse_space("\n      Voir\tle  décret\u{A0}:\r\n  n°\u{202F}12 \n"),
            "Voir le décret\u{A0}: n°\u{202F}12"
        );
        assert_eq!(collapse_space(" \n "), "");
    }
}
