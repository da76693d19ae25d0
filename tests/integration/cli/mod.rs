//! The binary starts and the CLI definition is consistent.

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
    // iss: --iss everywhere, --issuer an alias.
    for flag in ["--iss", "--issuer"] {
        let (code, _, err) = run(&["check", &jwk, flag, "https://example.com"]);
        assert_eq!(code, 0, "check {flag}: {err}");
        let (code, tok, err) = run(&[
            "mint",
            "--key",
            &key,
            "--kid",
            "fixture-a",
            "--sub",
            "u",
            flag,
            "https://e.x",
        ]);
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
        let (code, tok, _) = run(&[
            "mint",
            "--key",
            &key,
            "--kid",
            "fixture-a",
            flag,
            "u1",
            "--iss",
            "i",
        ]);
        assert_eq!(code, 0);
        let (code, _, err) = run(&["verify", "--jwks", &jwk, flag, "u1", tok.trim()]);
        assert_eq!(code, 0, "verify {flag}: {err}");
    }
    // aud / audience.
    let (code, tok, _) = run(&[
        "mint",
        "--key",
        &key,
        "--kid",
        "fixture-a",
        "--sub",
        "u",
        "--iss",
        "i",
        "--audience",
        "chat",
    ]);
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
