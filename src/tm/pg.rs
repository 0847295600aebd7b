//! The PostgreSQL translation memory: the same [`TmStore`] as the SQLite file, for a desk that
//! shares one memory through a server (`--tm postgres://…`, `qantara serve`).
//!
//! # What the database does and does not do
//! PostgreSQL stores rows and keeps transactions; it never decides what matches. Every text's
//! comparison keys are computed by qantara ([`super::keys`]) and stored beside it; the
//! candidate index is qantara's own — `terms(lang, key, df)` and the posting lists in
//! `pchunks(term_id, first_unit, data)`: each list, sorted by unit, cut in chunks of up to
//! [`CHUNK`] entries of 12 bytes (`unit` int8, `ntok` int4, big-endian), one row per chunk keyed
//! by its first unit, so a list of 100,000 postings is about 800 rows read by one index range
//! scan (the row-per-posting table of schema 1 made that 100,000 rows, each decoded by the
//! client) — and lookup runs the same prefix filter and scorer
//! ([`super::index`], [`super::lookup`]) over it as over the SQLite file. No trigram index, no
//! full-text search, no collation takes part: `key`, `lang` and document names are `COLLATE
//! "C"` columns compared for byte equality, so a database created with any `LC_COLLATE` /
//! `LC_CTYPE` (the C locale included, where `pg_trgm` sees no Arabic letter) gives the same
//! answers as the SQLite store and as `lookup --brute-force`. Document names are ordered by
//! bytes, as SQLite orders them, so exports are identical too.
//!
//! # Schema versions
//! Table `qantara_schema(version)` holds the schema version; [`MIGRATIONS`]`[i]` upgrades
//! version `i` to `i + 1`. A connection that finds an older version migrates it in one
//! transaction under a transaction-level advisory lock, re-reading the version under the lock,
//! so several servers starting on a fresh database migrate it once. A newer version is refused
//! ([`Error::TooNew`]).
//!
//! # Transactions
//! Every write transaction takes the advisory lock [`WRITE_LOCK`] first (`pg_advisory_xact_lock`,
//! released by `COMMIT`/`ROLLBACK`, or by the server when the connection dies): writers — other
//! threads of a server, other servers, CLI runs — are serialised as SQLite serialises them,
//! while readers never wait (MVCC). So the source check of a namesake, the replacement of a
//! document's units and the document-frequency updates never race. A document is written
//! inside a savepoint: its old units, their postings and their share of each `df` are removed,
//! the new units are buffered and written with binary `COPY` (units and texts), and the
//! savepoint is released at [`TmStore::end_document`]. The document's postings are kept in
//! memory until the commit (or [`PENDING_MAX`] of them), then merged into the chunks: per term,
//! the chunks from the one holding or preceding the first new unit on — normally just the last,
//! partly filled chunk, as new units have the highest ids — are read, merged with the new
//! entries, deleted and written again with binary `COPY`; so a bulk import rewrites each
//! touched list's tail once per transaction, not once per document. Re-storing a document
//! ended earlier in the same transaction first writes the pending postings, outside its
//! savepoint. Removing a document's units rewrites the chunks that held them. The commit then
//! applies the summed `df` changes.
//!
//! Invariants (checked by `chunks_stay_exact_and_row_postings_migrate`): per term, the chunks are
//! disjoint unit ranges, each sorted, non-empty, at most [`CHUNK`] entries, keyed by its first
//! unit; together they hold exactly one entry per (term id of a text, unit); each `df` equals
//! its entries. The view `postings(term_id, unit_id, ntok)` decodes the chunks in SQL, for
//! inspection and checks. A `kill -9` of the client at any moment makes the
//! server roll the transaction back: the memory holds each document's old or new version, never
//! a mix, and the index always agrees with the units.
//!
//! # Costs
//! A lookup makes one round trip for the `df` of all query keys, one per posting list read
//! (streamed, a chunk per row), one per probed key (the chunks holding all candidates in one
//! query) and one for the texts of all candidates, then one per shown match. Statements of the
//! read path are prepared once per connection; `qantara serve` keeps a pool of connections
//! (`serve::Pool`), so concurrent requests do not wait for each other's client. Writing: buffered units are flushed every
//! [`FLUSH_UNITS`] units or at the end of the document.
//!
//! # Cache
//! Reading posting lists and candidate texts over the wire is most of a lookup's time, and the
//! same lists (the rare keys of similar queries) and texts come back again and again. So the
//! stores of one process share a [`Cache`] (the server's pool shares one; a CLI run has its own)
//! of whole posting lists and of `(unit, lang)` texts, bounded in bytes ([`Cache::new`]; a list
//! larger than an eighth of the budget is never kept; when an entry does not fit, the texts
//! and then the shortest lists are dropped until half the budget is free).
//!
//! *Validity.* Table `qantara_generation(n)` (schema 4) holds one number that every write
//! transaction increments before its `COMMIT`, under the write lock. Every reader learns term
//! ids from [`TmStore::terms`], whose statement also reads `n`: the generation `g` of that
//! snapshot. The cache is tagged with the generation its entries were read at; a reader that
//! observes `g` newer than the tag empties the cache and re-tags it `g`; it is served from the
//! cache and may add to it only while the tag equals its own `g`. Hence an entry tagged `g`
//! was read from a snapshot no older than `g`'s commit, and it is served only to readers whose
//! `terms` snapshot was at `g` — the state they would have read had the next commit not yet
//! happened, which is what a reader racing a commit reads without a cache too. A reader that
//! observed an older generation bypasses the cache. Inside a write transaction the store reads
//! its own uncommitted state and never uses the cache. Any commit empties the cache for all: a
//! desk writes far less often than it looks up.

use super::keys;
use super::store::{DocSpec, DocWrite, Stats, TmStore};
use super::{DocumentInfo, Error, NewUnit, Origin, Result, Unit, UnitId, UnitText};
use crate::lang::Lang;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Row};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::{Arc, Mutex};

/// Whole posting lists and texts read from one database, shared by the stores of a process and
/// valid for one generation of the memory (see "Cache" in the module doc).
pub struct Cache {
    inner: Mutex<CacheInner>,
    budget: usize,
}

#[derive(Default)]
struct CacheInner {
    generation: i64,
    bytes: usize,
    lists: HashMap<i32, Arc<[(i64, i32)]>>,
    texts: HashMap<(i64, Lang), Arc<(String, String)>>,
    hits: u64,
    misses: u64,
}

/// Bytes counted for one cached posting entry, and for a cached entry's own bookkeeping.
const LIST_ENTRY_BYTES: usize = 16;
const ENTRY_OVERHEAD: usize = 64;

/// Bytes a cached list of `len` entries is counted for.
fn list_bytes(len: usize) -> usize {
    len * LIST_ENTRY_BYTES + ENTRY_OVERHEAD
}

/// Bytes a cached `(text, keys)` is counted for.
fn text_bytes(t: &(String, String)) -> usize {
    t.0.len() + t.1.len() + ENTRY_OVERHEAD
}

