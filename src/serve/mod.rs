//! `qantara serve`: the translation memory and the glossary over HTTP, for a desk sharing one
//! memory (normally on PostgreSQL, [`crate::tm::pg`]).
//!
//! # A thin front end
//! Every endpoint parses its request, calls the library function the CLI calls — lookup,
//! concordance, glossary lookup and check, the store's document reads and writes, TMX import
//! and export — and answers with the JSON the CLI prints with `--json`. Store calls are
//! blocking, so they run on tokio's blocking pool with a store taken from a small pool of open
//! connections ([`Pool`]); a store goes back to the pool only after its call returned, so no
//! transaction is ever left open between requests.
//!
//! # Security
//! * Only the `--listen` address is bound (default `127.0.0.1:8080`, loopback).
//! * Every request but `GET /v1/health` needs `Authorization: Bearer TOKEN` with a token of
//!   the `--tokens` file ([`tokens`]); its role must allow the endpoint (`read` < `write` <
//!   `admin`). A missing or unknown token is 401, too weak a role 403.
//! * Bodies are bounded ([`Limits`]): JSON bodies by `json_bytes`, uploads by `upload_bytes`
//!   (413 beyond), batches of segments and documents by `batch` (413), texts by `text_chars`.
//! * Errors are JSON `{"error": {"status", "code", "message"}}`, the message saying what to do.
//!
//! # Operations
//! SIGINT or SIGTERM stops accepting connections, lets requests in flight finish, then exits
//! (graceful shutdown). Logs go to standard error through `tracing`, one line per request with
//! method, path, status, duration and token name (`RUST_LOG`-style level via `--log`).

pub mod api;
pub mod tokens;

use crate::tm::store::TmStore;
use std::sync::{Arc, Mutex};

/// Bounds on what a request may carry.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest JSON body, bytes.
    pub json_bytes: usize,
    /// Largest uploaded TMX/TSV (`POST /v1/imports`), bytes.
    pub upload_bytes: usize,
    /// Most segments in one lookup request, units in one stored document.
    pub batch: usize,
    /// Longest text (characters) of a query or a unit.
    pub text_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { json_bytes: 1 << 20, upload_bytes: 256 << 20, batch: 1000, text_chars: 10_000 }
    }
}

/// Open stores ready for requests; a request takes one (opening a new connection when none is
/// idle) and gives it back when done.
pub struct Pool {
    location: String,
    idle: Mutex<Vec<Box<dyn TmStore + Send>>>,
    max_idle: usize,
    /// Posting lists and texts shared by the pool's PostgreSQL stores (`tm::pg`, "Cache").
    cache: std::sync::Arc<crate::tm::pg::Cache>,
}

impl Pool {
    /// A pool for the memory at `location` (opened once now, so a bad URL fails at start).
    /// PostgreSQL stores share a cache of `cache_bytes`.
    pub fn new(location: &str, max_idle: usize, cache_bytes: usize) -> crate::tm::Result<Pool> {
        let cache = crate::tm::pg::Cache::new(cache_bytes);
        let first = crate::tm::open_shared(location, Some(cache.clone()))?;
        Ok(Pool { location: location.to_string(), idle: Mutex::new(vec![first]), max_idle, cache })
    }

    /// Runs `f` with a store.
    pub fn with<R>(&self, f: impl FnOnce(&mut dyn TmStore) -> R) -> crate::tm::Result<R> {
        let taken = self.idle.lock().map(|mut v| v.pop()).unwrap_or(None);
        let mut store = match taken {
            Some(s) => s,
            None => crate::tm::open_shared(&self.location, Some(self.cache.clone()))?,
        };
        let r = f(&mut *store);
        // A failed call may have left the connection unusable; a fresh one replaces it later.
        if store.abort_document().is_ok() {
            if let Ok(mut idle) = self.idle.lock() {
                if idle.len() < self.max_idle {
                    idle.push(store);
                }
            }
        }
        Ok(r)
    }

    /// The memory's name for logs (a URL's password redacted).
    pub fn location(&self) -> String {
        if crate::tm::pg::is_url(&self.location) {
            crate::tm::pg::redact(&self.location)
        } else {
            self.location.clone()
        }
    }
}

/// What the server needs.
pub struct Config {
    /// The memory (path or URL).
    pub tm: String,
    /// Address to bind.
    pub listen: std::net::SocketAddr,
    /// The token file.
    pub tokens: std::path::PathBuf,
    /// The glossary for `/v1/term` and `/v1/check`.
    pub glossary: crate::glossary::Glossary,
    /// Bounds.
    pub limits: Limits,
    /// Folder for uploads in progress.
    pub spool: std::path::PathBuf,
    /// Budget of the PostgreSQL store's shared cache, in bytes.
    pub cache_bytes: usize,
}

/// Runs the server until SIGINT/SIGTERM; returns when the last request has finished.
pub fn run(cfg: Config) -> anyhow::Result<()> {
    // The store is opened before the runtime starts: the blocking PostgreSQL client runs its
    // own small runtime, which may not be started from inside another one's async context.
    let listen = cfg.listen;
    let state = Arc::new(api::State::new(cfg)?);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let served = Arc::clone(&state);
    let result = rt.block_on(async move {
        let state = served;
        // Handlers first, so a SIGTERM right after "ready" is already a graceful stop.
        #[cfg(unix)]
        let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        #[cfg(not(unix))]
        let term = ();
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}; is another server there?"))?;
        tracing::info!(listen = %listener.local_addr()?, tm = %state.pool.location(), "qantara serve ready");
        let app = api::router(state);
        axum::serve(listener, app).with_graceful_shutdown(shutdown(term)).await?;
        tracing::info!("stopped: every request in flight has finished");
        Ok(())
    });
    // The stores (and the PostgreSQL client's own runtime) are closed here, outside tokio.
    drop(rt);
    drop(state);
    result
}

#[cfg(unix)]
type Term = tokio::signal::unix::Signal;
#[cfg(not(unix))]
type Term = ();

async fn shutdown(#[allow(unused_mut)] mut term: Term) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async move {
        term.recv().await;
    };
    #[cfg(not(unix))]
    let term = {
        let () = term;
        std::future::pending::<()>()
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: no new connections; finishing requests in flight");
}
