//! `verify` and `ui` load their keys with the one loader
//! (`verify::load_keys`): the same key files read once into the same model,
//! and a `--jwks-url` refreshed once after a token names a kid the set does
//! not have (a key rotation), by `ui` as by `verify`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::Value;

use crate::common::serve::{raw, Serve};
use crate::common::stub::{answer, ok_json};
use crate::common::token;
use crate::common::{fixture, fixture_str, uvtool};

const ISS: &str = "https://acme.example";

/// A token of fixture key `a`, kid `fixture-a`, valid for ten minutes.
fn token_a() -> String {
    token::user1_a(ISS, &["--ttl", "10m"])
}

/// A keyset URL that serves key `b`'s set first and key `a`'s from the
/// second fetch on (a rotation); the counter says how many fetches came.
fn rotating() -> (crate::common::stub::Stub, Arc<AtomicUsize>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let seen = fetches.clone();
    let old = std::fs::read(fixture("keys/b/jwks.json")).unwrap();
    let new = std::fs::read(fixture("keys/a/jwks.json")).unwrap();
    let stub = answer(move |_| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        ok_json(if n == 0 { &old } else { &new })
    });
    (stub, fetches)
}

fn inspect(addr: std::net::SocketAddr, token: &str) -> Value {
    let body = serde_json::json!({ "token": token }).to_string();
    let req = format!(
        "POST /api/inspect HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let r = raw(addr, req.as_bytes());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    serde_json::from_slice(&r.body).unwrap()
}

#[test]
fn the_page_refreshes_a_jwks_url_after_an_unknown_kid_as_verify_does() {
    let t = token_a();
    // verify: one fetch finds key b only; the kid sends it back once.
    let (stub, fetches) = rotating();
    uvtool()
        .args([
            "verify",
            "--jwks-url",
            &stub.url("/jwks.json"),
            "--iss",
            ISS,
        ])
        .arg(&t)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("valid"));
    assert_eq!(fetches.load(Ordering::SeqCst), 2);

    // ui: the same loader, the same refresh.
    let (stub, fetches) = rotating();
    let s = Serve::spawn(&[
        "ui".into(),
        "--jwks-url".into(),
        stub.url("/jwks.json").into(),
        "--iss".into(),
        ISS.into(),
        "--port".into(),
        "0".into(),
        "-q".into(),
    ]);
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    let v = inspect(s.addr, &t);
    assert_eq!(v["verdicts"]["platform"]["valid"], true, "{v}");
    assert_eq!(v["keys"][0]["kid"], "fixture-a", "{v}");
    assert_eq!(v["keys"][0]["verified"], true, "{v}");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    // Known now: no more fetches.
    let v = inspect(s.addr, &t);
    assert_eq!(v["verdicts"]["platform"]["valid"], true, "{v}");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[test]
fn the_page_and_verify_read_the_same_key_files() {
    // A certificate, a JWKS and a public key given together: the page lists
    // each key once, in the order given, named as verify names it.
    let t = token_a();
    let (cert, jwks, key) = (
        fixture_str("keys/a/cert.pem"),
        fixture_str("keys/b/jwks.json"),
        fixture_str("keys/a/public.pem"),
    );
    let out = uvtool()
        .args(["verify", "--json", "--iss", ISS])
        .args(["--jwks", &jwks, "--cert", &cert, "--key", &key])
        .arg(&t)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let s = Serve::spawn(&[
        "ui".into(),
        "--jwks".into(),
        jwks.clone().into(),
        "--cert".into(),
        cert.clone().into(),
        "--key".into(),
        key.clone().into(),
        "--iss".into(),
        ISS.into(),
        "--port".into(),
        "0".into(),
        "-q".into(),
    ]);
    let v = inspect(s.addr, &t);
    assert_eq!(v["verdicts"]["platform"]["valid"], true, "{v}");
    let sources: Vec<&str> = v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, [jwks.as_str(), cert.as_str(), key.as_str()]);
    assert_eq!(v["key_source"], format!("{jwks}, {cert}, {key}"));
    // The certificate's key verified (the first that takes any kid, as
    // verify tries them), and the page shows its validity window.
    let verified: Vec<bool> = v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["verified"] == true)
        .collect();
    assert_eq!(verified, [false, true, false], "{v}");
    assert!(v["keys"][1]["cert"]["not_after"].is_i64(), "{v}");
}

// ---------------------------------------------- a key file is parsed once

