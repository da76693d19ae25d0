//! `uvtool decode`, `platform-key` and `init`.

use crate::common::{fixture_str, uvtool};
use predicates::str::contains;
use serde_json::Value;

fn a2_jws() -> String {
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_str("vectors/rfc7515-a2-rs256.json")).unwrap(),
    )
    .unwrap();
    v["compact_jws"].as_str().unwrap().to_string()
}

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
            "1800000000",
            "--nbf",
            "1800000300",
        ])
        .output()
        .unwrap();
    let t = String::from_utf8(t.stdout).unwrap();
    uvtool()
        .args(["decode", "--now", "1800000000", t.trim()])
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
            "1800000000",
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

#[test]
fn platform_key_from_sub_or_token() {
    uvtool()
        .args(["platform-key", "--config", "MyConfig", "--sub", "user-123"])
        .assert()
        .success()
        .stdout("v2/iamessage/AUTH/MyConfig/uid:user-123\n")
        // The key on stdout stays the data; its hedge goes to stderr.
        .stderr(format!("uvtool: note: {}\n", uvtool::platform::HEDGE));
    let t = uvtool()
        .args([
            "mint",
            "--key",
            &fixture_str("keys/a/private.pem"),
            "--sub",
            "alice",
        ])
        .output()
        .unwrap();
    let t = String::from_utf8(t.stdout).unwrap();
    uvtool()
        .args(["platform-key", "--config", "C", "--token", t.trim()])
        .assert()
        .success()
        .stdout("v2/iamessage/AUTH/C/uid:alice\n");
    uvtool()
        .args(["platform-key", "--config", "C", "--token", "-"])
        .write_stdin(t.clone())
        .assert()
        .success()
        .stdout("v2/iamessage/AUTH/C/uid:alice\n");
    for (sub, why) in [
        ("a/b", "contains '/'"),
        ("a b", "contains whitespace"),
        ("", "is empty"),
        ("a\u{1}", "contains control characters"),
    ] {
        uvtool()
            .args(["platform-key", "--config", "C", "--sub", sub])
            .assert()
            .success()
            .stderr(contains(format!("warning: sub {sub:?} {why}")));
    }
    uvtool()
        .args(["platform-key", "--config", "C", "--token", &a2_jws()])
        .assert()
        .code(2)
        .stderr(contains("token: has no sub claim"));
    uvtool()
        .args(["platform-key", "--config", "C", "--token", "eyJ4IjoxfQ.e30"])
        .assert()
        .code(2)
        .stderr(contains("token: has 2 segment(s)"));
    uvtool()
        .args(["platform-key", "--config", "C"])
        .assert()
        .code(2)
        .stderr(contains("--sub"));
    uvtool()
        .args(["platform-key", "--config", "", "--sub", "x"])
        .assert()
        .code(2)
        .stderr(contains("\"\" is empty"))
        .stderr(contains("rule P1"));
}

/// The one test that generates a key: the whole `init` workflow.
#[test]
fn init_end_to_end() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("demo");
    let out = uvtool()
        .args([
            "init",
            dir.to_str().unwrap(),
            "--sub",
            "alice",
            "--config",
            "AcmeChat",
        ])
        .assert()
        .success()
        .stdout(contains(
            "platform key: v2/iamessage/AUTH/AcmeChat/uid:alice (the seed's example form",
        ))
        .stdout(contains(": valid (RS256, kid "));
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "NEXT-STEPS.md",
            "cert.pem",
            "jwk.json",
            "jwks.json",
            "private.pem",
            "public.pem",
            "token.jwt"
        ]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["private.pem", "token.jwt"] {
            let m = std::fs::metadata(dir.join(f)).unwrap().permissions().mode() & 0o777;
            assert_eq!(m, 0o600, "{f}");
        }
    }
    let token = std::fs::read_to_string(dir.join("token.jwt")).unwrap();
    assert!(stdout.contains(token.trim()));
    // The sample token verifies with the files init wrote.
    uvtool()
        .args([
            "verify",
            "--jwks",
            dir.join("jwks.json").to_str().unwrap(),
            "--iss",
            "https://example.com",
            "--sub",
            "alice",
            "--config",
            "AcmeChat",
            token.trim(),
        ])
        .assert()
        .success();
    uvtool()
        .args([
            "verify",
            "--cert",
            dir.join("cert.pem").to_str().unwrap(),
            token.trim(),
        ])
        .assert()
        .success();
    let next = std::fs::read_to_string(dir.join("NEXT-STEPS.md")).unwrap();
    for needle in [
        "jwk.json",
        "upload it in Setup",
        "uvtool mint --key",
        "uvtool verify --jwks",
        "v2/iamessage/AUTH/AcmeChat/uid:alice",
        "UNAUTH/NA/uid:",
        "setIdentityToken",
        "onEmbeddedMessagingIdentityTokenExpired",
        "60 minutes",
        "placeholder",
        "never paste production tokens",
    ] {
        assert!(next.contains(needle), "NEXT-STEPS.md lacks {needle:?}");
    }
    // The mint command NEXT-STEPS.md suggests produces a token that verifies.
    let kid = {
        let j: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("jwk.json")).unwrap()).unwrap();
        j["kid"].as_str().unwrap().to_string()
    };
    let t = uvtool()
        .args([
            "mint",
            "--key",
            dir.join("private.pem").to_str().unwrap(),
            "--kid",
            &kid,
            "--sub",
            "bob",
            "--iss",
            "https://example.com",
        ])
        .output()
        .unwrap();
    uvtool()
        .args(["verify", "--jwks", dir.join("jwks.json").to_str().unwrap()])
        .arg(String::from_utf8(t.stdout).unwrap().trim())
        .assert()
        .success();
    // A non-empty folder is refused without --force, and left alone.
    let before = std::fs::read(dir.join("private.pem")).unwrap();
    uvtool()
        .args(["init", dir.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("is not empty; choose a new folder, or --force"));
    assert_eq!(before, std::fs::read(dir.join("private.pem")).unwrap());
    let file = d.path().join("f");
    std::fs::write(&file, "x").unwrap();
    uvtool()
        .args(["init", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("is a file, expected a folder"));
}

#[test]
fn help_has_description_and_examples() {
    for (cmd, text) in [
        ("mint", "Batch: --sub-file FILE|-"),
        (
            "verify",
            "The verdict is the platform's by default (--profile platform)",
        ),
        ("decode", "signature was NOT verified"),
        ("platform-key", "gets a warning"),
        ("init", "NEXT-STEPS.md"),
    ] {
        uvtool()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(contains(text))
            .stdout(contains(format!("Examples:\n  uvtool {cmd}")));
    }
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
