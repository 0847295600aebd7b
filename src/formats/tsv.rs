//! Tab- (or comma-) separated translation memories with a header naming the languages.
//!
//! ```text
//! ar<TAB>fr<TAB>en
//! المديرية العامة للأمن الوطني<TAB>La DGSN<TAB>The DGSN
//! ```
//!
//! The header names one language per column (`ar`, `fr-FR`, `English` is refused, `EN` is
//! accepted: tags go through [`Lang::from_str`]); columns with other names are ignored and
//! reported. An empty field means the unit lacks that language. Reading is streamed line by
//! line, so memory does not grow with the file; writing is deterministic.
//!
//! # TSV: literal, one row a line
//! A TSV row is one line split at every tab; **quotes mean nothing**. Translation text is full
//! of quotation marks (`"Oui, dit-il.`, `"Début" du texte.`), and reading them as CSV quoting
//! silently glued every following line into one field (an unbalanced `"`) or deleted them (a
//! field starting and ending with `"`). The only characters a field cannot hold are the tab and
//! the line break, so the writer escapes them, and the backslash that introduces an escape:
//!
//! | in the text | written as |
//! |-------------|------------|
//! | tab         | `\t`       |
//! | line feed   | `\n`       |
//! | carriage return | `\r`   |
//! | `\`         | `\\`       |
//!
//! and the reader undoes exactly these four (any other backslash is kept as it is), so
//! export → import is the identity. The cost: a hand-made TSV whose text holds a literal `\n`
//! or `\t` (a Windows path `C:\new`) reads it as a line break or a tab; write `\\` there.
//! A line that ends with CR LF loses the CR (the line end), not a text character.
//!
//! # The confidence column
//! A header column named `confidence` (what `qantara batch --out` writes after the language
//! columns: the calibrated alignment confidence of the unit, in [0, 1], three decimals) is read
//! as the unit's confidence ([`Reader::confidence`]); an empty field means none, anything else
//! than a number in [0, 1] is refused with its line. Files without that column read as before.
//!
//! # Fields beyond the header
//! A row whose fields outnumber the header's, with text in the extra ones, is refused with
//! its line and the column of the first extra field: that text would otherwise be lost
//! without a word, and it is nearly always a tab (TSV) or a comma (CSV) inside a text, which
//! also shifts the texts after it into the wrong languages. Empty extra fields (a trailing
//! separator) are allowed; a row with fewer fields simply lacks the missing languages.
//!
//! # Characters refused
//! TSV and CSV could carry any character, but a memory must export as TMX, so the reader
//! refuses the characters XML 1.0 forbids (a NUL byte as a sign of a binary file, and the other
//! C0 controls, U+FFFE, U+FFFF: see [`crate::xml`]) with line and column.
//!
//! # CSV: RFC 4180
//! A CSV field may be quoted (`"…"`, a quote inside doubled `""`), and a quoted field may hold
//! commas and line breaks (a row then spans several lines; its number is its first line). A
//! quote inside an unquoted field is an ordinary character. A quoted field must end with a
//! closing quote followed by a comma or the end of the line; otherwise the file is refused
//! with the line and column of the opening quote — an unbalanced quote never swallows the rows
//! after it. The writer quotes only fields that need it (holding a comma, a quote or a line
//! break).

use crate::lang::Lang;
use std::io::{BufRead, BufReader, Read, Write};
use std::str::FromStr;

/// Errors of the TSV reader.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A row could not be parsed.
    #[error("row {row}: {msg}")]
    Row {
        /// 1-based line of the row (the header is line 1).
        row: u64,
        /// What is wrong, with the line and column when known, and what to do.
        msg: String,
    },
}

/// A row: its 1-based line number and its non-empty texts.
pub type Row = (u64, Vec<(Lang, String)>);

/// Streams `(line number, texts)` from a TSV/CSV file with a language header.
pub struct Reader<R: Read> {
    input: BufReader<R>,
    delimiter: u8,
    /// Lines read so far.
    line: u64,
    /// Bytes read so far.
    offset: u64,
    /// Column index → language, for language columns.
    columns: Vec<(usize, Lang)>,
    /// Header names that are not languages (ignored).
    pub ignored: Vec<String>,
    /// Fields in the header: a row with text beyond them is refused.
    width: usize,
    buf: Vec<u8>,
    /// Index of the `confidence` column, if the header has one.
    confidence_col: Option<usize>,
    /// The confidence of the row last returned.
    confidence: Option<f64>,
}

