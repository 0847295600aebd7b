//! Storage of the translation memory: the [`TmStore`] trait and its SQLite implementation.
//!
//! # Why a trait
//! Lookup, concordance, exchange, batch and the CLI only call [`TmStore`]: document writes
//! (begin / add units / commit), the index primitives of [`super::index`] (term frequencies,
//! posting lists) and unit reads. A shared server backend can implement the same trait later
//! without touching any of them.
//!
//! # SQLite backend
//! One file (see [`super::default_path`]), created on first use. Settings and why:
//! * `journal_mode=WAL`: readers (lookups in other processes) never block the writer and
//!   vice versa; `synchronous=NORMAL` is durable at each checkpoint and never corrupts. The
//!   switch to WAL is retried within the busy timeout, because SQLite fails it at once when two
//!   processes create the file at the same moment (see `switch_to_wal`).
//! * `busy_timeout` of 30 s: several qantara processes may share the file; a writer waits for
//!   another's transaction instead of failing.
//! * `foreign_keys=ON`: texts cascade with their unit, units with their document.
//! * `PRAGMA application_id` is [`APPLICATION_ID`] (`QNTR`): a memory carries its own marker,
//!   so a file given as `--tm` is checked before anything touches it ([`identify`]): another
//!   application's SQLite database (another id, or no id and tables that are not a memory's)
//!   and a file that is no SQLite database at all are refused unopened for writing, byte for
//!   byte and mtime intact. A memory made by a qantara before the marker (schema present, id 0)
//!   and an empty file are memories, and get the marker when next opened for writing.
//! * A memory that cannot be written (a read-only file or folder, another user's memory) is
//!   opened read-only for lookups, concordance, stats and export: through SQLite's read-only
//!   mode, else (a WAL memory in a read-only folder, where SQLite cannot make its shared-memory
//!   file) as `immutable`, which reads the main file only; writing then fails with SQLite's
//!   "readonly database" error.
//! * `PRAGMA user_version` is the schema version; [`MIGRATIONS`] holds one step (SQL or code)
//!   per version, applied in order in one `BEGIN IMMEDIATE` transaction at open, so two processes
//!   opening a fresh file cannot both migrate it.
//!
//! # Transactions
//! A document is written between [`TmStore::begin_document`] (`BEGIN IMMEDIATE` unless a
//! transaction is open, then the document's old units and their postings are deleted) and
//! [`TmStore::commit_document`] (`COMMIT`); bulk imports end several whole documents with
//! [`TmStore::end_document`] before one [`TmStore::commit`]. SQLite's atomic commit means a crash or `SIGKILL` at any point leaves either
//! the old or the new version of the document, never a mix; the index is written in the same
//! transaction, so it never disagrees with the units.
//!
//! # Costs
//! Writing a unit: one row in `units`, one in `texts` per language, one posting per distinct
//! key; term ids are cached in memory during a write session and document frequencies are
//! accumulated and written once per document.

use super::keys::{self as index, QueryTerm};
use super::{Error, NewUnit, Origin, Result, Unit, UnitId, UnitText};
use crate::lang::Lang;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

mod documents;

/// One schema upgrade.
pub enum Migration {
    /// An SQL script.
    Sql(&'static str),
    /// A data transformation SQL alone cannot express.
    Code(fn(&Connection) -> rusqlite::Result<()>),
}

/// Schema upgrades; `MIGRATIONS[i]` upgrades version `i` to `i + 1`.
/// * 1: documents, units, texts, terms, one B-tree row per posting.
/// * 3: `documents.source`, so a document is never replaced by a namesake from elsewhere.
/// * 4: `reviews`, one JSON row per document: its texts, beads and pins ([`super::pins`]).
/// * 2: posting lists in chunks of up to [`CHUNK`] entries (`pchunks`, a JSON array each), which
///   reads ~100× fewer rows per lookup and writes far fewer pages per import; `postings`
///   becomes a view over the chunks.
pub const MIGRATIONS: &[Migration] = &[
    Migration::Sql(
        r#"
CREATE TABLE documents(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL,
    content_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE units(
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    origin TEXT NOT NULL,
    confidence REAL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    extra TEXT
);
CREATE INDEX units_by_doc ON units(doc_id, ord);
CREATE TABLE texts(
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    segments TEXT,
    keys TEXT NOT NULL,
    ntok INTEGER NOT NULL,
    PRIMARY KEY(unit_id, lang)
) WITHOUT ROWID;
CREATE TABLE terms(
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    key TEXT NOT NULL,
    df INTEGER NOT NULL DEFAULT 0,
    UNIQUE(lang, key)
);
CREATE TABLE postings(
    term_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    ntok INTEGER NOT NULL,
    PRIMARY KEY(term_id, unit_id)
) WITHOUT ROWID;
"#,
    ),
    Migration::Code(migrate_chunks),
    // 3: where each document came from (see `DocSpec::source`); NULL for older documents.
    Migration::Sql("ALTER TABLE documents ADD COLUMN source TEXT;"),
    // 4: what review needs of each document (texts, every bead, pins), see `super::pins`.
    Migration::Sql(
        "CREATE TABLE reviews(
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            data TEXT NOT NULL
        );",
    ),
];

/// Entries per posting chunk (a chunk may temporarily hold up to twice as many after
/// out-of-order inserts, see `SqliteStore::insert_posting`).
pub const CHUNK: usize = 64;

/// Version 2: moves the row-per-posting table into chunks.
fn migrate_chunks(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE pchunks(
            term_id INTEGER NOT NULL,
            first_unit INTEGER NOT NULL,
            n INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY(term_id, first_unit)
        ) WITHOUT ROWID;",
    )?;
    {
        let mut read =
            conn.prepare("SELECT term_id, unit_id, ntok FROM postings ORDER BY term_id, unit_id")?;
        let mut rows = read.query([])?;
        let mut cur: Option<i64> = None;
        let mut buf: Vec<(i64, u32)> = Vec::new();
        let flush = |term: i64, buf: &mut Vec<(i64, u32)>| -> rusqlite::Result<()> {
            for c in buf.chunks(CHUNK) {
                put_chunk(conn, term, c)?;
            }
            buf.clear();
            Ok(())
        };
        while let Some(r) = rows.next()? {
            let (t, u, m): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            if cur != Some(t) {
                if let Some(p) = cur {
                    flush(p, &mut buf)?;
                }
                cur = Some(t);
            }
            buf.push((u, m as u32));
        }
        if let Some(p) = cur {
            flush(p, &mut buf)?;
        }
    }
    // The old table's name becomes a view decoding the chunks, for inspection with the sqlite3
    // shell and for checks written against schema 1 (qantara itself reads the chunks).
    conn.execute_batch(
        "DROP TABLE postings;
         CREATE VIEW postings(term_id, unit_id, ntok) AS
             SELECT c.term_id, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')
             FROM pchunks c, json_each(c.data) j;",
    )
}

/// Encodes sorted entries `(unit, ntok)` as the JSON array `[[unit,ntok],…]`: compact enough
/// (about 12 bytes an entry), decoded by a tight loop here, and readable by SQLite's
/// `json_each` (the `postings` view).
fn encode_chunk(entries: &[(i64, u32)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(entries.len() * 12 + 2);
    out.push('[');
    for (i, &(u, m)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "[{u},{m}]");
    }
    out.push(']');
    out
}

