//! The endpoints of `qantara serve` (see `/v1/openapi.json`, `src/serve/openapi.json`).

use super::tokens::{Entry, Role, Tokens};
use super::{Config, Limits, Pool};
use crate::glossary::Glossary;
use crate::lang::Lang;
use crate::tm::lookup::{self, LookupOptions, LookupResult};
use crate::tm::store::{DocSpec, TmStore};
use crate::tm::{NewUnit, Origin, UnitText};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;

/// Shared state of the server.
pub struct State {
    /// Open stores.
    pub pool: Pool,
    tokens_path: std::path::PathBuf,
    tokens: std::sync::RwLock<(Tokens, Option<std::time::SystemTime>)>,
    glossary: Glossary,
    limits: Limits,
    spool: std::path::PathBuf,
    uploads: tokio::sync::Mutex<()>,
}

impl State {
    /// Opens the memory and reads the tokens.
    pub fn new(cfg: Config) -> anyhow::Result<State> {
        let tokens = Tokens::load(&cfg.tokens)?;
        if tokens.is_empty() {
            tracing::warn!(
                tokens = %cfg.tokens.display(),
                "no token: every request but /v1/health will be refused; add one with `qantara token add NAME --role read --tokens FILE`"
            );
        }
        let mtime = std::fs::metadata(&cfg.tokens).and_then(|m| m.modified()).ok();
        std::fs::create_dir_all(&cfg.spool)
            .map_err(|e| anyhow::anyhow!("{}: cannot create the upload folder: {e}", cfg.spool.display()))?;
        Ok(State {
            // Idle connections kept: enough for every concurrent request of a busy desk, so a
            // burst of 32 clients does not open and close connections on every request.
            pool: Pool::new(&cfg.tm, 64, cfg.cache_bytes)?,
            tokens_path: cfg.tokens,
            tokens: std::sync::RwLock::new((tokens, mtime)),
            glossary: cfg.glossary,
            limits: cfg.limits,
            spool: cfg.spool,
            uploads: tokio::sync::Mutex::new(()),
        })
    }

    /// The token file as it is now: re-read when it changed, so `qantara token add|revoke`
    /// take effect without a restart.
    fn current_tokens(&self) -> Result<Tokens, ApiError> {
        let mtime = std::fs::metadata(&self.tokens_path).and_then(|m| m.modified()).ok();
        if let Ok(g) = self.tokens.read() {
            if g.1 == mtime {
                return Ok(g.0.clone());
            }
        }
        let fresh = Tokens::load(&self.tokens_path).map_err(|e| {
            tracing::error!(error = %e, "cannot read the token file");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "tokens",
                "the server cannot read its token file; tell its administrator",
            )
        })?;
        if let Ok(mut g) = self.tokens.write() {
            *g = (fresh.clone(), mtime);
        }
        Ok(fresh)
    }

    fn authorize(&self, headers: &HeaderMap, need: Role) -> Result<Entry, ApiError> {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "no Authorization header: send `Authorization: Bearer TOKEN` (ask the administrator for a token)",
            ));
        };
        let token = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).unwrap_or("");
        let tokens = self.current_tokens()?;
        let Some(entry) = tokens.check(token) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "unknown or revoked token: send `Authorization: Bearer TOKEN` with a token from the administrator",
            ));
        };
        if entry.role < need {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "the token of {} has role {}; this needs role {need} (ask the administrator)",
                    entry.name, entry.role
                ),
            ));
        }
        tracing::debug!(user = %entry.name, role = %entry.role, "authorized");
        Ok(entry.clone())
    }

    /// Runs a store call on the blocking pool.
    async fn store<R: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut dyn TmStore) -> crate::tm::Result<R> + Send + 'static,
    ) -> Result<R, ApiError> {
        let me = Arc::clone(self);
        let joined = tokio::task::spawn_blocking(move || me.pool.with(f)).await;
        match joined {
            Ok(Ok(Ok(r))) => Ok(r),
            Ok(Ok(Err(e))) | Ok(Err(e)) => Err(ApiError::from_tm(e)),
            Err(e) => {
                tracing::error!(error = %e, "a store call panicked");
                Err(ApiError::internal())
            }
        }
    }
}

