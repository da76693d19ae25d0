//! The binary starts and the CLI definition is consistent.

mod bounds_and_tips;
mod colour;
mod examples;
mod habits;
mod help;
mod hint_table;
mod hints;
mod startup;

use crate::common::fixture_str;
use crate::common::run::{run, s};

#[test]
fn version_and_help() {
    crate::common::uvtool().arg("--version").assert().success();
    crate::common::uvtool()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicates::str::contains("keygen"));
}

#[test]
fn unknown_command_is_usage_error() {
    crate::common::uvtool().arg("frobnicate").assert().code(2);
}

// ------------------------------------------------ one name per concept, aliases

#[test]
fn one_concept_one_flag_with_aliases() {
    let jwk = fixture_str("keys/a/jwk.json");
    let key = fixture_str("keys/a/private.pem");
    let d = tempfile::tempdir().unwrap();
    // `uvtool mint --key A --kid fixture-a ARGS`.
    let mint_a =
        |args: &[&str]| run(&[&["mint", "--key", &key, "--kid", "fixture-a"][..], args].concat());
    // iss: --iss everywhere, --issuer an alias.
    for flag in ["--iss", "--issuer"] {
        let (code, _, err) = run(&["check", &jwk, flag, "https://example.com"]);
        assert_eq!(code, 0, "check {flag}: {err}");
        let (code, tok, err) = mint_a(&["--sub", "u", flag, "https://e.x"]);
        assert_eq!(code, 0, "mint {flag}: {err}");
        let (code, _, err) = run(&["verify", "--jwks", &jwk, flag, "https://e.x", tok.trim()]);
        assert_eq!(code, 0, "verify {flag}: {err}");
    }
    // sub: --sub everywhere a token's sub is meant, --subject an alias.
    for flag in ["--sub", "--subject"] {
        let (code, out, err) = run(&["platform-key", "--config", "C", flag, "u1"]);
        assert_eq!(
            (code, out.trim()),
            (0, "v2/iamessage/AUTH/C/uid:u1"),
            "{err}"
        );
        let (code, tok, _) = mint_a(&[flag, "u1", "--iss", "i"]);
        assert_eq!(code, 0);
        let (code, _, err) = run(&["verify", "--jwks", &jwk, flag, "u1", tok.trim()]);
        assert_eq!(code, 0, "verify {flag}: {err}");
    }
    // aud / audience.
    let (code, tok, _) = mint_a(&["--sub", "u", "--iss", "i", "--audience", "chat"]);
    assert_eq!(code, 0);
    let (code, _, err) = run(&["verify", "--jwks", &jwk, "--audience", "chat", tok.trim()]);
    assert_eq!(code, 0, "{err}");
    // Output location: keygen takes -o / --out for its folder, like the other commands' -o.
    for (i, flag) in ["-o", "--out", "--out-dir"].iter().enumerate() {
        let dir = d.path().join(format!("k{i}"));
        let (code, _, err) = run(&["keygen", flag, &s(&dir)]);
        assert_eq!(code, 0, "keygen {flag}: {err}");
        assert!(dir.join("jwk.json").exists());
    }
}

// ------------------------------------------------ principle 5: help examples

// ------------------------------------------------ shared groups: one flag, one meaning

#[test]
fn ui_takes_the_jwks_url_flags_of_verify() {
    let cert = fixture_str("keys/a/cert.pem");
    // --insecure-http without --jwks-url: the same refusal in both.
    for args in [
        ["verify", "--insecure-http", "--cert", &cert, "token.jwt"],
        ["ui", "--insecure-http", "--cert", &cert, "--port=0"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert_eq!(
            err,
            "uvtool: error: --insecure-http only applies with --jwks-url URL\n"
        );
    }
    // Plain http to a host that is not loopback: refused with the tip, and
    // --insecure-http lifts the refusal (the fetch then fails: TEST-NET-1
    // routes nowhere, bounded by --timeout).
    let url = "http://192.0.2.1/jwks.json";
    let (code, _, err) = run(&["ui", "--jwks-url", url, "--port", "0"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!("uvtool: error: {url}: plain http:// is allowed only for loopback hosts (localhost, 127.0.0.0/8, [::1]); use https:// or pass --insecure-http\n")
    );
    let start = std::time::Instant::now();
    let (code, _, err) = run(&[
        "ui",
        "--jwks-url",
        url,
        "--insecure-http",
        "--timeout",
        "300ms",
        "--port",
        "0",
    ]);
    assert_eq!(code, 2);
    assert!(err.starts_with(&format!("uvtool: error: {url}: ")), "{err}");
    assert!(!err.contains("plain http://"), "{err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    // --timeout bounds a server that never answers, as in verify.
    let server = crate::common::stub::answer(|_| {
        std::thread::sleep(std::time::Duration::from_secs(30));
        Vec::new()
    });
    let url = server.url("/jwks");
    let start = std::time::Instant::now();
    let (code, _, err) = run(&[
        "ui",
        "--timeout",
        "500ms",
        "--jwks-url",
        &url,
        "--port",
        "0",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!("uvtool: error: {url}: timed out after 500ms without a complete response (raise --timeout if the endpoint is slow)\n")
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}
