//! `uvtool mint`: round trips through `verify` for every algorithm, flags,
//! Java-tool aliases, batch minting and every refusal.

use crate::common::run::{run, s};

pub mod batch;
mod limits;

use crate::common::{fixture_str, uvtool};
use assert_cmd::assert::Assert;
use predicates::str::contains;
use serde_json::Value;

use crate::common::clock::NOW_ARG;
use crate::common::token::{key_a, mint, segment};

/// `uvtool verify --profile rfc FLAG PATH --now NOW`, for more arguments.
fn verify_rfc_cmd(flag: &str, path: &str) -> assert_cmd::Command {
    let mut c = uvtool();
    c.args(["verify", "--profile", "rfc", flag, path, "--now", NOW_ARG]);
    c
}

/// `uvtool verify --profile rfc FLAG PATH --now NOW TOKEN`.
fn verify_rfc(flag: &str, path: &str, token: &str) -> Assert {
    verify_rfc_cmd(flag, path).arg(token).assert()
}

fn part(token: &str, i: usize) -> Value {
    segment(token, i)
}

#[test]
fn every_algorithm_round_trips() {
    for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] {
        let t = mint(&[
            "--key",
            &key_a(),
            "--sub",
            "u1",
            "--alg",
            alg,
            "--now",
            NOW_ARG,
        ]);
        assert_eq!(part(&t, 0)["alg"], alg);
        for key in ["keys/a/public.pem", "keys/a/cert.pem", "keys/a/private.pem"] {
            let flag = if key.ends_with("cert.pem") {
                "--cert"
            } else {
                "--key"
            };
            verify_rfc(flag, &fixture_str(key), &t)
                .success()
                .stdout(contains("valid\n"))
                .stdout(contains(format!("signed with {alg}")));
        }
        // Other key: refused.
        verify_rfc("--key", &fixture_str("keys/b/public.pem"), &t)
            .code(1)
            .stdout(contains("invalid: signature does not verify"));
    }
    // Through JWKS files, whose keys carry alg RS256 (a) and RS512 (rsa4096).
    let t = mint(&[
        "--key",
        &key_a(),
        "--kid",
        "fixture-a",
        "--sub",
        "u",
        "--now",
        NOW_ARG,
    ]);
    verify_rfc("--jwks", &fixture_str("keys/a/jwks.json"), &t).success();
    let t = mint(&[
        "--key",
        &fixture_str("keys/rsa4096/private.pem"),
        "--kid",
        "fixture-4096",
        "--alg",
        "RS512",
        "--sub",
        "u",
        "--now",
        NOW_ARG,
    ]);
    verify_rfc("--jwks", &fixture_str("keys/rsa4096/jwks.json"), &t)
        .success()
        .stdout(contains("signed with RS512 by key \"fixture-4096\""));
}

#[test]
fn pkcs1_der_and_openssl_keys_sign() {
    for k in [
        "openssl-pkcs1.pem",
        "openssl-pkcs8.der",
        "openssl-pkcs1.der",
    ] {
        let t = mint(&[
            "--key",
            &fixture_str(&format!("keys/{k}")),
            "--sub",
            "u",
            "--now",
            NOW_ARG,
        ]);
        verify_rfc("--cert", &fixture_str("keys/openssl-cert.pem"), &t).success();
    }
}