/// A JSON error: `{"error": {"status", "code", "message"}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into() }
    }
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }
    fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; its log says why; try again",
        )
    }
    fn from_tm(e: crate::tm::Error) -> ApiError {
        use crate::tm::Error as E;
        match e {
            E::OtherSource { .. } => ApiError::new(StatusCode::CONFLICT, "other-source", e.to_string()),
            E::Tmx(_) | E::Tsv { .. } | E::Input(_) => ApiError::bad(e.to_string()),
            E::Postgres { .. } | E::Sqlite { .. } => {
                tracing::error!(error = %e, "store failed");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "store",
                    "the translation memory is unavailable; try again shortly (the server log says why)",
                )
            }
            other => {
                tracing::error!(error = %other, "request failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", other.to_string())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            json!({"error": {"status": self.status.as_u16(), "code": self.code, "message": self.message}});
        (self.status, axum::Json(body)).into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

fn ok(v: impl serde::Serialize) -> ApiResult {
    Ok(axum::Json(v).into_response())
}

/// Reads a body of at most `limit` bytes.
async fn read_body(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!("the body is larger than {limit} bytes (or was cut off); send less per request"),
        )
    })
}

/// Parses a JSON body into `T`, with the line and column of a syntax error.
async fn json_body<T: serde::de::DeserializeOwned>(body: Body, limit: usize) -> Result<T, ApiError> {
    let bytes = read_body(body, limit).await?;
    serde_json::from_slice(&bytes).map_err(|e| {
        let what = if e.is_syntax() || e.is_eof() { "malformed JSON" } else { "unexpected JSON" };
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-json",
            format!(
                "{what} at line {} column {}: {e}; see /v1/openapi.json for the request shape",
                e.line(),
                e.column()
            ),
        )
    })
}

fn lang(s: &str, field: &str) -> Result<Lang, ApiError> {
    Lang::from_str(s).map_err(|e| ApiError::bad(format!("{field}: {e}")))
}

fn langs(v: &[String], field: &str) -> Result<Vec<Lang>, ApiError> {
    v.iter().map(|s| lang(s, field)).collect()
}

fn comma_langs(s: Option<&str>, field: &str) -> Result<Vec<Lang>, ApiError> {
    match s.filter(|s| !s.is_empty()) {
        Some(s) => Lang::parse_list(s).map_err(|e| ApiError::bad(format!("{field}: {e}"))),
        None => Ok(Vec::new()),
    }
}

fn bounded(text: &str, field: &str, limits: &Limits) -> Result<(), ApiError> {
    if text.chars().count() > limits.text_chars {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!(
                "{field} is longer than {} characters; send a sentence, not a document",
                limits.text_chars
            ),
        ));
    }
    if let Some((at, c)) = crate::xml::first(text) {
        return Err(ApiError::bad(format!("{field}, byte {at}: {}", crate::xml::refusal(c))));
    }
    Ok(())
}

/// The routes.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/openapi.json", get(openapi))
        .route("/v1/lookup", post(lookup_handler))
        .route("/v1/concordance", get(concordance))
        .route("/v1/term", get(term))
        .route("/v1/check", post(check))
        .route("/v1/documents", get(documents))
        .route("/v1/documents/{id}", get(document).put(put_document).delete(delete_document))
        .route("/v1/imports", post(import))
        .route("/v1/export", get(export))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not-found", "no such endpoint; see /v1/openapi.json")
        })
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(log))
        .with_state(state)
}

async fn log(req: Request, next: axum::middleware::Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let t0 = std::time::Instant::now();
    let res = next.run(req).await;
    tracing::info!(%method, path, status = res.status().as_u16(), ms = t0.elapsed().as_secs_f64() * 1000.0, "request");
    res
}

