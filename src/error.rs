//! The library's error type for reading input. Each stage with its own failure modes
//! (glossary files, TMX, SRX, the TM store) has its own error enum in its module; they all
//! name the file and the position, and say what the user can do.

use std::path::PathBuf;

/// Errors from reading and decoding input files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {}", io_advice(source))]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The path names a directory where a file was expected.
    #[error("{path}: is a directory; give the path of a text file")]
    IsDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// The bytes are not valid in the detected encoding.
    #[error(
        "{path}: line {line}: invalid {encoding} at byte offset {offset}; re-save the file as UTF-8 \
         (or UTF-16 with a byte-order mark); the commands that read article texts also take \
         --encoding for older files (windows-1256 or iso-8859-6 for Arabic, windows-1252 for \
         French and English)"
    )]
    Decode {
        /// The file.
        path: PathBuf,
        /// The encoding the bytes were read as.
        encoding: &'static str,
        /// Byte offset of the first invalid byte in the file.
        offset: usize,
        /// 1-based line of that byte.
        line: usize,
    },
    /// The file holds NUL bytes outside UTF-16: it is binary, not text.
    #[error(
        "{path}: line {line}: NUL byte at byte offset {offset}: this looks like a binary file, not \
         text; give a plain-text file"
    )]
    Binary {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first NUL.
        offset: usize,
        /// 1-based line of that byte.
        line: usize,
    },
    /// An article text holds a control character that is not text (a bell, an escape).
    #[error(
        "{path}: line {line}: {what} at byte offset {offset} is not text; delete it (qantara keeps \
         such characters out of memories: TMX and TBX cannot hold them)"
    )]
    ControlChar {
        /// The file.
        path: PathBuf,
        /// What the character is (`U+0007 (bell)`).
        what: String,
        /// Byte offset in the decoded text.
        offset: usize,
        /// 1-based line.
        line: usize,
    },
    /// The file is UTF-16 without a byte-order mark, so its byte order is unknown.
    #[error(
        "{path}: looks like UTF-16 without a byte-order mark; re-save it as UTF-8 (or as UTF-16 \
         with a byte-order mark: \"Unicode\" in Word and Notepad)"
    )]
    Utf16WithoutBom {
        /// The file.
        path: PathBuf,
    },
}

/// The operating system's reason for an I/O failure, with what the user can do about it.
pub fn io_advice(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let hint = match e.kind() {
        K::NotFound => "check the path (and the current directory)",
        K::PermissionDenied => {
            "check the file's permissions (ls -l) or run qantara as a user who may read it"
        }
        K::IsADirectory => "give the path of a file, not a directory",
        K::InvalidData => "re-save the file as UTF-8",
        _ => return e.to_string(),
    };
    format!("{e}; {hint}")
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
