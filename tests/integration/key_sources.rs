//! `verify` and `ui` load their keys with the one loader
//! (`verify::load_keys`): the same key files read once into the same model,
//! and a `--jwks-url` refreshed once after a token names a kid the set does
//! not have (a key rotation), by `ui` as by `verify`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::Value;

use crate::common::serve::{raw, Serve};
use crate::common::stub::{answer, ok_json};
use crate::common::{fixture, fixture_str, uvtool};

const ISS: &str = "https://acme.example";

/// A token of fixture key `a`, kid `fixture-a`, valid for ten minutes.
fn token_a() -> String {
    let out = uvtool()
        .args(["mint", "--key", &fixture_str("keys/a/private.pem")])
        .args(["--kid", "fixture-a", "--sub", "user-1", "--iss", ISS])
        .args(["--ttl", "10m"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
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
