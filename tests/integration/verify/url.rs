//! `uvtool verify --jwks-url` against `uvtool serve` (and small in-test
//! servers) on loopback: verification, rotation without restarting the
//! server, one fetch per batch, one re-fetch on an unknown kid, and every
//! network failure as a one-line exit-2 error.

use crate::common::stub::{self, ok_json};

use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::serve::{gets, Serve};
use crate::common::token::{self, private_key};
use crate::common::{fixture, uvtool};
use predicates::prelude::*;

const PATH: &str = "/.well-known/jwks.json";

/// A token signed with fixture key set `which`, valid for 10 minutes.
fn mint(which: &str, sub: &str) -> String {
    token::mint(&[
        "--key",
        &private_key(which),
        "--kid",
        &format!("fixture-{which}"),
        "--sub",
        sub,
        "--iss",
        "https://example.com",
        "--ttl",
        "10m",
    ])
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap()
}

/// The JWKS with the keys of both fixture sets.
fn jwks_ab() -> Vec<u8> {
    let mut a: serde_json::Value = serde_json::from_slice(&read("keys/a/jwks.json")).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&read("keys/b/jwks.json")).unwrap();
    a["keys"].as_array_mut().unwrap().push(b["keys"][0].clone());
    serde_json::to_vec_pretty(&a).unwrap()
}

fn tmp_file(data: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("jwks.json");
    std::fs::write(&p, data).unwrap();
    (dir, p)
}

fn replace(path: &Path, data: &[u8]) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, data).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Wait until the serve log shows `n` GETs (logging is asynchronous).
fn wait_gets(s: &Serve, n: usize) -> usize {
    let t = Instant::now();
    loop {
        let got = gets(&s.log(), PATH);
        if got >= n || t.elapsed() > Duration::from_secs(3) {
            // Give a stray extra request the chance to show up.
            thread::sleep(Duration::from_millis(100));
            return gets(&s.log(), PATH);
        }
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn verifies_against_serve_and_follows_rotation_without_restart() {
    let (_dir, path) = tmp_file(&read("keys/a/jwks.json"));
    let s = Serve::start(&path, &[]);
    let ta = mint("a", "alice");
    let tb = mint("b", "bob");

    uvtool()
        .args(["verify", "--jwks-url", &s.url, &ta])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("valid\n"))
        .stdout(predicate::str::contains(format!(
            "signed with RS256 by key \"fixture-a\" from {}",
            s.url
        )));

    // Rotate: the file now holds b only; serve is not restarted.
    replace(&path, &read("keys/b/jwks.json"));
    uvtool()
        .args(["verify", "--jwks-url", &s.url, &tb])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("valid\n"));
    uvtool()
        .args(["verify", "--jwks-url", &s.url, &ta])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(format!(
            "invalid: kid \"fixture-a\" is not in {} (it has: \"fixture-b\")",
            s.url
        )));

    // Both keys during the overlap of a rotation.
    replace(&path, &jwks_ab());
    for t in [&ta, &tb] {
        uvtool()
            .args(["verify", "--jwks-url", &s.url, "--config", "Cfg", t])
            .assert()
            .code(0)
            .stdout(predicate::str::contains(
                "platform key: v2/iamessage/AUTH/Cfg/uid:",
            ));
    }
}