/// Decodes [`encode_chunk`]'s output (every integer in order, paired).
fn decode_chunk(data: &[u8], out: &mut Vec<(i64, u32)>) {
    let mut nums = [0i64; 2];
    let mut k = 0;
    let mut cur: Option<i64> = None;
    for &b in data {
        if b.is_ascii_digit() {
            cur = Some(cur.unwrap_or(0) * 10 + i64::from(b - b'0'));
        } else if let Some(v) = cur.take() {
            nums[k] = v;
            k += 1;
            if k == 2 {
                out.push((nums[0], nums[1] as u32));
                k = 0;
            }
        }
    }
}

fn put_chunk(conn: &Connection, term: i64, entries: &[(i64, u32)]) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO pchunks(term_id, first_unit, n, data) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![term, entries[0].0, entries.len() as i64, encode_chunk(entries)])?;
    Ok(())
}

fn delete_chunk(conn: &Connection, term: i64, first: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM pchunks WHERE term_id = ?1 AND first_unit = ?2")?
        .execute(params![term, first])?;
    Ok(())
}

/// A decoded chunk: its first unit and its `(unit, ntok)` entries.
type Chunk = (i64, Vec<(i64, u32)>);

/// The chunk of `term` that would hold `unit`: the last one starting at or before it.
fn chunk_at(conn: &Connection, term: i64, unit: i64) -> rusqlite::Result<Option<Chunk>> {
    let row: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT first_unit, data FROM pchunks WHERE term_id = ?1 AND first_unit <= ?2 ORDER BY first_unit DESC LIMIT 1",
        )?
        .query_row(params![term, unit], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(first, data)| {
        let mut v = Vec::new();
        decode_chunk(data.as_bytes(), &mut v);
        (first, v)
    }))
}

/// What writing one document did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DocWrite {
    /// Units stored.
    pub units: u64,
    /// Units skipped as exact duplicates of a unit already in the document.
    pub duplicates: u64,
    /// Units of the previous version that were replaced.
    pub replaced: u64,
}

/// Figures about a memory.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// The file.
    pub path: String,
    /// Documents.
    pub documents: u64,
    /// Units.
    pub units: u64,
    /// Unit texts per language.
    pub texts: BTreeMap<String, u64>,
    /// Units having both languages of each pair (`ar-fr`, …).
    pub pairs: BTreeMap<String, u64>,
    /// Units per origin.
    pub origins: BTreeMap<String, u64>,
    /// Distinct index keys.
    pub terms: u64,
    /// Postings.
    pub postings: u64,
    /// File size in bytes (main file, WAL excluded).
    pub file_bytes: u64,
    /// Bytes of the index (terms and posting-chunk B-trees).
    pub index_bytes: u64,
}

/// Storage backend of the translation memory (see the module doc).
pub trait TmStore {
    /// A human-readable name of the store (its path), for messages.
    fn location(&self) -> String;
    /// The content hash recorded for document `name`, if the document exists.
    fn document_hash(&self, name: &str) -> Result<Option<String>>;
    /// Where document `name` came from (`None`: no such document, or no source recorded).
    fn document_source(&self, name: &str) -> Result<Option<String>>;
    /// Starts writing a document: opens a transaction and (with `spec.replace`) removes its
    /// previous units.
    fn begin_document(&mut self, spec: &DocSpec<'_>) -> Result<()>;
    /// Adds a unit to the document being written; `false` when skipped as a duplicate.
    fn add_unit(&mut self, unit: &NewUnit) -> Result<bool>;
    /// Ends the document being written without committing: the next `begin_document` joins
    /// the same transaction (bulk imports group whole documents per transaction).
    fn end_document(&mut self) -> Result<DocWrite>;
    /// Rolls back the document being written only; documents ended before it in the same
    /// transaction stay pending and can still be committed.
    fn rollback_document(&mut self) -> Result<()>;
    /// Commits the open transaction (every document ended since it began).
    fn commit(&mut self) -> Result<()>;
    /// Ends and commits the document.
    fn commit_document(&mut self) -> Result<DocWrite> {
        let w = self.end_document()?;
        self.commit()?;
        Ok(w)
    }
    /// Abandons the open transaction: the memory stays as before it began.
    fn abort_document(&mut self) -> Result<()>;
    /// Fills the document frequency of each query term in `lang` and returns its term id.
    fn terms(&self, lang: Lang, terms: &mut [QueryTerm]) -> Result<Vec<Option<i64>>>;
    /// Calls `f(unit, ntok)` for each posting of `term`, in unit order, until `f` returns false.
    fn postings(&self, term: i64, f: &mut dyn FnMut(UnitId, usize) -> bool) -> Result<()>;
    /// Whether `unit` has a posting for `term`.
    fn has_posting(&self, term: i64, unit: UnitId) -> Result<bool>;
    /// The text and comparison keys of a unit in `lang`.
    fn unit_text(&self, unit: UnitId, lang: Lang) -> Result<Option<(String, String)>>;
    /// A unit with all its texts.
    fn unit(&self, id: UnitId) -> Result<Option<Unit>>;
    /// Every unit, ordered by document name then position.
    fn for_each_unit(&self, f: &mut dyn FnMut(Unit) -> Result<()>) -> Result<()>;
    /// Every text in `lang` as `(unit, text, keys)`, in unit order (brute-force scans).
    fn for_each_text(&self, lang: Lang, f: &mut dyn FnMut(UnitId, &str, &str) -> Result<()>) -> Result<()>;
    /// Figures about the memory.
    fn stats(&self) -> Result<Stats>;
    /// Whether the memory holds no unit (cheap, unlike `stats`).
    fn is_empty(&self) -> Result<bool>;
    /// Every stored document with its unit count, by name (byte order).
    fn documents(&self) -> Result<Vec<super::DocumentInfo>>;
    /// One document and its units in order; `None` when no document has that name.
    fn document(&self, name: &str) -> Result<Option<(super::DocumentInfo, Vec<Unit>)>>;
    /// Deletes a document, its units and their index entries in one transaction; the number
    /// of units removed, or `None` when no document has that name.
    fn delete_document(&mut self, name: &str) -> Result<Option<u64>>;
    /// The texts in `lang` of the units just before and just after `unit` in its document
    /// (context matches of a lookup).
    fn neighbours(&self, unit: UnitId, lang: Lang) -> Result<(Option<String>, Option<String>)>;
    /// Stores what review needs of the document being written (between `begin_document` and
    /// `end_document`, so in the same transaction as its units). `begin_document` removes the
    /// document's previous record, so a document rewritten without one (an import) has none.
    fn put_review(&mut self, review: &super::pins::Review) -> Result<()>;
    /// What review needs of a document: `None` when it has no such record (imported, or
    /// stored by a qantara before review existed) or does not exist.
    fn review(&self, name: &str) -> Result<Option<super::pins::Review>>;
    /// The languages of a document's units, in the order ar, fr, en.
    fn document_langs(&self, name: &str) -> Result<Vec<Lang>>;
    /// Prepares the connection for a large import (a no-op unless the store has a use for it).
    fn bulk_mode(&self) -> Result<()> {
        Ok(())
    }
    /// [`TmStore::unit_text`] of several units at once (a store across a network answers in
    /// one round trip), in the order of `units`.
    fn unit_texts(&self, units: &[UnitId], lang: Lang) -> Result<Vec<Option<(String, String)>>> {
        units.iter().map(|&u| self.unit_text(u, lang)).collect()
    }
    /// [`TmStore::has_posting`] of several units at once, in the order of `units`.
    fn has_postings(&self, term: i64, units: &[UnitId]) -> Result<Vec<bool>> {
        units.iter().map(|&u| self.has_posting(term, u)).collect()
    }
}

/// How to write a document.
#[derive(Debug, Clone, Copy)]
pub struct DocSpec<'a> {
    /// The document's name (its identity in the memory).
    pub name: &'a str,
    /// The origin recorded for the document.
    pub origin: Origin,
    /// A hash of the inputs, compared by batch runs to skip unchanged documents.
    pub content_hash: Option<&'a str>,
    /// Skip units whose texts equal a unit already in the document.
    pub dedupe: bool,
    /// Replace the document's units (`true`) or append to them (`false`).
    pub replace: bool,
    /// Where the document comes from (an article folder, a manifest row, an imported file), as
    /// a canonical path. A document of the same name from another source is not replaced
    /// (`Error::OtherSource`) unless `take_over`; `None` skips the check.
    pub source: Option<&'a str>,
    /// Replace a same-named document even when it came from another source.
    pub take_over: bool,
}