/// Header name of the confidence column ([`Writer::with_confidence`]).
pub const CONFIDENCE_COLUMN: &str = "confidence";

/// A record's fields and where each starts (line, 1-based column).
type Fields = (Vec<String>, Vec<(u64, usize)>);

/// A record: its first line, its fields and where each field starts (line, 1-based column).
struct Record {
    row: u64,
    fields: Vec<String>,
    starts: Vec<(u64, usize)>,
}

/// The separator of a CSV memory whose file starts with `head`: `;` when its first line (the
/// language header) holds semicolons and no comma — what Excel writes in French and other
/// locales whose decimal separator is the comma — else `,`. The header names languages, which
/// hold neither character, so the first line tells.
pub fn csv_delimiter(head: &[u8]) -> u8 {
    let first = head.split(|&b| b == b'\n').next().unwrap_or(head);
    if first.contains(&b';') && !first.contains(&b',') { b';' } else { b',' }
}

/// A raw line: its text (line end removed) and its line end (`""`, `"\n"` or `"\r\n"`).
struct Line {
    text: String,
    end: &'static str,
}

impl<R: Read> Reader<R> {
    /// Reads the header; `delimiter` is `b'\t'` (literal TSV), or `b','` or `b';'` (RFC 4180
    /// CSV, [`csv_delimiter`]).
    pub fn new(input: R, delimiter: u8) -> Result<Self, Error> {
        let mut r = Reader {
            input: BufReader::with_capacity(1 << 16, input),
            delimiter,
            line: 0,
            offset: 0,
            columns: Vec::new(),
            ignored: Vec::new(),
            width: 0,
            buf: Vec::new(),
            confidence_col: None,
            confidence: None,
        };
        let headers = match r.record()? {
            Some(h) => h.fields,
            None => {
                return Err(Error::Row {
                    row: 1,
                    msg: "the file is empty: the first line must be a header such as 'ar<TAB>fr<TAB>en'"
                        .into(),
                });
            }
        };
        for (i, h) in headers.iter().enumerate() {
            let h = h.trim().trim_start_matches('\u{feff}');
            match Lang::from_str(h) {
                Ok(l) if !r.columns.iter().any(|(_, x)| *x == l) => r.columns.push((i, l)),
                Ok(l) => return Err(Error::Row { row: 1, msg: format!("language '{l}' names two columns") }),
                Err(_) if h.eq_ignore_ascii_case(CONFIDENCE_COLUMN) && r.confidence_col.is_none() => {
                    r.confidence_col = Some(i);
                }
                Err(_) => r.ignored.push(h.to_string()),
            }
        }
        r.width = headers.len();
        if r.columns.is_empty() {
            return Err(Error::Row {
                row: 1,
                msg: "the header names no language; the first line must be e.g. 'ar<TAB>fr<TAB>en'".into(),
            });
        }
        Ok(r)
    }

    /// The language columns, in file order.
    pub fn langs(&self) -> Vec<Lang> {
        self.columns.iter().map(|(_, l)| *l).collect()
    }

    /// Bytes read so far.
    pub fn byte_offset(&self) -> u64 {
        self.offset
    }

    /// The confidence of the row [`Reader::next_row`] last returned (its `confidence` field;
    /// `None` without that column or with an empty field).
    pub fn confidence(&self) -> Option<f64> {
        self.confidence
    }