impl Cache {
    /// An empty cache that keeps at most about `budget` bytes.
    pub fn new(budget: usize) -> Arc<Cache> {
        Arc::new(Cache { inner: Mutex::new(CacheInner::default()), budget })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A reader saw generation `g`: a newer one empties the cache.
    fn observe(&self, g: i64) {
        let mut i = self.lock();
        if g > i.generation {
            let (hits, misses) = (i.hits, i.misses);
            *i = CacheInner { generation: g, hits, misses, ..CacheInner::default() };
        }
    }

    fn list(&self, g: i64, term: i32) -> Option<Arc<[(i64, i32)]>> {
        let mut i = self.lock();
        let hit = if i.generation == g { i.lists.get(&term).cloned() } else { None };
        if hit.is_some() {
            i.hits += 1;
        } else {
            i.misses += 1;
        }
        hit
    }

    /// Room for `size` more bytes, or `false` when an entry of that size is not kept at all.
    /// When the budget is reached, entries are dropped until half of it is free: first the
    /// texts (all of a lookup's missing texts come back in one statement), then the shortest
    /// lists — a long list is the costliest to read again and, being a common key's, the most
    /// likely to be asked for again.
    fn make_room(&self, i: &mut CacheInner, size: usize) -> bool {
        if size > self.budget / 8 {
            return false;
        }
        if i.bytes + size > self.budget {
            let target = self.budget / 2;
            let texts: usize = i.texts.values().map(|t| text_bytes(t)).sum();
            i.texts.clear();
            i.bytes -= texts;
            if i.bytes > target {
                let mut by_len: Vec<(usize, i32)> = i.lists.iter().map(|(k, v)| (v.len(), *k)).collect();
                by_len.sort_unstable();
                for (len, k) in by_len {
                    if i.bytes <= target {
                        break;
                    }
                    i.lists.remove(&k);
                    i.bytes -= list_bytes(len);
                }
            }
        }
        true
    }

    fn put_list(&self, g: i64, term: i32, list: Arc<[(i64, i32)]>) {
        let mut i = self.lock();
        let size = list_bytes(list.len());
        if i.generation == g && !i.lists.contains_key(&term) && self.make_room(&mut i, size) {
            i.bytes += size;
            i.lists.insert(term, list);
        }
    }

    /// The cached texts of `units` in `lang` (`None` where not cached).
    fn texts(&self, g: i64, units: &[UnitId], lang: Lang) -> Vec<Option<Arc<(String, String)>>> {
        let i = self.lock();
        if i.generation != g {
            return vec![None; units.len()];
        }
        units.iter().map(|u| i.texts.get(&(*u, lang)).cloned()).collect()
    }

    fn put_texts(&self, g: i64, lang: Lang, texts: Vec<(UnitId, Arc<(String, String)>)>) {
        let mut i = self.lock();
        if i.generation != g {
            return;
        }
        for (u, t) in texts {
            let size = text_bytes(&t);
            if !i.texts.contains_key(&(u, lang)) && self.make_room(&mut i, size) {
                i.bytes += size;
                i.texts.insert((u, lang), t);
            }
        }
    }

    /// Posting-list reads served from the cache and from the database so far.
    pub fn hits_misses(&self) -> (u64, u64) {
        let i = self.lock();
        (i.hits, i.misses)
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

/// The cache of a store opened alone (a CLI run): 64 MB.
pub const PRIVATE_CACHE_BYTES: usize = 64 << 20;

/// Schema upgrades; `MIGRATIONS[i]` upgrades version `i` to `i + 1`.
/// * 1: documents, units, texts (with their keys and term ids), terms, postings.
/// * 2: `reviews`, one JSON row per document: its texts, beads and pins ([`super::pins`]).
/// * 3: posting lists in chunks ([`MIGRATE_CHUNKS`]).
/// * 4: `qantara_generation(n)`, incremented by every write transaction (see "Cache").
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE documents(
    id bigserial PRIMARY KEY,
    name text COLLATE "C" NOT NULL UNIQUE,
    origin text NOT NULL,
    content_hash text,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    source text
);
CREATE TABLE units(
    id bigserial PRIMARY KEY,
    doc_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord bigint NOT NULL,
    origin text NOT NULL,
    confidence double precision,
    hash text NOT NULL,
    created_at text NOT NULL,
    changed_at text NOT NULL,
    extra text
);
CREATE INDEX units_by_doc ON units(doc_id, ord);
CREATE TABLE texts(
    unit_id bigint NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    lang text COLLATE "C" NOT NULL,
    text text NOT NULL,
    segments text,
    keys text COLLATE "C" NOT NULL,
    ntok integer NOT NULL,
    term_ids integer[] NOT NULL,
    PRIMARY KEY(unit_id, lang)
);
CREATE TABLE terms(
    id serial PRIMARY KEY,
    lang text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    df bigint NOT NULL DEFAULT 0,
    UNIQUE(lang, key)
);
CREATE TABLE postings(
    term_id integer NOT NULL,
    unit_id bigint NOT NULL,
    ntok integer NOT NULL,
    PRIMARY KEY(term_id, unit_id) INCLUDE (ntok)
);
"#,
    r#"
CREATE TABLE reviews(
    doc_id bigint PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    data text NOT NULL
);
"#,
    MIGRATE_CHUNKS,
    "CREATE TABLE qantara_generation(n bigint NOT NULL); INSERT INTO qantara_generation VALUES (0);",
];

/// Version 3: posting lists in chunks of up to [`CHUNK`] entries (`pchunks`), one row per chunk
/// instead of one per posting; `postings` becomes a view decoding them (for inspection and
/// checks written against versions 1–2; qantara reads the chunks).
const MIGRATE_CHUNKS: &str = r#"
CREATE TABLE pchunks(
    term_id integer NOT NULL,
    first_unit bigint NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY(term_id, first_unit)
);
INSERT INTO pchunks(term_id, first_unit, data)
SELECT term_id, min(unit_id), string_agg(int8send(unit_id) || int4send(ntok), ''::bytea ORDER BY unit_id)
FROM (SELECT term_id, unit_id, ntok,
             (row_number() OVER (PARTITION BY term_id ORDER BY unit_id) - 1) / 128 AS chunk
      FROM postings) p
GROUP BY term_id, chunk;
DROP TABLE postings;
CREATE VIEW postings(term_id, unit_id, ntok) AS
SELECT c.term_id,
       ('x' || encode(substring(c.data FROM i * 12 + 1 FOR 8), 'hex'))::bit(64)::bigint,
       ('x' || encode(substring(c.data FROM i * 12 + 9 FOR 4), 'hex'))::bit(32)::integer
FROM pchunks c, generate_series(0, length(c.data) / 12 - 1) AS i;
"#;

/// Entries per posting chunk: 12 bytes each, so a full chunk (1,536 bytes) stays inline in
/// its row, under PostgreSQL's TOAST threshold. Must equal the `128` of [`MIGRATE_CHUNKS`].
pub const CHUNK: usize = 128;
/// Postings kept in memory across the documents of a transaction before they are written.
const PENDING_MAX: usize = 4_000_000;

/// Encodes sorted entries `(unit, ntok)` as 12 bytes each: the unit id (8 bytes) and the key
/// count (4 bytes), big-endian (`int8send(unit) || int4send(ntok)`, as the view decodes them).
fn encode_chunk(entries: &[(i64, i32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 12);
    for &(u, m) in entries {
        out.extend_from_slice(&u.to_be_bytes());
        out.extend_from_slice(&m.to_be_bytes());
    }
    out
}

/// Decodes [`encode_chunk`]'s output (a trailing partial entry, which qantara never writes, is
/// ignored).
fn decode_chunk(data: &[u8], out: &mut Vec<(i64, i32)>) {
    for e in data.chunks_exact(12) {
        let u = i64::from_be_bytes(e[..8].try_into().expect("8 bytes"));
        let m = i32::from_be_bytes(e[8..].try_into().expect("4 bytes"));
        out.push((u, m));
    }
}

/// Advisory lock key taken by every write transaction ("qantara" in ASCII, truncated).
pub const WRITE_LOCK: i64 = 0x71616e_74617261;
/// Advisory lock key taken while migrating the schema.
pub const MIGRATE_LOCK: i64 = 0x71616e_74617262;
/// Units buffered before a flush with `COPY` (a larger document is flushed in several).
pub const FLUSH_UNITS: usize = 20_000;

/// What to do when the server cannot be reached.
const CONNECT_HINT: &str = "; check the URL (postgres://USER@HOST[:PORT]/DATABASE), that the server runs and \
                            that the database exists (createdb NAME)";

/// Whether `location` names a PostgreSQL server (`postgres://` or `postgresql://`).
pub fn is_url(location: &str) -> bool {
    let l = location.to_ascii_lowercase();
    l.starts_with("postgres://") || l.starts_with("postgresql://")
}

/// `location` with any password replaced by `***`, for messages and logs.
pub fn redact(location: &str) -> String {
    let Some(scheme_end) = location.find("://") else { return location.to_string() };
    let rest = &location[scheme_end + 3..];
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..auth_end].rfind('@') {
        Some(at) => match rest[..at].find(':') {
            Some(colon) => {
                format!("{}{}:***{}", &location[..scheme_end + 3], &rest[..colon], &rest[at..])
            }
            None => location.to_string(),
        },
        None => location.to_string(),
    }
}

/// A readable message from a PostgreSQL error: the server's message, detail and hint, or the
/// client's reason (connection refused, closed, …).
pub fn message(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut m = format!("{}: {}", db.severity(), db.message());
        if let Some(d) = db.detail() {
            m.push_str(&format!(" ({d})"));
        }
        if let Some(h) = db.hint() {
            m.push_str(&format!("; {h}"));
        }
        return m;
    }
    let mut m = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        m.push_str(&format!(": {s}"));
        src = s.source();
    }
    m
}

/// A unit waiting to be copied.
struct Pending {
    ord: i64,
    unit: NewUnit,
    hash: String,
    keys: Vec<Vec<String>>,
}

/// A document being written.
struct Session {
    doc_id: i64,
    ord: i64,
    dedupe: bool,
    /// Content ids of the document's units (to drop exact duplicates).
    seen: HashSet<String>,
    out: DocWrite,
    df_delta: HashMap<i32, i64>,
    buffer: Vec<Pending>,
    /// This document's postings `(term, unit, ntok)`, moved to [`PgStore::pending`] when it ends.
    postings: Vec<(i32, i64, i32)>,
}

/// The PostgreSQL translation memory (see the module doc).
pub struct PgStore {
    client: RefCell<Client>,
    location: String,
    session: Option<Session>,
    in_tx: bool,
    df_delta: HashMap<i32, i64>,
    /// Postings of the documents ended in the open transaction, not yet in `pchunks`.
    pending: Vec<(i32, i64, i32)>,
    term_cache: HashMap<(Lang, String), i32>,
    /// Prepared statements of the read path (one round trip per call instead of two).
    stmts: RefCell<HashMap<String, postgres::Statement>>,
    cache: Arc<Cache>,
    /// The generation the last [`TmStore::terms`] read, if the cache may serve this reader;
    /// always `None` inside a write transaction (set so by `begin_tx`, and `terms` leaves it).
    seen: Cell<Option<i64>>,
}

