//! Reading text from files and standard input.
//!
//! Translators' files come as UTF-8 (with or without the BOM Windows tools add), as UTF-16
//! LE/BE with a BOM (Word's "Unicode text"), with CRLF or lone-CR line ends. This module turns
//! all of them into one Rust `String` with `\n` line ends; that decoded string is the
//! "original text" every byte span in qantara points into. Invalid bytes are an error naming
//! the byte offset and line, never a silent replacement: a TM must not store mojibake.
//!
//! Older Arabic and French files are often in a legacy 8-bit encoding (Windows-1256 or
//! ISO-8859-6 for Arabic, Windows-1252 or Latin-1 for French). The caller may name one
//! ([`read_text_in`], the CLI's `--encoding`); it applies only to a file that has no byte-order
//! mark (a BOM states the encoding itself) and is not valid UTF-8. Arabic or accented text in
//! an 8-bit encoding is practically never valid UTF-8, so a folder or a pair that mixes UTF-8
//! and legacy files reads right with one `--encoding`, and a UTF-8 file is never turned into
//! mojibake. Decoding is done by `encoding_rs` (the WHATWG Encoding Standard's tables and
//! labels, the ones browsers use).

use crate::error::{Error, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

pub use encoding_rs::Encoding;

/// Reads and decodes a file, or standard input when `path` is `-`.
pub fn read_text(path: &Path) -> Result<String> {
    read_text_in(path, None)
}

/// Like [`read_text`], reading a file that has no byte-order mark and is not valid UTF-8 as
/// `encoding` (an error when `None`).
pub fn read_text_in(path: &Path, encoding: Option<&'static Encoding>) -> Result<String> {
    let bytes = read_bytes(path)?;
    decode_in(&bytes, path, encoding)
}

/// Reads an article version (segment, align, annotate, check, batch): [`read_text_in`], then
/// [`article_text`].
pub fn read_article(path: &Path, encoding: Option<&'static Encoding>) -> Result<String> {
    article_text(read_text_in(path, encoding)?, path)
}

/// Refuses a `lang` version (French or English) that a named legacy encoding decoded into
/// Arabic letters: Windows-1256 maps French accented capitals (`É`, `À`) to Arabic letters, so
/// a Windows-1252 file read with `--encoding windows-1256` would be stored as mojibake.
/// Arabic versions, UTF-8 files and standard input are not checked.
pub fn check_script(
    path: &Path,
    text: &str,
    lang: crate::lang::Lang,
    encoding: Option<&'static Encoding>,
) -> Result<()> {
    let Some(encoding) = encoding.filter(|e| *e != encoding_rs::UTF_8) else { return Ok(()) };
    if lang == crate::lang::Lang::Ar
        || path.as_os_str() == "-"
        || !text.chars().any(crate::lang::is_arabic_letter)
    {
        return Ok(());
    }
    let was_utf8 = std::fs::read(path).is_ok_and(|b| std::str::from_utf8(&b).is_ok());
    if was_utf8 {
        return Ok(());
    }
    Err(Error::WrongEncoding { path: path.to_path_buf(), encoding: encoding.name(), lang })
}

/// Makes a decoded article text fit for a memory: the vertical tab, which Word writes for a
/// manual line break inside a paragraph, becomes a space (the sentence goes on across it), and
/// the form feed, its page break, a line break (one byte for one, so nothing else moves); any
/// other character XML 1.0 forbids (a bell, an escape, U+FFFE) is an error naming its line and
/// offset. Such characters would otherwise
/// reach the memory and make its TMX export replace them, and its TSV export unreadable.
pub fn article_text(mut text: String, path: &Path) -> Result<String> {
    let bytes = text.as_bytes();
    let suspicious = bytes.iter().any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        || text.contains(['\u{FFFE}', '\u{FFFF}']);
    if !suspicious {
        return Ok(text);
    }
    if text.contains(['\u{B}', '\u{C}']) {
        text = text.replace('\u{B}', " ").replace('\u{C}', "\n");
    }
    if let Some((offset, c)) = crate::xml::first(&text) {
        return Err(Error::ControlChar {
            path: path.to_path_buf(),
            what: crate::xml::describe(c),
            offset,
            line: line_of(text.as_bytes(), offset),
        });
    }
    Ok(text)
}

/// The encoding a WHATWG label names (`windows-1256`, `cp1256`, `iso-8859-6`, `latin1`,
/// `utf-16le`, ...), case-insensitively.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// Reads raw bytes from a file, or from standard input when `path` is `-`.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let io_err = |source| Error::Io { path: path.to_path_buf(), source };
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(io_err)?;
        return Ok(buf);
    }
    if path.is_dir() {
        return Err(Error::IsDirectory { path: path.to_path_buf() });
    }
    std::fs::read(path).map_err(io_err)
}