    /// The next row: its 1-based line number and its non-empty texts (blank lines are passed
    /// over). A row with a non-blank field beyond the header's is refused: its text would be
    /// lost (it is most often a tab or a comma inside a text, which shifts the fields after
    /// it). Empty fields beyond the header (a trailing separator) lose nothing and are allowed;
    /// a row with fewer fields lacks the languages of the missing columns.
    pub fn next_row(&mut self) -> Result<Option<Row>, Error> {
        let Some(Record { row, fields, starts }) = self.record()? else { return Ok(None) };
        if let Some(extra) = (self.width..fields.len()).find(|&i| !fields[i].trim().is_empty()) {
            let (line, column) = starts[extra];
            let how = if self.delimiter == b'\t' {
                "a tab inside a text must be written \\t in TSV"
            } else {
                "a field holding a comma must be quoted in CSV (\"…, …\")"
            };
            return Err(Error::Row {
                row,
                msg: format!(
                    "line {line}, column {column}: field {} where the header has {} (its text '{}' \
                     would be lost); {how}, or name the column in the header",
                    extra + 1,
                    self.width,
                    preview(&fields[extra])
                ),
            });
        }
        self.confidence = None;
        if let Some(c) =
            self.confidence_col.and_then(|i| fields.get(i)).map(|f| f.trim()).filter(|f| !f.is_empty())
        {
            match c.parse::<f64>() {
                Ok(x) if (0.0..=1.0).contains(&x) => self.confidence = Some(x),
                _ => {
                    return Err(Error::Row {
                        row,
                        msg: format!(
                            "confidence '{}' is not a number in [0, 1]; write e.g. 0.925, or leave the field empty",
                            preview(c)
                        ),
                    });
                }
            }
        }
        let texts = self
            .columns
            .iter()
            .filter_map(|&(i, l)| fields.get(i).filter(|t| !t.trim().is_empty()).map(|t| (l, t.clone())))
            .collect();
        Ok(Some((row, texts)))
    }

    /// The next line, or `None` at the end of the input.
    fn line(&mut self) -> Result<Option<Line>, Error> {
        self.buf.clear();
        let row = self.line + 1;
        let n = self
            .input
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| Error::Row { row, msg: format!("cannot read: {e}") })?;
        if n == 0 {
            return Ok(None);
        }
        let start = self.offset;
        self.line = row;
        self.offset += n as u64;
        let mut end = "";
        if self.buf.ends_with(b"\n") {
            self.buf.pop();
            end = "\n";
            if self.buf.ends_with(b"\r") {
                self.buf.pop();
                end = "\r\n";
            }
        }
        let text = String::from_utf8(std::mem::take(&mut self.buf)).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            Error::Row {
                row,
                msg: format!(
                    "line {row}, byte offset {}: invalid UTF-8; the file is not UTF-8: re-save it as \
                     UTF-8 (or UTF-16 with a byte-order mark)",
                    start + at as u64
                ),
            }
        })?;
        if let Some(col) = text.find('\0') {
            return Err(Error::Row {
                row,
                msg: format!(
                    "line {row}, column {}: a NUL byte: this is a binary file, not a plain-text memory",
                    text[..col].chars().count() + 1
                ),
            });
        }
        // The other characters XML 1.0 forbids: refused so the memory never holds them (its
        // TMX export could not carry them).
        if let Some((at, c)) = crate::xml::first(&text) {
            return Err(Error::Row {
                row,
                msg: format!(
                    "line {row}, column {}: {}",
                    text[..at].chars().count() + 1,
                    crate::xml::refusal(c)
                ),
            });
        }
        Ok(Some(Line { text, end }))
    }

    /// The next non-blank record.
    fn record(&mut self) -> Result<Option<Record>, Error> {
        loop {
            let Some(line) = self.line()? else { return Ok(None) };
            if line.text.is_empty() {
                continue;
            }
            let row = self.line;
            let (fields, starts) = if self.delimiter == b'\t' {
                let mut column = 1;
                let mut starts = Vec::new();
                let fields = line
                    .text
                    .split('\t')
                    .map(|f| {
                        starts.push((row, column));
                        column += f.chars().count() + 1;
                        unescape(f)
                    })
                    .collect();
                (fields, starts)
            } else {
                self.csv_record(line)?
            };
            return Ok(Some(Record { row, fields, starts }));
        }
    }

    /// Parses one RFC 4180 record starting with `line`, reading more lines while a quoted
    /// field is open.
    fn csv_record(&mut self, first: Line) -> Result<Fields, Error> {
        let delim = char::from(self.delimiter);
        let mut fields = Vec::new();
        let mut starts = vec![(self.line, 1)];
        let mut field = String::new();
        let mut line = first;
        let mut line_no = self.line;
        // Inside a quoted field: where its opening quote is (line, 1-based column).
        let mut open: Option<(u64, usize)> = None;
        loop {
            let mut chars = line.text.chars().enumerate().peekable();
            let mut at_field_start = open.is_none();
            while let Some((col, c)) = chars.next() {
                match open {
                    Some(opened) => {
                        if c != '"' {
                            field.push(c);
                        } else if chars.peek().is_some_and(|&(_, n)| n == '"') {
                            chars.next();
                            field.push('"');
                        } else {
                            open = None;
                            match chars.next() {
                                None => {}
                                Some((at, n)) if n == delim => {
                                    fields.push(std::mem::take(&mut field));
                                    starts.push((line_no, at + 2));
                                    at_field_start = true;
                                }
                                Some((after, _)) => {
                                    return Err(Error::Row {
                                        row: opened.0,
                                        msg: format!(
                                            "line {line_no}, column {}: text after the closing quote of the \
                                             field opened at line {}, column {}; in CSV a quote inside a \
                                             quoted field is doubled (\"\"), and a field holding quotes \
                                             must be quoted whole",
                                            after + 1,
                                            opened.0,
                                            opened.1
                                        ),
                                    });
                                }
                            }
                        }
                    }
                    None if c == '"' && at_field_start => {
                        open = Some((line_no, col + 1));
                        at_field_start = false;
                    }
                    None if c == delim => {
                        fields.push(std::mem::take(&mut field));
                        starts.push((line_no, col + 2));
                        at_field_start = true;
                    }
                    None => {
                        field.push(c);
                        at_field_start = false;
                    }
                }
            }
            let Some(opened) = open else { break };
            // A quoted field goes on over the line break.
            field.push_str(line.end);
            line = match self.line()? {
                Some(l) => l,
                None => {
                    return Err(Error::Row {
                        row: opened.0,
                        msg: format!(
                            "line {}, column {}: unbalanced quote: the quoted field opened there is never \
                             closed (it would swallow every line after it); close it with '\"', or double \
                             the quotes inside it (\"\")",
                            opened.0, opened.1
                        ),
                    });
                }
            };
            line_no = self.line;
        }
        fields.push(field);
        Ok((fields, starts))
    }
}

