//! The checks every request of the review page passes before any handler runs.
//!
//! A local web server is an attack surface: any page the reviewer opens in the same browser
//! can send requests to `127.0.0.1`, and a DNS-rebinding page can even read the answers, since
//! its own host name then points at the loopback address. So, in this order:
//! 1. **Host** must be exactly `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT` (the port
//!    being the one bound): a rebound name (`evil.example:PORT`) is refused with 403 before
//!    anything is read.
//! 2. **Token**: the per-run random token must come with every request, in the query
//!    (`?token=…`, what the printed URL carries for the first page load), in the
//!    `X-Qantara-Token` header, or in the cookie the first page load sets
//!    (`qantara_review_PORT`, `HttpOnly`, `SameSite=Strict`, `Path=/`). Missing or wrong: 401.
//! 3. **Origin**, for every request but `GET`/`HEAD`: the `Origin` header must be present and
//!    be `http://` followed by one of the hosts of rule 1 (a form or `fetch` from another page
//!    carries that page's origin): otherwise 403.
//!
//! The token is compared in constant time. No `Access-Control-*` header is ever sent, so a
//! foreign page's script can never read an answer (CORS is off: same origin only); bodies are
//! bounded by the router ([`super::MAX_BODY`]).

use axum::http::{HeaderMap, Method, Uri, header};

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The `Host` header is not one of the loopback names with the bound port.
    Host(String),
    /// No token, or a wrong one.
    Token,
    /// A write without an `Origin` header or with a foreign one.
    Origin(String),
}

impl Refusal {
    /// The HTTP status: 403 for Host and Origin, 401 for the token.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::Token => 401,
            Refusal::Host(_) | Refusal::Origin(_) => 403,
        }
    }

    /// A message saying what to do.
    pub fn message(&self) -> String {
        match self {
            Refusal::Host(h) => format!(
                "Host {h:?} refused: open the page through the address qantara review printed \
                 (127.0.0.1, localhost or [::1] with its port)"
            ),
            Refusal::Token => "missing or wrong token: open the URL qantara review printed (it carries \
                               ?token=…); a new run has a new token"
                .to_string(),
            Refusal::Origin(o) => format!(
                "write refused: Origin {o:?} is not this page; changes can only be made from the \
                 review page itself"
            ),
        }
    }
}

/// The per-run secret and the port it is valid on.
#[derive(Debug, Clone)]
pub struct Guard {
    token: String,
    port: u16,
}

impl Guard {
    /// A guard for `token` on `port`.
    pub fn new(token: String, port: u16) -> Guard {
        Guard { token, port }
    }