/// A write session in progress.
struct Session {
    doc_id: i64,
    ord: i64,
    dedupe: bool,
    /// Content ids of the document's units (to drop exact duplicates).
    seen: HashSet<String>,
    out: DocWrite,
    /// This document's document-frequency changes and new postings, merged into the
    /// transaction's at `end_document` (so rolling the document back drops them).
    df_delta: HashMap<i64, i64>,
    pending: HashMap<i64, Vec<(i64, u32)>>,
}

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Puts the file in WAL mode (a no-op when it already is). Switching needs an exclusive lock,
/// and when two connections try it on a fresh file at the same moment SQLite sees a deadlock
/// and answers "database is locked" at once, without calling the busy handler (one of them
/// must back off). So the switch is retried here, within the same time budget; the other
/// connection's switch takes milliseconds.
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let mut pause = std::time::Duration::from_millis(1);
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0)) {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
            // SQLite reports the old mode when it could not change it.
            Ok(_) if std::time::Instant::now() < deadline => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && std::time::Instant::now() < deadline => {}
            // Out of time: a file left in rollback-journal mode is still correct, only less
            // concurrent, so only an error stops the open.
            other => return other.map(drop),
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(std::time::Duration::from_millis(50));
    }
}

/// The SQLite translation memory.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    session: Option<Session>,
    /// A write transaction is open.
    in_tx: bool,
    /// Document-frequency changes of the open transaction, written at commit.
    df_delta: HashMap<i64, i64>,
    /// Postings added in the open transaction, appended to the chunks at commit (one chunk
    /// rewrite per term per transaction instead of one per posting).
    pending: HashMap<i64, Vec<(i64, u32)>>,
    /// Term ids by (lang, key), valid across committed sessions (ids are never reused).
    term_cache: HashMap<(Lang, String), i64>,
}

/// The `PRAGMA application_id` of a qantara memory: `QNTR` in ASCII.
pub const APPLICATION_ID: i32 = 0x514E_5452;

/// What a file given as the memory is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// No file, or an empty one (a memory to create).
    New,
    /// A memory: the marker, or (an older qantara) the schema without it.
    Memory {
        /// It carries [`APPLICATION_ID`] already.
        marked: bool,
    },
}

/// Tells whether `path` is a memory without writing anything to it: the SQLite header
/// (bytes 0–15 the magic string, 68–71 the application id) is read directly; a file without
/// an id is then inspected through a read-only connection (which sees a memory's first
/// transaction still in its WAL). `Err(NotAMemory)` for anything else.
pub fn identify(path: &Path) -> Result<Identity> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    if path.is_dir() {
        return Err(Error::NotAMemory { path: path.to_path_buf(), why: "a directory".into() });
    }
    let mut head = Vec::with_capacity(100);
    match std::fs::File::open(path) {
        Ok(f) => {
            use std::io::Read;
            f.take(100).read_to_end(&mut head).map_err(io)?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Identity::New),
        Err(e) => return Err(io(e)),
    }
    if head.is_empty() {
        return Ok(Identity::New);
    }
    let not = |why: String| Error::NotAMemory { path: path.to_path_buf(), why };
    if head.len() < 100 || !head.starts_with(b"SQLite format 3\0") {
        return Err(not("not a database: no SQLite header".into()));
    }
    let app = i32::from_be_bytes([head[68], head[69], head[70], head[71]]);
    if app == APPLICATION_ID {
        return Ok(Identity::Memory { marked: true });
    }
    if app != 0 {
        return Err(not(format!("an SQLite database of another application, application_id {app:#010x}")));
    }
    let conn = open_read_only(path).map_err(|source| Error::Sqlite {
        path: path.to_path_buf(),
        source,
        hint: "",
    })?;
    let q = || -> rusqlite::Result<(i32, i64, Vec<String>)> {
        let app: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let mut st = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
        let tables = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok((app, version, tables))
    };
    let (app, version, tables) =
        q().map_err(|source| Error::Sqlite { path: path.to_path_buf(), source, hint: "" })?;
    let ours = ["documents", "units", "texts", "terms"];
    match app {
        APPLICATION_ID => Ok(Identity::Memory { marked: true }),
        0 if tables.is_empty() && version == 0 => Ok(Identity::New),
        0 if version > 0 && ours.iter().all(|t| tables.iter().any(|n| n == t)) => {
            Ok(Identity::Memory { marked: false })
        }
        _ => {
            let mut shown: Vec<&str> = tables.iter().map(String::as_str).take(5).collect();
            if tables.len() > 5 {
                shown.push("…");
            }
            Err(not(format!(
                "an SQLite database of another application: no qantara marker, tables {}",
                if shown.is_empty() { "none".into() } else { shown.join(", ") }
            )))
        }
    }
}

/// A read-only connection that never writes, nor creates a file beside `path` when it cannot:
/// SQLite's read-only mode, else `immutable` (a WAL file in a folder where the shared-memory
/// file cannot be made).
fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    use rusqlite::OpenFlags;
    let flags =
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags - OpenFlags::SQLITE_OPEN_URI)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The first read opens the WAL, and fails where the shared-memory file cannot be made.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(conn),
        Err(_) => {
            drop(conn);
            let conn = Connection::open_with_flags(format!("file:{}?immutable=1", uri_path(path)), flags)?;
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
            Ok(conn)
        }
    }
}

/// `path` absolute and percent-escaped for an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The file cannot be written by this process (mode, owner, read-only mount).
fn read_only_file(path: &Path) -> bool {
    matches!(
        std::fs::OpenOptions::new().write(true).open(path),
        Err(e) if matches!(e.kind(), std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem)
    )
}