/// The start of a field for an error message: its first 40 characters.
fn preview(field: &str) -> String {
    let mut p: String = field.chars().take(40).collect();
    if p.len() < field.len() {
        p.push('…');
    }
    p
}

/// Undoes [`escape`]: `\t`, `\n`, `\r`, `\\`; any other backslash is kept.
pub fn unescape(field: &str) -> String {
    if !field.contains('\\') {
        return field.to_string();
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}

/// Escapes a text for a TSV field: tab, line feed, carriage return and backslash become `\t`,
/// `\n`, `\r` and `\\`, so a row is one line whatever its texts hold.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\t', '\n', '\r', '\\']) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.into()
}

/// Quotes a CSV field when it holds the delimiter, a quote or a line break.
fn quote_csv(text: &str, delimiter: char) -> std::borrow::Cow<'_, str> {
    if !text.contains([delimiter, '"', '\n', '\r']) {
        return text.into();
    }
    format!("\"{}\"", text.replace('"', "\"\"")).into()
}

/// Writes rows under a language header.
pub struct Writer<W: Write> {
    out: W,
    delimiter: u8,
    langs: Vec<Lang>,
    confidence: bool,
}

impl<W: Write> Writer<W> {
    /// Writes the header `langs` separated by `delimiter` (`b'\t'`: escaped TSV, `b','`: CSV).
    pub fn new(out: W, langs: &[Lang], delimiter: u8) -> std::io::Result<Self> {
        let mut w = Writer { out, delimiter, langs: langs.to_vec(), confidence: false };
        let header: Vec<&str> = langs.iter().map(|l| l.code()).collect();
        w.line(&header)?;
        Ok(w)
    }

    /// As [`Writer::new`], with a last column [`CONFIDENCE_COLUMN`] filled by
    /// [`Writer::write_row_with_confidence`].
    pub fn with_confidence(out: W, langs: &[Lang], delimiter: u8) -> std::io::Result<Self> {
        let mut w = Writer { out, delimiter, langs: langs.to_vec(), confidence: true };
        let mut header: Vec<&str> = langs.iter().map(|l| l.code()).collect();
        header.push(CONFIDENCE_COLUMN);
        w.line(&header)?;
        Ok(w)
    }

