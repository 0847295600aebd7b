//! A small W3C WebDriver client for the browser tests: Debian's `chromedriver` driving
//! headless `chromium`, spoken to in JSON over loopback HTTP with `ureq` (already a
//! dev-dependency). The protocol's few calls the tests need — new session, navigate, execute
//! a script, press keys, screenshot — are a dozen lines each; a full client crate would add
//! some sixty crates to every `cargo test` build for them.

use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the browser and its driver are, or why the tests cannot run here.
pub fn find() -> Result<(String, String), String> {
    let driver = std::env::var("QANTARA_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let browser = std::env::var("QANTARA_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    for p in [&driver, &browser] {
        if !std::path::Path::new(p).exists() {
            return Err(format!("{p} not found (apt-get install chromium chromium-driver)"));
        }
    }
    Ok((driver, browser))
}

/// A running chromedriver with one browser session; both end when dropped.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn send(method: &str, url: &str, body: Option<&Value>) -> Result<Value, String> {
    let a = agent();
    let res = match (method, body) {
        ("GET", _) => a.get(url).call(),
        ("DELETE", _) => a.delete(url).call(),
        (_, b) => a
            .post(url)
            .header("Content-Type", "application/json")
            .send(b.map(Value::to_string).unwrap_or_else(|| "{}".into()).as_bytes()),
    };
    let mut res = res.map_err(|e| format!("{method} {url}: {e}"))?;
    let status = res.status().as_u16();
    let text = res.body_mut().with_config().limit(64 << 20).read_to_string().map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{method} {url}: {e}: {text}"))?;
    if status >= 400 {
        return Err(format!("{method} {url}: {status}: {}", v["value"]["message"]));
    }
    Ok(v["value"].clone())
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a headless browser window.
    pub fn start(driver: &str, browser: &str) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let mut b = Browser { driver: child, base, session: String::new() };
        let deadline = Instant::now() + Duration::from_secs(30);
        while send("GET", &format!("{}/status", b.base), None).map(|v| v["ready"] == true) != Ok(true) {
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1400,900", "--lang=en-GB", "--no-first-run"]
            }
        }}});
        let v = send("POST", &format!("{}/session", b.base), Some(&caps)).expect("a browser session");
        b.session = v["sessionId"].as_str().expect("a session id").to_string();
        b
    }

    fn url(&self, rest: &str) -> String {
        format!("{}/session/{}/{rest}", self.base, self.session)
    }

    /// Opens `url`.
    pub fn goto(&self, url: &str) {
        send("POST", &self.url("url"), Some(&json!({"url": url}))).unwrap();
    }

    /// Reloads the page.
    pub fn refresh(&self) {
        send("POST", &self.url("refresh"), Some(&json!({}))).unwrap();
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
    pub fn js(&self, script: &str, args: Value) -> Value {
        send("POST", &self.url("execute/sync"), Some(&json!({"script": script, "args": args})))
            .unwrap_or_else(|e| panic!("{e}\nscript: {script}"))
    }

    /// Waits until `script` returns a truthy value (30 s at most) and returns it.
    pub fn wait(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = self.js(script, json!([]));
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses `keys` one after the other, as a person on the keyboard would (key down, up).
    pub fn keys(&self, keys: &str) {
        let mut actions = Vec::new();
        for k in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": k.to_string()}));
            actions.push(json!({"type": "keyUp", "value": k.to_string()}));
        }
        let body = json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]});
        send("POST", &self.url("actions"), Some(&body)).unwrap();
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Vec<u8> {
        let v = send("GET", &self.url("screenshot"), None).unwrap();
        base64_decode(v.as_str().expect("base64 PNG"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = send("DELETE", &format!("{}/session/{}", self.base, self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Standard base64 (RFC 4648, with padding) to bytes.
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64_decode("aGVsbG8gd29ybGQ="), b"hello world");
    assert_eq!(base64_decode("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
}