/// Decodes bytes (BOM-sniffed UTF-8 / UTF-16) and unifies line ends to `\n`.
pub fn decode(bytes: &[u8], path: &Path) -> Result<String> {
    decode_in(bytes, path, None)
}

/// Like [`decode`], reading bytes that have no byte-order mark and are not valid UTF-8 as
/// `encoding` (an error when `None`).
pub fn decode_in(bytes: &[u8], path: &Path, encoding: Option<&'static Encoding>) -> Result<String> {
    let text = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest, 3, path)?,
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true, path)?,
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false, path)?,
        _ => match (utf8(bytes, 0, path), encoding) {
            (Ok(text), _) => text,
            (Err(e), None) => return Err(e),
            (Err(e), Some(named)) if named == encoding_rs::UTF_8 => return Err(e),
            (Err(_), Some(named)) if named == encoding_rs::UTF_16LE => utf16(bytes, true, path)?,
            (Err(_), Some(named)) if named == encoding_rs::UTF_16BE => utf16(bytes, false, path)?,
            (Err(_), Some(named)) => legacy(bytes, named, path)?,
        },
    };
    Ok(unify_line_ends(text))
}

/// Decodes a legacy encoding without replacement: a byte the encoding leaves unmapped (ISO-8859-6
/// has many) is an error at its offset, like invalid UTF-8.
fn legacy(bytes: &[u8], encoding: &'static Encoding, path: &Path) -> Result<String> {
    if let Some(nul) = memchr_nul(bytes) {
        return Err(Error::Binary { path: path.to_path_buf(), offset: nul, line: line_of(bytes, nul) });
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 2);
    let mut read = 0;
    loop {
        let (result, n) = decoder.decode_to_string_without_replacement(&bytes[read..], &mut text, true);
        read += n;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok(text),
            encoding_rs::DecoderResult::OutputFull => text.reserve(3 * (bytes.len() - read) + 16),
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                let offset = read - bad as usize - after as usize;
                let line = line_of(bytes, offset);
                return Err(Error::Decode {
                    path: path.to_path_buf(),
                    encoding: encoding.name(),
                    offset,
                    line,
                });
            }
        }
    }
}

fn utf8(bytes: &[u8], bom_len: usize, path: &Path) -> Result<String> {
    if let Some(nul) = memchr_nul(bytes) {
        if bom_len == 0 && looks_like_bomless_utf16(bytes) {
            return Err(Error::Utf16WithoutBom { path: path.to_path_buf() });
        }
        return Err(Error::Binary {
            path: path.to_path_buf(),
            offset: bom_len + nul,
            line: line_of(bytes, nul),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(Error::Decode {
            path: path.to_path_buf(),
            encoding: "UTF-8",
            offset: bom_len + e.valid_up_to(),
            line: line_of(bytes, e.valid_up_to()),
        }),
    }
}

fn utf16(bytes: &[u8], little_endian: bool, path: &Path) -> Result<String> {
    let encoding = if little_endian { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if !had_errors && bytes.len() % 2 == 0 {
        return Ok(text.into_owned());
    }
    // Locate the first bad code unit for the message: decode unit by unit.
    let units = bytes.chunks(2).map(|c| match (c, little_endian) {
        ([a, b], true) => Some(u16::from_le_bytes([*a, *b])),
        ([a, b], false) => Some(u16::from_be_bytes([*a, *b])),
        _ => None,
    });
    let mut offset = 0;
    let mut line = 1;
    let mut pending_high = false;
    for unit in units {
        let ok = match unit {
            None => false,
            Some(u) if (0xD800..0xDC00).contains(&u) => {
                let ok = !pending_high;
                pending_high = true;
                ok
            }
            Some(u) if (0xDC00..0xE000).contains(&u) => std::mem::take(&mut pending_high),
            Some(u) => {
                line += (u == 0x0A) as usize;
                !std::mem::take(&mut pending_high)
            }
        };
        if !ok {
            break;
        }
        offset += 2;
    }
    Err(Error::Decode {
        path: path.to_path_buf(),
        encoding: if little_endian { "UTF-16LE" } else { "UTF-16BE" },
        offset: 2 + offset,
        line,
    })
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    // `contains` on bytes is std's vectorised memchr (optimised even in debug builds of this
    // crate), so the common case, a text without NUL, costs one fast scan.
    if !bytes.contains(&0) {
        return None;
    }
    bytes.iter().position(|&b| b == 0)
}

/// UTF-16 without a byte-order mark: in the first KiB, NULs sit at one parity only (the high
/// byte of ASCII and Latin characters), make up a good share of it, and no 16-bit unit is 0
/// (binary formats are full of zero words; text never holds U+0000).
fn looks_like_bomless_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024) & !1];
    if head.len() < 8 || head.chunks(2).any(|c| c == [0, 0]) {
        return false;
    }
    let (mut even, mut odd) = (0, 0);
    for (i, &b) in head.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 { even += 1 } else { odd += 1 }
        }
    }
    let pairs = head.len() / 2;
    (even == 0 || odd == 0) && (even + odd) * 3 >= pairs
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count()
}