type St = axum::extract::State<Arc<State>>;

async fn health(axum::extract::State(s): St) -> ApiResult {
    let empty = s.store(|st| st.is_empty()).await?;
    ok(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "empty": empty}))
}

async fn openapi(axum::extract::State(s): St, headers: HeaderMap) -> ApiResult {
    s.authorize(&headers, Role::Read)?;
    let mut r = include_str!("openapi.json").into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(r)
}

/// One query of `POST /v1/lookup`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Segment {
    text: String,
    lang: Option<String>,
    #[serde(default)]
    to: Vec<String>,
    min: Option<u8>,
    limit: Option<usize>,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum LookupBody {
    Many { segments: Vec<Segment> },
    One(Segment),
}

/// Score of a 100 match whose neighbours in its document equal the given previous and next
/// sentences.
pub const CONTEXT_SCORE: u8 = 101;

fn look_up_one(store: &dyn TmStore, seg: &Segment, limits: &Limits) -> Result<LookupResult, ApiError> {
    bounded(&seg.text, "text", limits)?;
    let qlang = match &seg.lang {
        Some(l) => lang(l, "lang")?,
        None => crate::lang::detect(&seg.text).ok_or_else(|| {
            ApiError::bad(format!(
                "cannot tell the language of {:?}; give \"lang\": \"ar\", \"fr\" or \"en\"",
                seg.text
            ))
        })?,
    };
    let limit = seg.limit.unwrap_or(5);
    if limit == 0 || limit > 100 {
        return Err(ApiError::bad("limit must be 1 to 100"));
    }
    let min = seg.min.unwrap_or(70);
    if !(1..=100).contains(&min) {
        return Err(ApiError::bad("min must be 1 to 100"));
    }
    let opts = LookupOptions { lang: qlang, to: langs(&seg.to, "to")?, min, limit };
    if let Some(p) = opts.targets_problem() {
        return Err(ApiError::bad(p));
    }
    let mut r = lookup::lookup(store, &seg.text, &opts).map_err(ApiError::from_tm)?;
    if seg.prev.is_some() || seg.next.is_some() {
        let key = |s: &str| crate::tm::keys::compare_keys(s);
        for m in r.matches.iter_mut().filter(|m| m.score == 100) {
            let (prev, next) = store.neighbours(m.unit, qlang).map_err(ApiError::from_tm)?;
            let fits = |given: &Option<String>, stored: &Option<String>| match given {
                None => true,
                Some(g) => stored.as_deref().is_some_and(|s| key(s) == key(g)),
            };
            if fits(&seg.prev, &prev) && fits(&seg.next, &next) {
                m.score = CONTEXT_SCORE;
            }
        }
        r.matches.sort_by_key(|m| std::cmp::Reverse(m.score));
    }
    Ok(r)
}

async fn lookup_handler(axum::extract::State(s): St, headers: HeaderMap, body: Body) -> ApiResult {
    s.authorize(&headers, Role::Read)?;
    let req: LookupBody = json_body(body, s.limits.json_bytes).await?;
    let limits = s.limits;
    match req {
        LookupBody::One(seg) => {
            let r = s.store(move |st| Ok(look_up_one(st, &seg, &limits))).await??;
            ok(r)
        }
        LookupBody::Many { segments } => {
            if segments.len() > limits.batch {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-large",
                    format!("{} segments; send at most {} per request", segments.len(), limits.batch),
                ));
            }
            let rs = s
                .store(move |st| {
                    Ok(segments.iter().map(|seg| look_up_one(st, seg, &limits)).collect::<Vec<_>>())
                })
                .await?;
            let mut out = Vec::new();
            for r in rs {
                out.push(r?);
            }
            ok(out)
        }
    }
}

#[derive(Debug, Deserialize)]
struct ConcordanceQuery {
    q: String,
    lang: Option<String>,
    to: Option<String>,
    limit: Option<usize>,
}