fn lang_of(s: &str) -> Lang {
    Lang::from_str(s).unwrap_or(Lang::En)
}

impl PgStore {
    /// Connects to `url` and migrates the schema to the current version (creating it in an
    /// empty database).
    pub fn open(url: &str) -> Result<Self> {
        Self::open_with_cache(url, Cache::new(PRIVATE_CACHE_BYTES))
    }

    /// [`PgStore::open`], sharing `cache` with the other stores of this process on the same
    /// database (a server's pool).
    pub fn open_with_cache(url: &str, cache: Arc<Cache>) -> Result<Self> {
        let location = redact(url);
        let client = Client::connect(url, NoTls).map_err(|e| Error::Postgres {
            location: location.clone(),
            msg: message(&e),
            hint: CONNECT_HINT,
        })?;
        let mut store = PgStore {
            client: RefCell::new(client),
            location,
            session: None,
            in_tx: false,
            df_delta: HashMap::new(),
            pending: Vec::new(),
            term_cache: HashMap::new(),
            stmts: RefCell::new(HashMap::new()),
            cache,
            seen: Cell::new(None),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Whether `url` names a database that already holds a qantara memory (for commands that
    /// only read one and must not create it).
    pub fn exists(url: &str) -> Result<bool> {
        let location = redact(url);
        let pg =
            |e: postgres::Error| Error::Postgres { location: location.clone(), msg: message(&e), hint: "" };
        let mut c = Client::connect(url, NoTls).map_err(|e| Error::Postgres {
            location: location.clone(),
            msg: message(&e),
            hint: CONNECT_HINT,
        })?;
        let row = c.query_one("SELECT to_regclass('qantara_schema') IS NOT NULL", &[]).map_err(pg)?;
        Ok(row.get(0))
    }

    /// The prepared statement for `sql` (prepared once per connection).
    fn st(&self, c: &mut Client, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.stmts.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = c.prepare(sql).map_err(|e| self.pg(e))?;
        self.stmts.borrow_mut().insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn pg(&self, e: postgres::Error) -> Error {
        Error::Postgres { location: self.location.clone(), msg: message(&e), hint: "" }
    }

    fn c(&self) -> Result<std::cell::RefMut<'_, Client>> {
        self.client
            .try_borrow_mut()
            .map_err(|_| Error::Other(format!("{}: the connection is busy (re-entrant use)", self.location)))
    }

    /// The schema version this build writes.
    pub fn schema_version() -> i64 {
        MIGRATIONS.len() as i64
    }

    fn migrate(&mut self) -> Result<()> {
        let known = Self::schema_version();
        let current = {
            let mut c = self.c()?;
            let exists: bool = c
                .query_one("SELECT to_regclass('qantara_schema') IS NOT NULL", &[])
                .map_err(|e| self.pg(e))?
                .get(0);
            if exists {
                c.query_opt("SELECT max(version)::bigint FROM qantara_schema", &[])
                    .map_err(|e| self.pg(e))?
                    .and_then(|r| r.get::<_, Option<i64>>(0))
            } else {
                None
            }
        };
        if current == Some(known) {
            return Ok(());
        }
        if let Some(v) = current.filter(|&v| v > known) {
            return Err(Error::TooNew { path: self.location.clone().into(), found: v, known });
        }
        let res = (|| -> std::result::Result<(), postgres::Error> {
            let mut c = self.client.borrow_mut();
            c.batch_execute("BEGIN")?;
            c.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])?;
            let exists: bool = c.query_one("SELECT to_regclass('qantara_schema') IS NOT NULL", &[])?.get(0);
            if !exists {
                let foreign: i64 = c
                    .query_one(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()
                         AND tablename IN ('documents', 'units', 'texts', 'terms', 'postings', 'pchunks')",
                        &[],
                    )?
                    .get(0);
                if foreign > 0 {
                    c.batch_execute("ROLLBACK")?;
                    return Ok(());
                }
                c.batch_execute("CREATE TABLE qantara_schema(version integer NOT NULL); INSERT INTO qantara_schema VALUES (0)")?;
            }
            let mut v: i64 = c.query_one("SELECT max(version)::bigint FROM qantara_schema", &[])?.get(0);
            while v < known {
                c.batch_execute(MIGRATIONS[v as usize])?;
                v += 1;
                c.execute("UPDATE qantara_schema SET version = $1", &[&(v as i32)])?;
            }
            c.batch_execute("COMMIT")
        })();
        if let Err(e) = res {
            let _ = self.client.borrow_mut().batch_execute("ROLLBACK");
            return Err(self.pg(e));
        }
        let mut c = self.c()?;
        let v: Option<i64> = match c.query_one("SELECT to_regclass('qantara_schema') IS NOT NULL", &[]) {
            Ok(r) if r.get::<_, bool>(0) => c
                .query_one("SELECT max(version)::bigint FROM qantara_schema", &[])
                .map_err(|e| self.pg(e))?
                .get(0),
            Ok(_) => None,
            Err(e) => return Err(self.pg(e)),
        };
        match v {
            Some(v) if v == known => Ok(()),
            Some(v) if v > known => {
                Err(Error::TooNew { path: self.location.clone().into(), found: v, known })
            }
            _ => Err(Error::Other(format!(
                "{}: the database holds tables named like qantara's (documents, units, texts, terms or \
                 postings) but is no qantara memory; name an empty database (createdb NAME) or \
                 another schema (…?options=-csearch_path%3DNAME)",
                self.location
            ))),
        }
    }

    fn begin_tx(&mut self) -> Result<()> {
        self.seen.set(None);
        if !self.in_tx {
            let mut c = self.c()?;
            c.batch_execute("BEGIN").map_err(|e| self.pg(e))?;
            c.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]).map_err(|e| self.pg(e))?;
            drop(c);
            self.in_tx = true;
        }
        Ok(())
    }

    /// Term ids of `(lang, key)` pairs, created as needed (within the open transaction).
    fn term_ids(&mut self, wanted: &HashSet<(Lang, &str)>) -> std::result::Result<(), postgres::Error> {
        let missing: Vec<(Lang, &str)> = wanted
            .iter()
            .filter(|(l, k)| !self.term_cache.contains_key(&(*l, (*k).to_string())))
            .copied()
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let langs: Vec<&str> = missing.iter().map(|(l, _)| l.code()).collect();
        let ks: Vec<&str> = missing.iter().map(|(_, k)| *k).collect();
        let mut c = self.client.borrow_mut();
        c.execute(
            "INSERT INTO terms(lang, key) SELECT * FROM unnest($1::text[], $2::text[])
             ORDER BY 1, 2 ON CONFLICT (lang, key) DO NOTHING",
            &[&langs, &ks],
        )?;
        for r in c.query(
            "SELECT t.id, t.lang, t.key FROM terms t JOIN unnest($1::text[], $2::text[]) AS x(lang, key)
             ON t.lang = x.lang AND t.key = x.key",
            &[&langs, &ks],
        )? {
            let l: &str = r.get(1);
            self.term_cache.insert((lang_of(l), r.get::<_, String>(2)), r.get(0));
        }
        Ok(())
    }

    /// Writes the buffered units of the open document.
    fn flush(&mut self, s: &mut Session) -> std::result::Result<(), postgres::Error> {
        if s.buffer.is_empty() {
            return Ok(());
        }
        let buffer = std::mem::take(&mut s.buffer);
        let wanted: HashSet<(Lang, &str)> = buffer
            .iter()
            .flat_map(|p| {
                p.unit
                    .texts
                    .iter()
                    .zip(&p.keys)
                    .flat_map(|(t, ks)| ks.iter().map(move |k| (t.lang, k.as_str())))
            })
            .collect();
        self.term_ids(&wanted)?;
        let mut c = self.client.borrow_mut();
        let ids: Vec<i64> = c
            .query(
                "SELECT nextval('units_id_seq') FROM generate_series(1, $1::bigint)",
                &[&(buffer.len() as i64)],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        {
            let w = c.copy_in(
                "COPY units(id, doc_id, ord, origin, confidence, hash, created_at, changed_at, extra) FROM STDIN BINARY",
            )?;
            let mut w = BinaryCopyInWriter::new(
                w,
                &[
                    Type::INT8,
                    Type::INT8,
                    Type::INT8,
                    Type::TEXT,
                    Type::FLOAT8,
                    Type::TEXT,
                    Type::TEXT,
                    Type::TEXT,
                    Type::TEXT,
                ],
            );
            for (p, id) in buffer.iter().zip(&ids) {
                let created = p.unit.created.clone().unwrap_or_else(super::now_stamp);
                let changed = p.unit.changed.clone().unwrap_or_else(|| created.clone());
                let extra = (!p.unit.extra.is_empty())
                    .then(|| serde_json::to_string(&p.unit.extra).unwrap_or_default());
                let hash = p.hash.as_str();
                w.write(&[
                    id,
                    &s.doc_id,
                    &p.ord,
                    &p.unit.origin.as_str(),
                    &p.unit.confidence,
                    &hash,
                    &created,
                    &changed,
                    &extra,
                ])?;
            }
            w.finish()?;
        }
        let postings = &mut s.postings;
        {
            let w = c.copy_in(
                "COPY texts(unit_id, lang, text, segments, keys, ntok, term_ids) FROM STDIN BINARY",
            )?;
            let mut w = BinaryCopyInWriter::new(
                w,
                &[Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT, Type::TEXT, Type::INT4, Type::INT4_ARRAY],
            );
            for (p, id) in buffer.iter().zip(&ids) {
                for (t, ks) in p.unit.texts.iter().zip(&p.keys) {
                    let mut tids: Vec<i32> = ks
                        .iter()
                        .filter_map(|k| self.term_cache.get(&(t.lang, k.clone())).copied())
                        .collect();
                    tids.sort_unstable();
                    tids.dedup();
                    let ntok = ks.len() as i32;
                    for &tid in &tids {
                        postings.push((tid, *id, ntok));
                        *s.df_delta.entry(tid).or_default() += 1;
                    }
                    let seg = t.segments.as_ref().map(|r| format!("{}-{}", r.start, r.end));
                    w.write(&[id, &t.lang.code(), &t.text, &seg, &ks.join(" "), &ntok, &tids])?;
                }
            }
            w.finish()?;
        }
        Ok(())
    }

    /// Writes the pending postings of the transaction's ended documents into `pchunks`.
    fn write_pending(&mut self) -> std::result::Result<(), postgres::Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable();
        let mut c = self.client.borrow_mut();
        add_postings(&mut c, &pending)
    }

    /// Removes the units of document `doc_id` with their postings; returns how many and the
    /// document-frequency changes.
    fn delete_doc_units(
        &mut self,
        doc_id: i64,
    ) -> std::result::Result<(u64, HashMap<i32, i64>), postgres::Error> {
        let mut c = self.client.borrow_mut();
        let rows = c.query(
            "SELECT t.unit_id, t.term_ids FROM texts t JOIN units u ON u.id = t.unit_id WHERE u.doc_id = $1",
            &[&doc_id],
        )?;
        let mut terms: Vec<i32> = Vec::new();
        let mut units: Vec<i64> = Vec::new();
        let mut delta: HashMap<i32, i64> = HashMap::new();
        for r in &rows {
            let u: i64 = r.get(0);
            let tids: Vec<i32> = r.get(1);
            for t in tids {
                terms.push(t);
                units.push(u);
                *delta.entry(t).or_default() -= 1;
            }
        }
        if !terms.is_empty() {
            remove_postings(&mut c, &terms, &units)?;
        }
        let n = c.execute("DELETE FROM units WHERE doc_id = $1", &[&doc_id])?;
        Ok((n, delta))
    }

    fn info(r: &Row) -> DocumentInfo {
        let origin: String = r.get(1);
        DocumentInfo {
            name: r.get(0),
            origin: Origin::from_str(&origin).unwrap_or(Origin::Imported),
            source: r.get(2),
            content_hash: r.get(3),
            created: r.get(4),
            updated: r.get(5),
            units: r.get::<_, i64>(6).max(0) as u64,
        }
    }

    /// Reads units (with their texts) selected by `where_` (over `u` and `d`), in the order
    /// `order`, calling `f` for each.
    fn units_where(
        &self,
        where_: &str,
        order: &str,
        params: &[&(dyn ToSql + Sync)],
        f: &mut dyn FnMut(Unit) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "SELECT u.id, d.name, u.ord, u.origin, u.confidence, u.created_at, u.changed_at, u.extra,
                    t.lang, t.text, t.segments
             FROM units u JOIN documents d ON d.id = u.doc_id LEFT JOIN texts t ON t.unit_id = u.id
             WHERE {where_} ORDER BY {order}, u.id, t.lang"
        );
        let mut c = self.c()?;
        let st = self.st(&mut c, &sql)?;
        let mut rows = c.query_raw(&st, params.iter().copied()).map_err(|e| self.pg(e))?;
        let mut cur: Option<Unit> = None;
        while let Some(r) = rows.next().map_err(|e| self.pg(e))? {
            let id: i64 = r.get(0);
            if cur.as_ref().is_some_and(|u| u.id != id) {
                let mut done = cur.take().expect("checked");
                done.texts.sort_by_key(|t| t.lang);
                f(done)?;
            }
            let unit = cur.get_or_insert_with(|| {
                let origin: String = r.get(3);
                let extra: Option<String> = r.get(7);
                Unit {
                    id,
                    doc: r.get(1),
                    ord: r.get(2),
                    origin: Origin::from_str(&origin).unwrap_or(Origin::Imported),
                    confidence: r.get(4),
                    created: r.get(5),
                    changed: r.get(6),
                    extra: extra.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default(),
                    texts: Vec::new(),
                }
            });
            if let Some(lang) = r.get::<_, Option<&str>>(8) {
                let seg: Option<&str> = r.get(10);
                unit.texts.push(UnitText {
                    lang: lang_of(lang),
                    text: r.get(9),
                    segments: seg.and_then(super::store::parse_range),
                });
            }
        }
        if let Some(mut done) = cur {
            done.texts.sort_by_key(|t| t.lang);
            f(done)?;
        }
        Ok(())
    }
}