/// Turns CRLF and lone CR into LF, borrowing nothing when there is no CR.
fn unify_line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A display name for a path argument (`<stdin>` for `-`).
pub fn display_name(path: &Path) -> PathBuf {
    if path.as_os_str() == "-" { PathBuf::from("<stdin>") } else { path.to_path_buf() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Result<String> {
        decode(bytes, Path::new("t.txt"))
    }

    #[test]
    fn a_named_legacy_encoding_reads_arabic_and_french_files() {
        let arabic = "المديرية العامة للأمن الوطني.\r\n";
        let (cp1256, _, lossy) = encoding_rs::WINDOWS_1256.encode(arabic);
        assert!(!lossy);
        let t = Path::new("t.txt");
        assert!(decode(&cp1256, t).is_err(), "not UTF-8");
        assert_eq!(decode_in(&cp1256, t, encoding_for_label("cp1256")).unwrap(), arabic.replace('\r', ""));
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode("Sûreté nationale, œuvre");
        assert_eq!(decode_in(&latin1, t, encoding_for_label("latin1")).unwrap(), "Sûreté nationale, œuvre");
        // A byte-order mark states the encoding itself and wins over the named one; so does
        // valid UTF-8 (a pair may mix a legacy Arabic file with a UTF-8 French one).
        assert_eq!(decode_in("\u{feff}é".as_bytes(), t, encoding_for_label("latin1")).unwrap(), "é");
        assert_eq!(decode_in("Sûreté".as_bytes(), t, encoding_for_label("cp1256")).unwrap(), "Sûreté");
        // UTF-16 named for a file without its BOM.
        let utf16: Vec<u8> = "Sûreté".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode_in(&utf16, t, encoding_for_label("utf-16le")).unwrap(), "Sûreté");
    }

    #[test]
    fn a_byte_the_legacy_encoding_leaves_unmapped_is_an_error_at_its_offset() {
        // 0xA1 is unassigned in ISO-8859-6.
        let err =
            decode_in(b"ab\ncd\xA1e", Path::new("t.txt"), encoding_for_label("iso-8859-6")).unwrap_err();
        match err {
            Error::Decode { offset, line, encoding, .. } => {
                assert_eq!((offset, line, encoding), (5, 2, "ISO-8859-6"))
            }
            e => panic!("{e}"),
        }
        assert!(encoding_for_label("klingon").is_none());
    }

    #[test]
    fn strips_utf8_bom_and_unifies_line_ends() {
        assert_eq!(dec(b"\xEF\xBB\xBFa\r\nb\rc\n").unwrap(), "a\nb\nc\n");
    }

    #[test]
    fn decodes_utf16_both_endians() {
        let le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("سلام\r\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> =
            [0xFE, 0xFF].into_iter().chain("Sûreté".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(dec(&le).unwrap(), "سلام\n");
        assert_eq!(dec(&be).unwrap(), "Sûreté");
    }

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        match dec(b"ok\nbad \xFF here") {
            Err(Error::Decode { offset, line, .. }) => assert_eq!((offset, line), (7, 2)),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(dec(b"PNG\x00\x01"), Err(Error::Binary { offset: 3, .. })));
    }

    #[test]
    fn utf16_without_bom_is_named_as_such() {
        let le: Vec<u8> = "Bonjour.\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = "Bonjour.\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(matches!(dec(&le), Err(Error::Utf16WithoutBom { .. })));
        assert!(matches!(dec(&be), Err(Error::Utf16WithoutBom { .. })));
        // A PNG header is binary, not UTF-16.
        assert!(matches!(dec(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0"), Err(Error::Binary { .. })));
    }

    #[test]
    fn odd_utf16_is_an_error_not_a_panic() {
        assert!(matches!(dec(&[0xFF, 0xFE, 0x41, 0x00, 0x42]), Err(Error::Decode { .. })));
    }
}
