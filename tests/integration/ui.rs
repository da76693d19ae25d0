//! `uvtool ui` driven as a process on 127.0.0.1:0: the page and its
//! security headers, `POST /api/inspect` for valid, expired, wrong-kid and
//! malformed tokens (the same verdict as `verify --json`), the refusals
//! (foreign Host, foreign Origin, oversized body, wrong method, wrong
//! Content-Type), logs that never hold a token, and the page in a real
//! headless Chromium (`tests/browser/ui_browser.py`).

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::serve::{get, raw, Resp, Serve};
use crate::common::token::{self, key_a};
use crate::common::{fixture, fixture_str, uvtool};

const ISS: &str = "https://example.com";

fn start(extra: &[&str]) -> Serve {
    let mut args: Vec<OsString> = vec![
        "ui".into(),
        "--jwks".into(),
        fixture("keys/a/jwks.json").into(),
        "--iss".into(),
        ISS.into(),
        "--port".into(),
        "0".into(),
    ];
    args.extend(extra.iter().map(Into::into));
    Serve::spawn(&args)
}

/// A token signed with fixture key a; `extra` are more `mint` flags.
fn mint(extra: &[&str]) -> String {
    let key = key_a();
    token::mint(&[&["--key", &key, "--sub", "user-1", "--iss", ISS], extra].concat())
}

fn valid_token() -> String {
    mint(&["--kid", "fixture-a", "--ttl", "10m"])
}

fn expired_token() -> String {
    mint(&[
        "--kid",
        "fixture-a",
        "--iat",
        "1700000000",
        "--exp",
        "1700000600",
    ])
}