async fn concordance(
    axum::extract::State(s): St,
    headers: HeaderMap,
    q: Result<Query<ConcordanceQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    s.authorize(&headers, Role::Read)?;
    let Query(q) =
        q.map_err(|e| ApiError::bad(format!("{e}; e.g. /v1/concordance?q=Sûreté+nationale&lang=fr")))?;
    bounded(&q.q, "q", &s.limits)?;
    let l = match &q.lang {
        Some(l) => lang(l, "lang")?,
        None => crate::lang::detect(&q.q)
            .ok_or_else(|| ApiError::bad("cannot tell the language of q; give lang=ar|fr|en"))?,
    };
    let to = comma_langs(q.to.as_deref(), "to")?;
    let limit = q.limit.unwrap_or(20).clamp(1, 1000);
    let phrase = q.q.clone();
    let hits = s.store(move |st| crate::tm::concordance::concordance(st, &phrase, l, &to, limit)).await?;
    ok(json!({"phrase": q.q, "lang": l, "hits": hits}))
}

#[derive(Debug, Deserialize)]
struct TermQuery {
    q: String,
    lang: Option<String>,
    to: Option<String>,
    limit: Option<usize>,
}

async fn term(
    axum::extract::State(s): St,
    headers: HeaderMap,
    q: Result<Query<TermQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    s.authorize(&headers, Role::Read)?;
    let Query(q) = q.map_err(|e| ApiError::bad(format!("{e}; e.g. /v1/term?q=DGSN&to=fr")))?;
    bounded(&q.q, "q", &s.limits)?;
    if crate::normalize::tokens(&q.q).is_empty() {
        return Err(ApiError::bad("q has no letter or digit: give the term to look up, e.g. ?q=DGSN"));
    }
    let l = match q.lang.as_deref() {
        None | Some("auto") => q.q.chars().any(crate::lang::is_arabic_letter).then_some(Lang::Ar),
        Some(l) => Some(lang(l, "lang")?),
    };
    let to = match comma_langs(q.to.as_deref(), "to")? {
        v if v.is_empty() => Lang::ALL.to_vec(),
        v => v,
    };
    let matches = s.glossary.lookup(&q.q, l, q.limit.unwrap_or(5).clamp(1, 100));
    let shown = l.or_else(|| matches.first().map(|m| s.glossary.concepts()[m.concept].terms[m.term].lang));
    ok(crate::glossary::report::term_matches(&s.glossary, &q.q, shown, &matches, &to))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckBody {
    source: String,
    target: String,
    langs: Vec<String>,
    window: Option<usize>,
}

async fn check(axum::extract::State(s): St, headers: HeaderMap, body: Body) -> ApiResult {
    s.authorize(&headers, Role::Read)?;
    let b: CheckBody = json_body(body, s.limits.json_bytes).await?;
    let ls = langs(&b.langs, "langs")?;
    let [src, tgt] = ls[..] else {
        return Err(ApiError::bad("langs names the source and target languages, e.g. [\"ar\", \"fr\"]"));
    };
    let window = b.window.unwrap_or(1).min(10);
    let s2 = Arc::clone(&s);
    let report = tokio::task::spawn_blocking(move || {
        crate::glossary::check::check_documents(&s2.glossary, &b.source, &b.target, src, tgt, window)
    })
    .await
    .map_err(|_| ApiError::internal())?;
    ok(report)
}

async fn documents(axum::extract::State(s): St, headers: HeaderMap) -> ApiResult {
    s.authorize(&headers, Role::Read)?;
    let docs = s.store(|st| st.documents()).await?;
    ok(json!({"documents": docs}))
}

async fn document(
    axum::extract::State(s): St,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> ApiResult {
    s.authorize(&headers, Role::Read)?;
    let name = id.clone();
    match s.store(move |st| st.document(&name)).await? {
        Some((info, units)) => ok(json!({"document": info, "units": units})),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no document named {id:?}; GET /v1/documents lists them"),
        )),
    }
}

