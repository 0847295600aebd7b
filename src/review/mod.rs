//! `qantara review`: a local web page to walk the riskiest beads of a batch and correct them.
//!
//! # A thin front end
//! The page (plain HTML, CSS and JavaScript embedded in the binary with `include_str!`; no
//! build step, no network, no third-party asset or font) asks a small JSON API, whose handlers
//! each call one library function of [`data`] on the memory: the queue ([`queue`]), one
//! document's beads, one edit. Store calls are blocking, so they run on tokio's blocking pool,
//! one at a time (one open store behind a mutex: edits of a document never interleave).
//!
//! # API (every route needs the token, see [`guard`])
//! * `GET /` — the page; `GET /app.js`, `GET /style.css` — its assets.
//! * `GET /api/queue` — `{"docs": [names], "entries": [{doc, bead, p_wrong, reasons}]}`.
//! * `GET /api/doc?name=NAME` — `{name, langs, beads: [{index, confidence, pin, sides}]}`.
//! * `POST /api/edit` — body `{"doc": NAME, "edit": {"op": …}}`; answers the document's new
//!   beads.
//!
//! Errors are JSON `{"error": {"status", "message"}}`.
//!
//! # Security
//! * Only `127.0.0.1` is bound (never a wildcard address), on a free port or `--port`.
//! * [`guard`]: exact loopback `Host`, the per-run token on every request (query, header or
//!   cookie), this page's `Origin` on every write.
//! * No CORS headers; bodies over [`MAX_BODY`] are refused (413); every answer says
//!   `Cache-Control: no-store`, `Referrer-Policy: no-referrer` (the token is in the URL) and a
//!   `Content-Security-Policy` allowing only the page's own scripts, styles and requests.

pub mod data;
pub mod guard;
pub mod queue;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::{Arc, Mutex};

/// Largest request body, bytes (an edit is a few dozen).
pub const MAX_BODY: usize = 64 * 1024;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                   img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// What the page needs.
pub struct Config {
    /// The memory (path or URL).
    pub tm: String,
    /// Documents to review (every document when empty).
    pub docs: Vec<String>,
    /// Port to bind on 127.0.0.1 (0: a free one).
    pub port: u16,
    /// Open the page in the browser.
    pub open: bool,
}

struct AppState {
    store: Mutex<Box<dyn crate::tm::store::TmStore + Send>>,
    docs: Vec<String>,
    guard: guard::Guard,
}

/// A JSON error answer.
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"status": self.0.as_u16(), "message": self.1}});
        (self.0, axum::Json(body)).into_response()
    }
}

impl From<crate::tm::Error> for ApiError {
    fn from(e: crate::tm::Error) -> Self {
        let status = match e {
            crate::tm::Error::Other(_) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError(status, e.to_string())
    }
}

impl AppState {
    /// Runs `f` on the store in the blocking pool.
    async fn with<R: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut dyn crate::tm::store::TmStore, &[String]) -> crate::tm::Result<R> + Send + 'static,
    ) -> Result<R, ApiError> {
        let me = Arc::clone(self);
        let joined = tokio::task::spawn_blocking(move || {
            let mut store = me.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            f(&mut **store, &me.docs)
        })
        .await;
        match joined {
            Ok(r) => r.map_err(ApiError::from),
            Err(e) => Err(ApiError(StatusCode::INTERNAL_SERVER_ERROR, format!("internal error: {e}"))),
        }
    }
}

