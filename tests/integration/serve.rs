//! `uvtool serve` driven as a process on 127.0.0.1:0: responses and headers,
//! file following (atomic replace, invalid files), malformed requests, slow
//! clients, the connection cap, and shutdown on Ctrl-C.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::serve::{get, parse, raw, statuses, Serve};
use crate::common::{fixture, uvtool};

const PATH: &str = "/.well-known/jwks.json";

fn tmp_jwks(from: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("jwks.json");
    std::fs::copy(fixture(from), &p).unwrap();
    (dir, p)
}

/// Replace a file atomically (write a temporary file, rename over).
fn replace(path: &Path, data: &[u8]) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, data).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn kid(body: &[u8]) -> String {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    v["keys"][0]["kid"].as_str().unwrap().to_string()
}

#[test]
fn serves_the_jwks_with_headers_etag_and_head() {
    let file = fixture("keys/a/jwks.json");
    let s = Serve::start(&file, &[]);
    assert!(
        s.url.starts_with("http://127.0.0.1:") && s.url.ends_with(PATH),
        "{}",
        s.url
    );
    let r = get(s.addr, PATH, "");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("cache-control"), Some("public, max-age=60"));
    assert_eq!(r.body, std::fs::read(&file).unwrap());
    assert_eq!(
        r.header("content-length"),
        Some(r.body.len().to_string().as_str())
    );
    let etag = r.header("etag").unwrap().to_string();
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
        "{etag}"
    );

    // A query string does not change the resource.
    assert_eq!(get(s.addr, &format!("{PATH}?x=1"), "").status, 200);

    // HEAD: same headers, no body.
    let h = raw(
        s.addr,
        format!("HEAD {PATH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(h.status, 200);
    assert_eq!(h.header("etag"), Some(etag.as_str()));
    assert_eq!(
        h.header("content-length"),
        Some(r.body.len().to_string().as_str())
    );
    assert!(h.body.is_empty());

    // If-None-Match: 304 on the same tag (strong or weak), 200 on another.
    let nm = get(s.addr, PATH, &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(nm.status, 304);
    assert!(nm.body.is_empty());
    assert_eq!(nm.header("etag"), Some(etag.as_str()));
    assert_eq!(nm.header("cache-control"), Some("public, max-age=60"));
    let weak = get(
        s.addr,
        PATH,
        &format!("If-None-Match: \"other\", W/{etag}\r\n"),
    );
    assert_eq!(weak.status, 304);
    let other = get(s.addr, PATH, "If-None-Match: \"other\"\r\n");
    assert_eq!(other.status, 200);

    // The URL printed on stdout is the one that works; one log line a request
    // (waiting for all of them: they reach the log asynchronously).
    assert!(s.url.ends_with(PATH));
    let log = s.wait_log_until(|l| statuses(l).len() >= 6);
    assert_eq!(statuses(&log), [200, 200, 200, 304, 304, 200], "{log}");
    assert!(log.contains("listening on http://127.0.0.1:"), "{log}");
    assert!(
        log.contains("\"HEAD /.well-known/jwks.json HTTP/1.1\" 200 0"),
        "{log}"
    );
    assert!(log.contains("\" 304 0"), "{log}");
}

#[test]
fn not_found_method_not_allowed_and_bad_requests() {
    let s = Serve::start(&fixture("keys/a/jwks.json"), &[]);
    let nf = get(s.addr, "/jwks.json", "");
    assert_eq!(nf.status, 404);
    assert_eq!(
        String::from_utf8_lossy(&nf.body),
        "not found; the JWKS is at /.well-known/jwks.json\n"
    );
    for m in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let r = raw(
            s.addr,
            format!(
                "{m} {PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        );
        assert_eq!(r.status, 405, "{m}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"), "{m}");
    }
    // A POST with a body is answered and the connection closed (body unread).
    let r = raw(
        s.addr,
        format!("POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").as_bytes(),
    );
    assert_eq!(r.status, 405);
    assert_eq!(r.header("connection"), Some("close"));

    let bad: &[(&[u8], &str)] = &[
        (b"GARBAGE\r\n\r\n", "malformed request"),
        (
            b"GET /.well-known/jwks.json HTTP/1.1\r\n\r\n",
            "without a Host header",
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "more than one Host header",
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n",
            "invalid Content-Length",
        ),
        (b"GET * HTTP/1.1\r\nHost: a\r\n\r\n", "not a path"),
        (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", "malformed request"),
        (b"\x00\x01\x02\x03\r\n\r\n", "malformed request"),
    ];
    for (req, why) in bad {
        let r = raw(s.addr, req);
        assert_eq!(r.status, 400, "{:?}", String::from_utf8_lossy(req));
        let body = String::from_utf8_lossy(&r.body);
        assert!(
            body.contains(why),
            "{body:?} for {:?}",
            String::from_utf8_lossy(req)
        );
    }
    // A head over 8 KiB.
    let big = format!(
        "GET {PATH} HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(9000)
    );
    assert_eq!(raw(s.addr, big.as_bytes()).status, 431);
    // The peer vanishing mid-request is not a problem either.
    {
        let mut c = TcpStream::connect(s.addr).unwrap();
        c.write_all(b"GET /.well-known/jw").unwrap();
    }
    // Still serving after all of that.
    assert_eq!(get(s.addr, PATH, "").status, 200);
    let log = s.wait_log("(malformed:");
    assert!(log.contains("\" 400 "), "{log}");
    assert!(!log.contains("panicked"), "{log}");
}

#[test]
fn keep_alive_and_pipelining() {
    let s = Serve::start(&fixture("keys/a/jwks.json"), &[]);
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let one = format!("GET {PATH} HTTP/1.1\r\nHost: x\r\n\r\n");
    let last = format!("HEAD {PATH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    c.write_all(format!("{one}{one}{last}").as_bytes()).unwrap();
    let mut out = Vec::new();
    c.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out);
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 3, "{text}");
    // HTTP/1.0 closes by default.
    let r = raw(s.addr, format!("GET {PATH} HTTP/1.0\r\n\r\n").as_bytes());
    assert_eq!(r.status, 200);
    assert_eq!(r.header("connection"), Some("close"));
    // HTTP/1.0 with keep-alive is told the connection stays open.
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let req = format!("GET {PATH} HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    c.write_all(req.as_bytes()).unwrap();
    let mut buf = vec![0u8; 4096];
    let mut got = Vec::new();
    while parse(&got).is_none_or(|r| r.body.len() < 100) {
        let n = c.read(&mut buf).unwrap();
        assert!(n > 0, "closed early");
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(
        parse(&got).unwrap().header("connection"),
        Some("keep-alive")
    );
}

#[test]
fn follows_the_file_and_keeps_the_last_good_set() {
    let (_dir, path) = tmp_jwks("keys/a/jwks.json");
    let s = Serve::start(&path, &[]);
    let r1 = get(s.addr, PATH, "");
    assert_eq!(kid(&r1.body), "fixture-a");
    let etag_a = r1.header("etag").unwrap().to_string();

    // Atomic replace: the next request sees the new set and a new ETag.
    let b = std::fs::read(fixture("keys/b/jwks.json")).unwrap();
    replace(&path, &b);
    let r2 = get(s.addr, PATH, &format!("If-None-Match: {etag_a}\r\n"));
    assert_eq!(r2.status, 200);
    assert_eq!(r2.body, b);
    let etag_b = r2.header("etag").unwrap().to_string();
    assert_ne!(etag_a, etag_b);
    assert!(s.wait_log("reloaded").contains("reloaded"));

    // Invalid JSON: logged, last good set kept.
    replace(&path, b"{\"keys\": [");
    let r3 = get(s.addr, PATH, "");
    assert_eq!(r3.body, b);
    let log = s.wait_log("not reloading");
    assert!(
        log.contains("not reloading") && log.contains("is not valid JSON"),
        "{log}"
    );
    assert!(
        log.contains(&format!("still serving the last good set (ETag {etag_b})")),
        "{log}"
    );

    // Private members: refused, last good set kept.
    let mut v: serde_json::Value = serde_json::from_slice(&b).unwrap();
    v["keys"][0]["d"] = "AQAB".into();
    replace(&path, serde_json::to_string(&v).unwrap().as_bytes());
    assert_eq!(get(s.addr, PATH, "").body, b);
    let log = s.wait_log("private member");
    assert!(log.contains("has private member(s) d"), "{log}");

    // An empty set is not served either.
    replace(&path, b"{\"keys\":[]}");
    assert_eq!(get(s.addr, PATH, "").body, b);
    assert!(s.wait_log("key set is empty").contains("key set is empty"));

    // File removed: keep serving; rewritten in place: served again.
    std::fs::remove_file(&path).unwrap();
    assert_eq!(get(s.addr, PATH, "").body, b);
    assert!(s.wait_log("cannot read").contains("cannot read"));
    let a = std::fs::read(fixture("keys/a/jwks.json")).unwrap();
    std::fs::write(&path, &a).unwrap();
    let r4 = get(s.addr, PATH, "");
    assert_eq!(r4.body, a);
    assert_eq!(r4.header("etag"), Some(etag_a.as_str()));
}

#[test]
fn slow_clients_time_out_and_others_are_served_meanwhile() {
    let s = Serve::start(
        &fixture("keys/a/jwks.json"),
        &["--timeout", "500ms", "--quiet"],
    );
    // A client that sends part of a head and stalls.
    let mut slow = TcpStream::connect(s.addr).unwrap();
    slow.write_all(b"GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let t = Instant::now();
    // Others are served while it stalls.
    for _ in 0..5 {
        assert_eq!(get(s.addr, PATH, "").status, 200);
    }
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut out = Vec::new();
    let _ = slow.read_to_end(&mut out);
    let took = t.elapsed();
    let r = parse(&out).expect("a 408 response");
    assert_eq!(r.status, 408);
    assert!(took < Duration::from_secs(3), "{took:?}");
    // A trickle of one byte at a time does not extend the deadline.
    let mut trickle = TcpStream::connect(s.addr).unwrap();
    trickle
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // A byte every 300 ms, each well within the 500 ms time-out; it stops as
    // soon as the answer comes, which must come while it still trickles
    // (a deadline moved by each byte would never answer).
    let t = Instant::now();
    let mut first = [0u8; 1];
    let mut answered = false;
    for b in b"GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n"
        .iter()
        .take(12)
    {
        if trickle.write_all(&[*b]).is_err() {
            break;
        }
        trickle
            .set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        if trickle.peek(&mut first).is_ok_and(|n| n > 0) {
            answered = true;
            break;
        }
    }
    assert!(answered, "no answer within 12 bytes, {:?}", t.elapsed());
    trickle
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut out = Vec::new();
    let _ = trickle.read_to_end(&mut out);
    assert_eq!(parse(&out).map(|r| r.status), Some(408));
    assert!(t.elapsed() < Duration::from_secs(4));
    let log = s.wait_log("listening on");
    assert!(log.contains("listening on"), "{log}");
    // Exact: the log holds the port, which may hold "408".
    assert_eq!(
        statuses(&log),
        [] as [u16; 0],
        "--quiet logs no requests: {log}"
    );
    assert_eq!(log.lines().count(), 1, "{log}");
}

#[test]
fn quiet_still_logs_reload_problems() {
    let (_dir, path) = tmp_jwks("keys/a/jwks.json");
    let s = Serve::start(&path, &["--quiet"]);
    replace(&path, b"<html>");
    assert_eq!(kid(&get(s.addr, PATH, "").body), "fixture-a");
    let log = s.wait_log("not reloading");
    assert!(
        log.contains("not reloading") && log.contains("is not valid JSON"),
        "{log}"
    );
    assert!(!log.contains("\"GET "), "{log}");
}

#[test]
fn connection_cap_answers_503_and_recovers() {
    let s = Serve::start(
        &fixture("keys/a/jwks.json"),
        &["--max-connections", "2", "--timeout", "500ms"],
    );
    // Two stalled heads: the server accepts connections in the order they
    // were made, so the first one holds 127.0.0.1's share (1 of 2 slots)
    // before the others are seen: no wait needed.
    let mut hold = Vec::new();
    for _ in 0..2 {
        let mut c = TcpStream::connect(s.addr).unwrap();
        c.write_all(b"GET / HTTP/1.1\r\n").unwrap();
        hold.push(c);
    }
    let r = get(s.addr, PATH, "");
    assert_eq!(r.status, 503);
    assert_eq!(r.header("retry-after"), Some("1"));
    // Once the stalled one times out (500 ms), service is back: asked until
    // it is, refused meanwhile.
    let t = Instant::now();
    loop {
        let r = get(s.addr, PATH, "");
        if r.status == 200 {
            break;
        }
        assert_eq!(r.status, 503);
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "still 503 5 s after a 500 ms time-out"
        );
        thread::sleep(Duration::from_millis(50));
    }
    // Shed connections are summed up in one line every 10 s, never logged
    // one by one (an attacker's attempts would flood the log).
    // The log holds the port, which may hold "503": its request lines are
    // read exactly (the first stalled head's 408, the last GET's 200).
    let log = s.wait_log_until(|l| statuses(l).len() >= 2);
    assert_eq!(statuses(&log), [408, 200], "{log}");
    assert!(!log.contains("answered 503"), "{log}");
}

#[test]
fn ctrl_c_stops_cleanly() {
    let mut s = Serve::start(&fixture("keys/a/jwks.json"), &[]);
    // An idle keep-alive connection does not hold up shutdown.
    let mut idle = TcpStream::connect(s.addr).unwrap();
    idle.write_all(format!("GET {PATH} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .unwrap();
    thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    let st = s.interrupt();
    assert!(st.success(), "{st:?}");
    assert!(t.elapsed() < Duration::from_secs(3));
    assert!(s.wait_log("uvtool: stopped").contains("uvtool: stopped"));
    assert!(
        TcpStream::connect(s.addr).is_err(),
        "port still open after stop"
    );
}

#[test]
fn refuses_private_members_empty_sets_and_remote_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("keys/a/jwks.json")).unwrap()).unwrap();
    v["keys"][0]["d"] = "AQAB".into();
    v["keys"][0]["p"] = "AQAB".into();
    let p = dir.path().join("private.json");
    std::fs::write(&p, serde_json::to_string(&v).unwrap()).unwrap();
    uvtool()
        .args(["serve", "--port", "0", "--jwks"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "keys[0]: has private member(s) d, p; a JWKS is published and must hold public keys only",
        ));

    let e = dir.path().join("empty.json");
    std::fs::write(&e, "{\"keys\":[]}").unwrap();
    uvtool()
        .args(["serve", "--port", "0", "--jwks"])
        .arg(&e)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("the key set is empty"));

    uvtool()
        .args(["serve", "--port", "0", "--jwks", "/nonexistent/jwks.json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "/nonexistent/jwks.json: cannot read",
        ));

    // Non-loopback addresses need --allow-remote (nothing is bound here).
    uvtool()
        .args(["serve", "--addr", "0.0.0.0:0", "--jwks"])
        .arg(fixture("keys/a/jwks.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--addr 0.0.0.0:0: 0.0.0.0:0 is not a loopback address; pass --allow-remote to serve on other interfaces",
        ));
    uvtool()
        .args(["serve", "--addr", "8080", "--jwks"])
        .arg(fixture("keys/a/jwks.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--addr 8080: expected HOST:PORT"));
    uvtool()
        .args(["serve", "--port", "0", "--path", "jwks.json", "--jwks"])
        .arg(fixture("keys/a/jwks.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--path \"jwks.json\": must start with /",
        ));
}

#[test]
fn custom_path_and_ipv6_loopback() {
    let s = Serve::start(&fixture("keys/b/jwks.json"), &["--path", "/keys"]);
    assert!(
        s.url.starts_with("http://127.0.0.1:") && s.url.ends_with("/keys"),
        "{}",
        s.url
    );
    assert_eq!(kid(&get(s.addr, "/keys", "").body), "fixture-b");
    assert_eq!(get(s.addr, PATH, "").status, 404);
    drop(s);
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipping the IPv6 part: no ::1 on this machine");
        return;
    }
    let s = Serve::start(&fixture("keys/b/jwks.json"), &["--addr", "[::1]:0"]);
    assert!(s.url.starts_with("http://[::1]:"), "{}", s.url);
    assert_eq!(get(s.addr, PATH, "").status, 200);
}

#[test]
fn survives_a_stream_of_junk_requests() {
    let s = Serve::start(&fixture("keys/a/jwks.json"), &["--timeout", "1s"]);
    // A fixed pseudo-random sequence of junk: random bytes, truncated and
    // mangled request lines, odd header shapes.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let base =
        format!("GET {PATH} HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"a\"\r\n\r\n").into_bytes();
    for i in 0..120 {
        let mut req = base.clone();
        match i % 4 {
            0 => {
                let n = (next() % 64) as usize;
                req = (0..n).map(|_| next() as u8).collect();
                req.extend_from_slice(b"\r\n\r\n");
            }
            1 => {
                for _ in 0..3 {
                    let at = (next() as usize) % req.len();
                    req[at] = next() as u8;
                }
            }
            2 => {
                let at = (next() as usize) % req.len();
                req.insert(at, b'\n');
                req.insert(at, b':');
            }
            _ => {
                let cut = (next() as usize) % req.len();
                req.truncate(cut);
            }
        }
        let mut c = TcpStream::connect(s.addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        let _ = c.write_all(&req);
        let _ = c.shutdown(std::net::Shutdown::Write);
        let mut out = Vec::new();
        let _ = c.read_to_end(&mut out);
        if let Some(r) = parse(&out) {
            assert!(
                [200, 304, 400, 404, 405, 408, 431].contains(&r.status),
                "{} for {:?}",
                r.status,
                String::from_utf8_lossy(&req)
            );
        }
    }
    assert_eq!(get(s.addr, PATH, "").status, 200);
    let log = s.log();
    assert!(!log.contains("panicked"), "{log}");
}