impl SqliteStore {
    /// Opens (creating if needed) the memory at `path` and migrates it to the current schema;
    /// refuses, untouched, a file that is not a memory ([`identify`]). A memory that cannot be
    /// written is opened read-only (reads work, writes fail).
    pub fn open(path: &Path) -> Result<Self> {
        let identity = identify(path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| Error::CreateDir { path: dir.to_path_buf(), source })?;
        }
        let sq = |source| Error::Sqlite {
            path: path.to_path_buf(),
            source,
            hint: "; check that the file is a qantara TM and that its directory is writable",
        };
        let read_write = || -> rusqlite::Result<Connection> {
            let conn = Connection::open(path)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            switch_to_wal(&conn)?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            Ok(conn)
        };
        let (conn, writable) = match identity {
            Identity::Memory { .. } if read_only_file(path) => (open_read_only(path).map_err(sq)?, false),
            Identity::Memory { .. } => match read_write() {
                Ok(c) => (c, true),
                // A read-only folder: SQLite cannot make the WAL's files.
                Err(e) => match open_read_only(path) {
                    Ok(c) => (c, false),
                    Err(_) => return Err(sq(e)),
                },
            },
            Identity::New => (read_write().map_err(sq)?, true),
        };
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sq)?;
        conn.pragma_update(None, "cache_size", -65536).map_err(sq)?;
        let mut store = SqliteStore {
            conn,
            path: path.to_path_buf(),
            session: None,
            in_tx: false,
            df_delta: HashMap::new(),
            pending: HashMap::new(),
            term_cache: HashMap::new(),
        };
        if writable {
            store.migrate()?;
        } else {
            store.check_version()?;
        }
        Ok(store)
    }

    /// A memory opened read-only must already have this build's schema.
    fn check_version(&self) -> Result<()> {
        let known = Self::schema_version();
        let version: i64 =
            self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| self.sq(e))?;
        if version > known {
            return Err(Error::TooNew { path: self.path.clone(), found: version, known });
        }
        if version < known {
            return Err(Error::Other(format!(
                "{}: this memory has schema version {version} and is read-only here, so it cannot be \
                 upgraded to version {known}; open it once where it can be written",
                self.path.display()
            )));
        }
        Ok(())
    }

    fn sq(&self, source: rusqlite::Error) -> Error {
        Error::Sqlite { path: self.path.clone(), source, hint: "" }
    }

    /// The schema version this build writes.
    pub fn schema_version() -> i64 {
        MIGRATIONS.len() as i64
    }

    fn migrate(&mut self) -> Result<()> {
        let known = Self::schema_version();
        let version: i64 =
            self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| self.sq(e))?;
        let app: i32 =
            self.conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(|e| self.sq(e))?;
        if version == known && app == APPLICATION_ID {
            return Ok(());
        }
        if version > known {
            return Err(Error::TooNew { path: self.path.clone(), found: version, known });
        }
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| self.sq(e))?;
        // Re-read under the lock: another process may have migrated meanwhile. The marker is
        // set in the same transaction as the schema (a memory of an older qantara gets it).
        let result = (|| {
            self.conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            let mut v: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            while v < known {
                match &MIGRATIONS[v as usize] {
                    Migration::Sql(sql) => self.conn.execute_batch(sql)?,
                    Migration::Code(f) => f(&self.conn)?,
                }
                v += 1;
                self.conn.pragma_update(None, "user_version", v)?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => self.conn.execute_batch("COMMIT").map_err(|e| self.sq(e)),
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(self.sq(e))
            }
        }
    }

    /// Runs `PRAGMA integrity_check` and returns its verdict (`ok` when sound).
    pub fn integrity_check(&self) -> Result<String> {
        self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| self.sq(e))
    }

    /// Tunes the connection for a bulk write (bigger page cache).
    pub fn bulk_mode(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -524_288).map_err(|e| self.sq(e))
    }

    fn term_id(&mut self, lang: Lang, key: &str) -> rusqlite::Result<i64> {
        if let Some(&id) = self.term_cache.get(&(lang, key.to_string())) {
            return Ok(id);
        }
        let mut st = self.conn.prepare_cached(
            "INSERT INTO terms(lang, key, df) VALUES (?1, ?2, 0)
             ON CONFLICT(lang, key) DO UPDATE SET df = df RETURNING id",
        )?;
        let id: i64 = st.query_row(params![lang.code(), key], |r| r.get(0))?;
        self.term_cache.insert((lang, key.to_string()), id);
        Ok(id)
    }

    fn delete_doc_units(&mut self, doc_id: i64) -> rusqlite::Result<(u64, HashMap<i64, i64>)> {
        let mut rows: Vec<(i64, String, String)> = Vec::new();
        {
            let mut st = self.conn.prepare_cached(
                "SELECT t.unit_id, t.lang, t.keys FROM units u JOIN texts t ON t.unit_id = u.id WHERE u.doc_id = ?1",
            )?;
            let mut q = st.query([doc_id])?;
            while let Some(r) = q.next()? {
                rows.push((r.get(0)?, r.get(1)?, r.get(2)?));
            }
        }
        let mut by_term: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut delta: HashMap<i64, i64> = HashMap::new();
        for (unit, lang, keys) in &rows {
            let lang = Lang::from_str(lang).unwrap_or(Lang::En);
            let distinct: HashSet<&str> = keys.split(' ').filter(|k| !k.is_empty()).collect();
            for key in distinct {
                let id = self.term_id(lang, key)?;
                by_term.entry(id).or_default().push(*unit);
                *delta.entry(id).or_default() -= 1;
            }
        }
        let mut terms: Vec<(i64, Vec<i64>)> = by_term.into_iter().collect();
        terms.sort_unstable();
        for (term, mut units) in terms {
            units.sort_unstable();
            self.remove_postings(term, &units)?;
        }
        let n = self.conn.prepare_cached("DELETE FROM units WHERE doc_id = ?1")?.execute([doc_id])?;
        Ok((n as u64, delta))
    }

    /// Removes `units` (sorted) from the posting list of `term`.
    fn remove_postings(&self, term: i64, units: &[i64]) -> rusqlite::Result<()> {
        let mut i = 0;
        while i < units.len() {
            let Some((first, mut entries)) = chunk_at(&self.conn, term, units[i])? else {
                i += 1;
                continue;
            };
            let last = entries.last().map_or(first, |e| e.0);
            let mut j = i;
            while j < units.len() && units[j] <= last {
                j += 1;
            }
            let gone = &units[i..j.max(i + 1)];
            entries.retain(|e| gone.binary_search(&e.0).is_err());
            if entries.first().map(|e| e.0) != Some(first) {
                delete_chunk(&self.conn, term, first)?;
            }
            if !entries.is_empty() {
                put_chunk(&self.conn, term, &entries)?;
            }
            i = j.max(i + 1);
        }
        Ok(())
    }

    /// Adds one posting anywhere in the list (the rare out-of-order case).
    fn insert_posting(&self, term: i64, e: (i64, u32)) -> rusqlite::Result<()> {
        let found = match chunk_at(&self.conn, term, e.0)? {
            Some(c) => Some(c),
            None => {
                // Before the first chunk: merge into it.
                let row: Option<(i64, String)> = self
                    .conn
                    .prepare_cached(
                        "SELECT first_unit, data FROM pchunks WHERE term_id = ?1 ORDER BY first_unit LIMIT 1",
                    )?
                    .query_row([term], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                row.map(|(first, data)| {
                    let mut v = Vec::new();
                    decode_chunk(data.as_bytes(), &mut v);
                    (first, v)
                })
            }
        };
        let Some((first, mut entries)) = found else {
            return put_chunk(&self.conn, term, &[e]);
        };
        match entries.binary_search_by_key(&e.0, |x| x.0) {
            Ok(i) => entries[i] = e,
            Err(i) => entries.insert(i, e),
        }
        if entries[0].0 != first {
            delete_chunk(&self.conn, term, first)?;
        }
        if entries.len() > 2 * CHUNK {
            let (a, b) = entries.split_at(CHUNK);
            put_chunk(&self.conn, term, a)?;
            put_chunk(&self.conn, term, b)
        } else {
            put_chunk(&self.conn, term, &entries)
        }
    }

    /// Appends the transaction's new postings to the chunk lists.
    fn flush_postings(&mut self) -> rusqlite::Result<()> {
        let mut pending: Vec<(i64, Vec<(i64, u32)>)> =
            std::mem::take(&mut self.pending).into_iter().collect();
        pending.sort_unstable_by_key(|p| p.0);
        for (term, mut entries) in pending {
            entries.sort_unstable();
            let last: Option<(i64, String)> = self
                .conn
                .prepare_cached("SELECT first_unit, data FROM pchunks WHERE term_id = ?1 ORDER BY first_unit DESC LIMIT 1")?
                .query_row([term], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let mut rest: &[(i64, u32)] = &entries;
            if let Some((_, data)) = last {
                let mut cur = Vec::with_capacity(CHUNK);
                decode_chunk(data.as_bytes(), &mut cur);
                if cur.last().is_some_and(|l| l.0 >= entries[0].0) {
                    // New units normally have larger ids than every stored one; if not, insert
                    // each posting where it belongs.
                    for &e in &entries {
                        self.insert_posting(term, e)?;
                    }
                    continue;
                }
                let room = CHUNK.saturating_sub(cur.len()).min(rest.len());
                if room > 0 {
                    cur.extend_from_slice(&rest[..room]);
                    put_chunk(&self.conn, term, &cur)?;
                    rest = &rest[room..];
                }
            }
            for c in rest.chunks(CHUNK) {
                put_chunk(&self.conn, term, c)?;
            }
        }
        Ok(())
    }

    fn load_texts(&self, unit: UnitId) -> rusqlite::Result<Vec<UnitText>> {
        let mut st = self.conn.prepare_cached("SELECT lang, text, segments FROM texts WHERE unit_id = ?1")?;
        let mut out: Vec<UnitText> = st
            .query_map([unit], |r| {
                let lang: String = r.get(0)?;
                let seg: Option<String> = r.get(2)?;
                Ok(UnitText {
                    lang: Lang::from_str(&lang).unwrap_or(Lang::En),
                    text: r.get(1)?,
                    segments: seg.and_then(|s| parse_range(&s)),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        out.sort_by_key(|t| t.lang);
        Ok(out)
    }

    fn row_to_unit(&self, r: &rusqlite::Row<'_>) -> rusqlite::Result<Unit> {
        let id: i64 = r.get(0)?;
        let origin: String = r.get(3)?;
        let extra: Option<String> = r.get(7)?;
        Ok(Unit {
            id,
            doc: r.get(1)?,
            ord: r.get(2)?,
            origin: Origin::from_str(&origin).unwrap_or(Origin::Imported),
            confidence: r.get(4)?,
            created: r.get(5)?,
            changed: r.get(6)?,
            extra: extra.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default(),
            texts: self.load_texts(id)?,
        })
    }
}

const UNIT_COLS: &str = "u.id, d.name, u.ord, u.origin, u.confidence, u.created_at, u.changed_at, u.extra FROM units u JOIN documents d ON d.id = u.doc_id";

/// Parses `3-5` into `3..5`.
pub fn parse_range(s: &str) -> Option<std::ops::Range<usize>> {
    let (a, b) = s.split_once('-')?;
    Some(a.parse().ok()?..b.parse().ok()?)
}

impl TmStore for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn document_source(&self, name: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT source FROM documents WHERE name = ?1", [name], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.sq(e))
    }

    fn document_hash(&self, name: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT content_hash FROM documents WHERE name = ?1", [name], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.sq(e))
    }

    fn begin_document(&mut self, spec: &DocSpec<'_>) -> Result<()> {
        let DocSpec { name, origin, content_hash, dedupe, replace, source, take_over } = *spec;
        if self.session.is_some() {
            return Err(Error::Other("begin_document while another document is open".into()));
        }
        if !self.in_tx {
            self.conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| self.sq(e))?;
            self.in_tx = true;
        }
        // Checked under the write lock, so no other process can store a namesake meanwhile.
        if let (Some(new), false) = (source, take_over) {
            let stored: Option<String> = self
                .conn
                .query_row("SELECT source FROM documents WHERE name = ?1", [name], |r| r.get(0))
                .optional()
                .map_err(|e| self.sq(e))?
                .flatten();
            if let Some(stored) = stored.filter(|s| s != new) {
                let _ = self.abort_document();
                return Err(Error::OtherSource { name: name.into(), stored, new: new.into() });
            }
        }
        // A savepoint per document: a failing document is rolled back alone, and the
        // documents before it in the same transaction can still be committed.
        self.conn.execute_batch("SAVEPOINT qdoc").map_err(|e| self.sq(e))?;
        let res = (|| -> rusqlite::Result<Session> {
            let now = super::now_stamp();
            let existing: Option<i64> = self
                .conn
                .query_row("SELECT id FROM documents WHERE name = ?1", [name], |r| r.get(0))
                .optional()?;
            let mut seen = HashSet::new();
            let mut ord = 0;
            let mut df_delta = HashMap::new();
            let (doc_id, replaced) = match existing {
                Some(id) if !replace => {
                    ord = self.conn.query_row(
                        "SELECT coalesce(max(ord) + 1, 0) FROM units WHERE doc_id = ?1",
                        [id],
                        |r| r.get(0),
                    )?;
                    if dedupe {
                        let mut st = self.conn.prepare("SELECT hash FROM units WHERE doc_id = ?1")?;
                        for h in st.query_map([id], |r| r.get::<_, String>(0))? {
                            seen.insert(h?);
                        }
                    }
                    (id, 0)
                }
                Some(id) => {
                    let (n, delta) = self.delete_doc_units(id)?;
                    df_delta = delta;
                    self.conn.execute(
                        "UPDATE documents SET origin = ?2, content_hash = ?3, updated_at = ?4,
                         source = coalesce(?5, source) WHERE id = ?1",
                        params![id, origin.as_str(), content_hash, now, source],
                    )?;
                    (id, n)
                }
                None => {
                    self.conn.execute(
                        "INSERT INTO documents(name, origin, content_hash, created_at, updated_at, source)
                         VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                        params![name, origin.as_str(), content_hash, now, source],
                    )?;
                    (self.conn.last_insert_rowid(), 0)
                }
            };
            // The stored alignment describes the old units: a writer that keeps one (batch,
            // review) stores it again with `put_review`; any other (an import) leaves none.
            self.conn.prepare_cached("DELETE FROM reviews WHERE doc_id = ?1")?.execute([doc_id])?;
            Ok(Session {
                doc_id,
                ord,
                dedupe,
                seen,
                out: DocWrite { replaced, ..DocWrite::default() },
                df_delta,
                pending: HashMap::new(),
            })
        })();
        match res {
            Ok(s) => {
                self.session = Some(s);
                Ok(())
            }
            Err(e) => {
                let _ = self.abort_document();
                Err(self.sq(e))
            }
        }
    }

    fn add_unit(&mut self, unit: &NewUnit) -> Result<bool> {
        let Some(mut s) = self.session.take() else {
            return Err(Error::Other("add_unit outside a document".into()));
        };
        let hash = super::unit_hash(&unit.texts);
        if s.dedupe && !s.seen.insert(hash.clone()) {
            s.out.duplicates += 1;
            self.session = Some(s);
            return Ok(false);
        }
        let res = (|| -> rusqlite::Result<()> {
            let created = unit.created.clone().unwrap_or_else(super::now_stamp);
            let changed = unit.changed.clone().unwrap_or_else(|| created.clone());
            let extra =
                (!unit.extra.is_empty()).then(|| serde_json::to_string(&unit.extra).unwrap_or_default());
            self.conn
                .prepare_cached(
                    "INSERT INTO units(doc_id, ord, origin, confidence, hash, created_at, changed_at, extra)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    s.doc_id,
                    s.ord,
                    unit.origin.as_str(),
                    unit.confidence,
                    hash,
                    created,
                    changed,
                    extra
                ])?;
            let unit_id = self.conn.last_insert_rowid();
            for t in &unit.texts {
                let keys = index::compare_keys(&t.text);
                let seg = t.segments.as_ref().map(|r| format!("{}-{}", r.start, r.end));
                self.conn
                    .prepare_cached(
                        "INSERT INTO texts(unit_id, lang, text, segments, keys, ntok) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![unit_id, t.lang.code(), t.text, seg, keys.join(" "), keys.len() as i64])?;
                let distinct: HashSet<&String> = keys.iter().collect();
                for key in distinct {
                    let id = self.term_id(t.lang, key)?;
                    s.pending.entry(id).or_default().push((unit_id, keys.len() as u32));
                    *s.df_delta.entry(id).or_default() += 1;
                }
            }
            Ok(())
        })();
        s.ord += 1;
        match res {
            Ok(()) => {
                s.out.units += 1;
                self.session = Some(s);
                Ok(true)
            }
            Err(e) => {
                self.session = Some(s);
                let _ = self.abort_document();
                Err(self.sq(e))
            }
        }
    }

    fn end_document(&mut self) -> Result<DocWrite> {
        let s = self.session.take().ok_or_else(|| Error::Other("end_document outside a document".into()))?;
        if let Err(e) = self.conn.execute_batch("RELEASE qdoc") {
            let _ = self.abort_document();
            return Err(self.sq(e));
        }
        for (id, d) in s.df_delta {
            *self.df_delta.entry(id).or_default() += d;
        }
        for (id, mut v) in s.pending {
            self.pending.entry(id).or_default().append(&mut v);
        }
        Ok(s.out)
    }

    fn rollback_document(&mut self) -> Result<()> {
        if self.session.take().is_some() {
            // Term ids created inside the savepoint no longer exist.
            self.term_cache.clear();
            if let Err(e) = self.conn.execute_batch("ROLLBACK TO qdoc; RELEASE qdoc") {
                let _ = self.abort_document();
                return Err(self.sq(e));
            }
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        if !self.in_tx {
            return Ok(());
        }
        if self.session.is_some() {
            return Err(Error::Other("commit while a document is open".into()));
        }
        let res = (|| -> rusqlite::Result<()> {
            self.flush_postings()?;
            let mut st = self.conn.prepare_cached("UPDATE terms SET df = df + ?2 WHERE id = ?1")?;
            let mut deltas: Vec<(&i64, &i64)> = self.df_delta.iter().filter(|(_, d)| **d != 0).collect();
            deltas.sort();
            for (id, d) in deltas {
                st.execute(params![id, d])?;
            }
            drop(st);
            self.conn.execute_batch("COMMIT")
        })();
        match res {
            Ok(()) => {
                self.in_tx = false;
                self.df_delta.clear();
                Ok(())
            }
            Err(e) => {
                let _ = self.abort_document();
                Err(self.sq(e))
            }
        }
    }

    fn abort_document(&mut self) -> Result<()> {
        self.session = None;
        self.df_delta.clear();
        self.pending.clear();
        if self.in_tx {
            self.in_tx = false;
            // Term ids created in the aborted transaction no longer exist.
            self.term_cache.clear();
            self.conn.execute_batch("ROLLBACK").map_err(|e| self.sq(e))?;
        }
        Ok(())
    }

    fn terms(&self, lang: Lang, terms: &mut [QueryTerm]) -> Result<Vec<Option<i64>>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, df FROM terms WHERE lang = ?1 AND key = ?2")
            .map_err(|e| self.sq(e))?;
        let mut out = Vec::with_capacity(terms.len());
        for t in terms.iter_mut() {
            let row: Option<(i64, i64)> = st
                .query_row(params![lang.code(), t.key], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(|e| self.sq(e))?;
            t.df = row.map_or(0, |(_, df)| df.max(0) as u64);
            out.push(row.filter(|(_, df)| *df > 0).map(|(id, _)| id));
        }
        Ok(out)
    }

    fn postings(&self, term: i64, f: &mut dyn FnMut(UnitId, usize) -> bool) -> Result<()> {
        let mut st = self
            .conn
            .prepare_cached("SELECT data FROM pchunks WHERE term_id = ?1 ORDER BY first_unit")
            .map_err(|e| self.sq(e))?;
        let mut rows = st.query([term]).map_err(|e| self.sq(e))?;
        let mut buf = Vec::with_capacity(CHUNK);
        while let Some(r) = rows.next().map_err(|e| self.sq(e))? {
            let data = r.get_ref(0).and_then(|v| v.as_bytes().map_err(Into::into)).map_err(|e| self.sq(e))?;
            buf.clear();
            decode_chunk(data, &mut buf);
            for &(u, m) in &buf {
                if !f(u, m as usize) {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    fn has_posting(&self, term: i64, unit: UnitId) -> Result<bool> {
        let c = chunk_at(&self.conn, term, unit).map_err(|e| self.sq(e))?;
        Ok(c.is_some_and(|(_, v)| v.binary_search_by_key(&unit, |e| e.0).is_ok()))
    }

    fn unit_text(&self, unit: UnitId, lang: Lang) -> Result<Option<(String, String)>> {
        self.conn
            .prepare_cached("SELECT text, keys FROM texts WHERE unit_id = ?1 AND lang = ?2")
            .and_then(|mut st| {
                st.query_row(params![unit, lang.code()], |r| Ok((r.get(0)?, r.get(1)?))).optional()
            })
            .map_err(|e| self.sq(e))
    }

    fn unit(&self, id: UnitId) -> Result<Option<Unit>> {
        let sql = format!("SELECT {UNIT_COLS} WHERE u.id = ?1");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut st| st.query_row([id], |r| self.row_to_unit(r)).optional())
            .map_err(|e| self.sq(e))
    }

    fn for_each_unit(&self, f: &mut dyn FnMut(Unit) -> Result<()>) -> Result<()> {
        let docs: Vec<i64> = self
            .conn
            .prepare("SELECT id FROM documents ORDER BY name")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| self.sq(e))?;
        let sql = format!("SELECT {UNIT_COLS} WHERE u.doc_id = ?1 ORDER BY u.ord");
        let mut st = self.conn.prepare(&sql).map_err(|e| self.sq(e))?;
        for doc in docs {
            let mut rows = st.query([doc]).map_err(|e| self.sq(e))?;
            while let Some(r) = rows.next().map_err(|e| self.sq(e))? {
                let unit = self.row_to_unit(r).map_err(|e| self.sq(e))?;
                f(unit)?;
            }
        }
        Ok(())
    }

    fn for_each_text(&self, lang: Lang, f: &mut dyn FnMut(UnitId, &str, &str) -> Result<()>) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT unit_id, text, keys FROM texts WHERE lang = ?1 ORDER BY unit_id")
            .map_err(|e| self.sq(e))?;
        let mut rows = st.query([lang.code()]).map_err(|e| self.sq(e))?;
        while let Some(r) = rows.next().map_err(|e| self.sq(e))? {
            let id: i64 = r.get(0).map_err(|e| self.sq(e))?;
            let text: String = r.get(1).map_err(|e| self.sq(e))?;
            let keys: String = r.get(2).map_err(|e| self.sq(e))?;
            f(id, &text, &keys)?;
        }
        Ok(())
    }

    fn documents(&self) -> Result<Vec<super::DocumentInfo>> {
        self.list_documents().map_err(|e| self.sq(e))
    }

    fn document(&self, name: &str) -> Result<Option<(super::DocumentInfo, Vec<Unit>)>> {
        self.document_with_units(name).map_err(|e| self.sq(e))
    }

    fn delete_document(&mut self, name: &str) -> Result<Option<u64>> {
        self.remove_document(name)
    }

    fn neighbours(&self, unit: UnitId, lang: Lang) -> Result<(Option<String>, Option<String>)> {
        self.neighbour_texts(unit, lang).map_err(|e| self.sq(e))
    }

    fn put_review(&mut self, review: &super::pins::Review) -> Result<()> {
        let Some(doc) = self.session.as_ref().map(|s| s.doc_id) else {
            return Err(Error::Other("put_review outside a document".into()));
        };
        let data = serde_json::to_string(review).map_err(|e| Error::Other(e.to_string()))?;
        self.conn
            .prepare_cached(
                "INSERT INTO reviews(doc_id, data) VALUES (?1, ?2)
                 ON CONFLICT(doc_id) DO UPDATE SET data = excluded.data",
            )
            .and_then(|mut st| st.execute(params![doc, data]))
            .map_err(|e| self.sq(e))?;
        Ok(())
    }

    fn document_langs(&self, name: &str) -> Result<Vec<Lang>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT DISTINCT t.lang FROM documents d JOIN units u ON u.doc_id = d.id
                 JOIN texts t ON t.unit_id = u.id WHERE d.name = ?1",
            )
            .map_err(|e| self.sq(e))?;
        let codes = st
            .query_map([name], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(|e| self.sq(e))?;
        let mut langs: Vec<Lang> = codes.iter().filter_map(|c| Lang::from_str(c).ok()).collect();
        langs.sort();
        Ok(langs)
    }

    fn review(&self, name: &str) -> Result<Option<super::pins::Review>> {
        let data: Option<String> = self
            .conn
            .query_row(
                "SELECT r.data FROM reviews r JOIN documents d ON d.id = r.doc_id WHERE d.name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sq(e))?;
        data.map(|d| super::pins::parse_review(name, &d)).transpose()
    }

    fn bulk_mode(&self) -> Result<()> {
        SqliteStore::bulk_mode(self)
    }

    fn is_empty(&self) -> Result<bool> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM units)", [], |r| r.get(0))
            .map_err(|e| self.sq(e))
    }

    fn stats(&self) -> Result<Stats> {
        let c = &self.conn;
        let res = (|| -> rusqlite::Result<Stats> {
            let one = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|v| v.max(0) as u64);
            let mut s = Stats {
                path: self.path.display().to_string(),
                documents: one("SELECT count(*) FROM documents")?,
                units: one("SELECT count(*) FROM units")?,
                terms: one("SELECT count(*) FROM terms WHERE df > 0")?,
                postings: one("SELECT coalesce(sum(n), 0) FROM pchunks")?,
                file_bytes: one(
                    "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                )?,
                ..Stats::default()
            };
            s.index_bytes = c
                .query_row(
                    "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ('terms', 'pchunks', 'sqlite_autoindex_terms_1')",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap_or(0) as u64;
            let mut st = c.prepare("SELECT lang, count(*) FROM texts GROUP BY lang")?;
            for r in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
                let (l, n) = r?;
                s.texts.insert(l, n as u64);
            }
            let mut st = c.prepare(
                "SELECT a.lang, b.lang, count(*) FROM texts a JOIN texts b ON a.unit_id = b.unit_id AND a.lang < b.lang
                 GROUP BY a.lang, b.lang",
            )?;
            for r in st.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
            })? {
                let (a, b, n) = r?;
                // Canonical order ar, fr, en.
                let (la, lb) = (Lang::from_str(&a).ok(), Lang::from_str(&b).ok());
                let key = match (la, lb) {
                    (Some(x), Some(y)) if y < x => format!("{y}-{x}"),
                    _ => format!("{a}-{b}"),
                };
                s.pairs.insert(key, n as u64);
            }
            let mut st = c.prepare("SELECT origin, count(*) FROM units GROUP BY origin")?;
            for r in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
                let (o, n) = r?;
                s.origins.insert(o, n as u64);
            }
            Ok(s)
        })();
        res.map_err(|e| self.sq(e))
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        let _ = self.abort_document();
    }
}