/// The guard of [`guard`], then the headers every answer carries.
async fn protect(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let mut res = match state.guard.check(req.method(), req.uri(), req.headers()) {
        Err(refusal) => {
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::FORBIDDEN);
            tracing::warn!(method = %req.method(), path = %req.uri().path(), status = status.as_u16(), "refused");
            ApiError(status, refusal.message()).into_response()
        }
        Ok(token_in_query) => {
            let mut res = next.run(req).await;
            if token_in_query {
                if let Ok(v) = HeaderValue::from_str(&state.guard.set_cookie()) {
                    res.headers_mut().insert(header::SET_COOKIE, v);
                }
            }
            res
        }
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    res
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn queue_route(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let (docs, entries) = state
        .with(|store, names| {
            let docs = data::documents(store, names)?;
            let entries = data::queue(store, &docs)?;
            Ok((docs, entries))
        })
        .await?;
    Ok(axum::Json(serde_json::json!({"docs": docs, "entries": entries})).into_response())
}

#[derive(serde::Deserialize)]
struct DocQuery {
    name: String,
}

async fn doc_route(
    State(state): State<Arc<AppState>>,
    q: Result<Query<DocQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) =
        q.map_err(|e| ApiError(StatusCode::BAD_REQUEST, format!("{e}; use /api/doc?name=NAME")))?;
    let name = q.name;
    let d = state
        .with(move |store, names| {
            if !names.is_empty() && !names.contains(&name) {
                return Err(crate::tm::Error::Other(format!(
                    "document {name:?} is not under review in this run"
                )));
            }
            data::doc(store, &name)
        })
        .await?;
    Ok(axum::Json(d).into_response())
}

#[derive(serde::Deserialize)]
struct EditBody {
    doc: String,
    edit: serde_json::Value,
}

async fn edit_route(
    State(state): State<Arc<AppState>>,
    body: Result<axum::Json<EditBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let axum::Json(body) = body
        .map_err(|e| ApiError(e.status(), format!("{e}; send {{\"doc\": NAME, \"edit\": {{\"op\": …}}}}")))?;
    let applied = state
        .with(move |store, names| {
            if !names.is_empty() && !names.contains(&body.doc) {
                return Err(crate::tm::Error::Other(format!(
                    "document {:?} is not under review in this run",
                    body.doc
                )));
            }
            data::edit(store, &body.doc, &body.edit)
        })
        .await?;
    Ok(axum::Json(applied).into_response())
}

fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }))
        .route("/app.js", get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }))
        .route("/style.css", get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }))
        .route("/api/queue", get(queue_route))
        .route("/api/doc", get(doc_route))
        .route("/api/edit", post(edit_route))
        .fallback(|| async { ApiError(StatusCode::NOT_FOUND, "no such page or endpoint".into()) })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), protect))
        .with_state(state)
}

/// Opens `url` in the desktop's browser (`xdg-open`, `open`, `start`); a failure is a note.
fn open_browser(url: &str) {
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(windows)]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(not(any(target_os = "macos", windows)))]
    let mut cmd = std::process::Command::new("xdg-open");
    let spawned = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("qantara: note: could not open a browser ({e}); open the URL above yourself");
    }
}

/// Runs the page until SIGINT/SIGTERM. The first line of standard output is its URL.
pub fn run(cfg: Config) -> anyhow::Result<()> {
    use anyhow::Context;
    let store = crate::tm::open(&cfg.tm)?;
    for d in &cfg.docs {
        crate::tm::review::show(&*store, d)?;
    }
    let listener =
        std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, cfg.port)).with_context(|| {
            format!("cannot listen on 127.0.0.1:{}; is another program there? try --port", cfg.port)
        })?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    let guard = guard::Guard::new(guard::Guard::random_token()?, port);
    let url = format!("http://127.0.0.1:{port}/?token={}", guard.token());
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{url}")?;
        out.flush()?;
    }
    eprintln!("qantara review: serving {} on 127.0.0.1:{port}; Ctrl-C stops", store.location());
    let state = Arc::new(AppState { store: Mutex::new(store), docs: cfg.docs, guard });
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let served = Arc::clone(&state);
    let result = rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        if cfg.open {
            open_browser(&url);
        }
        axum::serve(listener, router(served)).with_graceful_shutdown(shutdown()).await?;
        anyhow::Ok(())
    });
    drop(rt);
    drop(state);
    result
}

async fn shutdown() {
    #[cfg(unix)]
    {
        let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
        match term {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
