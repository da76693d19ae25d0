//! The JWKS fetcher against tiny HTTP servers on loopback that misbehave in
//! one way each: every error and every bound (timeout, body cap, redirects).

use crate::common::stub::{self, Request};
use crate::common::token::jwks_a;

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};

use uvtool::net::FetchOptions;
use uvtool::read::fetch_jwks;

/// `status`, `ctype` and `body` as the answer to every request.
fn respond(status: &str, ctype: &str, body: &[u8]) -> impl Fn(&Request) -> Vec<u8> + Send + Sync {
    let r = stub::response(status, ctype, body);
    move |_| r.clone()
}

fn url(addr: SocketAddr, path: &str) -> String {
    format!("http://{addr}{path}")
}

/// How many keys the fetcher reads from a server answering `body` as
/// `application/json`.
fn keys_fetched(body: &[u8]) -> usize {
    let addr = stub::answer(respond("200 OK", "application/json", body)).addr;
    fetch_jwks(&url(addr, "/j"), &opts(5000))
        .unwrap()
        .doc
        .keys
        .len()
}

fn opts(timeout_ms: u64) -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_millis(timeout_ms),
        ..FetchOptions::default()
    }
}

fn err(url: &str, o: &FetchOptions) -> String {
    let e = fetch_jwks(url, o).expect_err("fetch should fail");
    assert!(
        matches!(e, uvtool::Error::Network(_) | uvtool::Error::Invalid(_)),
        "{e:?}"
    );
    eprintln!("{e}");
    e.to_string()
}

#[test]
fn fetches_a_jwks_and_reports_facts() {
    let addr = stub::answer(respond("200 OK", "application/json", &jwks_a())).addr;
    let u = url(addr, "/.well-known/jwks.json");
    let got = fetch_jwks(&u, &opts(5000)).unwrap();
    assert_eq!(got.doc.keys.len(), 1);
    assert_eq!(got.doc.keys[0].jwk.as_ref().unwrap()["kid"], "fixture-a");
    assert_eq!(got.facts.status, 200);
    assert_eq!(got.facts.content_type.as_deref(), Some("application/json"));
    assert_eq!(got.facts.size, jwks_a().len());
    assert_eq!(got.facts.final_url, u);
    assert!(got.facts.redirects.is_empty());
    assert!(got.facts.elapsed < Duration::from_secs(5));
}

#[test]
fn html_login_page_is_named() {
    let page = b"<!DOCTYPE html>\n<html><body><form>Sign in</form></body></html>";
    let addr = stub::answer(respond("200 OK", "text/html; charset=utf-8", page)).addr;
    let e = err(&url(addr, "/jwks"), &opts(5000));
    assert!(
        e.contains("looks like an HTML page (a login page?)") && e.contains("text/html"),
        "{e}"
    );
    // Also when the server lies about the type.
    let addr = stub::answer(respond("200 OK", "application/json", page)).addr;
    let e = err(&url(addr, "/jwks"), &opts(5000));
    assert!(e.contains("looks like an HTML page (a login page?)"), "{e}");
}

#[test]
fn non_200_status_is_shown() {
    let addr = stub::answer(respond("404 Not Found", "text/plain", b"nope")).addr;
    let u = url(addr, "/missing.json");
    let e = err(&u, &opts(5000));
    assert_eq!(e, format!("{u}: HTTP status 404 Not Found (expected 200)"));
    let addr = stub::answer(respond("503 Service Unavailable", "text/plain", b"")).addr;
    let e = err(&url(addr, "/j"), &opts(5000));
    assert!(e.contains("HTTP status 503 Service Unavailable"), "{e}");
}

#[test]
fn not_json_not_jwks_and_empty_set() {
    let addr = stub::answer(respond("200 OK", "application/json", b"keys: none")).addr;
    let e = err(&url(addr, "/j"), &opts(5000));
    assert!(e.contains("the body is not JSON"), "{e}");
    // JSON that holds no JWK at all cannot be read as keys.
    let addr = stub::answer(respond("200 OK", "application/json", b"[1,2]")).addr;
    let e = err(&url(addr, "/j"), &opts(5000));
    assert!(
        e.contains("is not a JSON object (a key is an object") && e.contains("not a JWKS"),
        "{e}"
    );
    // A single JWK and an empty set are read, as the same file would be:
    // the verdict then names the shape (E2) or the missing key (T2).
    let single = std::fs::read(crate::common::fixture("keys/a/jwk.json")).unwrap();
    assert_eq!(keys_fetched(&single), 1);
    assert_eq!(keys_fetched(b"{\"keys\":[]}"), 0);
    let addr = stub::answer(respond("200 OK", "application/json", b"")).addr;
    let e = err(&url(addr, "/j"), &opts(5000));
    assert!(e.contains("the body is empty"), "{e}");
}

#[test]
fn a_byte_order_mark_is_read_past_as_in_a_file() {
    let mut body = b"\xef\xbb\xbf".to_vec();
    body.extend(jwks_a());
    assert_eq!(keys_fetched(&body), 1);
}