/// Writes one document from an iterator of units in a single transaction (aborted, leaving the
/// memory unchanged, on the first error).
pub fn write_document(
    store: &mut dyn TmStore,
    name: &str,
    origin: Origin,
    content_hash: Option<&str>,
    dedupe: bool,
    units: impl IntoIterator<Item = NewUnit>,
) -> Result<DocWrite> {
    store.begin_document(&DocSpec {
        name,
        origin,
        content_hash,
        dedupe,
        replace: true,
        source: None,
        take_over: false,
    })?;
    for u in units {
        if let Err(e) = store.add_unit(&u) {
            let _ = store.abort_document();
            return Err(e);
        }
    }
    store.commit_document()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nu(ar: &str, fr: &str) -> NewUnit {
        NewUnit {
            texts: vec![
                UnitText { lang: Lang::Ar, text: ar.into(), segments: Some(0..1) },
                UnitText { lang: Lang::Fr, text: fr.into(), segments: Some(0..1) },
            ],
            confidence: Some(0.9),
            origin: Origin::Aligned,
            created: Some("20240101T000000Z".into()),
            changed: None,
            extra: vec![],
        }
    }

    /// Several processes may create the same memory at once (a batch and lookups started
    /// together). Regression: two connections switching a fresh file to WAL at the same moment
    /// deadlock inside SQLite, which then answers "database is locked" at once instead of
    /// calling the busy handler; one `qantara lookup` in about 60 such races failed that way.
    #[test]
    fn many_connections_can_create_one_memory_at_once() {
        let dir = tempfile::tempdir().unwrap();
        for round in 0..40 {
            let path = dir.path().join(format!("tm{round}.sqlite"));
            let start = std::sync::Barrier::new(8);
            std::thread::scope(|scope| {
                let opens: Vec<_> = (0..8)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            SqliteStore::open(&path).map(|_| ())
                        })
                    })
                    .collect();
                for open in opens {
                    if let Err(e) = open.join().unwrap() {
                        panic!("round {round}: {e}");
                    }
                }
            });
        }
    }

    #[test]
    fn rewriting_a_document_replaces_its_units_and_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("a/tm.sqlite")).unwrap();
        write_document(
            &mut s,
            "d1",
            Origin::Aligned,
            Some("h1"),
            false,
            [nu("الأمن الوطني", "la sûreté nationale")],
        )
        .unwrap();
        let w = write_document(
            &mut s,
            "d1",
            Origin::Aligned,
            Some("h2"),
            false,
            [nu("الأمن", "la sûreté"), nu("الشرطة", "la police")],
        )
        .unwrap();
        assert_eq!((w.units, w.replaced), (2, 1));
        let st = s.stats().unwrap();
        assert_eq!((st.documents, st.units), (1, 2));
        assert_eq!(s.document_hash("d1").unwrap().as_deref(), Some("h2"));
        let mut q = index::query_terms(&index::compare_keys("الوطني"));
        assert_eq!(s.terms(Lang::Ar, &mut q).unwrap(), vec![None]);
        assert_eq!(q[0].df, 0);
        let mut q = index::query_terms(&index::compare_keys("sûreté"));
        let ids = s.terms(Lang::Fr, &mut q).unwrap();
        assert_eq!(q[0].df, 1);
        let mut hits = vec![];
        s.postings(ids[0].unwrap(), &mut |u, n| {
            hits.push((u, n));
            true
        })
        .unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(s.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn posting_chunks_survive_appends_replacements_and_out_of_order_inserts() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("tm.sqlite")).unwrap();
        let common = |i: usize| nu(&format!("الأمن {i}"), &format!("la sûreté {i}"));
        // 300 units sharing "surete": three chunks, written over several transactions.
        for d in 0..3 {
            write_document(
                &mut s,
                &format!("d{d}"),
                Origin::Aligned,
                None,
                false,
                (0..100).map(|i| common(d * 100 + i)),
            )
            .unwrap();
        }
        let list = |s: &SqliteStore| {
            let mut q = index::query_terms(&index::compare_keys("sûreté"));
            let id = s.terms(Lang::Fr, &mut q).unwrap()[0].unwrap();
            let mut v = vec![];
            s.postings(id, &mut |u, _| {
                v.push(u);
                true
            })
            .unwrap();
            (id, q[0].df, v)
        };
        let (id, df, v) = list(&s);
        assert_eq!((df, v.len()), (300, 300));
        assert!(v.windows(2).all(|w| w[0] < w[1]));
        assert!(s.has_posting(id, v[150]).unwrap());
        // Replace the middle document: its postings leave, the new ones come last.
        write_document(&mut s, "d1", Origin::Aligned, None, false, (0..10).map(common)).unwrap();
        let (_, df, v2) = list(&s);
        assert_eq!((df, v2.len()), (210, 210));
        assert!(!s.has_posting(id, v[150]).unwrap());
        assert!(v2.windows(2).all(|w| w[0] < w[1]));
        // Out-of-order insert path.
        s.insert_posting(id, (v2[5], 3)).unwrap(); // already there: replaced
        s.insert_posting(id, (v[150], 3)).unwrap(); // in the middle of the list
        let (_, _, v3) = list(&s);
        assert_eq!(v3.len(), 211);
        assert!(v3.windows(2).all(|w| w[0] < w[1]));
        assert!(s.has_posting(id, v[150]).unwrap());
        assert_eq!(s.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn aborted_document_leaves_the_memory_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("tm.sqlite")).unwrap();
        write_document(&mut s, "d1", Origin::Aligned, None, false, [nu("أ ب", "a b")]).unwrap();
        s.begin_document(&DocSpec {
            name: "d1",
            origin: Origin::Aligned,
            content_hash: None,
            dedupe: false,
            replace: true,
            source: None,
            take_over: false,
        })
        .unwrap();
        s.add_unit(&nu("ج", "c")).unwrap();
        s.abort_document().unwrap();
        let mut units = vec![];
        s.for_each_unit(&mut |u| {
            units.push(u.text(Lang::Fr).unwrap().to_string());
            Ok(())
        })
        .unwrap();
        assert_eq!(units, vec!["a b"]);
        // The cache was cleared: writing again works.
        write_document(&mut s, "d2", Origin::Imported, None, true, [nu("ج", "c"), nu("ج", "c")]).unwrap();
        assert_eq!(s.stats().unwrap().units, 2);
    }

    fn write_from(s: &mut SqliteStore, source: Option<&str>, take_over: bool, fr: &str) -> Result<()> {
        s.begin_document(&DocSpec {
            name: "article1",
            origin: Origin::Aligned,
            content_hash: None,
            dedupe: false,
            replace: true,
            source,
            take_over,
        })?;
        s.add_unit(&nu("نص", fr))?;
        s.commit_document().map(drop)
    }

    fn french(s: &SqliteStore) -> Vec<String> {
        let mut v = vec![];
        s.for_each_unit(&mut |u| {
            v.push(u.text(Lang::Fr).unwrap().to_string());
            Ok(())
        })
        .unwrap();
        v
    }

    #[test]
    fn a_namesake_from_another_source_does_not_replace_a_document() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("tm.sqlite")).unwrap();
        write_from(&mut s, Some("/news/june/article1"), false, "juin").unwrap();
        // The same source replaces its own document (a re-aligned article).
        write_from(&mut s, Some("/news/june/article1"), false, "juin bis").unwrap();
        assert_eq!(french(&s), ["juin bis"]);
        // Another source is refused, and the memory is as it was.
        match write_from(&mut s, Some("/news/july/article1"), false, "juillet") {
            Err(Error::OtherSource { name, stored, new }) => {
                assert_eq!(
                    (name.as_str(), stored.as_str(), new.as_str()),
                    ("article1", "/news/june/article1", "/news/july/article1")
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(french(&s), ["juin bis"]);
        // Unless it takes over, and then it is the document's source.
        write_from(&mut s, Some("/news/july/article1"), true, "juillet").unwrap();
        assert_eq!(french(&s), ["juillet"]);
        assert!(write_from(&mut s, Some("/news/june/article1"), false, "juin").is_err());
        // No source given (library callers that do not track one): no check.
        write_from(&mut s, None, false, "sans source").unwrap();
        assert_eq!(french(&s), ["sans source"]);
        assert_eq!(s.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn a_version_2_memory_is_upgraded_and_its_documents_take_their_next_source() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        {
            // A memory as the previous release wrote it: schema version 2, no sources.
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("BEGIN").unwrap();
            for m in &MIGRATIONS[..2] {
                match m {
                    Migration::Sql(sql) => conn.execute_batch(sql).unwrap(),
                    Migration::Code(f) => f(&conn).unwrap(),
                }
            }
            conn.pragma_update(None, "user_version", 2).unwrap();
            conn.execute_batch("COMMIT").unwrap();
        }
        let mut s = SqliteStore::open(&path).unwrap();
        let version: i64 = s.conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, SqliteStore::schema_version());
        write_from(&mut s, None, false, "ancien").unwrap();
        // A document with no recorded source is replaced by the first source that comes,
        // which it then keeps.
        write_from(&mut s, Some("/news/june/article1"), false, "juin").unwrap();
        assert!(write_from(&mut s, Some("/news/july/article1"), false, "juillet").is_err());
        assert_eq!(french(&s), ["juin"]);
    }
}