/// POST a body to /api/inspect with the right Host and Origin unless
/// `headers` says otherwise.
fn post(addr: SocketAddr, body: &str, headers: &str) -> Resp {
    let host = if headers.to_ascii_lowercase().contains("host:") {
        String::new()
    } else {
        format!("Host: {addr}\r\n")
    };
    let req = format!(
        "POST /api/inspect HTTP/1.1\r\n{host}{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    raw(addr, req.as_bytes())
}

fn inspect(addr: SocketAddr, token: &str) -> Value {
    let body = serde_json::json!({ "token": token }).to_string();
    let r = post(
        addr,
        &body,
        &format!("Origin: http://{addr}\r\nContent-Type: application/json\r\n"),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("application/json"));
    serde_json::from_slice(&r.body).unwrap()
}

fn json(r: &Resp) -> Value {
    serde_json::from_slice(&r.body)
        .unwrap_or_else(|e| panic!("{e}: {:?}", String::from_utf8_lossy(&r.body)))
}

/// `verify --json --profile PROFILE` on the same token and keys.
fn verify_json(token: &str, profile: &str) -> Value {
    let out = uvtool()
        .args(["verify", "--json", "--profile", profile])
        .args(["--jwks", &fixture_str("keys/a/jwks.json")])
        .args(["--iss", ISS, token])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every member of `verify --json`'s answer is in the page's verdicts, equal,
/// under both profiles.
fn same_as_verify(verdicts: &Value, token: &str) {
    for profile in ["platform", "rfc"] {
        same_as_verify_under(&verdicts[profile], token, profile);
    }
}

fn same_as_verify_under(page: &Value, token: &str, profile: &str) {
    let cli = verify_json(token, profile);
    for (k, v) in cli.as_object().unwrap() {
        // Where the CLI read the token (issue 23's sources); the page has
        // one token and no such thing.
        if k == "source" || k == "line" {
            continue;
        }
        assert_eq!(&page[k], v, "member {k:?}: page {page} vs verify {cli}");
    }
}

#[test]
fn serves_the_page_with_a_strict_csp_and_no_external_assets() {
    let s = start(&["--quiet"]);
    assert!(
        s.url.starts_with("http://127.0.0.1:") && s.url.ends_with('/'),
        "{}",
        s.url
    );
    let csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let r = get(s.addr, path, "");
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(kind), "{path}");
        assert_eq!(r.header("content-security-policy"), Some(csp), "{path}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        // (The SVG namespace is a name, not a place anything is loaded from.)
        let body = String::from_utf8(r.body)
            .unwrap()
            .replace("http://www.w3.org/2000/svg", "");
        // Nothing is loaded from elsewhere; no inline script or style.
        for bad in [
            "http://",
            "https://",
            "//cdn",
            "<script>",
            "style=\"",
            "onclick",
            "innerHTML",
        ] {
            assert!(!body.contains(bad), "{path} contains {bad:?}");
        }
    }
    let html = String::from_utf8(get(s.addr, "/", "").body).unwrap();
    assert!(html.contains("<script src=\"/app.js\" defer></script>"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/style.css\">"));
    assert_eq!(get(s.addr, "/nope", "").status, 404);
    let r = raw(
        s.addr,
        format!(
            "DELETE / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            s.addr
        )
        .as_bytes(),
    );
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
}

#[test]
fn inspects_valid_expired_wrong_kid_and_malformed_tokens_as_verify_does() {
    let s = start(&["--auth-id", "MyConfig", "--quiet"]);

    let t = valid_token();
    let v = inspect(s.addr, &t);
    for p in ["platform", "rfc"] {
        let verdict = &v["verdicts"][p];
        assert_eq!(verdict["valid"], true, "{p}: {verdict}");
        assert_eq!(verdict["code"], Value::Null);
        assert_eq!(verdict["profile"], p);
        assert_eq!(
            verdict["platform_key"],
            "v2/iamessage/AUTH/MyConfig/uid:user-1"
        );
    }
    same_as_verify(&v["verdicts"], &t);
    assert_eq!(v["claims"]["sub"], "user-1");
    assert!(
        v["times"]["exp"]["text"]
            .as_str()
            .unwrap()
            .starts_with("expires in "),
        "{v}"
    );
    assert_eq!(
        v["platform_key"]["key"],
        "v2/iamessage/AUTH/MyConfig/uid:user-1"
    );
    let key = &v["keys"][0];
    assert_eq!(key["kid"], "fixture-a");
    assert_eq!(key["bits"], 2048);
    assert_eq!(key["verified"], true);
    assert_eq!(key["named"], true);
    assert!(key["thumbprint"].as_str().unwrap().len() == 43, "{key}");
    assert!(key["cert"]["not_after"].is_i64(), "{key}");
    let tl = &v["timeline"];
    assert!(
        tl["exp"].is_i64() && tl["iat"].is_i64() && tl["now"].is_i64(),
        "{tl}"
    );
    assert_eq!(tl["leeway"], 60);
    assert!(tl["cert"]["not_after"].is_i64(), "{tl}");

    let t = expired_token();
    let v = inspect(s.addr, &t);
    for p in ["platform", "rfc"] {
        let verdict = &v["verdicts"][p];
        assert_eq!(verdict["valid"], false, "{p}: {verdict}");
        assert_eq!(verdict["code"], "exp", "{p}: {verdict}");
        assert_eq!(verdict["rule"], "T5", "{p}: {verdict}");
        assert!(
            verdict["reason"].as_str().unwrap().starts_with("expired "),
            "{verdict}"
        );
        assert_eq!(verdict["platform_key"], Value::Null);
    }
    same_as_verify(&v["verdicts"], &t);
    assert!(v["times"]["exp"]["text"]
        .as_str()
        .unwrap()
        .starts_with("expired "));
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "T5" && f["fix"].is_string()),
        "{}",
        v["findings"]
    );
    assert!(
        v["platform_key"]["note"]
            .as_str()
            .unwrap()
            .contains("unverified"),
        "{}",
        v["platform_key"]
    );

    let t = mint(&["--kid", "nope"]);
    let v = inspect(s.addr, &t);
    for p in ["platform", "rfc"] {
        let verdict = &v["verdicts"][p];
        assert_eq!(verdict["valid"], false);
        assert_eq!(verdict["code"], "kid", "{verdict}");
        assert!(
            verdict["reason"]
                .as_str()
                .unwrap()
                .contains("kid \"nope\" is not in"),
            "{verdict}"
        );
    }
    same_as_verify(&v["verdicts"], &t);
    assert_eq!(v["keys"][0]["named"], false);
    assert_eq!(v["keys"][0]["verified"], false);

    let v = inspect(s.addr, "eyJhbGciOiJSUzI1NiJ9.not-json.sig");
    for p in ["platform", "rfc"] {
        let verdict = &v["verdicts"][p];
        assert_eq!(verdict["valid"], false);
        assert_eq!(verdict["code"], "malformed", "{verdict}");
        assert_eq!(verdict["rule"], "T0");
        assert!(verdict["reason"]
            .as_str()
            .unwrap()
            .starts_with("malformed token: "));
    }
    same_as_verify(&v["verdicts"], "eyJhbGciOiJSUzI1NiJ9.not-json.sig");
    assert_eq!(v["header"], Value::Null);
    assert!(v["decode_error"].is_string());

    // A token the RFC profile accepts but the platform does not (no sub, T3).
    let t = token::mint(&["--key", &key_a(), "--iss", ISS, "--kid", "fixture-a"]);
    let v = inspect(s.addr, &t);
    assert_eq!(v["verdicts"]["rfc"]["valid"], true, "{v}");
    let p = &v["verdicts"]["platform"];
    assert_eq!(p["valid"], false, "{p}");
    assert_eq!(p["code"], "sub");
    assert_eq!(p["rule"], "T3");
    assert!(
        p["reason"].as_str().unwrap().starts_with("no sub claim"),
        "{p}"
    );
}