#[test]
fn oversized_body_hits_the_cap() {
    let big = vec![b' '; 2 * 1024 * 1024];
    let addr = stub::answer(respond("200 OK", "application/json", &big)).addr;
    let e = err(&url(addr, "/j"), &opts(10_000));
    assert!(e.contains("larger than the 1 MiB cap"), "{e}");
    // A smaller cap, and an endless chunked stream, stop the same way.
    let addr = stub::serve(|s, _| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        let chunk = format!("{:x}\r\n{}\r\n", 4096, " ".repeat(4096));
        while s.write_all(chunk.as_bytes()).is_ok() {}
    }).addr;
    let o = FetchOptions {
        max_body: 64 * 1024,
        ..opts(10_000)
    };
    let t = Instant::now();
    let e = err(&url(addr, "/j"), &o);
    assert!(e.contains("larger than the 64 KiB cap"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_response_that_never_ends_times_out() {
    // Headers, a little body, then silence with the connection held open.
    let addr = stub::serve(|s, _| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"keys\":",
        );
        thread::sleep(Duration::from_secs(30));
    }).addr;
    let t = Instant::now();
    let e = err(&url(addr, "/j"), &opts(300));
    let took = t.elapsed();
    assert!(e.contains("timed out after 300ms"), "{e}");
    assert!(
        took >= Duration::from_millis(280) && took < Duration::from_secs(3),
        "{took:?}"
    );
    // And a server that accepts but never answers at all.
    let addr = stub::serve(|_, _| thread::sleep(Duration::from_secs(30))).addr;
    let t = Instant::now();
    let e = err(&url(addr, "/j"), &opts(300));
    assert!(e.contains("timed out after 300ms"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(3));
}

/// A time-out is worded by the command: `verify` and `ui` have `--timeout`
/// and say to raise it (verify/url.rs, cli/mod.rs); `check URL` waits a
/// fixed 10 s and says so, never naming a flag it does not have.
#[test]
fn a_time_out_names_timeout_only_where_the_command_has_it() {
    let server = stub::serve(|_, _| thread::sleep(Duration::from_secs(30)));
    let u = url(server.addr, "/j");
    let start = Instant::now();
    let run = |args: &[&str]| {
        crate::common::uvtool()
            .args(args)
            .timeout(Duration::from_secs(25))
            .output()
            .unwrap()
    };
    let (check, ui) = thread::scope(|s| {
        let check = s.spawn(|| run(&["check", &u]));
        let ui = s.spawn(|| run(&["ui", "--port", "0", "--jwks-url", &u]));
        (check.join().unwrap(), ui.join().unwrap())
    });
    assert!(start.elapsed() < Duration::from_secs(20));
    let timed_out =
        format!("{u}: timed out after 10s without a complete response (10s is this command's fixed time limit)");
    assert_eq!(check.status.code(), Some(2));
    // The URL once: "cannot fetch" names it, the cause does not repeat it.
    let cause = timed_out.strip_prefix(&format!("{u}: ")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&check.stderr),
        format!(
            "uvtool: error: {u}: cannot fetch: {cause} (the rules on the URL itself are reported above)\n"
        )
    );
    assert_eq!(ui.status.code(), Some(2));
    assert_eq!(
        (&ui.stdout[..], String::from_utf8_lossy(&ui.stderr).as_ref()),
        (
            &b""[..],
            format!("uvtool: error: {u}: timed out after 10s without a complete response (raise --timeout if the endpoint is slow)\n").as_str()
        )
    );
}

#[test]
fn refused_connection_is_named() {
    let port = stub::refused_port();
    let u = format!("http://127.0.0.1:{port}/jwks.json");
    let e = err(&u, &opts(5000));
    assert_eq!(
        e,
        format!("{u}: connection refused by 127.0.0.1:{port} (is the server running and listening there?)")
    );
}

#[test]
fn tls_failure_is_named() {
    // A plain-HTTP server spoken to with https:// fails the TLS handshake:
    // it answers the ClientHello (which it does not wait to parse) in HTTP.
    let addr = stub::serve_unread(|s| {
        let _ = s.write_all(
            b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        let mut sink = [0u8; 4096];
        let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
        let _ = s.read(&mut sink);
    })
    .addr;
    let u = format!("https://127.0.0.1:{}/jwks.json", addr.port());
    let e = err(&u, &opts(5000));
    assert!(e.starts_with(&format!("{u}: TLS")), "{e}");
}

#[test]
fn redirects_are_followed_and_bounded() {
    let target = stub::answer(respond("200 OK", "application/json", &jwks_a())).addr;
    let loc = url(target, "/keys.json");
    let addr = stub::serve(move |s, _| {
        let _ = write!(
            s,
            "HTTP/1.1 302 Found\r\nLocation: {loc}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
    }).addr;
    let got = fetch_jwks(&url(addr, "/jwks"), &opts(5000)).unwrap();
    assert_eq!(got.facts.redirects, vec![url(target, "/keys.json")]);
    assert_eq!(got.facts.final_url, url(target, "/keys.json"));

    // A loop of relative redirects stops after the limit.
    let addr = stub::serve(|s, _| {
        let _ = s.write_all(
            b"HTTP/1.1 301 Moved\r\nLocation: /again\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }).addr;
    let e = err(&url(addr, "/start"), &opts(5000));
    assert!(e.contains("too many redirects (more than 3)"), "{e}");

    // A redirect to a non-loopback http URL is refused, not followed.
    let addr = stub::serve(|s, _| {
        let _ = s.write_all(
            b"HTTP/1.1 302 Found\r\nLocation: http://192.0.2.1/jwks\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }).addr;
    let e = err(&url(addr, "/start"), &opts(5000));
    assert!(
        e.contains("refusing redirect") && e.contains("only for loopback"),
        "{e}"
    );
}

#[test]
fn unusable_urls_are_refused_before_any_traffic() {
    let e = err("http://192.0.2.1/jwks.json", &opts(5000));
    assert!(
        e.contains("plain http:// is allowed only for loopback hosts"),
        "{e}"
    );
    let e = err("file:///etc/passwd", &opts(5000));
    assert_eq!(
        e,
        "file:///etc/passwd: unsupported scheme \"file\"; use https:// (or http:// on loopback)"
    );
}