#[test]
fn claims_header_and_defaults() {
    let t = mint(&[
        "--key",
        &key_a(),
        "--sub",
        "user-1",
        "--iss",
        "https://acme.example",
        "--aud",
        "chat",
        "--ttl",
        "10m",
        "--now",
        NOW_ARG,
        "--claim",
        "n=5",
        "--claim",
        "s=hello world",
        "--claim",
        r#"roles=["a","b"]"#,
        "--jti",
        "fixed-1",
    ]);
    let h = part(&t, 0);
    assert_eq!(h["typ"], "JWT");
    assert_eq!(h["alg"], "RS256");
    // Default kid: the RFC 7638 thumbprint of the key (a's kid is custom, so
    // it differs from fixture-a).
    let jwk_out = uvtool().args(["jwk", "--key", &key_a()]).assert().success();
    let jwk: Value = serde_json::from_slice(&jwk_out.get_output().stdout).unwrap();
    assert_eq!(h["kid"], jwk["kid"]);
    let c = part(&t, 1);
    let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["iss", "sub", "aud", "iat", "exp", "jti", "n", "s", "roles"]
    );
    assert_eq!(c["aud"], "chat");
    assert_eq!(c["iat"], 1800000000);
    assert_eq!(c["exp"], 1800000600);
    assert_eq!(c["n"], 5);
    assert_eq!(c["s"], "hello world");
    assert_eq!(c["roles"], serde_json::json!(["a", "b"]));

    // Two --aud give an array; --typ "" and --no-kid leave them out; default ttl 1h.
    let t = mint(&[
        "--key",
        &key_a(),
        "--sub",
        "u",
        "--aud",
        "x",
        "--aud",
        "y",
        "--typ",
        "",
        "--no-kid",
        "--now",
        NOW_ARG,
        "--nbf",
        "2027-01-15T08:00:00Z",
        "--jti",
        "auto",
    ]);
    let h = part(&t, 0);
    assert_eq!(h, serde_json::json!({"alg": "RS256"}));
    let c = part(&t, 1);
    assert_eq!(c["aud"], serde_json::json!(["x", "y"]));
    assert_eq!(c["exp"], 1800003600);
    assert_eq!(c["nbf"], 1800000000);
    assert_eq!(c["jti"].as_str().unwrap().len(), 22);

    // --exp absolute, --iat explicit, --claims file.
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("claims.json");
    std::fs::write(&f, r#"{"email":"a@example.com","tier":2}"#).unwrap();
    let t = mint(&[
        "--key",
        &key_a(),
        "--sub",
        "u",
        "--iat",
        "1700000000",
        "--exp",
        "1700000300",
        "--claims",
        f.to_str().unwrap(),
        "--claim",
        "tier=3",
    ]);
    let c = part(&t, 1);
    assert_eq!(c["iat"], 1700000000);
    assert_eq!(c["exp"], 1700000300);
    assert_eq!(c["email"], "a@example.com");
    assert_eq!(c["tier"], 3, "--claim overrides --claims");
}

#[test]
fn java_tool_aliases() {
    let t = mint(&[
        "--key",
        &key_a(),
        "--subject",
        "u9",
        "--issuer",
        "me",
        "--expiry",
        "300",
        "--kid",
        "k1",
        "--now",
        NOW_ARG,
    ]);
    assert_eq!(part(&t, 0)["kid"], "k1");
    let c = part(&t, 1);
    assert_eq!(c["sub"], "u9");
    assert_eq!(c["iss"], "me");
    assert_eq!(c["exp"], 1800000300);
}

#[test]
fn values_may_start_with_a_hyphen() {
    // Thumbprint kids are base64url and can start with '-'.
    let t = mint(&[
        "--key",
        &key_a(),
        "--kid",
        "-Xy_",
        "--sub",
        "-u",
        "--now",
        NOW_ARG,
    ]);
    assert_eq!(part(&t, 0)["kid"], "-Xy_");
    assert_eq!(part(&t, 1)["sub"], "-u");
    verify_rfc_cmd("--key", &fixture_str("keys/a/public.pem"))
        .args(["--sub", "-u", &t])
        .assert()
        .success();
}

#[test]
fn fixed_clock_is_reproducible() {
    let args = [
        "--key",
        &key_a(),
        "--sub",
        "u",
        "--now",
        "2027-01-15T08:00:00Z",
    ];
    let a = mint(&args);
    assert_eq!(
        a,
        mint(&args),
        "PKCS#1 v1.5 with a fixed clock is deterministic"
    );
    assert_eq!(part(&a, 1)["iat"], 1800000000);
}