    /// A fresh random token: 32 bytes from the operating system, hex.
    pub fn random_token() -> std::io::Result<String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The name of the cookie carrying the token (per port: cookies do not tell ports apart,
    /// and two review pages may run at once).
    pub fn cookie_name(&self) -> String {
        format!("qantara_review_{}", self.port)
    }

    /// The `Set-Cookie` value given with the first page load.
    pub fn set_cookie(&self) -> String {
        format!("{}={}; HttpOnly; SameSite=Strict; Path=/", self.cookie_name(), self.token)
    }

    fn host_ok(&self, host: &str) -> bool {
        let p = self.port;
        host == format!("127.0.0.1:{p}") || host == format!("localhost:{p}") || host == format!("[::1]:{p}")
    }

    fn origin_ok(&self, origin: &str) -> bool {
        origin.strip_prefix("http://").is_some_and(|h| self.host_ok(h))
    }

    /// Whether `given` is the token (constant time in the token's length).
    fn token_is(&self, given: &str) -> bool {
        let (a, b) = (self.token.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// Checks a request (rules of the module doc); `Ok(true)` when the token came in the query.
    pub fn check(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> Result<bool, Refusal> {
        let host = headers.get(header::HOST).map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
        match &host {
            Some(h) if self.host_ok(h) => {}
            other => return Err(Refusal::Host(other.clone().unwrap_or_default())),
        }
        let in_query = uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter_map(|kv| kv.strip_prefix("token="))
            .any(|t| self.token_is(t));
        let in_header = headers
            .get("x-qantara-token")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| self.token_is(t.trim()));
        let cookie = self.cookie_name();
        let in_cookie = headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|v| {
            v.split(';')
                .filter_map(|c| c.trim().split_once('='))
                .any(|(k, t)| k == cookie && self.token_is(t))
        });
        if !(in_query || in_header || in_cookie) {
            return Err(Refusal::Token);
        }
        if method != Method::GET && method != Method::HEAD {
            let origin =
                headers.get(header::ORIGIN).map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
            match origin {
                Some(o) if self.origin_ok(&o) => {}
                other => return Err(Refusal::Origin(other.unwrap_or_default())),
            }
        }
        Ok(in_query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn g() -> Guard {
        Guard::new("ab12".into(), 4321)
    }

    #[test]
    fn only_loopback_hosts_with_the_port_pass() {
        let uri: Uri = "/?token=ab12".parse().unwrap();
        for ok in ["127.0.0.1:4321", "localhost:4321", "[::1]:4321"] {
            assert_eq!(g().check(&Method::GET, &uri, &headers(&[("host", ok)])), Ok(true), "{ok}");
        }
        for bad in
            ["127.0.0.1", "127.0.0.1:4322", "evil.example:4321", "localhost.evil:4321", "0.0.0.0:4321", ""]
        {
            let r = g().check(&Method::GET, &uri, &headers(&[("host", bad)]));
            assert!(matches!(r, Err(Refusal::Host(_))), "{bad}: {r:?}");
        }
        assert!(matches!(g().check(&Method::GET, &uri, &HeaderMap::new()), Err(Refusal::Host(_))));
    }

    #[test]
    fn the_token_comes_in_the_query_a_header_or_the_cookie() {
        let h = |extra: &[(&'static str, &str)]| {
            let mut v = vec![("host", "localhost:4321")];
            v.extend_from_slice(extra);
            headers(&v)
        };
        let bare: Uri = "/api/queue".parse().unwrap();
        assert_eq!(g().check(&Method::GET, &bare, &h(&[])), Err(Refusal::Token));
        assert_eq!(g().check(&Method::GET, &"/?token=ab13".parse().unwrap(), &h(&[])), Err(Refusal::Token));
        assert_eq!(g().check(&Method::GET, &"/?token=ab1".parse().unwrap(), &h(&[])), Err(Refusal::Token));
        assert_eq!(g().check(&Method::GET, &bare, &h(&[("x-qantara-token", "ab12")])), Ok(false));
        assert_eq!(
            g().check(&Method::GET, &bare, &h(&[("cookie", "a=b; qantara_review_4321=ab12")])),
            Ok(false)
        );
        // another port's cookie is not this run's
        assert_eq!(
            g().check(&Method::GET, &bare, &h(&[("cookie", "qantara_review_4322=ab12")])),
            Err(Refusal::Token)
        );
    }

    #[test]
    fn writes_need_this_pages_origin() {
        let uri: Uri = "/api/edit".parse().unwrap();
        let base = [("host", "127.0.0.1:4321"), ("x-qantara-token", "ab12")];
        let with = |o: Option<&str>| {
            let mut v = base.to_vec();
            if let Some(o) = o {
                v.push(("origin", o));
            }
            g().check(&Method::POST, &uri, &headers(&v))
        };
        assert_eq!(with(Some("http://127.0.0.1:4321")), Ok(false));
        assert_eq!(with(Some("http://localhost:4321")), Ok(false));
        for bad in [
            None,
            Some("http://evil.example"),
            Some("null"),
            Some("https://127.0.0.1:4321"),
            Some("http://127.0.0.1:9"),
        ] {
            assert!(matches!(with(bad), Err(Refusal::Origin(_))), "{bad:?}");
        }
    }

    #[test]
    fn tokens_are_random_and_long() {
        let (a, b) = (Guard::random_token().unwrap(), Guard::random_token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