/// A stored chunk: its first unit and its encoded entries.
type Chunk = (i64, Vec<u8>);
/// A posting `(term, unit, ntok)`.
type Posting = (i32, i64, i32);

/// The chunks of each term `terms[i]` that may hold a unit in `lo[i]..=hi[i]`: the one
/// holding or preceding `lo[i]` and every later one starting at most at `hi[i]`, in order, as
/// `term → [(first_unit, data)]`.
fn chunks_in_ranges(
    c: &mut Client,
    terms: &[i32],
    lo: &[i64],
    hi: &[i64],
) -> std::result::Result<HashMap<i32, Vec<Chunk>>, postgres::Error> {
    let rows = c.query(
        "SELECT x.t, c.first_unit, c.data FROM unnest($1::int4[], $2::int8[], $3::int8[]) AS x(t, lo, hi)
         CROSS JOIN LATERAL (
             SELECT first_unit, data FROM pchunks
             WHERE term_id = x.t AND first_unit <= x.hi AND first_unit >= coalesce(
                 (SELECT first_unit FROM pchunks WHERE term_id = x.t AND first_unit <= x.lo
                  ORDER BY first_unit DESC LIMIT 1), x.lo)
         ) c ORDER BY x.t, c.first_unit",
        &[&terms, &lo, &hi],
    )?;
    let mut out: HashMap<i32, Vec<Chunk>> = HashMap::new();
    for r in rows {
        out.entry(r.get(0)).or_default().push((r.get(1), r.get(2)));
    }
    Ok(out)
}

/// Deletes the chunks `gone` and writes `new` (binary `COPY`).
fn replace_chunks(
    c: &mut Client,
    gone: &[(i32, i64)],
    new: &[(i32, i64, Vec<u8>)],
) -> std::result::Result<(), postgres::Error> {
    if !gone.is_empty() {
        let ts: Vec<i32> = gone.iter().map(|g| g.0).collect();
        let fs: Vec<i64> = gone.iter().map(|g| g.1).collect();
        c.execute(
            "DELETE FROM pchunks p USING unnest($1::int4[], $2::int8[]) AS x(t, f)
             WHERE p.term_id = x.t AND p.first_unit = x.f",
            &[&ts, &fs],
        )?;
    }
    if !new.is_empty() {
        let w = c.copy_in("COPY pchunks(term_id, first_unit, data) FROM STDIN BINARY")?;
        let mut w = BinaryCopyInWriter::new(w, &[Type::INT4, Type::INT8, Type::BYTEA]);
        for (t, f, d) in new {
            w.write(&[t, f, d])?;
        }
        w.finish()?;
    }
    Ok(())
}

/// Adds postings `(term, unit, ntok)`, sorted, to the chunks: per term, the new entries are
/// merged with the chunks from the one holding or preceding the first new unit on (normally
/// the last chunk only, as new units have the highest ids), which are rewritten in chunks of
/// [`CHUNK`]; a full chunk ending before the first new unit is left as it is.
fn add_postings(c: &mut Client, postings: &[(i32, i64, i32)]) -> std::result::Result<(), postgres::Error> {
    let mut groups: Vec<(i32, &[Posting])> = Vec::new();
    let mut rest = postings;
    while let Some(&(t, _, _)) = rest.first() {
        let n = rest.iter().take_while(|p| p.0 == t).count();
        groups.push((t, &rest[..n]));
        rest = &rest[n..];
    }
    let terms: Vec<i32> = groups.iter().map(|g| g.0).collect();
    let lo: Vec<i64> = groups.iter().map(|g| g.1[0].1).collect();
    let hi = vec![i64::MAX; groups.len()];
    let mut old = chunks_in_ranges(c, &terms, &lo, &hi)?;
    let mut gone = Vec::new();
    let mut new = Vec::new();
    let mut entries: Vec<(i64, i32)> = Vec::new();
    for (t, g) in groups {
        entries.clear();
        for (i, (first, data)) in old.remove(&t).unwrap_or_default().into_iter().enumerate() {
            let full_before = i == 0
                && data.len() >= CHUNK * 12
                && data.len() >= 12
                && i64::from_be_bytes(data[data.len() - 12..data.len() - 4].try_into().expect("8 bytes"))
                    < g[0].1;
            if full_before {
                continue;
            }
            decode_chunk(&data, &mut entries);
            gone.push((t, first));
        }
        let merged_from = entries.len();
        entries.extend(g.iter().map(|p| (p.1, p.2)));
        if merged_from > 0 {
            entries.sort_unstable_by_key(|e| e.0);
            entries.dedup_by_key(|e| e.0);
        }
        for ch in entries.chunks(CHUNK) {
            new.push((t, ch[0].0, encode_chunk(ch)));
        }
    }
    replace_chunks(c, &gone, &new)
}

