//! `uvtool decode`: a token's header and claims with readable times and the
//! "not verified" notice, JSON output, malformed tokens named by segment,
//! and the hint when stdin is a terminal.

use crate::common::clock::NOW_ARG;
use crate::common::{a2_jws, fixture_str, uvtool};
use predicates::str::contains;
use serde_json::Value;

#[test]
fn decode_pretty_with_times_and_notice() {
    uvtool()
        .args(["decode", "--now", "1300819200", &a2_jws()])
        .assert()
        .success()
        .stdout(contains(
            "header:\n{\n  \"alg\": \"RS256\"\n}\nclaims:\n{\n  \"iss\": \"joe\",",
        ))
        .stdout(contains("exp: 2011-03-22T18:43:00Z (expires in 3m)"))
        .stderr(contains("signature NOT verified"));
    uvtool()
        .args(["decode", "--now", "1300819560", "-"])
        .write_stdin(format!("\n  {}  \n", a2_jws()))
        .assert()
        .success()
        .stdout(contains("exp: 2011-03-22T18:43:00Z (expired 3m ago)"));
    let t = uvtool()
        .args([
            "mint",
            "--key",
            &fixture_str("keys/a/private.pem"),
            "--sub",
            "u",
            "--now",
            NOW_ARG,
            "--nbf",
            "1800000300",
        ])
        .output()
        .unwrap();
    let t = String::from_utf8(t.stdout).unwrap();
    uvtool()
        .args(["decode", "--now", NOW_ARG, t.trim()])
        .assert()
        .success()
        .stdout(contains("iat: 2027-01-15T08:00:00Z (now)"))
        .stdout(contains("nbf: 2027-01-15T08:05:00Z (valid from in 5m)"))
        .stdout(contains("exp: 2027-01-15T09:00:00Z (expires in 1h)"));
}

#[test]
fn decode_absurd_times() {
    // {"exp":-1e30,"iat":1e300}
    uvtool()
        .args([
            "decode",
            "--now",
            NOW_ARG,
            "e30.eyJleHAiOi0xZTMwLCJpYXQiOjFlMzAwfQ.",
        ])
        .assert()
        .success()
        .stdout(contains(
            "exp: -1e+30 is not a NumericDate in 1970-9999 (T14: unix seconds; milliseconds?)",
        ))
        .stdout(contains("iat: 1e+300 is not a NumericDate in 1970-9999"));
}

#[test]
fn decode_json() {
    let out = uvtool()
        .args(["decode", "--json", &a2_jws()])
        .assert()
        .success()
        .stderr(contains("signature NOT verified"));
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["header"]["alg"], "RS256");
    assert_eq!(v["claims"]["http://example.com/is_root"], true);
    assert_eq!(v["claims"]["exp"], 1300819380);
}

#[test]
fn decode_malformed_names_the_segment() {
    let cases = [
        (
            "eyJhIjoxfQ.e30",
            "token: has 2 segment(s), expected 3 (header.payload.signature)",
        ),
        // Looks like a file name: a missing file, not a malformed token.
        ("tokn.txt", "tokn.txt: no such file"),
        (
            "!!.e30.",
            "token: header segment has '!', which is not a base64url character",
        ),
        ("e30.e30=.", "token: payload segment has '=' padding"),
        (
            "e30.e30.a+b",
            "token: signature segment has '+': standard base64",
        ),
        (
            "bm90IGpzb24.e30.",
            "token: header segment is not valid JSON",
        ),
        (
            "e30.WzFd.",
            "token: payload segment is JSON but not an object",
        ),
        (
            "eyJhIjoxLCJhIjoyfQ.e30.",
            "token: header segment: member \"a\" appears twice",
        ),
        ("", "token: the token is empty"),
    ];
    for (t, msg) in cases {
        uvtool()
            .args(["decode", t])
            .assert()
            .code(2)
            .stderr(contains(msg))
            .stdout("");
    }
    uvtool()
        .args(["decode", &fixture_str("keys/a/jwk.json")])
        .assert()
        .code(2)
        .stderr(contains("jwk.json: is a JWK, not a token"));
}

/// On a terminal, a command waiting for stdin says so (run under `script`,
/// which gives the child a pseudo-terminal); piped, stderr stays quiet.
#[test]
fn stdin_on_a_terminal_gets_a_hint() {
    let bin = assert_cmd::cargo::cargo_bin("uvtool");
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0dHkifQ.AAAA";
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("{} decode", bin.display()), "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(format!("{token}\n\x04").as_bytes())?;
            drop(stdin);
            Ok(crate::common::collect_within(
                child,
                crate::common::BOUND,
                "script",
            ))
        })
        .expect("script (util-linux) runs");
    let text = String::from_utf8_lossy(&out.stdout);
    if !text.contains("\"sub\": \"tty\"") {
        // No pseudo-terminal could be made here (the command never ran).
        eprintln!("skipping the terminal half: script gave {text:?}");
    } else {
        assert!(
            text.contains("uvtool: reading the token from stdin (end with Ctrl-D)"),
            "{text}"
        );
    }
    uvtool()
        .arg("decode")
        .write_stdin(format!("{token}\n"))
        .assert()
        .success()
        .stderr(predicates::prelude::PredicateBooleanExt::not(contains(
            "reading",
        )));
}