#[test]
fn refuses_foreign_host_foreign_origin_big_bodies_and_wrong_methods() {
    let s = start(&[]);
    let addr = s.addr;
    let ok_body = serde_json::json!({ "token": valid_token() }).to_string();
    let ct = "Content-Type: application/json\r\n";

    // DNS rebinding: a name that resolves here, but is not this address.
    let r = post(
        addr,
        &ok_body,
        &format!("Host: evil.example:{}\r\n{ct}", addr.port()),
    );
    assert_eq!(r.status, 403);
    let e = json(&r);
    assert_eq!(e["error"], "forbidden");
    assert!(
        e["reason"].as_str().unwrap().starts_with(&format!(
            "Host \"evil.example:{}\" is not {addr}",
            addr.port()
        )),
        "{e}"
    );
    // localhost with the port served names this server too (issue 23);
    // tests/integration/attacks/server_load.rs covers it.

    // A cross-site request from another page.
    let r = post(
        addr,
        &ok_body,
        &format!("Origin: https://evil.example\r\n{ct}"),
    );
    assert_eq!(r.status, 403);
    let e = json(&r);
    assert!(
        e["reason"]
            .as_str()
            .unwrap()
            .starts_with("Origin \"https://evil.example\" is not http://127.0.0.1:"),
        "{e}"
    );
    let r = post(addr, &ok_body, &format!("Origin: null\r\n{ct}"));
    assert_eq!(r.status, 403);
    // No Origin (curl, scripts) is fine; the right Origin is fine.
    assert_eq!(post(addr, &ok_body, ct).status, 200);

    // Too big: refused unread, whatever its content.
    let big = format!("{{\"token\":\"{}\"}}", "a".repeat(uvtool::ui::MAX_BODY));
    let r = post(addr, &big, ct);
    assert_eq!(r.status, 413);
    assert_eq!(r.header("connection"), Some("close"));
    let e = json(&r);
    assert_eq!(e["error"], "too_large");
    // The body limit is the one limit of a token, named.
    assert!(
        e["reason"].as_str().unwrap().contains(&format!(
            "the limit is {}: the token is over the 64 KiB limit of a token (65536 bytes)",
            uvtool::ui::MAX_BODY
        )),
        "{e}"
    );

    // Only POST, only JSON, only {"token": "..."}.
    let r = get(addr, "/api/inspect", "");
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));
    assert_eq!(json(&r)["reason"], "only POST is allowed");
    let r = post(addr, &ok_body, "Content-Type: text/plain\r\n");
    assert_eq!(r.status, 415);
    assert_eq!(json(&r)["reason"], "send Content-Type: application/json");
    let r = post(addr, &ok_body, "");
    assert_eq!(r.status, 415);
    let r = post(addr, "{\"tok", ct);
    assert_eq!(r.status, 400);
    assert!(json(&r)["reason"]
        .as_str()
        .unwrap()
        .starts_with("the body is not JSON"));
    let r = post(addr, "{\"jwt\":\"x\"}", ct);
    assert_eq!(r.status, 400);
    assert!(json(&r)["reason"]
        .as_str()
        .unwrap()
        .contains("no \"token\" string"));
    // The page itself answers only its own Host too.
    let r = raw(
        addr,
        format!(
            "GET / HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close\r\n\r\n",
            addr.port()
        )
        .as_bytes(),
    );
    assert_eq!(r.status, 403);
    // Still serving after all of that.
    assert_eq!(get(addr, "/", "").status, 200);
}