/// Removes the postings of `units[i]` for `terms[i]` from the chunks (every listed unit is
/// being deleted, so each touched chunk drops all of them).
fn remove_postings(c: &mut Client, terms: &[i32], units: &[i64]) -> std::result::Result<(), postgres::Error> {
    let removed: HashSet<i64> = units.iter().copied().collect();
    let mut range: HashMap<i32, (i64, i64)> = HashMap::new();
    for (&t, &u) in terms.iter().zip(units) {
        let r = range.entry(t).or_insert((u, u));
        r.0 = r.0.min(u);
        r.1 = r.1.max(u);
    }
    let mut ranges: Vec<(i32, (i64, i64))> = range.into_iter().collect();
    ranges.sort_unstable();
    let ts: Vec<i32> = ranges.iter().map(|r| r.0).collect();
    let lo: Vec<i64> = ranges.iter().map(|r| r.1.0).collect();
    let hi: Vec<i64> = ranges.iter().map(|r| r.1.1).collect();
    let old = chunks_in_ranges(c, &ts, &lo, &hi)?;
    let mut gone = Vec::new();
    let mut new = Vec::new();
    let mut entries = Vec::new();
    for (t, chunks) in old {
        for (first, data) in chunks {
            entries.clear();
            decode_chunk(&data, &mut entries);
            let before = entries.len();
            entries.retain(|e| !removed.contains(&e.0));
            if entries.len() != before {
                gone.push((t, first));
                if !entries.is_empty() {
                    new.push((t, entries[0].0, encode_chunk(&entries)));
                }
            }
        }
    }
    replace_chunks(c, &gone, &new)
}

const DOC_COLS: &str = "d.name, d.origin, d.source, d.content_hash, d.created_at, d.updated_at,
     (SELECT count(*) FROM units u WHERE u.doc_id = d.id) FROM documents d";

impl TmStore for PgStore {
    fn location(&self) -> String {
        self.location.clone()
    }

    fn document_source(&self, name: &str) -> Result<Option<String>> {
        let r = self
            .c()?
            .query_opt("SELECT source FROM documents WHERE name = $1", &[&name])
            .map_err(|e| self.pg(e))?;
        Ok(r.and_then(|r| r.get(0)))
    }

    fn document_hash(&self, name: &str) -> Result<Option<String>> {
        let r = self
            .c()?
            .query_opt("SELECT content_hash FROM documents WHERE name = $1", &[&name])
            .map_err(|e| self.pg(e))?;
        Ok(r.and_then(|r| r.get(0)))
    }