async fn delete_document(
    axum::extract::State(s): St,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> ApiResult {
    let who = s.authorize(&headers, Role::Admin)?;
    let name = id.clone();
    match s.store(move |st| st.delete_document(&name)).await? {
        Some(n) => {
            tracing::info!(user = %who.name, document = %id, units = n, "document deleted");
            ok(json!({"deleted": id, "units": n}))
        }
        None => Err(ApiError::new(StatusCode::NOT_FOUND, "not-found", format!("no document named {id:?}"))),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PutUnit {
    texts: BTreeMap<String, String>,
    confidence: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PutDocument {
    units: Vec<PutUnit>,
    origin: Option<String>,
}

async fn put_document(
    axum::extract::State(s): St,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    body: Body,
) -> ApiResult {
    let who = s.authorize(&headers, Role::Write)?;
    let b: PutDocument = json_body(body, s.limits.json_bytes).await?;
    if id.trim().is_empty() || id.chars().any(char::is_control) {
        return Err(ApiError::bad("the document id must be non-empty and without control characters"));
    }
    if b.units.len() > s.limits.batch * 100 {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "too many units in one document; import a TMX instead",
        ));
    }
    let origin = match b.origin.as_deref() {
        None => Origin::Edited,
        Some(o) => Origin::from_str(o).map_err(ApiError::bad)?,
    };
    let mut units = Vec::with_capacity(b.units.len());
    for (i, u) in b.units.iter().enumerate() {
        let mut texts = Vec::new();
        for (l, t) in &u.texts {
            bounded(t, &format!("units[{i}].texts.{l}"), &s.limits)?;
            if !t.trim().is_empty() {
                texts.push(UnitText {
                    lang: lang(l, &format!("units[{i}].texts"))?,
                    text: t.clone(),
                    segments: None,
                });
            }
        }
        if texts.len() < 2 {
            return Err(ApiError::bad(format!(
                "units[{i}] has fewer than two non-blank texts of ar, fr, en; a unit translates something"
            )));
        }
        if let Some(c) = u.confidence.filter(|c| !(0.0..=1.0).contains(c)) {
            return Err(ApiError::bad(format!("units[{i}].confidence {c} is not in [0, 1]")));
        }
        units.push(NewUnit {
            texts,
            confidence: u.confidence,
            origin,
            created: None,
            changed: None,
            extra: Vec::new(),
        });
    }
    let name = id.clone();
    let w = s
        .store(move |st| {
            st.begin_document(&DocSpec {
                name: &name,
                origin,
                content_hash: None,
                dedupe: true,
                replace: true,
                source: None,
                take_over: true,
            })?;
            for u in &units {
                if let Err(e) = st.add_unit(u) {
                    let _ = st.abort_document();
                    return Err(e);
                }
            }
            st.commit_document()
        })
        .await?;
    tracing::info!(user = %who.name, document = %id, units = w.units, "document stored");
    ok(json!({"document": id, "write": w}))
}

#[derive(Debug, Deserialize)]
struct ImportQuery {
    name: Option<String>,
    replace_other_sources: Option<bool>,
}

/// A file name safe to create in the spool folder.
fn spool_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next()?.trim();
    let ok = !base.is_empty() && base != "." && base != ".." && !base.starts_with('.');
    ok.then(|| base.chars().map(|c| if c.is_control() { '_' } else { c }).collect())
}

async fn import(
    axum::extract::State(s): St,
    headers: HeaderMap,
    q: Result<Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
    body: Body,
) -> ApiResult {
    use http_body_util::BodyExt;
    let who = s.authorize(&headers, Role::Write)?;
    let Query(q) = q.map_err(|e| ApiError::bad(e.to_string()))?;
    let name = spool_name(q.name.as_deref().unwrap_or("upload.tmx")).ok_or_else(|| {
        ApiError::bad("name must be a file name such as memory.tmx (its extension gives the format)")
    })?;
    // One upload at a time: a document's name comes from its file, and the database writes one
    // document at a time anyway.
    let _one = s.uploads.lock().await;
    let path = s.spool.join(&name);
    let io = |e: std::io::Error| {
        tracing::error!(error = %e, "spool");
        ApiError::internal()
    };
    {
        use tokio::io::AsyncWriteExt;
        let mut f = tokio::fs::File::create(&path).await.map_err(io)?;
        let mut body = body;
        let mut n = 0usize;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| ApiError::bad("the upload was cut off; send it again"))?;
            if let Some(data) = frame.data_ref() {
                n += data.len();
                if n > s.limits.upload_bytes {
                    drop(f);
                    let _ = tokio::fs::remove_file(&path).await;
                    return Err(ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "too-large",
                        format!(
                            "the upload is larger than {} bytes; split the file or ask for a larger --max-upload",
                            s.limits.upload_bytes
                        ),
                    ));
                }
                f.write_all(data).await.map_err(io)?;
            }
        }
        f.flush().await.map_err(io)?;
    }
    let opts = crate::tm::exchange::ImportOptions {
        commit_every: 1,
        replace_other_sources: q.replace_other_sources.unwrap_or(false),
    };
    let p2 = path.clone();
    let user = who.name.clone();
    let summary = s
        .store(move |st| {
            let mut last = 0u64;
            crate::tm::exchange::import(st, &p2, &opts, &mut |pos| {
                if pos >= last + (8 << 20) {
                    last = pos;
                    tracing::info!(user = %user, bytes = pos, "import progress");
                }
            })
        })
        .await;
    let _ = tokio::fs::remove_file(&path).await;
    let summary = summary?;
    tracing::info!(user = %who.name, file = %name, units = summary.units, documents = summary.documents, "imported");
    ok(summary)
}