#[test]
fn tokens_never_reach_the_log() {
    let s = start(&[]);
    let t = valid_token();
    inspect(s.addr, &t);
    let r = get(s.addr, &format!("/?token={t}"), "");
    assert_eq!(r.status, 200);
    let log = s.wait_log("\"GET /?… HTTP/1.1\" 200");
    assert!(log.contains("\"POST /api/inspect HTTP/1.1\" 200"), "{log}");
    assert!(log.contains("\"GET /?… HTTP/1.1\" 200"), "{log}");
    for part in t.split('.') {
        assert!(
            !log.contains(part),
            "the log holds part of the token: {log}"
        );
    }
    assert!(log.contains("tokens stay on this machine"), "{log}");
}

/// A token as the path (`GET /<token>`, a 404) was logged up to 200
/// characters: an unknown path is now logged as `/…`.
#[test]
fn a_token_as_the_path_never_reaches_the_log() {
    let s = start(&[]);
    let t = valid_token();
    assert_eq!(get(s.addr, &format!("/{t}"), "").status, 404);
    let log = s.wait_log("\"GET /… HTTP/1.1\" 404");
    assert!(log.contains("\"GET /… HTTP/1.1\" 404"), "{log}");
    for part in t.split('.') {
        assert!(
            !log.contains(part),
            "the log holds part of the token: {log}"
        );
    }
}

#[test]
fn without_keys_decodes_and_says_the_signature_is_not_checked() {
    let s = Serve::spawn(&["ui".into(), "--port".into(), "0".into(), "-q".into()]);
    let v = inspect(s.addr, &valid_token());
    let p = &v["verdicts"]["platform"];
    assert_eq!(p["valid"], Value::Null, "{p}");
    assert_eq!(p["code"], "no_keys");
    assert_eq!(v["claims"]["sub"], "user-1");
    assert_eq!(v["keys"], serde_json::json!([]));
    let log = s.wait_log("no keys");
    assert!(log.contains("no keys: signatures are not checked"), "{log}");
}

