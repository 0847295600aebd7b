//! Bearer tokens of `qantara serve`: one per person, each with a role, kept hashed in a file.
//!
//! # File
//! UTF-8 text, one token a line: `NAME<TAB>ROLE<TAB>SHA256-HEX<TAB>CREATED`, lines starting with
//! `#` are comments. Only the SHA-256 of a token is stored: the file tells who may do what,
//! but a copy of it lets nobody in. A token is 32 random bytes from the operating system
//! (`qt_` and 64 hex digits), so a plain hash (no salt, no slow KDF) is enough: there is no
//! dictionary to try. The file is written whole to a temporary file in the same folder and
//! renamed over the old one, with mode 0600 on Unix.
//!
//! # Roles
//! `read` ⊂ `write` ⊂ `admin`: read looks things up and exports, write stores documents and
//! imports, admin also deletes documents.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Look up, search, check, list and export.
    Read,
    /// Also store documents and import files.
    Write,
    /// Also delete documents.
    Admin,
}

impl Role {
    /// Its name in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Write => "write",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "read" => Ok(Role::Read),
            "write" => Ok(Role::Write),
            "admin" => Ok(Role::Admin),
            o => Err(format!("unknown role '{o}' (read, write, admin)")),
        }
    }
}

/// One entry of the file (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// Whose token it is.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// SHA-256 of the token, hex.
    #[serde(skip)]
    pub hash: String,
    /// When it was made (`YYYYMMDDThhmmssZ`).
    pub created: String,
}

/// Errors of the token file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// A line is not `NAME<TAB>ROLE<TAB>HASH<TAB>CREATED`.
    #[error("{path}:{line}: {msg}; fix the line or remove it (`qantara token revoke NAME`)")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// A name given to `add` is taken or unusable, or not found by `revoke`.
    #[error("{0}")]
    Name(String),
    /// The operating system gave no random bytes.
    #[error("no random bytes from the operating system: {0}")]
    Random(String),
}

/// The tokens of a file, by hash.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    entries: Vec<Entry>,
    by_hash: HashMap<String, usize>,
}

/// The SHA-256 of a token, hex.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

impl Tokens {
    /// Reads a token file; a missing file is an empty set.
    pub fn load(path: &Path) -> Result<Tokens, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => return Err(Error::Io { path: path.to_path_buf(), source }),
        };
        let mut t = Tokens::default();
        for (i, line) in text.lines().enumerate() {
            let syntax = |msg: String| Error::Syntax { path: path.to_path_buf(), line: i + 1, msg };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 4 {
                return Err(syntax(format!(
                    "{} fields, expected NAME, ROLE, HASH, CREATED separated by tabs",
                    f.len()
                )));
            }
            let role = Role::from_str(f[1]).map_err(syntax)?;
            if f[2].len() != 64 || !f[2].bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(syntax("the hash is not 64 hex digits".into()));
            }
            if t.entries.iter().any(|e| e.name == f[0]) {
                return Err(syntax(format!("the name {:?} is used twice", f[0])));
            }
            t.by_hash.insert(f[2].to_ascii_lowercase(), t.entries.len());
            t.entries.push(Entry {
                name: f[0].into(),
                role,
                hash: f[2].to_ascii_lowercase(),
                created: f[3].into(),
            });
        }
        Ok(t)
    }

    /// The entry a presented token belongs to.
    pub fn check(&self, token: &str) -> Option<&Entry> {
        self.by_hash.get(&hash(token)).map(|&i| &self.entries[i])
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Whether there is no token at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn save(&self, path: &Path) -> Result<(), Error> {
        let io = |source| Error::Io { path: path.to_path_buf(), source };
        let mut text = String::from("# qantara serve tokens: NAME<TAB>ROLE<TAB>SHA256(token)<TAB>CREATED\n");
        for e in &self.entries {
            text.push_str(&format!("{}\t{}\t{}\t{}\n", e.name, e.role, e.hash, e.created));
        }
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp = dir.join(format!(
            ".{}.tmp{}",
            path.file_name().map_or("tokens".into(), |n| n.to_string_lossy()),
            std::process::id()
        ));
        {
            use std::io::Write;
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            let mut f = opts.open(&tmp).map_err(io)?;
            f.write_all(text.as_bytes()).map_err(io)?;
            f.sync_all().map_err(io)?;
        }
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Adds a token for `name` and returns it (the only time it is shown).
    pub fn add(path: &Path, name: &str, role: Role) -> Result<String, Error> {
        if name.is_empty() || name.chars().any(|c| c.is_control() || c == '\t') || name.starts_with('#') {
            return Err(Error::Name(format!(
                "{name:?}: a token name must be non-empty, without tabs or control characters, and not start with #"
            )));
        }
        let mut t = Tokens::load(path)?;
        if t.entries.iter().any(|e| e.name == name) {
            return Err(Error::Name(format!(
                "{}: {name:?} already has a token; revoke it first (`qantara token revoke {name}`) or pick another name",
                path.display()
            )));
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| Error::Random(e.to_string()))?;
        let token: String = format!("qt_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let h = hash(&token);
        t.by_hash.insert(h.clone(), t.entries.len());
        t.entries.push(Entry { name: name.into(), role, hash: h, created: crate::tm::now_stamp() });
        t.save(path)?;
        Ok(token)
    }

    /// Removes `name`'s token.
    pub fn revoke(path: &Path, name: &str) -> Result<(), Error> {
        let mut t = Tokens::load(path)?;
        let before = t.entries.len();
        t.entries.retain(|e| e.name != name);
        if t.entries.len() == before {
            return Err(Error::Name(format!(
                "{}: no token named {name:?} (`qantara token list`)",
                path.display()
            )));
        }
        t.save(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stored_hashed_checked_and_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("tokens");
        let a = Tokens::add(&f, "amina", Role::Write).unwrap();
        let b = Tokens::add(&f, "luc", Role::Read).unwrap();
        assert_ne!(a, b);
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(!text.contains(&a) && text.contains(&hash(&a)));
        let t = Tokens::load(&f).unwrap();
        assert_eq!(t.check(&a).map(|e| (e.name.as_str(), e.role)), Some(("amina", Role::Write)));
        assert!(t.check("qt_0000").is_none());
        assert!(Tokens::add(&f, "amina", Role::Admin).is_err());
        Tokens::revoke(&f, "amina").unwrap();
        assert!(Tokens::load(&f).unwrap().check(&a).is_none());
        assert!(Tokens::revoke(&f, "amina").is_err());
        std::fs::write(&f, "x\tboss\tabc\t2024\n").unwrap();
        assert!(matches!(Tokens::load(&f), Err(Error::Syntax { line: 1, .. })));
    }
}
