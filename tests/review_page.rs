//! `qantara review` over loopback, on the real binary: the page's safety rules (exact Host,
//! per-run token, Origin on writes, no CORS, bounded bodies, loopback only). Requests are
//! written by hand on a TCP socket so every header is exactly what the test says.

use crate::util::{qantara, seed};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running `qantara review`, killed when dropped.
pub struct Review {
    pub child: Child,
    pub port: u16,
    pub token: String,
    pub url: String,
}

impl Drop for Review {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A memory holding the seed article (and `extra` article folders).
pub fn seeded_tm(dir: &Path, extra: &[&Path]) -> std::path::PathBuf {
    let tm = dir.join("tm.sqlite");
    let out =
        qantara().args(["batch", "--tm", tm.to_str().unwrap(), seed("").to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for e in extra {
        let out =
            qantara().args(["batch", "--tm", tm.to_str().unwrap(), e.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    tm
}

/// Starts `qantara review --no-open` and reads the URL from its first line of output.
pub fn start(tm: &Path, extra: &[&str]) -> Review {
    let bin = assert_cmd::cargo::cargo_bin("qantara");
    let mut child = Command::new(bin)
        .args(["review", "--no-open", "--tm", tm.to_str().unwrap()])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("review starts");
    let mut first = String::new();
    let read = BufReader::new(child.stdout.take().unwrap()).read_line(&mut first);
    if read.is_err() || first.is_empty() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("qantara review printed no URL");
    }
    let url = first.trim().to_string();
    let rest =
        url.strip_prefix("http://127.0.0.1:").unwrap_or_else(|| panic!("first line is not the URL: {url}"));
    let (port, token) = rest.split_once("/?token=").unwrap_or_else(|| panic!("no token in {url}"));
    assert_eq!(token.len(), 64, "{url}");
    Review { port: port.parse().unwrap(), token: token.to_string(), url: url.clone(), child }
}

/// A raw answer: status, headers (lower-case names) and body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Sends one HTTP/1.1 request to 127.0.0.1:`port` with exactly these headers.
pub fn raw(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    // a refused oversized body may be answered before it is all sent
    let _ = s.write_all(body);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status =
        lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer { status, headers, body: body.to_string() }
}

fn host(r: &Review) -> String {
    format!("127.0.0.1:{}", r.port)
}

/// Every unit of the memory with its origin, confidence and texts, read from the file itself.
pub fn units(tm: &Path) -> String {
    let c = rusqlite::Connection::open(tm).unwrap();
    let mut st = c
        .prepare(
            "SELECT u.ord, u.origin, u.confidence, group_concat(t.lang || '=' || t.text, ' | ')
             FROM units u JOIN texts t ON t.unit_id = u.id GROUP BY u.id ORDER BY u.doc_id, u.ord",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| {
            Ok(format!(
                "{} {} {:?} {}",
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<f64>>(2)?,
                r.get::<_, String>(3)?
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_first_line_is_the_url_and_the_page_loads_with_its_token() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&seeded_tm(dir.path(), &[]), &[]);
    assert_eq!(r.url, format!("http://127.0.0.1:{}/?token={}", r.port, r.token));
    let page = raw(r.port, "GET", &format!("/?token={}", r.token), &[("Host", &host(&r))], b"");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<title>qantara review</title>"));
    let cookie = page.header("set-cookie").expect("the first load sets the cookie");
    assert!(
        cookie.contains(&r.token) && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert!(page.header("content-security-policy").is_some_and(|c| c.contains("default-src 'none'")));
    // then the cookie alone, or the header alone, is enough
    let c = format!("qantara_review_{}={}", r.port, r.token);
    let q = raw(r.port, "GET", "/api/queue", &[("Host", &host(&r)), ("Cookie", &c)], b"");
    assert_eq!(q.status, 200, "{}", q.body);
    let v: serde_json::Value = serde_json::from_str(&q.body).unwrap();
    assert_eq!(v["docs"][0], "dgsn-visit-france-2024");
    assert!(!v["entries"].as_array().unwrap().is_empty());
    let js = raw(r.port, "GET", "/app.js", &[("Host", &host(&r)), ("X-Qantara-Token", &r.token)], b"");
    assert_eq!(js.status, 200);
    assert!(js.header("content-type").unwrap().starts_with("text/javascript"));
}

#[test]
fn a_wrong_host_is_refused_before_anything_else() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&seeded_tm(dir.path(), &[]), &[]);
    let path = format!("/?token={}", r.token);
    let p = r.port;
    for bad in [
        format!("evil.example:{p}"),
        format!("127.0.0.1.nip.io:{p}"),
        format!("localhost.evil.example:{p}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{}", p.wrapping_add(1)),
        format!("0.0.0.0:{p}"),
    ] {
        let a = raw(p, "GET", &path, &[("Host", &bad)], b"");
        assert_eq!(a.status, 403, "Host {bad}: {}", a.body);
        assert!(a.body.contains("Host"), "{}", a.body);
        assert!(a.header("set-cookie").is_none(), "Host {bad} got the cookie");
    }
    let none = raw(p, "GET", &path, &[], b"");
    assert_eq!(none.status, 403, "no Host: {}", none.body);
    for ok in [format!("127.0.0.1:{p}"), format!("localhost:{p}"), format!("[::1]:{p}")] {
        assert_eq!(raw(p, "GET", &path, &[("Host", &ok)], b"").status, 200, "Host {ok}");
    }
}

#[test]
fn a_missing_or_wrong_token_is_refused_on_every_route() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&seeded_tm(dir.path(), &[]), &[]);
    let h = host(&r);
    let mut wrong = r.token.clone();
    wrong.replace_range(0..1, if wrong.starts_with('0') { "1" } else { "0" });
    for path in
        ["/", "/app.js", "/style.css", "/api/queue", "/api/doc?name=dgsn-visit-france-2024", "/nothing"]
    {
        let a = raw(r.port, "GET", path, &[("Host", &h)], b"");
        assert_eq!(a.status, 401, "{path} without token: {}", a.body);
        let sep = if path.contains('?') { '&' } else { '?' };
        let a = raw(r.port, "GET", &format!("{path}{sep}token={wrong}"), &[("Host", &h)], b"");
        assert_eq!(a.status, 401, "{path} with a wrong token");
        let a = raw(r.port, "GET", path, &[("Host", &h), ("X-Qantara-Token", &wrong)], b"");
        assert_eq!(a.status, 401, "{path} with a wrong header");
        let c = format!("qantara_review_{}={wrong}", r.port);
        let a = raw(r.port, "GET", path, &[("Host", &h), ("Cookie", &c)], b"");
        assert_eq!(a.status, 401, "{path} with a wrong cookie");
        let v: serde_json::Value = serde_json::from_str(&a.body).expect("errors are JSON");
        assert_eq!(v["error"]["status"], 401);
    }
    let edit = br#"{"doc":"dgsn-visit-france-2024","edit":{"op":"confirm","bead":0}}"#;
    let origin = format!("http://{h}");
    let a = raw(
        r.port,
        "POST",
        "/api/edit",
        &[("Host", &h), ("Origin", &origin), ("Content-Type", "application/json")],
        edit,
    );
    assert_eq!(a.status, 401, "write without token: {}", a.body);
}

#[test]
fn a_write_from_a_foreign_origin_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let tm = seeded_tm(dir.path(), &[]);
    let before = units(&tm);
    let r = start(&tm, &[]);
    let h = host(&r);
    let edit = br#"{"doc":"dgsn-visit-france-2024","edit":{"op":"confirm_all_above","bead":5}}"#;
    let base =
        [("Host", h.as_str()), ("X-Qantara-Token", r.token.as_str()), ("Content-Type", "application/json")];
    let p = r.port.to_string();
    for origin in [
        Some("http://evil.example".to_string()),
        Some("null".to_string()),
        Some(format!("http://evil.example:{p}")),
        Some(format!("https://127.0.0.1:{p}")),
        Some(format!("http://127.0.0.1:{}", r.port.wrapping_add(1))),
        None,
    ] {
        let mut hs = base.to_vec();
        if let Some(o) = &origin {
            hs.push(("Origin", o));
        }
        let a = raw(r.port, "POST", "/api/edit", &hs, edit);
        assert_eq!(a.status, 403, "Origin {origin:?}: {}", a.body);
        assert!(a.body.contains("Origin"), "{}", a.body);
    }
    // the cookie does not help a foreign page either
    let c = format!("qantara_review_{}={}", r.port, r.token);
    let a = raw(
        r.port,
        "POST",
        "/api/edit",
        &[("Host", &h), ("Cookie", &c), ("Origin", "http://evil.example")],
        edit,
    );
    assert_eq!(a.status, 403);
    drop(r);
    assert_eq!(units(&tm), before, "a refused write changed the memory");
}

#[test]
fn no_cors_and_bounded_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&seeded_tm(dir.path(), &[]), &[]);
    let h = host(&r);
    let origin = format!("http://{h}");
    // a preflight from another page gets no Access-Control-* header
    let pre = raw(
        r.port,
        "OPTIONS",
        "/api/edit",
        &[("Host", &h), ("Origin", "http://evil.example"), ("Access-Control-Request-Method", "POST")],
        b"",
    );
    assert!(pre.status >= 400, "preflight answered {}", pre.status);
    let q = raw(
        r.port,
        "GET",
        "/api/queue",
        &[("Host", &h), ("X-Qantara-Token", &r.token), ("Origin", "http://evil.example")],
        b"",
    );
    assert_eq!(q.status, 200);
    for a in [&pre, &q] {
        assert!(
            !a.headers.iter().any(|(k, _)| k.starts_with("access-control-")),
            "CORS header in {:?}",
            a.headers
        );
    }
    let big = vec![b' '; 70 * 1024];
    let a = raw(
        r.port,
        "POST",
        "/api/edit",
        &[
            ("Host", &h),
            ("X-Qantara-Token", &r.token),
            ("Origin", &origin),
            ("Content-Type", "application/json"),
        ],
        &big,
    );
    assert_eq!(a.status, 413, "{}", a.body);
}

/// The sockets listening on `port` (IPv4 and IPv6), as `/proc/net/tcp*` hex local addresses.
fn listeners(port: u16) -> Vec<String> {
    let mut out = Vec::new();
    for f in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(f) else { continue };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() > 3 && cols[3] == "0A" {
                if let Some((addr, p)) = cols[1].rsplit_once(':') {
                    if u16::from_str_radix(p, 16) == Ok(port) {
                        out.push(addr.to_string());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn nothing_listens_on_a_non_loopback_address() {
    if !Path::new("/proc/net/tcp").exists() {
        eprintln!("note: no /proc/net/tcp here; the listening sockets are not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let tm = seeded_tm(dir.path(), &[]);
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let r = start(&tm, &["--port", &free.to_string()]);
    assert_eq!(r.port, free, "--port is honoured");
    let ls = listeners(r.port);
    // 127.0.0.1 in /proc's little-endian hex; nothing on 0.0.0.0, :: or any other address
    assert_eq!(ls, vec!["0100007F".to_string()], "listening sockets on port {}: {ls:?}", r.port);
    // a second page cannot take the same port
    let out = qantara()
        .args(["review", "--no-open", "--tm", tm.to_str().unwrap(), "--port", &free.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot listen on 127.0.0.1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_unknown_document_is_an_error_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let tm = seeded_tm(dir.path(), &[]);
    let out = qantara()
        .args(["review", "--no-open", "--tm", tm.to_str().unwrap(), "no-such-doc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no document \"no-such-doc\""));
    assert!(out.stdout.is_empty(), "no URL printed for a page that does not start");
}