#[test]
fn private_jwk_key_and_its_kid_and_alg() {
    let d = tempfile::tempdir().unwrap();
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_str("vectors/rfc7515-a2-rs256.json")).unwrap(),
    )
    .unwrap();
    let mut jwk = v["jwk_private"].clone();
    jwk["kid"] = "a2".into();
    jwk["alg"] = "PS512".into();
    let f = d.path().join("private-jwk.json");
    std::fs::write(&f, jwk.to_string()).unwrap();
    let t = mint(&["--key", f.to_str().unwrap(), "--sub", "u", "--now", NOW_ARG]);
    assert_eq!(part(&t, 0)["kid"], "a2");
    assert_eq!(part(&t, 0)["alg"], "PS512");
    let pubf = d.path().join("pub.pem");
    std::fs::write(&pubf, v["public_key_spki_pem"].as_str().unwrap()).unwrap();
    verify_rfc("--key", pubf.to_str().unwrap(), &t).success();
    // --alg overriding the JWK's alg warns.
    uvtool()
        .args([
            "mint",
            "--key",
            f.to_str().unwrap(),
            "--sub",
            "u",
            "--alg",
            "RS256",
        ])
        .assert()
        .success()
        .stderr(contains("differs from the JWK's alg PS512"));
    // A public JWK cannot sign.
    uvtool()
        .args([
            "mint",
            "--key",
            &fixture_str("keys/a/jwk.json"),
            "--sub",
            "u",
        ])
        .assert()
        .code(2)
        .stderr(contains("is a public JWK"));
    uvtool()
        .args([
            "mint",
            "--key",
            &fixture_str("keys/a/jwks.json"),
            "--sub",
            "u",
        ])
        .assert()
        .code(2)
        .stderr(contains("is a JWKS; give the single private JWK"));
}

#[test]
fn batch_in_order_streaming_with_comments() {
    let mut input = String::from("# users\n\n");
    for i in 0..300 {
        input.push_str(&format!("user-{i}\r\n"));
        if i % 50 == 0 {
            input.push_str("   \n# comment\n");
        }
    }
    let out = uvtool()
        .args([
            "mint",
            "--key",
            &key_a(),
            "--sub-file",
            "-",
            "--now",
            NOW_ARG,
            "--jti",
            "auto",
        ])
        .write_stdin(input.clone())
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 300);
    for (i, t) in lines.iter().enumerate() {
        assert_eq!(part(t, 1)["sub"], format!("user-{i}"));
    }
    assert_ne!(part(lines[0], 1)["jti"], part(lines[1], 1)["jti"]);
    // The whole batch verifies, one verdict a line.
    let v = verify_rfc_cmd("--key", &fixture_str("keys/a/public.pem"))
        .arg("-")
        .write_stdin(text.clone())
        .assert()
        .success();
    let verdicts = String::from_utf8(v.get_output().stdout.clone()).unwrap();
    assert_eq!(verdicts.lines().count(), 300);
    assert!(verdicts
        .lines()
        .enumerate()
        .all(|(i, l)| l.starts_with(&format!("valid sub=user-{i} [-:"))));

    // jsonl from a file.
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("subs.txt");
    std::fs::write(&f, "alice\nbob\n").unwrap();
    let out = uvtool()
        .args([
            "mint",
            "--key",
            &key_a(),
            "--sub-file",
            f.to_str().unwrap(),
            "--format",
            "jsonl",
        ])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["sub"], "bob");
    assert_eq!(part(rows[1]["token"].as_str().unwrap(), 1)["sub"], "bob");
}

#[test]
fn batch_warnings_and_errors() {
    // `uvtool mint --key A --sub-file FILE`, for more arguments.
    let sub_file = |file: &str| {
        let mut c = uvtool();
        c.args(["mint", "--key", &key_a(), "--sub-file", file]);
        c
    };
    sub_file("-")
        .write_stdin("ok\na/b\n")
        .assert()
        .success()
        .stderr(contains("<stdin>: line 2: sub \"a/b\" contains '/'"));
    sub_file("-")
        .write_stdin("# nothing\n")
        .assert()
        .success()
        .stderr(contains("has no subs"));
    sub_file("/nonexistent/subs")
        .assert()
        .code(2)
        .stderr(contains("/nonexistent/subs: no such file"));
    sub_file("-")
        .args(["--claim", "sub=x"])
        .write_stdin("a\n")
        .assert()
        .code(2)
        .stderr(contains("remove sub from --claim"));
    uvtool()
        .args(["mint", "--key", "-", "--sub-file", "-"])
        .assert()
        .code(2)
        .stderr(contains(
            "only one of --key, --claims and --sub-file can read stdin",
        ));
    uvtool()
        .args(["mint", "--key", &key_a(), "--sub", "a", "--sub-file", "-"])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
}