/// Runs with the parse log of debug builds (`UVTOOL_PARSE_LOG`, see
/// `src/probe.rs`): one `doc` line each time a reader of whole documents
/// starts on an input, one `json` or `pem` line each time a whole input is
/// parsed as JSON or PEM text, each with the fingerprint of the bytes.
struct ParseLog {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

impl ParseLog {
    fn new() -> ParseLog {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parses.log");
        ParseLog { _dir: dir, path }
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.path).unwrap_or_default()
    }

    /// How many `doc`, `json` and `pem` lines name these bytes.
    fn count(&self, bytes: &[u8]) -> (usize, usize, usize) {
        let hash = uvtool::probe::fingerprint(bytes);
        let text = self.text();
        let n = |what: &str| {
            text.lines()
                .filter(|l| l.split(' ').take(2).eq([what, hash.as_str()]))
                .count()
        };
        (n("doc"), n("json"), n("pem"))
    }

    /// Every file was parsed exactly once: one document parse, and at
    /// most one parse of its text as JSON or PEM (DER has neither).
    fn once(&self, run: &str, files: &[&str]) {
        for f in files {
            let bytes = std::fs::read(fixture(f)).unwrap();
            let (doc, json, pem) = self.count(&bytes);
            let want_text = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') | Some(b'[') => (1, 0),
                Some(b'-') => (0, 1),
                _ => (0, 0),
            };
            assert_eq!(
                (doc, (json, pem)),
                (1, want_text),
                "{run}: {f} parsed {doc} time(s) as a document, {json} as JSON, {pem} as PEM; log:\n{}",
                self.text()
            );
        }
    }
}

/// `uvtool ARGS` (paths under fixtures/ given relative to it) with the
/// parse log on; asserts the exit code.
fn logged(log: &ParseLog, args: &[&str], stdin: Option<Vec<u8>>, code: i32) {
    let mut c = uvtool();
    c.current_dir(fixture(""))
        .env(uvtool::probe::ENV, &log.path)
        .args(args);
    if let Some(s) = stdin {
        c.write_stdin(s);
    }
    c.assert().code(code);
}

#[test]
fn every_command_parses_each_key_file_once() {
    // Release builds have no parse log (the hook compiles to nothing).
    if !cfg!(debug_assertions) {
        return;
    }
    let t = token_a();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let out = out.to_str().unwrap();
    let mint = ["--sub", "u", "--iss", ISS];
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["mint", "--key", "keys/a/private.pem"],
            vec!["keys/a/private.pem"],
        ),
        (
            vec!["mint", "--key", "jwk/a-private.json"],
            vec!["jwk/a-private.json"],
        ),
        (
            vec!["mint", "--key", "keys/openssl-pkcs8.der"],
            vec!["keys/openssl-pkcs8.der"],
        ),
        (
            vec!["mint", "--key", "keys/openssl-pkcs1.pem"],
            vec!["keys/openssl-pkcs1.pem"],
        ),
        (
            vec!["cert", "--key", "keys/a/private.pem"],
            vec!["keys/a/private.pem"],
        ),
        (
            vec!["cert", "--key", "jwk/a-private.json"],
            vec!["jwk/a-private.json"],
        ),
        (
            vec![
                "jwk",
                "--cert",
                "keys/a/cert.pem",
                "--key",
                "keys/a/private.pem",
            ],
            vec!["keys/a/cert.pem", "keys/a/private.pem"],
        ),
        (
            vec![
                "jwk",
                "--key",
                "keys/a/private.pem",
                "--private",
                "-o",
                out,
                "--force",
            ],
            vec!["keys/a/private.pem"],
        ),
        (
            vec!["jwk", "--key", "keys/a/public.pem"],
            vec!["keys/a/public.pem"],
        ),
        (
            vec!["jwk", "--key", "keys/a/jwk.json"],
            vec!["keys/a/jwk.json"],
        ),
        (
            vec!["jwk", "--key", "keys/openssl-spki.der"],
            vec!["keys/openssl-spki.der"],
        ),
        (
            vec![
                "jwks",
                "keys/a/cert.pem",
                "keys/b/jwk.json",
                "keys/openssl-spki.pem",
            ],
            vec![
                "keys/a/cert.pem",
                "keys/b/jwk.json",
                "keys/openssl-spki.pem",
            ],
        ),
        (
            vec!["jwks", "keys/openssl-cert.der"],
            vec!["keys/openssl-cert.der"],
        ),
        (
            vec![
                "jwks",
                "--set",
                "keys/a/jwks.json",
                "--add",
                "keys/b/cert.pem",
                "-o",
                out,
                "--force",
            ],
            vec!["keys/a/jwks.json", "keys/b/cert.pem"],
        ),
        (
            vec![
                "verify",
                "--jwks",
                "keys/a/jwks.json",
                "--cert",
                "keys/b/cert.pem",
                "--key",
                "keys/a/public.pem",
                "--iss",
                ISS,
                &t,
            ],
            vec!["keys/a/jwks.json", "keys/b/cert.pem", "keys/a/public.pem"],
        ),
        (
            vec![
                "verify",
                "--key",
                "keys/a/private.pem",
                "--cert",
                "keys/openssl-cert.der",
                "--iss",
                ISS,
                &t,
            ],
            vec!["keys/a/private.pem", "keys/openssl-cert.der"],
        ),
        (
            vec![
                "check",
                "keys/a/jwks.json",
                "keys/b/cert.pem",
                "keys/a/private.pem",
                "keys/openssl-spki.der",
            ],
            vec![
                "keys/a/jwks.json",
                "keys/b/cert.pem",
                "keys/a/private.pem",
                "keys/openssl-spki.der",
            ],
        ),
        (
            vec![
                "--generateJwk",
                "-kid",
                "k",
                "-alg",
                "RS256",
                "-publicKeyFile",
                "keys/a/public.pem",
                "-publicCertFile",
                "keys/a/cert.pem",
            ],
            vec!["keys/a/public.pem", "keys/a/cert.pem"],
        ),
        (
            vec![
                "--generateJwt",
                "-kid",
                "k",
                "-issuer",
                ISS,
                "-subject",
                "u",
                "-expiry",
                "600",
                "-alg",
                "RS256",
                "-privateKeyFile",
                "keys/a/private.pem",
            ],
            vec!["keys/a/private.pem"],
        ),
    ];
    for (mut args, files) in cases {
        if args[0] == "mint" {
            args.extend(mint);
        }
        let log = ParseLog::new();
        logged(&log, &args, None, 0);
        log.once(&args.join(" "), &files);
    }
    // A key on stdin is read and parsed once too.
    for (cmd, key) in [
        ("mint", "keys/a/private.pem"),
        ("cert", "jwk/a-private.json"),
    ] {
        let log = ParseLog::new();
        let mut args = vec![cmd, "--key", "-"];
        if cmd == "mint" {
            args.extend(mint);
        }
        logged(&log, &args, Some(std::fs::read(fixture(key)).unwrap()), 0);
        log.once(&format!("{cmd} --key - < {key}"), &[key]);
    }
}