    fn begin_document(&mut self, spec: &DocSpec<'_>) -> Result<()> {
        let DocSpec { name, origin, content_hash, dedupe, replace, source, take_over } = *spec;
        if self.session.is_some() {
            return Err(Error::Other("begin_document while another document is open".into()));
        }
        self.begin_tx()?;
        let res = (|| -> std::result::Result<std::result::Result<Session, Error>, postgres::Error> {
            // Replacing a document ended earlier in this transaction removes postings that may
            // still be pending: write them first, outside the savepoint (a rollback of this
            // document must not undo them).
            if replace && !self.pending.is_empty() {
                let exists: bool = self
                    .client
                    .borrow_mut()
                    .query_one("SELECT EXISTS (SELECT 1 FROM documents WHERE name = $1)", &[&name])?
                    .get(0);
                if exists {
                    self.write_pending()?;
                }
            }
            self.client.borrow_mut().batch_execute("SAVEPOINT qdoc")?;
            let existing = self
                .client
                .borrow_mut()
                .query_opt("SELECT id, source FROM documents WHERE name = $1", &[&name])?;
            if let (Some(new), false, Some(row)) = (source, take_over, existing.as_ref()) {
                if let Some(stored) = row.get::<_, Option<String>>(1).filter(|s| s != new) {
                    return Ok(Err(Error::OtherSource { name: name.into(), stored, new: new.into() }));
                }
            }
            let now = super::now_stamp();
            let mut seen = HashSet::new();
            let mut ord = 0;
            let mut df_delta = HashMap::new();
            let (doc_id, replaced) = match existing.map(|r| r.get::<_, i64>(0)) {
                Some(id) if !replace => {
                    let mut c = self.client.borrow_mut();
                    ord = c
                        .query_one(
                            "SELECT coalesce(max(ord) + 1, 0)::bigint FROM units WHERE doc_id = $1",
                            &[&id],
                        )?
                        .get(0);
                    if dedupe {
                        for r in c.query("SELECT hash FROM units WHERE doc_id = $1", &[&id])? {
                            seen.insert(r.get::<_, String>(0));
                        }
                    }
                    (id, 0)
                }
                Some(id) => {
                    let (n, delta) = self.delete_doc_units(id)?;
                    df_delta = delta;
                    self.client.borrow_mut().execute(
                        "UPDATE documents SET origin = $2, content_hash = $3, updated_at = $4,
                         source = coalesce($5, source) WHERE id = $1",
                        &[&id, &origin.as_str(), &content_hash, &now, &source],
                    )?;
                    (id, n)
                }
                None => {
                    let id: i64 = self
                        .client
                        .borrow_mut()
                        .query_one(
                            "INSERT INTO documents(name, origin, content_hash, created_at, updated_at, source)
                             VALUES ($1, $2, $3, $4, $4, $5) RETURNING id",
                            &[&name, &origin.as_str(), &content_hash, &now, &source],
                        )?
                        .get(0);
                    (id, 0)
                }
            };
            // The stored alignment describes the old units: a writer that keeps one (batch,
            // review) stores it again with `put_review`; any other (an import) leaves none.
            self.client.borrow_mut().execute("DELETE FROM reviews WHERE doc_id = $1", &[&doc_id])?;
            Ok(Ok(Session {
                doc_id,
                ord,
                dedupe,
                seen,
                out: DocWrite { replaced, ..DocWrite::default() },
                df_delta,
                buffer: Vec::new(),
                postings: Vec::new(),
            }))
        })();
        match res {
            Ok(Ok(s)) => {
                self.session = Some(s);
                Ok(())
            }
            Ok(Err(e)) => {
                let _ = self.abort_document();
                Err(e)
            }
            Err(e) => {
                let _ = self.abort_document();
                Err(self.pg(e))
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
        let keys = unit.texts.iter().map(|t| keys::compare_keys(&t.text)).collect();
        s.buffer.push(Pending { ord: s.ord, unit: unit.clone(), hash, keys });
        s.ord += 1;
        s.out.units += 1;
        if s.buffer.len() >= FLUSH_UNITS {
            // A very large document writes its own postings as it goes (inside its savepoint,
            // so a rollback still drops them; the transaction's pending ones, of lower units,
            // are merged into the chunks later, which is correct in any order).
            let res = self.flush(&mut s).and_then(|()| {
                if s.postings.len() < PENDING_MAX {
                    return Ok(());
                }
                s.postings.sort_unstable();
                let res = add_postings(&mut self.client.borrow_mut(), &s.postings);
                s.postings.clear();
                res
            });
            if let Err(e) = res {
                let _ = self.abort_document();
                return Err(self.pg(e));
            }
        }
        self.session = Some(s);
        Ok(true)
    }

    fn end_document(&mut self) -> Result<DocWrite> {
        let mut s =
            self.session.take().ok_or_else(|| Error::Other("end_document outside a document".into()))?;
        let res = self
            .flush(&mut s)
            .and_then(|()| self.client.borrow_mut().batch_execute("RELEASE SAVEPOINT qdoc"));
        if let Err(e) = res {
            let _ = self.abort_document();
            return Err(self.pg(e));
        }
        for (id, d) in s.df_delta {
            *self.df_delta.entry(id).or_default() += d;
        }
        self.pending.append(&mut s.postings);
        if self.pending.len() >= PENDING_MAX {
            if let Err(e) = self.write_pending() {
                let _ = self.abort_document();
                return Err(self.pg(e));
            }
        }
        Ok(s.out)
    }

    fn rollback_document(&mut self) -> Result<()> {
        if self.session.take().is_some() {
            self.term_cache.clear();
            let res =
                self.client.borrow_mut().batch_execute("ROLLBACK TO SAVEPOINT qdoc; RELEASE SAVEPOINT qdoc");
            if let Err(e) = res {
                let _ = self.abort_document();
                return Err(self.pg(e));
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
        let mut deltas: Vec<(i32, i64)> =
            self.df_delta.iter().filter(|(_, d)| **d != 0).map(|(a, b)| (*a, *b)).collect();
        deltas.sort_unstable();
        let ids: Vec<i32> = deltas.iter().map(|d| d.0).collect();
        let ds: Vec<i64> = deltas.iter().map(|d| d.1).collect();
        let res = self.write_pending().and_then(|()| {
            let mut c = self.client.borrow_mut();
            if !ids.is_empty() {
                c.execute(
                    "UPDATE terms SET df = df + x.d FROM unnest($1::int4[], $2::int8[]) AS x(id, d) WHERE terms.id = x.id",
                    &[&ids, &ds],
                )?;
            }
            // Under the write lock: every other process's cache is stale from this commit on.
            c.batch_execute("UPDATE qantara_generation SET n = n + 1; COMMIT")
        });
        match res {
            Ok(()) => {
                self.in_tx = false;
                self.df_delta.clear();
                Ok(())
            }
            Err(e) => {
                let _ = self.abort_document();
                Err(self.pg(e))
            }
        }
    }

    fn abort_document(&mut self) -> Result<()> {
        self.session = None;
        self.df_delta.clear();
        self.pending.clear();
        if self.in_tx {
            self.in_tx = false;
            self.term_cache.clear();
            self.client.borrow_mut().batch_execute("ROLLBACK").map_err(|e| self.pg(e))?;
        }
        Ok(())
    }

    fn terms(&self, lang: Lang, terms: &mut [keys::QueryTerm]) -> Result<Vec<Option<i64>>> {
        let ks: Vec<&str> = terms.iter().map(|t| t.key.as_str()).collect();
        let mut c = self.c()?;
        // One row at least (the generation), with the terms found, from one snapshot.
        let st = self.st(
            &mut c,
            "SELECT g.n, t.key, t.id, t.df FROM qantara_generation g
             LEFT JOIN terms t ON t.lang = $1 AND t.key = ANY($2)",
        )?;
        let rows = c.query(&st, &[&lang.code(), &ks]).map_err(|e| self.pg(e))?;
        let generation: Option<i64> = rows.first().map(|r| r.get(0));
        match generation.filter(|_| !self.in_tx) {
            Some(g) => {
                self.cache.observe(g);
                self.seen.set(Some(g));
            }
            None => self.seen.set(None),
        }
        let found: HashMap<String, (i32, i64)> = rows
            .iter()
            .filter_map(|r| Some((r.get::<_, Option<String>>(1)?, (r.get::<_, Option<i32>>(2)?, r.get(3)))))
            .collect();
        Ok(terms
            .iter_mut()
            .map(|t| {
                let f = found.get(&t.key);
                t.df = f.map_or(0, |(_, df)| (*df).max(0) as u64);
                f.filter(|(_, df)| *df > 0).map(|(id, _)| i64::from(*id))
            })
            .collect())
    }

    fn postings(&self, term: i64, f: &mut dyn FnMut(UnitId, usize) -> bool) -> Result<()> {
        let term = term as i32;
        let seen = self.seen.get();
        if let Some(list) = seen.and_then(|g| self.cache.list(g, term)) {
            for &(u, m) in list.iter() {
                if !f(u, m.max(0) as usize) {
                    break;
                }
            }
            return Ok(());
        }
        let mut c = self.c()?;
        let st = self.st(&mut c, "SELECT data FROM pchunks WHERE term_id = $1 ORDER BY first_unit")?;
        let mut rows = c.query_raw(&st, [&term as &(dyn ToSql + Sync)]).map_err(|e| self.pg(e))?;
        // The whole list is read (for the cache) unless it outgrows what the cache keeps.
        let cap = self.cache.budget / 8 / LIST_ENTRY_BYTES;
        let mut whole: Option<Vec<(i64, i32)>> = seen.map(|_| Vec::new());
        let mut wanted = true;
        let mut entries = Vec::with_capacity(CHUNK);
        while let Some(r) = rows.next().map_err(|e| self.pg(e))? {
            entries.clear();
            decode_chunk(r.get(0), &mut entries);
            if wanted {
                for &(u, m) in &entries {
                    if !f(u, m.max(0) as usize) {
                        wanted = false;
                        break;
                    }
                }
            }
            if let Some(w) = whole.as_mut() {
                w.extend_from_slice(&entries);
                if w.len() > cap {
                    whole = None;
                }
            }
            if !wanted && whole.is_none() {
                return Ok(());
            }
        }
        if let (Some(g), Some(w)) = (seen, whole) {
            self.cache.put_list(g, term, w.into());
        }
        Ok(())
    }

    fn has_posting(&self, term: i64, unit: UnitId) -> Result<bool> {
        Ok(self.has_postings(term, &[unit])?[0])
    }

    fn has_postings(&self, term: i64, units: &[UnitId]) -> Result<Vec<bool>> {
        if let Some(list) = self.seen.get().and_then(|g| self.cache.list(g, term as i32)) {
            return Ok(units.iter().map(|u| list.binary_search_by_key(u, |e| e.0).is_ok()).collect());
        }
        let mut c = self.c()?;
        // The chunk holding or preceding each unit (each read once).
        let st = self.st(
            &mut c,
            "SELECT data FROM pchunks WHERE term_id = $1 AND first_unit IN (
                 SELECT (SELECT first_unit FROM pchunks WHERE term_id = $1 AND first_unit <= x.u
                         ORDER BY first_unit DESC LIMIT 1)
                 FROM unnest($2::int8[]) AS x(u))",
        )?;
        let rows = c.query(&st, &[&(term as i32), &units]).map_err(|e| self.pg(e))?;
        let mut entries = Vec::new();
        for r in &rows {
            decode_chunk(r.get(0), &mut entries);
        }
        let found: HashSet<i64> = entries.iter().map(|e| e.0).collect();
        Ok(units.iter().map(|u| found.contains(u)).collect())
    }

    fn unit_text(&self, unit: UnitId, lang: Lang) -> Result<Option<(String, String)>> {
        Ok(self.unit_texts(&[unit], lang)?.pop().flatten())
    }

    fn unit_texts(&self, units: &[UnitId], lang: Lang) -> Result<Vec<Option<(String, String)>>> {
        let seen = self.seen.get();
        let cached = match seen {
            Some(g) => self.cache.texts(g, units, lang),
            None => vec![None; units.len()],
        };
        let missing: Vec<UnitId> =
            units.iter().zip(&cached).filter(|(_, c)| c.is_none()).map(|(u, _)| *u).collect();
        let mut found: HashMap<i64, Arc<(String, String)>> = HashMap::new();
        if !missing.is_empty() {
            let mut c = self.c()?;
            let st = self
                .st(&mut c, "SELECT unit_id, text, keys FROM texts WHERE lang = $1 AND unit_id = ANY($2)")?;
            let rows = c.query(&st, &[&lang.code(), &missing]).map_err(|e| self.pg(e))?;
            found = rows.iter().map(|r| (r.get(0), Arc::new((r.get(1), r.get(2))))).collect();
            if let Some(g) = seen {
                self.cache.put_texts(g, lang, found.iter().map(|(u, t)| (*u, t.clone())).collect());
            }
        }
        Ok(units
            .iter()
            .zip(cached)
            .map(|(u, c)| c.or_else(|| found.get(u).cloned()).map(|t| (*t).clone()))
            .collect())
    }

    fn unit(&self, id: UnitId) -> Result<Option<Unit>> {
        let mut out = None;
        self.units_where("u.id = $1", "u.id", &[&id], &mut |u| {
            out = Some(u);
            Ok(())
        })?;
        Ok(out)
    }

    fn for_each_unit(&self, f: &mut dyn FnMut(Unit) -> Result<()>) -> Result<()> {
        self.units_where("true", "d.name, u.ord", &[], f)
    }

    fn for_each_text(&self, lang: Lang, f: &mut dyn FnMut(UnitId, &str, &str) -> Result<()>) -> Result<()> {
        let mut c = self.c()?;
        let mut rows = c
            .query_raw(
                "SELECT unit_id, text, keys FROM texts WHERE lang = $1 ORDER BY unit_id",
                [&lang.code() as &(dyn ToSql + Sync)],
            )
            .map_err(|e| self.pg(e))?;
        while let Some(r) = rows.next().map_err(|e| self.pg(e))? {
            f(r.get(0), r.get(1), r.get(2))?;
        }
        Ok(())
    }

    fn stats(&self) -> Result<Stats> {
        let mut c = self.c()?;
        let res = (|| -> std::result::Result<Stats, postgres::Error> {
            let mut one = |sql: &str| c.query_one(sql, &[]).map(|r| r.get::<_, i64>(0).max(0) as u64);
            let mut s = Stats {
                path: self.location.clone(),
                documents: one("SELECT count(*) FROM documents")?,
                units: one("SELECT count(*) FROM units")?,
                terms: one("SELECT count(*) FROM terms WHERE df > 0")?,
                postings: one("SELECT coalesce(sum(length(data) / 12), 0)::bigint FROM pchunks")?,
                file_bytes: one("SELECT pg_database_size(current_database())")?,
                index_bytes: one(
                    "SELECT pg_total_relation_size('terms') + pg_total_relation_size('pchunks')",
                )?,
                ..Stats::default()
            };
            for r in c.query("SELECT lang, count(*) FROM texts GROUP BY lang", &[])? {
                s.texts.insert(r.get(0), r.get::<_, i64>(1) as u64);
            }
            for r in c.query(
                "SELECT a.lang, b.lang, count(*) FROM texts a JOIN texts b ON a.unit_id = b.unit_id AND a.lang < b.lang
                 GROUP BY a.lang, b.lang",
                &[],
            )? {
                let (a, b): (&str, &str) = (r.get(0), r.get(1));
                let (la, lb) = (lang_of(a), lang_of(b));
                let key = if lb < la { format!("{lb}-{la}") } else { format!("{la}-{lb}") };
                s.pairs.insert(key, r.get::<_, i64>(2) as u64);
            }
            for r in c.query("SELECT origin, count(*) FROM units GROUP BY origin", &[])? {
                s.origins.insert(r.get(0), r.get::<_, i64>(1) as u64);
            }
            Ok(s)
        })();
        res.map_err(|e| self.pg(e))
    }

    fn is_empty(&self) -> Result<bool> {
        Ok(self
            .c()?
            .query_one("SELECT NOT EXISTS (SELECT 1 FROM units)", &[])
            .map_err(|e| self.pg(e))?
            .get(0))
    }

    fn neighbours(&self, unit: UnitId, lang: Lang) -> Result<(Option<String>, Option<String>)> {
        let rows = self
            .c()?
            .query(
                "SELECT v.ord - u.ord, t.text FROM units u JOIN units v ON v.doc_id = u.doc_id
                 AND v.ord IN (u.ord - 1, u.ord + 1)
                 JOIN texts t ON t.unit_id = v.id AND t.lang = $2 WHERE u.id = $1",
                &[&unit, &lang.code()],
            )
            .map_err(|e| self.pg(e))?;
        let pick = |d: i64| rows.iter().find(|r| r.get::<_, i64>(0) == d).map(|r| r.get::<_, String>(1));
        Ok((pick(-1), pick(1)))
    }

    fn put_review(&mut self, review: &super::pins::Review) -> Result<()> {
        let Some(doc) = self.session.as_ref().map(|s| s.doc_id) else {
            return Err(Error::Other("put_review outside a document".into()));
        };
        let data = serde_json::to_string(review).map_err(|e| Error::Other(e.to_string()))?;
        self.client
            .borrow_mut()
            .execute(
                "INSERT INTO reviews(doc_id, data) VALUES ($1, $2)
                 ON CONFLICT(doc_id) DO UPDATE SET data = excluded.data",
                &[&doc, &data],
            )
            .map_err(|e| self.pg(e))?;
        Ok(())
    }

    fn document_langs(&self, name: &str) -> Result<Vec<Lang>> {
        let rows = self
            .c()?
            .query(
                "SELECT DISTINCT t.lang FROM documents d JOIN units u ON u.doc_id = d.id
                 JOIN texts t ON t.unit_id = u.id WHERE d.name = $1",
                &[&name],
            )
            .map_err(|e| self.pg(e))?;
        let mut langs: Vec<Lang> = rows.iter().map(|r| lang_of(r.get(0))).collect();
        langs.sort();
        langs.dedup();
        Ok(langs)
    }

    fn review(&self, name: &str) -> Result<Option<super::pins::Review>> {
        let row = self
            .c()?
            .query_opt(
                "SELECT r.data FROM reviews r JOIN documents d ON d.id = r.doc_id WHERE d.name = $1",
                &[&name],
            )
            .map_err(|e| self.pg(e))?;
        row.map(|r| super::pins::parse_review(name, r.get(0))).transpose()
    }

    fn documents(&self) -> Result<Vec<DocumentInfo>> {
        let rows =
            self.c()?.query(&format!("SELECT {DOC_COLS} ORDER BY d.name"), &[]).map_err(|e| self.pg(e))?;
        Ok(rows.iter().map(Self::info).collect())
    }

    fn document(&self, name: &str) -> Result<Option<(DocumentInfo, Vec<Unit>)>> {
        let row = self
            .c()?
            .query_opt(&format!("SELECT {DOC_COLS} WHERE d.name = $1"), &[&name])
            .map_err(|e| self.pg(e))?;
        let Some(row) = row else { return Ok(None) };
        let mut units = Vec::new();
        self.units_where("d.name = $1", "u.ord", &[&name], &mut |u| {
            units.push(u);
            Ok(())
        })?;
        Ok(Some((Self::info(&row), units)))
    }

    fn delete_document(&mut self, name: &str) -> Result<Option<u64>> {
        let exists: bool = self
            .c()?
            .query_one("SELECT EXISTS (SELECT 1 FROM documents WHERE name = $1)", &[&name])
            .map_err(|e| self.pg(e))?
            .get(0);
        if !exists {
            return Ok(None);
        }
        self.begin_document(&DocSpec {
            name,
            origin: Origin::Edited,
            content_hash: None,
            dedupe: false,
            replace: true,
            source: None,
            take_over: true,
        })?;
        let w = self.end_document()?;
        let res = self.client.borrow_mut().execute("DELETE FROM documents WHERE name = $1", &[&name]);
        if let Err(e) = res {
            let _ = self.abort_document();
            return Err(self.pg(e));
        }
        self.commit()?;
        Ok(Some(w.replaced))
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        let _ = self.abort_document();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_and_urls_recognised() {
        assert_eq!(redact("postgres://ana:s3cret@db.local:5432/tm"), "postgres://ana:***@db.local:5432/tm");
        assert_eq!(redact("postgres://ana@db.local/tm"), "postgres://ana@db.local/tm");
        assert_eq!(redact("tm.sqlite"), "tm.sqlite");
        assert!(is_url("PostgreSQL://x/y") && is_url("postgres:///test") && !is_url("./postgres.sqlite"));
    }

    /// The cache stays within its budget, drops the shortest lists first, keeps nothing of an
    /// older or newer generation than its own, and empties on a newer one.
    #[test]
    fn the_cache_keeps_its_budget_and_long_lists() {
        let list = |n: usize| -> Arc<[(i64, i32)]> { (0..n as i64).map(|u| (u, 1)).collect() };
        let budget = 200 * LIST_ENTRY_BYTES * 8;
        let c = Cache::new(budget);
        c.observe(3);
        c.put_list(3, 1, list(100));
        c.put_list(3, 2, list(201)); // more than an eighth of the budget: not kept
        assert!(c.list(3, 2).is_none());
        for t in 10..60 {
            c.put_list(3, t, list(10 + t as usize));
            assert!(c.bytes() <= budget, "{} > {budget}", c.bytes());
        }
        assert!(c.list(3, 1).is_some(), "the longest list survives eviction");
        assert!(c.list(3, 10).is_none(), "the shortest went first");
        c.put_list(2, 99, list(5));
        assert!(c.list(3, 99).is_none() && c.list(2, 1).is_none(), "another generation is not served");
        c.observe(2);
        assert!(c.list(3, 1).is_some(), "an older reader does not empty the cache");
        c.observe(4);
        assert!(c.list(4, 1).is_none() && c.bytes() == 0, "a newer generation empties it");
    }

    #[test]
    fn chunks_round_trip() {
        let e = vec![(1, 3), (7, 12), (i64::MAX - 1, i32::MAX)];
        let mut out = Vec::new();
        decode_chunk(&encode_chunk(&e), &mut out);
        assert_eq!(out, e);
    }

    /// A fresh database on `QANTARA_TEST_PG` (dropped by the returned guard), or `None` with a
    /// note when no server is named.
    fn fresh_db(tag: &str) -> Option<(String, impl Drop)> {
        let Some(url) = std::env::var("QANTARA_TEST_PG").ok().filter(|u| !u.is_empty()) else {
            eprintln!("note: QANTARA_TEST_PG is unset; skipping the PostgreSQL chunk test {tag}");
            return None;
        };
        let name = format!("qantara_unit_{tag}_{}", std::process::id());
        let mut admin = Client::connect(&url, NoTls).expect("connect to QANTARA_TEST_PG");
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let (base, _) = url.rsplit_once('/').expect("a URL with a database");
        struct Guard(Client, String);
        impl Drop for Guard {
            fn drop(&mut self) {
                let _ = self.0.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.1));
            }
        }
        Some((format!("{base}/{name}"), Guard(admin, name)))
    }

    fn unit(words: &[&str]) -> NewUnit {
        NewUnit {
            texts: vec![
                UnitText { lang: Lang::En, text: format!("en {}", words.join(" ")), segments: None },
                UnitText { lang: Lang::Fr, text: words.join(" "), segments: None },
            ],
            confidence: None,
            origin: Origin::Imported,
            created: Some("20240101T000000Z".into()),
            changed: None,
            extra: vec![],
        }
    }

    fn write(s: &mut PgStore, name: &str, units: &[NewUnit], commit: bool) {
        s.begin_document(&DocSpec {
            name,
            origin: Origin::Imported,
            content_hash: None,
            dedupe: false,
            replace: true,
            source: None,
            take_over: true,
        })
        .unwrap();
        for u in units {
            s.add_unit(u).unwrap();
        }
        if commit {
            s.commit_document().unwrap();
        } else {
            s.end_document().unwrap();
        }
    }

    /// The chunks hold exactly the postings the texts' term ids call for, sorted, disjoint,
    /// each keyed by its first unit, and every `df` equals its postings.
    fn check_index(s: &PgStore) -> u64 {
        let mut c = s.client.borrow_mut();
        let mut want: Vec<(i32, i64, i32)> = Vec::new();
        for r in c.query("SELECT unit_id, ntok, term_ids FROM texts", &[]).unwrap() {
            for t in r.get::<_, Vec<i32>>(2) {
                want.push((t, r.get(0), r.get(1)));
            }
        }
        want.sort_unstable();
        let mut got: Vec<(i32, i64, i32)> = Vec::new();
        let mut last: Option<(i32, i64)> = None;
        for r in c.query("SELECT term_id, first_unit, data FROM pchunks ORDER BY 1, 2", &[]).unwrap() {
            let (t, first): (i32, i64) = (r.get(0), r.get(1));
            let mut e = Vec::new();
            decode_chunk(r.get(2), &mut e);
            assert!(!e.is_empty() && e.len() <= CHUNK, "chunk of {} entries", e.len());
            assert_eq!(e[0].0, first, "a chunk is keyed by its first unit");
            assert!(e.windows(2).all(|w| w[0].0 < w[1].0), "a chunk is sorted");
            if let Some((lt, lu)) = last.filter(|l| l.0 == t) {
                assert!(lu < first, "chunks of term {lt} overlap");
            }
            last = Some((t, e[e.len() - 1].0));
            got.extend(e.into_iter().map(|(u, m)| (t, u, m)));
        }
        assert_eq!(got, want, "the chunks hold exactly the texts' postings");
        let view: i64 = c.query_one("SELECT count(*) FROM postings", &[]).unwrap().get(0);
        assert_eq!(view as usize, want.len(), "the postings view decodes every chunk");
        let bad: i64 = c
            .query_one(
                "SELECT count(*) FROM terms t WHERE df <> (SELECT count(*) FROM postings p WHERE p.term_id = t.id)",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(bad, 0, "document frequencies equal postings");
        want.len() as u64
    }

    fn lookups(s: &PgStore, queries: &[String]) -> Vec<String> {
        let opts = super::super::lookup::LookupOptions { lang: Lang::Fr, to: vec![], min: 50, limit: 3 };
        queries
            .iter()
            .map(|q| {
                serde_json::to_string(&super::super::lookup::lookup(s, q, &opts).unwrap().matches).unwrap()
            })
            .collect()
    }

    /// Appends, replacements, deletions, rollbacks and several documents per transaction keep
    /// the chunks exact (across chunk boundaries: "common" is in every unit); a
    /// memory of version 2 (one row per posting) migrates to the same index and the same answers.
    #[test]
    fn chunks_stay_exact_and_row_postings_migrate() {
        let Some((url, _guard)) = fresh_db("chunks") else { return };
        let doc = |seed: usize, n: usize| -> Vec<NewUnit> {
            (0..n)
                .map(|i| {
                    let a = format!("w{}", (i * 7 + seed) % 13);
                    let b = format!("w{}", (i * 3 + seed) % 29);
                    let r = format!("rare{}", (i + seed * 1000) / 90);
                    unit(&["alpha", "common", &a, &b, &r, if i % 5 == 0 { "beta gamma" } else { "delta" }])
                })
                .collect()
        };
        let mut s = PgStore::open(&url).unwrap();
        write(&mut s, "a", &doc(1, 300), true);
        write(&mut s, "b", &doc(2, 200), true);
        check_index(&s);
        // Several documents in one transaction, one of them replaced within it, one rolled back.
        write(&mut s, "c", &doc(3, 150), false);
        write(&mut s, "d", &doc(4, 90), false);
        write(&mut s, "c", &doc(5, 40), false);
        s.begin_document(&DocSpec {
            name: "e",
            origin: Origin::Imported,
            content_hash: None,
            dedupe: false,
            replace: true,
            source: None,
            take_over: true,
        })
        .unwrap();
        for u in doc(6, 20) {
            s.add_unit(&u).unwrap();
        }
        s.rollback_document().unwrap();
        s.commit().unwrap();
        check_index(&s);
        // Replace a middle document, delete another, append to a third.
        write(&mut s, "b", &doc(7, 170), true);
        assert_eq!(s.delete_document("a").unwrap(), Some(300));
        s.begin_document(&DocSpec {
            name: "d",
            origin: Origin::Imported,
            content_hash: None,
            dedupe: false,
            replace: false,
            source: None,
            take_over: true,
        })
        .unwrap();
        for u in doc(8, 30) {
            s.add_unit(&u).unwrap();
        }
        s.commit_document().unwrap();
        let n = check_index(&s);
        assert_eq!(s.stats().unwrap().postings, n);
        // Stored texts with a word changed, from the replaced, the appended and the old part.
        let queries: Vec<String> =
            [doc(5, 40).remove(10), doc(7, 170).remove(100), doc(8, 30).remove(3), doc(4, 90).remove(0)]
                .iter()
                .map(|u| u.texts[1].text.replacen("alpha", "omega", 1))
                .collect();
        let before = lookups(&s, &queries);
        assert!(before.iter().all(|m| m != "[]"), "{before:?}");
        // Back to version 2, as a memory written by an older qantara: one row per posting.
        s.client
            .borrow_mut()
            .batch_execute(
                "CREATE TABLE postings_v1 AS SELECT * FROM postings;
                 DROP VIEW postings; DROP TABLE pchunks;
                 ALTER TABLE postings_v1 RENAME TO postings;
                 ALTER TABLE postings ADD PRIMARY KEY (term_id, unit_id) INCLUDE (ntok);
                 DROP TABLE qantara_generation;
                 UPDATE qantara_schema SET version = 2;",
            )
            .unwrap();
        drop(s);
        let s = PgStore::open(&url).unwrap();
        let v: i32 =
            s.client.borrow_mut().query_one("SELECT version FROM qantara_schema", &[]).unwrap().get(0);
        assert_eq!(i64::from(v), PgStore::schema_version());
        assert_eq!(check_index(&s), n);
        assert_eq!(lookups(&s, &queries), before);
    }

    /// Stores sharing a cache answer from it, and a commit by another connection (another
    /// server, a CLI run) is seen at once: added, replaced and deleted units; answers always
    /// equal an uncached store's.
    #[test]
    fn a_shared_cache_serves_lookups_and_sees_every_commit() {
        let Some((url, _guard)) = fresh_db("cache") else { return };
        let words = |i: usize| -> Vec<String> {
            (0..8).map(|j| format!("w{}", (i * 7 + j * 3) % 40)).chain([format!("rare{i}")]).collect()
        };
        let doc = |from: usize, n: usize| -> Vec<NewUnit> {
            (from..from + n)
                .map(|i| {
                    let w = words(i);
                    unit(&w.iter().map(String::as_str).collect::<Vec<_>>())
                })
                .collect()
        };
        let mut writer = PgStore::open(&url).unwrap();
        write(&mut writer, "a", &doc(0, 60), true);
        let cache = Cache::new(1 << 20);
        let a1 = PgStore::open_with_cache(&url, cache.clone()).unwrap();
        let a2 = PgStore::open_with_cache(&url, cache.clone()).unwrap();
        let queries: Vec<String> =
            (0..70).step_by(7).map(|i| words(i).join(" ").replacen("w", "x", 1)).collect();
        let fresh = |q: &[String]| lookups(&PgStore::open(&url).unwrap(), q);
        let r1 = lookups(&a1, &queries);
        assert_eq!(r1, fresh(&queries));
        let (h0, m0) = cache.hits_misses();
        assert!(m0 > 0 && cache.bytes() > 0, "the first lookups fill the cache");
        assert_eq!(lookups(&a2, &queries), r1);
        let (h1, m1) = cache.hits_misses();
        assert!(h1 > h0 && m1 == m0, "the second store is served from the cache ({h0}/{m0} → {h1}/{m1})");
        // Another connection adds units that match the queries better (and new keys).
        write(&mut writer, "b", &doc(60, 10), true);
        let r2 = lookups(&a1, &queries);
        assert_eq!(r2, fresh(&queries));
        assert_ne!(r2, r1, "the new document's units are found");
        // Replaced: document "a" now holds other texts.
        write(&mut writer, "a", &doc(100, 30), true);
        assert_eq!(lookups(&a2, &queries), fresh(&queries));
        // Deleted.
        writer.delete_document("b").unwrap();
        let r3 = lookups(&a1, &queries);
        assert_eq!(r3, fresh(&queries));
        assert!(r2.iter().any(|m| m.contains(r#""doc":"b""#)), "{r2:?}");
        assert!(!r3.iter().any(|m| m.contains(r#""doc":"b""#)), "no deleted unit comes back: {r3:?}");
        // A budget too small for any list still gives the same answers.
        let tiny = PgStore::open_with_cache(&url, Cache::new(64)).unwrap();
        assert_eq!(lookups(&tiny, &queries), r3);
    }
}