#[test]
fn usage_errors_and_open_without_an_opener() {
    uvtool()
        .args(["ui", "--auth-id", "my-config", "--port", "0"])
        .timeout(Duration::from_secs(10))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "error: invalid value 'my-config' for '--auth-id <NAME>': \"my-config\" contains '-'",
        ));
    uvtool()
        .args([
            "ui",
            "--jwks",
            &fixture_str("keys/a/private.pem"),
            "--port",
            "0",
        ])
        .timeout(Duration::from_secs(10))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("uvtool: error: "));

    // --open with no opener on PATH: a warning, and the page is served.
    let empty = tempfile::tempdir().unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("uvtool"))
        .args(["ui", "--port", "0", "--open", "-q"])
        .env("PATH", empty.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let t0 = Instant::now();
    while !seen.contains("cannot open a browser") && t0.elapsed() < Duration::from_secs(10) {
        let mut line = String::new();
        if std::io::BufRead::read_line(&mut stderr, &mut line).unwrap_or(0) == 0 {
            break;
        }
        seen.push_str(&line);
    }
    let alive = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        seen.contains("uvtool: warning: cannot open a browser"),
        "{seen}"
    );
    assert!(
        alive,
        "uvtool ui must keep serving when no browser opens: {seen}"
    );
}

/// Chromium and chromedriver, from Debian's packages (or the paths in
/// UVTOOL_CHROMIUM / UVTOOL_CHROMEDRIVER).
fn browser() -> Option<(PathBuf, PathBuf)> {
    let find = |var: &str, names: &[&str]| -> Option<PathBuf> {
        if let Some(p) = std::env::var_os(var) {
            return Some(PathBuf::from(p));
        }
        names
            .iter()
            .map(|n| Path::new("/usr/bin").join(n))
            .find(|p| p.exists())
    };
    Some((
        find("UVTOOL_CHROMIUM", &["chromium", "chromium-browser"])?,
        find("UVTOOL_CHROMEDRIVER", &["chromedriver"])?,
    ))
}

/// The Python with selenium (the test venv), or why there is none.
fn selenium_python() -> Result<PathBuf, String> {
    let py = std::env::var_os("UVTOOL_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"));
    let ok = Command::new(&py)
        .args(["-c", "import selenium"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Ok(py)
    } else {
        Err(format!(
            "{} cannot import selenium; run scripts/setup-python.sh",
            py.display()
        ))
    }
}