#[test]
fn a_batch_fetches_once_and_an_unknown_kid_refetches_once() {
    let (_dir, path) = tmp_file(&jwks_ab());
    let s = Serve::start(&path, &[]);
    let ta = mint("a", "alice");
    let tb = mint("b", "bob");
    let input = format!("{ta}\n{tb}\n{ta}\n{tb}\n");
    uvtool()
        .args(["verify", "--jwks-url", &s.url, "-"])
        .write_stdin(input)
        .assert()
        .code(0)
        .stdout("valid sub=alice [-:1]\nvalid sub=bob [-:2]\nvalid sub=alice [-:3]\nvalid sub=bob [-:4]\n");
    assert_eq!(wait_gets(&s, 1), 1, "{}", s.log());

    // Serve a only: tokens signed by b name a kid the set lacks. The first
    // triggers one re-fetch; the rest of the batch does not fetch again.
    replace(&path, &read("keys/a/jwks.json"));
    let input = format!("{tb}\n{ta}\n{tb}\n{tb}\n");
    uvtool()
        .args(["verify", "--jwks-url", &s.url, "-"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(format!(
            "invalid: kid \"fixture-b\" is not in {} (it has: \"fixture-a\") (T2) [-:1, sub=bob]\nvalid sub=alice [-:2]\n",
            s.url
        )));
    assert_eq!(wait_gets(&s, 3), 3, "1 + 1 fetch + 1 re-fetch: {}", s.log());
}

#[test]
fn a_key_rotated_in_during_a_batch_is_found_by_the_refetch() {
    let a = read("keys/a/jwks.json");
    let ab = jwks_ab();
    let server = stub::answer(move |r| if r.n == 1 { ok_json(&a) } else { ok_json(&ab) });
    let url = server.url("/jwks.json");
    let input = format!("{}\n{}\n", mint("a", "alice"), mint("b", "bob"));
    uvtool()
        .args(["verify", "--jwks-url", &url, "--show-jwks", "-"])
        .write_stdin(input)
        .assert()
        .code(0)
        .stdout("valid sub=alice [-:1]\nvalid sub=bob [-:2]\n")
        .stderr(predicate::str::contains(format!(
            "uvtool: fetch 1 of {url}: HTTP 200, Content-Type: application/json, {} bytes",
            read("keys/a/jwks.json").len()
        )))
        .stderr(predicate::str::contains(format!(
            "uvtool: fetch 2 of {url}: HTTP 200"
        )))
        .stderr(predicate::str::contains("\"kid\": \"fixture-b\""));
    assert_eq!(server.requests(), 2);
}

#[test]
fn network_failures_are_one_line_exit_2_errors() {
    let t = mint("a", "alice");
    let port = stub::refused_port();
    let url = format!("http://127.0.0.1:{port}{PATH}");
    uvtool()
        .args(["verify", "--jwks-url", &url, &t])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "uvtool: error: {url}: connection refused by 127.0.0.1:{port} (is the server running and listening there?)\n"
        ));

    let page = b"<!doctype html><title>Sign in</title><form></form>";
    let server = stub::answer(move |_| stub::response("200 OK", "text/html", page));
    let url = server.url("/jwks");
    uvtool()
        .args(["verify", "--jwks-url", &url, &t])
        .assert()
        .code(2)
        .stderr(format!(
            "uvtool: error: {url}: the body looks like an HTML page (a login page?), not a JWKS, Content-Type: text/html\n"
        ));

    let server = stub::answer(|_| stub::response_with("401 Unauthorized", &[], b""));
    let url = server.url("/jwks");
    uvtool()
        .args(["verify", "--jwks-url", &url, &t])
        .assert()
        .code(2)
        .stderr(format!(
            "uvtool: error: {url}: HTTP status 401 Unauthorized (expected 200)\n"
        ));

    // A server that never answers: bounded by --timeout.
    let server = stub::answer(|_| {
        thread::sleep(Duration::from_secs(30));
        Vec::new()
    });
    let url = server.url("/jwks");
    let start = Instant::now();
    uvtool()
        .args(["verify", "--timeout", "500ms", "--jwks-url", &url, &t])
        .assert()
        .code(2)
        .stderr(format!(
            "uvtool: error: {url}: timed out after 500ms without a complete response (raise --timeout if the endpoint is slow)\n"
        ));
    assert!(start.elapsed() < Duration::from_secs(5));

    // A re-fetch after an unknown kid that times out: the verdict stands,
    // and its note says the same.
    let server = stub::answer(|r| {
        if r.n > 1 {
            thread::sleep(Duration::from_secs(30));
        }
        ok_json(&read("keys/a/jwks.json"))
    });
    let url = server.url("/jwks");
    let other = mint("b", "user-1");
    uvtool()
        .args(["verify", "--timeout", "500ms", "--jwks-url", &url])
        .args(["--iss", "https://example.com", &other])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("invalid: "))
        .stderr(format!(
            "uvtool: note: refreshing the keys failed: {url}: timed out after 500ms without a complete response (raise --timeout if the endpoint is slow)\n"
        ));

    // Refused before any traffic: plain http to a host that is not loopback.
    uvtool()
        .args(["verify", "--jwks-url", "http://192.0.2.1/jwks.json", &t])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "http://192.0.2.1/jwks.json: plain http:// is allowed only for loopback hosts",
        ));
    uvtool()
        .args(["verify", "--jwks-url", "ftp://127.0.0.1/jwks.json", &t])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unsupported scheme \"ftp\""));
}

#[test]
fn jwks_url_is_its_own_key_source() {
    let t = mint("a", "alice");
    uvtool()
        .args(["verify", "--jwks-url", "http://127.0.0.1:9/j", "--jwks"])
        .arg(fixture("keys/a/jwks.json"))
        .arg(&t)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    uvtool()
        .args(["verify", "--show-jwks", "--jwks"])
        .arg(fixture("keys/a/jwks.json"))
        .arg(&t)
        .assert()
        .code(2)
        .stderr("uvtool: error: --show-jwks only applies with --jwks-url URL\n");
    uvtool()
        .args(["verify", "--insecure-http", "--cert"])
        .arg(fixture("keys/a/cert.pem"))
        .arg(&t)
        .assert()
        .code(2)
        .stderr("uvtool: error: --insecure-http only applies with --jwks-url URL\n");
    // A set with no usable RSA signing key.
    let server = stub::answer(|_| {
        ok_json(br#"{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"ec"}]}"#)
    });
    let url = server.url("/jwks");
    uvtool()
        .args(["verify", "--jwks-url", &url, &t])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("invalid: "));
}
