//! `qantara serve` over loopback: the real binary, on an SQLite file and (twins) on
//! PostgreSQL. Every endpoint with every role, bad and revoked tokens, oversized bodies and
//! malformed JSON (a JSON 4xx and nothing stored); responses are checked against the schemas
//! of `/v1/openapi.json`, and the spec itself with `openapi-spec-validator` when installed.

use crate::stores::fresh_tm;
use crate::util::{qantara, root, seed};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running server, killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `qantara serve` on a free loopback port and waits until it is ready.
pub fn start(tm: &Path, tokens: &Path, extra: &[&str]) -> Server {
    let bin = assert_cmd::cargo::cargo_bin("qantara");
    let mut child = Command::new(bin)
        .args(["serve", "--tm", tm.to_str().unwrap(), "--tokens", tokens.to_str().unwrap()])
        .args(["--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let log2 = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listen=").nth(1) {
                let _ = tx.send(rest.split_whitespace().next().unwrap_or("").to_string());
            }
            log2.lock().unwrap().push_str(&(line + "\n"));
        }
    });
    let Ok(addr) = rx.recv_timeout(std::time::Duration::from_secs(60)) else {
        // Never leave a half-started server behind.
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not start: {}", log.lock().unwrap());
    };
    Server { child, base: format!("http://{addr}"), log }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// A response: status and parsed JSON body (Null when not JSON) and raw text.
pub struct Reply {
    pub status: u16,
    pub json: Value,
    pub text: String,
}

/// Sends a request with an optional bearer token and body.
pub fn call(method: &str, url: &str, token: Option<&str>, body: Option<&[u8]>) -> Reply {
    let a = agent();
    let auth = token.map(|t| format!("Bearer {t}"));
    let res = match (method, body) {
        ("GET" | "DELETE", _) => {
            let mut r = if method == "GET" { a.get(url) } else { a.delete(url) };
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.call()
        }
        (_, b) => {
            let mut r = if method == "PUT" { a.put(url) } else { a.post(url) };
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.header("Content-Type", "application/json").send(b.unwrap_or(b""))
        }
    };
    let mut res = res.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = res.status().as_u16();
    let text = res.body_mut().with_config().limit(1 << 30).read_to_string().unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, json, text }
}