#[test]
fn browser_shows_verdicts_reasons_and_the_timeline() {
    let required = std::env::var("UVTOOL_REQUIRE_INTEROP").as_deref() == Ok("1");
    let missing = |why: String| {
        if required {
            panic!("the browser test cannot run: {why}");
        }
        eprintln!("skipping the browser test: {why}");
    };
    let Some((chromium, driver)) = browser() else {
        return missing(
            "no chromium/chromedriver in /usr/bin (apt-get install chromium chromium-driver)"
                .into(),
        );
    };
    let py = match selenium_python() {
        Ok(p) => p,
        Err(why) => return missing(why),
    };
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("ui-screenshots");
    std::fs::create_dir_all(&out).unwrap();
    for old in ["empty", "valid", "expired", "malformed"] {
        let _ = std::fs::remove_file(out.join(format!("{old}.png")));
    }
    let s = start(&["--auth-id", "MyConfig", "-q"]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/ui_browser.py");
    let t0 = Instant::now();
    let mut child = Command::new(&py)
        .arg(&script)
        .arg("--url")
        .arg(&s.url)
        .arg("--chromium")
        .arg(&chromium)
        .arg("--driver")
        .arg(&driver)
        .arg("--out")
        .arg(&out)
        .args(["--valid", &valid_token()])
        .args(["--expired", &expired_token()])
        .args(["--malformed", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln"])
        .env("SE_OFFLINE", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A hang fails in bounded time.
    let limit = Duration::from_secs(150);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if t0.elapsed() > limit {
            let _ = child.kill();
            let o = child.wait_with_output().unwrap();
            panic!(
                "the browser test took over {limit:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let o = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    eprintln!("browser test: {:.1?}: {stdout}", t0.elapsed());
    let seen: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(seen["valid"]["platform"], "VALID");
    assert_eq!(seen["expired"]["platform"], "INVALID");
    assert!(seen["expired"]["platform_reason"]
        .as_str()
        .unwrap()
        .starts_with("expired "));
    assert_eq!(seen["malformed"]["platform"], "INVALID");
    for shot in ["empty", "valid", "expired", "malformed"] {
        let png = std::fs::read(out.join(format!("{shot}.png"))).unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "{shot}.png"
        );
    }
}

#[test]
fn keep_alive_and_pipelined_posts_read_each_body_exactly() {
    let s = start(&["-q"]);
    let addr = s.addr;
    let a = serde_json::json!({ "token": valid_token() }).to_string();
    let b = serde_json::json!({ "token": "x.y" }).to_string();
    let req = |body: &str, last: bool| {
        format!(
            "POST /api/inspect HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{}\r\n{body}",
            body.len(),
            if last { "Connection: close\r\n" } else { "" }
        )
    };
    // Two requests in one write: the first body must end exactly where
    // its Content-Length says, or the second request would be garbled.
    let both = format!("{}{}", req(&a, false), req(&b, true));
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    std::io::Write::write_all(&mut c, both.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = std::io::Read::read_to_end(&mut c, &mut out);
    let text = String::from_utf8_lossy(&out);
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 2, "{text}");
    assert!(text.contains("\"valid\": true"), "{text}");
    assert!(text.contains("\"code\": \"malformed\""), "{text}");
}

#[test]
fn keys_from_a_certificate_and_from_a_jwks_url() {
    // --cert: a key without a kid, tried for any kid.
    let s = Serve::spawn(&[
        "ui".into(),
        "--cert".into(),
        fixture("keys/a/cert.pem").into(),
        "--port".into(),
        "0".into(),
        "-q".into(),
    ]);
    let v = inspect(s.addr, &mint(&["--kid", "whatever", "--ttl", "10m"]));
    assert_eq!(v["verdicts"]["rfc"]["valid"], true, "{v}");
    let k = &v["keys"][0];
    assert_eq!(k["kid"], Value::Null);
    assert_eq!(k["verified"], true, "{k}");
    assert!(k["cert"]["not_after"].is_i64(), "{k}");

    // --jwks-url: the set `uvtool serve` publishes.
    let jwks = Serve::start(&fixture("keys/a/jwks.json"), &["-q"]);
    let s = Serve::spawn(&[
        "ui".into(),
        "--jwks-url".into(),
        jwks.url.clone().into(),
        "--port".into(),
        "0".into(),
        "-q".into(),
    ]);
    let v = inspect(s.addr, &valid_token());
    assert_eq!(v["verdicts"]["rfc"]["valid"], true, "{v}");
    assert_eq!(v["key_source"], jwks.url.as_str());
    assert_eq!(v["keys"][0]["kid"], "fixture-a");
    assert_eq!(v["keys"][0]["verified"], true);
}

#[test]
fn a_key_the_platform_refuses_makes_the_platform_verdict_invalid() {
    // A JWK without x5c (K13): the RFC profile accepts the token, the
    // platform profile names the key rule.
    let dir = tempfile::tempdir().unwrap();
    let jwk = dir.path().join("jwk.json");
    uvtool()
        .args(["jwk", "--key", &fixture_str("keys/a/public.pem")])
        .args(["--kid", "fixture-a", "-o"])
        .arg(&jwk)
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    let s = Serve::spawn(&[
        "ui".into(),
        "--jwks".into(),
        jwk.into(),
        "--iss".into(),
        ISS.into(),
        "--port".into(),
        "0".into(),
        "-q".into(),
    ]);
    let v = inspect(s.addr, &valid_token());
    assert_eq!(v["verdicts"]["rfc"]["valid"], true, "{v}");
    let p = &v["verdicts"]["platform"];
    assert_eq!(p["valid"], false, "{p}");
    assert_eq!(p["code"], "key");
    assert_eq!(p["rule"], "K13");
    assert_eq!(v["keys"][0]["cert"], Value::Null);
}