#[test]
fn refusals() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--sub", "u", "--ttl", "soon"],
            "invalid value 'soon' for '--ttl <DURATION>': not a duration",
        ),
        (&["--sub", "u", "--ttl", "0"], "born expired"),
        (
            &["--sub", "u", "--now", "yesterday"],
            "invalid value 'yesterday' for '--now <TIME>': not a time",
        ),
        (
            &["--sub", "u", "--iat", "1800000000", "--exp", "1700000000"],
            "is not after iat",
        ),
        (
            &["--sub", "u", "--claim", "sub=v"],
            "claim \"sub\" is given twice",
        ),
        (&["--sub", "u", "--claim", "novalue"], "expected name=value"),
        (&["--sub", "u", "--alg", "HS256"], "invalid value 'HS256'"),
        (
            &["--sub", "u", "--ttl", "1m", "--exp", "1"],
            "cannot be used with",
        ),
    ];
    for (args, msg) in cases {
        uvtool()
            .arg("mint")
            .args(["--key", &key_a()])
            .args(*args)
            .assert()
            .code(2)
            .stderr(contains(*msg));
    }
    for (key, msg) in [
        ("keys/rsa1024.pem", "at least 2048 are required"),
        ("keys/ec-p256.pem", "EC"),
        ("keys/encrypted-pkcs8.pem", "encrypted"),
        ("keys/a/cert.pem", "certificate"),
        ("keys/nope.pem", "no such file"),
    ] {
        uvtool()
            .args(["mint", "--key", &fixture_str(key), "--sub", "u"])
            .assert()
            .code(2)
            .stderr(contains(msg));
    }
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("c.json");
    std::fs::write(&f, "[1]").unwrap();
    uvtool()
        .args([
            "mint",
            "--key",
            &key_a(),
            "--sub",
            "u",
            "--claims",
            f.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(contains("is JSON but not an object"));
    // No sub: minted, with a warning; an ambiguous sub warns.
    uvtool()
        .args(["mint", "--key", &key_a()])
        .assert()
        .success()
        .stderr(contains("the token has no sub"));
    uvtool()
        .args(["mint", "--key", &key_a(), "--sub", "a b"])
        .assert()
        .success()
        .stderr(contains("sub \"a b\" contains whitespace"));
}

#[test]
fn mint_refusals_and_warnings() {
    let key = fixture_str("keys/a/private.pem");
    let (code, out, err) = run(&[
        "mint", "--key", &key, "--sub", "u", "--iss", "i", "--kid", "",
    ]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("--kid is empty") && err.contains("--no-kid"),
        "{err}"
    );

    let (code, _, err) = run(&["mint", "--key", &key, "--sub", "u", "--format", "jsonl"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--format applies to a batch: add --sub-file"),
        "{err}"
    );

    let (code, out, err) = run(&["mint", "--key", &key, "--sub", "u"]);
    assert_eq!(code, 0);
    assert!(!out.is_empty());
    assert!(
        err.contains("warning: no --iss") && err.contains("T4"),
        "{err}"
    );
    let (code, _, err) = run(&["mint", "--key", &key, "--sub", "u", "--iss", "i"]);
    assert_eq!(code, 0);
    assert!(!err.contains("--iss"), "{err}");
    let (code, _, err) = run(&["mint", "--key", &key, "--sub", "u", "--claim", "iss=i"]);
    assert_eq!(code, 0);
    assert!(!err.contains("no --iss"), "iss given by --claim: {err}");
}

#[test]
fn rs512_from_a_private_jwk_verifies() {
    // The README / mint --help example, end to end.
    let d = tempfile::tempdir().unwrap();
    let a = |f: &str| fixture_str(&format!("keys/a/{f}"));
    let pj = s(&d.path().join("private-jwk.json"));
    let (code, _, err) = run(&[
        "jwk",
        "--key",
        &a("private.pem"),
        "--private",
        "--alg",
        "RS512",
        "-o",
        &pj,
    ]);
    assert_eq!(code, 0, "{err}");
    let jwk512 = s(&d.path().join("jwk512.json"));
    let (code, _, _) = run(&[
        "jwk",
        "--cert",
        &a("cert.pem"),
        "--alg",
        "RS512",
        "-o",
        &jwk512,
    ]);
    assert_eq!(code, 0);
    let (code, tok, err) = run(&[
        "mint",
        "--key",
        &pj,
        "--sub",
        "user-123",
        "--iss",
        "https://example.com",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("differs"), "{err}");
    let (code, out, err) = run(&["verify", "--jwks", &jwk512, "--json", tok.trim()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("\"alg\":\"RS512\""), "{out}");
}