#[test]
fn the_servers_parse_each_key_file_once() {
    if !cfg!(debug_assertions) {
        return;
    }
    let t = token_a();
    // serve: once at start; a request for an unchanged file reads nothing.
    let log = ParseLog::new();
    let s = Serve::spawn_env(
        &[
            "serve".into(),
            "--jwks".into(),
            fixture("keys/a/jwks.json").into(),
            "--port".into(),
            "0".into(),
            "-q".into(),
        ],
        &[(uvtool::probe::ENV, &log.path)],
    );
    let r = crate::common::serve::get(s.addr, "/.well-known/jwks.json", "");
    assert_eq!(r.status, 200);
    log.once("serve", &["keys/a/jwks.json"]);
    drop(s);
    // ui: its key files once, however many tokens the page inspects.
    let log = ParseLog::new();
    let (cert, jwks, key) = (
        fixture_str("keys/a/cert.pem"),
        fixture_str("keys/b/jwks.json"),
        fixture_str("keys/a/public.pem"),
    );
    let s = Serve::spawn_env(
        &[
            "ui".into(),
            "--jwks".into(),
            jwks.into(),
            "--cert".into(),
            cert.into(),
            "--key".into(),
            key.into(),
            "--iss".into(),
            ISS.into(),
            "--port".into(),
            "0".into(),
            "-q".into(),
        ],
        &[(uvtool::probe::ENV, &log.path)],
    );
    for _ in 0..2 {
        let v = inspect(s.addr, &t);
        assert_eq!(v["verdicts"]["platform"]["valid"], true, "{v}");
    }
    log.once(
        "ui",
        &["keys/a/cert.pem", "keys/b/jwks.json", "keys/a/public.pem"],
    );
}

/// The log sees a second parse: a refused key file is recognised once more
/// to name the flag that takes it (a refusal's words, not a second reading
/// of a key in use), so the test above would fail on any command that
/// parsed its file twice.
#[test]
fn a_second_parse_is_seen() {
    if !cfg!(debug_assertions) {
        return;
    }
    let log = ParseLog::new();
    logged(&log, &["jwk", "--cert", "keys/a/private.pem"], None, 2);
    let bytes = std::fs::read(fixture("keys/a/private.pem")).unwrap();
    assert_eq!(log.count(&bytes).0, 2, "{}", log.text());
}