fn token(file: &Path, name: &str, role: &str) -> String {
    let out = qantara()
        .args(["token", "add", name, "--role", role, "--tokens", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn cli_json(args: &[&str]) -> Value {
    let out = qantara().args(args).output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{args:?}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// The OpenAPI document of the binary.
fn spec() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("src/serve/openapi.json")).unwrap()).unwrap()
}

/// Checks `v` against a JSON Schema subset (type, required, properties, items, additional
/// properties, oneOf, enum, $ref into components) and returns the first mismatch.
fn conforms(spec: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return conforms(spec, &spec["components"]["schemas"][name], v, at);
    }
    if let Some(alts) = schema["oneOf"].as_array() {
        let ok = alts.iter().filter(|s| conforms(spec, s, v, at).is_ok()).count();
        return if ok == 1 { Ok(()) } else { Err(format!("{at}: matches {ok} of oneOf")) };
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let is = |t: &str| match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    };
    if !types.is_empty() && !types.iter().any(|t| is(t)) {
        return Err(format!("{at}: {v} is not {types:?}"));
    }
    if let Some(e) = schema["enum"].as_array() {
        if !e.contains(v) {
            return Err(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let Some(o) = v.as_object() {
        for r in schema["required"].as_array().into_iter().flatten() {
            let r = r.as_str().unwrap();
            if !o.contains_key(r) {
                return Err(format!("{at}: missing {r}"));
            }
        }
        for (k, x) in o {
            if let Some(s) = schema["properties"].get(k) {
                conforms(spec, s, x, &format!("{at}.{k}"))?;
            } else if let Some(s) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                conforms(spec, s, x, &format!("{at}.{k}"))?;
            }
        }
    }
    if let (Some(a), Some(items)) = (v.as_array(), schema.get("items")) {
        for (i, x) in a.iter().enumerate() {
            conforms(spec, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// Asserts that a reply has the status and the body the spec gives for it.
fn documented(spec: &Value, path: &str, method: &str, r: &Reply, status: u16) {
    assert_eq!(r.status, status, "{method} {path}: {}", r.text);
    let resp = &spec["paths"][path][method]["responses"][status.to_string()];
    assert!(resp.is_object(), "{method} {path}: status {status} is not documented");
    if let Some(schema) = resp["content"]["application/json"].get("schema") {
        conforms(spec, schema, &r.json, &format!("{method} {path} {status}")).unwrap();
    }
}

fn tmx(units: &[(&str, &str)], doc: &str) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" \
         creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"ar\" \
         datatype=\"plaintext\"/><body>\n",
    );
    for (ar, fr) in units {
        s.push_str(&format!(
            "<tu><prop type=\"x-doc\">{doc}</prop><tuv xml:lang=\"ar\"><seg>{ar}</seg></tuv>\
             <tuv xml:lang=\"fr\"><seg>{fr}</seg></tuv></tu>\n"
        ));
    }
    s.push_str("</body></tmx>\n");
    s
}

fn units(base: &str, tok: &str) -> u64 {
    let d = call("GET", &format!("{base}/v1/documents"), Some(tok), None);
    d.json["documents"].as_array().unwrap().iter().map(|d| d["units"].as_u64().unwrap()).sum()
}

#[test]
fn every_endpoint_every_role_and_every_refusal() {
    let tmp = tempfile::tempdir().unwrap();
    let tm: PathBuf = fresh_tm(tmp.path(), "tm.sqlite");
    let tm_s = tm.to_str().unwrap();
    qantara().args(["batch", seed("").to_str().unwrap(), "--tm", tm_s]).assert().success();
    let tokens = tmp.path().join("tokens.tsv");
    let (read, write, admin) =
        (token(&tokens, "luc", "read"), token(&tokens, "amina", "write"), token(&tokens, "chef", "admin"));
    let list = cli_json(&["token", "list", "--json", "--tokens", tokens.to_str().unwrap()]);
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert!(!std::fs::read_to_string(&tokens).unwrap().contains(&read), "tokens are stored hashed");
    let srv = start(&tm, &tokens, &["--max-body", "20000"]);
    let b = srv.base.clone();
    let spec = spec();

    // Health needs no token; everything else needs one.
    documented(&spec, "/v1/health", "get", &call("GET", &format!("{b}/v1/health"), None, None), 200);
    let r = call("GET", &format!("{b}/v1/openapi.json"), Some(&read), None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json, spec, "the server serves the OpenAPI file of the repository");
    for (m, p) in
        [("GET", "/v1/documents"), ("POST", "/v1/lookup"), ("GET", "/v1/export"), ("GET", "/v1/term?q=DGSN")]
    {
        let path = p.split('?').next().unwrap();
        let method = m.to_lowercase();
        let none = call(m, &format!("{b}{p}"), None, Some(b"{}"));
        documented(&spec, path, &method, &none, 401);
        let bad = call(m, &format!("{b}{p}"), Some("qt_not-a-token"), Some(b"{}"));
        documented(&spec, path, &method, &bad, 401);
        assert!(bad.json["error"]["message"].as_str().unwrap().contains("token"));
    }

    // Lookup: the object `lookup --json` prints.
    let fr = std::fs::read_to_string(seed("dgsn-visit-france-2024/fr.txt")).unwrap();
    let lines: Vec<&str> = fr.lines().map(str::trim).filter(|l| l.split(' ').count() > 12).collect();
    let q = lines[1].replacen("deux", "trois", 1);
    let body = json!({"text": q, "lang": "fr", "to": ["ar"], "min": 60});
    let r = call("POST", &format!("{b}/v1/lookup"), Some(&read), Some(body.to_string().as_bytes()));
    documented(&spec, "/v1/lookup", "post", &r, 200);
    let cli = cli_json(&["lookup", &q, "--lang", "fr", "--to", "ar", "--min", "60", "--json", "--tm", tm_s]);
    assert_eq!(r.json, cli, "the API answers what the CLI prints");
    assert!(!r.json["matches"].as_array().unwrap().is_empty());

    // Segments with context: a stored sentence between its stored neighbours scores 101.
    let doc = cli["matches"][0]["doc"].as_str().unwrap().to_string();
    let d = call("GET", &format!("{b}/v1/documents/{doc}"), Some(&read), None);
    documented(&spec, "/v1/documents/{id}", "get", &d, 200);
    let us = d.json["units"].as_array().unwrap();
    let text_fr = |u: &Value| {
        u["texts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["lang"] == "fr")
            .map(|t| t["text"].as_str().unwrap().to_string())
    };
    let i = (1..us.len() - 1)
        .find(|&i| (i - 1..=i + 1).all(|j| text_fr(&us[j]).is_some_and(|t| t.split(' ').count() > 6)))
        .expect("a unit with French neighbours");
    let (prev, mid, next) =
        (text_fr(&us[i - 1]).unwrap(), text_fr(&us[i]).unwrap(), text_fr(&us[i + 1]).unwrap());
    let segs = json!({"segments": [
        {"text": mid, "lang": "fr", "prev": prev, "next": next},
        {"text": mid, "lang": "fr", "prev": "Une phrase qui ne précède pas."},
        {"text": q, "lang": "fr", "min": 60},
    ]});
    let r = call("POST", &format!("{b}/v1/lookup"), Some(&read), Some(segs.to_string().as_bytes()));
    documented(&spec, "/v1/lookup", "post", &r, 200);
    assert_eq!(r.json[0]["matches"][0]["score"], 101, "context match");
    assert_eq!(r.json[1]["matches"][0]["score"], 100, "wrong context: a plain 100");
    assert_eq!(r.json[2]["matches"][0]["source"], cli["matches"][0]["source"]);

    // Concordance, term, check: the CLI's JSON.
    let r =
        call("GET", &format!("{b}/v1/concordance?q=S%C3%BBret%C3%A9%20nationale&lang=fr"), Some(&read), None);
    documented(&spec, "/v1/concordance", "get", &r, 200);
    assert_eq!(
        r.json,
        cli_json(&["concordance", "Sûreté nationale", "--lang", "fr", "--json", "--tm", tm_s])
    );
    let r = call("GET", &format!("{b}/v1/term?q=D.G.S.I.&to=ar"), Some(&read), None);
    documented(&spec, "/v1/term", "get", &r, 200);
    assert_eq!(r.json, cli_json(&["term", "D.G.S.I.", "--to", "ar", "--json"]));
    let (ar_p, fr_p) = (seed("dgsn-visit-france-2024/ar.txt"), seed("dgsn-visit-france-2024/fr.txt"));
    let body =
        json!({"source": std::fs::read_to_string(&ar_p).unwrap(), "target": fr, "langs": ["ar", "fr"]});
    let r = call("POST", &format!("{b}/v1/check"), Some(&read), Some(body.to_string().as_bytes()));
    documented(&spec, "/v1/check", "post", &r, 200);
    let cli =
        cli_json(&["check", ar_p.to_str().unwrap(), fr_p.to_str().unwrap(), "--langs", "ar,fr", "--json"]);
    assert_eq!(r.json, cli);

    // Documents: list, store (write), refuse (read), delete (admin only).
    let r = call("GET", &format!("{b}/v1/documents"), Some(&read), None);
    documented(&spec, "/v1/documents", "get", &r, 200);
    let before = units(&b, &read);
    let put = json!({"units": [
        {"texts": {"ar": "افتتح الوالي مفوضية جديدة للشرطة.", "fr": "Le wali a inauguré un nouveau commissariat."}, "confidence": 0.9},
        {"texts": {"ar": "حضر الحفل مسؤولون أمنيون.", "fr": "Des responsables de la sécurité ont assisté à la cérémonie."}},
    ]});
    let url = format!("{b}/v1/documents/desk-note-1");
    let r = call("PUT", &url, Some(&read), Some(put.to_string().as_bytes()));
    documented(&spec, "/v1/documents/{id}", "put", &r, 403);
    assert_eq!(units(&b, &read), before, "a refused write stores nothing");
    let r = call("PUT", &url, Some(&write), Some(put.to_string().as_bytes()));
    documented(&spec, "/v1/documents/{id}", "put", &r, 200);
    assert_eq!(r.json["write"]["units"], 2);
    let r = call("PUT", &url, Some(&admin), Some(put.to_string().as_bytes()));
    assert_eq!((r.status, &r.json["write"]["replaced"]), (200, &json!(2)), "re-storing replaces");
    assert_eq!(units(&b, &read), before + 2);
    let one_lang = json!({"units": [{"texts": {"fr": "Seul."}}]});
    let r = call("PUT", &url, Some(&write), Some(one_lang.to_string().as_bytes()));
    documented(&spec, "/v1/documents/{id}", "put", &r, 422);
    let r = call("DELETE", &url, Some(&write), None);
    documented(&spec, "/v1/documents/{id}", "delete", &r, 403);
    let r = call("DELETE", &url, Some(&admin), None);
    documented(&spec, "/v1/documents/{id}", "delete", &r, 200);
    assert_eq!(r.json["units"], 2);
    documented(&spec, "/v1/documents/{id}", "get", &call("GET", &url, Some(&read), None), 404);
    documented(&spec, "/v1/documents/{id}", "delete", &call("DELETE", &url, Some(&admin), None), 404);
    assert_eq!(units(&b, &read), before);

    // Import (write) of a TMX upload; a broken one stores nothing.
    let file = tmx(
        &[
            ("عقدت المديرية اجتماعا.", "La direction a tenu une réunion."),
            ("ووقع الطرفان اتفاقا.", "Les deux parties ont signé un accord."),
        ],
        "vendor-a",
    );
    let imp = |tok: &str, body: &str| {
        let a = agent();
        let mut res = a
            .post(format!("{b}/v1/imports?name=vendor.tmx"))
            .header("Authorization", format!("Bearer {tok}"))
            .send(body.as_bytes())
            .unwrap();
        let status = res.status().as_u16();
        let text = res.body_mut().read_to_string().unwrap();
        Reply { status, json: serde_json::from_str(&text).unwrap_or(Value::Null), text }
    };
    documented(&spec, "/v1/imports", "post", &imp(&read, &file), 403);
    let r = imp(&write, &file);
    documented(&spec, "/v1/imports", "post", &r, 200);
    assert_eq!(r.json["units"], 2);
    let broken = &file[..file.len() - 30];
    documented(&spec, "/v1/imports", "post", &imp(&write, broken), 422);
    assert_eq!(units(&b, &read), before + 2);

    // Export (read).
    let r = call("GET", &format!("{b}/v1/export?format=tmx&every_unit=true"), Some(&read), None);
    assert_eq!(r.status, 200);
    assert!(r.text.contains("<tmx") && r.text.contains("ووقع الطرفان اتفاقا."));
    let r = call("GET", &format!("{b}/v1/export?format=docx"), Some(&read), None);
    assert_eq!(r.status, 422);

    // Malformed JSON, unknown fields, oversized bodies and batches: JSON 4xx, nothing stored.
    for bad in [&b"{\"text\": \"x\""[..], b"not json", b"{\"segments\": 3}"] {
        let r = call("POST", &format!("{b}/v1/lookup"), Some(&read), Some(bad));
        documented(&spec, "/v1/lookup", "post", &r, 400);
        assert!(r.json["error"]["message"].as_str().unwrap().contains("JSON"), "{}", r.text);
    }
    let r = call("PUT", &url, Some(&write), Some(b"{\"units\": [ {\"texts\": "));
    documented(&spec, "/v1/documents/{id}", "put", &r, 400);
    let huge = json!({"units": [{"texts": {"ar": "ب".repeat(30_000), "fr": "x"}}]});
    let r = call("PUT", &url, Some(&write), Some(huge.to_string().as_bytes()));
    documented(&spec, "/v1/documents/{id}", "put", &r, 413);
    let many = json!({"segments": vec![json!({"text": "x", "lang": "fr"}); 1001]});
    let r = call("POST", &format!("{b}/v1/lookup"), Some(&read), Some(many.to_string().as_bytes()));
    assert!(matches!(r.status, 413), "{}", r.status);
    assert_eq!(units(&b, &read), before + 2, "nothing stored by refused requests");
    let r = call("GET", &format!("{b}/v1/nothing"), Some(&read), None);
    assert_eq!((r.status, r.json["error"]["code"].as_str()), (404, Some("not-found")));

    // A revoked token is refused at once, without a restart.
    qantara().args(["token", "revoke", "luc", "--tokens", tokens.to_str().unwrap()]).assert().success();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(call("GET", &format!("{b}/v1/documents"), Some(&read), None).status, 401);
    assert_eq!(call("GET", &format!("{b}/v1/documents"), Some(&write), None).status, 200);
    let log = srv.log.lock().unwrap().clone();
    assert!(log.contains("request") && log.contains("status=401"), "one log line per request: {log}");
}

#[test]
fn the_openapi_file_is_a_valid_openapi_document() {
    let have = Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        assert!(std::env::var_os("CI").is_none(), "CI: pip install openapi-spec-validator (.ci/run does)");
        eprintln!(
            "note: openapi-spec-validator is not installed (pip install openapi-spec-validator); spec not validated"
        );
        return;
    }
    let out = Command::new("python3")
        .args(["-m", "openapi_spec_validator", root().join("src/serve/openapi.json").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Every route of the server is described.
    let spec = spec();
    for p in [
        "/v1/health",
        "/v1/lookup",
        "/v1/concordance",
        "/v1/term",
        "/v1/check",
        "/v1/documents",
        "/v1/documents/{id}",
        "/v1/imports",
        "/v1/export",
        "/v1/openapi.json",
    ] {
        assert!(spec["paths"][p].is_object(), "{p} is not described");
    }
}

#[test]
fn sigterm_lets_the_server_finish_and_exit_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let tm = fresh_tm(tmp.path(), "tm.sqlite");
    let tokens = tmp.path().join("tokens.tsv");
    token(&tokens, "a", "read");
    let mut srv = start(&tm, &tokens, &[]);
    let pid = srv.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = srv.child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    assert!(srv.log.lock().unwrap().contains("shutting down"));
}

crate::postgres_twins!(
    every_endpoint_every_role_and_every_refusal,
    sigterm_lets_the_server_finish_and_exit_cleanly
);
