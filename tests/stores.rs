//! The translation-memory tests run against both stores: the same test functions, once on an
//! SQLite file (their `#[test]`) and once on PostgreSQL (the twins that [`postgres_twins!`]
//! generates, named `postgres::<test>`). A test asks for a memory with [`fresh_tm`], which
//! gives a new file path or a new, empty PostgreSQL database (dropped when the test ends,
//! passed or failed), so tests never see each other's units.
//!
//! PostgreSQL: `QANTARA_TEST_PG` names the server (a URL whose database the tests may connect
//! to, e.g. `postgres://postgres@127.0.0.1/test`); when it is unset and `CI` is set,
//! `postgres://postgres@127.0.0.1/test` is used, and a server that cannot be reached fails the
//! twins. Elsewhere, with neither set, the twins print a note and pass without running.

#![allow(dead_code)]

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The server CI uses when `QANTARA_TEST_PG` is unset.
pub const CI_SERVER: &str = "postgres://postgres@127.0.0.1/test";

thread_local! {
    /// The admin URL while a PostgreSQL twin runs, and the databases it created.
    static PG: RefCell<Option<(String, Vec<String>)>> = const { RefCell::new(None) };
}

static SEQ: AtomicUsize = AtomicUsize::new(0);

/// The server to test against, if any (see the module doc).
pub fn server() -> Option<String> {
    match std::env::var("QANTARA_TEST_PG") {
        Ok(u) if !u.is_empty() => Some(u),
        _ if std::env::var_os("CI").is_some() => Some(CI_SERVER.to_string()),
        _ => None,
    }
}

/// `url` with its database replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{db}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Connects to the test server (panics with what to do when it cannot).
pub fn admin(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap_or_else(|e| {
        panic!(
            "PostgreSQL at {url} is unreachable ({e}); start it, or point QANTARA_TEST_PG at a server \
             (unset QANTARA_TEST_PG and CI to skip the PostgreSQL tests)"
        )
    })
}

/// Creates an empty database (`extra` is appended to `CREATE DATABASE`, e.g. a locale) and
/// returns its URL; it is dropped at the end of the running twin.
pub fn fresh_database(extra: &str) -> String {
    PG.with(|pg| {
        let mut pg = pg.borrow_mut();
        let (url, dbs) = pg.as_mut().expect("fresh_database is called inside a PostgreSQL twin");
        let name = format!(
            "qantara_test_{}_{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        );
        admin(url).batch_execute(&format!("CREATE DATABASE {name} {extra}")).expect("CREATE DATABASE");
        dbs.push(name.clone());
        with_database(url, &name)
    })
}

/// A fresh memory for the running test: `dir/name` on SQLite, a new database on PostgreSQL.
pub fn fresh_tm(dir: impl AsRef<Path>, name: &str) -> PathBuf {
    if on_pg() { PathBuf::from(fresh_database("")) } else { dir.as_ref().join(name) }
}

/// Whether the running test is a PostgreSQL twin.
pub fn on_pg() -> bool {
    PG.with(|pg| pg.borrow().is_some())
}

struct Cleanup;

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some((url, dbs)) = PG.with(|pg| pg.borrow_mut().take()) {
            if dbs.is_empty() {
                return;
            }
            if let Ok(mut c) = postgres::Client::connect(&url, postgres::NoTls) {
                for db in dbs {
                    let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
                }
            }
        }
    }
}

/// Runs `test` with PostgreSQL memories, or prints why it does not.
pub fn on_postgres(name: &str, test: fn()) {
    let Some(url) = server() else {
        eprintln!(
            "note: {name} skipped on PostgreSQL: set QANTARA_TEST_PG=postgres://USER@HOST/DB to run it"
        );
        return;
    };
    drop(admin(&url));
    PG.with(|pg| *pg.borrow_mut() = Some((url, Vec::new())));
    let _cleanup = Cleanup;
    test();
}

/// `postgres_twins!(a, b)` adds `postgres::a` and `postgres::b`, which run the test functions
/// `a` and `b` of the module with PostgreSQL memories.
#[macro_export]
macro_rules! postgres_twins {
    ($($t:ident),* $(,)?) => {
        mod postgres {
            $(
                #[test]
                fn $t() {
                    $crate::stores::on_postgres(concat!(module_path!(), "::", stringify!($t)), super::$t);
                }
            )*
        }
    };
}
