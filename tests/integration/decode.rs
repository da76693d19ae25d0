//! `uvtool decode`: a token's header and claims with readable times and the
//! "not verified" notice, JSON output, malformed tokens named by segment,
//! and the hint when stdin is a terminal.

use crate::common::clock::NOW_ARG;
use crate::common::token::{key_a, mint};
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
    let t = mint(&[
        "--key",
        &key_a(),
        "--sub",
        "u",
        "--now",
        NOW_ARG,
        "--nbf",
        "1800000300",
    ]);
    uvtool()
        .args(["decode", "--now", NOW_ARG, &t])
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

/// A token for `sub`, signed with fixture key a at NOW.
fn minted(sub: &str) -> String {
    mint(&["--key", &key_a(), "--sub", sub, "--now", NOW_ARG])
}

#[test]
fn a_file_of_several_tokens_decodes_each_named_by_its_line() {
    // decode read the first token of a file and said nothing of the rest
    // (review of a577057); the output contract's `decode --json` is a line
    // per token, each naming its source, as `verify --json` does.
    let d = tempfile::tempdir().unwrap();
    let two = d.path().join("two.txt");
    std::fs::write(&two, format!("{}\n\n{}\n", minted("alice"), minted("bob"))).unwrap();
    let name = two.to_str().unwrap();
    let a = uvtool()
        .args(["decode", "--json", name])
        .assert()
        .code(0)
        .stderr("uvtool: note: signature NOT verified (decode only shows the contents; use `uvtool verify` to check it)\n");
    let text = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(String, u64, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
                r["claims"]["sub"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (format!("{name}:1"), 1, "alice"),
            (format!("{name}:3"), 3, "bob")
        ]
    );
    // One token has the same shape: stdin is `-:LINE`, an argument `<arg>:1`.
    let a = uvtool()
        .args(["decode", "--json", "-"])
        .write_stdin(format!("\n{}\n", minted("carol")))
        .assert()
        .code(0);
    let v: Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(
        (v["source"].as_str(), v["line"].as_u64()),
        (Some("-:2"), Some(2))
    );
    let a = uvtool()
        .args(["decode", "--json", &minted("dan")])
        .assert()
        .code(0);
    let v: Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(v["source"], "<arg>:1");
    // Text: the full report of each, headed by its source.
    let a = uvtool()
        .args(["decode", "--now", NOW_ARG, name])
        .assert()
        .code(0);
    let text = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        text.starts_with(&format!("source: {name}:1\nheader:\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!("\n\nsource: {name}:3\nheader:\n")),
        "{text}"
    );
    assert_eq!(text.matches("\"sub\": ").count(), 2, "{text}");
    // A malformed line among them: exit 2, named by its line, nothing on
    // stdout.
    let p = d.path().join("three.txt");
    std::fs::write(&p, format!("{}\nnot-a-token\n", minted("erin"))).unwrap();
    uvtool()
        .args(["decode", "--json", p.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "uvtool: error: {}:2: has 1 segment(s), expected 3 (header.payload.signature)\n",
            p.display()
        ));
}
