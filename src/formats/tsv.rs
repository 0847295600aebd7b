//! Tab- (or comma-) separated translation memories with a header naming the languages.
//!
//! ```text
//! ar<TAB>fr<TAB>en
//! المديرية العامة للأمن الوطني<TAB>La DGSN<TAB>The DGSN
//! ```
//!
//! The header names one language per column (`ar`, `fr-FR`, `English` is refused, `EN` is
//! accepted: tags go through [`Lang::from_str`]); columns with other names are ignored and
//! reported. Fields follow RFC 4180 quoting (through the `csv` crate), so a text may hold the
//! separator, quotes or line breaks. An empty field means the unit lacks that language.
//! Reading is streamed row by row; writing quotes only when needed, so output is deterministic.

use crate::lang::Lang;
use std::io::{Read, Write};
use std::str::FromStr;

/// Errors of the TSV reader.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A row could not be parsed.
    #[error("row {row}: {msg}")]
    Row {
        /// 1-based row (the header is row 1).
        row: u64,
        /// What is wrong.
        msg: String,
    },
}

/// A row: its 1-based line number and its non-empty texts.
pub type Row = (u64, Vec<(Lang, String)>);

/// Streams `(row number, texts)` from a TSV/CSV file with a language header.
pub struct Reader<R: Read> {
    inner: csv::Reader<R>,
    /// Column index → language, for language columns.
    columns: Vec<(usize, Lang)>,
    /// Header names that are not languages (ignored).
    pub ignored: Vec<String>,
    record: csv::StringRecord,
}

impl<R: Read> Reader<R> {
    /// Reads the header; `delimiter` is `b'\t'` or `b','`.
    pub fn new(input: R, delimiter: u8) -> Result<Self, Error> {
        let mut inner = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(input);
        let headers = inner.headers().map_err(|e| Error::Row { row: 1, msg: e.to_string() })?.clone();
        let mut columns = Vec::new();
        let mut ignored = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let h = h.trim().trim_start_matches('\u{feff}');
            match Lang::from_str(h) {
                Ok(l) if !columns.iter().any(|(_, x)| *x == l) => columns.push((i, l)),
                Ok(l) => return Err(Error::Row { row: 1, msg: format!("language '{l}' names two columns") }),
                Err(_) => ignored.push(h.to_string()),
            }
        }
        if columns.is_empty() {
            return Err(Error::Row {
                row: 1,
                msg: "the header names no language; the first line must be e.g. 'ar<TAB>fr<TAB>en'".into(),
            });
        }
        Ok(Reader { inner, columns, ignored, record: csv::StringRecord::new() })
    }

    /// The language columns, in file order.
    pub fn langs(&self) -> Vec<Lang> {
        self.columns.iter().map(|(_, l)| *l).collect()
    }

    /// Bytes read so far.
    pub fn byte_offset(&self) -> u64 {
        self.inner.position().byte()
    }

    /// The next row: its 1-based number and its non-empty texts.
    pub fn next_row(&mut self) -> Result<Option<Row>, Error> {
        let ok = self.inner.read_record(&mut self.record).map_err(|e| Error::Row {
            row: e.position().map_or(0, |p| p.line()),
            msg: match e.kind() {
                csv::ErrorKind::Utf8 { .. } => {
                    format!(
                        "{e}; the file is not UTF-8: re-save it as UTF-8 (or UTF-16 with a byte-order mark)"
                    )
                }
                _ => format!("{e}; check the quoting"),
            },
        })?;
        if !ok {
            return Ok(None);
        }
        let row = self.record.position().map_or(0, |p| p.line());
        let texts = self
            .columns
            .iter()
            .filter_map(|&(i, l)| {
                self.record.get(i).filter(|t| !t.trim().is_empty()).map(|t| (l, t.to_string()))
            })
            .collect();
        Ok(Some((row, texts)))
    }
}

/// Writes rows under a language header.
pub struct Writer<W: Write> {
    inner: csv::Writer<W>,
    langs: Vec<Lang>,
}

impl<W: Write> Writer<W> {
    /// Writes the header `langs` separated by `delimiter`.
    pub fn new(out: W, langs: &[Lang], delimiter: u8) -> std::io::Result<Self> {
        let mut inner = csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
        inner.write_record(langs.iter().map(|l| l.code())).map_err(std::io::Error::other)?;
        Ok(Writer { inner, langs: langs.to_vec() })
    }

    /// Writes one row; missing languages give empty fields.
    pub fn write_row(&mut self, texts: &[(Lang, &str)]) -> std::io::Result<()> {
        let fields: Vec<&str> =
            self.langs.iter().map(|l| texts.iter().find(|(x, _)| x == l).map_or("", |(_, t)| *t)).collect();
        self.inner.write_record(&fields).map_err(std::io::Error::other)
    }

    /// Flushes the output.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_quotes_tabs_and_missing_languages() {
        let mut buf = Vec::new();
        let mut w = Writer::new(&mut buf, &[Lang::Ar, Lang::Fr, Lang::En], b'\t').unwrap();
        w.write_row(&[(Lang::Ar, "الأمن"), (Lang::Fr, "la \"sûreté\"\tnationale")]).unwrap();
        w.write_row(&[(Lang::Fr, "deux\nlignes"), (Lang::En, "two")]).unwrap();
        w.finish().unwrap();
        let mut r = Reader::new(&buf[..], b'\t').unwrap();
        assert_eq!(r.langs(), vec![Lang::Ar, Lang::Fr, Lang::En]);
        let (_, a) = r.next_row().unwrap().unwrap();
        assert_eq!(a, vec![(Lang::Ar, "الأمن".into()), (Lang::Fr, "la \"sûreté\"\tnationale".into())]);
        let (_, b) = r.next_row().unwrap().unwrap();
        assert_eq!(b, vec![(Lang::Fr, "deux\nlignes".into()), (Lang::En, "two".into())]);
        assert!(r.next_row().unwrap().is_none());
    }

    #[test]
    fn header_with_regions_and_extra_columns() {
        let r = Reader::new("FR-fr,note,ar-MA\nx,y,z\n".as_bytes(), b',').unwrap();
        assert_eq!(r.langs(), vec![Lang::Fr, Lang::Ar]);
        assert_eq!(r.ignored, vec!["note"]);
        assert!(Reader::new("a,b\n".as_bytes(), b',').is_err());
    }
}