#[derive(Debug, Deserialize)]
struct ExportQuery {
    format: Option<String>,
    langs: Option<String>,
    every_unit: Option<bool>,
}

async fn export(
    axum::extract::State(s): St,
    headers: HeaderMap,
    q: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    use crate::tm::exchange::Format;
    s.authorize(&headers, Role::Read)?;
    let Query(q) = q.map_err(|e| ApiError::bad(e.to_string()))?;
    let (format, ctype) = match q.format.as_deref().unwrap_or("tmx") {
        "tmx" => (Format::Tmx, "application/x-tmx+xml"),
        "tsv" => (Format::Tsv, "text/tab-separated-values; charset=utf-8"),
        "csv" => (Format::Csv, "text/csv; charset=utf-8"),
        o => return Err(ApiError::bad(format!("format {o:?}: tmx, tsv or csv"))),
    };
    let ls = comma_langs(q.langs.as_deref(), "langs")?;
    if ls.len() == 1 {
        return Err(ApiError::bad(
            "langs names one language; a unit needs two (e.g. langs=ar,fr) or leave it out",
        ));
    }
    let every_unit = q.every_unit.unwrap_or(false);
    let bytes = s
        .store(move |st| {
            let mut out = Vec::new();
            crate::tm::exchange::export(st, format, &ls, every_unit, &mut out)?;
            Ok(out)
        })
        .await?;
    let mut r = Body::from(bytes).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spool_names_stay_in_the_folder() {
        assert_eq!(spool_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(spool_name("memory.tmx").as_deref(), Some("memory.tmx"));
        assert_eq!(spool_name(".."), None);
        assert_eq!(spool_name("a/.hidden"), None);
    }

    #[test]
    fn one_segment_or_many_parse() {
        let one: LookupBody = serde_json::from_str(r#"{"text": "x", "lang": "fr"}"#).unwrap();
        assert!(matches!(one, LookupBody::One(_)));
        let many: LookupBody = serde_json::from_str(r#"{"segments": [{"text": "x"}]}"#).unwrap();
        assert!(matches!(many, LookupBody::Many { .. }));
        assert!(serde_json::from_str::<LookupBody>(r#"{"txt": "x"}"#).is_err());
    }
}