    /// Writes one row with its confidence (three decimals; empty for `None`) when the writer
    /// has a confidence column.
    pub fn write_row_with_confidence(
        &mut self,
        texts: &[(Lang, &str)],
        confidence: Option<f64>,
    ) -> std::io::Result<()> {
        let c = confidence.map(|c| format!("{c:.3}")).unwrap_or_default();
        let mut fields: Vec<&str> =
            self.langs.iter().map(|l| texts.iter().find(|(x, _)| x == l).map_or("", |(_, t)| *t)).collect();
        if self.confidence {
            fields.push(&c);
        }
        self.line(&fields)
    }

    fn line(&mut self, fields: &[&str]) -> std::io::Result<()> {
        let delim = char::from(self.delimiter);
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.out.write_all(&[self.delimiter])?;
            }
            let f = if self.delimiter == b'\t' { escape(f) } else { quote_csv(f, delim) };
            self.out.write_all(f.as_bytes())?;
        }
        self.out.write_all(b"\n")
    }

    /// Writes one row; missing languages give empty fields (and an empty confidence).
    pub fn write_row(&mut self, texts: &[(Lang, &str)]) -> std::io::Result<()> {
        self.write_row_with_confidence(texts, None)
    }

    /// Flushes the output.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(input: &str, delimiter: u8) -> Result<Vec<Row>, Error> {
        let mut r = Reader::new(input.as_bytes(), delimiter)?;
        let mut out = Vec::new();
        while let Some(row) = r.next_row()? {
            out.push(row);
        }
        Ok(out)
    }

    #[test]
    fn characters_xml_forbids_are_refused_with_line_and_column() {
        for (delim, input) in [
            (b'\t', "fr\tar\nle préfet\tالمحافظ\nla\u{B}ville\tالمدينة\n"),
            (b',', "fr,ar\nle préfet,المحافظ\n\"la\u{B}ville\",المدينة\n"),
        ] {
            let err = rows(input, delim).unwrap_err().to_string();
            let col = if delim == b'\t' { 3 } else { 4 };
            assert!(err.contains(&format!("line 3, column {col}: U+000B (vertical tab)")), "{err}");
            assert!(err.contains("replace it with a space"), "{err}");
        }
        let err = rows("fr\ten\nun\u{7}\tone\n", b'\t').unwrap_err().to_string();
        assert!(err.contains("line 2, column 3: U+0007 (bell)"), "{err}");
    }

    fn round_trip(delimiter: u8) {
        let hard = [
            (Lang::Ar, "الأمن \"الوطني\""),
            (Lang::Fr, "la \"sûreté\"\tnationale, dit-on"),
            (Lang::En, "two\nlines\r\nand a \\ backslash, a \\n and a \\\\"),
        ];
        let mut buf = Vec::new();
        let mut w = Writer::new(&mut buf, &[Lang::Ar, Lang::Fr, Lang::En], delimiter).unwrap();
        w.write_row(&hard).unwrap();
        w.write_row(&[(Lang::Fr, "\"Ouvert sans fin"), (Lang::En, "two")]).unwrap();
        w.finish().unwrap();
        if delimiter == b'\t' {
            assert_eq!(buf.iter().filter(|&&b| b == b'\n').count(), 3, "one line a row");
        }
        let text = String::from_utf8(buf).unwrap();
        let mut r = Reader::new(text.as_bytes(), delimiter).unwrap();
        assert_eq!(r.langs(), vec![Lang::Ar, Lang::Fr, Lang::En]);
        let (_, a) = r.next_row().unwrap().unwrap();
        let want: Vec<(Lang, String)> = hard.iter().map(|(l, t)| (*l, t.to_string())).collect();
        assert_eq!(a, want, "{text}");
        let (_, b) = r.next_row().unwrap().unwrap();
        assert_eq!(b, vec![(Lang::Fr, "\"Ouvert sans fin".into()), (Lang::En, "two".into())]);
        assert!(r.next_row().unwrap().is_none());
    }

    #[test]
    fn tsv_round_trips_quotes_tabs_line_breaks_and_backslashes() {
        round_trip(b'\t');
    }

    #[test]
    fn csv_round_trips_quotes_commas_line_breaks_and_backslashes() {
        round_trip(b',');
    }

    #[test]
    fn tsv_quotes_are_literal_and_never_swallow_rows() {
        let input = "fr\ten\n\"Oui, dit-il. Puis il partit.\tYes, he said. Then he left.\n\
                     \"Début\" du texte.\t\"Start\" of text.\nFin.\tEnd.\n";
        let got = rows(input, b'\t').unwrap();
        let texts: Vec<(u64, String)> = got.iter().map(|(n, t)| (*n, t[0].1.clone())).collect();
        assert_eq!(
            texts,
            vec![
                (2, "\"Oui, dit-il. Puis il partit.".to_string()),
                (3, "\"Début\" du texte.".to_string()),
                (4, "Fin.".to_string())
            ]
        );
        assert_eq!(got[1].1[1].1, "\"Start\" of text.");
    }

    #[test]
    fn tsv_unescapes_only_its_four_escapes() {
        assert_eq!(unescape(r"a\tb\nc\rd\\e\qf\"), "a\tb\nc\rd\\e\\qf\\");
        for s in ["", "plain", "\\", "\\\\t", "a\tb\n\r\\n"] {
            assert_eq!(unescape(&escape(s)), s);
        }
    }

    #[test]
    fn tsv_rows_are_numbered_by_line_and_crlf_is_a_line_end() {
        let got = rows("ar\tfr\r\n\r\nس\tun\r\n\tdeux\r\n", b'\t').unwrap();
        assert_eq!(got[0], (3, vec![(Lang::Ar, "س".into()), (Lang::Fr, "un".into())]));
        assert_eq!(got[1], (4, vec![(Lang::Fr, "deux".into())]));
    }

    #[test]
    fn csv_unbalanced_quote_names_line_and_column() {
        let input = "fr,en\nUn,One\nDeux,\"Two\nTrois,Three\nQuatre,Four\n";
        let Err(Error::Row { row, msg }) = rows(input, b',') else { panic!("accepted") };
        assert_eq!(row, 3);
        assert!(msg.contains("line 3, column 6") && msg.contains("unbalanced quote"), "{msg}");
    }

    #[test]
    fn csv_text_after_a_closing_quote_is_refused() {
        let input = "fr,en\n\"Début\" du texte.,\"Start\" of text.\n";
        let Err(Error::Row { row, msg }) = rows(input, b',') else { panic!("accepted") };
        assert_eq!(row, 2);
        assert!(msg.contains("line 2, column 8") && msg.contains("opened at line 2, column 1"), "{msg}");
        // A quote inside an unquoted field is a character; a multi-line quoted field is one row.
        let got = rows("fr,en\nLe \"mot\",x\n\"a\nb\",y\nc,d\n", b',').unwrap();
        assert_eq!(got[0].1[0].1, "Le \"mot\"");
        assert_eq!(got[1], (3, vec![(Lang::Fr, "a\nb".into()), (Lang::En, "y".into())]));
        assert_eq!(got[2].0, 5);
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let mut bytes = b"fr\ten\nUn\tOne\nD".to_vec();
        bytes.extend_from_slice(b"\xe9j\xe0\tAlready\n");
        let mut r = Reader::new(&bytes[..], b'\t').unwrap();
        r.next_row().unwrap();
        let Err(Error::Row { row, msg }) = r.next_row() else { panic!("accepted") };
        assert_eq!(row, 3);
        assert!(msg.contains("byte offset 14") && msg.contains("UTF-8"), "{msg}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Writer → reader is the identity for any pair of non-blank texts, in both formats.
        #[test]
        fn any_texts_round_trip(
            a in "[a-zé\"\\\\\t\n\r,ب ]{0,12}[a-zé\"\\\\,ب]",
            b in "\\PC{0,6}[\"\\\\\t\n\r,]{0,3}\\PC{0,6}[a-z]",
            tab in proptest::bool::ANY,
        ) {
            let delimiter = if tab { b'\t' } else { b',' };
            let mut buf = Vec::new();
            let mut w = Writer::new(&mut buf, &[Lang::Fr, Lang::Ar], delimiter).unwrap();
            w.write_row(&[(Lang::Fr, &a), (Lang::Ar, &b)]).unwrap();
            w.write_row(&[(Lang::Fr, "x"), (Lang::Ar, "y")]).unwrap();
            w.finish().unwrap();
            let got = rows(std::str::from_utf8(&buf).unwrap(), delimiter).unwrap();
            proptest::prop_assert_eq!(got.len(), 2);
            proptest::prop_assert_eq!(&got[0].1, &vec![(Lang::Fr, a.clone()), (Lang::Ar, b.clone())]);
            proptest::prop_assert_eq!(&got[1].1, &vec![(Lang::Fr, "x".to_string()), (Lang::Ar, "y".to_string())]);
        }
    }

    #[test]
    fn text_beyond_the_header_is_refused_with_line_column_and_the_way_out() {
        let Err(Error::Row { row, msg }) = rows("fr\ten\nDeux\tTwo\nUn\tOne\tEncore\n", b'\t') else {
            panic!("accepted")
        };
        assert_eq!(row, 3);
        assert!(msg.contains("line 3, column 8: field 3 where the header has 2"), "{msg}");
        assert!(msg.contains("'Encore'") && msg.contains("written \\t in TSV"), "{msg}");
        // A stray tab inside the first text: the column of the shifted-out field.
        let err = rows("ar\tfr\nمدينة\tla\tville\n", b'\t').unwrap_err().to_string();
        assert!(err.contains("line 2, column 10: field 3") && err.contains("'ville'"), "{err}");
        // CSV: a comma in an unquoted text; columns count after a quoted multi-line field.
        let input = "fr,en\n\"a\nb\",Ab\nOui, dit-il,\"Yes, he said\"\n";
        let Err(Error::Row { row, msg }) = rows(input, b',') else { panic!("accepted") };
        assert_eq!(row, 4);
        assert!(msg.contains("line 4, column 13: field 3") && msg.contains("quoted in CSV"), "{msg}");
        let err = rows("fr,en\n\"x\",\"y\n\",z\n", b',').unwrap_err().to_string();
        assert!(err.contains("line 3, column 3: field 3") && err.contains("'z'"), "{err}");
    }

    #[test]
    fn empty_fields_beyond_the_header_and_short_rows_are_read() {
        let got = rows("fr\ten\nUn\tOne\t\t \nDeux\n", b'\t').unwrap();
        assert_eq!(got[0], (2, vec![(Lang::Fr, "Un".into()), (Lang::En, "One".into())]));
        assert_eq!(got[1], (3, vec![(Lang::Fr, "Deux".into())]));
        let got = rows("fr,note,en\nUn,,One,\n", b',').unwrap();
        assert_eq!(got[0].1, vec![(Lang::Fr, "Un".into()), (Lang::En, "One".into())]);
    }

    #[test]
    fn confidence_column_is_written_and_read_back_and_files_without_it_still_read() {
        let mut out = Vec::new();
        let mut w = Writer::with_confidence(&mut out, &[Lang::Fr, Lang::En], b'\t').unwrap();
        w.write_row_with_confidence(&[(Lang::Fr, "Un."), (Lang::En, "One.")], Some(0.9254)).unwrap();
        w.write_row_with_confidence(&[(Lang::Fr, "Deux."), (Lang::En, "Two.")], None).unwrap();
        w.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "fr\ten\tconfidence\nUn.\tOne.\t0.925\nDeux.\tTwo.\t\n");
        let mut r = Reader::new(text.as_bytes(), b'\t').unwrap();
        assert!(r.ignored.is_empty());
        assert_eq!(r.next_row().unwrap().unwrap().1.len(), 2);
        assert_eq!(r.confidence(), Some(0.925));
        assert_eq!(r.next_row().unwrap().unwrap().1.len(), 2);
        assert_eq!(r.confidence(), None);
        let mut r = Reader::new("fr\ten\nUn.\tOne.\n".as_bytes(), b'\t').unwrap();
        assert_eq!(r.next_row().unwrap().unwrap().1.len(), 2);
        assert_eq!(r.confidence(), None);
        let err = rows("fr\ten\tconfidence\nUn.\tOne.\thigh\n", b'\t').unwrap_err().to_string();
        assert!(err.contains("row 2") && err.contains("'high'"), "{err}");
    }

    #[test]
    fn header_with_regions_and_extra_columns() {
        let r = Reader::new("FR-fr,note,ar-MA\nx,y,z\n".as_bytes(), b',').unwrap();
        assert_eq!(r.langs(), vec![Lang::Fr, Lang::Ar]);
        assert_eq!(r.ignored, vec!["note"]);
        assert!(Reader::new("a,b\n".as_bytes(), b',').is_err());
        assert!(Reader::new("".as_bytes(), b'\t').is_err());
    }
}
